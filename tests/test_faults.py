"""Faults: interrupting `fix`, files changed behind our back, workers that crash. Whatever
happens, every file is either exactly as it was or exactly as a complete fix makes it."""

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrator.core import runner, writer
from migrator.core.discover import discover
from migrator.core.engine import Catalogue
from migrator.core.registry import all_rules

CATALOGUE = Catalogue(all_rules())
LEGACY = "const r = await window.ddClient.backend.get('/hello');\n"
FIXED = "const r = await window.ddClient.extension.vm?.service?.get('/hello');\n"

SHAPES = [
    "const r{i} = await window.ddClient.backend.get('/item/{i}');\n",
    "ddClient.toastSuccess('saved {i}');\n",
    "await ddClient.backend.execInVMExtension('ls -l /data/{i}');\n",
    "ddClient.listContainers({{ all: true }});\n",
    "const {{ backend }} = window.ddClient;\nbackend.post('/x/{i}', {{}});\n",
    "ddClient.navigateToContainers();\r\n",
    "ddClient.spawnHostCmd('tail', ['-f', '/x/{i}'], (data, error) => {{\n  log(data, error);\n}});\n",
]
FILES = 3000


def generate(root: Path, count: int) -> dict[str, bytes]:
    """A tree of small files, most with a few deprecated calls; some with nothing to fix."""
    rnd = random.Random(20240607)
    files = {}
    for i in range(count):
        ext = (".ts", ".js", ".tsx", ".jsx", ".mjs")[i % 5]
        name = f"pkg{i % 40}/sub{i % 7}/f{i}{ext}"
        body = f"// file {i}\nexport const v{i} = {i};\n"
        if i % 10 != 9:
            body += "".join(rnd.choice(SHAPES).format(i=i) for _ in range(1 + i % 3))
        files[name] = body.encode()
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if count > 4:
        os.chmod(root / "pkg3/sub3/f3.jsx", 0o600)  # modes are kept too
    return files


def command(*args):
    return [sys.executable, "-m", "migrator", *args]


def stray_files(root: Path, known) -> list[str]:
    """Anything in the tree that is not one of our files (temporary files above all); the
    cache folder may hold its own files, but no temporary ones."""
    found = []
    for path in root.rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(root).as_posix()
        if rel.startswith(".ddmigrate_cache/"):
            if path.name.endswith(".tmp") or path.name.startswith("tmp"):
                found.append(rel)
        elif rel not in known:
            found.append(rel)
    return found


@pytest.fixture(scope="module")
def large_tree(tmp_path_factory):
    """(tree, original bytes, expected bytes after a complete fix, the file written first)."""
    reference = tmp_path_factory.mktemp("reference")
    original = generate(reference, FILES)
    done = subprocess.run(command("fix", "--no-cache", "-q", "."), cwd=reference, capture_output=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr.decode()
    expected = {name: (reference / name).read_bytes() for name in original}
    changed = [name for name in original if expected[name] != original[name]]
    assert len(changed) > FILES * 0.8
    # The order in which `fix` writes: the order files are found in.
    order = [c.path for c in discover([str(reference)])]
    first = next(os.path.relpath(p, reference) for p in order
                 if expected[os.path.relpath(p, reference)] != original[os.path.relpath(p, reference)])
    tree = tmp_path_factory.mktemp("tree")
    generate(tree, FILES)
    return tree, original, expected, first


def _reset(tree: Path, original: dict[str, bytes]) -> None:
    for name, data in original.items():
        path = tree / name
        if path.read_bytes() != data:
            path.write_bytes(data)
    shutil.rmtree(tree / ".ddmigrate_cache", ignore_errors=True)


def _wait_for_change(path: Path, proc, limit: float = 60.0) -> bool:
    inode = path.stat().st_ino
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if path.stat().st_ino != inode:
                return True
        except FileNotFoundError:  # never: a rename replaces the file in one step
            return True
        time.sleep(0.0005)
    return False


def _interrupt_once(tree, sig, delay, after_first_write, first, group, jobs):
    proc = subprocess.Popen(command("fix", "-j", str(jobs), "-q", "."), cwd=tree, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    if after_first_write:
        _wait_for_change(tree / first, proc)
    time.sleep(delay)
    if proc.poll() is None:
        if group:  # as a terminal's Ctrl-C does: the whole process group, pool workers too
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    try:
        _, stderr = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return proc.returncode, stderr.decode(errors="replace")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupting_fix_leaves_every_file_whole(large_tree, sig):
    tree, original, expected, first = large_tree
    # Time one complete run to spread the interruptions over it (a schedule, not an assertion).
    _reset(tree, original)
    started = time.monotonic()
    subprocess.run(command("fix", "-q", "."), cwd=tree, capture_output=True, timeout=300)
    whole = time.monotonic() - started
    plans = []
    for i in range(5):  # anywhere in the run: discovery, reading, parsing, writing
        plans.append((whole * (0.1 + 0.2 * i), False))
    for i in range(4):  # while files are being written
        plans.append((0.01 * i * i, True))
    partial = 0
    to_fix = sum(expected[n] != original[n] for n in original)
    for number, (delay, after_first_write) in enumerate(plans):
        _reset(tree, original)
        code, stderr = _interrupt_once(tree, sig, delay, after_first_write, first, group=number % 2 == 0,
                                       jobs=(0, 1, 2)[number % 3])
        fixed = 0
        for name, data in original.items():
            now = (tree / name).read_bytes()
            assert now in (data, expected[name]), f"run {number}: {name} is neither original nor fixed"
            fixed += now != data
        assert stat.S_IMODE((tree / "pkg3/sub3/f3.jsx").stat().st_mode) == 0o600
        assert stray_files(tree, original) == [], f"run {number} (exit {code}) left files behind"
        assert "Traceback" not in stderr, stderr
        partial += 0 < fixed < to_fix
    # At least one interruption landed in the middle of the writes, so the test tested something.
    assert partial >= 1


def test_a_file_changed_between_read_and_write_is_not_overwritten(tmp_path):
    """Another program saves b.ts after ddmigrate read it (here: when a.ts has been written,
    through the progress callback): b.ts keeps the other program's bytes and is reported."""
    for name in ("a.ts", "b.ts", "c.ts"):
        (tmp_path / name).write_text(LEGACY)
    edited = "// saved by an editor meanwhile\n" + LEGACY

    def progress(count):
        if (tmp_path / "a.ts").read_text() == FIXED and not (tmp_path / "b.ts").read_text().startswith("//"):
            (tmp_path / "b.ts").write_text(edited)

    paths = [str(tmp_path / n) for n in ("a.ts", "b.ts", "c.ts")]
    result = runner.run(paths, CATALOGUE, runner.Options(fix=True, write=True, progress=progress, jobs=1))
    assert [(e.path, e.message) for e in result.errors] == [
        (str(tmp_path / "b.ts"), "changed on disk since it was read; not overwritten")]
    assert (tmp_path / "a.ts").read_text() == FIXED
    assert (tmp_path / "b.ts").read_text() == edited
    assert (tmp_path / "c.ts").read_text() == FIXED
    # b.ts is still reported with what ddmigrate read, unfixed.
    [b] = [r for r in result.files if r.path.endswith("b.ts")]
    assert not b.written and b.findings and not b.applied
    assert sorted(os.listdir(tmp_path)) == ["a.ts", "b.ts", "c.ts"]


def test_a_change_right_before_the_rename_is_not_overwritten(tmp_path, monkeypatch):
    """The narrowest window: the temporary file is written and flushed, then another program
    saves the file; the check right before the rename sees it."""
    target = tmp_path / "a.ts"
    target.write_text(LEGACY)
    real_fsync = os.fsync

    def fsync_then_edit(fd):
        real_fsync(fd)
        target.write_text("// newer\n")

    monkeypatch.setattr(writer.os, "fsync", fsync_then_edit)
    result = runner.run([str(target)], CATALOGUE, runner.Options(fix=True, write=True))
    monkeypatch.undo()
    assert [e.message for e in result.errors] == ["changed on disk since it was read; not overwritten"]
    assert target.read_text() == "// newer\n"
    assert os.listdir(tmp_path) == ["a.ts"]


class Interrupted(BaseException):
    pass


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals are deferred with pthread_sigmask")
def test_an_interruption_during_a_write_waits_for_the_file_to_be_whole(tmp_path, monkeypatch):
    """The signal arrives right after the temporary file is created, before tempfile even
    returned its name: taken at once, it would leave `.ddmigrate-*.tmp` behind. It takes
    effect when the write is done."""
    target = tmp_path / "a.ts"
    target.write_text(LEGACY)
    real_open = os.open

    def open_then_signal(path, *args, **kwargs):
        fd = real_open(path, *args, **kwargs)
        if ".ddmigrate-" in os.fspath(path):
            os.kill(os.getpid(), signal.SIGTERM)
        return fd

    def handler(signum, frame):
        raise Interrupted()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        monkeypatch.setattr(os, "open", open_then_signal)
        with pytest.raises(Interrupted):
            writer.write_atomic(str(target), LEGACY.encode(), FIXED.encode())
        monkeypatch.undo()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert os.listdir(tmp_path) == ["a.ts"]
    assert target.read_text() == FIXED


def test_a_crashing_worker_loses_only_its_file(tmp_path, monkeypatch):
    """A worker process that dies (a segfault in a parser, say) on one file: that file is an
    internal error, every other file is still fixed."""
    names = [f"f{i:02}.ts" for i in range(24)]
    for name in names:
        (tmp_path / name).write_text(LEGACY)
    poison = str(tmp_path / "f07.ts")
    main = os.getpid()
    real_process = runner.process

    def crashing_process(path, raw, catalogue, options, language=None, modules=None):
        if path == poison and os.getpid() != main:
            os._exit(1)  # forked workers inherit this module state, patch included
        return real_process(path, raw, catalogue, options, language, modules)

    monkeypatch.setattr(runner, "process", crashing_process)
    result = runner.run([str(tmp_path)], CATALOGUE, runner.Options(fix=True, write=True, jobs=2))
    assert [(e.path, e.message) for e in result.errors] == [
        (poison, "internal error: the worker process analysing it crashed; please report this")]
    for name in names:
        expected = LEGACY if name == "f07.ts" else FIXED
        assert (tmp_path / name).read_text() == expected, name
    assert sorted(os.listdir(tmp_path)) == names
    assert len(result.applied) == len(names) - 1


def run_patched(tmp_path: Path, site: str, *args, cwd: Path):
    """The real command, with a `sitecustomize` module (``site``) that patches ddmigrate's
    modules before it starts: a fault injected from outside, no hook in ddmigrate itself."""
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(site)
    env = dict(os.environ, PYTHONPATH=str(hook), NO_COLOR="1")
    return subprocess.run(command(*args), cwd=cwd, capture_output=True, env=env, timeout=300)


def test_a_file_changed_between_read_and_write_through_the_command(tmp_path):
    """Another program saves b.ts right before ddmigrate writes it: reported, exit 2, kept."""
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("a.ts", "b.ts", "c.ts"):
        (tree / name).write_text(LEGACY)
    site = (
        "from migrator.core import runner\n"
        "real = runner.write_atomic\n"
        "def write_atomic(path, original, content):\n"
        "    if path.endswith('b.ts'):\n"
        "        with open(path, 'w') as handle:\n"
        "            handle.write('// saved by an editor meanwhile\\n')\n"
        "    return real(path, original, content)\n"
        "runner.write_atomic = write_atomic\n")
    proc = run_patched(tmp_path, site, "fix", "--no-cache", ".", cwd=tree)
    assert proc.returncode == 2, proc.stderr.decode()
    assert "error: b.ts: changed on disk since it was read; not overwritten" in proc.stderr.decode().splitlines()
    assert (tree / "b.ts").read_text() == "// saved by an editor meanwhile\n"
    assert (tree / "a.ts").read_text() == FIXED and (tree / "c.ts").read_text() == FIXED
    assert "b.ts:1:17: DD101" in proc.stdout.decode()  # still reported, as it was read
    assert sorted(os.listdir(tree)) == ["a.ts", "b.ts", "c.ts"]


def test_a_crashing_worker_through_the_command_exits_two(tmp_path):
    """The same through the real command: one file kills the worker that analyses it
    (workers only: the parent is spared)."""
    site = (
        "import os\n"
        "from migrator.core import runner\n"
        "MAIN = os.getpid()\n"
        "real = runner.process\n"
        "def process(path, raw, *args, **kwargs):\n"
        "    if path.endswith('poison.ts') and os.getpid() != MAIN:\n"
        "        os._exit(1)\n"
        "    return real(path, raw, *args, **kwargs)\n"
        "runner.process = process\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(10):
        (tree / f"f{i}.ts").write_text(LEGACY)
    (tree / "poison.ts").write_text(LEGACY)
    proc = run_patched(tmp_path, site, "fix", "--no-cache", "-j", "2", ".", cwd=tree)
    assert proc.returncode == 2, proc.stderr.decode()
    assert ("error: poison.ts: internal error: the worker process analysing it crashed; please report this"
            in proc.stderr.decode().splitlines())
    assert (tree / "poison.ts").read_text() == LEGACY
    for i in range(10):
        assert (tree / f"f{i}.ts").read_text() == FIXED


def test_ctrl_c_while_a_pool_worker_is_idle_prints_no_traceback(tmp_path):
    """Ctrl-C reaches every process of the group: a worker waiting for work must not die
    with a traceback; the main process stops the run ("Aborted!")."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "fast.ts").write_text(LEGACY)
    (tree / "slow.ts").write_text(LEGACY)
    marker = tmp_path / "fast-done"
    site = (
        "import os, time\n"
        "from migrator.core import runner\n"
        "real = runner.process\n"
        "def process(path, raw, *args, **kwargs):\n"
        "    result = real(path, raw, *args, **kwargs)\n"
        "    if path.endswith('slow.ts'):\n"
        "        time.sleep(3)\n"
        "    elif path.endswith('fast.ts'):\n"
        f"        open({str(marker)!r}, 'w').close()\n"
        "    return result\n"
        "runner.process = process\n")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(site)
    env = dict(os.environ, PYTHONPATH=str(hook), NO_COLOR="1")
    proc = subprocess.Popen(command("fix", "--no-cache", "-j", "2", "."), cwd=tree, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(0.3)  # the fast worker is back waiting for work
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert marker.exists()
    assert proc.returncode != 0
    assert "Traceback" not in stderr.decode(), stderr.decode()
    assert (tree / "fast.ts").read_text() == LEGACY and (tree / "slow.ts").read_text() == LEGACY


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads process states from /proc")
def test_killing_the_main_process_does_not_leave_workers_behind(tmp_path):
    """`kill PID` (or `timeout`) hits the main process only: its pool workers must not wait
    for work forever, one of them in the middle of a file, the other idle."""
    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(6):
        (tree / f"f{i}.ts").write_text(LEGACY)
    (tree / "slow.ts").write_text(LEGACY)
    pids = tmp_path / "pids"
    pids.mkdir()
    site = (
        "import os, time\n"
        "from migrator.core import runner\n"
        "real = runner.process\n"
        "def process(path, raw, *args, **kwargs):\n"
        f"    open(os.path.join({str(pids)!r}, str(os.getpid())), 'w').close()\n"
        "    if path.endswith('slow.ts'):\n"
        "        time.sleep(60)\n"
        "    return real(path, raw, *args, **kwargs)\n"
        "runner.process = process\n")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(site)
    env = dict(os.environ, PYTHONPATH=str(hook), NO_COLOR="1")
    proc = subprocess.Popen(command("fix", "--no-cache", "-j", "2", "."), cwd=tree, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(os.listdir(pids)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # one worker sleeps in slow.ts, the other has run out of work
    workers = [int(name) for name in os.listdir(pids)]
    assert len(workers) == 2
    proc.terminate()
    proc.wait(timeout=60)
    deadline = time.monotonic() + 60
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "pool workers outlived the main process"
    assert (tree / "slow.ts").read_text() == LEGACY
