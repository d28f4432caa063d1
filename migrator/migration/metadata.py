"""The extension a source file belongs to, as its `metadata.json` and compose file describe it.

Found by walking up from the file's folder to the nearest `metadata.json` (the same file the
Python shim reads). Everything here is best effort and silent: a missing or unreadable
`metadata.json`, compose file or section gives ``None`` or an empty answer, never an error,
so the rules that ask stay quiet where they cannot know.

- ``host.binaries``: which programs the extension ships for which platform (`darwin`,
  `windows`, `linux`; on Windows a `.exe` or `.cmd` suffix is the same program);
- ``vm.exposes.socket``: whether the backend serves HTTP (`extension.vm.service` needs it);
- ``vm.composefile``: which container is the extension's own backend (a service's
  `container_name`, or the service name when it sets none);
- the Dockerfile of the backend image, where `extension.vm.cli.exec` runs: the first
  service's `build:` in the compose file (Docker Desktop runs VM execs in the first
  container), else `Dockerfile` next to `metadata.json` for `vm.image` or a service whose
  image is `${DESKTOP_PLUGIN_IMAGE}` (``migrator.migration.dockerfile`` reads it).

`host-binaries-installed` in the configuration lists programs the project knows are
installed by other means: the configuration found from the file upward, or the one the
command line names (`--config`), or none (`--isolated`): see ``use_configuration``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from migrator.core.paths import find_up

if TYPE_CHECKING:
    from migrator.migration.dockerfile import Image

PLATFORMS = ("darwin", "windows", "linux")
WINDOWS_SUFFIXES = (".exe", ".cmd")
METADATA = "metadata.json"


@dataclass(frozen=True)
class Extension:
    """What `metadata.json` (and the compose file it names) say about the extension."""

    folder: str
    metadata: dict
    # platform -> program names shipped for it; None when there is no `host.binaries` list.
    binaries: dict[str, frozenset[str]] | None
    compose: str | None  # the compose file's name as metadata.json writes it, when it was read
    containers: dict[str, str] = field(default_factory=dict)  # container name -> why it is the backend's
    installed: frozenset[str] = frozenset()  # `host-binaries-installed` of the configuration
    # The Dockerfile that builds the backend image VM execs run in, when it can be named (it
    # may not exist), and its build target (the compose file's `build.target`; else the last stage).
    dockerfile: str | None = None
    dockerfile_target: str | None = None

    @property
    def socket(self) -> str | None:
        vm = self.metadata.get("vm")
        exposes = vm.get("exposes") if isinstance(vm, dict) else None
        socket = exposes.get("socket") if isinstance(exposes, dict) else None
        return socket if isinstance(socket, str) and socket else None

    @property
    def has_vm(self) -> bool:
        return isinstance(self.metadata.get("vm"), dict)

    @property
    def declares_vm(self) -> bool:
        """Whether `vm` names an image or a compose file: Docker Desktop then starts the
        backend with the extension, so `extension.vm` is there at run time."""
        vm = self.metadata.get("vm")
        return isinstance(vm, dict) and any(isinstance(vm.get(key), str) and vm.get(key).strip()
                                            for key in ("image", "composefile"))

    @property
    def image_only(self) -> bool:
        vm = self.metadata.get("vm")
        return isinstance(vm, dict) and "image" in vm and "composefile" not in vm

    def unshipped(self, program: str) -> list[str]:
        """The platforms the extension ships for which ``program`` is not shipped (all three
        when there is no `host.binaries` at all); empty when the configuration says it is
        installed otherwise."""
        base = _basename(program)
        if program in self.installed or base in self.installed:
            return []
        binaries = self.binaries or {}
        platforms = [p for p in PLATFORMS if p in binaries] or list(PLATFORMS)
        return [p for p in platforms if _program_name(base, p) not in binaries.get(p, frozenset())]

    def backend_container(self, name: str) -> str | None:
        """Why the container ``name`` is this extension's own backend, or None."""
        return self.containers.get(name)

    def backend_image(self) -> Image | None:
        """The backend image as its Dockerfile builds it (read by the file's own stamp); None
        when no Dockerfile is named, or it is missing or unreadable."""
        from migrator.migration import dockerfile as dockerfile_module  # only for an extension with a Dockerfile

        return dockerfile_module.read(self.dockerfile, _stat(self.dockerfile), self.dockerfile_target) if self.dockerfile else None


def _basename(path: str) -> str:
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _program_name(name: str, platform: str) -> str:
    if platform == "windows":
        lowered = name.lower()
        for suffix in WINDOWS_SUFFIXES:
            if lowered.endswith(suffix):
                return lowered[: -len(suffix)]
        return lowered
    return name


def find(path: str) -> Extension | None:
    """The extension the source file ``path`` belongs to, or None."""
    folder = os.path.dirname(os.path.abspath(path or "."))
    metadata = _nearest(folder)
    if metadata is None:
        return None
    return _load(metadata, _stat(metadata), *_compose_and_config(metadata, folder))


def stamp(path: str) -> str:
    """What the findings of ``path`` depend on besides its own text (for the cache)."""
    folder = os.path.dirname(os.path.abspath(path or "."))
    metadata = _nearest(folder)
    if metadata is None:
        return ""
    compose, compose_stamp, config, _ = _compose_and_config(metadata, folder)
    image, _ = _backend_dockerfile(metadata, _stat(metadata), compose, compose_stamp)
    return "".join(f";{p}:{_stat(p)}" for p in (metadata, compose, config, image) if p)


def _stat(path: str | None) -> str:
    try:
        info = os.stat(path) if path else None
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}" if info else ""


# Which configuration file lists `host-binaries-installed`: None finds it from each file
# upward; a path is the one `--config` named; "" is none at all (`--isolated`).
_configured: str | None = None


def use_configuration(path: str | None, isolated: bool = False) -> None:
    """What the command line says about the configuration, for the rest of the run (and the
    worker processes it starts: ``migrator.core.runner`` hands it on)."""
    global _configured
    _configured = "" if isolated else (os.path.abspath(path) if path else None)


def configured() -> str | None:
    return _configured


def _nearest(folder: str) -> str | None:
    return find_up(folder, METADATA, os.path.isfile)


def _compose_and_config(metadata: str, folder: str) -> tuple[str | None, str, str | None, str]:
    data = _read_json(metadata, _stat(metadata))
    vm = data.get("vm") if isinstance(data, dict) else None
    name = vm.get("composefile") if isinstance(vm, dict) else None
    compose = os.path.join(os.path.dirname(metadata), name) if isinstance(name, str) and name else None
    from migrator.core import config as config_module

    config = config_module.find(folder) if _configured is None else (_configured or None)
    return compose, _stat(compose), config, _stat(config)


@lru_cache(maxsize=64)
def _read_json(path: str, _stamp: str):
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=64)
def _load(metadata: str, _stamp: str, compose: str | None, compose_stamp: str, config: str | None,
          config_stamp: str) -> Extension | None:
    data = _read_json(metadata, _stamp)
    if not isinstance(data, dict):
        return None
    vm = data.get("vm") if isinstance(data.get("vm"), dict) else {}
    containers = _containers(compose, compose_stamp) if compose else {}
    shown = vm.get("composefile") if compose else None
    image, target = _backend_dockerfile(metadata, _stamp, compose, compose_stamp)
    return Extension(folder=os.path.dirname(metadata), metadata=data, binaries=_binaries(data), compose=shown,
                     containers={k: v.replace("{compose}", f"`{shown}`") for k, v in containers.items()},
                     installed=_installed(config, config_stamp), dockerfile=image, dockerfile_target=target)


@lru_cache(maxsize=64)
def _backend_dockerfile(metadata: str, _stamp: str, compose: str | None, compose_stamp: str) -> tuple[str | None, str | None]:
    """``(Dockerfile, build target)`` of the backend image, or ``(None, None)`` when it cannot
    be named: no `vm`, an unreadable compose file, a first service built elsewhere (a URL,
    `dockerfile_inline`, a variable) or running another image."""
    data = _read_json(metadata, _stamp)
    vm = data.get("vm") if isinstance(data, dict) else None
    if not isinstance(vm, dict):
        return None, None
    root = os.path.join(os.path.dirname(metadata), "Dockerfile")
    if not compose:
        return (root, None) if "image" in vm else (None, None)
    services = _read_yaml(compose, compose_stamp)
    services = services.get("services") if isinstance(services, dict) else None
    first = next(iter(services.values()), None) if isinstance(services, dict) else None
    if not isinstance(first, dict):
        return None, None
    build = first.get("build")
    if build is None:
        image = first.get("image")
        return (root, None) if isinstance(image, str) and "DESKTOP_PLUGIN_IMAGE" in image else (None, None)
    if isinstance(build, str):
        build = {"context": build}
    if not isinstance(build, dict) or "dockerfile_inline" in build:
        return None, None
    context, name, target = build.get("context", "."), build.get("dockerfile", "Dockerfile"), build.get("target")
    if not (isinstance(context, str) and isinstance(name, str) and (target is None or isinstance(target, str))):
        return None, None
    if any("$" in part or "://" in part or part.startswith("git@") for part in (context, name, target or "")):
        return None, None
    return os.path.normpath(os.path.join(os.path.dirname(compose), context, name)), target


def _binaries(data: dict) -> dict[str, frozenset[str]] | None:
    host = data.get("host")
    entries = host.get("binaries") if isinstance(host, dict) else None
    if not isinstance(entries, list):
        return None
    shipped: dict[str, set[str]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        for platform, items in entry.items():
            if platform not in PLATFORMS or not isinstance(items, list):
                continue
            names = shipped.setdefault(platform, set())
            for item in items:
                path = item.get("path") if isinstance(item, dict) else None
                if isinstance(path, str) and path:
                    names.add(_program_name(_basename(path), platform))
    return {p: frozenset(n) for p, n in shipped.items()}


@lru_cache(maxsize=64)
def _read_yaml(path: str, _stamp: str):
    try:
        import yaml

        with open(path, encoding="utf-8-sig") as handle:
            return yaml.safe_load(handle)
    except Exception:  # missing, unreadable or not YAML: nothing is known
        return None


def _containers(compose: str, _stamp: str) -> dict[str, str]:
    """Container names of the compose file's services: `container_name`, else the service name."""
    data = _read_yaml(compose, _stamp)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return {}
    found = {}
    for service, spec in services.items():
        name = spec.get("container_name") if isinstance(spec, dict) else None
        if isinstance(name, str) and name:
            found[name] = f"the `container_name` of service `{service}` in {{compose}}"
        else:
            found[str(service)] = f"service `{service}` in {{compose}}, which sets no `container_name`"
    return found


def _installed(config: str | None, _stamp: str) -> frozenset[str]:
    from migrator.core import config as config_module

    try:
        return frozenset(config_module.load(config).host_binaries_installed)
    except config_module.ConfigError:
        return frozenset()
