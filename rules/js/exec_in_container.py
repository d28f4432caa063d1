"""exec-in-container: ``backend.execInContainer(c, str)`` to ``docker.cli.exec("exec", [c, ...argv])``."""

from __future__ import annotations

from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of, backend_call, is_preview_backend
from migrator.js.command import argv_source, array_source
from migrator.js.execs import arguments_edit, finding, plan_exec
from migrator.migration.execs import CONTAINER, JS_COMMAND_CODES
from migrator.rules.js.exec_in_vm_extension import receiver_edits


class ExecInContainer(Rule):
    """`backend.execInContainer(c, str)` moves to `docker.cli.exec("exec", [c, ...argv])`

    ## What it does
    Rewrites `backend.execInContainer(container, command)` to
    `docker.cli.exec("exec", [container, cmd, ...args])`, splitting the command string as the
    shell did.

    ## Why is this bad?
    `execInContainer` belongs to the deprecated v0 API and will be removed. It ran
    `docker exec <container> <command>` through a shell; the v1 Docker CLI call takes an
    argv and runs no shell, so the command string is split the way the shell split it.
    Shell syntax and expansions are reported (`chained-shell-command`, `shell-expansion`)
    instead of being rewritten into something that behaves differently.

    ## Example
    ```ts
    const out = await ddClient.backend.execInContainer(id, "cat /etc/hostname");
    ```

    ## Use instead
    ```ts
    const out = await ddClient.docker.cli.exec("exec", [id, "cat", "/etc/hostname"]);
    ```

    ## Fix safety
    Safe for a static command; unsafe when the command has template substitutions (the
    shell also split their values). The container argument is kept as written.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/BackendV0/
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/
    """

    code = "DD203"
    name = "exec-in-container"
    fixable = "sometimes"
    methods = frozenset({"execInContainer"})
    emits = JS_COMMAND_CODES
    url = "https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/"

    def on_match(self, ctx, captures):
        call = backend_call(ctx, captures["call"][0])
        if call is None:
            return
        message = "`execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, ...args])`"
        args = arguments_of(call.call)
        edits, reason = receiver_edits(ctx, call, "docker.cli.exec")
        if len(args) != 2 or reason:
            yield ctx.finding(self, call.call, message, no_fix_reason=reason or "expected a container and a command string")
            return
        container = ctx.text(args[0])
        quote = ctx.preferred_quote()

        def build(command, words):
            cmd, rest = argv_source(ctx, command, words)
            inside = f"{quote}exec{quote}, {array_source([container, cmd, *rest])}"
            return edits + [arguments_edit(call.call, inside)]

        outcome = plan_exec(ctx, self, message, args[1], CONTAINER, build, preview=is_preview_backend(call.receiver))
        yield finding(ctx, outcome, call.call)

    valid = (
        Valid("await ddClient.docker.cli.exec('exec', [id, 'ls']);\n"),
        Valid("pool.backend.execInContainer(id, 'ls');\n"),
    )

    invalid = (
        Invalid(
            "const out = await ddClient.backend.execInContainer(id, 'cat /etc/hostname');\n",
            "const out = await ddClient.docker.cli.exec('exec', [id, 'cat', '/etc/hostname']);\n", message="`execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, ...args])`",
        ),
        Invalid(
            "window.ddClient.backend.execInContainer(container.Id, \"psql -c 'select 1'\");\n",
            "window.ddClient.docker.cli.exec(\"exec\", [container.Id, \"psql\", \"-c\", \"select 1\"]);\n",
            filename="db.js", message="`execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, ...args])`",
        ),
        Invalid("ddClient.backend.execInContainer(id);\n", message="`execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, ...args])`"),
        Invalid(
            "window.ddClient.backend('my-ext').execInContainer(id, 'ls /');\n",
            "window.ddClient.docker.cli.exec('exec', [id, 'ls', '/']);\n",
            unsafe=True, message="`execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, ...args])` (early preview form: the extension name given to `backend(...)` is dropped, since v1 always reaches this extension's own backend)",
        ),
    )
