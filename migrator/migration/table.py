"""What v0 became in v1: the facts both front-ends' rules rewrite by (Docker's
`@docker/extension-api-client-types`, see the README's rule pages).

``MEMBERS`` is the one table: every v0 member the rules rewrite, what it was called on,
which rule family moves it, its v1 path from the client, and how its result changed. The
rules read their method names and targets from it (``family()``, ``python_names()``); the
front-ends only add how their language spells the path (``?.``/``!`` in JavaScript,
snake_case in the Python shim).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

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


class Reported(NamedTuple):
    """A code and name that exec findings are reported under when the problem is the command
    itself (its documentation rule lives in the catalogue, which names these constants)."""

    code: str
    name: str


CHAINED = Reported("DD210", "chained-shell-command")
EXPANSION = Reported("DD211", "shell-expansion")
PYTHON_CHAINED = Reported("DD510", "python-chained-shell-command")
PYTHON_EXPANSION = Reported("DD511", "python-shell-expansion")
# What an exec rule can report besides its own code: the engine runs it when any is selected.
JS_COMMAND_CODES = (CHAINED.code, EXPANSION.code)
PYTHON_COMMAND_CODES = (PYTHON_CHAINED.code, PYTHON_EXPANSION.code)


# What a v0 member was called on: the client itself, or its `backend` object.
CLIENT, BACKEND = "client", "backend"

# The v1 HTTP service the backend's `get`/`post`/... calls move to.
SERVICE = "extension.vm.service"


@dataclass(frozen=True)
class V0Member:
    """One v0 member and what it became in v1."""

    name: str  # the v0 name, as JavaScript spells it
    receiver: str  # CLIENT or BACKEND
    family: str  # which rules move it: "http", "exec", "spawn", "docker-list", "toast", "navigate", "host"
    v1: str | None  # the v1 path from the client (JavaScript spelling); None: v1 has no equivalent
    runs: str | None = None  # exec and spawn: where the command runs (VM, HOST, CONTAINER, DOCKER)
    now_async: bool = False  # v1 returns Promise<void> where v0 returned void
    result: str = ""  # how the v1 result differs from v0's, when it does


_SPAWN_RESULT = "the call now returns an `ExecProcess` (with `close()`) instead of `void`"

MEMBERS: dict[str, V0Member] = {m.name: m for m in (
    *(V0Member(method, BACKEND, "http", f"{SERVICE}.{method}") for method in sorted(HTTP_METHODS)),
    V0Member("execInVMExtension", BACKEND, "exec", EXEC_PATHS[VM], VM),
    V0Member("execInContainer", BACKEND, "exec", EXEC_PATHS[CONTAINER], CONTAINER),
    V0Member("execHostCmd", CLIENT, "exec", EXEC_PATHS[HOST], HOST),
    V0Member("execDockerCmd", CLIENT, "exec", EXEC_PATHS[DOCKER], DOCKER),
    V0Member("spawnInVMExtension", BACKEND, "spawn", EXEC_PATHS[VM], VM, result=_SPAWN_RESULT),
    V0Member("spawnHostCmd", CLIENT, "spawn", EXEC_PATHS[HOST], HOST, result=_SPAWN_RESULT),
    V0Member("spawnDockerCmd", CLIENT, "spawn", EXEC_PATHS[DOCKER], DOCKER, result=_SPAWN_RESULT),
    V0Member("listContainers", CLIENT, "docker-list", "docker.listContainers"),
    V0Member("listImages", CLIENT, "docker-list", "docker.listImages"),
    V0Member("toastSuccess", CLIENT, "toast", "desktopUI.toast.success"),
    V0Member("toastWarning", CLIENT, "toast", "desktopUI.toast.warning"),
    V0Member("toastError", CLIENT, "toast", "desktopUI.toast.error"),
    V0Member("navigateToContainers", CLIENT, "navigate", "desktopUI.navigate.viewContainers", now_async=True),
    V0Member("navigateToContainer", CLIENT, "navigate", "desktopUI.navigate.viewContainer"),
    V0Member("navigateToContainerLogs", CLIENT, "navigate", "desktopUI.navigate.viewContainerLogs"),
    V0Member("navigateToContainerInspect", CLIENT, "navigate", "desktopUI.navigate.viewContainerInspect"),
    V0Member("navigateToContainerStats", CLIENT, "navigate", "desktopUI.navigate.viewContainerStats"),
    V0Member("navigateToImages", CLIENT, "navigate", "desktopUI.navigate.viewImages", now_async=True),
    V0Member("navigateToImage", CLIENT, "navigate", "desktopUI.navigate.viewImage"),
    V0Member("navigateToVolumes", CLIENT, "navigate", "desktopUI.navigate.viewVolumes", now_async=True),
    V0Member("navigateToVolume", CLIENT, "navigate", "desktopUI.navigate.viewVolume", now_async=True),
    # From the earliest SDK previews; no type package has them and v1 has no equivalent.
    V0Member("navigateToRoute", CLIENT, "navigate", None),
    V0Member("navigateToDevEnvironments", CLIENT, "navigate", None),
    V0Member("openExternal", CLIENT, "host", "host.openExternal"),
)}


def family(name: str) -> dict[str, V0Member]:
    """The members one rule family moves, by v0 name."""
    return {m.name: m for m in MEMBERS.values() if m.family == name}


def snake(name: str) -> str:
    """The Python shim's spelling of a JavaScript name: `execInVMExtension` -> `exec_in_vm_extension`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def python_names(name: str) -> dict[str, V0Member]:
    """A family's members under both names the Python shim accepts (camelCase and snake_case)."""
    return {spelling: m for m in family(name).values() for spelling in dict.fromkeys((m.name, snake(m.name)))}


def python_path(path: str) -> str:
    """A v1 path as the Python shim spells it: `docker.listContainers` -> `docker.list_containers`."""
    return ".".join(snake(part) for part in path.split("."))
