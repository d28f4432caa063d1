"""Suppression comments, and reporting those that suppress nothing."""

import json

from migrator.core.engine import Catalogue, fix, lint
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile


def findings(code, name="a.ts", report=False):
    catalogue = Catalogue(all_rules(), report_unused_ignores=report)
    return [(f.code, f.line) for f in lint(SourceFile.from_bytes(name, code.encode()), catalogue)]


def test_same_line_and_line_above_by_code_or_name():
    code = (
        "window.ddClient.backend.get('/a'); // ddmigrate: ignore[DD101]\n"
        "// ddmigrate: ignore[backend-http, toast]\n"
        "window.ddClient.backend.get('/b');\n"
        "window.ddClient.backend.get('/c');\n"
        "window.ddClient.toastError('x'); // ddmigrate: ignore\n"
        "window.ddClient.toastError('y'); // ddmigrate: ignore[backend-http]\n"
    )
    assert findings(code) == [("DD101", 4), ("DD302", 6)]


def test_a_trailing_comment_does_not_reach_the_next_line():
    code = "const a = 1; // ddmigrate: ignore\nwindow.ddClient.backend.get('/x');\n"
    assert findings(code) == [("DD101", 2)]


def test_python_and_html_comments():
    assert findings("client.execHostCmd('ls')  # ddmigrate: ignore\n", "a.py") == []
    html = "<!-- ddmigrate: ignore -->\n<button onclick=\"window.ddClient.navigateToImages()\">i</button>\n"
    assert findings(html, "a.html") == []


def test_suppressed_findings_are_not_fixed():
    code = "// ddmigrate: ignore\nwindow.ddClient.backend.get('/a');\nwindow.ddClient.backend.get('/b');\n"
    out = fix(SourceFile.from_bytes("a.ts", code.encode()), Catalogue(all_rules())).source.content.decode()
    assert out.splitlines()[1] == "window.ddClient.backend.get('/a');"
    assert out.splitlines()[2] == "window.ddClient.extension.vm?.service?.get('/b');"


def test_unused_suppressions_are_reported_only_when_asked(cli, write, tmp_path):
    write({"a.ts": "// ddmigrate: ignore[DD101]\nconst x = 1;\nwindow.ddClient.toastError('x'); // ddmigrate: ignore[DD302, DD205]\n"})
    assert cli("check", ".", cwd=tmp_path).returncode == 0
    proc = cli("check", ".", "--report-unused-ignores", "--format", "json", cwd=tmp_path)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert [(f["code"], f["line"], f["fix"]) for f in report["findings"]] == [("DD001", 1, "safe"), ("DD001", 3, "none")]
    assert "`DD205`" in report["findings"][1]["message"]
    cli("fix", ".", "--report-unused-ignores", cwd=tmp_path)
    assert (tmp_path / "a.ts").read_text().startswith("const x = 1;\n")
