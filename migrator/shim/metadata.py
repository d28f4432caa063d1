"""Reading an extension's ``metadata.json`` and finding where Docker Desktop installed its parts."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from migrator.shim.errors import ConfigurationError

PLATFORMS = ("darwin", "windows", "linux")
# Where the desktop app exposes backend sockets to the extension's UI (overridable: socket_dir).
DEFAULT_SOCKET_DIR = "/run/guest-services"
# vm.image is usually this placeholder, which Docker Desktop replaces with the extension's image.
IMAGE_PLACEHOLDER = re.compile(r"\$\{?DESKTOP_PLUGIN_IMAGE\}?")


def current_platform() -> str:
    """The ``host.binaries`` key for this machine: ``darwin``, ``windows`` or ``linux``."""
    if sys.platform == "darwin":
        return "darwin"
    if sys.platform in ("win32", "cygwin"):
        return "windows"
    return "linux"


def default_extensions_dir(platform: str) -> Path:
    """Where Docker Desktop unpacks installed extensions on ``platform`` (best knowledge; pass
    ``extensions_dir`` or ``host_dir`` to ``from_metadata`` when yours differs)."""
    home = Path.home()
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.docker.docker" / "Data" / "extensions"
    if platform == "windows":
        return Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "Docker" / "extensions"
    return home / ".docker" / "desktop" / "extensions"


def extension_dir_name(image: str) -> str:
    """The folder name Docker Desktop gives an extension: its image without tag or digest, ``/`` as ``_``."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:  # a tag, not a registry port (ports sit before a '/')
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    return name.replace("/", "_")


def plain_file_name(value: str) -> bool:
    """True for a single file name: no separator, no ``..``, no drive or stream colon, no NUL."""
    return bool(value) and value not in (".",) and not re.search(r"[/\\:\x00]|\.\.", value)


@dataclass(frozen=True)
class ExtensionMetadata:
    """The parts of ``metadata.json`` the shim uses."""

    path: Path
    socket: str | None = None
    vm_image: str | None = None
    composefile: str | None = None
    host_binaries: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def has_vm(self) -> bool:
        """Whether the extension has a backend (an image or a compose file)."""
        return bool(self.vm_image or self.composefile)

    def binaries_for(self, platform: str) -> tuple[str, ...]:
        """File names of the host binaries shipped for ``platform``."""
        return self.host_binaries.get(platform, ())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ExtensionMetadata:
        """Read ``path`` (a metadata.json, or its folder); ``ConfigurationError`` if malformed."""
        path = Path(path)
        if path.is_dir():
            path = path / "metadata.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise ConfigurationError(f"cannot read extension metadata {path}: {err.strerror or err}") from err
        except ValueError as err:
            raise ConfigurationError(f"extension metadata {path} is not valid JSON: {err}") from err
        if not isinstance(data, dict):
            raise ConfigurationError(f"extension metadata {path} must hold a JSON object")
        vm = _section(data, "vm", path)
        return cls(
            path=path,
            socket=_socket(vm, path),
            vm_image=_optional_str(vm, "image", path),
            composefile=_optional_str(vm, "composefile", path),
            host_binaries=_binaries(_section(data, "host", path), path),
        )


def _section(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigurationError(f"{path}: '{key}' must be an object")
    return value


def _optional_str(section: dict[str, Any], key: str, path: Path) -> str | None:
    value = section.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigurationError(f"{path}: 'vm.{key}' must be a string")
    return value or None


def _socket(vm: dict[str, Any], path: Path) -> str | None:
    exposes = vm.get("exposes") or {}
    socket = exposes.get("socket") if isinstance(exposes, dict) else None
    if socket is None:
        return None
    # The name is joined to the socket folder: a path here could point the client anywhere.
    if not isinstance(socket, str) or not plain_file_name(socket):
        raise ConfigurationError(f"{path}: 'vm.exposes.socket' must be a plain file name, got {socket!r}")
    return socket


def _binaries(host: dict[str, Any], path: Path) -> dict[str, tuple[str, ...]]:
    listed = host.get("binaries") or []
    # Docker's docs show a list of one object per platform; accept a single object as well.
    entries = [listed] if isinstance(listed, dict) else listed
    if not isinstance(entries, list):
        raise ConfigurationError(f"{path}: 'host.binaries' must be a list")
    found: dict[str, list[str]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise ConfigurationError(f"{path}: each 'host.binaries' entry must be an object")
        for platform, files in entry.items():
            if platform not in PLATFORMS or not isinstance(files, list):
                raise ConfigurationError(f"{path}: 'host.binaries' has unexpected entry {platform!r}")
            found.setdefault(platform, []).extend(_binary_name(item, path) for item in files)
    return {platform: tuple(names) for platform, names in found.items()}


def _binary_name(item: Any, path: Path) -> str:
    shipped = item.get("path") if isinstance(item, dict) else None
    if not isinstance(shipped, str) or not shipped.strip("/\\"):
        raise ConfigurationError(f"{path}: each host binary needs a 'path', got {item!r}")
    # Docker Desktop copies each listed file, by its file name, into the extension's host folder.
    return PurePosixPath(shipped.replace("\\", "/")).name
