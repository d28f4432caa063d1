"""The marker line that names a file ``ddmigrate shim`` wrote, readable without importing the installer.

The header of every shim file holds one line
``// @ddmigrate-shim version=<ddmigrate version> lang=<ts|js> sha256=<digest of the module below>``
(see :func:`migrator.shim_js.install.render`). ``check`` and ``fix`` look for it in the first
:data:`HEAD_BYTES` bytes of each file they read and skip such a file: the shim calls the
deprecated API on purpose, and a rewritten shim would no longer be updated by ``ddmigrate shim``.
"""

from __future__ import annotations

import re

MARKER = "@ddmigrate-shim"
# The header is five short lines (the marker ends around byte 420); a few hundred bytes more
# leave room for a longer version string or a line added above it.
HEAD_BYTES = 768
_MARKER_BYTES = MARKER.encode()
_HEAD_MARKER = re.compile(rb"(?:^|\n)// " + re.escape(MARKER.encode()) + rb" version=\S+ lang=(?:ts|js) ")


def is_shim(raw: bytes) -> bool:
    """Whether ``raw`` (a file's bytes, or just its first :data:`HEAD_BYTES`) starts with a shim header."""
    # A plain search first: every file read is asked, and almost none is a shim.
    return raw.find(_MARKER_BYTES, 0, HEAD_BYTES) >= 0 and _HEAD_MARKER.search(raw, 0, HEAD_BYTES) is not None
