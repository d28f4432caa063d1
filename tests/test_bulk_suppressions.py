"""Bulk suppressions (`ddmigrate-suppressions.json`): the real command on real files."""

import json

from migrator.core import suppressions

CALL = "window.ddClient.backend.get('/{}');\n"
FILE = suppressions.FILENAME


def calls(*names):
    return "".join(CALL.format(n) for n in names)


def out(proc):
    return proc.stdout.decode()


def counts(path):
    return json.loads(path.read_text())["suppressions"]


def test_suppress_all_then_check_exits_zero(cli, write, tmp_path):
    write({"ui/src/api.ts": calls("a", "b", "c"), "ui/src/other.ts": calls("d"), "ok.ts": "export const x = 1;\n"})
    assert cli("check", cwd=tmp_path).returncode == 1
    proc = cli("check", "--suppress-all", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)
    assert "Suppressed 4 findings in 2 files" in out(proc)
    text = (tmp_path / FILE).read_text()
    assert json.loads(text) == {"version": 1, "suppressions": {
        "ui/src/api.ts": {"backend-http": {"count": 3}}, "ui/src/other.ts": {"backend-http": {"count": 1}}}}
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"  # stable diffs
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)
    assert "DD101" not in out(proc)
    assert "4 findings suppressed by ddmigrate-suppressions.json" in out(proc)
    report = json.loads(out(cli("check", "--format", "json", cwd=tmp_path)))
    assert report["findings"] == [] and report["summary"]["suppressed"] == 4
    assert {"files", "findings", "fixed", "errors"} <= set(report["summary"])


def test_one_more_finding_of_the_rule_in_the_file_is_reported(cli, write, tmp_path):
    write({"api.ts": calls("a", "b")})
    assert cli("check", "--suppress-all", cwd=tmp_path).returncode == 0
    write({"api.ts": calls("a", "b", "new")})
    proc = cli("check", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    report = json.loads(out(proc))
    # As ESLint does: past the count, every finding of that rule in that file is reported.
    assert [(f["path"], f["line"]) for f in report["findings"]] == [("api.ts", 1), ("api.ts", 2), ("api.ts", 3)]
    assert report["summary"]["suppressed"] == 0
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 1 and "api.ts:3:1: DD101 [backend-http]" in out(proc)


def test_a_finding_in_another_file_is_reported(cli, write, tmp_path):
    write({"api.ts": calls("a", "b")})
    assert cli("check", "--suppress-all", cwd=tmp_path).returncode == 0
    write({"new.ts": calls("x")})
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert "new.ts:1:1: DD101" in out(proc) and "api.ts:" not in out(proc)
    assert "2 findings suppressed by ddmigrate-suppressions.json" in out(proc)


def test_moving_lines_keeps_them_suppressed(cli, write, tmp_path):
    write({"api.ts": "// header\n" + calls("a", "b")})
    assert cli("check", "--suppress-all", cwd=tmp_path).returncode == 0
    write({"api.ts": "\n\nconst y = 2;\n" + calls("b") + "function f() {}\n" + calls("a")})
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)


def test_a_check_of_a_subfolder_uses_paths_from_the_root(cli, write, tmp_path):
    write({".ddmigrate.toml": "", "ui/src/api.ts": calls("a")})
    assert cli("check", "--suppress-all", "ui", cwd=tmp_path).returncode == 0
    assert counts(tmp_path / FILE) == {"ui/src/api.ts": {"backend-http": {"count": 1}}}
    assert cli("check", "src", cwd=tmp_path / "ui").returncode == 0  # the root is the config file's folder


def test_prune_lowers_and_drops_counts(cli, write, tmp_path):
    write({"api.ts": calls("a", "b", "c"), "other.ts": calls("d"), "gone.ts": calls("e")})
    assert cli("check", "--suppress-all", cwd=tmp_path).returncode == 0
    write({"api.ts": calls("a"), "other.ts": "export {};\n"})
    (tmp_path / "gone.ts").unlink()
    proc = cli("check", "--prune-suppressions", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)
    assert "Pruned 4 suppressions" in out(proc)
    assert counts(tmp_path / FILE) == {"api.ts": {"backend-http": {"count": 1}}}
    write({"api.ts": calls("a", "b")})  # the count no longer hides what was migrated
    assert cli("check", cwd=tmp_path).returncode == 1


def test_prune_keeps_files_and_rules_the_run_did_not_look_at(cli, write, tmp_path):
    write({"a/api.ts": calls("a"), "b/api.ts": calls("b")})
    assert cli("check", "--suppress-all", cwd=tmp_path).returncode == 0
    assert cli("check", "--prune-suppressions", "a", "--select", "toast", cwd=tmp_path).returncode == 0
    assert set(counts(tmp_path / FILE)) == {"a/api.ts", "b/api.ts"}


def test_no_suppressions_ignores_the_file(cli, write, tmp_path):
    write({"api.ts": calls("a")})
    assert cli("check", "--suppress-all", cwd=tmp_path).returncode == 0
    proc = cli("check", "--no-suppressions", cwd=tmp_path)
    assert proc.returncode == 1 and "api.ts:1:1: DD101" in out(proc)
    assert cli("check", "--no-suppressions", "--suppress-all", cwd=tmp_path).returncode == 2


def test_suppressions_location(cli, write, tmp_path):
    write({"api.ts": calls("a"), "ci/.keep": ""})
    proc = cli("check", "--suppress-all", "--suppressions-location", "ci/bulk.json", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)
    assert not (tmp_path / FILE).exists()
    assert counts(tmp_path / "ci" / "bulk.json") == {"api.ts": {"backend-http": {"count": 1}}}
    assert cli("check", cwd=tmp_path).returncode == 1  # the default file does not exist
    assert cli("check", "--suppressions-location", "ci/bulk.json", cwd=tmp_path).returncode == 0


def test_a_broken_file_is_a_usage_error_naming_it(cli, write, tmp_path):
    write({"api.ts": calls("a"), FILE: "{not json"})
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 2
    assert FILE in proc.stderr.decode() and "not valid JSON" in proc.stderr.decode()
    write({FILE: json.dumps({"version": 1, "suppressions": {"api.ts": {"backend-http": 3}}})})
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 2 and FILE in proc.stderr.decode()
    assert cli("check", "--no-suppressions", cwd=tmp_path).returncode == 1


def test_fix_reports_only_what_the_file_does_not_cover(cli, write, tmp_path):
    chained = "window.ddClient.backend.execInVMExtension('ps | grep x');\n"
    write({"api.ts": chained + calls("a")})
    assert cli("check", "--suppress-all", cwd=tmp_path).returncode == 0
    proc = cli("fix", "--allow-dirty", cwd=tmp_path)
    assert proc.returncode == 0, out(proc)
    assert "backend.get" not in (tmp_path / "api.ts").read_text()  # fixing is always fine
    assert "suppressed by ddmigrate-suppressions.json" in out(proc)
    assert cli("fix", "--allow-dirty", "--no-suppressions", "--diff", cwd=tmp_path).returncode == 1
