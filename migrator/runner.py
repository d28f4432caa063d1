"""From paths to results: discover, read bytes, lint or fix each file, write atomically."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from . import engine
from .discover import Candidate, discover
from .model import FileError, Finding
from .source import SourceError, SourceFile
from .writer import WriteError, write_atomic


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)  # after fixing, what remains
    applied: list[Finding] = field(default_factory=list)
    original: bytes = b""
    fixed: bytes | None = None  # new bytes when fixing changed something
    written: bool = False


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def applied(self) -> list[Finding]:
        return [f for r in self.files for f in r.applied]

    @property
    def changed_files(self) -> list[FileResult]:
        return [r for r in self.files if r.fixed is not None]


@dataclass
class Options:
    fix: bool = False
    unsafe: bool = False
    write: bool = False  # fix in place (fix without --diff/--check)


def process(path: str, raw: bytes, catalogue: engine.Catalogue, options: Options,
            language: str | None = None) -> FileResult | FileError:
    """Lint (and maybe fix) one file's bytes. Never raises for bad input: returns a FileError."""
    try:
        source = SourceFile.from_bytes(path, raw, language)
    except SourceError as exc:
        return FileError(path, str(exc))
    try:
        if not options.fix:
            findings = engine.lint(source, catalogue)
            # Keep the bytes only where a code frame needs them: a large tree must not stay in memory.
            return FileResult(path, findings, original=raw if findings else b"")
        outcome = engine.fix(source, catalogue, unsafe=options.unsafe)
    except RecursionError:
        return FileError(path, "is nested too deeply to analyse")
    except Exception as exc:  # a bug in a rule must not stop the other files
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return FileError(path, f"internal error while analysing it ({detail}); please report this")
    keep = outcome.changed or outcome.remaining
    result = FileResult(path, outcome.remaining, outcome.applied, original=raw if keep else b"")
    if outcome.changed:
        result.fixed = outcome.source.raw
    return result


def run(paths: list[str], catalogue: engine.Catalogue, options: Options) -> RunResult:
    run_result = RunResult()
    for item in discover(paths):
        if isinstance(item, FileError):
            run_result.errors.append(item)
            continue
        outcome, error = _process_path(item, catalogue, options)
        if error is not None:
            run_result.errors.append(error)
        if outcome is not None:
            run_result.files.append(outcome)
    return run_result


def _process_path(candidate: Candidate, catalogue, options: Options):
    try:
        with open(candidate.path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return None, FileError(candidate.path, f"cannot be read: {exc.strerror or exc}")
    outcome = process(candidate.path, raw, catalogue, options)
    if isinstance(outcome, FileError):
        return None, outcome
    if options.write and outcome.fixed is not None:
        try:
            write_atomic(candidate.path, raw, outcome.fixed)
            outcome.written = True
        except WriteError as exc:
            # Nothing was written: report what the file on disk still holds.
            unfixed = process(candidate.path, raw, catalogue, Options())
            return (unfixed if isinstance(unfixed, FileResult) else None), FileError(candidate.path, str(exc))
    return outcome, None
