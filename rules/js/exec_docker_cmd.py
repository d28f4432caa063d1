"""exec-docker-cmd: ``execDockerCmd(cmd, ...args)`` to ``docker.cli.exec(cmd, [args])``."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.model import Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js import wrappers
from migrator.js.access import arguments_of
from migrator.js.execs import arguments_edit, commands, docker_arguments, finding
from migrator.js.members import call_head, findings
from migrator.js.resolve import Kind
from migrator.migration.table import JS_COMMAND_CODES

# The command reader and the planner, with the shell analyser: loaded at the first call.
jscommand = LazyModule("migrator.js.command")
planner = LazyModule("migrator.migration.execs")


class ExecDockerCmd(Rule):
    """`execDockerCmd(cmd, ...args)` moves to `docker.cli.exec(cmd, [args])`

    ## What it does
    Rewrites `ddClient.execDockerCmd(cmd, ...args)` to `ddClient.docker.cli.exec(cmd, [args])`.

    ## Why is this bad?
    `execDockerCmd` belongs to the deprecated v0 API and will be removed. Its variadic
    arguments were each split by a shell, so `execDockerCmd("images", "--format", '"{{json .}}"')`
    passed `{{json .}}` without the quotes. The v1 call takes one argv array and runs no
    shell; each argument is split here as the shell split it.

    ## Example
    ```ts
    const images = await ddClient.execDockerCmd("images", "--format", '"{{json .}}"');
    ```

    ## Use instead
    ```ts
    const images = await ddClient.docker.cli.exec("images", ["--format", "{{json .}}"]);
    ```

    ## Fix safety
    Safe when every argument is a static string. An argument that is a variable or holds a
    template substitution is kept as one argument, but the shell also split its value: that
    fix is unsafe. A spread argument (`...args`) is reported without a fix. So is an argument
    that is, or substitutes outside quotes, a parameter of the named function the call is in
    (`function compose(args) { return ddClient.execDockerCmd("compose", args); }`): its callers
    may pass several words (`compose("ps -a")`), which the shell split and v1 would not, and
    the function and its callers must change together, by hand. (A callback's parameter,
    `ids.forEach((id) => ...)`, holds data: its fix stays.)

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/
    - https://docs.docker.com/reference/api/extensions-sdk/DockerCommand/
    """

    code = "DD204"
    name = "exec-docker-cmd"
    fixable = "sometimes"
    methods = frozenset({"execDockerCmd"})
    emits = JS_COMMAND_CODES

    def on_match(self, ctx, captures):
        call = captures["call"][0]
        if ctx.resolver.kind(captures["client"][0]) is not Kind.CLIENT:
            return
        method = captures["method"][0]
        yield from self._exec(ctx, call, [Edit(method.start_byte, method.end_byte, "docker.cli.exec")])

    def check(self, ctx):
        """`execDockerCmd` held in a variable (`const { execDockerCmd } = ddClient`) or used without a call."""
        yield from findings(self, ctx, self.methods, lambda use: self._exec(ctx, use.call, call_head(use, "docker.cli.exec")))

    def _exec(self, ctx, call, head):
        message = "`execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args])`"
        args = arguments_of(call)
        for arg in args:
            binding = wrappers.parameter_argument(ctx, arg, call)
            function = wrappers.function_name(ctx, binding.scope) if binding is not None else None
            if function is not None:
                yield ctx.finding(self, call, message, no_fix_reason=(
                    f"`{binding.name}` is a parameter of {function}: the shell split its value into words, so a "
                    "caller may pass several (\"ps -a\"), which v1 would pass as one argument; change "
                    f"{function} to take an array of words, and its callers with it"))
                return
        outcome = planner.plan_arguments(commands(ctx), self, message, docker_arguments(ctx, args))
        if outcome.no_fix_reason is None and outcome.rule is self:
            items = outcome.edits
            inside = f"{items[0]}, {jscommand.array_source(items[1:])}"
            outcome.edits = [*head, arguments_edit(call, inside)]
        yield finding(ctx, outcome, call)

    valid = (
        Valid("await ddClient.docker.cli.exec('ps', ['-a']);\n"),
        Valid("const cli = { execDockerCmd: (...a: string[]) => a };\ncli.execDockerCmd('ps');\n"),
    )

    invalid = (
        # A parameter its callers fill with several words: no one-argument rewrite.
        Invalid("function compose(args: string) {\n  return ddClient.execDockerCmd('compose', args);\n}\ncompose('ps -a');\n"),
        Invalid("const logs = (flags: string) => ddClient.execDockerCmd('logs', `${flags} web`);\nlogs('-f -n 10');\n"),
        Invalid(
            "ids.forEach((id) => ddClient.execDockerCmd('rm', id));\n",
            "ids.forEach((id) => ddClient.docker.cli.exec('rm', [id]));\n",
            unsafe=True,
        ),
        Invalid(
            "const images = await ddClient.execDockerCmd(\"images\", \"--format\", '\"{{json .}}\"');\n",
            "const images = await ddClient.docker.cli.exec(\"images\", [\"--format\", \"{{json .}}\"]);\n", message="`execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args])`",
        ),
        Invalid(
            "window.ddClient.execDockerCmd('ps', '-a --filter', 'label=com.example=1');\n",
            "window.ddClient.docker.cli.exec('ps', ['-a', '--filter', 'label=com.example=1']);\n",
            filename="list.js", message="`execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args])`",
        ),
        Invalid(
            "await ddClient.execDockerCmd('rm', '-f', containerId);\n",
            "await ddClient.docker.cli.exec('rm', ['-f', containerId]);\n",
            unsafe=True, message="`execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args])` (`containerId` now reaches the program as one argument: the shell also split its value)",
        ),
        Invalid("await ddClient.execDockerCmd('ps', ...flags);\n", message="`execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args])`"),
        # A `const` template declared just before is split like the template written inline
        # (it used to become `docker.cli.exec(dockerCmd, [])`: the whole string as the subcommand).
        Invalid(
            "async function inspect(selected: string) {\n  const dockerCmd = `image inspect ${selected}`;\n  return ddClient.execDockerCmd(dockerCmd);\n}\n",
            "async function inspect(selected: string) {\n  const dockerCmd = `image inspect ${selected}`;\n  return ddClient.docker.cli.exec(\"image\", [\"inspect\", `${selected}`]);\n}\n",
            unsafe=True, message="`execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args])` (`${selected}` now reaches the program as one argument: the shell also split its value)",
        ),
        # Anywhere else its value may differ at the call: split it by hand, never passed on whole.
        Invalid(
            "const dockerCmd = `image inspect ${selected}`;\nrender();\nawait ddClient.execDockerCmd(dockerCmd);\n",
            message="`execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args])`",
        ),
    )
