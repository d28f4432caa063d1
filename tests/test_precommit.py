"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit.

`pre-commit try-repo` clones the hook repository at HEAD, adding tracked files' uncommitted
changes but not untracked files, and installs the hook's Python environment (ddmigrate and its
dependencies from the package index) into a temporary store on every call. To test the working
tree as it is (in a fresh CI clone and in a work tree with new files alike), the test commits a
snapshot of the repository's files (tracked and untracked, less what .gitignore excludes) to a
temporary repository and points try-repo at that.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.core.languages import EXTENSIONS
from tests.conftest import REPO

APP = 'window.ddClient.backend.get("/x");\n'
FIXED = 'window.ddClient.extension.vm?.service?.get("/x");\n'
GIT_ENV = {
    "GIT_AUTHOR_NAME": "ddmigrate tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "ddmigrate tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(tmp / "pre-commit-home"), PIP_DISABLE_PIP_VERSION_CHECK="1",
               NO_COLOR="1")
    return env


def git(*args, cwd, env) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def snapshot_repository(target: Path, env: dict) -> Path:
    """This repository's files as they are now, committed to a new repository at ``target``."""
    listing = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO, env=env)
    target.mkdir()
    for name in filter(None, listing.split("\0")):
        source = REPO / name
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # migrator/rules -> ../rules stays a link
            (target / name).symlink_to(os.readlink(source))
            continue
        if not source.is_file():  # deleted in the work tree
            continue
        shutil.copy2(source, target / name)
    git("init", "-q", cwd=target, env=env)
    git("add", "-A", cwd=target, env=env)
    git("commit", "-q", "--no-gpg-sign", "-m", "snapshot", cwd=target, env=env)
    return target


def pre_commit(*args, cwd, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args, "--color", "never"],
                          cwd=cwd, env=env, capture_output=True, timeout=900)


def show(proc) -> str:
    return proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")


@pytest.fixture
def project(tmp_path):
    """A repository with a deprecated call, a clean file, and files the hooks must not be given."""
    env = _env(tmp_path)
    root = tmp_path / "project"
    files = {
        "src/app.ts": APP,
        "src/ok.js": "export const ok = 1;\n",
        "src/mod.mts": APP,  # no identify tag: picked by the hooks' `files` pattern alone
        "vendor/old.ts": APP,  # excluded by the configuration: pre-commit names it, --force-exclude drops it
        ".ddmigrate.toml": 'extend-exclude = ["vendor/"]\n',
        "ui/index.html": "<!doctype html><script>window.ddClient.toastError('x')</script>\n",
        "ui/page.xhtml": "<html/>\n",  # identify tags it `html`; ddmigrate does not read it
        "binding.gyp": "{ 'targets': [] }\n",  # identify tags it `python`; ddmigrate does not read it
        "README.md": "ddClient.backend.get\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", cwd=root, env=env)
    git("add", "-A", cwd=root, env=env)
    git("commit", "-q", "--no-gpg-sign", "-m", "project", cwd=root, env=env)
    return root, env


def test_hooks_fail_then_fix_then_pass(project, tmp_path):
    root, env = project
    if not (REPO / ".git").exists():
        pytest.skip("not a git work tree")
    hooks = snapshot_repository(tmp_path / "hook-repo", env)

    check = pre_commit("try-repo", str(hooks), "ddmigrate", "--all-files", cwd=root, env=env)
    out = show(check)
    assert check.returncode == 1, out
    assert re.search(r"^ddmigrate \(.*\)\.+Failed$", out, re.M), out
    assert "src/app.ts:1:1: DD101 [backend-http]" in out
    assert "ui/index.html:1:24: DD302 [toast]" in out
    assert "src/mod.mts:1:1: DD101 [backend-http]" in out
    assert "binding.gyp" not in out and "page.xhtml" not in out and "vendor/old.ts" not in out
    assert out.count("Found ") == 1, out  # require_serial: one process, one summary
    assert (root / "src/app.ts").read_text() == APP

    fix = pre_commit("try-repo", str(hooks), "ddmigrate-fix", "--all-files", cwd=root, env=env)
    out = show(fix)
    assert fix.returncode == 1, out
    assert re.search(r"^ddmigrate fix \(.*\)\.+Failed$", out, re.M), out
    assert "files were modified by this hook" in out
    assert (root / "src/app.ts").read_text() == FIXED
    assert (root / "src/mod.mts").read_text() == FIXED
    assert (root / "vendor/old.ts").read_text() == APP
    assert "desktopUI.toast.error('x')" in (root / "ui/index.html").read_text()

    again = pre_commit("try-repo", str(hooks), "ddmigrate", "--all-files", cwd=root, env=env)
    out = show(again)
    assert again.returncode == 0, out
    assert re.search(r"^ddmigrate \(.*\)\.+Passed$", out, re.M), out


# --- the manifest, without running pre-commit ---------------------------------------------------


def manifest() -> list[dict]:
    from pre_commit.clientlib import load_manifest  # validates it as pre-commit does

    return load_manifest(str(REPO / ".pre-commit-hooks.yaml"))


def test_manifest_declares_both_hooks():
    hooks = {hook["id"]: hook for hook in manifest()}
    assert set(hooks) == {"ddmigrate", "ddmigrate-fix"}
    assert hooks["ddmigrate"]["entry"] == "ddmigrate check --force-exclude"
    assert hooks["ddmigrate-fix"]["entry"] == "ddmigrate fix --force-exclude --allow-dirty"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
        assert hook["types"] == ["file"] and not hook["types_or"]  # the `files` pattern picks


def selected(hook: dict, path: Path) -> bool:
    """Whether pre-commit passes ``path`` to ``hook``: ``files`` by re.search, then tags."""
    from identify.identify import tags_from_path

    if not re.search(hook["files"], str(path)) or re.search(hook["exclude"], str(path)):
        return False
    tags = tags_from_path(str(path))
    types_or = set(hook["types_or"])
    return (not types_or or bool(tags & types_or)) and set(hook["types"]) <= tags and not tags & set(hook["exclude_types"])


def test_hooks_are_given_exactly_the_files_ddmigrate_reads(tmp_path):
    from identify import extensions

    names = ({f"a.{ext}" for ext in extensions.EXTENSIONS} | {f"a{ext}" for ext in EXTENSIONS}
             | {"a.JS", "a.HTML", "wscript"})
    for name in names:
        (tmp_path / name).write_text("x\n")
    for hook in manifest():
        for name in sorted(names):
            reads = os.path.splitext(name)[1].lower() in EXTENSIONS  # .mts/.cts too, which identify has no tag for
            assert selected(hook, tmp_path / name) == reads, (hook["id"], name)
