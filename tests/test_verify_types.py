"""`fix --verify-types` with a real TypeScript from npm (tests/typecheck.py installs it)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.typecheck import ensure_packages

pytestmark = pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="needs node and npm")

TSCONFIG = {"compilerOptions": {"strict": True, "noEmit": True, "target": "es2022", "module": "es2022",
                                "moduleResolution": "bundler", "skipLibCheck": True, "lib": ["es2022", "dom"], "types": []},
            "include": ["src"]}

V0_WINDOW = """interface Window {
  ddClient: {
    backend: { execInContainer(container: string, cmd: string): Promise<string> };
    docker: { cli: {} };
  };
}
"""
# Both the v0 members and the v1 ones they move to, typed by hand (no package.json: left alone).
TYPED_WINDOW = """interface Window {
  ddClient: {
    backend: { execInContainer(c: string, cmd: string): Promise<string>; execInVMExtension(cmd: string): Promise<unknown> };
    docker: { cli: { exec(cmd: string, args: string[]): Promise<{ stdout: string }> } };
    extension: { vm?: { cli: { exec(cmd: string, args: string[]): Promise<unknown> } } };
  };
}
"""
V0_CALL = """export async function status(): Promise<string> {
  return await window.ddClient.backend.execInContainer("svc", "cat /status");
}
"""
VM_CALL = """export async function run() {
  await window.ddClient.backend.execInVMExtension("ls -la");
}
"""


def project(tmp_path, files):
    (tmp_path / "node_modules").symlink_to(ensure_packages(), target_is_directory=True)
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    for name, code in files.items():
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
    return tmp_path


def run_fix(folder, *args):
    proc = subprocess.run([sys.executable, "-m", "migrator", "fix", "--allow-dirty", "--no-cache", "--verify-types",
                           "--format", "json", *args, "src"], cwd=folder, capture_output=True, text=True, timeout=600)
    return proc, json.loads(proc.stdout)


def test_a_fix_that_adds_a_type_error_is_reverted_with_tscs_message(tmp_path):
    folder = project(tmp_path, {"env.d.ts": V0_WINDOW, "status.ts": V0_CALL})
    proc, report = run_fix(folder)
    assert (folder / "src" / "status.ts").read_text() == V0_CALL
    assert report["reverted_files"] == [os.path.join("src", "status.ts")]
    assert report["changed_files"] == []
    finding = next(f for f in report["findings"] if f["code"] == "DD203")
    assert finding["fix"] == "none"
    assert "fix reverted: it adds a type error" in finding["no_fix_reason"]
    assert "error TS2339: Property 'exec' does not exist on type '{}'" in finding["no_fix_reason"]
    assert any("tsc checked 1 fixed file in" in n and "1 reverted" in n for n in report["notes"])


def test_a_project_that_type_checks_keeps_every_fix(tmp_path):
    folder = project(tmp_path, {"env.d.ts": TYPED_WINDOW, "run.ts": VM_CALL,
                                "status.ts": V0_CALL.replace("Promise<string>", "Promise<unknown>")})
    proc, report = run_fix(folder)
    assert report["reverted_files"] == []
    assert sorted(report["changed_files"]) == [os.path.join("src", "run.ts"), os.path.join("src", "status.ts")]
    assert "extension.vm!.cli.exec" in (folder / "src" / "run.ts").read_text()
    assert "docker.cli.exec" in (folder / "src" / "status.ts").read_text()


def test_errors_from_before_the_fix_are_kept_and_nothing_more(tmp_path):
    before = 'const x: number = "not a number";\n' + VM_CALL
    folder = project(tmp_path, {"env.d.ts": TYPED_WINDOW, "run.ts": before, "broken.ts": V0_CALL})
    proc, report = run_fix(folder)
    # run.ts had an error before; its fix adds none, so it is kept (and the old error stays).
    run_ts = (folder / "src" / "run.ts").read_text()
    assert run_ts.startswith('const x: number = "not a number";\n') and "extension.vm!.cli.exec" in run_ts
    # broken.ts gains an error (the v1 result is not a string): reverted.
    assert (folder / "src" / "broken.ts").read_text() == V0_CALL
    assert report["reverted_files"] == [os.path.join("src", "broken.ts")]


def test_without_the_flag_nothing_is_type_checked(tmp_path):
    folder = project(tmp_path, {"env.d.ts": V0_WINDOW, "status.ts": V0_CALL})
    proc = subprocess.run([sys.executable, "-m", "migrator", "fix", "--allow-dirty", "--no-cache", "src"], cwd=folder,
                          capture_output=True, text=True, timeout=600)
    assert "docker.cli.exec" in (folder / "src" / "status.ts").read_text()
    assert "tsc" not in proc.stdout


def test_the_summary_says_how_long_tsc_took(tmp_path):
    folder = project(tmp_path, {"env.d.ts": TYPED_WINDOW, "run.ts": VM_CALL})
    proc = subprocess.run([sys.executable, "-m", "migrator", "fix", "--allow-dirty", "--no-cache", "--verify-types", "src"],
                          cwd=folder, capture_output=True, text=True, timeout=600)
    assert "note: --verify-types: tsc checked 1 fixed file in" in proc.stdout
    assert " s; 0 reverted" in proc.stdout


MIXED_WINDOW = """interface Window {
  ddClient: {
    backend: { execInContainer(container: string, cmd: string): Promise<string> };
    toastError(message: string): void;
    desktopUI: { toast: { error(message: string): void } };
    docker: { cli: {} };
  };
}
"""
MIXED_CALLS = """export async function status(): Promise<string> {
  window.ddClient.toastError("checking");
  return await window.ddClient.backend.execInContainer("svc", "cat /status");
}
"""


def test_when_a_files_fixes_fail_together_those_that_pass_alone_are_kept(tmp_path):
    folder = project(tmp_path, {"env.d.ts": MIXED_WINDOW, "status.ts": MIXED_CALLS})
    proc, report = run_fix(folder)
    fixed = (folder / "src" / "status.ts").read_text()
    assert fixed == MIXED_CALLS.replace('window.ddClient.toastError("checking")',
                                        'window.ddClient.desktopUI.toast.error("checking")'), fixed
    assert report["changed_files"] == [os.path.join("src", "status.ts")]
    [left] = [f for f in report["findings"] if f["path"].endswith("status.ts")]
    assert left["code"] == "DD203" and left["fix"] == "none"
    assert [f["code"] for f in report["fixed"]] == ["DD302"]
    assert left["no_fix_reason"].startswith("fix reverted: it adds a type error: DD203 [exec-in-container] at line 3:")
    assert "TS2339" in left["no_fix_reason"]
    assert any("1 partly" in n for n in report["notes"]), report["notes"]
    # A second run with the guard changes nothing.
    again, report = run_fix(folder)
    assert (folder / "src" / "status.ts").read_text() == fixed
