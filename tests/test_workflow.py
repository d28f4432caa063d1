"""Workflow guards, on real git repositories and the real command: `fix` refuses to rewrite
uncommitted work, the shim `ddmigrate shim` writes is never checked or fixed, and
`--force-exclude` applies the configured exclusions to files named on the command line."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

LEGACY = "window.ddClient.backend.get('/hello');\n"
FIXED = "window.ddClient.extension.vm?.service?.get('/hello');\n"
CLEAN = "export const x = 1;\n"


def git(*args, cwd) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    proc = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, env=env, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def commit(root: Path) -> None:
    git("add", "-A", cwd=root)
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "-m", "files", cwd=root)


@pytest.fixture
def repo(tmp_path, write):
    """A git repository with one committed file holding a deprecated call."""
    root = tmp_path / "repo"
    write({"ui/src/app.ts": LEGACY, "ui/src/ok.ts": CLEAN}, base=root)
    git("init", "-q", cwd=root)
    commit(root)
    return root


def err(proc) -> str:
    return proc.stderr.decode()


def out(proc) -> str:
    return proc.stdout.decode()


# --- fix and uncommitted changes ------------------------------------------------------------------


def test_clean_committed_file_is_fixed(cli, repo):
    proc = cli("fix", ".", cwd=repo)
    assert proc.returncode == 0, out(proc) + err(proc)
    assert (repo / "ui/src/app.ts").read_text() == FIXED
    assert "Fixed 1 finding in 1 file." in out(proc)
    assert git("status", "--porcelain", cwd=repo) == " M ui/src/app.ts\n"


@pytest.mark.parametrize("how", ["unstaged", "staged", "untracked", "ignored"])
def test_uncommitted_file_is_refused_and_untouched(cli, repo, how):
    target = repo / "ui/src/app.ts"
    if how == "untracked":
        target = repo / "ui/src/new.ts"
    elif how == "ignored":
        (repo / ".gitignore").write_text("gen/\n")
        commit(repo)
        target = repo / "gen/made.ts"
        target.parent.mkdir()
    content = "// edited\n" + LEGACY
    target.write_text(content)
    if how == "staged":
        git("add", str(target), cwd=repo)
    # An ignored file is walked past; named explicitly it is read, and refused.
    proc = cli("fix", "." if how != "ignored" else "gen/made.ts", cwd=repo)
    assert proc.returncode == 2, out(proc) + err(proc)
    rel = target.relative_to(repo).as_posix()
    assert re.search(r"^error: not fixing: 1 file with uncommitted changes in git .*--allow-dirty.*nothing was written",
                     err(proc), re.M), err(proc)
    assert f"  {rel}\n" in err(proc)
    assert target.read_text() == content


def test_refusal_writes_no_file_at_all(cli, repo):
    (repo / "ui/src/other.ts").write_text(LEGACY)  # untracked; app.ts is committed and clean
    proc = cli("fix", ".", cwd=repo)
    assert proc.returncode == 2
    assert "  ui/src/other.ts\n" in err(proc) and "  ui/src/app.ts\n" not in err(proc)
    assert (repo / "ui/src/app.ts").read_text() == LEGACY
    assert (repo / "ui/src/other.ts").read_text() == LEGACY


def test_only_files_to_be_written_count(cli, repo):
    (repo / "ui/src/ok.ts").write_text(CLEAN + "export const y = 2;\n")  # dirty, but nothing to fix
    (repo / "ui/src/notes.txt").write_text(LEGACY)  # dirty, not read at all
    proc = cli("fix", ".", cwd=repo)
    assert proc.returncode == 0, err(proc)
    assert (repo / "ui/src/app.ts").read_text() == FIXED


def test_paths_relative_to_a_subfolder(cli, repo):
    (repo / "ui/src/app.ts").write_text("// edited\n" + LEGACY)
    proc = cli("fix", "src/app.ts", cwd=repo / "ui")
    assert proc.returncode == 2 and "  src/app.ts\n" in err(proc)
    git("checkout", "--", "ui/src/app.ts", cwd=repo)
    assert cli("fix", "src/app.ts", cwd=repo / "ui").returncode == 0
    assert (repo / "ui/src/app.ts").read_text() == FIXED


def test_allow_dirty_goes_ahead(cli, repo):
    (repo / "ui/src/app.ts").write_text("// edited\n" + LEGACY)
    (repo / "ui/src/new.ts").write_text(LEGACY)
    proc = cli("fix", "--allow-dirty", ".", cwd=repo)
    assert proc.returncode == 0, err(proc)
    assert (repo / "ui/src/app.ts").read_text() == "// edited\n" + FIXED
    assert (repo / "ui/src/new.ts").read_text() == FIXED


def test_outside_git_fix_proceeds(cli, write, tmp_path):
    plain = tmp_path / "plain"
    write({"app.ts": LEGACY}, base=plain)
    if subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=plain, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    proc = cli("fix", ".", cwd=plain)
    assert proc.returncode == 0, err(proc)
    assert (plain / "app.ts").read_text() == FIXED


@pytest.mark.parametrize("flag", ["--diff", "--check"])
def test_diff_and_check_never_refuse(cli, repo, flag):
    (repo / "ui/src/app.ts").write_text("// edited\n" + LEGACY)
    proc = cli("fix", flag, ".", cwd=repo)
    assert proc.returncode == 1, err(proc)  # would change something; not 2
    assert "uncommitted" not in err(proc)
    if flag == "--diff":
        assert "+window.ddClient.extension.vm?.service?.get('/hello');" in out(proc)
    assert (repo / "ui/src/app.ts").read_text() == "// edited\n" + LEGACY


def test_stdin_never_refuses(cli, repo):
    (repo / "ui/src/app.ts").write_text("// edited\n" + LEGACY)
    proc = cli("fix", "-", "--stdin-filename", "ui/src/app.ts", cwd=repo, input=LEGACY.encode())
    assert proc.returncode == 0, err(proc)
    assert out(proc) == FIXED


# --- the shim `ddmigrate shim` writes ----------------------------------------------------------------


SHIM = "ui/src/legacy-client.ts"


def test_shim_is_skipped_by_check_and_fix_and_stays_updatable(cli, repo):
    proc = cli("shim", "--out", SHIM, cwd=repo)
    assert proc.returncode == 0, err(proc)
    shim = (repo / SHIM).read_bytes()
    # The module calls v0 on purpose: without its header it has findings.
    body = b"".join(line for line in shim.splitlines(keepends=True) if b"@ddmigrate-shim" not in line)
    (repo / "elsewhere.ts").write_bytes(body)
    assert cli("check", "elsewhere.ts", cwd=repo).returncode == 1
    (repo / "elsewhere.ts").unlink()

    check = cli("check", "-v", ".", cwd=repo)
    assert check.returncode == 1  # app.ts still has its finding
    assert "legacy-client" not in out(check)
    assert "Found 1 finding in 1 file" in out(check) and "1 file skipped" in out(check)
    assert re.search(rf"^skipped {re.escape(SHIM)}: written by `ddmigrate shim`", err(check), re.M), err(check)

    named = cli("check", SHIM, cwd=repo)  # as pre-commit names it
    assert named.returncode == 0 and "DD" not in out(named), out(named)

    # The shim is uncommitted here: being skipped, it does not make fix refuse either.
    fix = cli("fix", ".", SHIM, cwd=repo)
    assert fix.returncode == 0, err(fix)
    assert (repo / SHIM).read_bytes() == shim
    assert (repo / "ui/src/app.ts").read_text() == FIXED

    again = cli("shim", "--out", SHIM, cwd=repo)
    assert again.returncode == 0 and "already up to date" in out(again), out(again) + err(again)


def test_shim_from_an_older_version_is_updated_after_fix(cli, repo):
    assert cli("shim", "--out", SHIM, cwd=repo).returncode == 0
    text = (repo / SHIM).read_text()
    older = re.sub(r"(@ddmigrate-shim version=)\S+", r"\g<1>0.0.1", text)
    assert older != text
    (repo / SHIM).write_text(older)
    commit(repo)
    assert cli("fix", ".", cwd=repo).returncode == 0
    assert (repo / SHIM).read_text() == older
    proc = cli("shim", "--out", SHIM, cwd=repo)
    assert proc.returncode == 0, err(proc)
    assert "updated" in out(proc) and "from version 0.0.1" in out(proc)


# --- --force-exclude ----------------------------------------------------------------------------------


def test_force_exclude_drops_excluded_files_named_explicitly(cli, repo):
    (repo / ".ddmigrate.toml").write_text('extend-exclude = ["vendor/", "*.gen.ts"]\n')
    (repo / "vendor").mkdir()
    (repo / "vendor/old.ts").write_text(LEGACY)
    (repo / "ui/src/api.gen.ts").write_text(LEGACY)
    commit(repo)
    named = ["vendor/old.ts", "ui/src/api.gen.ts", "ui/src/app.ts"]

    plain = cli("check", *named, cwd=repo)  # named explicitly: checked whatever the configuration
    assert plain.returncode == 1 and "Found 3 findings in 3 files" in out(plain), out(plain)

    forced = cli("check", "--force-exclude", *named, cwd=repo)
    assert forced.returncode == 1
    assert "ui/src/app.ts:1:1: DD101" in out(forced)
    assert "vendor/old.ts" not in out(forced) and "api.gen.ts" not in out(forced)
    assert "Found 1 finding in 1 file" in out(forced)

    only = cli("check", "--force-exclude", "vendor/old.ts", cwd=repo)
    assert only.returncode == 0, out(only)

    fix = cli("fix", "--force-exclude", *named, cwd=repo)
    assert fix.returncode == 0, err(fix)
    assert (repo / "vendor/old.ts").read_text() == LEGACY
    assert (repo / "ui/src/api.gen.ts").read_text() == LEGACY
    assert (repo / "ui/src/app.ts").read_text() == FIXED


def test_force_exclude_with_stdin_passes_an_excluded_file_through(cli, repo):
    (repo / ".ddmigrate.toml").write_text('extend-exclude = ["vendor/"]\n')
    args = ("fix", "-", "--stdin-filename", "vendor/old.ts")
    assert out(cli(*args, cwd=repo, input=LEGACY.encode())) == FIXED
    proc = cli(*args, "--force-exclude", cwd=repo, input=LEGACY.encode())
    assert proc.returncode == 0 and out(proc) == LEGACY
