#!/usr/bin/env python3
"""Run the fix properties of tests/test_fuzz.py for longer, with random seeds: generated
programs, mutated examples (the example extension and every rule example) and mutated
generated programs, in turns of 200.

    .venv/bin/python scripts/fuzz.py --examples 5000
    .venv/bin/python scripts/fuzz.py --seconds 600 --out fuzz-failures/

Prints how many examples ran (per target) and every failure with its input; a failing input
is also written to --out (if given) as a file named after the language, ready to feed to
`ddmigrate fix`. Exit status 1 when any property failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzzing import CATALOGUE, CATALOGUE_UNUSED, check_fix, corpus, mutants, mutated_programs, programs  # noqa: E402

BATCH = 200


class Run:
    def __init__(self, out: Path | None, show: int) -> None:
        self.counts = {"generated": 0, "mutants": 0, "mutated-generated": 0}
        self.failures: list[tuple[str, str, bytes, str]] = []
        self.out = out
        self.show = show

    def record(self, target: str, filename: str, raw: bytes, detail: str) -> None:
        self.failures.append((target, filename, raw, detail))
        number = len(self.failures)
        if number <= self.show:
            print(f"\n--- failure {number} ({target}, {filename}) ---\n{detail}\ninput:\n"
                  f"{raw.decode('utf-8', errors='replace')}\n---", flush=True)
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            suffix = os.path.splitext(filename)[1]
            (self.out / f"failure-{number:04}{suffix}").write_bytes(raw)
            (self.out / f"failure-{number:04}.txt").write_text(f"{target} {filename}\n{detail}\n")


def batch(run: Run, target: str, items, size: int) -> None:
    fast = settings(max_examples=size, derandomize=False, database=None, deadline=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))

    if target == "generated":
        @fast
        @given(programs(), st.booleans(), st.booleans())
        def one(program, unsafe, unused):
            run.counts[target] += 1
            try:
                check_fix(program.raw, program.filename, unsafe=unsafe, valid=True, fillers=program.fillers,
                          catalogue=CATALOGUE_UNUSED if unused else CATALOGUE)
            except Exception:
                run.record(target, program.filename, program.raw,
                           f"unsafe={unsafe} unused_ignores={unused}\n{traceback.format_exc(limit=3)}")
    else:
        @fast
        @given(mutants(items) if target == "mutants" else mutated_programs(), st.booleans())
        def one(mutant, unsafe):
            run.counts[target] += 1
            filename, raw, description = mutant
            try:
                check_fix(raw, filename, unsafe=unsafe)
            except Exception:
                run.record(target, filename, raw, f"unsafe={unsafe} mutation={description}\n"
                                                  f"{traceback.format_exc(limit=3)}")

    one()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=2000, help="examples to run in all (default 2000)")
    parser.add_argument("--seconds", type=float, default=None, help="run for this long instead (stops at "
                                                                      "--examples too if it is given)")
    parser.add_argument("--target", choices=("all", "generated", "mutants", "mutated-generated"), default="all")
    parser.add_argument("--out", type=Path, default=None, help="write failing inputs to this folder")
    parser.add_argument("--show", type=int, default=10, help="print at most this many failures (default 10)")
    args = parser.parse_args(argv)
    explicit_examples = "--examples" in (argv if argv is not None else sys.argv[1:])
    limit = args.examples if (args.seconds is None or explicit_examples) else None
    targets = ["generated", "mutants", "mutated-generated"] if args.target == "all" else [args.target]
    items = corpus()
    run = Run(args.out, args.show)
    started = time.monotonic()
    turn = 0
    while True:
        total = sum(run.counts.values())
        if limit is not None and total >= limit:
            break
        if args.seconds is not None and time.monotonic() - started >= args.seconds:
            break
        size = BATCH if limit is None else min(BATCH, limit - total)
        batch(run, targets[turn % len(targets)], items, size)
        turn += 1
        end = "\r" if sys.stderr.isatty() else "\n"
        print(f"{sum(run.counts.values())} examples, {len(run.failures)} failures, "
              f"{time.monotonic() - started:.0f} s", end=end, file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started
    print(file=sys.stderr)
    counts = ", ".join(f"{name} {count}" for name, count in run.counts.items() if name in targets)
    print(f"ran {sum(run.counts.values())} examples ({counts}) in {elapsed:.0f} s; "
          f"{len(run.failures)} failures")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
