"""A cache of lint results keyed by file content, tool version and configuration.

One JSON file per configuration in `.ddmigrate_cache/<version>/`. An entry is found by the
content's hash; the file's size and modification time let an unchanged file skip even being
read (as git's index does). The folder carries its own `.gitignore`.
"""

from __future__ import annotations

import hashlib
import json
import os

from migrator import __version__
from migrator.core.model import Applicability, Edit, Finding, Fix

FOLDER = ".ddmigrate_cache"


def content_key(raw: bytes, language: str, codes: str) -> str:
    """The file's bytes, and what else decides its findings: its language (the extension picks
    the grammar and the fix style) and the rules in force for it (per-file ignores)."""
    digest = hashlib.blake2b(raw, digest_size=16)
    digest.update(f"\0{language}\0{codes}".encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, root: str, settings: str) -> None:
        digest = hashlib.blake2b(settings.encode(), digest_size=8).hexdigest()
        self.folder = os.path.join(root, FOLDER)
        self.path = os.path.join(self.folder, __version__, f"results-{digest}.json")
        self.entries: dict[str, dict] = {}
        self.stats: dict[str, list] = {}  # path -> [size, mtime_ns, content key]
        # Module summaries of the project pass (migrator.js.project), by content and imports.
        self.summaries: dict[str, object] = {}
        self._summaries_used: set[str] = set()
        self.dirty = False
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
            self.entries, self.stats = data["entries"], data["stats"]
            self.summaries = data.get("summaries", {})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass

    def key_by_stat(self, path: str, stat) -> str | None:
        known = self.stats.get(os.path.abspath(path))
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            return known[2]
        return None

    def get(self, key: str) -> list[Finding] | None:
        entry = self.entries.get(key)
        return None if entry is None else [_load(f) for f in entry]

    def put(self, path: str, stat, key: str, findings: list[Finding]) -> None:
        self.entries[key] = [_dump(f) for f in findings]
        # Without a stat the entry is still this file's (kept when saving), but size and time
        # never match it: it is found by content only (its findings depend on other files).
        self.stats[os.path.abspath(path)] = [stat.st_size, stat.st_mtime_ns, key] if stat is not None else [-1, -1, key]
        self.dirty = True

    def summary(self, key: str):
        self._summaries_used.add(key)
        return self.summaries[key]

    def put_summary(self, key: str, data) -> None:
        self.summaries[key] = data
        self._summaries_used.add(key)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            ignore = os.path.join(self.folder, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# Created by ddmigrate\n*\n")
            live = {entry[2] for entry in self.stats.values()}
            data = {"entries": {k: v for k, v in self.entries.items() if k in live}, "stats": self.stats,
                    "summaries": {k: v for k, v in self.summaries.items() if k in self._summaries_used}}
            import tempfile

            handle = tempfile.NamedTemporaryFile("w", dir=os.path.dirname(self.path), delete=False, suffix=".tmp")
            with handle:
                json.dump(data, handle)
            os.replace(handle.name, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _dump(f: Finding) -> dict:
    data = {"rule": f.rule, "code": f.code, "message": f.message, "start": f.start, "end": f.end,
            "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
            "reason": f.no_fix_reason}
    if f.fix is not None:
        data["fix"] = [f.fix.applicability.value, [[e.start, e.end, e.text] for e in f.fix.edits], f.fix.note]
    return data


def _load(data: dict) -> Finding:
    fix = None
    if "fix" in data:
        applicability, edits, note = data["fix"]
        fix = Fix(tuple(Edit(*e) for e in edits), Applicability(applicability), note)
    return Finding(rule=data["rule"], code=data["code"], message=data["message"], start=data["start"],
                   end=data["end"], fix=fix, no_fix_reason=data["reason"], line=data["line"],
                   column=data["column"], end_line=data["end_line"], end_column=data["end_column"])
