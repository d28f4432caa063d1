"""quoted-exec-argument: a v1 exec argument wrapped in quotes that a shell would have removed."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.model import Applicability
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of
from migrator.rules.js.exec_command_string import RECEIVER_TARGETS

jsargv = LazyModule("migrator.js.argv")  # with the shell analyser: loaded at the first v1 exec call


class QuotedExecArgument(Rule):
    """a v1 exec argument is wrapped in quotes that a shell would have removed

    ## What it does
    Checks the argument arrays of v1 `cli.exec(cmd, args)` calls on the Docker Desktop client
    (`docker.cli`, `extension.vm.cli`, `extension.host.cli`) for an argument wrapped whole in
    matching `'...'` or `"..."`, or whose value after `=` is (`--format='{{json .}}'`), and
    for templates that put quotes around a substitution (`` `"${path}"` ``).

    ## Why is this bad?
    v1 exec runs the program with the argv as given and no shell, so nobody removes those
    quotes: the program receives them. `docker.cli.exec("info", ["--format", "'{{json .}}'"])`
    makes docker print `'{...}'` with the quotes, and the `JSON.parse` that follows fails. A
    path in quotes (which cmd.exe or sh removed in v0) names a file that does not exist.
    This rule is apart from `exec-command-string` because the code is valid exec code that
    does the wrong thing, not a command line.

    ## Example
    ```ts
    const info = await ddClient.docker.cli.exec("info", ["--format", "'{{json .}}'"]);
    ```

    ## Use instead
    ```ts
    const info = await ddClient.docker.cli.exec("info", ["--format", "{{json .}}"]);
    ```

    ## Fix safety
    Unsafe: the program now receives different text (almost always the intended one, but a
    program may want the quotes). A double-quoted value holding `$`, a backtick or a
    backslash, which the shell also expanded, is reported without a fix. The script of an
    explicit shell (`sh -c '...'`) is not inspected.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/
    """

    code = "DD213"
    name = "quoted-exec-argument"
    fixable = "unsafe"
    methods = frozenset({"exec"})

    def on_match(self, ctx, captures):
        target = RECEIVER_TARGETS.get(ctx.resolver.kind(captures["cli"][0]))
        if target is None:
            return
        args = arguments_of(captures["call"][0])
        if len(args) < 2:
            return
        for quoted in jsargv.examine(ctx, args[0], args[1], target).quoted:
            yield ctx.finding(self, quoted.element, jsargv.quoted_message(quoted), edits=[quoted.edit],
                              applicability=Applicability.UNSAFE, no_fix_reason=quoted.reason)

    valid = (
        Valid("await ddClient.docker.cli.exec('info', ['--format', '{{json .}}']);\n"),
        Valid("await ddClient.extension.vm?.cli.exec('sh', ['-c', \"echo 'hi'\"]);\n"),
        Valid("await ddClient.extension.host?.cli.exec('tool', [`--name=${name}`, \"it's\"]);\n"),
        Valid("await other.cli.exec('info', ['--format', \"'{{json .}}'\"]);\n"),
    )

    invalid = (
        Invalid(
            "const info = await ddClient.docker.cli.exec('info', ['--format', \"'{{json .}}'\"]);\n",
            "const info = await ddClient.docker.cli.exec('info', ['--format', \"{{json .}}\"]);\n",
            unsafe=True,
            message="the argument `'{{json .}}'` is wrapped in quotes a shell would have removed; v1 exec runs no shell"
                    " and passes them to the program with the value: remove them",
        ),
        Invalid(
            "await ddClient.docker.cli.exec('ps', [\"--format='{{json .}}'\", '-a']);\n",
            "await ddClient.docker.cli.exec('ps', [\"--format={{json .}}\", '-a']);\n",
            unsafe=True,
            message="the argument `--format='{{json .}}'` is wrapped in quotes a shell would have removed; v1 exec runs no"
                    " shell and passes them to the program with the value: remove them",
        ),
        Invalid(
            "await ddClient.extension.host!.cli.exec('tool', ['open', `\"${path}\"`]);\n",
            "await ddClient.extension.host!.cli.exec('tool', ['open', `${path}`]);\n",
            unsafe=True,
        ),
        Invalid("await ddClient.docker.cli.exec('run', ['-e', '\"HOME=$HOME\"']);\n"),
    )
