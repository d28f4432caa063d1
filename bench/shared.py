"""ddmigrate against ast-grep on the shared benchmark tree (`../shared/bench/`, see its README).

    ../shared/bench/make-corpus.sh              # once: /tmp/bench/corpus-{large,small}
    python3 -m venv /tmp/bench/venv && /tmp/bench/venv/bin/pip install ast-grep-cli==0.51.1
    .venv/bin/python bench/shared.py            # prints the table; --json for machines

Cases, each timed as the median of --runs runs (after one warm-up), ddmigrate and ast-grep
interleaved so that both see the same machine load:

- same files: ddmigrate with `exclude = []` (it reads dist/ and build/ as ast-grep does), cold;
- defaults: ddmigrate's default excludes, cold (`--no-cache`), and warm (the results cache);
- one file: the pre-commit case, one small TSX file of corpus-small, no cache.

Also: files/s, peak memory summed over every process of a run (sampled from /proc), and
whether both tools found the same calls, file by file (ast-grep's rules are the shared
anchors in ../shared/bench/anchors/ast-grep).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "bench"
BENCH = Path(os.environ.get("BENCH", "/tmp/bench"))


def rss_of_tree(root_pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def timed(command: list[str], cwd: Path | None = None, sample_memory: bool = False) -> tuple[float, int, bytes]:
    """(seconds, peak summed RSS, stdout) of one run."""
    peak = 0
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))
    reader.start()
    while True:
        if sample_memory:
            peak = max(peak, rss_of_tree(proc.pid))
        try:
            # Woken as soon as it exits: a sleep between samples would round a 0.1 s run up
            # to the next sample.
            proc.wait(timeout=0.02)
            break
        except subprocess.TimeoutExpired:
            continue
    elapsed = time.perf_counter() - started
    reader.join()
    return elapsed, peak, out[0] if out else b""


def median_of(commands: dict[str, list[str]], runs: int, cwd=None) -> dict[str, dict]:
    """Run the commands interleaved (one warm-up each), medians per command."""
    for command in commands.values():
        timed(command, cwd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = {name: 0 for name in commands}
    outputs: dict[str, bytes] = {}
    for _ in range(runs):
        for name, command in commands.items():
            seconds, peak, out = timed(command, cwd, sample_memory=True)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
            outputs[name] = out
    return {name: {"median": statistics.median(values), "min": min(values), "max": max(values),
                   "peak_rss_mb": peaks[name] / 2**20, "output": outputs[name]} for name, values in times.items()}


def per_file_ours(output: bytes, corpus: Path) -> Counter:
    found = Counter()
    for finding in json.loads(output)["findings"]:
        found[os.path.relpath(os.path.abspath(finding["path"]), corpus)] += 1
    return found


def per_file_theirs(output: bytes, corpus: Path) -> Counter:
    found = Counter()
    for match in json.loads(output):
        found[os.path.relpath(os.path.abspath(match["file"]), corpus)] += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ddmigrate", default=str(Path(sys.executable).with_name("ddmigrate")))
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    large, small = BENCH / "corpus-large", BENCH / "corpus-small"
    one_file = small / "ui" / "src" / "components" / "ContainerList.tsx"
    ast_grep = BENCH / "venv" / "bin" / "ast-grep"
    sgconfig = SHARED / "anchors" / "ast-grep" / "sgconfig.yml"
    for needed in (large, one_file, ast_grep, sgconfig):
        if not needed.exists():
            print(f"missing {needed}: see the module docstring", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="ddmigrate-bench-"))
    same_files = work / "same-files.toml"
    same_files.write_text("exclude = []\n")
    ours = [args.ddmigrate, "check", "--format", "json"]
    theirs = [str(ast_grep), "scan", "-c", str(sgconfig), "--json=compact"]
    suffixes = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
    files = {"same files": sum(1 for p in large.rglob("*") if p.is_file() and p.suffix in suffixes)}
    results = {}
    # The results cache lives beside the configuration (or the current folder): keep it out of the tree.
    cold = median_of({"ddmigrate": ours + ["--no-cache", "--config", str(same_files), str(large)],
                      "ast-grep": theirs + [str(large)]}, args.runs, cwd=work)
    results["same files, cold"] = cold
    defaults = median_of({"ddmigrate": ours + ["--no-cache", str(large)]}, args.runs, cwd=work)
    results["defaults, cold"] = defaults
    shutil.rmtree(work / ".ddmigrate_cache", ignore_errors=True)
    warm = median_of({"ddmigrate": ours + [str(large)]}, args.runs, cwd=work)  # the warm-up fills the cache
    results["defaults, warm"] = warm
    one = median_of({"ddmigrate": ours + ["--no-cache", str(one_file)], "ast-grep": theirs + [str(one_file)]},
                    max(args.runs, 5), cwd=work)
    results["one file"] = one
    same = per_file_ours(cold["ddmigrate"]["output"], large) == per_file_theirs(cold["ast-grep"]["output"], large)
    ours_total = sum(per_file_ours(cold["ddmigrate"]["output"], large).values())
    theirs_total = sum(per_file_theirs(cold["ast-grep"]["output"], large).values())
    sg_cold, sg_one = cold["ast-grep"]["median"], one["ast-grep"]["median"]
    rows = [
        ("same files (exclude = []), cold", cold["ddmigrate"], sg_cold, files["same files"]),
        ("defaults, cold", defaults["ddmigrate"], sg_cold, None),
        ("defaults, warm", warm["ddmigrate"], sg_cold, None),
        ("one file, no cache", one["ddmigrate"], sg_one, 1),
    ]
    report = {
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "runs": args.runs,
        "ast_grep": {"same_files_cold_s": sg_cold, "one_file_s": sg_one,
                     "peak_rss_mb": cold["ast-grep"]["peak_rss_mb"]},
        "cases": [{"case": name, "median_s": r["median"], "min_s": r["min"], "max_s": r["max"],
                   "ratio_to_ast_grep": r["median"] / sg, "peak_rss_mb": r["peak_rss_mb"],
                   "files_per_s": (count / r["median"]) if count else None} for name, r, sg, count in rows],
        "findings": {"ddmigrate": ours_total, "ast-grep": theirs_total, "same_calls_file_by_file": same},
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['machine']}; {report['date']}; medians of {args.runs} runs")
        print(f"{'case':<34} {'ddmigrate':>10} {'ast-grep':>9} {'ratio':>7} {'files/s':>9} {'peak MB':>8}")
        for (name, r, sg, _count), case in zip(rows, report["cases"]):
            rate = f"{case['files_per_s']:.0f}" if case["files_per_s"] else ""
            print(f"{name:<34} {r['median']:>9.3f}s {sg:>8.3f}s {case['ratio_to_ast_grep']:>6.3f}x {rate:>9} "
                  f"{r['peak_rss_mb']:>8.0f}")
        print(f"findings: ddmigrate {ours_total}, ast-grep {theirs_total}; same calls file by file: {same}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
