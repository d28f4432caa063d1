"""Bulk suppressions: `ddmigrate-suppressions.json` at the project root, as ESLint has them.

The file counts the findings left to migrate per file (its path relative to the project root,
with forward slashes) and per rule name::

    {"version": 1, "suppressions": {"ui/src/api.ts": {"backend-http": {"count": 3}}}}

Counting per file and rule, not per line, means moving code around does not break it; only a
new finding of a rule in a file (one more than the count) is reported.
"""

from __future__ import annotations

import json
import os

from migrator.core.paths import absolute, relative_under

FILENAME = "ddmigrate-suppressions.json"
VERSION = 1

# {path: {rule name: count}}
Counts = dict[str, dict[str, int]]


class SuppressionsError(Exception):
    pass


def default_path(root: str) -> str:
    return os.path.join(root, FILENAME)


def relative(path: str, root: str) -> str:
    """The key of a file in the suppressions file: relative to ``root``, forward slashes."""
    path, root = absolute(path), absolute(root)
    rel = relative_under(path, root)
    return rel if rel is not None else os.path.relpath(path, root).replace(os.sep, "/")


def load(path: str) -> Counts:
    """The counts in ``path``; empty when the file does not exist."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SuppressionsError(f"{path}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SuppressionsError(f"{path}: is not valid JSON: {exc}") from None
    shape = f'{path}: must look like {{"version": {VERSION}, "suppressions": {{"path": {{"rule": {{"count": N}}}}}}}}'
    if not isinstance(data, dict) or not isinstance(data.get("suppressions"), dict):
        raise SuppressionsError(shape)
    if data.get("version", VERSION) != VERSION:
        raise SuppressionsError(f"{path}: unsupported version {data.get('version')!r} (this ddmigrate reads {VERSION})")
    counts: Counts = {}
    for file, rules in data["suppressions"].items():
        if not isinstance(rules, dict):
            raise SuppressionsError(f"{shape} (at {file!r})")
        for rule, entry in rules.items():
            count = entry.get("count") if isinstance(entry, dict) else None
            if type(count) is not int or count < 0:
                raise SuppressionsError(f"{shape} (at {file!r}, {rule!r}: the count must be a whole number >= 0)")
            if count:
                counts.setdefault(file, {})[rule] = count
    return counts


def dump(counts: Counts) -> str:
    """Sorted keys, indent 2, a trailing newline: diffs of the committed file stay small."""
    data = {"version": VERSION, "suppressions": {
        file: {rule: {"count": n} for rule, n in rules.items() if n > 0} for file, rules in counts.items()
        if any(n > 0 for n in rules.values())}}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: str, counts: Counts) -> None:
    """Write the file whole or not at all: a temporary file in its folder, renamed over it."""
    folder = os.path.dirname(os.path.abspath(path))
    temporary = None
    try:
        import tempfile  # only when the file is written

        fd, temporary = tempfile.mkstemp(prefix=".ddmigrate-suppressions-", dir=folder)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as a plain `open()` would have made it
        with open(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dump(counts))
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise SuppressionsError(f"{path}: cannot be written: {exc.strerror or exc}") from None


def current(result, root: str) -> Counts:
    """The findings of a run, counted per file and rule (files without findings included, empty)."""
    counts: Counts = {}
    for file in result.files:
        rules = counts.setdefault(relative(file.path, root), {})
        for finding in file.findings:
            rules[finding.rule] = rules.get(finding.rule, 0) + 1
    return counts


def apply(result, counts: Counts, root: str) -> int:
    """Drop from ``result`` the findings the counts cover; the number dropped.

    As ESLint does: when a file has no more findings of a rule than its count, they are all
    suppressed; when it has more, every finding of that rule in that file is reported (not only
    the extra ones: which of them is the new one cannot be told from a count)."""
    suppressed = 0
    if not counts:
        return 0
    for file in result.files:
        allowed = counts.get(relative(file.path, root))
        if not allowed or not file.findings:
            continue
        found: dict[str, int] = {}
        for finding in file.findings:
            found[finding.rule] = found.get(finding.rule, 0) + 1
        covered = {rule for rule, n in found.items() if n <= allowed.get(rule, 0)}
        if covered:
            suppressed += sum(found[rule] for rule in covered)
            file.findings = [f for f in file.findings if f.rule not in covered]
    return suppressed


def suppress_all(counts: Counts, found: Counts, active: set[str]) -> Counts:
    """``counts`` with the files of this run set to what they have now, for the rules that ran
    (``active``); files and rules the run did not look at keep their entries."""
    merged = {file: dict(rules) for file, rules in counts.items()}
    for file, rules in found.items():
        entry = {rule: n for rule, n in merged.get(file, {}).items() if rule not in active}
        entry.update({rule: n for rule, n in rules.items() if n > 0})
        merged[file] = entry
    return {file: rules for file, rules in merged.items() if rules}


def prune(counts: Counts, found: Counts, active: set[str], root: str) -> Counts:
    """``counts`` without what is no longer needed: for the files of this run and the rules that
    ran, counts are lowered to the findings left (and dropped at 0); entries of files that no
    longer exist are dropped; the rest is kept."""
    pruned: Counts = {}
    for file, rules in counts.items():
        if file not in found and not os.path.exists(os.path.join(root, file)):
            continue
        entry = {}
        for rule, n in rules.items():
            if file in found and rule in active:
                n = min(n, found[file].get(rule, 0))
            if n > 0:
                entry[rule] = n
        if entry:
            pruned[file] = entry
    return pruned


def total(counts: Counts) -> int:
    return sum(n for rules in counts.values() for n in rules.values())
