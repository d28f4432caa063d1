"""Whole runs: the cache, the process pool, statistics, quiet and verbose output, progress."""

import json
import os
import shutil
import subprocess
import sys

LEGACY = "window.ddClient.backend.get('/x');\n"


def make_tree(root, files=120, legacy_every=3):
    for i in range(files):
        body = f"export const v{i} = {i};\n" + (f"// ddClient call\n{LEGACY}" if i % legacy_every == 0 else "")
        path = root / f"pkg{i % 7}" / f"m{i}.{'ts' if i % 2 else 'js'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)


def report(proc):
    data = json.loads(proc.stdout)
    return sorted((f["path"], f["line"], f["code"], f["fix"]) for f in data["findings"]), data["errors"]


def test_pool_and_serial_runs_agree_in_stable_order(cli, tmp_path):
    make_tree(tmp_path)
    serial = cli("check", ".", "--format", "json", "--no-cache", "-j", "1", cwd=tmp_path)
    pooled = cli("check", ".", "--format", "json", "--no-cache", "-j", "2", cwd=tmp_path)
    assert report(serial) == report(pooled)
    assert len(report(serial)[0]) == 40
    # The order of findings is the input order, not the order workers finished in.
    assert json.loads(serial.stdout)["findings"] == json.loads(pooled.stdout)["findings"]


def test_warm_cache_gives_the_same_report_and_notices_changes(cli, tmp_path):
    make_tree(tmp_path, files=30)
    cold = cli("check", ".", "--format", "json", cwd=tmp_path)
    assert (tmp_path / ".ddmigrate_cache" / ".gitignore").read_text().strip().endswith("*")
    warm = cli("check", ".", "--format", "json", cwd=tmp_path)
    assert report(cold) == report(warm)
    assert json.loads(warm.stdout)["findings"][0]["message"] == json.loads(cold.stdout)["findings"][0]["message"]
    # An edited file is read again, whatever its timestamp says.
    target = tmp_path / "pkg1" / "m1.ts"
    stat = os.stat(target)
    target.write_text(LEGACY + LEGACY)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    changed = report(cli("check", ".", "--format", "json", cwd=tmp_path))[0]
    assert ("pkg1/m1.ts", 2, "DD101", "safe") in changed
    # The cache is keyed by configuration: a narrower selection is not served stale results.
    assert report(cli("check", ".", "--format", "json", "--select", "DD3", cwd=tmp_path))[0] == []


def test_the_cache_is_never_trusted_for_fixing(cli, tmp_path):
    make_tree(tmp_path, files=12)
    cli("check", ".", cwd=tmp_path)
    cli("fix", ".", cwd=tmp_path)
    assert "backend.get" not in (tmp_path / "pkg0" / "m0.js").read_text()
    assert cli("check", ".", cwd=tmp_path).returncode == 0


def test_no_cache_writes_no_cache(cli, tmp_path):
    make_tree(tmp_path, files=3)
    cli("check", ".", "--no-cache", cwd=tmp_path)
    assert not (tmp_path / ".ddmigrate_cache").exists()


def test_statistics_quiet_and_verbose(cli, tmp_path):
    make_tree(tmp_path, files=9)
    (tmp_path / "t.ts").write_text("window.ddClient.toastError('x');\nwindow.ddClient.execHostCmd('a | b');\n")
    stats = cli("check", ".", "--statistics", cwd=tmp_path).stdout.decode().splitlines()
    assert stats[:3] == ["3  DD101  [*] backend-http", "1  DD210  [ ] chained-shell-command", "1  DD302  [*] toast"]
    quiet = cli("check", ".", "-q", cwd=tmp_path).stdout.decode()
    assert "Found" not in quiet and "DD101" in quiet
    verbose = cli("check", ".", "-v", cwd=tmp_path).stderr.decode()
    assert "ddmigrate " in verbose and " files in " in verbose


def test_progress_bar_only_on_a_terminal(tmp_path):
    make_tree(tmp_path, files=600, legacy_every=1000)
    plain = subprocess.run([sys.executable, "-m", "migrator", "check", ".", "--no-cache"], cwd=tmp_path,
                           capture_output=True, env={**os.environ, "CI": ""})
    assert b"Checking" not in plain.stderr
    script = shutil.which("script")
    if script is None:
        return
    # `script` gives the command a real terminal.
    tty = subprocess.run([script, "-qec", f"{sys.executable} -m migrator check . --no-cache", "/dev/null"],
                         cwd=tmp_path, capture_output=True, env={**os.environ, "CI": "", "TERM": "dumb"})
    assert b"Checking" in tty.stdout
    in_ci = subprocess.run([script, "-qec", f"{sys.executable} -m migrator check . --no-cache", "/dev/null"],
                           cwd=tmp_path, capture_output=True, env={**os.environ, "CI": "true"})
    assert b"Checking" not in in_ci.stdout
