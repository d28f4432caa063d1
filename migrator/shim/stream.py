"""Streamed exec: output is handed to callbacks as it arrives; the caller gets a handle to stop it."""

from __future__ import annotations

import codecs
import os
import signal
import subprocess
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from migrator.shim.errors import ExecTimeoutError
from migrator.shim.process import kill_group, make_result, show, start

# How long close() waits after SIGTERM before sending SIGKILL.
TERMINATE_GRACE_SECONDS = 2.0
_CHUNK = 65536
_HANDLER_KEYS = ("on_output", "on_error", "on_close", "split_output_lines")


@dataclass(frozen=True)
class StreamHandlers:
    """The callbacks of one streamed exec, like the JS client's ``ExecStreamOptions``.

    ``on_output(data)`` gets ``{"stdout": text}`` or ``{"stderr": text}``; ``on_error(error)`` gets
    an exception; ``on_close(exit_code)`` is called once, last, with the exit code (negative: the
    signal that ended the process). With ``split_output_lines``, ``on_output`` gets one line at a
    time, without its line end.
    """

    on_output: Callable[[dict[str, str]], Any] | None = None
    on_error: Callable[[BaseException], Any] | None = None
    on_close: Callable[[int], Any] | None = None
    split_output_lines: bool = False

    @classmethod
    def from_stream(cls, stream: Any) -> StreamHandlers:
        """Accept ``StreamHandlers``, a mapping with the handler keys, or an object with those attributes."""
        if isinstance(stream, StreamHandlers):
            return stream
        if isinstance(stream, Mapping):
            unknown = sorted(set(stream) - set(_HANDLER_KEYS))
            if unknown:
                # A typo (or the JS spelling onOutput) would otherwise silently drop all output.
                raise ValueError(
                    f"unknown stream option(s) {unknown}; expected some of {list(_HANDLER_KEYS)}"
                )
            values = dict(stream)
        else:
            values = {key: getattr(stream, key, None) for key in _HANDLER_KEYS}
        values["split_output_lines"] = bool(values.get("split_output_lines"))
        for key in _HANDLER_KEYS[:3]:
            if values.get(key) is not None and not callable(values[key]):
                raise TypeError(f"stream {key} must be callable, not {type(values[key]).__name__}")
        return cls(**values)


class ExecProcess:
    """A command started with ``stream=``: its output goes to the handlers; ``close()`` stops it."""

    def __init__(
        self,
        argv: Sequence[str],
        handlers: StreamHandlers,
        *,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ):
        self.argv = tuple(os.fspath(arg) for arg in argv)
        self._handlers = handlers
        self._timeout = timeout
        self._lock = threading.Lock()  # handlers are never called concurrently
        self._killed = False
        self._proc = start(argv, cwd=cwd, env=env)
        self._readers = [
            threading.Thread(target=self._pump, args=(self._proc.stdout, "stdout"), daemon=True),
            threading.Thread(target=self._pump, args=(self._proc.stderr, "stderr"), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self._waiter = threading.Thread(target=self._supervise, daemon=True)
        self._waiter.start()

    @property
    def pid(self) -> int:
        """Process id of the command."""
        return self._proc.pid

    @property
    def returncode(self) -> int | None:
        """Exit code once the command has finished and all output was delivered, else None."""
        return None if self._waiter.is_alive() else self._proc.returncode

    @property
    def killed(self) -> bool:
        """Whether the shim killed the command (``close()`` or the timeout)."""
        return self._killed

    def close(self) -> None:
        """Stop the command and what it started: SIGTERM now, SIGKILL if still running after a grace period.

        Returns at once; ``on_close`` follows when the process has ended. Closing twice is harmless.
        """
        if not self._waiter.is_alive():
            return
        self._killed = True
        if os.name == "posix":
            kill_group(self._proc, signal.SIGTERM)
            timer = threading.Timer(TERMINATE_GRACE_SECONDS, self._force_kill)
            timer.daemon = True
            timer.start()
        else:
            kill_group(self._proc)

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until ``on_close`` has run (or ``timeout`` seconds passed); return the exit code or None."""
        self._waiter.join(timeout)
        return self.returncode

    def __enter__(self) -> ExecProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _force_kill(self) -> None:
        if self._waiter.is_alive():
            kill_group(self._proc)

    def _supervise(self) -> None:
        try:
            self._proc.wait(timeout=self._timeout)
        except subprocess.TimeoutExpired:
            self._killed = True
            kill_group(self._proc)
            self._proc.wait()
            result = make_result(self.argv, self._proc.returncode, "", "", killed=True)
            self._report(
                ExecTimeoutError(
                    f"{show(self.argv)} did not finish within {self._timeout:g} s and was killed",
                    result=result,
                ),
            )
        # All output is delivered before on_close, so the exit code is always the last word.
        for reader in self._readers:
            reader.join()
        self._call("on_close", self._proc.returncode)

    def _pump(self, pipe: IO[bytes], name: str) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        with pipe:
            while chunk := pipe.read1(_CHUNK):
                pending = self._deliver(name, pending + decoder.decode(chunk))
            pending = self._deliver(name, pending + decoder.decode(b"", final=True))
        if pending:
            self._emit(name, pending.removesuffix("\r"))

    def _deliver(self, name: str, text: str) -> str:
        """Hand ``text`` on; with line splitting, keep back the unfinished last line and return it."""
        if not self._handlers.split_output_lines:
            if text:
                self._emit(name, text)
            return ""
        *lines, rest = text.split("\n")
        for line in lines:
            self._emit(name, line.removesuffix("\r"))
        return rest

    def _emit(self, name: str, text: str) -> None:
        try:
            self._call("on_output", {name: text})
        except Exception as error:  # noqa: BLE001 - a failing handler must not stop the reading
            # Stopping to read would fill the pipe and block the command forever.
            self._report(error)

    def _report(self, error: BaseException) -> None:
        try:
            if self._handlers.on_error is not None:
                self._call("on_error", error)
                return
        except Exception as second:  # noqa: BLE001
            error = second
        # Nobody to hand it to: print it the way an uncaught exception in a thread would be.
        traceback.print_exception(error)

    def _call(self, key: str, argument: Any) -> None:
        handler = getattr(self._handlers, key)
        if handler is None:
            return
        with self._lock:
            handler(argument)
