"""The three ``cli.exec`` flavours: the docker CLI, the backend container, and shipped host binaries."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.shim.errors import (
    BinaryNotFoundError,
    ConfigurationError,
    ContainerNotFoundError,
    HostBinaryRefusedError,
)
from migrator.shim.metadata import plain_file_name
from migrator.shim.process import run
from migrator.shim.result import ExecResult
from migrator.shim.stream import ExecProcess, StreamHandlers

DEFAULT_TIMEOUT = 60.0


@dataclass
class Runner:
    """Runs argv lists with the client's defaults: ``timeout`` for plain calls, ``stream_timeout``
    for streamed ones. Streams default to no limit: they are meant for long-running output
    (``logs -f``) and have ``close()``.
    """

    timeout: float | None = DEFAULT_TIMEOUT
    stream_timeout: float | None = None
    docker: str = "docker"

    def exec(
        self, argv: list[str], *, stream: Any, cwd: Any, env: Any, timeout: float | None, check: bool
    ) -> Any:
        """Run ``argv`` to completion, or start it streamed when ``stream`` is given."""
        if stream is not None:
            handlers = StreamHandlers.from_stream(stream)
            limit = self.stream_timeout if timeout is None else timeout
            return ExecProcess(argv, handlers, cwd=cwd, env=env, timeout=limit)
        return run(argv, cwd=cwd, env=env, timeout=self.timeout if timeout is None else timeout, check=check)


def argv_of(cmd: Any, args: Any) -> list[str]:
    """Check ``cmd`` and ``args`` and return them as one argv list; nothing is split or expanded."""
    if not isinstance(cmd, str) or not cmd:
        raise TypeError(f"exec command must be a non-empty string, not {cmd!r}")
    # A lone string would be iterated character by character: refuse it outright.
    if isinstance(args, str | bytes) or not isinstance(args, Sequence):
        raise TypeError(f"exec args must be a list of strings, not {type(args).__name__}: {args!r}")
    argv = [cmd]
    for arg in args:
        if not isinstance(arg, str | os.PathLike):
            raise TypeError(f"exec argument {arg!r} must be a string")
        argv.append(os.fspath(arg))
    return argv


class DockerCli:
    """``docker.cli``: run the ``docker`` executable found on PATH."""

    def __init__(self, runner: Runner):
        self._runner = runner

    def exec(
        self,
        cmd: str,
        args: Sequence[str] = (),
        *,
        stream: Any = None,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
        check: bool = True,
    ) -> ExecResult | ExecProcess:
        """Run ``docker <cmd> <args...>``; with ``stream=`` return an ``ExecProcess`` instead of waiting."""
        argv = [self._runner.docker, *argv_of(cmd, args)]
        return self._runner.exec(argv, stream=stream, cwd=cwd, env=env, timeout=timeout, check=check)


class ContainerLocator:
    """Finds the extension's backend container: given, or by compose project label, or by image."""

    def __init__(
        self, docker: DockerCli, *, container: str | None, compose_project: str | None, image: str | None
    ):
        self._docker = docker
        self.container = container
        self.compose_project = compose_project
        self.image = image

    def find(self, timeout: float | None = None) -> str:
        """The container id or name to ``docker exec`` into; looked up on every call, so restarts are seen."""
        if self.container:
            return self.container
        if self.compose_project:
            wanted = f"label=com.docker.compose.project={self.compose_project}"
        elif self.image:
            wanted = f"ancestor={self.image}"
        else:
            raise ConfigurationError(
                "cannot find the backend container: pass container=, "
                "or image= / compose_project= to identify it"
            )
        listing = self._docker.exec("ps", ["--filter", wanted, "--format", "{{.ID}}"], timeout=timeout)
        ids = listing.lines()
        if len(ids) != 1:
            found = "no running container" if not ids else f"{len(ids)} running containers ({', '.join(ids)})"
            raise ContainerNotFoundError(f"{found} match --filter {wanted}; pass container= to choose one")
        return ids[0]


class VmCli:
    """``extension.vm.cli``: run a command in the backend container with ``docker exec``."""

    def __init__(self, runner: Runner, locator: ContainerLocator):
        self._runner = runner
        self._locator = locator

    def exec(
        self,
        cmd: str,
        args: Sequence[str] = (),
        *,
        stream: Any = None,
        cwd: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
        check: bool = True,
    ) -> ExecResult | ExecProcess:
        """Run ``cmd args...`` in the backend container; ``cwd`` and ``env`` apply inside the container."""
        command = argv_of(cmd, args)
        options: list[str] = []
        if cwd is not None:
            options += ["--workdir", os.fspath(cwd)]
        for key, value in (env or {}).items():
            if not key or "=" in key:
                raise ValueError(f"environment variable name {key!r} is not valid")
            options += ["--env", f"{key}={value}"]
        container = self._locator.find(timeout)
        argv = [self._runner.docker, "exec", *options, container, *command]
        return self._runner.exec(argv, stream=stream, cwd=None, env=None, timeout=timeout, check=check)


class HostCli:
    """``extension.host.cli``: run a binary the extension ships in its host folder, nothing else."""

    def __init__(
        self,
        runner: Runner,
        *,
        host_dir: str | os.PathLike[str] | None,
        binaries: Sequence[str],
        platform: str,
    ):
        self._runner = runner
        self.host_dir = Path(host_dir) if host_dir is not None else None
        self.binaries = tuple(binaries)
        self.platform = platform

    def exec(
        self,
        cmd: str,
        args: Sequence[str] = (),
        *,
        stream: Any = None,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
        check: bool = True,
    ) -> ExecResult | ExecProcess:
        """Run the shipped binary ``cmd`` with ``args``; refuses anything but a listed plain name."""
        argv = argv_of(cmd, args)
        argv[0] = self.resolve(cmd)
        return self._runner.exec(argv, stream=stream, cwd=cwd, env=env, timeout=timeout, check=check)

    def resolve(self, name: str) -> str:
        """The absolute path of binary ``name``, after every check; raises before anything runs."""
        if not plain_file_name(name):
            raise HostBinaryRefusedError(
                f"host binary {name!r} refused: give the plain file name of a shipped binary "
                "(no path separator, '..' or ':')"
            )
        file_name = self._listed_name(name)
        if self.platform == "windows" and file_name.lower().endswith((".bat", ".cmd")):
            # Windows hands batch files to cmd.exe, which re-parses the arguments: a shell.
            raise HostBinaryRefusedError(
                f"host binary {name!r} refused: Windows runs {file_name} through cmd.exe, a shell"
            )
        if self.host_dir is None:
            raise ConfigurationError(f"cannot run host binary {name!r}: no host folder (pass host_dir=)")
        root = self.host_dir.resolve()
        target = (root / file_name).resolve()
        if not target.is_relative_to(root):
            raise HostBinaryRefusedError(
                f"host binary {name!r} refused: it resolves to {target}, outside {root}"
            )
        if not target.is_file():
            raise BinaryNotFoundError(f"host binary {name!r} not found: {root / file_name} does not exist")
        return str(target)

    def _listed_name(self, name: str) -> str:
        # Windows runs "kubectl" as the shipped "kubectl.exe", as Docker Desktop does.
        candidates = [name, f"{name}.exe"] if self.platform == "windows" else [name]
        for candidate in candidates:
            if candidate in self.binaries:
                return candidate
        listed = ", ".join(self.binaries) or "none"
        raise HostBinaryRefusedError(
            f"host binary {name!r} refused: not listed in host.binaries for {self.platform} "
            f"(listed: {listed})"
        )
