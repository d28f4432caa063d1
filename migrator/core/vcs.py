"""What git says about the files ``fix`` would write: it refuses to rewrite uncommitted work.

A file counts as uncommitted when ``git status`` lists it: changes staged or not (relative to
HEAD), untracked, or ignored. In each of these cases git holds no copy of what the file says
now, so ``git diff`` could not show what ``fix`` did and ``git checkout`` could not undo it.
A file outside any git repository (or when git is not installed) is not checked.
"""

from __future__ import annotations

import os
import subprocess

# Paths per `git status` call: well under any command-line length limit.
CHUNK = 500


class DirtyFiles(Exception):
    """Files fixing would write that have uncommitted changes; nothing was written."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


def require_clean(paths: list[str]) -> None:
    """Raise :class:`DirtyFiles` naming those of ``paths`` that have uncommitted changes."""
    dirty = uncommitted(paths)
    if dirty:
        raise DirtyFiles(dirty)


def uncommitted(paths: list[str]) -> list[str]:
    """Those of ``paths`` (as given, in their order) that their git repository has no clean copy of."""
    by_root: dict[str, list[tuple[str, str]]] = {}
    roots: dict[str, str | None] = {}
    for path in paths:
        real = os.path.realpath(path)  # fixing writes through a symbolic link, to its target
        folder = os.path.dirname(real)
        if folder not in roots:
            roots[folder] = _toplevel(folder)
        root = roots[folder]
        if root is not None:
            by_root.setdefault(root, []).append((path, os.path.relpath(real, root).replace(os.sep, "/")))
    dirty: set[str] = set()
    for root, entries in by_root.items():
        listed = _status(root, [rel for _, rel in entries])
        folders = tuple(entry for entry in listed if entry.endswith("/"))  # everything in them
        dirty.update(path for path, rel in entries if rel in listed or rel.startswith(folders))
    return [path for path in paths if path in dirty]


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess | None:
    # Pathspecs are file names here, never patterns; and git must not ask for anything.
    env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, stdin=subprocess.DEVNULL)
    except OSError:  # no git on this machine
        return None


def _toplevel(folder: str) -> str | None:
    proc = _git(["rev-parse", "--show-toplevel"], folder)
    if proc is None or proc.returncode != 0:
        return None
    top = proc.stdout.decode("utf-8", "surrogateescape").rstrip("\n")
    return os.path.realpath(top) if top else None


def _status(root: str, rels: list[str]) -> set[str]:
    """The paths (relative to ``root``, with /) that ``git status`` lists among ``rels``."""
    listed: set[str] = set()
    for start in range(0, len(rels), CHUNK):
        proc = _git(["status", "--porcelain", "-z", "--untracked-files=all", "--ignored=traditional", "--no-renames",
                     "--", *rels[start:start + CHUNK]], root)
        if proc is None or proc.returncode != 0:
            # git is there but cannot say (a broken repository, say): do not guess it clean.
            return set(rels)
        for entry in proc.stdout.decode("utf-8", "surrogateescape").split("\0"):
            if len(entry) > 3:  # "XY path"
                listed.add(entry[3:])
    return listed
