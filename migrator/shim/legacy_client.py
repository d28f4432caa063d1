"""The deprecated v0 methods that sat on the client itself: host and docker commands, listings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from migrator.shim.legacy import BackendV0, V0Callback, callback_stream, split_legacy, warn_deprecated


class LegacyClientMethods:
    """Mixed into ``DockerDesktopClient``: each v0 name warns, then calls its v1 replacement."""

    extension: Any
    docker: Any

    @property
    def backend(self) -> BackendV0:
        """Deprecated v0 backend object; its methods warn. Use ``client.extension.vm`` instead."""
        # Reading the attribute does not warn: only calls do, so each call warns exactly once.
        return BackendV0(self)  # type: ignore[arg-type]

    def execHostCmd(self, cmd: str) -> Any:  # noqa: N802 - the v0 name
        """Deprecated: use ``client.extension.host.cli.exec(cmd, args)``."""
        warn_deprecated("client.execHostCmd", "client.extension.host.cli.exec(cmd, args)")
        return self._exec_host("execHostCmd", cmd)

    def exec_host_cmd(self, cmd: str) -> Any:
        """Deprecated: use ``client.extension.host.cli.exec(cmd, args)``."""
        warn_deprecated("client.exec_host_cmd", "client.extension.host.cli.exec(cmd, args)")
        return self._exec_host("exec_host_cmd", cmd)

    def spawnHostCmd(self, cmd: str, args: Sequence[str], callback: V0Callback) -> Any:  # noqa: N802
        """Deprecated: use ``client.extension.host.cli.exec(cmd, args, stream=...)``; returns its handle."""
        warn_deprecated("client.spawnHostCmd", "client.extension.host.cli.exec(cmd, args, stream=...)")
        return self.extension.host.cli.exec(cmd, args, stream=callback_stream(callback))

    def spawn_host_cmd(self, cmd: str, args: Sequence[str], callback: V0Callback) -> Any:
        """Deprecated: use ``client.extension.host.cli.exec(cmd, args, stream=...)``; returns its handle."""
        warn_deprecated("client.spawn_host_cmd", "client.extension.host.cli.exec(cmd, args, stream=...)")
        return self.extension.host.cli.exec(cmd, args, stream=callback_stream(callback))

    def execDockerCmd(self, cmd: str, *args: str) -> Any:  # noqa: N802 - the v0 name
        """Deprecated: use ``client.docker.cli.exec(cmd, [args...])``."""
        warn_deprecated("client.execDockerCmd", "client.docker.cli.exec(cmd, [args...])")
        return self._exec_docker("execDockerCmd", cmd, args)

    def exec_docker_cmd(self, cmd: str, *args: str) -> Any:
        """Deprecated: use ``client.docker.cli.exec(cmd, [args...])``."""
        warn_deprecated("client.exec_docker_cmd", "client.docker.cli.exec(cmd, [args...])")
        return self._exec_docker("exec_docker_cmd", cmd, args)

    def spawnDockerCmd(self, cmd: str, args: Sequence[str], callback: V0Callback) -> Any:  # noqa: N802
        """Deprecated: use ``client.docker.cli.exec(cmd, args, stream=...)``; returns its handle."""
        warn_deprecated("client.spawnDockerCmd", "client.docker.cli.exec(cmd, args, stream=...)")
        return self.docker.cli.exec(cmd, args, stream=callback_stream(callback))

    def spawn_docker_cmd(self, cmd: str, args: Sequence[str], callback: V0Callback) -> Any:
        """Deprecated: use ``client.docker.cli.exec(cmd, args, stream=...)``; returns its handle."""
        warn_deprecated("client.spawn_docker_cmd", "client.docker.cli.exec(cmd, args, stream=...)")
        return self.docker.cli.exec(cmd, args, stream=callback_stream(callback))

    def listContainers(self, options: Mapping[str, Any] | None = None) -> list[dict]:  # noqa: N802
        """Deprecated: use ``client.docker.list_containers(options)``."""
        warn_deprecated("client.listContainers", "client.docker.list_containers")
        return self.docker.list_containers(options)

    def listImages(self, options: Mapping[str, Any] | None = None) -> list[dict]:  # noqa: N802
        """Deprecated: use ``client.docker.list_images(options)``."""
        warn_deprecated("client.listImages", "client.docker.list_images")
        return self.docker.list_images(options)

    def _exec_host(self, name: str, cmd: str) -> Any:
        # in_container=False: never suggest "sh -c" for the host, which may be Windows.
        argv = split_legacy(cmd, name, in_container=False)
        return self.extension.host.cli.exec(argv[0], argv[1:])

    def _exec_docker(self, name: str, cmd: str, args: tuple[str, ...]) -> Any:
        # v0 handed the command and each argument to a shell: split every one of them.
        argv = split_legacy(cmd, name, in_container=False)
        for arg in args:
            argv += split_legacy(arg, name, in_container=False, as_argument=True)
        return self.docker.cli.exec(argv[0], argv[1:])
