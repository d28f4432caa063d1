"""Finding a project's files from one of its sources: the nearest one above it."""

from __future__ import annotations

import os
from collections.abc import Callable


def find_up(start: str, name: str, accept: Callable[[str], bool] = os.path.exists) -> str | None:
    """The nearest ``name`` (a file name, or a relative path such as ``node_modules/.bin/tsc``)
    in the folder of ``start`` (``start`` itself when it is a folder) or any folder above it,
    of those ``accept`` takes; None when there is none."""
    start = os.path.abspath(start or ".")
    folder = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        candidate = os.path.join(folder, name)
        if accept(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
