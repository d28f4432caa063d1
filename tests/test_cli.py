"""The command line as users run it: a real subprocess on real files."""

import json
import os
import re
import stat

import pytest

from migrator import __version__

LEGACY = "const r = await window.ddClient.backend.get('/hello');\n"
FIXED = "const r = await window.ddClient.extension.vm?.service?.get('/hello');\n"
CLEAN = "export const x = 1;\n"


def out(proc):
    return proc.stdout.decode()


def test_version_and_help(cli):
    proc = cli("--version")
    assert proc.returncode == 0 and __version__ in out(proc)
    proc = cli("--help")
    assert proc.returncode == 0
    for command in ("check", "fix", "rules", "explain"):
        assert command in out(proc)


def test_check_reports_path_line_column_code_name_and_a_frame(cli, write, tmp_path):
    write({"src/app.ts": "// hi\n" + LEGACY, "src/ok.ts": CLEAN})
    proc = cli("check", "src", cwd=tmp_path)
    text = out(proc)
    assert proc.returncode == 1
    assert re.search(r"^src/app\.ts:2:17: DD101 \[backend-http\] .*extension\.vm\.service\.get.*\[\*\]$", text, re.M)
    assert "2 | const r = await window.ddClient.backend.get('/hello');" in text
    assert "  |                 ^^^^^" in text
    assert "Found 1 finding in 1 file (1 fixable with `ddmigrate fix`)." in text


def test_check_clean_tree_exits_zero(cli, write, tmp_path):
    write({"a.ts": CLEAN, "b.js": "backend.get('/x');\n"})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)
    assert "no findings in 2 files" in out(proc)


def test_default_path_is_the_current_folder(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    assert cli("check", cwd=tmp_path).returncode == 1


def test_json_report_shape(cli, write, tmp_path):
    write({"a.ts": LEGACY, "bad.ts": b"\xff\xfe\x00"})
    proc = cli("check", ".", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2  # an unreadable file wins over findings
    report = json.loads(out(proc))
    assert report["version"] == 1
    [finding] = report["findings"]
    assert finding == {
        "rule": "backend-http", "code": "DD101", "path": "a.ts", "line": 1, "column": 17,
        "end_line": 1, "end_column": 54, "message": finding["message"], "fix": "safe",
    }
    assert report["errors"] == [{"path": "bad.ts", "message": report["errors"][0]["message"]}]
    assert "UTF-16" in report["errors"][0]["message"]


def test_fix_rewrites_in_place_and_reports(cli, write, tmp_path):
    write({"a.ts": LEGACY, "b.ts": LEGACY + "const { backend } = ddClient;\nbackend.get('/a');\nuse(backend);\n"})
    os.chmod(tmp_path / "a.ts", 0o640)
    proc = cli("fix", ".", cwd=tmp_path)
    assert (tmp_path / "a.ts").read_text() == FIXED
    assert stat.S_IMODE(os.stat(tmp_path / "a.ts").st_mode) == 0o640
    assert (tmp_path / "b.ts").read_text() == (
        FIXED + "const { backend } = ddClient;\nddClient.extension.vm?.service?.get('/a');\nuse(backend);\n")
    text = out(proc)
    assert "Fixed 3 findings in 2 files; 1 finding remains unfixed" in text
    assert "DD103 [backend-object]" in text
    assert "no automatic fix: what receives the object is not visible here" in text
    assert proc.returncode == 1
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".ddmigrate-")]
    again = cli("fix", "a.ts", cwd=tmp_path)
    assert again.returncode == 0 and "Fixed 0 findings" in out(again)


def test_fix_diff_writes_nothing(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    proc = cli("fix", "--diff", "a.ts", cwd=tmp_path)
    assert proc.returncode == 1
    assert (tmp_path / "a.ts").read_text() == LEGACY
    assert out(proc) == (
        "--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-" + LEGACY + "+" + FIXED
    )
    assert "Would fix 1 finding in 1 file." in proc.stderr.decode()


def test_fix_check_exits_one_when_something_would_change(cli, write, tmp_path):
    write({"a.ts": LEGACY, "b.ts": CLEAN})
    proc = cli("fix", "--check", ".", cwd=tmp_path)
    assert proc.returncode == 1 and "Would fix 1 finding in a.ts" in out(proc)
    assert (tmp_path / "a.ts").read_text() == LEGACY
    assert cli("fix", "--check", "b.ts", cwd=tmp_path).returncode == 0


def test_stdin_with_a_filename(cli):
    proc = cli("check", "-", "--stdin-filename", "src/App.tsx", input=b"const a = <div/>;\n" + LEGACY.encode())
    assert proc.returncode == 1
    assert out(proc).startswith("src/App.tsx:2:17: DD101")
    proc = cli("fix", "-", "--stdin-filename", "x.ts", input=LEGACY.encode())
    assert out(proc) == FIXED
    assert "Fixed 1 finding" in proc.stderr.decode()
    proc = cli("check", "-", "--stdin-filename", "x.txt", input=b"")
    assert proc.returncode == 2 and b"extension" in proc.stderr


def test_bad_files_are_reported_and_the_rest_still_processed(cli, write, tmp_path):
    write({"a.ts": LEGACY, "latin1.js": b"// caf\xe9\nwindow.ddClient.backend.get('/x');\n"})
    proc = cli("fix", ".", "missing-folder", cwd=tmp_path)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "error: latin1.js: is not valid UTF-8 (byte 0xe9 at offset 6)" in err
    assert "error: missing-folder: No such file or directory" in err
    assert (tmp_path / "a.ts").read_text() == FIXED


def test_read_only_file_is_reported_not_fixed(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    os.chmod(tmp_path / "a.ts", 0o444)
    proc = cli("fix", "a.ts", cwd=tmp_path)
    assert proc.returncode == 2 and "read-only" in proc.stderr.decode()
    assert (tmp_path / "a.ts").read_text() == LEGACY


def test_unsafe_fixes_flag_is_accepted(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    proc = cli("fix", "--unsafe-fixes", "a.ts", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "a.ts").read_text() == FIXED


def test_select_and_ignore(cli, write, tmp_path):
    write({"a.ts": LEGACY})
    assert cli("check", "--ignore", "backend-http", ".", cwd=tmp_path).returncode == 0
    assert cli("check", "--select", "DD1", ".", cwd=tmp_path).returncode == 1
    proc = cli("check", "--select", "nonsense", ".", cwd=tmp_path)
    assert proc.returncode == 2 and b"unknown rule 'nonsense'" in proc.stderr


def test_rules_and_explain(cli):
    proc = cli("rules")
    assert re.search(r"^DD101\s+backend-http\s+sometimes\s+", out(proc), re.M)
    listed = json.loads(out(cli("rules", "--format", "json")))
    assert {"code": "DD101", "name": "backend-http"}.items() <= next(r for r in listed if r["code"] == "DD101").items()
    for ident in ("backend-http", "DD101"):
        text = out(cli("explain", ident))
        assert "## Why is this bad?" in text and "extension.vm?.service?.get" in text
        assert "https://docs.docker.com/" in text
    proc = cli("explain", "nope")
    assert proc.returncode == 2 and b"unknown rule" in proc.stderr


def test_usage_error_exits_two(cli):
    assert cli("check", "--format", "xml").returncode == 2
    assert cli("frobnicate").returncode == 2


def test_walk_skips_vendored_ignored_and_generated_folders(cli, write, tmp_path):
    (tmp_path / ".git").mkdir()
    write({
        ".gitignore": "generated/\n*.gen.ts\n!keep.gen.ts\n",
        "src/a.ts": LEGACY,
        "src/b.gen.ts": LEGACY,
        "src/keep.gen.ts": LEGACY,
        "src/nested/.gitignore": "local.ts\n",
        "src/nested/local.ts": LEGACY,
        "src/nested/other.ts": LEGACY,
        "generated/x.ts": LEGACY,
        "node_modules/pkg/index.js": LEGACY,
        "dist/bundle.js": LEGACY,
        "build/out.js": LEGACY,
        "src/readme.md": LEGACY,
        "src/style.css": LEGACY,
    })
    report = json.loads(out(cli("check", "--format", "json", cwd=tmp_path)))
    assert sorted(f["path"] for f in report["findings"]) == [
        "src/a.ts", "src/keep.gen.ts", "src/nested/other.ts"]
    # Run from a subfolder: the repository's .gitignore still applies.
    report = json.loads(out(cli("check", ".", "--format", "json", cwd=tmp_path / "src")))
    assert sorted(f["path"] for f in report["findings"]) == ["a.ts", "keep.gen.ts", "nested/other.ts"]
    # A file named explicitly is checked wherever it is.
    assert cli("check", "node_modules/pkg/index.js", cwd=tmp_path).returncode == 1


def test_symlink_out_of_the_tree_is_not_followed(cli, write, tmp_path):
    outside = write({"outside/x.ts": LEGACY})
    write({"tree/a.ts": CLEAN})
    os.symlink(outside / "outside" / "x.ts", tmp_path / "tree" / "link.ts")
    os.symlink(tmp_path / "tree", tmp_path / "tree" / "loop")
    proc = cli("check", "tree", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)


def test_file_changed_between_read_and_write_is_not_overwritten(tmp_path):
    from migrator.core.writer import WriteError, write_atomic

    path = tmp_path / "a.ts"
    path.write_text("new content from an editor\n")
    with pytest.raises(WriteError, match="changed on disk"):
        write_atomic(str(path), LEGACY.encode(), FIXED.encode())
    assert path.read_text() == "new content from an editor\n"
    assert os.listdir(tmp_path) == ["a.ts"]


def test_a_long_line_is_shown_as_a_window_around_the_finding(cli, write, tmp_path):
    minified = "var a=1;" * 2000 + "window.ddClient.backend.get('/x');" + "var b=2;" * 2000 + "\n"
    write({"bundle.min.js": minified})
    lines = out(cli("check", "bundle.min.js", cwd=tmp_path)).splitlines()
    frame = next(line for line in lines if line.startswith("1 | "))
    assert len(frame) < 200 and frame.startswith("1 | …") and frame.endswith("…")
    carets = lines[lines.index(frame) + 1]
    start = carets.index("^")
    assert frame[start:start + len("window.ddClient.backend.get")] == "window.ddClient.backend.get"
