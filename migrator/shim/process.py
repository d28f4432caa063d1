"""Running one argv without a shell, to completion, with a timeout.

Every command gets its own process group (a new session on POSIX) so that stopping it also stops
what it started: killing only the direct child would leave a grandchild holding the output pipes
open, and reading them would then wait for the grandchild to finish.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
from collections.abc import Mapping, Sequence

from migrator.shim.errors import (
    BinaryNotFoundError,
    CommandFailedError,
    ExecStartError,
    ExecTimeoutError,
    ProcessKilledError,
)
from migrator.shim.result import ExecResult

# After a kill, how long to keep reading output before giving up on a pipe that a process outside
# the group still holds open.
DRAIN_SECONDS = 2.0


def show(argv: Sequence[str]) -> str:
    """An argv as a readable, unambiguous string for messages (never executed)."""
    return shlex.join(argv)


def start(
    argv: Sequence[str], *, cwd: str | os.PathLike[str] | None, env: Mapping[str, str] | None
) -> subprocess.Popen[bytes]:
    """Start ``argv`` with captured output and no input, in a process group of its own."""
    argv = [os.fspath(arg) for arg in argv]
    options: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    if os.name == "posix":
        options["start_new_session"] = True
    else:
        options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    try:
        return subprocess.Popen(argv, cwd=cwd, env=_environment(env), **options)
    except FileNotFoundError as err:
        if cwd is not None and err.filename is not None and os.fspath(err.filename) == os.fspath(cwd):
            raise ExecStartError(f"cannot run {show(argv)}: working directory {cwd} does not exist") from err
        where = "" if os.sep in argv[0] or (os.altsep and os.altsep in argv[0]) else " on PATH"
        raise BinaryNotFoundError(
            f"cannot run {show(argv)}: executable {argv[0]!r} not found{where}"
        ) from err
    except OSError as err:
        raise ExecStartError(f"cannot run {show(argv)}: {err.strerror or err}") from err


def _environment(env: Mapping[str, str] | None) -> dict[str, str] | None:
    # Extra variables are added to the inherited environment: replacing it would drop PATH and
    # HOME, which the docker CLI and most binaries need.
    if env is None:
        return None
    return {**os.environ, **{str(key): str(value) for key, value in env.items()}}


def kill_group(proc: subprocess.Popen[bytes], sig: int | None = None) -> None:
    """Send ``sig`` (default SIGKILL) to the process and everything in its group."""
    try:
        if os.name == "posix":
            # The group outlives its leader while a grandchild is in it, so signal it even when
            # the direct child has already exited.
            os.killpg(proc.pid, signal.SIGKILL if sig is None else sig)
        elif proc.poll() is None:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass  # already gone (a reaped group can be reported either way)


def run(
    argv: Sequence[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    check: bool = True,
) -> ExecResult:
    """Run ``argv`` to completion and return its output.

    Raises ``ExecTimeoutError`` after ``timeout`` seconds (the process group is killed), and, when
    ``check`` is true, ``CommandFailedError`` on a non-zero exit or ``ProcessKilledError`` when a
    signal ended it.
    """
    proc = start(argv, cwd=cwd, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        out, err = _drain(proc)
        result = make_result(argv, proc.wait(), out, err, killed=True)
        raise ExecTimeoutError(
            f"{show(argv)} did not finish within {timeout:g} s and was killed", result=result
        ) from None
    except BaseException:
        # KeyboardInterrupt and friends: do not leave an orphaned group running.
        kill_group(proc)
        proc.wait()
        raise
    result = make_result(argv, proc.returncode, out, err, killed=False)
    if check:
        raise_for_status(result)
    return result


def _drain(proc: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    try:
        return proc.communicate(timeout=DRAIN_SECONDS)
    except subprocess.TimeoutExpired:
        return b"", b""


def make_result(
    argv: Sequence[str], returncode: int, out: bytes | str, err: bytes | str, *, killed: bool
) -> ExecResult:
    """Build an ``ExecResult``; a negative return code means a signal ended the process (POSIX)."""
    signame = None
    code: int | None = returncode
    if returncode < 0:
        code = None
        try:
            signame = signal.Signals(-returncode).name
        except ValueError:
            signame = str(-returncode)
    return ExecResult(
        cmd=tuple(os.fspath(arg) for arg in argv),
        stdout=_text(out),
        stderr=_text(err),
        code=code,
        killed=killed,
        signal=signame,
    )


def _text(data: bytes | str) -> str:
    return data if isinstance(data, str) else data.decode("utf-8", errors="replace")


def raise_for_status(result: ExecResult) -> None:
    """Raise ``ProcessKilledError`` or ``CommandFailedError`` unless the command exited with 0."""
    if result.signal is not None:
        raise ProcessKilledError(f"{show(result.cmd)} was killed by {result.signal}", result=result)
    if result.code != 0:
        detail = result.stderr.strip().splitlines()[-1:] or [""]
        raise CommandFailedError(
            f"{show(result.cmd)} exited with code {result.code}" + (f": {detail[0]}" if detail[0] else ""),
            result=result,
        )
