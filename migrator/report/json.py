"""The machine-readable report. Its shape is an interface: add keys, never rename or remove."""

from __future__ import annotations

import json

from migrator.core.model import Finding
from migrator.core.runner import RunResult

REPORT_VERSION = 1


def finding_dict(f: Finding) -> dict:
    data = {
        "rule": f.rule,
        "code": f.code,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "message": f.message,
        "fix": f.fix_label,
    }
    if f.fix is None and f.no_fix_reason:
        data["no_fix_reason"] = f.no_fix_reason
    return data


def render(result: RunResult, *, fixing: bool = False) -> str:
    report = {
        "version": REPORT_VERSION,
        "findings": [finding_dict(f) for f in result.findings],
        "errors": [{"path": e.path, "message": e.message} for e in result.errors],
    }
    if fixing:
        report["fixed"] = [
            {"path": f.path, "rule": f.rule, "code": f.code, "line": f.line, "column": f.column, "message": f.message}
            for f in result.applied
        ]
        report["changed_files"] = [r.path for r in result.changed_files]
        report["formatted_files"] = list(getattr(result, "formatted", []))  # by the project's prettier
        report["reverted_files"] = list(getattr(result, "reverted", []))  # by `fix --verify-types`
        report["notes"] = list(getattr(result, "notes", []))
    report["summary"] = {
        "files": len(result.files),
        "findings": len(result.findings),
        "fixed": len(result.applied),
        "errors": len(result.errors),
        "suppressed": result.suppressed,
    }
    return json.dumps(report, indent=2, ensure_ascii=False)
