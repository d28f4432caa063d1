"""Reading and pre-filtering in the pool, and analysing before the project pass: a large tree
gives exactly what one process reading every file gives, with the cache, per-file ignores,
bad files, the shim, imports of the client and a worker that dies.

The threshold that sends reading to the pool is lowered so that a small fixture takes that
path; each test also proves that workers did the reading (or the analysing)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrator.core import cache as cache_module
from migrator.core import config as config_module
from migrator.core import runner
from migrator.core.engine import Catalogue
from migrator.core.registry import all_rules
from migrator.shim_js.marker import MARKER

CATALOGUE = Catalogue(all_rules())

FILES = {
    "package.json": '{"name": "pool-fixture", "private": true}\n',
    "metadata.json": '{"vm": {"composefile": "docker-compose.yaml"}, "ui": {}}\n',
    "docker-compose.yaml": "services:\n  backend:\n    image: ${DESKTOP_PLUGIN_IMAGE}\n",
    "ui/src/lib/client.ts": ('import { createDockerDesktopClient } from "@docker/extension-api-client";\n'
                             "export const ddClient = createDockerDesktopClient();\n"),
    "ui/src/App.tsx": ('import { ddClient } from "./lib/client";\n'
                       "export function App() {\n  ddClient.toastSuccess('hi');\n  return null;\n}\n"),
    "ui/src/api.ts": "export const r = await window.ddClient.backend.get('/hello');\n",
    "ui/src/exec.js": "window.ddClient.backend.execInVMExtension('ls -l /data');\n",
    "ui/src/clean.ts": "export const answer = 42;\n",
    "ui/src/also-clean.js": "console.log('nothing here');\n",
    "ui/legacy/old.js": "window.ddClient.toastError('x');\nwindow.ddClient.navigateToContainers();\n",
    "ui/src/binary.js": "\x00\x01\x02 window.ddClient",
    "ui/src/shim.ts": f"// {MARKER} version=1.0 lang=ts sha256=abc \nwindow.ddClient.backend.get('/x');\n",
    "tools/probe.py": ("from migrator.shim import DockerDesktopClient\n\n"
                       "client = DockerDesktopClient.from_metadata('metadata.json')\nclient.backend.get('/x')\n"),
    "pyproject.toml": '[tool.ddmigrate]\nper-file-ignores = { "ui/legacy/*" = ["toast"] }\n',
}


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "extension"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    (root / "ui/src/utf16.ts").write_bytes("\ufeffwindow.ddClient.toastError('x');\n".encode("utf-16"))
    for i in range(12):  # enough files for several chunks
        (root / f"ui/src/gen{i:02}.js").write_text(f"export const v{i} = {i};\n" if i % 3 else
                                                   f"window.ddClient.toastSuccess('{i}');\n")
    return root


@pytest.fixture()
def in_pool(monkeypatch, tmp_path: Path):
    """Send reading to the pool from the first file, three files a chunk, and record which
    process reads (or analyses) what: forked workers inherit the patches."""
    monkeypatch.setattr(runner, "SCAN_POOL_FILES", 1)
    monkeypatch.setattr(runner, "SCAN_CHUNK", 3)
    log = tmp_path / "log"
    log.mkdir()
    read_one, process = runner._read_one, runner.process

    def recording_read(path, catalogue, keyed):
        with open(log / f"read-{os.getpid()}", "a", encoding="utf-8") as handle:
            handle.write(path + "\n")
        return read_one(path, catalogue, keyed)

    def recording_process(path, raw, *args, **kwargs):
        with open(log / f"work-{os.getpid()}", "a", encoding="utf-8") as handle:
            handle.write(path + "\n")
        return process(path, raw, *args, **kwargs)

    monkeypatch.setattr(runner, "_read_one", recording_read)
    monkeypatch.setattr(runner, "process", recording_process)

    def by_process(kind: str) -> dict[str, list[str]]:
        """Paths read (or analysed) by this process ("main") and by the workers ("workers"),
        once per time."""
        found = {"main": [], "workers": []}
        for entry in log.glob(f"{kind}-*"):
            who = "main" if entry.name == f"{kind}-{os.getpid()}" else "workers"
            found[who] += entry.read_text(encoding="utf-8").split()
            entry.unlink()
        return found

    return by_process


def options_for(root: Path, **kwargs) -> runner.Options:
    config = config_module.load(str(root / "pyproject.toml"))
    return runner.Options(path_rules=config_module.PathRules(config), **kwargs)


def report(result: runner.RunResult, root: Path):
    def rel(path):
        return os.path.relpath(path, root)

    return (sorted((rel(f.path), f.code, f.start, f.end, f.message) for f in result.findings),
            sorted((rel(e.path), e.message) for e in result.errors),
            sorted((rel(s.path), s.reason) for s in result.skipped))


def test_reading_in_the_pool_gives_what_one_process_gives(tree, in_pool):
    serial = report(runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=1)), tree)
    assert in_pool("read")["workers"] == []
    pooled = report(runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=2)), tree)
    read = in_pool("read")
    assert pooled == serial
    # The fixture's findings, errors and skipped files are all there, so the comparison is not empty.
    findings, errors, skipped = serial
    assert {f[0] for f in findings} >= {"ui/src/App.tsx", "ui/src/api.ts", "ui/src/exec.js", "tools/probe.py"}
    assert not any(f[0] == "ui/legacy/old.js" and "toast" in f[4] for f in findings)  # per-file ignores
    assert [e[0] for e in errors] == ["ui/src/binary.js", "ui/src/utf16.ts"]
    assert [s[0] for s in skipped] == ["ui/src/shim.ts"]
    # Every source file was read once, all of them by the workers.
    assert read["main"] == []
    assert sorted(os.path.relpath(p, tree) for p in read["workers"]) == sorted(
        name for name in [*FILES, "ui/src/utf16.ts", *(f"ui/src/gen{i:02}.js" for i in range(12))]
        if name.endswith((".ts", ".tsx", ".js", ".py")))


def test_the_client_imported_from_another_module_is_found_after_the_early_analysis(tree, in_pool):
    """App.tsx creates no client itself: analysed by the worker that read it, it has no
    findings; once the project pass finds that its import exports the client (from the
    summary that worker made of lib/client.ts: the main process parses nothing), it is
    analysed again, with them."""
    result = runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=2))
    analysed = in_pool("work")
    app = str(tree / "ui/src/App.tsx")
    assert any(f.path == app and "toast" in f.message for f in result.findings)
    # It was analysed twice (early, then with its imports); files without imports once, by the
    # worker that read them.
    everywhere = analysed["main"] + analysed["workers"]
    assert everywhere.count(app) == 2 and app in analysed["workers"]
    assert analysed["workers"].count(str(tree / "ui/src/api.ts")) == 1
    assert str(tree / "ui/src/api.ts") not in analysed["main"]
    # Of the modules, only App.tsx is parsed here, for its own summary: it imports the client.
    assert result.modules_summarised == 1
    assert result.found_through_imports == 0  # it passed the pre-filter: `ddClient` is in its text


def test_a_warm_cache_reads_only_what_size_and_time_cannot_vouch_for(tree, in_pool):
    cache_settings = "pool-test"
    cold = runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=2, cache=cache_module.Cache(str(tree), cache_settings)))
    in_pool("read")
    warm = runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=2, cache=cache_module.Cache(str(tree), cache_settings)))
    read = in_pool("read")
    assert report(warm, tree) == report(cold, tree)
    everything = read["main"] + read["workers"]
    rel = {os.path.relpath(p, tree) for p in everything}
    assert "ui/src/clean.ts" not in rel and "ui/src/gen01.js" not in rel  # clean and unchanged: not read
    assert "ui/src/api.ts" in rel  # its findings depend on its imports: read again, found by content
    # And a change is noticed.
    (tree / "ui/src/clean.ts").write_text("window.ddClient.toastWarning('now');\n")
    changed = runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=2, cache=cache_module.Cache(str(tree), cache_settings)))
    assert any(f.path.endswith("clean.ts") for f in changed.findings)


def test_a_worker_dying_while_reading_costs_nothing(tree, in_pool, monkeypatch):
    """The chunk whose worker died is read by this process instead; nothing is lost."""
    serial = report(runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=1)), tree)
    in_pool("read")
    main = os.getpid()
    read_one = runner._read_one

    def dying(path, catalogue, keyed):
        if path.endswith("gen04.js") and os.getpid() != main:
            os._exit(1)
        return read_one(path, catalogue, keyed)

    monkeypatch.setattr(runner, "_read_one", dying)
    pooled = report(runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=2)), tree)
    assert pooled == serial
    read = in_pool("read")
    assert str(tree / "ui/src/gen04.js") in read["main"]  # its worker died on it: read here
    assert read["workers"]  # the other chunks were read by the workers


def test_a_worker_dying_while_analysing_early_loses_only_that_file(tree, in_pool, monkeypatch):
    """A crash in a parser while a worker analyses what it read (`_analyse_early`): the file
    it was on is an internal error, every other file gets the results one process gives."""
    serial = report(runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=1)), tree)
    main = os.getpid()
    process = runner.process
    poison = str(tree / "ui/src/api.ts")

    def crashing(path, raw, *args, **kwargs):
        if path == poison and os.getpid() != main:
            os._exit(1)
        return process(path, raw, *args, **kwargs)

    monkeypatch.setattr(runner, "process", crashing)
    findings, errors, skipped = report(runner.run([str(tree)], CATALOGUE, options_for(tree, jobs=2)), tree)
    assert ("ui/src/api.ts", "internal error: the worker process analysing it crashed; please report this") in errors
    assert [e for e in errors if e[0] != "ui/src/api.ts"] == serial[1]
    assert findings == [f for f in serial[0] if f[0] != "ui/src/api.ts"] and skipped == serial[2]


def test_progress_counts_every_file_once_after_the_total(tree, in_pool):
    """Chunks read while discovery goes on finish before the total is known: their files are
    counted once the progress bar starts, so it ends at the total, never past it."""
    events = []
    options = options_for(tree, jobs=2, on_start=lambda total: events.append(("start", total)),
                          progress=lambda count: events.append(("done", count)))
    result = runner.run([str(tree)], CATALOGUE, options)
    assert events[0][0] == "start"
    total = events[0][1]
    assert total == len(result.files) + len(result.errors) + len(result.skipped)
    assert sum(count for kind, count in events[1:] if kind == "done") == total
    assert all(kind == "done" for kind, _ in events[1:])
