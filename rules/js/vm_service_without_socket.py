"""vm-service-without-socket: HTTP calls to the backend when metadata.json exposes no socket."""

from __future__ import annotations

from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import backend_call
from migrator.js.metadata import extension_of
from migrator.js.resolve import Kind, unwrap
from migrator.migration.table import HTTP_METHODS

WITH_SOCKET = (("metadata.json", '{"vm": {"image": "example/ext:1.0.0", "exposes": {"socket": "backend.sock"}}, "ui": {}}'),)
WITHOUT_SOCKET = (("metadata.json", '{"vm": {"image": "example/ext:1.0.0"}, "ui": {}}'),)
NO_VM = (("metadata.json", '{"ui": {"dashboard-tab": {"title": "x", "root": "/ui", "src": "index.html"}}}'),)


def is_service(ctx, node) -> bool:
    """``<vm>.service`` (``extension.vm?.service``, ``vm!.service``)."""
    node = unwrap(node)
    if node is None or node.type != "member_expression":
        return False
    prop = node.child_by_field_name("property")
    return prop is not None and ctx.text(prop) == "service" and ctx.resolver.kind(node.child_by_field_name("object")) is Kind.VM


class VmServiceWithoutSocket(Rule):
    """an HTTP call to the backend, while metadata.json exposes no socket

    ## What it does
    Reads the extension's `metadata.json` (the nearest one above the file) and reports
    `extension.vm.service` calls (`get`, `post`, `put`, `patch`, `delete`, `head`, `request`),
    and the v0 `backend` HTTP calls they come from, when the metadata declares no
    `vm.exposes.socket` (or no `vm` at all). Nothing is reported for a file with no
    `metadata.json` above it.

    ## Why is this bad?
    `extension.vm.service` talks HTTP to the backend over the socket the backend listens on,
    which Docker Desktop knows only from `vm.exposes.socket`. Without it `vm.service` is
    missing, and the call fails at run time (with optional chaining, `vm?.service?.get(...)`
    silently returns `undefined`).

    ## Example
    With `metadata.json` holding `"vm": { "image": "example/ext:1.0.0" }`:
    ```ts
    const items = await ddClient.extension.vm?.service?.get("/items");
    ```

    ## Use instead
    Declare the socket the backend listens on:
    ```json
    "vm": { "image": "example/ext:1.0.0", "exposes": { "socket": "backend.sock" } }
    ```

    ## Fix safety
    No fix: the socket is the backend's, and only its authors know it.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/architecture/metadata/
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionVM/
    """

    code = "DD402"
    name = "vm-service-without-socket"
    fixable = "none"
    methods = HTTP_METHODS

    def on_match(self, ctx, captures):
        call = captures["call"][0]
        v0 = backend_call(ctx, call) is not None
        if not v0 and not is_service(ctx, captures["object"][0]):
            return
        extension = extension_of(ctx)
        if extension is None or extension.socket is not None:
            return
        what = "the v0 `backend` HTTP call (and the `extension.vm.service` it becomes)" if v0 else "`extension.vm.service`"
        missing = "no `vm` section" if not extension.has_vm else "no `vm.exposes.socket`"
        yield ctx.finding(self, call, f"{what} needs a socket the backend listens on, and metadata.json has {missing}: "
                                      "the call fails at run time; declare it in `vm.exposes.socket`")

    valid = (
        Valid("const items = await ddClient.extension.vm?.service?.get('/items');\n", filename="ui/src/a.ts", files=WITH_SOCKET),
        Valid("const items = await ddClient.extension.vm?.service?.get('/items');\n"),
        Valid("const r = await http.service.get('/items');\n", filename="ui/src/a.ts", files=WITHOUT_SOCKET),
    )

    invalid = (
        Invalid(
            "const items = await ddClient.extension.vm?.service?.get('/items');\n",
            filename="ui/src/a.ts", files=WITHOUT_SOCKET,
            message="`extension.vm.service` needs a socket the backend listens on, and metadata.json has no"
                    " `vm.exposes.socket`: the call fails at run time; declare it in `vm.exposes.socket`",
        ),
        Invalid(
            "window.ddClient.extension.vm.service.post('/scan', { image });\n",
            filename="ui/src/a.js", files=NO_VM,
            message="`extension.vm.service` needs a socket the backend listens on, and metadata.json has no `vm`"
                    " section: the call fails at run time; declare it in `vm.exposes.socket`",
        ),
        Invalid(
            "await ddClient.backend.get('/items');\n",
            "await ddClient.extension.vm?.service?.get('/items');\n",
            filename="ui/src/a.ts", files=WITHOUT_SOCKET, fix="none",
            message="the v0 `backend` HTTP call (and the `extension.vm.service` it becomes) needs a socket the backend"
                    " listens on, and metadata.json has no `vm.exposes.socket`: the call fails at run time; declare it in"
                    " `vm.exposes.socket`",
        ),
    )
