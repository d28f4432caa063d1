"""A Python client with the Docker Desktop extension API's names, for tests, CLIs and scripts.

    from migrator.shim import DockerDesktopClient

    client = DockerDesktopClient.from_metadata("metadata.json", image="myorg/my-extension:1.0")
    items = client.extension.vm.service.get("/items")
    result = client.extension.vm.cli.exec("ls", ["-l", "/data"])
    print(result.lines())

Only the standard library and httpx are needed. Nothing runs through a shell: every exec is an
argv list. The deprecated v0 names (``client.backend.get``, ``execHostCmd``, ...) still work and
emit a ``DeprecationWarning`` naming their replacement.
"""

from migrator.shim.client import DockerDesktopClient, Extension, ExtensionHost, ExtensionVM
from migrator.shim.commands import DEFAULT_TIMEOUT, DockerCli, HostCli, VmCli
from migrator.shim.docker import Docker
from migrator.shim.errors import (
    BinaryNotFoundError,
    CommandFailedError,
    ConfigurationError,
    ContainerNotFoundError,
    ExecError,
    ExecStartError,
    ExecTimeoutError,
    HostBinaryRefusedError,
    InvalidServiceURLError,
    LegacyCommandError,
    ProcessKilledError,
    ServiceError,
    ServiceTimeoutError,
    ServiceUnavailableError,
    ShimError,
    ShimTimeoutError,
)
from migrator.shim.legacy import BackendV0
from migrator.shim.metadata import ExtensionMetadata
from migrator.shim.result import ExecResult
from migrator.shim.service import HttpService
from migrator.shim.stream import ExecProcess, StreamHandlers

__all__ = [
    "DEFAULT_TIMEOUT",
    "BackendV0",
    "BinaryNotFoundError",
    "CommandFailedError",
    "ConfigurationError",
    "ContainerNotFoundError",
    "Docker",
    "DockerCli",
    "DockerDesktopClient",
    "ExecError",
    "ExecProcess",
    "ExecResult",
    "ExecStartError",
    "ExecTimeoutError",
    "Extension",
    "ExtensionHost",
    "ExtensionMetadata",
    "ExtensionVM",
    "HostBinaryRefusedError",
    "HostCli",
    "HttpService",
    "InvalidServiceURLError",
    "LegacyCommandError",
    "ProcessKilledError",
    "ServiceError",
    "ServiceTimeoutError",
    "ServiceUnavailableError",
    "ShimError",
    "ShimTimeoutError",
    "StreamHandlers",
    "VmCli",
]
