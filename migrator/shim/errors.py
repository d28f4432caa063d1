"""The shim's exceptions: one base class, one subclass per way a call can fail.

Each class also derives from the closest builtin (``TimeoutError``, ``ConnectionError``,
``FileNotFoundError``, ``ValueError``) so callers that already catch those keep working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrator.shim.result import ExecResult


class ShimError(Exception):
    """Base class of every error the shim raises on purpose."""


class ConfigurationError(ShimError, ValueError):
    """The client lacks what a call needs (no socket, no host folder, a malformed metadata.json)."""


class InvalidServiceURLError(ShimError, ValueError):
    """A service URL that is not a path on the backend (``/...``)."""


class ServiceError(ShimError):
    """The backend answered with an HTTP error status, like the JS client's ``ServiceError``.

    ``status_code`` is the HTTP status, ``body`` the response body (parsed as JSON when it is
    JSON, text otherwise), ``message`` a readable summary.
    """

    def __init__(self, message: str, *, status_code: int, body: Any, method: str, url: str):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.method = method
        self.url = url


class ServiceUnavailableError(ShimError, ConnectionError):
    """The backend cannot be reached: the socket is missing or dead, or the TCP port refuses."""


class ShimTimeoutError(ShimError, TimeoutError):
    """A call took longer than its timeout."""


class ServiceTimeoutError(ShimTimeoutError):
    """A service call took longer than its timeout."""


class HostBinaryRefusedError(ShimError, ValueError):
    """A host command that the shim will not run: not a plain listed name, or outside the host folder."""


class ExecStartError(ShimError, OSError):
    """A command could not be started at all (not executable, bad working directory, ...)."""


class BinaryNotFoundError(ExecStartError, FileNotFoundError):
    """The executable to run does not exist (a host binary, or ``docker`` on PATH)."""


class ContainerNotFoundError(ShimError, LookupError):
    """No single running backend container matches the extension."""


class LegacyCommandError(ShimError, ValueError):
    """A deprecated single-string command that cannot be turned into one argv without a shell.

    The original analyser error (chained command, expansion, syntax) is the ``__cause__``.
    """

    def __init__(self, message: str, *, command: str):
        super().__init__(message)
        self.command = command


class ExecError(ShimError):
    """A command ran but did not succeed; ``result`` holds what it printed."""

    def __init__(self, message: str, *, result: ExecResult):
        super().__init__(message)
        self.result = result

    @property
    def stdout(self) -> str:
        """Standard output of the failed command."""
        return self.result.stdout

    @property
    def stderr(self) -> str:
        """Standard error of the failed command."""
        return self.result.stderr

    @property
    def code(self) -> int | None:
        """Exit code of the failed command (None when it was killed by a signal)."""
        return self.result.code


class CommandFailedError(ExecError):
    """A command exited with a non-zero code (the JS client rejects its promise here too)."""


class ProcessKilledError(ExecError):
    """A command was killed by a signal it did not send itself."""


class ExecTimeoutError(ExecError, ShimTimeoutError):
    """A command ran longer than its timeout and was killed; ``result`` has its partial output."""
