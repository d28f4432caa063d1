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
    rule_files = sorted(p.relative_to(REPO / "rules").as_posix() for p in (REPO / "rules").rglob("*.py"))
    assert "js/backend_http.py" in rule_files and "python/exec.py" in rule_files
    for name in rule_files:
        assert f"migrator/rules/{name}" in names
    assert not [n for n in names if n.startswith("rules/")]
    for package in ("migrator/report/json.py", "migrator/shim/__init__.py", "migrator/migration/shell.py",
                    "migrator/core/engine.py", "migrator/js/resolve.py", "migrator/python/index.py"):
        assert package in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_lists_its_rules(wheel):
    code = (
        "import migrator, migrator.rules\n"
        "from migrator.core.registry import all_rules\n"
        f"assert migrator.__file__.startswith({str(wheel)!r}), migrator.__file__\n"
        "print(' '.join(r.name for r in all_rules()))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, cwd=wheel.parent,
                          env={"PYTHONPATH": str(wheel), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr.decode()
    assert "backend-http" in proc.stdout.decode().split()


def test_source_checkout_imports_the_catalogue_as_installed(tmp_path):
    """A plain checkout (nothing installed, only the repository on sys.path) resolves
    ``migrator.rules`` to the top-level rules/ folder, as an editor's go-to-definition does."""
    code = (
        "import migrator.rules, migrator.rules.js.backend_http as m\n"
        "from migrator.core.registry import all_rules\n"
        "print(m.__file__)\n"
        "print(len(all_rules()))\n"
    )
    proc = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(REPO)!r})\n" + code],
                          capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    path, count = proc.stdout.decode().split()
    assert Path(path).resolve() == (REPO / "rules" / "js" / "backend_http.py").resolve()
    assert int(count) >= 20


def test_wheel_metadata_is_complete(wheel):
    """What `pip show ddmigrate` and the package index show: a license, classifiers, the README."""
    archive = zipfile.ZipFile(wheel)
    [metadata] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    text = archive.read(metadata).decode()
    headers, _, body = text.partition("\n\n")
    assert "License-Expression: MIT" in headers
    assert "Classifier: Intended Audience :: Developers" in headers
    assert "Keywords: " in headers
    assert "Description-Content-Type: text/markdown" in headers
    assert "## Quickstart" in body or "Quickstart" in body
    [license_file] = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    assert archive.read(license_file).decode().startswith("MIT License")
