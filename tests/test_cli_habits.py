"""The flags and messages users bring from Ruff and other linters, through the real command line."""

import json
import os

import pytest

LEGACY = "const r = await window.ddClient.backend.get('/hello');\n"
FIXED = "const r = await window.ddClient.extension.vm?.service?.get('/hello');\n"


def out(proc):
    return proc.stdout.decode()


def err(proc):
    return proc.stderr.decode()


def test_exit_zero_keeps_findings_visible_but_not_input_errors(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    proc = cli("check", "--exit-zero", "a.ts", cwd=tmp_path)
    assert proc.returncode == 0, out(proc) + err(proc)
    assert "DD101" in out(proc) and "Found 1 finding" in out(proc)
    # A missing path is still exit 2: `|| true` would have hidden it.
    assert cli("check", "--exit-zero", "a.ts", "missing.ts", cwd=tmp_path).returncode == 2
    assert cli("check", "a.ts", cwd=tmp_path).returncode == 1


def test_output_format_is_an_alias_of_format(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    one = cli("check", "--format", "json", "a.ts", cwd=tmp_path)
    two = cli("check", "--output-format", "json", "a.ts", cwd=tmp_path)
    assert json.loads(out(one)) == json.loads(out(two))
    assert json.loads(out(two))["findings"][0]["code"] == "DD101"


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_output_file_gets_the_report_and_stdout_stays_empty(cli, write, tmp_path, fmt):
    write({"a.ts": LEGACY})
    (tmp_path / "reports").mkdir()
    proc = cli("check", "--format", fmt, "-o", "reports/out", "a.ts", cwd=tmp_path)
    assert proc.returncode == 1
    assert out(proc) == ""
    report = (tmp_path / "reports" / "out").read_text()
    assert "DD101" in report
    if fmt != "text":
        json.loads(report)
    assert os.listdir(tmp_path / "reports") == ["out"]  # no temporary file left behind
    mode = os.stat(tmp_path / "reports" / "out").st_mode & 0o777
    plain = tmp_path / "plain"
    plain.write_text("")  # what a plain open() gives under this umask
    assert mode == os.stat(plain).st_mode & 0o777, oct(mode)


def test_output_file_in_a_missing_folder_is_a_usage_error(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    proc = cli("check", "--output-file", "no/such/folder/out.json", "a.ts", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no/such/folder/out.json" in err(proc) and "cannot be written" in err(proc)


def test_check_fix_is_fix(cli, write, tmp_path):
    write({"a.ts": LEGACY, "b.ts": LEGACY})
    via_check = cli("check", "--fix", "a.ts", cwd=tmp_path)
    via_fix = cli("fix", "b.ts", cwd=tmp_path)
    assert (tmp_path / "a.ts").read_text() == (tmp_path / "b.ts").read_text() == FIXED
    assert via_check.returncode == via_fix.returncode == 0
    assert out(via_check).replace("a.ts", "b.ts") == out(via_fix)


@pytest.mark.parametrize("command", [[], ["check"], ["fix"], ["rules"], ["explain"], ["shim"]])
def test_dash_h_is_help_everywhere(cli, command):
    proc = cli(*command, "-h")
    assert proc.returncode == 0, err(proc)
    assert out(proc).startswith("Usage: ")


def test_force_color_and_no_color(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    plain = cli("check", "a.ts", cwd=tmp_path)
    forced = cli("check", "a.ts", cwd=tmp_path, env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    both = cli("check", "a.ts", cwd=tmp_path, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in out(plain)
    assert "\x1b[" in out(forced)
    assert "\x1b[" not in out(both)  # NO_COLOR wins


def test_a_folder_with_nothing_to_read_is_a_warning_not_all_checked(cli, write, tmp_path):
    write({"notes.txt": "docs\n", "Dockerfile": "FROM alpine\n"})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 0
    assert "All checked" not in out(proc) + err(proc)
    assert "no files to check" in out(proc) and ".tsx" in out(proc)


def test_never_all_checked_next_to_an_error(cli, write, tmp_path):
    write({"a.ts": "export const x = 1;\n"})
    proc = cli("check", "a.ts", "missing.ts", cwd=tmp_path)
    assert proc.returncode == 2
    assert "All checked" not in out(proc)
    assert "could not be checked" in out(proc)
    assert "missing.ts" in err(proc)


def test_a_broken_pyproject_is_an_error_naming_it(cli, write, tmp_path):
    write({"pyproject.toml": "[tool.ddmigrate\nselect = ['DD1']\n", "a.ts": LEGACY})
    proc = cli("check", "a.ts", cwd=tmp_path)
    assert proc.returncode == 2
    assert "pyproject.toml" in err(proc) and "not valid TOML" in err(proc)


def test_python_environments_are_skipped_outside_git(cli, write, tmp_path):
    legacy_py = "import migrator.shim\nclient = migrator.shim.DockerDesktopClient()\nclient.backend.get('/x')\n"
    write({
        "app/main.ts": LEGACY,
        ".venv/lib/python3.12/site-packages/pkg/mod.ts": LEGACY,
        "venv/lib/site-packages/legacy.py": legacy_py,
        ".tox/py312/lib/x.js": LEGACY,
    })
    assert not (tmp_path / ".git").exists()
    proc = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert sorted({f["path"] for f in json.loads(out(proc))["findings"]}) == ["app/main.ts"]
