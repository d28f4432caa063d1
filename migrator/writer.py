"""Writing a fixed file so that nothing is ever lost: whole or not at all, and never over news."""

from __future__ import annotations

import os
import stat
import tempfile


class WriteError(Exception):
    pass


def write_atomic(path: str, original: bytes, content: bytes) -> None:
    """Replace ``path`` with ``content`` if it still holds ``original``.

    The new bytes go to a temporary file in the same folder (same file system), are flushed to
    disk, take the old file's permission bits, and are renamed over the old file in one step;
    a crash leaves either the old or the new file, never a mix. The check for changes made by
    another program since the file was read happens right before the rename.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as exc:
        raise WriteError(f"cannot read file status: {exc.strerror or exc}") from None
    # Write bits cleared for everyone means "do not touch", even to root.
    if not os.access(path, os.W_OK) or not mode & 0o222:
        raise WriteError("is read-only; not fixed")
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
            if current.read() != original:
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
