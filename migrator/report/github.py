"""GitHub Actions workflow commands: one ``::error`` line per finding, shown as annotations.

Every finding is an ``error`` (whether or not it has a fix): each one is a call that breaks when
Docker Desktop removes the v0 API, and a CI gate should make that visible. A finding reads::

    ::error file=src/app.ts,line=3,col=5,endLine=3,endColumn=30,title=DD101 [backend-http]::message

Columns are the 1-based character columns of the text output, ``endColumn`` exclusive. GitHub
rejects an annotation that has columns and spans several lines, so a multi-line finding gives
``line`` and ``endLine`` only. A file that could not be checked is ``::error file=PATH::PATH: why``.
Paths under the current folder are relative to it with forward slashes (run from the repository
root, as workflow steps do, for GitHub to place annotations on the diff).

Property values escape ``%``, ``\\r``, ``\\n``, ``:`` and ``,``; the message escapes ``%``,
``\\r`` and ``\\n``, as the Actions runner expects. When fixing, only the findings that remain
are reported.
"""

from __future__ import annotations

import os

from migrator.core.model import Finding
from migrator.core.runner import RunResult


def render(result: RunResult, *, fixing: bool = False, sources: dict[str, bytes] | None = None) -> str:
    lines = [finding_command(f) for f in result.findings]
    lines += [command("error", {"file": display_path(e.path)}, f"{e.path}: {e.message}") for e in result.errors]
    return "\n".join(lines)


def finding_command(f: Finding) -> str:
    properties = {"file": display_path(f.path), "line": f.line}
    end_line = max(f.end_line, f.line)
    if end_line == f.line:
        properties["col"] = f.column
    properties["endLine"] = end_line
    if end_line == f.line:
        properties["endColumn"] = max(f.end_column, f.column)
    properties["title"] = f"{f.code} [{f.rule}]"
    return command("error", properties, f.message)


def command(name: str, properties: dict, message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def display_path(path: str) -> str:
    """Relative to the current folder when under it, with forward slashes."""
    if path == "-":
        return path
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.getcwd())
    except ValueError:  # another drive (Windows)
        return path.replace(os.sep, "/")
    if rel == ".." or rel.startswith(".." + os.sep):
        return absolute.replace(os.sep, "/")
    return rel.replace(os.sep, "/")
