"""exec-command-string: v1 ``cli.exec(cmd, args)`` calls written as if a shell would split them."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.model import Applicability
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of
from migrator.js.resolve import Kind
from migrator.migration.table import DOCKER, HOST, JS_COMMAND_CODES, VM

jsargv = LazyModule("migrator.js.argv")  # with the shell analyser: loaded at the first v1 exec call

# Where each v1 exec receiver runs its program.
RECEIVER_TARGETS = {Kind.VM_CLI: VM, Kind.HOST_CLI: HOST, Kind.DOCKER_CLI: DOCKER}
EXEC_RECEIVERS = tuple(RECEIVER_TARGETS)


class ExecCommandString(Rule):
    """a v1 `cli.exec` command name holds arguments a shell was expected to split

    ## What it does
    Checks v1 `cli.exec(cmd, args)` calls on the Docker Desktop client
    (`extension.vm.cli`, `extension.host.cli`, `docker.cli`) for strings written as if a
    shell would read them: a `cmd` with spaces (`exec("ls -l", [])`, `exec("sh -c", [...])`)
    is reported here; shell operators and expansions in `cmd` or in the arguments are
    reported as `chained-shell-command` and `shell-expansion`.

    ## Why is this bad?
    v1 exec runs `cmd` with the argv `args` and no shell. `exec("ls -l", [])` looks for a
    program called `ls -l`; `exec("ls", ["-l | grep x"])` passes the pipe to `ls` as text.

    ## Example
    ```ts
    await ddClient.extension.vm?.cli.exec("sh -c", ["ls /data"]);
    ```

    ## Use instead
    ```ts
    await ddClient.extension.vm?.cli.exec("sh", ["-c", "ls /data"]);
    ```

    ## Fix safety
    Unsafe: the fix moves the extra words of `cmd` to the front of the argument array,
    which changes what runs (from a program that does not exist to the intended one).
    Only done when `cmd` is a static string that splits cleanly and `args` is an array
    literal. An explicit shell script (`sh -c`, `bash -c`, `powershell -Command`) is the
    legitimate way to run a script and its script argument is not inspected.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    """

    code = "DD212"
    name = "exec-command-string"
    fixable = "unsafe"
    methods = frozenset({"exec"})
    emits = JS_COMMAND_CODES

    def on_match(self, ctx, captures):
        target = RECEIVER_TARGETS.get(ctx.resolver.kind(captures["cli"][0]))
        if target is None:
            return
        call = captures["call"][0]
        args = arguments_of(call)
        if not args:
            return
        found = jsargv.examine(ctx, args[0], args[1] if len(args) > 1 else None, target)
        if found.problem is not None:
            problem = found.problem
            what = "the command name" if found.problem_in_command else "an argument"
            yield ctx.finding(problem.rule, problem.node or call, problem.message(what), no_fix_reason=problem.reason)
            return
        if found.splits_command:
            yield self._split_cmd(ctx, call, found, args)

    def _split_cmd(self, ctx, call, found, args):
        words = found.words
        message = (f"the command name {ctx.text(found.command.node)} holds arguments; v1 exec runs no shell, so it looks for a "
                   f"program with that whole name: pass `{words[0].text}` and put the rest in the argument array")
        if len(args) > 1 and (found.array is None or found.array != args[1]):
            return ctx.finding(self, call, message, no_fix_reason="the arguments are not an array literal")
        return ctx.finding(self, call, message, edits=jsargv.split_edits(ctx, found, len(args) > 1),
                           applicability=Applicability.UNSAFE)

    valid = (
        Valid("await ddClient.extension.vm?.cli.exec('ls', ['-l']);\n"),
        Valid("await ddClient.extension.vm?.cli.exec('sh', ['-c', 'ls | wc -l']);\n"),
        Valid("await ddClient.extension.host?.cli.exec('pwsh', ['-Command', 'Get-Item $env:TEMP']);\n"),
        Valid("await ddClient.docker.cli.exec('ps', ['--format', '{{json .}}', '--filter', 'name=web*']);\n"),
        Valid("await child_process.exec('ls -l | wc', []);\nawait api.cli.exec('ls -l', []);\n"),
        Valid("await ddClient.docker.cli.exec(cmd, args);\n"),
    )

    invalid = (
        Invalid(
            "await ddClient.extension.vm?.cli.exec('ls -l', []);\n",
            "await ddClient.extension.vm?.cli.exec('ls', ['-l']);\n",
            unsafe=True, message="the command name 'ls -l' holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `ls` and put the rest in the argument array",
        ),
        Invalid(
            "await ddClient.extension.vm?.cli.exec(\"sh -c\", [script]);\n",
            "await ddClient.extension.vm?.cli.exec(\"sh\", [\"-c\", script]);\n",
            unsafe=True, message="the command name \"sh -c\" holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `sh` and put the rest in the argument array",
        ),
        Invalid(
            "const cli = ddClient.docker.cli;\nawait cli.exec('image ls', ['--all']);\n",
            "const cli = ddClient.docker.cli;\nawait cli.exec('image', ['ls', '--all']);\n",
            unsafe=True, message="the command name 'image ls' holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `image` and put the rest in the argument array",
        ),
        Invalid("await ddClient.extension.vm?.cli.exec('ls -l', flags);\n", message="the command name 'ls -l' holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `ls` and put the rest in the argument array"),
    )
