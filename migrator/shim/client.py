"""``DockerDesktopClient``: the JS client's v1 API for Python, built from an extension's metadata.json."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrator.shim.commands import DEFAULT_TIMEOUT, ContainerLocator, DockerCli, HostCli, Runner, VmCli
from migrator.shim.docker import Docker
from migrator.shim.errors import ConfigurationError
from migrator.shim.legacy_client import LegacyClientMethods
from migrator.shim.metadata import (
    DEFAULT_SOCKET_DIR,
    IMAGE_PLACEHOLDER,
    ExtensionMetadata,
    current_platform,
    default_extensions_dir,
    extension_dir_name,
)
from migrator.shim.service import HttpService


@dataclass(frozen=True)
class ExtensionVM:
    """``extension.vm``: the backend's HTTP ``service`` and its ``cli``."""

    service: HttpService
    cli: VmCli


@dataclass(frozen=True)
class ExtensionHost:
    """``extension.host``: the ``cli`` that runs shipped host binaries."""

    cli: HostCli


@dataclass(frozen=True)
class Extension:
    """``extension``: the extension's ``vm`` and ``host`` parts, and its ``image`` when known."""

    vm: ExtensionVM
    host: ExtensionHost
    image: str | None = None


class DockerDesktopClient(LegacyClientMethods):
    """A Python client with the Docker Desktop extension API's v1 names.

    ``client.extension.vm.service.get("/items")`` calls the backend over its socket (or
    ``base_url``); ``client.extension.vm.cli.exec("ls", ["-l"])`` runs in the backend container;
    ``client.extension.host.cli.exec("kubectl", ["version"])`` runs a shipped host binary;
    ``client.docker.cli.exec("ps", ["-a"])`` runs the docker CLI. No call ever goes through a shell.

    Most code builds one with ``from_metadata``. Built directly: ``image`` is the extension's image
    (``backend_image``, if different, the one its backend container runs), ``host_binaries`` the
    file names allowed in ``host_dir``. ``timeout`` (seconds) is the default for every
    service call and every exec; ``stream_timeout`` for streamed execs (default: none).
    The deprecated v0 names (``client.backend``, ``execHostCmd``, ...) still work and warn.
    """

    def __init__(
        self,
        *,
        socket_path: str | os.PathLike[str] | None = None,
        base_url: str | None = None,
        container: str | None = None,
        image: str | None = None,
        backend_image: str | None = None,
        compose_project: str | None = None,
        host_dir: str | os.PathLike[str] | None = None,
        host_binaries: tuple[str, ...] | list[str] = (),
        platform: str | None = None,
        docker: str = "docker",
        timeout: float | None = DEFAULT_TIMEOUT,
        stream_timeout: float | None = None,
    ):
        runner = Runner(timeout=timeout, stream_timeout=stream_timeout, docker=docker)
        docker_cli = DockerCli(runner)
        locator = ContainerLocator(
            docker_cli, container=container, compose_project=compose_project, image=backend_image or image
        )
        service = HttpService(
            socket_path=os.fspath(socket_path) if socket_path is not None else None,
            base_url=base_url,
            timeout=timeout,
        )
        host = HostCli(
            runner, host_dir=host_dir, binaries=host_binaries, platform=platform or current_platform()
        )
        self.extension = Extension(
            vm=ExtensionVM(service, VmCli(runner, locator)), host=ExtensionHost(host), image=image
        )
        self.docker = Docker(docker_cli)

    @classmethod
    def from_metadata(
        cls,
        path: str | os.PathLike[str],
        *,
        socket_dir: str | os.PathLike[str] | None = None,
        base_url: str | None = None,
        host_dir: str | os.PathLike[str] | None = None,
        container: str | None = None,
        image: str | None = None,
        compose_project: str | None = None,
        extension_name: str | None = None,
        extensions_dir: str | os.PathLike[str] | None = None,
        platform: str | None = None,
        docker: str = "docker",
        timeout: float | None = DEFAULT_TIMEOUT,
        stream_timeout: float | None = None,
    ) -> DockerDesktopClient:
        """Build a client for the extension described by ``path`` (metadata.json or its folder).

        - service: the socket ``vm.exposes.socket`` in ``socket_dir`` (default ``/run/guest-services``),
          or ``base_url`` (``http://127.0.0.1:8080``) for a backend running locally in development.
        - backend container: ``container``, else found with ``docker ps`` by ``compose_project``
          label or by image: ``vm.image``, with ``${DESKTOP_PLUGIN_IMAGE}`` replaced by ``image``
          (the extension's own image, e.g. ``myorg/my-extension:1.0``).
        - host binaries: those listed in ``host.binaries`` for this platform, run from ``host_dir``,
          else from ``<extensions_dir>/<extension_name>/host`` (defaults: Docker Desktop's
          per-OS extensions folder, and the name derived from ``image``).
        """
        meta = ExtensionMetadata.load(path)
        platform = platform or current_platform()
        if meta.socket and base_url is None:
            socket_path: Path | None = Path(socket_dir or DEFAULT_SOCKET_DIR) / meta.socket
        else:
            socket_path = None
        return cls(
            socket_path=socket_path,
            base_url=base_url,
            container=container,
            image=image,
            backend_image=(_literal_image(meta.vm_image) or image) if meta.has_vm else None,
            compose_project=compose_project,
            host_dir=host_dir or _installed_host_dir(meta, image, extension_name, extensions_dir, platform),
            host_binaries=meta.binaries_for(platform),
            platform=platform,
            docker=docker,
            timeout=timeout,
            stream_timeout=stream_timeout,
        )

    def close(self) -> None:
        """Release the HTTP connection pool (running streamed processes are not affected)."""
        self.extension.vm.service.close()

    def __enter__(self) -> DockerDesktopClient:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


def _literal_image(vm_image: str | None) -> str | None:
    # The placeholder only means something to Docker Desktop; without image= there is no image.
    if vm_image is None or IMAGE_PLACEHOLDER.search(vm_image):
        return None
    return vm_image


def _installed_host_dir(
    meta: ExtensionMetadata, image: str | None, name: str | None, extensions_dir: Any, platform: str
) -> Path | None:
    if not meta.binaries_for(platform):
        return None
    name = name or (extension_dir_name(image) if image else None)
    if name is None:
        return None  # exec will say to pass host_dir= (or image= / extension_name=)
    if not name or "/" in name or "\\" in name or ".." in name:
        raise ConfigurationError(f"extension_name {name!r} must be a plain folder name")
    return Path(extensions_dir or default_extensions_dir(platform)) / name / "host"
