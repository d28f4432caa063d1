"""`fix --report FILE` (a Markdown migration report) and `--show-fixes`, through the real command."""

import re

import pytest

APP = """\
import React, { useEffect, useState } from "react";
import { createDockerDesktopClient } from "@docker/extension-api-client";

const client = createDockerDesktopClient();

export function App() {
  const [hello, setHello] = useState<string>("");
  useEffect(() => {
    client.backend.get("/hello").then((value: any) => setHello(JSON.stringify(value)));
  }, []);
  const save = async (name: string) => {
    await client.backend.post("/todos", { name });
    client.toastSuccess(`Saved ${name}`);
  };
  const list = async (folder: string) => {
    const result = await client.backend.execInVMExtension(`ls -la ${folder}`);
    const sizes = await client.backend.execInVMExtension(`du -s ${folder}`);
    const owner = await client.backend.execInVMExtension(`stat -c %U ${folder}`);
    return [result.stdout, sizes.stdout, owner.stdout];
  };
  return <button onClick={() => save("milk")}>{hello}</button>;
}
"""

LEGACY = """\
// Helpers written against the first version of the extension API.
export async function clusterInfo() {
  const out = await window.ddClient.execHostCmd("kubectl get nodes -o json | jq '.items | length'");
  return out.stdout;
}

export async function contexts() {
  const out = await window.ddClient.execHostCmd("kubectl config get-contexts | grep docker");
  return out.stdout;
}

export function ping() {
  return window.ddClient.backend.head("/ping");
}
"""

CLEAN = "export const version = 1;\n"

HOST_REASON = "a shell command line cannot become one exec call"
UNSAFE_HEADING = "### an unsafe fix is available, but unsafe fixes were not applied (3)"


@pytest.fixture
def extension(write, tmp_path):
    write({"ui/src/App.tsx": APP, "ui/src/legacy.js": LEGACY, "ui/src/version.ts": CLEAN,
           # (a backend socket and kubectl shipped: the metadata rules have nothing to say)
           "metadata.json": '{"vm": {"image": "todo", "exposes": {"socket": "todo.sock"}}, "host": {"binaries": [{"darwin":'
                            ' [{"path": "/darwin/kubectl"}], "windows": [{"path": "/windows/kubectl.exe"}], "linux":'
                            ' [{"path": "/linux/kubectl"}]}]}, "ui": {"dashboard-tab": {"title": "Todo"}}}\n'})
    return tmp_path


def sources(root):
    return {p: (root / p).read_bytes() for p in ("ui/src/App.tsx", "ui/src/legacy.js", "ui/src/version.ts")}


def section(report: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = report.index(heading + "\n")
    rest = report[start + len(heading) + 1:]
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", rest, re.M)]
    return rest[:ends[0]] if ends else rest


def test_report_after_fixing_in_place(cli, extension):
    proc = cli("fix", "--no-cache", "--report", "migration.md", ".", cwd=extension)
    assert proc.returncode == 1, proc.stderr.decode()  # findings remain
    report = (extension / "migration.md").read_text(encoding="utf-8")
    assert report.startswith("# ddmigrate migration report\n")
    assert "dry run" not in report

    # Totals: App.tsx has 3 safe fixes (get, post, toast) and three unsafe ones left; legacy.js one safe fix
    # (head) and two chained host commands that cannot be fixed.
    assert "- Files read: 3\n" in report
    assert "- Files changed: 2\n" in report
    assert "- Findings fixed (safe): 4\n" in report
    assert "- Findings fixed (unsafe): 0\n" in report
    assert "- Findings remaining: 5\n" in report

    rows = [line for line in section(report, "## By rule").splitlines() if line.startswith("| DD")]
    assert rows == [
        "| DD101 | backend-http | 3 | 0 | 0 |",
        "| DD201 | exec-in-vm-extension | 0 | 0 | 3 |",
        "| DD210 | chained-shell-command | 0 | 0 | 2 |",
        "| DD302 | toast | 1 | 0 | 0 |",
    ]
    assert "| Code | Rule | Fixed (safe) | Fixed (unsafe) | Remaining |" in report

    changed = section(report, "## Files changed").strip().splitlines()
    assert changed == ["- `ui/src/App.tsx` (3 fixes)", "- `ui/src/legacy.js` (1 fix)"]

    # Remaining findings, grouped by reason, the most frequent reason first.
    remaining = section(report, "## Remaining findings")
    headings = re.findall(r"^### .*$", remaining, re.M)
    assert headings == [UNSAFE_HEADING, f"### {HOST_REASON} (2)"]
    host = section(report, f"### {HOST_REASON} (2)")
    items = re.findall(r"^- `([^`]+)` (DD\d+) \[([a-z-]+)\]: (.*)$", host, re.M)
    assert [(where, code) for where, code, _, _ in items] == [("ui/src/legacy.js:3", "DD210"), ("ui/src/legacy.js:8", "DD210")]
    assert all("shell pipe" in message for *_, message in items)
    assert host.count("  - By hand: ") == 2 and "`ddmigrate explain chained-shell-command`" in host
    unsafe = section(report, UNSAFE_HEADING)
    assert len(re.findall(r"^- `ui/src/App.tsx:\d+` DD201 \[exec-in-vm-extension\]: ", unsafe, re.M)) == 3
    assert "--unsafe-fixes" in unsafe
    assert "## Errors" not in report

    # The sources were fixed, and the line numbers in the report are those of the files on disk.
    fixed = sources(extension)
    assert b"client.extension.vm" in fixed["ui/src/App.tsx"] and b"toastSuccess" not in fixed["ui/src/App.tsx"]
    assert fixed["ui/src/legacy.js"].splitlines()[2].lstrip().startswith(b"const out = await window.ddClient.execHostCmd(")
    assert not [p.name for p in extension.iterdir() if p.name.startswith(".ddmigrate-report-")]


def test_report_is_deterministic_and_counts_unsafe_fixes(cli, extension, tmp_path):
    proc = cli("fix", "--no-cache", "--unsafe-fixes", "--report", "one.md", ".", cwd=extension)
    assert proc.returncode == 1, proc.stderr.decode()
    report = (extension / "one.md").read_text(encoding="utf-8")
    assert "- Findings fixed (safe): 4\n" in report
    assert "- Findings fixed (unsafe): 3\n" in report
    assert "- Findings remaining: 2\n" in report
    assert "| DD201 | exec-in-vm-extension | 0 | 3 | 0 |" in report
    assert UNSAFE_HEADING not in report
    # The same tree, fixed by worker processes: the same report.
    again = tmp_path / "again"
    for name, data in {"ui/src/App.tsx": APP, "ui/src/legacy.js": LEGACY, "ui/src/version.ts": CLEAN}.items():
        (again / name).parent.mkdir(parents=True, exist_ok=True)
        (again / name).write_text(data, encoding="utf-8")
    cli("fix", "--no-cache", "--unsafe-fixes", "-j", "2", "--report", "two.md", ".", cwd=again)
    assert (again / "two.md").read_text(encoding="utf-8") == report


def test_report_with_diff_describes_what_would_be_fixed_and_writes_no_source(cli, extension):
    before = sources(extension)
    proc = cli("fix", "--no-cache", "--diff", "--report", "preview.md", ".", cwd=extension)
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith("--- a/ui/src/App.tsx")  # the diff is still printed
    assert sources(extension) == before
    report = (extension / "preview.md").read_text(encoding="utf-8")
    title = report.splitlines()[0]
    assert title.startswith("# ddmigrate migration report") and "dry run" in title and "would" in title
    assert "Nothing was written" in report
    assert "- Files that would change: 2\n" in report
    assert "- Findings that would be fixed (safe): 4\n" in report
    assert "| Code | Rule | Would fix (safe) | Would fix (unsafe) | Remaining |" in report
    assert "| DD101 | backend-http | 3 | 0 | 0 |" in report
    assert f"### {HOST_REASON} (2)" in report


def test_report_with_check(cli, extension):
    before = sources(extension)
    proc = cli("fix", "--no-cache", "--check", "--report", "preview.md", ".", cwd=extension)
    assert proc.returncode == 1
    assert sources(extension) == before
    report = (extension / "preview.md").read_text(encoding="utf-8")
    assert "dry run" in report.splitlines()[0] and "`ddmigrate fix --check`" in report


def test_report_lists_errors_and_a_clean_run(cli, write, tmp_path):
    write({"src/ok.ts": CLEAN, "src/bad.js": b"window.ddClient.backend.get('/x'); // caf\xe9\n"})
    proc = cli("fix", "--no-cache", "--report", "r.md", "src", cwd=tmp_path)
    assert proc.returncode == 2
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "- Files read: 1\n- Files changed: 0\n" in report
    assert "- Files that could not be processed: 1\n" in report
    assert "## By rule\n\nNo findings.\n" in report
    assert "## Files changed\n\nNone.\n" in report
    errors = section(report, "## Errors").strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("- `src/bad.js`: is not valid UTF-8")


def test_report_in_a_missing_folder_is_an_error_before_anything_is_fixed(cli, extension):
    before = sources(extension)
    proc = cli("fix", "--no-cache", "--report", "missing/migration.md", ".", cwd=extension)
    assert proc.returncode == 2
    error = proc.stderr.decode()
    assert "--report" in error and "missing/migration.md: cannot be written" in error and "does not exist" in error
    # Nothing was fixed: a second run could not have told what the first one fixed.
    assert sources(extension) == before
    assert not (extension / "missing").exists()


def test_report_path_that_is_a_folder_is_an_error_before_anything_is_fixed(cli, extension):
    (extension / "migration.md").mkdir()
    before = sources(extension)
    proc = cli("fix", "--no-cache", "--report", "migration.md", ".", cwd=extension)
    assert proc.returncode == 2
    assert "--report" in proc.stderr.decode() and "migration.md" in proc.stderr.decode()
    assert sources(extension) == before


def test_a_report_write_that_fails_late_is_exit_2_and_the_sources_stay_fixed(cli, extension):
    # `notes/` passes the early check (its folder exists) but cannot be a file: the rename fails.
    proc = cli("fix", "--no-cache", "--report", "notes/", ".", cwd=extension)
    assert proc.returncode == 2
    assert "error: notes/: cannot write the report: Not a directory" in proc.stderr.decode()
    assert "Fixed 4 findings in 2 files" in proc.stdout.decode()
    assert b"client.extension.vm" in (extension / "ui/src/App.tsx").read_bytes()
    assert not [p.name for p in extension.iterdir() if p.name.startswith(".ddmigrate-report-")]


def test_a_report_that_cannot_be_renamed_into_place_leaves_nothing_behind(tmp_path):
    # What `fix` reports (exit 2, after fixing) when the folder passed the early check but the
    # write itself fails: the reason, and no temporary file left behind.
    from migrator.cli import _write_report

    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep").write_text("x")
    reason = _write_report(str(tmp_path / "taken"), "# report\n")
    assert reason and "directory" in reason.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert _write_report(str(tmp_path / "ok.md"), "# report\n") is None
    assert (tmp_path / "ok.md").read_text() == "# report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.md", "taken"]


def test_show_fixes_lists_each_fixed_finding(cli, extension):
    proc = cli("fix", "--no-cache", "--unsafe-fixes", "--show-fixes", ".", cwd=extension)
    assert proc.returncode == 1
    text = proc.stdout.decode()
    tail = text[text.index("Fixed 7 findings in 2 files"):].splitlines()
    assert tail[1] == "Fixed 7 findings:"
    lines = tail[2:]
    assert len(lines) == 7
    assert all(re.match(r"^ui/src/(App\.tsx|legacy\.js):\d+:\d+: DD\d{3} \[[a-z-]+\] ", line) for line in lines)
    assert lines == sorted(lines, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2])))
    unsafe = [line for line in lines if line.endswith(" (unsafe)")]
    assert len(unsafe) == 3 and all(" DD201 [exec-in-vm-extension] " in line for line in unsafe)
    assert any(" DD302 [toast] " in line for line in lines)
    assert any(line.startswith("ui/src/legacy.js:") and " DD101 [backend-http] " in line for line in lines)


def test_show_fixes_with_diff_and_without_fixes(cli, extension):
    proc = cli("fix", "--no-cache", "--diff", "--show-fixes", ".", cwd=extension)
    err = proc.stderr.decode()
    assert "Would fix 4 findings:\n" in err and " (unsafe)" not in err
    proc = cli("fix", "--no-cache", "--show-fixes", "ui/src/version.ts", cwd=extension)
    assert proc.returncode == 0 and "No findings were fixed." in proc.stdout.decode()


def test_show_fixes_on_check(cli, extension):
    proc = cli("check", "--no-cache", "--show-fixes", ".", cwd=extension)
    assert proc.returncode == 1
    assert proc.stdout.decode().rstrip().endswith("No findings were fixed (`check` only reports; `ddmigrate fix` fixes).")
    assert b"client.backend.get" in (extension / "ui/src/App.tsx").read_bytes()
    proc = cli("check", "--no-cache", "--fix", "--show-fixes", ".", cwd=extension)
    assert "Fixed 4 findings:\n" in proc.stdout.decode()
