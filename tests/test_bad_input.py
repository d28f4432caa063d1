"""Bad input, one test each: a clear error that names the file and the reason, and the rest of
the run unaffected (a good file next to the bad one is still fixed). Runs the real command."""

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from migrator.core import engine
from migrator.core.engine import Catalogue
from migrator.core.registry import all_rules
from migrator.core.runner import MAX_ANALYSED_BYTES
from migrator.core.source import SourceFile
from tests.fuzzing import check_fix, error_ranges, final_chain, tracing

LEGACY = "const r = await window.ddClient.backend.get('/hello');\n"
FIXED = "const r = await window.ddClient.extension.vm?.service?.get('/hello');\n"
CALL = "window.ddClient.backend.get('/x')"
CATALOGUE = Catalogue(all_rules())
MEMORY_TARGET_MB = 300  # peak resident memory of one run (the CI issue's target)


def err(proc) -> str:
    return proc.stderr.decode("utf-8", errors="replace")


def out(proc) -> str:
    return proc.stdout.decode("utf-8", errors="replace")


def no_temp_files(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.name.startswith(".ddmigrate-") or p.name.endswith(".tmp")]


# -- contents ---------------------------------------------------------------------------------

UNDECODABLE = [
    ("binary.js", b"\x7fELF\x02\x01\x01\x00\x00\x00" + CALL.encode() + b"\x00\xff", "looks binary (contains NUL bytes)"),
    ("image.ts", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR ddClient", "looks binary (contains NUL bytes)"),
    ("utf16-no-bom.js", (CALL + ";\n").encode("utf-16-le"), "looks binary (contains NUL bytes)"),
    ("invalid.js", b"// \xc3\x28 broken\n" + CALL.encode() + b";\n", "is not valid UTF-8 (byte 0xc3 at offset 3)"),
    ("truncated.tsx", CALL.encode() + b"; // \xe2\x82", "is not valid UTF-8 (byte 0xe2 at offset 38)"),
    ("latin1.jsx", "// café\n".encode("latin-1") + CALL.encode() + b";\n", "is not valid UTF-8 (byte 0xe9 at offset 6)"),
    ("bom-then-latin1.ts", b"\xef\xbb\xbf// caf\xe9\n" + CALL.encode(), "is not valid UTF-8 (byte 0xe9 at offset 9)"),
    ("utf16le.ts", "\ufeff".encode("utf-16-le") + (CALL + ";\n").encode("utf-16-le"), "encoded as UTF-16; only UTF-8 is supported"),
    ("utf16be.mjs", "\ufeff".encode("utf-16-be") + (CALL + ";\n").encode("utf-16-be"), "encoded as UTF-16; only UTF-8 is supported"),
    ("utf32.cjs", "\ufeff".encode("utf-32-le") + (CALL + ";\n").encode("utf-32-le"), "encoded as UTF-32; only UTF-8 is supported"),
    ("page.html", "<script>// é\n".encode("latin-1") + CALL.encode() + b"</script>\n", "is not valid UTF-8 (byte 0xe9 at offset 11)"),
]


@pytest.mark.parametrize("name,raw,reason", UNDECODABLE, ids=[c[0] for c in UNDECODABLE])
def test_undecodable_file_is_reported_by_name_and_its_neighbour_fixed(cli, write, tmp_path, name, raw, reason):
    write({"good.ts": LEGACY, name: raw})
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 2, err(proc)
    assert f"error: {name}: {reason}" in err(proc).splitlines()
    assert (tmp_path / name).read_bytes() == raw
    assert (tmp_path / "good.ts").read_text() == FIXED
    # The JSON report carries the same error, by path.
    (tmp_path / "good.ts").write_text(LEGACY)
    report = json.loads(out(cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)))
    assert report["errors"] == [{"path": name, "message": reason}]
    assert [f["path"] for f in report["findings"]] == ["good.ts"]


def test_empty_and_blank_files_are_fine(cli, write, tmp_path):
    files = {"empty.js": b"", "bom-only.ts": b"\xef\xbb\xbf", "blank.tsx": b"\n\r\n\t \n", "empty.html": b"",
             "only-comment.mjs": b"// ddClient\n"}
    write({"good.ts": LEGACY, **files})
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    assert "error" not in err(proc)
    for name, raw in files.items():
        assert (tmp_path / name).read_bytes() == raw
    assert (tmp_path / "good.ts").read_text() == FIXED


def _bundle(mention_client: bool, size: int = 10 * 2**20) -> bytes:
    """A minified bundle on one line (a deprecated call every few kilobytes when it mentions
    the client)."""
    unit = "var a{i}=function(n){{return n*{i}+\"abc{i}\".length}};"
    call = "function f{i}(a){{return window.ddClient.backend.get(\"/x/{i}\").then(function(r){{return r.data}})}}"
    parts, total, i = [], 0, 0
    while total < size:
        part = (call if mention_client and i % 50 == 0 else unit).format(i=i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts).encode()


def run_measured(args, cwd) -> tuple[subprocess.CompletedProcess, float]:
    """Run the command in a fresh intermediate process, so that RUSAGE_CHILDREN covers the
    command alone (not whatever else this test session ran); return it and its peak RSS in MB."""
    script = (
        "import resource, subprocess, sys, json\n"
        "proc = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stdout.buffer.write(json.dumps([proc.returncode, peak, proc.stdout.decode('utf-8', 'replace'),"
        " proc.stderr.decode('utf-8', 'replace')]).encode())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, sys.executable, "-m", "migrator", *args], cwd=cwd,
                          capture_output=True, env=dict(os.environ, NO_COLOR="1"), timeout=600)
    code, peak_kb, stdout, stderr = json.loads(done.stdout)
    return subprocess.CompletedProcess(args, code, stdout.encode(), stderr.encode()), peak_kb / 1024


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_10_mb_minified_bundle_is_skipped_with_a_message_within_the_memory_target(write, tmp_path, command):
    # Analysed, a 10 MB bundle that mentions the client took 1.9 GB and printed its 10 MB line
    # once per finding; above MAX_ANALYSED_BYTES such a file is reported and skipped. A bundle
    # that never mentions the client is not parsed at all, whatever its size.
    bundle, vendor = _bundle(True), _bundle(False)
    write({"good.ts": LEGACY, "public/app.min.js": bundle, "public/vendor.min.js": vendor})
    proc, peak_mb = run_measured([command, "--no-cache", "."], tmp_path)
    assert proc.returncode == 2, err(proc)
    [line] = [line for line in err(proc).splitlines() if line.startswith("error:")]
    assert line.startswith("error: public/app.min.js: is too large to analyse (10.0 MiB; the limit is 1 MiB)")
    assert peak_mb < MEMORY_TARGET_MB, f"peak RSS {peak_mb:.0f} MB"
    assert (tmp_path / "public/app.min.js").read_bytes() == bundle
    assert (tmp_path / "public/vendor.min.js").read_bytes() == vendor
    if command == "fix":
        assert (tmp_path / "good.ts").read_text() == FIXED
    else:
        assert "good.ts:1:17: DD101" in out(proc)


def test_a_bundle_just_under_the_limit_is_analysed_within_the_memory_target(write, tmp_path):
    bundle = _bundle(True, MAX_ANALYSED_BYTES - 1024)
    write({"app.min.js": bundle})
    proc, peak_mb = run_measured(["check", "--no-cache", "--format", "json", "."], tmp_path)
    assert proc.returncode == 1, err(proc)
    report = json.loads(out(proc))
    assert report["errors"] == [] and len(report["findings"]) > 100
    assert peak_mb < MEMORY_TARGET_MB, f"peak RSS {peak_mb:.0f} MB"


# -- deep nesting -----------------------------------------------------------------------------

DEPTH = 50_000


@pytest.mark.parametrize("shape", ["arrays", "parens", "objects", "unclosed"])
def test_very_deep_nesting_does_not_stop_the_run(cli, write, tmp_path, shape):
    """50,000 levels: tree-sitter copes; every walk of ours over the tree must use a stack of
    its own (a RecursionError would turn into a 'nested too deeply' error for the file)."""
    # (An identifier at the bottom is left out: looking a name up walks Node.parent, which
    # tree-sitter computes from the root, so one lookup at depth d costs d² steps; at 50,000
    # levels that alone takes minutes. See test_a_call_deep_inside_nested_code_is_fixed.)
    nested = {"arrays": "[" * DEPTH + "1" + "]" * DEPTH, "parens": "(" * DEPTH + "1" + ")" * DEPTH,
              "objects": "{a:" * DEPTH + "1" + "}" * DEPTH, "unclosed": "(" * (DEPTH // 2) + "[1"}[shape]
    code = f"{CALL};\nconst data = {nested};\n"
    write({"good.ts": LEGACY, "deep.js": code})
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert "error" not in err(proc), err(proc)
    assert (tmp_path / "good.ts").read_text() == FIXED
    fixed = (tmp_path / "deep.js").read_text()
    if shape == "unclosed":
        # tree-sitter's recovery makes the whole file one ERROR node: reported, not edited.
        # (Half the depth: tree-sitter's query cursor takes seconds per pass on such a tree.)
        assert proc.returncode == 1, err(proc)
        assert fixed == code
        assert "deep.js:1:1: DD101" in out(proc) and "syntax error, so it is not edited" in out(proc)
    else:
        assert proc.returncode == 0, err(proc)
        assert fixed == code.replace("backend.get", "extension.vm?.service?.get")


@pytest.mark.parametrize("shape", ["arrays", "parens", "objects", "blocks", "jsx", "ternaries"])
def test_a_call_deep_inside_nested_code_is_fixed(shape):
    depth = 2_000  # looking `window` up from this deep costs depth² steps of Node.parent (see above)
    wrap = {
        "arrays": ("[" * depth, "]" * depth), "parens": ("(" * depth, ")" * depth),
        "objects": ("{a:" * depth, "}" * depth),
        "blocks": ("{" * depth, "}" * depth), "jsx": ("<div>{" * depth, "}</div>" * depth),
        "ternaries": ("a ? b : " * depth, ""),
    }[shape]
    code = f"const v = {wrap[0]}{CALL}{wrap[1]};\n" if shape != "blocks" else f"{wrap[0]}{CALL};{wrap[1]}\n"
    result = check_fix(code.encode(), "deep.tsx" if shape == "jsx" else "deep.js")
    assert result.result.source.content.decode() == code.replace("backend.get", "extension.vm?.service?.get")


DEEP_RECURSION = {
    # Resolver.kind (migrator/js/resolve.py) follows aliases and returned values by recursion, up
    # to resolve.MAX_DEPTH steps; past that a value is "not the client" (a finding may be
    # missed, never invented) instead of exhausting Python's stack.
    "aliases": lambda n: "const a0 = window.ddClient;\n" + "".join(
        f"const a{i} = a{i - 1};\n" for i in range(1, n)) + f"a{n - 1}.backend.get('/x');\n",
    "curried": lambda n: "const f = " + "() => " * n + "window.ddClient;\nf" + "()" * n + ".backend.get('/x');\n",
    "arrows": lambda n: "const f = " + "() => " * n + CALL + ";\n",
    "functions": lambda n: "const v = " + "function f() { return " * n + CALL + ";}" * n + ";\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP_RECURSION))
def test_deep_chains_of_values_are_analysed_without_recursion_errors(cli, write, tmp_path, shape):
    write({"good.ts": LEGACY, "deep.ts": DEEP_RECURSION[shape](1000)})
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode in (0, 1), err(proc)
    assert "error" not in err(proc)
    assert (tmp_path / "good.ts").read_text() == FIXED
    check_fix(DEEP_RECURSION[shape](1000).encode(), "deep.ts")  # raises on a RecursionError too


@pytest.mark.parametrize("shape", ["aliases", "arrows", "functions"])  # (curried calls are not followed at all)
def test_shallow_chains_of_values_are_still_followed(shape):
    code = DEEP_RECURSION[shape](20)
    checked = check_fix(code.encode(), "a.ts")
    assert checked.applied == 1, code


# -- syntax errors ----------------------------------------------------------------------------

def test_a_file_full_of_syntax_errors_is_reported_not_corrupted(cli, write, tmp_path):
    garbage = [
        "function ( {", "const = 1;", "}}}", "let x = ;", "if (a { b }", "class { constructor( }",
        "import from;", "@@@ ###", "=> => =>", "`unterminated ${", "'also unterminated", "/* never closed",
    ]
    lines = []
    for i, junk in enumerate(garbage):
        lines += [junk, f"window.ddClient.backend.get('/{i}');", f"ddClient.execHostCmd('ls -{i}');"]
    code = "\n".join(lines) + "\n"
    write({"good.ts": LEGACY, "broken.js": code})
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1, err(proc)  # findings remain; not an error
    assert "error" not in err(proc)
    assert (tmp_path / "good.ts").read_text() == FIXED
    assert "syntax error, so it is not edited" in out(proc)
    # In process: nothing edited next to unparsable code, output no worse than the input.
    check_fix(code.encode(), "broken.js")
    check_fix(code.encode(), "broken.js", unsafe=True)


NEXT_TO_ERROR = [
    CALL + " )\n",
    CALL.replace("'/x'", "'/x' +") + ";\n",
    CALL + " const\n",
    "let x = ;" + CALL + ";\n",
    "window.ddClient.backend.get(\n'/x'\n@@\n);\n",
    "window.ddClient.@@backend.get('/x');\n",
    "ddClient.backend.execInVMExtension('ls -l') ]\n",
    "[ ddClient.backend.execInVMExtension('ls -l');\n",
    "ddClient.spawnHostCmd('k', ['a'], (d, e) => { log(d }) ;\n",
    "ddClient.toastError('x' ;\n",
    "if (" + CALL + " {\n}\n",
    "const { backend } = ddClient\nbackend.get('/a') backend.post('/b');\n",
]


@pytest.mark.parametrize("code", NEXT_TO_ERROR)
def test_the_only_syntax_error_next_to_a_deprecated_call_blocks_its_fix(code):
    raw = code.encode()
    source = SourceFile.from_bytes("a.ts", raw)
    with tracing() as steps:
        result = engine.fix(source, CATALOGUE)
    for step in final_chain(steps, raw, result.source.content):
        for edit in step.edits:
            for s, e in error_ranges(step.tree, len(step.before)):
                assert not (s <= edit.end and edit.start <= e), f"{edit} touches unparsable {s}..{e}"
    assert result.source.raw == raw
    for finding in result.remaining:
        assert finding.fix is None


def test_syntax_error_next_to_a_call_through_the_command(cli, write, tmp_path):
    code = "window.ddClient.backend.get('/x' +);\n"
    write({"good.ts": LEGACY, "broken.ts": code})
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1, err(proc)
    assert (tmp_path / "broken.ts").read_text() == code
    assert "broken.ts:1:1: DD101" in out(proc)
    assert "no automatic fix: the code around it has a syntax error, so it is not edited" in out(proc)
    assert (tmp_path / "good.ts").read_text() == FIXED


# -- paths ------------------------------------------------------------------------------------

def test_missing_paths_and_a_broken_link_named_on_the_command_line(cli, write, tmp_path):
    write({"good.ts": LEGACY})
    os.symlink(tmp_path / "gone.ts", tmp_path / "dangling.ts")
    proc = cli("fix", "--no-cache", "good.ts", "missing.ts", "no/such/folder", "dangling.ts", cwd=tmp_path)
    assert proc.returncode == 2
    lines = err(proc).splitlines()
    assert "error: missing.ts: No such file or directory" in lines
    assert "error: no/such/folder: No such file or directory" in lines
    assert "error: dangling.ts: is a broken symbolic link" in lines
    assert (tmp_path / "good.ts").read_text() == FIXED


NOBODY = 65534


def _unprivileged_prefix() -> list[str] | None:
    """A command prefix that runs the CLI as a user file permissions apply to: as root (CI),
    drop to `nobody` with setpriv or runuser; as anyone else, nothing is needed."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwuid(NOBODY)
    except KeyError:
        return None
    if shutil.which("setpriv"):
        return [shutil.which("setpriv"), f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    if shutil.which("runuser"):
        return [shutil.which("runuser"), "-u", pwd.getpwuid(NOBODY).pw_name, "--"]
    return None


@pytest.fixture
def shared_tree():
    """A folder an unprivileged user can reach (pytest's tmp_path is private to root)."""
    prefix = _unprivileged_prefix()
    if prefix is None:
        pytest.skip("running as root and neither setpriv nor runuser (or no `nobody` user) to drop privileges; "
                    "root ignores permission bits, so the behaviour cannot be shown")
    root = Path(tempfile.mkdtemp(prefix="ddmigrate-perm-"))
    os.chmod(root, 0o755)
    # The unprivileged user must reach this interpreter and the installed project: a clone in a
    # private folder (mode 700, as CI and a fresh-clone check may make) keeps them out of reach.
    probe = subprocess.run([*prefix, sys.executable, "-c", "import migrator.cli"], cwd=root,
                           capture_output=True, timeout=60)
    if probe.returncode != 0:
        shutil.rmtree(root)
        reason = probe.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        pytest.skip(f"the unprivileged user cannot run {sys.executable} with ddmigrate "
                    f"(a folder on the way is private to root): {reason[0]}")
    yield root, prefix
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o700)
    shutil.rmtree(root)


def _as_user(prefix, root: Path, *args):
    owner = NOBODY if os.geteuid() == 0 else os.geteuid()
    env = dict(os.environ, NO_COLOR="1", HOME=str(root))
    return subprocess.run([*prefix, sys.executable, "-m", "migrator", *args], cwd=root, capture_output=True,
                          env=env, timeout=120), owner


def test_unreadable_folder_and_file_unwritable_file_and_folder(shared_tree):
    root, prefix = shared_tree
    files = {"good.ts": LEGACY, "locked/inner.ts": LEGACY, "secret.ts": LEGACY, "sealed/x.ts": LEGACY,
             "foreign.ts": LEGACY}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    if os.geteuid() == 0:
        for path in [root, *root.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
        os.chown(root / "foreign.ts", 0, 0)  # owned by root, mode 644: not writable for nobody
    else:
        os.chmod(root / "foreign.ts", 0o444)
    os.chmod(root / "locked", 0o000)
    os.chmod(root / "secret.ts", 0o000)
    os.chmod(root / "sealed", 0o555)  # the file is writable, but no temporary file can be made next to it

    proc, _ = _as_user(prefix, root, "fix", "--no-cache", ".")
    assert proc.returncode == 2, err(proc)
    lines = err(proc).splitlines()
    assert "error: locked: cannot list folder: Permission denied" in lines
    assert "error: secret.ts: cannot be read: Permission denied" in lines
    assert "error: sealed/x.ts: cannot create a temporary file next to it: Permission denied" in lines
    assert "error: foreign.ts: is read-only; not fixed" in lines
    assert len([line for line in lines if line.startswith("error:")]) == 4
    assert (root / "good.ts").read_text() == FIXED
    proc, _ = _as_user(prefix, root, "check", "--no-cache", ".")
    assert proc.returncode == 2
    assert "error: secret.ts: cannot be read: Permission denied" in err(proc).splitlines()
    os.chmod(root / "locked", 0o755)
    os.chmod(root / "secret.ts", 0o644)
    for name in ("locked/inner.ts", "secret.ts", "sealed/x.ts", "foreign.ts"):
        assert (root / name).read_text() == LEGACY, name
    assert no_temp_files(root) == []


def test_read_only_files_in_a_walk_are_reported_not_fixed_and_keep_their_mode(cli, write, tmp_path):
    # Root can write anything; no write bit for anyone means "do not touch", even for root.
    write({"good.ts": LEGACY, "ro.ts": LEGACY, "rx.js": LEGACY.replace("'/hello'", "'/rx'")})
    os.chmod(tmp_path / "ro.ts", 0o444)
    os.chmod(tmp_path / "rx.js", 0o555)
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 2
    lines = err(proc).splitlines()
    assert "error: ro.ts: is read-only; not fixed" in lines and "error: rx.js: is read-only; not fixed" in lines
    assert "ro.ts:1:17: DD101" in out(proc) and "rx.js:1:17: DD101" in out(proc)  # still reported
    assert (tmp_path / "ro.ts").read_text() == LEGACY
    assert stat.S_IMODE((tmp_path / "ro.ts").stat().st_mode) == 0o444
    assert stat.S_IMODE((tmp_path / "rx.js").stat().st_mode) == 0o555
    assert (tmp_path / "good.ts").read_text() == FIXED
    assert no_temp_files(tmp_path) == []


def test_a_fixed_file_keeps_its_permission_bits(cli, write, tmp_path):
    write({"script.js": LEGACY, "private.ts": LEGACY})
    os.chmod(tmp_path / "script.js", 0o751)
    os.chmod(tmp_path / "private.ts", 0o600)
    assert cli("fix", "--no-cache", ".", cwd=tmp_path).returncode == 0
    assert stat.S_IMODE((tmp_path / "script.js").stat().st_mode) == 0o751
    assert stat.S_IMODE((tmp_path / "private.ts").stat().st_mode) == 0o600
    assert (tmp_path / "script.js").read_text() == FIXED


def test_symlink_loops_are_reported_and_folder_loops_not_followed(cli, write, tmp_path):
    write({"good.ts": LEGACY, "sub/x.ts": LEGACY})
    os.symlink("self.js", tmp_path / "self.js")
    os.symlink("b.ts", tmp_path / "a.ts")
    os.symlink("a.ts", tmp_path / "b.ts")
    os.symlink("..", tmp_path / "sub" / "back")
    os.symlink("..", tmp_path / "sub" / "back.ts")  # a link to a folder, named like a source file
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 2
    lines = err(proc).splitlines()
    for name in ("self.js", "a.ts", "b.ts"):
        assert f"error: {name}: cannot be read: Too many levels of symbolic links" in lines
    assert "error: sub/back.ts: cannot be read: Is a directory" in lines
    assert "back/" not in out(proc) + err(proc)
    assert (tmp_path / "good.ts").read_text() == FIXED
    assert (tmp_path / "sub/x.ts").read_text() == FIXED
    assert all(os.path.islink(tmp_path / n) for n in ("self.js", "a.ts", "b.ts", "sub/back"))
    proc = cli("check", "--no-cache", "self.js", cwd=tmp_path)
    assert proc.returncode == 2 and "error: self.js: is a broken symbolic link" in err(proc).splitlines()


def test_a_link_out_of_the_tree_is_not_followed_unless_named(cli, write, tmp_path):
    write({"outside/x.ts": LEGACY, "tree/good.ts": LEGACY})
    link = tmp_path / "tree" / "link.ts"
    os.symlink(tmp_path / "outside" / "x.ts", link)
    proc = cli("fix", "--no-cache", "tree", cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    assert "link.ts" not in out(proc) + err(proc)
    assert (tmp_path / "outside/x.ts").read_text() == LEGACY
    assert os.path.islink(link)
    assert (tmp_path / "tree/good.ts").read_text() == FIXED
    # Named on the command line, the link is followed: the file it points to is fixed, and
    # the link stays a link (replacing it with a fixed copy would leave the target as it was).
    proc = cli("fix", "--no-cache", "tree/link.ts", cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    assert os.path.islink(link) and os.readlink(link) == str(tmp_path / "outside" / "x.ts")
    assert (tmp_path / "outside/x.ts").read_text() == FIXED
    assert no_temp_files(tmp_path) == []


def test_a_link_inside_the_tree_stays_a_link(cli, write, tmp_path):
    write({"src/real.ts": LEGACY})
    os.symlink("real.ts", tmp_path / "src" / "alias.ts")
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    assert os.path.islink(tmp_path / "src" / "alias.ts")
    assert (tmp_path / "src/real.ts").read_text() == FIXED


NAMES = ["my folder/ünïcödé file.ts", "日本語 テスト.jsx", "with 'quotes' & $dollar (1).js", "-leading-dash.ts",
         "tab\there.mjs", "emoji 🐳.tsx"]


def test_names_with_spaces_and_non_ascii_characters(cli, write, tmp_path):
    write({name: LEGACY for name in NAMES})
    proc = cli("check", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1
    for name in NAMES:
        assert f"{name}:1:17: DD101" in out(proc)
    report = json.loads(out(cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)))
    assert sorted(f["path"] for f in report["findings"]) == sorted(NAMES)
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    for name in NAMES:
        assert (tmp_path / name).read_text() == FIXED
    proc = cli("fix", "--no-cache", NAMES[0], NAMES[1], cwd=tmp_path)
    assert proc.returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="file names that are not UTF-8 need a byte-name file system")
def test_a_file_name_that_is_not_utf8(cli, tmp_path):
    name = os.fsencode(tmp_path) + b"/caf\xe9.ts"
    with open(name, "wb") as handle:
        handle.write(LEGACY.encode())
    proc = cli("check", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1, err(proc)
    assert b":1:17: DD101" in proc.stdout
    for fmt in ("json", "sarif", "junit", "github"):
        assert cli("check", "--no-cache", "--format", fmt, ".", cwd=tmp_path).returncode == 1, fmt
    proc = cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 0, err(proc)
    with open(name, "rb") as handle:
        assert handle.read() == FIXED.encode()


# -- line endings, tabs, BOM ------------------------------------------------------------------

STATEMENTS = {  # deprecated statement -> its fix in a .ts file
    "window.ddClient.backend.get('/x');": "window.ddClient.extension.vm?.service?.get('/x');",
    # New string literals take the quote most of the file's strings use: double here.
    "await ddClient.backend.execInVMExtension(\"ls -l /data\");": "await ddClient.extension.vm!.cli.exec(\"ls\", [\"-l\", \"/data\"]);",
    "ddClient.toastError(\"x\");": "ddClient.desktopUI.toast.error(\"x\");",
    "ddClient.listContainers({ all: true });": "ddClient.docker.listContainers({ all: true });",
    "ddClient.navigateToContainers();": "ddClient.desktopUI.navigate.viewContainers();",
}
OTHER = ["// a comment with trailing spaces   ", "\tconst tabbed = \"\t\";", "", "  /* é ü 日本 */",
         "const s = \"ddClient.backend.get('/x')\";", "\t\t", "export {};"]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "mixed", "cr-only-lines"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("final_newline", [True, False])
def test_line_endings_tabs_bom_and_final_newline_survive_byte_for_byte(cli, write, tmp_path, eol, bom, final_newline):
    lines, expected = [], []
    for i, (old, new) in enumerate(STATEMENTS.items()):
        indent = "\t" * (i % 2)
        lines += [OTHER[i % len(OTHER)], indent + old, OTHER[(i + 3) % len(OTHER)]]
        expected += [OTHER[i % len(OTHER)], indent + new, OTHER[(i + 3) % len(OTHER)]]
    endings = []
    for i in range(len(lines)):
        endings.append({"\n": "\n", "\r\n": "\r\n", "mixed": ["\n", "\r\n"][i % 2],
                        "cr-only-lines": ["\n", "\r\n", "\r\r\n"][i % 3]}[eol])
    if not final_newline:
        endings[-1] = ""
    prefix = "\ufeff" if bom else ""
    before = prefix + "".join(line + e for line, e in zip(lines, endings))
    after = prefix + "".join(line + e for line, e in zip(expected, endings))
    write({"a.ts": before.encode()})
    proc = cli("fix", "--no-cache", "a.ts", cwd=tmp_path)
    assert proc.returncode == 0, out(proc) + err(proc)
    assert (tmp_path / "a.ts").read_bytes() == after.encode()


def test_line_endings_of_removed_and_inserted_lines_follow_the_file():
    code = "const { backend } = ddClient;\r\n\r\nawait backend.execInVMExtension('ls');\r\n"
    result = check_fix(code.encode(), "a.ts")
    assert result.fixed == b"\r\nawait ddClient.extension.vm!.cli.exec('ls', []);\r\n"
    code = "function f() {\r\n\tddClient.spawnHostCmd('k', [], (d, e) => {\r\n\t\tlog(d);\r\n\t});\r\n}\r\n"
    fixed = check_fix(code.encode(), "a.js").fixed
    assert fixed.startswith(b"function f() {\r\n\tconst handleOutput = (d, e) => {\r\n\t\tlog(d);\r\n\t};\r\n\t")


def test_spawn_fix_keeps_crlf():
    code = "ddClient.spawnHostCmd('tail', ['-f'], onLog);\r\n"
    fixed = engine.fix(SourceFile.from_bytes("a.ts", code.encode()), CATALOGUE).source.raw
    assert b"stream" in fixed
    assert fixed.count(b"\n") == fixed.count(b"\r\n")
