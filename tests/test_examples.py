"""The bundled legacy extension: what check reports on it, and what fix makes of it."""

import json
import re
import shutil
from pathlib import Path

from migrator.core import languages
from migrator.core.engine import count_errors

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "legacy-extension"


def findings_by_file(report, rule):
    counts = {}
    for f in report["findings"]:
        if f["rule"] == rule:
            counts[Path(f["path"]).name] = counts.get(Path(f["path"]).name, 0) + 1
    return counts


def test_check_finds_every_deprecated_call(cli):
    proc = cli("check", EXAMPLE, "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert findings_by_file(report, "backend-http") == {"App.tsx": 2, "api.ts": 4, "legacy.js": 1, "Status.jsx": 1}
    assert findings_by_file(report, "exec-in-vm-extension") == {"App.tsx": 1}
    assert findings_by_file(report, "chained-shell-command") == {"legacy.js": 1}
    assert findings_by_file(report, "spawn-host-cmd") == {"legacy.js": 1}
    assert findings_by_file(report, "exec-docker-cmd") == {"legacy.js": 1}
    assert findings_by_file(report, "navigate") == {"index.html": 1}
    assert report["errors"] == []


def test_fix_migrates_the_example_and_keeps_everything_else(cli, tmp_path):
    tree = tmp_path / "ext"
    shutil.copytree(EXAMPLE, tree)
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    proc = cli("fix", tree, "--format", "json")
    report = json.loads(proc.stdout)
    # Every splittable exec and spawn call is migrated; the chained one stays, explained.
    [left] = report["findings"]
    assert (left["rule"], Path(left["path"]).name, left["fix"]) == ("chained-shell-command", "legacy.js", "none")
    assert "`|` is a shell pipe" in left["message"] and "Windows" in left["message"]
    assert len([f for f in report["fixed"] if f["rule"] == "backend-http"]) == 8
    assert len(report["fixed"]) == 13  # with the toast in App.tsx and the handler in index.html
    for path, old in before.items():
        new = path.read_bytes()
        if path.suffix in (".ts", ".tsx", ".js", ".jsx"):
            language = {".ts": "typescript", ".tsx": "tsx"}.get(path.suffix, "javascript")
            assert count_errors(languages.parse(language, new)) == 0, path
            leftover = re.findall(rb"(\w+)\.backend\s*\.(get|post|put|patch|delete|head|request)\(", new)
            assert all(obj == b"cache" for obj, _ in leftover), (path, leftover)
        elif path.suffix == ".html":
            assert new == old.replace(b"navigateToContainers()", b"desktopUI.navigate.viewContainers()")
        else:
            assert new == old, path
    legacy = (tree / "ui/src/legacy.js").read_text()
    assert "const backend = window.ddClient.extension.vm?.service;" in legacy
    assert 'window.ddClient.docker.cli.exec("images", ["--format", "{{json .}}"])' in legacy
    assert 'execHostCmd("kubectl get nodes -o json | jq' in legacy
    assert 'ddClient.extension.vm!.cli.exec("ls", ["-la", "/data"])' in (tree / "ui/src/App.tsx").read_text()
    assert 'cache.backend.get("todos")' in legacy
    second = cli("fix", tree, "--check")
    assert "Would fix 0 findings in 0 files" in second.stdout.decode()


def _sources(tree):
    return {str(p.relative_to(tree)): p.read_text() for p in tree.rglob("*")
            if p.suffix in (".ts", ".tsx", ".js", ".jsx")}


def test_example_compiles_as_legacy_code_and_fixed_against_v1_strict(cli, tmp_path):
    from tests.typecheck import api_errors, typecheck

    tree = tmp_path / "ext"
    shutil.copytree(EXAMPLE, tree)
    assert api_errors(typecheck(_sources(tree), tmp_path / "before", legacy=True)) == []
    report = json.loads(cli("fix", tree, "--format", "json").stdout)
    left = {(Path(f["path"]).name, f["line"]) for f in report["findings"]}
    errors = api_errors(typecheck(_sources(tree), tmp_path / "after"))
    # What remains is only the chained host command, which no fix may touch.
    assert {(Path(e["file"]).name, e["line"]) for e in errors} <= left
    assert left == {("legacy.js", 10)}
