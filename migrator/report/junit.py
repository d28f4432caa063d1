"""JUnit XML: one test suite, one test case per file.

A test case per checked file is what CI systems (GitLab, Jenkins, Azure Pipelines, CircleCI)
show well: every file appears once, files without findings pass, and a failing file lists all
its findings in one ``<failure>`` (the classic JUnit schema allows one failure per test case):
its ``message`` counts them and names their codes, its text has one line per finding in the
text format, ``PATH:LINE:COL: CODE [rule] message``. A file that could not be checked is a test
case with an ``<error>``. Test cases have ``classname="ddmigrate"``, ``name`` and ``file`` set to
the path. When fixing, the findings that remain fail the file and the applied fixes are listed
in the test case's ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from migrator.core.model import Finding
from migrator.core.runner import RunResult

SUITE = "ddmigrate"
# Characters XML 1.0 cannot hold, even escaped.
_INVALID_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def finding_line(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.code} [{f.rule}] {f.message}"


def render(result: RunResult, *, fixing: bool = False, sources: dict[str, bytes] | None = None) -> str:
    failures = sum(1 for file in result.files if file.findings)
    errors = len(result.errors)
    tests = len(result.files) + errors
    counts = {"tests": str(tests), "failures": str(failures), "errors": str(errors), "time": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts, "skipped": "0"})
    for file in result.files:
        case = _case(suite, file.path)
        if file.findings:
            codes = sorted({f.code for f in file.findings})
            n = len(file.findings)
            message = f"{n} deprecated API use{'' if n == 1 else 's'} ({', '.join(codes)})"
            failure = ET.SubElement(case, "failure", {"message": _clean(message), "type": "ddmigrate.finding"})
            failure.text = _clean("\n".join(finding_line(f) for f in file.findings))
        if fixing and file.applied:
            out = ET.SubElement(case, "system-out")
            out.text = _clean("\n".join("fixed: " + finding_line(f) for f in file.applied))
    for error in result.errors:
        case = _case(suite, error.path)
        element = ET.SubElement(case, "error", {"message": _clean(error.message), "type": "ddmigrate.file-error"})
        element.text = _clean(f"{error.path}: {error.message}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _case(suite: ET.Element, path: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", {"classname": SUITE, "name": _clean(path), "file": _clean(path),
                                             "time": "0"})
