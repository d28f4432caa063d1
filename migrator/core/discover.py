"""Which files a run looks at: walk the given paths, honouring .gitignore and the usual skips."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from migrator.core.languages import EXTENSIONS, MARKDOWN_EXTENSIONS
from migrator.core.model import FileError
from migrator.core.paths import absolute, relative_under

# Folders that hold generated or third-party code, never the extension's own sources.
SKIPPED_DIRS = frozenset({
    "node_modules", "dist", "build", ".git", ".hg", ".svn", ".ddmigrate_cache", "__pycache__",
    # Python environments and caches: installed packages (ddmigrate's own shim among them) are
    # not the project's code, and outside git no .gitignore says so.
    ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
})


@dataclass(frozen=True)
class Candidate:
    path: str  # as shown to the user
    explicit: bool  # named on the command line (linted whatever its folder, unless force_exclude)


class _Ignores:
    """The .gitignore files in force for one folder, nearest last."""

    def __init__(self, specs: tuple = ()) -> None:
        self.specs = specs  # (base folder, GitIgnoreSpec)

    def with_folder(self, folder: str) -> _Ignores:
        spec = _load(os.path.join(folder, ".gitignore"))
        return _Ignores(self.specs + ((folder, spec),)) if spec is not None else self

    def ignored(self, path: str, is_dir: bool) -> bool:
        for base, spec in reversed(self.specs):
            rel = _relative(path, base)
            if rel is None:
                continue
            result = spec.check_file(rel + "/" if is_dir else rel)
            if result.include is not None:
                return bool(result.include)
        return False


def _relative(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` (forward slashes), None when it is not under it."""
    return relative_under(absolute(path), absolute(base))


def _load(path: str):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ancestor_ignores(folder: str) -> _Ignores:
    """The .gitignore files of the enclosing repository, from its root down to ``folder``."""
    folder = os.path.abspath(folder)
    chain = [folder]
    probe = folder
    while not os.path.exists(os.path.join(probe, ".git")):
        parent = os.path.dirname(probe)
        if parent == probe:
            chain = [folder]  # not in a repository: only the folder's own .gitignore counts
            break
        probe = parent
        chain.append(probe)
    ignores = _Ignores()
    for ancestor in reversed(chain):
        ignores = ignores.with_folder(ancestor)
    return ignores


def discover(paths: list[str], extensions=frozenset(EXTENSIONS), path_rules=None,
             force_exclude: bool = False) -> Iterator[Candidate | FileError]:
    """Yield the files to lint, in a stable order, and an error for each path that cannot be read.

    ``path_rules`` (from the configuration) may exclude more, or replace the default skipped
    folders with its own ``exclude`` list. A file named in ``paths`` is always linted, unless
    ``force_exclude`` and the configuration's ``exclude``/``extend-exclude`` patterns match it
    (as pre-commit names every file, excluded ones too). With ``markdown = false`` in the
    configuration, Markdown files are left out, named or not.
    """
    markdown_off = path_rules is not None and not getattr(path_rules, "markdown", True)
    if markdown_off:
        extensions = frozenset(extensions) - MARKDOWN_EXTENSIONS
    for given in paths:
        if os.path.isfile(given):
            if markdown_off and os.path.splitext(given)[1].lower() in MARKDOWN_EXTENSIONS:
                continue
            if not (force_exclude and path_rules is not None and path_rules.excluded(given)):
                yield Candidate(_display(given), True)
        elif os.path.isdir(given):
            yield from _walk(given, extensions, path_rules)
        elif os.path.islink(given):
            yield FileError(_display(given), "is a broken symbolic link")
        else:
            yield FileError(_display(given), "No such file or directory")


def _walk(top: str, extensions, path_rules=None) -> Iterator[Candidate | FileError]:
    skipped = SKIPPED_DIRS if path_rules is None or not path_rules.replaces_defaults else frozenset({".git", ".hg", ".svn"})
    excluded = path_rules.excluded if path_rules is not None else (lambda path, is_dir=False: False)
    real_top = os.path.realpath(top)
    stack = [(top, _ancestor_ignores(top))]
    while stack:
        folder, ignores = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield FileError(_display(folder), f"cannot list folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                if entry.name not in skipped and not ignores.ignored(entry.path, True) and not excluded(entry.path, True):
                    subfolders.append(entry.path)
                continue
            if os.path.splitext(entry.name)[1].lower() not in extensions:
                continue
            if ignores.ignored(entry.path, False) or excluded(entry.path):
                continue
            if is_link and not _inside(os.path.realpath(entry.path), real_top):
                continue  # a link out of the tree is not part of it
            yield Candidate(_display(entry.path), False)
        for sub in reversed(subfolders):
            stack.append((sub, ignores.with_folder(sub)))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _display(path: str) -> str:
    path = os.path.normpath(path)
    return path[2:] if path.startswith("./") else path
