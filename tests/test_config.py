"""Configuration files, and the command line winning over them."""

import json
import os

import pytest

LEGACY = "window.ddClient.backend.get('/x');\nwindow.ddClient.toastSuccess('ok');\n"


def codes(proc):
    return sorted(f["code"] for f in json.loads(proc.stdout)["findings"])


def test_pyproject_select_ignore_and_the_command_line_winning(cli, write, tmp_path):
    write({"pyproject.toml": '[tool.ddmigrate]\nignore = ["toast"]\n', "src/a.ts": LEGACY})
    assert codes(cli("check", "src", "--format", "json", cwd=tmp_path)) == ["DD101"]
    # Found by walking up from the path, wherever the command runs.
    assert codes(cli("check", tmp_path / "src", "--format", "json", cwd="/")) == ["DD101"]
    assert codes(cli("check", "src", "--format", "json", "--select", "DD302", cwd=tmp_path)) == ["DD302"]
    assert codes(cli("check", "src", "--format", "json", "--isolated", cwd=tmp_path)) == ["DD101", "DD302"]


def test_ddmigrate_toml_is_preferred_and_select_works(cli, write, tmp_path):
    write({".ddmigrate.toml": 'select = ["DD3"]\n', "pyproject.toml": "[tool.ddmigrate]\nselect = ['DD1']\n",
           "a.ts": LEGACY})
    assert codes(cli("check", ".", "--format", "json", cwd=tmp_path)) == ["DD302"]


def test_pyproject_without_our_section_is_not_a_config(cli, write, tmp_path):
    write({"pyproject.toml": "[tool.black]\nline-length = 100\n", "a.ts": LEGACY})
    assert codes(cli("check", ".", "--format", "json", cwd=tmp_path)) == ["DD101", "DD302"]


def test_unknown_key_is_an_error_naming_key_and_file(cli, write, tmp_path):
    write({".ddmigrate.toml": 'selct = ["DD1"]\n', "a.ts": LEGACY})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "unknown key 'selct'" in err and ".ddmigrate.toml" in err


def test_bad_values_and_unknown_rules_in_config_are_errors(cli, write, tmp_path):
    write({".ddmigrate.toml": 'ignore = "toast"\n', "a.ts": LEGACY})
    assert b"must be a list of strings" in cli("check", ".", cwd=tmp_path).stderr
    write({".ddmigrate.toml": 'ignore = ["no-such-rule"]\n'})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2 and b"unknown rule 'no-such-rule'" in proc.stderr and b".ddmigrate.toml" in proc.stderr
    write({".ddmigrate.toml": '[per-file-ignores]\n"*.ts" = ["no-such-rule"]\n'})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2 and b"unknown rule 'no-such-rule'" in proc.stderr
    write({".ddmigrate.toml": "select = [\n"})
    assert b"is not valid TOML" in cli("check", ".", cwd=tmp_path).stderr


def test_exclude_extend_exclude_and_per_file_ignores(cli, write, tmp_path):
    write({
        ".ddmigrate.toml": (
            'extend-exclude = ["legacy/", "*.gen.ts"]\n'
            '[per-file-ignores]\n"src/vendor/**" = ["backend-http"]\n"*.test.ts" = ["DD3"]\n'
        ),
        "src/a.ts": LEGACY, "src/x.gen.ts": LEGACY, "legacy/old.ts": LEGACY,
        "src/vendor/v.ts": LEGACY, "src/a.test.ts": LEGACY, "node_modules/m.js": LEGACY,
    })
    report = json.loads(cli("check", ".", "--format", "json", cwd=tmp_path).stdout)
    found = sorted((f["path"], f["code"]) for f in report["findings"])
    assert found == [("src/a.test.ts", "DD101"), ("src/a.ts", "DD101"), ("src/a.ts", "DD302"),
                     ("src/vendor/v.ts", "DD302")]
    # `exclude` replaces the default skipped folders.
    write({".ddmigrate.toml": 'exclude = ["src/"]\n'})
    report = json.loads(cli("check", ".", "--format", "json", cwd=tmp_path).stdout)
    assert sorted({f["path"] for f in report["findings"]}) == ["legacy/old.ts", "node_modules/m.js"]


def test_unsafe_fixes_from_config_and_fix_applies_per_file_ignores(cli, write, tmp_path):
    write({".ddmigrate.toml": "unsafe-fixes = true\n[per-file-ignores]\n\"keep.ts\" = [\"DD1\"]\n",
           "a.ts": "await ddClient.backend.execInVMExtension(`ls ${dir}`);\n", "keep.ts": LEGACY})
    cli("fix", ".", cwd=tmp_path)
    assert (tmp_path / "a.ts").read_text() == 'await ddClient.extension.vm!.cli.exec("ls", [`${dir}`]);\n'
    assert (tmp_path / "keep.ts").read_text() == LEGACY.replace("toastSuccess", "desktopUI.toast.success")


@pytest.mark.parametrize("path", ["a/b", "./a/b", "/x/y", "/x/../y", "a//b", "./", "../a", ".", "a/", "/",
                                  "./.hidden/x", "/a/.b", "a/./b", "a/b/..", "..", "./../a"])
def test_absolute_is_abspath_without_its_cost(path):
    from migrator.core.paths import absolute

    assert absolute(path) == os.path.abspath(path)


def test_relative_under_is_relpath_for_paths_under_the_root():
    from migrator.core.paths import relative_under

    assert relative_under("/r/src/a.ts", "/r") == "src/a.ts"
    assert relative_under("/r/src/a.ts", "/r/") == "src/a.ts"
    assert relative_under("/r", "/r") == "."
    assert relative_under("/rx/a.ts", "/r") is None  # a sibling sharing the prefix
    assert relative_under("/a.ts", "/r") is None
    assert relative_under("/r/a.ts", "/") == "r/a.ts"
