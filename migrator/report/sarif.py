"""SARIF 2.1.0 output, in the shape GitHub code scanning ingests.

Decisions, so consumers know what they get:

- One run. ``tool.driver.rules`` lists every rule of the catalogue (not only those that fired),
  with its documentation as help text and markdown and its page as ``helpUri``.
- Every finding is a result of level ``error``: each one is a call that breaks when Docker
  Desktop removes the v0 API.
- Regions use SARIF's default line and column conventions: lines end at ``\\n`` (``\\r\\n``
  included, a lone ``\\r`` does not end a line, the default ``newlineSequences``), columns are
  1-based and count UTF-16 code units (the default ``columnKind``), with ``endColumn``
  exclusive. The engine counts columns in characters, so columns are recomputed from the
  file's bytes; they differ only on lines with characters outside the Basic Multilingual Plane.
- A finding with a fix carries it as ``fixes[0]``: one replacement per edit, located by
  ``byteOffset``/``byteLength`` into the file as stored (a UTF-8 BOM counted), with the new
  text as ``insertedContent``. Fixes are emitted only when the file's bytes are known.
- Paths under the current folder are relative URIs against ``%SRCROOT%`` (the current
  folder, given in ``originalUriBaseIds``); other paths are absolute ``file:`` URIs.
- Files that could not be checked are ``toolExecutionNotifications`` of level ``error`` in the
  invocation, whose ``executionSuccessful`` is false when there is any.
- When fixing, results are the findings that remain after the fixes (positions in the fixed
  text, which is the file on disk after ``ddmigrate fix``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from migrator import __version__
from migrator.core.model import Finding
from migrator.core.runner import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
# The tool has no web page of its own yet: point at the documentation of the API it migrates.
INFORMATION_URI = "https://docs.docker.com/extensions/extensions-sdk/dev/api/overview/"
UTF8_BOM = b"\xef\xbb\xbf"
LEVEL = "error"


def render(result: RunResult, *, fixing: bool = False, sources: dict[str, bytes] | None = None) -> str:
    return json.dumps(build(result, fixing=fixing, sources=sources), indent=2, ensure_ascii=False)


def build(result: RunResult, *, fixing: bool = False, sources: dict[str, bytes] | None = None) -> dict:
    from migrator.core.registry import all_rules

    rules = list(all_rules())
    descriptors = [rule_descriptor(rule) for rule in rules]
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for file in result.files:
        raw = _file_bytes(file, sources, fixing)
        lines = _Lines(raw)
        seen: dict[str, int] = {}
        for f in file.findings:
            if f.code not in index:
                # A finding from outside the catalogue (say, an unused suppression): describe it too.
                index[f.code] = len(descriptors)
                descriptors.append(_ad_hoc_descriptor(f))
            data = _result(f, index[f.code], lines)
            data["partialFingerprints"] = {FINGERPRINT: _fingerprint(f, lines, seen)}
            results.append(data)
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{error.path}: {error.message}"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(error.path)}}],
            "descriptor": {"id": "file-error"},
        }
        for error in result.errors
    ]
    invocation = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {
            "driver": {
                "name": "ddmigrate",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _folder_uri(os.getcwd())}},
        "results": results,
    }
    return {"$schema": SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def rule_descriptor(rule) -> dict:
    docs = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _what_it_does(docs) or rule.summary},
        "help": {"text": docs, "markdown": docs},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": LEVEL},
        "properties": {
            "tags": ["deprecation", "docker-desktop-extension", "maintainability"],
            "precision": "high",
            "problem.severity": "error",
            "fix": rule.fixable,
        },
    }


def _ad_hoc_descriptor(f: Finding) -> dict:
    return {
        "id": f.code,
        "name": f.rule,
        "shortDescription": {"text": f.rule},
        "defaultConfiguration": {"level": LEVEL},
    }


def _what_it_does(docs: str) -> str:
    """The first paragraph of the documentation's "What it does" section, on one line."""
    match = re.search(r"^##\s*What it does\s*\n(.*?)(?:\n\s*\n|\n#|\Z)", docs, re.S | re.M)
    return " ".join(match.group(1).split()) if match else ""


def _result(f: Finding, rule_index: int, lines: _Lines) -> dict:
    start_column = lines.utf16_column(f.line, f.column)
    end_column = lines.utf16_column(f.end_line, f.end_column)
    end_line = max(f.end_line, f.line)
    if end_line == f.line:
        end_column = max(end_column, start_column)
    region = {"startLine": f.line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}
    location = {"physicalLocation": {"artifactLocation": artifact_location(f.path), "region": region}}
    data = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVEL,
        "message": {"text": f.message},
        "locations": [location],
        "properties": {"rule": f.rule, "fix": f.fix_label},
    }
    if f.fix is None and f.no_fix_reason:
        data["properties"]["noFixReason"] = f.no_fix_reason
    if f.fix is not None and lines.raw is not None:
        data["fixes"] = [_fix(f, lines)]
    return data


FINGERPRINT = "ddmigrateFinding/v1"


def _fingerprint(f: Finding, lines: _Lines, seen: dict[str, int]) -> str:
    """Stable while the flagged code moves: the file, the rule, the flagged code with its
    whitespace collapsed, and which occurrence of that code in the file it is (so two
    identical calls differ). Line numbers are not part of it, so code scanning keeps
    tracking a finding when lines are added above it."""
    if lines.raw is not None:
        flagged = lines.raw[lines.bom_length + f.start:lines.bom_length + f.end].decode("utf-8", errors="replace")
    else:
        flagged = f.message
    key = "\0".join((f.path.replace(os.sep, "/"), f.code, " ".join(flagged.split())))
    occurrence = seen.get(key, 0)
    seen[key] = occurrence + 1
    return hashlib.sha256(f"{key}\0{occurrence}".encode()).hexdigest()[:32] + f":{occurrence + 1}"


def _fix(f: Finding, lines: _Lines) -> dict:
    fix = f.fix
    unsafe = fix.applicability.value == "unsafe"
    description = ("Unsafe fix (may change behaviour; `ddmigrate fix --unsafe-fixes`)" if unsafe
                   else "Safe fix (`ddmigrate fix`)")
    if fix.note:
        description += f": {fix.note}"
    offset = lines.bom_length
    replacements = []
    for edit in fix.edits:
        replacement = {"deletedRegion": {"byteOffset": offset + edit.start, "byteLength": edit.end - edit.start}}
        if edit.text:
            replacement["insertedContent"] = {"text": edit.text}
        replacements.append(replacement)
    return {
        "description": {"text": description},
        "artifactChanges": [{"artifactLocation": artifact_location(f.path), "replacements": replacements}],
        "properties": {"applicability": fix.applicability.value},
    }


def artifact_location(path: str) -> dict:
    if path == "-":
        return {"uri": "-"}
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.getcwd())
    except ValueError:  # another drive (Windows)
        rel = ".."
    if rel == ".." or rel.startswith(".." + os.sep):
        return {"uri": Path(absolute).as_uri()}
    return {"uri": quote(rel.replace(os.sep, "/"), safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _folder_uri(folder: str) -> str:
    uri = Path(os.path.abspath(folder)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _file_bytes(file, sources: dict[str, bytes] | None, fixing: bool) -> bytes | None:
    """The bytes the file's remaining findings point into: the fixed text when fixing changed it."""
    if fixing and file.fixed is not None:
        return file.fixed
    if sources is not None and file.path in sources:
        return sources[file.path]
    return file.original or None


class _Lines:
    """One file's lines, to turn the engine's character columns into UTF-16 columns."""

    def __init__(self, raw: bytes | None) -> None:
        self.raw = raw
        self.bom_length = len(UTF8_BOM) if raw is not None and raw.startswith(UTF8_BOM) else 0
        self._lines: list[bytes] | None = None

    def utf16_column(self, line: int, column: int) -> int:
        column = max(column, 1)
        if self.raw is None:
            return column
        if self._lines is None:
            self._lines = self.raw[self.bom_length:].split(b"\n")
        if not 1 <= line <= len(self._lines):
            return column
        before = self._lines[line - 1].decode("utf-8", errors="replace")[: column - 1]
        return len(before.encode("utf-16-le")) // 2 + 1
