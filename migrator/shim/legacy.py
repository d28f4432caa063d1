"""The deprecated v0 names, as thin wrappers over the v1 API that warn with the replacement.

Single command strings were run by a shell in v0. They are split here the way a POSIX shell
splits plain words; a string that needs a shell for more (a pipe, ``&&``, ``$VAR``, a glob) is
refused rather than run as something different.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from migrator.shim.errors import LegacyCommandError
from migrator.shim.stream import StreamHandlers

if TYPE_CHECKING:
    from migrator.shim.client import DockerDesktopClient

V0Callback = Callable[[Any, Any], Any]


def warn_deprecated(old: str, new: str) -> None:
    # stacklevel 3: past this helper and the wrapper, to the line that called the old name.
    warnings.warn(f"{old} is deprecated; use {new} instead", DeprecationWarning, stacklevel=3)


def split_legacy(command: Any, call: str, *, in_container: bool, as_argument: bool = False) -> list[str]:
    """Split a v0 command string into argv, or raise ``LegacyCommandError`` naming what needs a shell.

    ``as_argument``: the string followed a command word (the variadic arguments of
    ``execDockerCmd``), where ``label=a=b`` is a word, not a variable assignment.
    """
    # Imported here so the v1 API never depends on the shell analyser.
    from migrator.migration.shell import ShellCommandError, split_command

    if not isinstance(command, str):
        raise TypeError(f"{call} takes a command string, not {type(command).__name__}")
    try:
        argv = split_command("_ " + command)[1:] if as_argument else split_command(command)
    except ShellCommandError as err:
        advice = "run one exec per command, each with an argv list, and pass results on in Python"
        if in_container:
            advice += ", or run a script explicitly with exec('sh', ['-c', script]) in the backend container"
        raise LegacyCommandError(
            f"{call}({command!r}) needs a shell: {err}; {advice}", command=command
        ) from err
    if not argv and not as_argument:
        raise LegacyCommandError(f"{call}({command!r}) holds no command", command=command)
    return argv


def callback_stream(callback: V0Callback) -> StreamHandlers:
    """Stream handlers that call a v0 ``callback(data, error)`` with the v0 shapes."""
    if not callable(callback):
        raise TypeError(f"spawn callback must be callable, not {type(callback).__name__}")
    return StreamHandlers(
        on_output=lambda data: callback(data, None),
        on_error=lambda error: callback(None, error),
        on_close=lambda code: callback({"code": code}, None),
    )


class BackendV0:
    """``client.backend``: the deprecated v0 backend object; every method warns and delegates."""

    def __init__(self, client: DockerDesktopClient):
        self._client = client

    @property
    def _service(self) -> Any:
        return self._client.extension.vm.service

    def get(self, url: str) -> Any:
        """Deprecated: use ``client.extension.vm.service.get(url)``."""
        warn_deprecated("client.backend.get", "client.extension.vm.service.get")
        return self._service.get(url)

    def post(self, url: str, data: Any = None) -> Any:
        """Deprecated: use ``client.extension.vm.service.post(url, data)``."""
        warn_deprecated("client.backend.post", "client.extension.vm.service.post")
        return self._service.post(url, data)

    def put(self, url: str, data: Any = None) -> Any:
        """Deprecated: use ``client.extension.vm.service.put(url, data)``."""
        warn_deprecated("client.backend.put", "client.extension.vm.service.put")
        return self._service.put(url, data)

    def patch(self, url: str, data: Any = None) -> Any:
        """Deprecated: use ``client.extension.vm.service.patch(url, data)``."""
        warn_deprecated("client.backend.patch", "client.extension.vm.service.patch")
        return self._service.patch(url, data)

    def delete(self, url: str) -> Any:
        """Deprecated: use ``client.extension.vm.service.delete(url)``."""
        warn_deprecated("client.backend.delete", "client.extension.vm.service.delete")
        return self._service.delete(url)

    def head(self, url: str) -> Any:
        """Deprecated: use ``client.extension.vm.service.head(url)``."""
        warn_deprecated("client.backend.head", "client.extension.vm.service.head")
        return self._service.head(url)

    def request(self, config: Mapping[str, Any]) -> Any:
        """Deprecated: use ``client.extension.vm.service.request(config)``."""
        warn_deprecated("client.backend.request", "client.extension.vm.service.request")
        return self._service.request(config)

    def execInVMExtension(self, cmd: str) -> Any:  # noqa: N802 - the v0 name
        """Deprecated: use ``client.extension.vm.cli.exec(cmd, args)``."""
        warn_deprecated("client.backend.execInVMExtension", "client.extension.vm.cli.exec(cmd, args)")
        return self._exec_in_vm("execInVMExtension", cmd)

    def exec_in_vm_extension(self, cmd: str) -> Any:
        """Deprecated: use ``client.extension.vm.cli.exec(cmd, args)``."""
        warn_deprecated("client.backend.exec_in_vm_extension", "client.extension.vm.cli.exec(cmd, args)")
        return self._exec_in_vm("exec_in_vm_extension", cmd)

    def spawnInVMExtension(self, cmd: str, args: Sequence[str], callback: V0Callback) -> Any:  # noqa: N802
        """Deprecated: use ``client.extension.vm.cli.exec(cmd, args, stream=...)``; returns its handle."""
        warn_deprecated(
            "client.backend.spawnInVMExtension", "client.extension.vm.cli.exec(cmd, args, stream=...)"
        )
        return self._client.extension.vm.cli.exec(cmd, args, stream=callback_stream(callback))

    def spawn_in_vm_extension(self, cmd: str, args: Sequence[str], callback: V0Callback) -> Any:
        """Deprecated: use ``client.extension.vm.cli.exec(cmd, args, stream=...)``; returns its handle."""
        warn_deprecated(
            "client.backend.spawn_in_vm_extension", "client.extension.vm.cli.exec(cmd, args, stream=...)"
        )
        return self._client.extension.vm.cli.exec(cmd, args, stream=callback_stream(callback))

    def execInContainer(self, container: str, cmd: str) -> Any:  # noqa: N802 - the v0 name
        """Deprecated: use ``client.docker.cli.exec("exec", [container, cmd, *args])``."""
        warn_deprecated(
            "client.backend.execInContainer", 'client.docker.cli.exec("exec", [container, cmd, *args])'
        )
        return self._exec_in_container("execInContainer", container, cmd)

    def exec_in_container(self, container: str, cmd: str) -> Any:
        """Deprecated: use ``client.docker.cli.exec("exec", [container, cmd, *args])``."""
        warn_deprecated(
            "client.backend.exec_in_container", 'client.docker.cli.exec("exec", [container, cmd, *args])'
        )
        return self._exec_in_container("exec_in_container", container, cmd)

    def _exec_in_vm(self, name: str, cmd: str) -> Any:
        argv = split_legacy(cmd, f"backend.{name}", in_container=True)
        return self._client.extension.vm.cli.exec(argv[0], argv[1:])

    def _exec_in_container(self, name: str, container: str, cmd: str) -> Any:
        argv = split_legacy(cmd, f"backend.{name}", in_container=True)
        if not isinstance(container, str) or not container or container.startswith("-"):
            # A leading '-' would be read by docker exec as an option, not a container.
            raise ValueError(f"backend.{name} needs a container name or id, not {container!r}")
        return self._client.docker.cli.exec("exec", [container, *argv])
