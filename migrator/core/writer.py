"""Writing a fixed file so that nothing is ever lost: whole or not at all, and never over news."""

from __future__ import annotations

import os
import signal
import stat
import threading


class WriteError(Exception):
    pass


def write_atomic(path: str, original: bytes, content: bytes) -> None:
    """See ``_write_atomic``. Ctrl-C and SIGTERM wait until the file is whole or untouched:
    interrupted at the wrong moment (even inside ``tempfile``, between creating the file and
    returning its name) a write would leave its temporary file behind."""
    deferred = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return _write_atomic(path, original, content)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        return _write_atomic(path, original, content)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write_atomic(path: str, original: bytes, content: bytes) -> None:
    """Replace ``path`` with ``content`` if it still holds ``original``.

    The new bytes go to a temporary file in the same folder (same file system), are flushed to
    disk, take the old file's permission bits, and are renamed over the old file in one step;
    a crash leaves either the old or the new file, never a mix. The check for changes made by
    another program since the file was read happens right before the rename.
    """
    # Through a symbolic link, replace the file it points to: renaming over the link itself
    # would turn it into a copy and leave the real file unfixed.
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as exc:
        raise WriteError(f"cannot read file status: {exc.strerror or exc}") from None
    # Write bits cleared for everyone means "do not touch", even to root.
    if not os.access(path, os.W_OK) or not mode & 0o222:
        raise WriteError("is read-only; not fixed")
    import tempfile  # here: a check (or a pre-commit run with nothing to fix) writes nothing

    try:
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".ddmigrate-", suffix=".tmp", delete=False)
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file next to it: {exc.strerror or exc}") from None
    temp = handle.name
    try:
        with handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        with open(path, "rb") as current:
            on_disk = current.read()
        if on_disk == content:  # already fixed (the same file reached through a link, say)
            os.unlink(temp)
            return
        if on_disk != original:
            raise WriteError("changed on disk since it was read; not overwritten")
        os.replace(temp, path)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write: {exc.strerror or exc}") from None
        raise
