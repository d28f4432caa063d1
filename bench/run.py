#!/usr/bin/env python3
"""Benchmark `ddmigrate check` against `ast-grep scan` on a generated tree of real-world JS/TS.

Run with the project's virtualenv (stdlib only):

    .venv/bin/python bench/run.py                 # 20,000 files
    .venv/bin/python bench/run.py --files 5000 --json

What it does, in one invocation:

1. Installs pinned npm packages into bench/out/npm (npm --no-save --ignore-scripts) and builds, or
   reuses when its parameters match, bench/out/tree-<N>: N JS/TS files copied from those packages
   (extensions kept, the pool cycled when N exceeds it), with deprecated `backend` HTTP calls
   injected into about 2% of the files (seeded, so the same parameters give the same tree).
   tree-<N>/manifest.json lists the path and line of every injected call.
2. Runs `ddmigrate check . --format json --no-cache` (cold) and, when the CLI has a cache,
   a run that fills it and a warm run; then `ast-grep scan` with the equivalent rules in
   bench/ast-grep/. Wall time, files/s, findings and peak memory of each run are measured.
3. Prints a table, compares the (path, line) sets found by both tools with the manifest (prints up
   to 10 mismatches and exits 1 if they differ), and times `ddmigrate check` on one small file
   from process start to exit (median of --small-runs runs): the pre-commit case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
NPM_PREFIX = OUT / "npm"
SG_CONFIG = BENCH / "ast-grep" / "sgconfig.yml"
SG_RULES = BENCH / "ast-grep" / "rules"

# Bump when the way a tree is generated changes: existing trees are rebuilt.
GENERATOR_VERSION = 5

# Popular packages that ship many JS/TS files, pinned exactly. Only each package's own files are
# used (not its dependencies, whose versions npm does not pin). About 24,900 files, 107 MB.
PACKAGES = [
    "lodash-es@4.17.21",
    "rxjs@7.8.1",
    "date-fns@3.6.0",              # .js .mjs .d.ts .d.mts
    "core-js@3.38.1",
    "react-dom@18.3.1",            # few, large files
    "@mui/material@5.16.7",
    "antd@5.20.4",
    "three@0.168.0",               # has look-alikes: this.backend.get(texture)
    "@babel/types@7.25.6",
    "moment@2.30.1",
    "ramda@0.30.1",
    "ajv@8.17.1",                  # ships its .ts sources
    "zod@3.23.8",
    "effect@3.7.3",                # ships its .ts sources
    "ra-ui-materialui@5.2.3",      # ships .tsx sources
    "react-aria-components@1.3.3",  # .mjs and .tsx sources
    "@angular/core@18.2.9",        # .mjs
    "@tanstack/react-query@5.56.2",  # .cjs .cts .tsx
    "@radix-ui/themes@3.1.6",      # .tsx sources
    "@blueprintjs/core@5.12.0",    # .tsx sources
]
AST_GREP_PIN = "ast-grep-cli==0.51.1"

JS_TS_EXTS = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
DECL_SUFFIXES = (".d.ts", ".d.mts", ".d.cts")
# Folder names ddmigrate (and typical linters) skip; renamed in the tree so every file is scanned.
SKIPPED_DIR_NAMES = {"node_modules", "dist", "build", "out", "coverage", "vendor",
                     "bower_components", "CVS", "__pycache__"}
HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "request")
LOOKALIKE_RE = re.compile(rb"\bbackend\s*(?:\?\.|\.)\s*(?:%s)\b" % b"|".join(m.encode() for m in HTTP_METHODS))
ESM_RE = re.compile(rb"(?m)^[ \t]*(?:import[ \t]*[\w{*'\"]|export[ \t]+(?:default|const|let|var|function|class|async|\{|\*|type|interface|enum|declare|abstract))")  # noqa: E501
# A file that binds these names itself would make the injected global calls not the desktop client.
SHADOW_RE = re.compile(rb"\b(?:var|let|const|function|class)\s+(?:window|self|globalThis|ddClient|ddBench\w*)\b")
POOL_EXCLUDE_RE = re.compile(rb"ddClient|createDockerDesktopClient|extension-api-client")
MAX_INJECT_SIZE = 256 * 1024
IMPORT_LINE = 'import { createDockerDesktopClient } from "@docker/extension-api-client";'

SMALL_FILE = """\
import React, { useEffect, useState } from "react";

interface Status {
  ok: boolean;
  detail?: string;
}

export function StatusPanel() {
  const [status, setStatus] = useState<Status | null>(null);

  useEffect(() => {
    window.ddClient.backend
      .get("/status")
      .then((value: Status) => setStatus(value))
      .catch((err: unknown) => setStatus({ ok: false, detail: String(err) }));
  }, []);

  if (status === null) {
    return <p>Loading...</p>;
  }
  return <p>{status.ok ? "Backend is up" : `Backend error: ${status.detail}`}</p>;
}
"""


# --------------------------------------------------------------------------------------------
# Injected shapes
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    name: str
    lines: tuple[str, ...]
    call_index: int          # index in `lines` of the line where the call expression starts
    needs: str = "any"       # any | ts (TypeScript/TSX files) | esm (ES module files)
    import_line: bool = False


SHAPES = [
    Shape("global", ('window.ddClient.backend.get("/hello");',), 0),
    Shape("optional-chain", ('window.ddClient?.backend?.delete("/y");',), 0),
    Shape("globalThis", ('globalThis.ddClient.backend.request({ url: "/r", method: "GET", headers: {}, data: null });',), 0),
    Shape("self", ('self.ddClient.backend.head("/h");',), 0),
    Shape("alias", ("const ddBenchAlias = window.ddClient;", 'ddBenchAlias.backend.patch("/p", { b: 2 });'), 1),
    Shape("then-chain", ("window.ddClient.backend", '  .get("/multi")', "  .then((r) => r);"), 0),
    # The leading `;` guards against ASI: after a line such as `export default def` a line that
    # starts with `(` would continue the previous expression (`def(window as any)...`).
    Shape("as-any", (';(window as any).ddClient.backend.put("/z", {});',), 0, needs="ts"),
    Shape("create-client",
          ("const ddBenchClient = createDockerDesktopClient();", 'ddBenchClient.backend.post("/x", { a: 1 });'),
          1, needs="esm", import_line=True),
]


def module_kind(rel: str, data: bytes) -> str:
    """'esm' for ES modules, 'cjs' for CommonJS modules, 'script' otherwise."""
    if rel.endswith((".mjs", ".mts")):
        return "esm"
    if rel.endswith((".cjs", ".cts")):
        return "cjs"
    if ESM_RE.search(data):
        return "esm"
    if b"require(" in data or b"module.exports" in data or b"exports." in data:
        return "cjs"
    return "script"


def is_ts(rel: str) -> bool:
    return rel.endswith((".ts", ".tsx", ".mts", ".cts"))


def shapes_for(rel: str, data: bytes) -> list[Shape]:
    kind = module_kind(rel, data)
    out = []
    for s in SHAPES:
        if s.needs == "ts" and not is_ts(rel):
            continue
        if s.needs == "esm" and kind != "esm":
            continue
        out.append(s)
    return out


def inject(data: bytes, shape: Shape) -> tuple[bytes, int]:
    """Return the new file content and the 1-based line of the injected call."""
    nl = b"\r\n" if b"\r\n" in data else b"\n"
    if shape.import_line:
        head = 0
        if data.startswith(b"\xef\xbb\xbf"):
            head = 3
        if data.startswith(b"#!", head):
            eol = data.find(b"\n", head)
            head = len(data) if eol < 0 else eol + 1
            if head == len(data) and not data.endswith(b"\n"):
                data += nl
                head = len(data)
        data = data[:head] + IMPORT_LINE.encode() + nl + data[head:]
    if data and not data.endswith(b"\n"):
        data += nl
    data += b"// ddmigrate-bench: injected deprecated call (" + shape.name.encode() + b")" + nl
    call_offset = None
    for i, line in enumerate(shape.lines):
        if i == shape.call_index:
            call_offset = len(data)
        data += line.encode() + nl
    assert call_offset is not None
    return data, data.count(b"\n", 0, call_offset) + 1


# --------------------------------------------------------------------------------------------
# npm packages and the generated tree
# --------------------------------------------------------------------------------------------

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def split_spec(spec: str) -> tuple[str, str]:
    name, _, version = spec.rpartition("@")
    return name, version


def ensure_packages() -> None:
    missing = []
    for spec in PACKAGES:
        name, version = split_spec(spec)
        pj = NPM_PREFIX / "node_modules" / name / "package.json"
        try:
            if json.loads(pj.read_text(encoding="utf-8")).get("version") == version:
                continue
        except (OSError, ValueError):
            pass
        missing.append(spec)
    if not missing:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("bench: npm is needed to install the source packages (apt-get install npm)")
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    log(f"bench: npm install {len(PACKAGES)} pinned packages into {NPM_PREFIX} ...")
    # All at once: installing a subset with --no-save would prune the others.
    cmd = [npm, "install", "--prefix", str(NPM_PREFIX), "--no-save", "--ignore-scripts",
           "--legacy-peer-deps", "--no-audit", "--no-fund", "--loglevel=error", *PACKAGES]
    subprocess.run(cmd, check=True, stdout=sys.stderr)


def package_files(name: str) -> list[tuple[str, Path]]:
    root = NPM_PREFIX / "node_modules" / name
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "node_modules")
        for fn in sorted(filenames):
            if fn.endswith(JS_TS_EXTS):
                p = Path(dirpath, fn)
                found.append((p.relative_to(root).as_posix(), p))
    return found


def sanitize(rel: str) -> str:
    parts = []
    for part in rel.split("/"):
        if part in SKIPPED_DIR_NAMES or part.startswith("."):
            part = "x_" + part.lstrip(".")
        parts.append(part)
    return "/".join(parts)


def build_pool() -> list[tuple[str, Path]]:
    """(tree-relative path without the round prefix, source file), in a stable order."""
    pool = []
    excluded = 0
    for spec in PACKAGES:
        name, _ = split_spec(spec)
        pkg_dir = name.replace("@", "").replace("/", "__")
        for rel, src in package_files(name):
            if not src.is_file() or src.is_symlink():
                continue
            if POOL_EXCLUDE_RE.search(src.read_bytes()):
                excluded += 1
                continue
            pool.append((sanitize(f"{pkg_dir}/{rel}"), src))
    if excluded:
        log(f"bench: {excluded} pool files mention the client API already and were left out")
    return pool


def make_repo_root(tree: Path) -> None:
    """Make the tree the root of a (empty) git repository, like a real project checkout.

    Both tools honour the .gitignore files of the enclosing repository, and this repository's
    .gitignore ignores bench/out/: without a repository root of its own the tree would be skipped.
    """
    if (tree / ".git").exists():
        return
    git = shutil.which("git")
    if git:
        subprocess.run([git, "init", "--quiet", str(tree)], check=True)
    else:
        (tree / ".git").mkdir()


def tree_params(n: int, seed: int, rate: float) -> dict:
    return {"generator": GENERATOR_VERSION, "files": n, "seed": seed, "rate": rate,
            "packages": PACKAGES, "shapes": [s.name for s in SHAPES]}


def tree_dir_for(n: int, seed: int, rate: float, out: Path) -> Path:
    name = f"tree-{n}"
    if (seed, rate) != (DEFAULTS["seed"], DEFAULTS["rate"]):
        name += f"-s{seed}-r{rate:g}"
    return out / name


def build_tree(n: int, seed: int, rate: float, out: Path, rebuild: bool) -> tuple[Path, dict]:
    tree = tree_dir_for(n, seed, rate, out)
    params = tree_params(n, seed, rate)
    stamp = tree / "params.json"
    if not rebuild and stamp.is_file():
        try:
            if json.loads(stamp.read_text())["params"] == params:
                log(f"bench: reusing {tree}")
                make_repo_root(tree)
                return tree, json.loads((tree / "manifest.json").read_text())
        except (OSError, ValueError, KeyError):
            pass
    ensure_packages()
    pool = build_pool()
    if not pool:
        sys.exit("bench: no source files found in the npm packages")
    rng = random.Random(seed)
    # Which pool files go in: whole rounds of the pool, then a seeded sample for the remainder.
    rounds, rest = divmod(n, len(pool))
    picks: list[tuple[int, int]] = [(r, i) for r in range(rounds) for i in range(len(pool))]
    picks += [(rounds, i) for i in sorted(rng.sample(range(len(pool)), rest))]
    multi_round = rounds + (1 if rest else 0) > 1

    if tree.exists():
        shutil.rmtree(tree)
    tmp = tree.with_name(tree.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    log(f"bench: building {tree} ({n} files from a pool of {len(pool)}) ...")

    entries = []  # (tree-relative path, source)
    for r, i in picks:
        rel, src = pool[i]
        dest_rel = f"r{r}/{rel}" if multi_round else rel
        entries.append((dest_rel, src))

    # Choose the files that get an injected call.
    eligible = []
    for idx, (rel, src) in enumerate(entries):
        if rel.endswith(DECL_SUFFIXES):
            continue
        if src.stat().st_size > MAX_INJECT_SIZE:
            continue
        eligible.append(idx)
    k = min(len(eligible), max(1, round(n * rate))) if rate > 0 else 0
    chosen = set()
    candidates = eligible[:]
    rng.shuffle(candidates)
    for idx in candidates:
        if len(chosen) == k:
            break
        if SHADOW_RE.search(entries[idx][1].read_bytes()):
            continue
        chosen.add(idx)

    injected = []
    offset = rng.randrange(len(SHAPES))
    shape_uses = {s.name: 0 for s in SHAPES}
    by_ext: dict[str, int] = {}
    total_bytes = 0
    made_dirs = set()
    for idx, (rel, src) in enumerate(entries):
        dest = tmp / rel
        if dest.parent not in made_dirs:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(dest.parent)
        ext = next(s for s in DECL_SUFFIXES + JS_TS_EXTS if rel.endswith(s))
        by_ext[ext] = by_ext.get(ext, 0) + 1
        if idx in chosen:
            data = src.read_bytes()
            # The applicable shape used least so far, so that the rarer kinds of file (TypeScript,
            # ES modules) get the shapes that only they can take.
            options = shapes_for(rel, data)
            shape = min(options, key=lambda s: (shape_uses[s.name], (SHAPES.index(s) - offset) % len(SHAPES)))
            shape_uses[shape.name] += 1
            data, line = inject(data, shape)
            dest.write_bytes(data)
            total_bytes += len(data)
            injected.append({"path": rel, "line": line, "shape": shape.name})
        else:
            shutil.copyfile(src, dest)
            total_bytes += src.stat().st_size
    lookalike_files = sum(1 for idx, (rel, src) in enumerate(entries)
                          if idx not in chosen and LOOKALIKE_RE.search(src.read_bytes()))
    injected.sort(key=lambda e: (e["path"], e["line"]))
    manifest = {
        "files": n,
        "bytes": total_bytes,
        "pool_files": len(pool),
        "by_extension": dict(sorted(by_ext.items())),
        "injected_calls": len(injected),
        "injected_by_shape": {s.name: sum(1 for e in injected if e["shape"] == s.name) for s in SHAPES},
        "lookalike_files": lookalike_files,
        "calls": injected,
    }
    make_repo_root(tmp)
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    (tmp / "params.json").write_text(json.dumps({"params": params}, indent=1) + "\n")
    tmp.rename(tree)
    return tree, manifest


# --------------------------------------------------------------------------------------------
# Running and measuring a command
# --------------------------------------------------------------------------------------------

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(pid: int) -> int:
    """Sum of the resident memory of pid and all its descendants, in bytes (shared pages counted
    in every process: an upper bound)."""
    total = 0
    stack = [pid]
    seen = set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


@dataclass
class Run:
    label: str
    cmd: list[str]
    wall: float = 0.0
    returncode: int = 0
    stdout: bytes = b""
    stderr: bytes = b""
    maxrss: int = 0          # largest single process (wait4), bytes
    peak_sum_rss: int = 0    # sampled sum over the process tree, bytes
    findings: int = 0
    hits: set = field(default_factory=set)
    extra: dict = field(default_factory=dict)


def run_measured(label: str, cmd: list[str], cwd: Path, sample: bool = True,
                 timeout: float = 3600.0) -> Run:
    run = Run(label, cmd)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        done = threading.Event()
        peak = [0]

        def sampler() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(proc.pid))
                done.wait(0.05)

        def killer() -> None:
            if not done.wait(timeout):
                proc.kill()

        threads = [threading.Thread(target=killer, daemon=True)]
        if sample:
            threads.append(threading.Thread(target=sampler, daemon=True))
        for t in threads:
            t.start()
        _, status, usage = os.wait4(proc.pid, 0)
        run.wall = time.perf_counter() - t0
        done.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
        for t in threads:
            t.join()
        run.returncode = proc.returncode
        run.maxrss = usage.ru_maxrss * 1024
        run.peak_sum_rss = max(peak[0], run.maxrss)
        out.seek(0)
        err.seek(0)
        run.stdout = out.read()
        run.stderr = err.read()
    return run


def norm_path(p: str, tree: Path) -> str:
    if os.path.isabs(p):
        try:
            p = os.path.relpath(p, tree)
        except ValueError:
            pass
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


# --------------------------------------------------------------------------------------------
# The tools
# --------------------------------------------------------------------------------------------

def find_ddmigrate(explicit: str | None) -> list[str] | None:
    if explicit:
        return explicit.split()
    cand = Path(sys.executable).parent / "ddmigrate"
    if cand.exists():
        return [str(cand)]
    which = shutil.which("ddmigrate")
    return [which] if which else None


def find_ast_grep(install: bool) -> str | None:
    cand = Path(sys.executable).parent / "ast-grep"
    if cand.exists():
        return str(cand)
    which = shutil.which("ast-grep")
    if which:
        return which
    if not install:
        return None
    log(f"bench: installing {AST_GREP_PIN} into {sys.prefix} ...")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", AST_GREP_PIN],
                   check=True, stdout=sys.stderr)
    return str(cand) if cand.exists() else shutil.which("ast-grep")


def tool_version(cmd: list[str]) -> str:
    try:
        r = subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=60)
        return (r.stdout.strip() or r.stderr.strip()).splitlines()[0] if r.returncode == 0 else "?"
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "?"


def check_rules_in_sync() -> list[str]:
    """The per-language rule files must differ only in their id and language lines."""
    texts = {}
    for p in sorted(SG_RULES.glob("*.yml")):
        body = [ln for ln in p.read_text().splitlines()
                if not ln.startswith(("id:", "language:"))]
        texts[p.name] = body
    problems = []
    if len(texts) != 3:
        problems.append(f"expected 3 rule files in {SG_RULES}, found {len(texts)}")
    bodies = list(texts.values())
    for name, body in texts.items():
        if bodies and body != bodies[0]:
            problems.append(f"{name} differs from {next(iter(texts))} beyond id/language")
    return problems


def parse_ddmigrate(run: Run, tree: Path, rule: str) -> None:
    try:
        report = json.loads(run.stdout)
    except ValueError:
        run.extra["parse_error"] = True
        return
    findings = report.get("findings", [])
    run.findings = len(findings)
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.get("rule", "?")] = by_rule.get(f.get("rule", "?"), 0) + 1
        if f.get("rule") == rule:
            run.hits.add((norm_path(f["path"], tree), int(f["line"])))
    run.extra["by_rule"] = by_rule
    summary = report.get("summary")
    if isinstance(summary, dict) and isinstance(summary.get("files"), int):
        run.extra["files_seen"] = summary["files"]
    run.extra["errors"] = len(report.get("errors", []))
    run.extra["error_samples"] = report.get("errors", [])[:5]


def parse_ast_grep(run: Run, tree: Path) -> None:
    count = 0
    for line in run.stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            m = json.loads(line)
        except ValueError:
            run.extra["parse_error"] = True
            continue
        count += 1
        run.hits.add((norm_path(m["file"], tree), m["range"]["start"]["line"] + 1))
    run.findings = count


def warm_page_cache(tree: Path) -> None:
    for dirpath, _, filenames in os.walk(tree):
        for fn in filenames:
            try:
                with open(os.path.join(dirpath, fn), "rb") as f:
                    while f.read(1 << 20):
                        pass
            except OSError:
                pass


def repeat_run(label: str, cmd: list[str], cwd: Path, repeat: int) -> list[Run]:
    return [run_measured(label, cmd, cwd) for _ in range(max(1, repeat))]


def pick_median(runs: list[Run]) -> Run:
    runs = sorted(runs, key=lambda r: r.wall)
    return runs[(len(runs) - 1) // 2]


def time_small(cmd: list[str], cwd: Path, runs: int) -> dict:
    walls = []
    rcs = set()
    for i in range(runs + 1):  # one warm-up
        r = run_measured("small", cmd, cwd, sample=False)
        if i:
            walls.append(r.wall)
            rcs.add(r.returncode)
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls),
            "runs": runs, "exit_codes": sorted(rcs)}


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

DEFAULTS = {"files": 20000, "seed": 20240, "rate": 0.02}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=DEFAULTS["files"], help="files in the tree (default 20000)")
    ap.add_argument("--seed", type=int, default=DEFAULTS["seed"], help="seed for sampling and injection")
    ap.add_argument("--rate", type=float, default=DEFAULTS["rate"], help="share of files that get a call (0.02)")
    ap.add_argument("--out", type=Path, default=OUT, help="where trees are built (default bench/out)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the tree even if it exists")
    ap.add_argument("--generate-only", action="store_true", help="build the tree and stop")
    ap.add_argument("--ddmigrate", help="command to run instead of the venv's ddmigrate")
    ap.add_argument("--skip-ddmigrate", action="store_true")
    ap.add_argument("--skip-ast-grep", action="store_true")
    ap.add_argument("--rule", default="backend-http", help="ddmigrate rule name to compare (backend-http)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each timed command; the median is shown")
    ap.add_argument("--small-runs", type=int, default=10, help="runs for the one-file timing (0 skips it)")
    ap.add_argument("--no-install", action="store_true", help="do not pip-install ast-grep when missing")
    ap.add_argument("--strict-targets", action="store_true", help="also exit 1 when a speed/memory target is missed")
    ap.add_argument("--json", action="store_true",
                    help="print the results as JSON on stdout (the table then goes to stderr)")
    ap.add_argument("--json-out", type=Path, help="write the JSON results to this file")
    args = ap.parse_args(argv)
    if args.files < 1:
        ap.error("--files must be at least 1")

    tree, manifest = build_tree(args.files, args.seed, args.rate, args.out.resolve(), args.rebuild)
    expected = {(c["path"], c["line"]) for c in manifest["calls"]}
    log(f"bench: tree {tree}: {manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB, "
        f"{manifest['injected_calls']} injected calls, {manifest['lookalike_files']} files with look-alikes")
    if args.generate_only:
        return 0

    problems: list[str] = []
    runs: list[Run] = []
    n = manifest["files"]
    warm_page_cache(tree)

    dd = None if args.skip_ddmigrate else find_ddmigrate(args.ddmigrate)
    dd_version = None
    cache_supported = False
    if not args.skip_ddmigrate:
        if dd is None:
            sys.exit("bench: ddmigrate not found (install the project: pip install -e .), or use --skip-ddmigrate")
        help_run = subprocess.run(dd + ["check", "--help"], capture_output=True, text=True)
        if help_run.returncode != 0:
            sys.exit(f"bench: `ddmigrate check --help` failed:\n{help_run.stderr}")
        cache_supported = "--no-cache" in help_run.stdout
        dd_version = tool_version(dd)
        base = dd + ["check", ".", "--format", "json"]
        cold_cmd = base + (["--no-cache"] if cache_supported else [])
        log("bench: ddmigrate check (cold) ...")
        runs.append(pick_median(repeat_run("ddmigrate (cold)", cold_cmd, tree, args.repeat)))
        if cache_supported:
            cache_dir = tree / ".ddmigrate_cache"
            if cache_dir.exists():
                shutil.rmtree(cache_dir)
            log("bench: ddmigrate check (cache fill) ...")
            runs.append(run_measured("ddmigrate (cache fill)", base, tree))
            if not cache_dir.exists():
                log(f"bench: note: no {cache_dir} after the cache-fill run; the cache lives elsewhere "
                    "and may not have started empty")
            log("bench: ddmigrate check (warm cache) ...")
            runs.append(pick_median(repeat_run("ddmigrate (warm)", base, tree, args.repeat)))
        for r in runs:
            if r.returncode not in (0, 1):
                problems.append(f"{r.label} exited {r.returncode}: {r.stderr.decode(errors='replace')[-2000:]}")
            parse_ddmigrate(r, tree, args.rule)
            if r.extra.get("parse_error"):
                problems.append(f"{r.label}: stdout is not a JSON report")
            seen = r.extra.get("files_seen")
            if seen is not None and seen != n:
                problems.append(f"{r.label}: the report says {seen} files were checked, the tree has {n}")

    sg_run = None
    sg_version = None
    if not args.skip_ast_grep:
        for p in check_rules_in_sync():
            problems.append("ast-grep rules: " + p)
        sg = find_ast_grep(install=not args.no_install)
        if sg is None:
            sys.exit("bench: ast-grep not found (pip install ast-grep-cli), or use --skip-ast-grep")
        sg_version = tool_version([sg])
        log("bench: ast-grep scan ...")
        sg_cmd = [sg, "scan", "--config", str(SG_CONFIG), "--json=stream", "."]
        sg_run = pick_median(repeat_run("ast-grep scan", sg_cmd, tree, args.repeat))
        if sg_run.returncode not in (0, 1):
            problems.append(f"ast-grep exited {sg_run.returncode}: {sg_run.stderr.decode(errors='replace')[-2000:]}")
        parse_ast_grep(sg_run, tree)
        runs.append(sg_run)

    small = None
    baseline = None
    if dd is not None and args.small_runs > 0:
        small_dir = args.out.resolve() / "small"
        small_dir.mkdir(parents=True, exist_ok=True)
        (small_dir / "StatusPanel.tsx").write_text(SMALL_FILE)
        log(f"bench: one-file check x{args.small_runs} ...")
        small = time_small(dd + ["check", "StatusPanel.tsx"], small_dir, args.small_runs)
        baseline = time_small([sys.executable, "-c",
                               "import tree_sitter, tree_sitter_javascript, tree_sitter_typescript"],
                              small_dir, args.small_runs)
        if small["exit_codes"] != [1]:
            problems.append(f"one-file check exited {small['exit_codes']}, expected [1] (one finding)")

    # ---- comparison -------------------------------------------------------------------------
    mismatches: dict[str, dict[str, list]] = {}

    def compare(run: Run) -> None:
        missed = sorted(expected - run.hits)
        extra = sorted(run.hits - expected)
        if missed or extra:
            mismatches[run.label] = {"missed": missed, "unexpected": extra}

    for r in runs:
        compare(r)
    dd_cold = next((r for r in runs if r.label.startswith("ddmigrate (cold")), None)
    if dd_cold is not None and sg_run is not None and dd_cold.hits != sg_run.hits:
        mismatches["ddmigrate vs ast-grep"] = {"only ddmigrate": sorted(dd_cold.hits - sg_run.hits),
                                               "only ast-grep": sorted(sg_run.hits - dd_cold.hits)}

    # ---- report -----------------------------------------------------------------------------
    # With --json, stdout carries only the JSON document and the table goes to stderr.
    stream = sys.stderr if args.json else sys.stdout

    def say(*parts: object) -> None:
        print(*parts, file=stream)

    sg_wall = sg_run.wall if sg_run else None
    say()
    say(f"tree: {tree} — {n} files, {manifest['bytes'] / 1e6:.1f} MB, "
          f"{manifest['injected_calls']} injected calls, {manifest['lookalike_files']} files with look-alike "
          f"`backend.<method>` calls that must not be flagged")
    say(f"machine: {os.cpu_count()} cores; ddmigrate {dd_version or '-'}; {sg_version or 'ast-grep -'}")
    hdr = f"{'tool':<24}{'wall s':>9}{'files/s':>10}{'findings':>10}{'x ast-grep':>12}{'maxRSS MB':>11}{'sumRSS MB':>11}"
    say(hdr)
    say("-" * len(hdr))
    for r in runs:
        ratio = f"{r.wall / sg_wall:.3f}" if sg_wall else "-"
        say(f"{r.label:<24}{r.wall:>9.2f}{n / r.wall:>10.0f}{r.findings:>10}{ratio:>12}"
              f"{r.maxrss / 1e6:>11.0f}{r.peak_sum_rss / 1e6:>11.0f}")
    if small:
        say(f"one-file check (pre-commit): median {small['median']:.3f} s "
              f"(min {small['min']:.3f}, max {small['max']:.3f}, {small['runs']} runs); "
              f"python + grammar imports alone: median {baseline['median']:.3f} s")
    for r in runs:
        if r.extra.get("errors"):
            say(f"{r.label}: {r.extra['errors']} file errors, e.g. {r.extra['error_samples'][:2]}")

    targets = []
    if dd_cold and sg_run:
        targets.append(("cold check <= 0.25x ast-grep", dd_cold.wall / sg_run.wall, 0.25))
        warm = next((r for r in runs if r.label == "ddmigrate (warm)"), None)
        if warm:
            targets.append(("warm check <= 0.10x ast-grep", warm.wall / sg_run.wall, 0.10))
    if small:
        targets.append(("one-file check < 0.15 s", small["median"], 0.15))
    if dd_cold:
        peak = max(r.peak_sum_rss for r in runs if r.label.startswith("ddmigrate"))
        targets.append(("peak RSS (sum) < 300 MB", peak / 1e6, 300))
    missed_targets = []
    if targets:
        say("targets:")
        for name, value, limit in targets:
            ok = value <= limit
            if not ok:
                missed_targets.append(name)
            say(f"  {'ok  ' if ok else 'MISS'} {name}: {value:.3f}")

    if mismatches:
        say("MISMATCH between the manifest and the findings:")
        for label, groups in mismatches.items():
            for kind, items in groups.items():
                if items:
                    say(f"  {label}: {len(items)} {kind}")
                    for path, line in items[:10]:
                        say(f"    {path}:{line}")
    else:
        checked = ", ".join(r.label for r in runs) or "nothing"
        say(f"OK: {checked} found exactly the {len(expected)} injected calls")
    for p in problems:
        say("PROBLEM:", p)

    results = {
        "tree": str(tree), "files": n, "bytes": manifest["bytes"], "injected_calls": len(expected),
        "lookalike_files": manifest["lookalike_files"], "by_extension": manifest["by_extension"],
        "cpus": os.cpu_count(), "ddmigrate_version": dd_version, "ast_grep_version": sg_version,
        "cache_supported": cache_supported,
        "runs": [{"tool": r.label, "cmd": r.cmd, "wall_s": round(r.wall, 4), "files_per_s": round(n / r.wall, 1),
                  "findings": r.findings, "ratio_to_ast_grep": round(r.wall / sg_wall, 4) if sg_wall else None,
                  "max_rss_mb": round(r.maxrss / 1e6, 1), "peak_sum_rss_mb": round(r.peak_sum_rss / 1e6, 1),
                  "exit_code": r.returncode, **{k: v for k, v in r.extra.items() if k != "error_samples"}}
                 for r in runs],
        "one_file": small, "python_grammar_import": baseline,
        "targets": [{"name": t[0], "value": round(t[1], 4), "limit": t[2], "ok": t[1] <= t[2]} for t in targets],
        "mismatches": {k: {kk: [list(x) for x in vv] for kk, vv in v.items()} for k, v in mismatches.items()},
        "problems": problems,
    }
    if args.json:
        print(json.dumps(results, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2) + "\n")
    if mismatches or problems:
        return 1
    if args.strict_targets and missed_targets:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
