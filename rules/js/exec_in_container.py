"""exec-in-container: ``backend.execInContainer(c, str)`` to ``docker.cli.exec("exec", [c, ...argv])``."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of, backend_call, is_preview_backend
from migrator.js.execs import arguments_edit, finding, member_path, plan_exec
from migrator.js.metadata import backend_container
from migrator.migration.table import CONTAINER, JS_COMMAND_CODES, VM
from migrator.rules.js.exec_in_vm_extension import receiver_edits, vm_exec_finding

jscommand = LazyModule("migrator.js.command")  # with the shell analyser: loaded at the first call

# The early preview's `backend("name")`: for a container reached by `docker exec`, the name is simply gone.
DOCKER_PREVIEW_NOTE = ("early preview form: the extension name given to `backend(...)` is dropped (v1 has no such "
                       "argument; `docker exec` reaches the container by its name)")

COMPOSE = """services:
  tailscale:
    image: tailscale/docker-extension:1.0.0
    container_name: tailscale_service
  cache:
    image: redis:7
"""
METADATA = '{"vm": {"composefile": "docker-compose.yaml"}, "ui": {}}'
EXTENSION = (("metadata.json", METADATA), ("docker-compose.yaml", COMPOSE))


class ExecInContainer(Rule):
    """`backend.execInContainer(c, str)` moves to `docker.cli.exec("exec", [c, ...argv])`, or to `extension.vm.cli.exec` for the own backend

    ## What it does
    Rewrites `backend.execInContainer(container, command)` to
    `docker.cli.exec("exec", [container, cmd, ...args])`, splitting the command string as the
    shell did. When `container` is the extension's own backend container, it becomes
    `extension.vm.cli.exec(cmd, [args])`, which runs there: the rule reads the extension's
    `metadata.json` (the nearest one above the file) and the compose file its
    `vm.composefile` names; a service's `container_name`, or the service name when it sets
    none, is the backend's. The message says which it chose and why. Without a
    `metadata.json` (or with only `vm.image`, whose container Docker Desktop names itself)
    every container is another one.

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

    For the early-preview `backend("tailscale").execInContainer("tailscale_service", "/app/tailscale down")`,
    with a compose file whose service `tailscale` sets `container_name: tailscale_service`:
    ```ts
    await ddClient.extension.vm!.cli.exec("/app/tailscale", ["down"]);
    ```

    ## Fix safety
    Safe for a static command; unsafe when the command has template substitutions (the
    shell also split their values), or for the early-preview `backend("name")` form. The
    container argument is kept as written (and dropped for the own backend).

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
        own, why = backend_container(ctx, args[0]) if len(args) == 2 else (None, None)
        if own is not None:
            yield from self._own_backend(ctx, call, args, own)
            return
        if why:
            message += f"; {why}"
        edits, reason = receiver_edits(ctx, call, "docker.cli.exec")
        if len(args) != 2 or reason:
            yield ctx.finding(self, call.call, message, no_fix_reason=reason or "expected a container and a command string")
            return
        container = ctx.text(args[0])
        quote = ctx.preferred_quote()

        def build(command, words):
            cmd, rest = jscommand.argv_source(ctx, command, words)
            inside = f"{quote}exec{quote}, {jscommand.array_source([container, cmd, *rest])}"
            return edits + [arguments_edit(call.call, inside)]

        preview = is_preview_backend(call.receiver) and DOCKER_PREVIEW_NOTE
        outcome = plan_exec(ctx, self, message, args[1], CONTAINER, build, preview=preview)
        yield finding(ctx, outcome, call.call)

    def _own_backend(self, ctx, call, args, own):
        """The container is the extension's own backend: `extension.vm.cli.exec` runs there."""
        name, why = own
        message = (f"`execInContainer()` is deprecated; `{name}` is this extension's own backend container ({why}): "
                   "use `extension.vm.cli.exec(cmd, args)`, which runs there")
        yield vm_exec_finding(ctx, self, call, message, args[1], receiver_edits(ctx, call, member_path(ctx, VM)))

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
            unsafe=True, message="`execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, ...args])` (early preview form: the extension name given to `backend(...)` is dropped (v1 has no such argument; `docker exec` reaches the container by its name))",
        ),
        # The extension's own backend container (its compose file says so): the VM exec runs there.
        Invalid(
            "await window.ddClient.backend('tailscale').execInContainer('tailscale_service', '/app/tailscale down');\n",
            "await window.ddClient.extension.vm!.cli.exec('/app/tailscale', ['down']);\n",
            filename="ui/src/api.ts", files=EXTENSION, unsafe=True,
            message="`execInContainer()` is deprecated; `tailscale_service` is this extension's own backend container (the `container_name` of service `tailscale` in `docker-compose.yaml`): use `extension.vm.cli.exec(cmd, args)`, which runs there (early preview form: the extension name given to `backend(...)` is dropped, since v1 always reaches this extension's own backend)",
        ),
        Invalid(
            "await ddClient.backend.execInContainer('cache', 'redis-cli ping');\n",
            "await ddClient.extension.vm!.cli.exec('redis-cli', ['ping']);\n",
            filename="ui/src/api.ts", files=EXTENSION,
            message="`execInContainer()` is deprecated; `cache` is this extension's own backend container (service `cache` in `docker-compose.yaml`, which sets no `container_name`): use `extension.vm.cli.exec(cmd, args)`, which runs there",
        ),
        # Another container: `docker exec`, and the message says why.
        Invalid(
            "await ddClient.backend.execInContainer('postgres', 'pg_isready');\n",
            "await ddClient.docker.cli.exec('exec', ['postgres', 'pg_isready']);\n",
            filename="ui/src/api.ts", files=EXTENSION,
            message="`execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, ...args])`; `postgres` is not this extension's own backend container, which `docker-compose.yaml` names `tailscale_service`, `cache`: `docker exec` reaches it by name",
        ),
    )
