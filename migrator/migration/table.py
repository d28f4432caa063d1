"""What v0 became in v1: the facts both front-ends' rules rewrite by (Docker's
`@docker/extension-api-client-types`, see the README's rule pages).

This is the start of the one table the redesign asks for: the HTTP methods of the v0 backend
and where each kind of exec now runs. Members of the client (lists, toasts, navigation) still
live in their rules' tables (rules/js/client_members.py, rules/python/list.py).
"""

from __future__ import annotations

# A JavaScript file that holds none of these names cannot use the client: it is not parsed.
CLIENT_LITERALS = (b"ddClient", b"DockerDesktopClient", b"extension-api-client")

# v0 `ddClient.backend.<method>(...)` calls that move to `extension.vm.service.<method>(...)`.
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "request"})

# Where a legacy exec or spawn runs: the backend container (VM), the host, a container, Docker.
VM, HOST, CONTAINER, DOCKER = "vm", "host", "container", "docker"

# The v1 call for each, written without optional marks. `extension.vm` and `extension.host`
# are optional in the v1 types (an extension may have no backend or no host binaries), so
# TypeScript rewrites step through them with `!` and JavaScript with `?.` (migration.execs).
EXEC_PATHS = {
    VM: "extension.vm.cli.exec",
    HOST: "extension.host.cli.exec",
    CONTAINER: "docker.cli.exec",
    DOCKER: "docker.cli.exec",
}
OPTIONAL_SEGMENTS = {VM: "vm", HOST: "host"}

# The early-preview `ddClient.backend("name")` took an extension name; v1 has no such argument.
PREVIEW_NOTE = (" (early preview form: the extension name given to `backend(...)` is dropped, since v1 "
                "always reaches this extension's own backend)")

