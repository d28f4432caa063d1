"""The project's prettier after fixing, with a real prettier from npm (pinned, installed once)."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="needs node and npm")

PRETTIER = "3.3.3"


def prettier_modules() -> Path:
    base = Path(os.environ.get("DDMIGRATE_TEST_CACHE", Path.home() / ".cache" / "ddmigrate-tests"))
    target = base / f"prettier-{hashlib.sha256(PRETTIER.encode()).hexdigest()[:12]}"
    if not (target / "installed.json").exists():
        target.mkdir(parents=True, exist_ok=True)
        (target / "package.json").write_text(json.dumps({"private": True, "dependencies": {"prettier": PRETTIER}}))
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
                              cwd=target, capture_output=True, timeout=600)
        if proc.returncode != 0:
            pytest.skip(f"npm install prettier failed: {proc.stderr.decode()[-500:]}")
        (target / "installed.json").write_text(PRETTIER)
    return target / "node_modules"


CLEAN = """export async function status() {
  const out = await window.ddClient.backend.execInContainer("tailscale_service", "/app/background-output.sh --reset");
  return out;
}
"""
UNCLEAN = """export async function status() {
  const out = await window.ddClient.backend.execInContainer("tailscale_service", "/app/background-output.sh --reset");
  return out
}
const    spaced = {a:1}
"""


def project(tmp_path, files, modules=None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "node_modules").symlink_to(modules or prettier_modules(), target_is_directory=True)
    (tmp_path / ".prettierrc").write_text(json.dumps({"printWidth": 120}))
    for name, code in files.items():
        (tmp_path / name).write_text(code)
    return tmp_path


def fix(folder, *args):
    return subprocess.run([sys.executable, "-m", "migrator", "fix", "--allow-dirty", "--no-cache", *args, "."],
                          cwd=folder, capture_output=True, text=True, timeout=600)


def prettier_check(folder, name) -> bool:
    return subprocess.run([str(folder / "node_modules" / ".bin" / "prettier"), "--check", name], cwd=folder,
                          capture_output=True, timeout=120).returncode == 0


def test_a_clean_file_stays_clean_and_is_reported(tmp_path):
    folder = project(tmp_path, {"a.js": CLEAN})
    assert prettier_check(folder, "a.js")
    proc = subprocess.run([sys.executable, "-m", "migrator", "fix", "--allow-dirty", "--no-cache", "--format", "json", "."],
                          cwd=folder, capture_output=True, text=True, timeout=600)
    report = json.loads(proc.stdout)
    assert report["formatted_files"] == ["a.js"]
    text = (folder / "a.js").read_text()
    assert "docker.cli.exec(" in text
    assert prettier_check(folder, "a.js"), text
    verbose = fix(project(tmp_path / "again", {"a.js": CLEAN}), "-v")
    assert "formatted a.js with the project's prettier" in verbose.stderr


def test_an_unclean_file_is_not_formatted(tmp_path):
    folder = project(tmp_path, {"a.js": UNCLEAN})
    fix(folder)
    plain = project(tmp_path / "plain", {"a.js": UNCLEAN})
    fix(plain, "--no-format")
    assert (folder / "a.js").read_text() == (plain / "a.js").read_text()
    assert (folder / "a.js").read_text().endswith("  return out\n}\nconst    spaced = {a:1}\n")


def test_no_format_writes_the_layout_preserving_result(tmp_path):
    folder = project(tmp_path, {"a.js": CLEAN})
    fix(folder, "--no-format")
    assert (folder / "a.js").read_text() == CLEAN.replace(
        'window.ddClient.backend.execInContainer("tailscale_service", "/app/background-output.sh --reset")',
        'window.ddClient.docker.cli.exec("exec", ["tailscale_service", "/app/background-output.sh", "--reset"])')


def test_the_config_file_turns_it_off(tmp_path):
    folder = project(tmp_path, {"a.js": CLEAN})
    (folder / ".ddmigrate.toml").write_text("format = false\n")
    fix(folder)
    assert not prettier_check(folder, "a.js")


def fake_prettier(tmp_path, body: str) -> Path:
    modules = tmp_path / "fake_modules"
    (modules / ".bin").mkdir(parents=True)
    (modules / "prettier").mkdir()
    (modules / "prettier" / "package.json").write_text(json.dumps({"name": "prettier", "main": "index.js"}))
    (modules / "prettier" / "index.js").write_text(body)
    (modules / ".bin" / "prettier").write_text("#!/bin/sh\nexit 0\n")
    return modules


def test_a_failing_prettier_leaves_the_unformatted_fix_and_a_message(tmp_path):
    modules = fake_prettier(tmp_path, "throw new Error('prettier exploded');\n")
    folder = project(tmp_path / "p", {"a.js": CLEAN}, modules)
    proc = fix(folder)
    assert "docker.cli.exec(" in (folder / "a.js").read_text()
    assert "note: format: prettier" in proc.stdout and "prettier exploded" in proc.stdout
    assert "the fixes were kept unformatted" in proc.stdout


def test_a_hanging_prettier_times_out(tmp_path, monkeypatch):
    from migrator.core import formatter

    modules = fake_prettier(tmp_path, "setInterval(() => {}, 1000);\n")
    folder = project(tmp_path / "p", {"a.js": CLEAN}, modules)
    original, fixed = CLEAN.encode(), CLEAN.replace("backend.execInContainer", "docker.cli.exec").encode()
    result = formatter.format_fixed({str(folder / "a.js"): (original, fixed)}, timeout=1)
    assert result.formatted == {}
    assert any("did not finish within 1 s" in n for n in result.notes)


def test_missing_node_is_said_once(tmp_path):
    from migrator.core import formatter

    folder = project(tmp_path, {"a.js": CLEAN, "b.js": CLEAN})
    changed = {str(folder / n): (CLEAN.encode(), CLEAN.encode()) for n in ("a.js", "b.js")}
    monkeypatch_which = shutil.which
    try:
        formatter.shutil.which = lambda name: None
        result = formatter.format_fixed(changed)
    finally:
        formatter.shutil.which = monkeypatch_which
    assert len(result.notes) == 1 and "`node` was not found" in result.notes[0]
