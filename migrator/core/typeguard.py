"""`fix --verify-types`: the project's own TypeScript as a guard over the fixes.

Like the re-parse after every fix pass, one level up: the project is type-checked before and
after the fix, with the project's compiler (``node_modules/typescript``, the package behind
``node_modules/.bin/tsc``, found walking up from the tsconfig) and its ``tsconfig.json`` (found
walking up from each fixed file). A fixed file that gains a type error the original did not
have is reverted, and its fixes are reported with tsc's message as the reason; then its fixes
are tried one at a time and those that add no error are kept (``one_by_one``). When a fix
breaks other files (a declaration file everything else relies on), the fixed files are tried
one by one and only those that keep the project as clean as it was are kept.

The fixed text is never written to check it: a small Node script (``tscheck.js``) builds the
program with a compiler host that reads the fixed files' new text from memory, reusing the
previous program between checks, so one Node process answers every check of a project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from migrator.core.paths import find_up

TIMEOUT = 600.0  # seconds for one check of one project
TS_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


class TscError(Exception):
    pass


@dataclass
class Outcome:
    reverted: dict[str, str] = field(default_factory=dict)  # path -> reason
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    checked: int = 0  # fixed files that a project's type check covered
    # Files whose fixes together failed but some of which pass alone: path -> (the text
    # with those fixes, the reason the others were dropped).
    partial: dict[str, tuple[bytes, str]] = field(default_factory=dict)


def typescript_package(tsconfig: str) -> str | None:
    """The project's ``typescript`` package: the one ``node_modules/.bin/tsc`` runs."""
    tsc = find_up(tsconfig, os.path.join("node_modules", ".bin", "tsc"),
                  lambda p: os.path.exists(p) and os.path.isdir(_package_beside(p, "typescript")))
    return os.path.realpath(_package_beside(tsc, "typescript")) if tsc else None


def _package_beside(binary: str, package: str) -> str:
    """`node_modules/<package>` for `node_modules/.bin/<binary>`."""
    return os.path.join(os.path.dirname(os.path.dirname(binary)), package)


class Checker:
    """One Node process type-checking one project, answering check after check."""

    def __init__(self, node: str, package: str, tsconfig: str, timeout: float = TIMEOUT) -> None:
        script = os.path.join(os.path.dirname(__file__), "tscheck.js")
        self.timeout = timeout
        self.proc = subprocess.Popen([node, script, package, tsconfig], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=os.path.dirname(tsconfig))

    def check(self, overrides: dict[str, bytes]) -> tuple[set[str], list[dict]]:
        request = json.dumps({p: b.decode("utf-8", "replace") for p, b in overrides.items()}) + "\n"
        timer = threading.Timer(self.timeout, self.proc.kill)
        timer.start()
        try:
            self.proc.stdin.write(request.encode("utf-8"))
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except OSError:
            line = b""
        finally:
            timer.cancel()
        if not line:
            self.close()
            error = self.proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
            raise TscError(f"the type checker stopped ({error[-1] if error else f'no answer within {self.timeout:.0f} s'})")
        answer = json.loads(line)
        if "error" in answer:
            raise TscError(answer["error"].splitlines()[0])
        return set(answer["files"]), answer["diagnostics"]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()


def _errors(diagnostics: list[dict]) -> dict[str, Counter]:
    by_file: dict[str, Counter] = {}
    for d in diagnostics:
        by_file.setdefault(d["file"], Counter())[(d["code"], d["message"])] += 1
    return by_file


def _new(before: list[dict], after: list[dict]) -> list[dict]:
    """The diagnostics of ``after`` that ``before`` did not have (by file, code and message)."""
    left = _errors(before)
    out = []
    for d in after:
        key = (d["code"], d["message"])
        seen = left.setdefault(d["file"], Counter())
        if seen[key]:
            seen[key] -= 1
        else:
            out.append(d)
    return out


def describe(d: dict) -> str:
    where = f"{os.path.relpath(d['file'])}({d['line']},{d['column']}): " if d["file"] else ""
    return f"{where}error TS{d['code']}: {d['message'].splitlines()[0]}"


def verify(changed: dict[str, tuple[bytes, bytes]], node: str | None = None, one_by_one=None) -> Outcome:
    """Which of the ``changed`` files (path -> (original, fixed)) keep their fix.

    Returns the reverted paths, each with tsc's message as the reason. ``one_by_one(path)``,
    when given, lists a reverted file's fixes as texts to try in turn: ``(label, apply)``
    where ``apply(text)`` adds that fix to ``text`` (None when it no longer applies); the
    fixes that keep the file free of new errors are kept (``Outcome.partial``)."""
    outcome = Outcome()
    node = node or shutil.which("node")
    candidates = {os.path.abspath(p): p for p in changed if p.endswith(TS_EXTENSIONS)}
    if not candidates:
        return outcome
    if node is None:
        outcome.notes.append("--verify-types: `node` was not found; the fixes were not type-checked")
        return outcome
    projects: dict[str, list[str]] = {}
    for full in candidates:
        config = find_up(full, "tsconfig.json")
        if config is None:
            continue
        projects.setdefault(config, []).append(full)
    started = time.perf_counter()
    for config, files in sorted(projects.items()):
        package = typescript_package(config)
        if package is None:
            outcome.notes.append(f"--verify-types: no node_modules/.bin/tsc for {os.path.relpath(config)}; not type-checked")
            continue
        checker = Checker(node, package, config)
        try:
            _verify_project(checker, {candidates[f]: changed[candidates[f]] for f in files}, outcome)
            if one_by_one is not None:
                _fix_by_fix(checker, [candidates[f] for f in files], changed, outcome, one_by_one)
        except TscError as exc:
            outcome.notes.append(f"--verify-types: {os.path.relpath(config)}: {exc}; the fixes were kept unchecked")
        finally:
            checker.close()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _fix_by_fix(checker: Checker, paths: list[str], changed, outcome: Outcome, one_by_one) -> None:
    """For each reverted file, its fixes one at a time: each kept if the file gains no error."""
    _, before = checker.check({})
    for path in sorted(p for p in paths if p in outcome.reverted):
        full = os.path.abspath(path)
        original = changed[path][0]
        text, dropped, kept = original, [], 0
        for label, apply in one_by_one(path):
            trial = apply(text)
            if trial is None:
                continue
            _, after = checker.check({full: trial})
            gained = [d for d in _new(before, after) if d["file"] == full]
            if gained:
                dropped.append(f"{label}: {describe(gained[0])}")
            else:
                text, kept = trial, kept + 1
        if kept:
            outcome.partial[path] = (text, outcome.reverted.pop(path) if not dropped else "; ".join(dropped))


def _verify_project(checker: Checker, changed: dict[str, tuple[bytes, bytes]], outcome: Outcome) -> None:
    program_files, before = checker.check({})
    covered = {p: texts for p, texts in changed.items() if os.path.abspath(p) in program_files}
    outcome.checked += len(covered)
    if not covered:
        return
    fixed = {os.path.abspath(p): texts[1] for p, texts in covered.items()}
    _, after = checker.check(fixed)
    new = _new(before, after)
    if not new:
        return
    # A fixed file that gains an error of its own is reverted.
    kept = dict(fixed)
    for path in list(covered):
        own = [d for d in new if d["file"] == os.path.abspath(path)]
        if own:
            outcome.reverted[path] = describe(own[0])
            del kept[os.path.abspath(path)]
    if len(kept) != len(fixed):
        _, after = checker.check(kept)
        new = _new(before, after)
    if not new:
        return
    # Errors elsewhere: add the fixed files back one by one, keeping those that stay clean.
    accepted: dict[str, bytes] = {}
    for path in sorted(p for p in covered if p not in outcome.reverted):
        trial = {**accepted, os.path.abspath(path): kept[os.path.abspath(path)]}
        _, after = checker.check(trial)
        gained = _new(before, after)
        if gained:
            outcome.reverted[path] = describe(gained[0])
        else:
            accepted = trial
