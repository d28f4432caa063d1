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


def relative_under(path: str, root: str) -> str | None:
    """``path`` relative to the folder ``root`` with forward slashes, or None when it is not
    under ``root``. Both must be absolute and normalised (as discovery's paths and the
    configuration's root are): a prefix test then says what ``os.path.relpath`` would, at a
    fraction of its cost, which a tree of tens of thousands of files pays once per file."""
    if path == root:
        return "."
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix):]
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def absolute(path: str) -> str:
    """``os.path.abspath(path)``, without most of its cost for a path that is already normal
    (discovery yields such paths, relative to the current folder or absolute)."""
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    if os.sep != "/" or not _normal(path):
        return os.path.abspath(path)
    return path if path.startswith("/") else os.path.join(os.getcwd(), path)


def _normal(path: str) -> bool:
    """No `.` or `..` segment, no empty one, no trailing slash: what normpath would leave alone."""
    if not path or path.startswith(("./", "../", "//")) or path in (".", ".."):
        return False
    return ("/./" not in path and "/../" not in path and "//" not in path and not path.endswith(("/.", "/.."))
            and (path == "/" or not path.endswith("/")))
