"""The built wheel must carry the rule catalogue as migrator.rules, and nothing called `rules`."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    [built] = out.glob("ddmigrate-*.whl")
    return built


def test_wheel_contains_the_catalogue_under_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.name for p in (REPO / "rules").glob("*.py"))
    for name in rule_files:
        assert f"migrator/rules/{name}" in names
    assert not [n for n in names if n.startswith("rules/")]
    for package in ("migrator/report/json.py", "migrator/shim/__init__.py", "migrator/shell.py"):
        assert package in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_lists_its_rules(wheel):
    code = (
        "import migrator, migrator.rules\n"
        "from migrator.registry import all_rules\n"
        "assert migrator.__file__.startswith(%r), migrator.__file__\n"
        "print(' '.join(r.name for r in all_rules()))\n" % str(wheel)
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, cwd=wheel.parent,
                          env={"PYTHONPATH": str(wheel), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr.decode()
    assert "backend-http" in proc.stdout.decode().split()
