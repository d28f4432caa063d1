"""From paths to results: discover, read bytes, lint or fix each file, write atomically."""

from __future__ import annotations

import collections
import functools
import os
import time
from dataclasses import dataclass, field

from migrator.core import engine
from migrator.core.discover import Candidate, discover
from migrator.core.languages import IMPORTING, language_for_path
from migrator.core.model import FileError, Finding
from migrator.core.paths import find_up
from migrator.core.source import SourceError, SourceFile, unreadable
from migrator.core.writer import WriteError, write_atomic
from migrator.migration.metadata import stamp as metadata_stamp
from migrator.shim_js.marker import is_shim


# Internal records are never compared (eq=False), and those nobody prints have no repr: each
# method a dataclass generates costs import time, which a one-file pre-commit run pays.
@dataclass(eq=False)
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)  # after fixing, what remains
    applied: list[Finding] = field(default_factory=list)
    original: bytes = b""
    fixed: bytes | None = None  # new bytes when fixing changed something
    written: bool = False


@dataclass(frozen=True)
class Skipped:
    """A file that was read but deliberately neither checked nor fixed, and why."""

    path: str
    reason: str


SHIM_REASON = "written by `ddmigrate shim` (it has the @ddmigrate-shim header); never checked or fixed"


def skip_reason(raw: bytes) -> str | None:
    """Why a file with these bytes is skipped, or None. Only its first few hundred bytes are looked at."""
    return SHIM_REASON if is_shim(raw) else None


@dataclass(eq=False)
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # The project pass: modules parsed to summarise their exports, and files analysed only
    # because they import the client from another module.
    modules_summarised: int = 0
    found_through_imports: int = 0
    project_seconds: float = 0.0
    suppressed: int = 0  # findings dropped by the bulk suppressions file (migrator.core.suppressions)
    formatted: list[str] = field(default_factory=list)  # fixed files the project's prettier formatted
    reverted: list[str] = field(default_factory=list)  # fixed files reverted by `fix --verify-types`
    notes: list[str] = field(default_factory=list)  # what the fix review says (formatter, type check)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def applied(self) -> list[Finding]:
        return [f for r in self.files for f in r.applied]

    @property
    def changed_files(self) -> list[FileResult]:
        return [r for r in self.files if r.fixed is not None]


@dataclass(eq=False, repr=False)
class Options:
    fix: bool = False
    unsafe: bool = False
    write: bool = False  # fix in place (fix without --diff/--check)
    cache: object = None  # a cache.Cache, or None
    path_rules: object = None  # a config.PathRules, or None
    jobs: int = 0  # worker processes; 0 chooses by the number of files to parse
    progress: object = None  # called with the number of files done since the last call
    on_start: object = None  # called with the number of files found, before any result
    force_exclude: bool = False  # configured exclusions apply to files named on the command line too
    # Called with the paths fixing would write, before any is written; it raises to write nothing.
    before_write: object = None
    # Called with the fixed FileResults and a function that lints bytes of a path, once every
    # file is fixed and before any is written (or shown): it may change or revert the fixes
    # (`fix --verify-types`, the project's formatter: migrator.core.postfix).
    review: object = None


# Parsing is what costs; below this many files to parse, a process pool costs more than it saves.
POOL_THRESHOLD = 48
# A file that mentions the client and is larger than this (a minified bundle, generated code)
# is reported and skipped: analysing it costs about 180 MB of memory per MiB.
MAX_ANALYSED_BYTES = 1 << 20


def process(path: str, raw: bytes, catalogue: engine.Catalogue, options: Options,
            language: str | None = None, modules: dict | None = None, source: SourceFile | None = None,
            tree=None) -> FileResult | FileError:
    """Lint (and maybe fix) one file's bytes. Never raises for bad input: returns a FileError.
    ``modules`` is what the modules it imports export (the project pass). A caller that
    already decoded and parsed the bytes passes ``source`` and ``tree``."""
    if source is None:
        try:
            source = SourceFile.from_bytes(path, raw, language)
        except SourceError as exc:
            return FileError(path, str(exc))
    source.modules = modules
    if len(raw) > MAX_ANALYSED_BYTES and catalogue.may_match(source.content, source.language):
        return FileError(path, f"is too large to analyse ({len(raw) / 2**20:.1f} MiB; the limit is "
                               f"{MAX_ANALYSED_BYTES >> 20} MiB); skipped (a bundle or generated file? "
                               f"list it in extend-exclude)")
    try:
        if not options.fix:
            findings = engine.lint(source, catalogue, tree)
            # Keep the bytes only where a code frame needs them: a large tree must not stay in memory.
            return FileResult(path, findings, original=raw if findings else b"")
        outcome = engine.fix(source, catalogue, unsafe=options.unsafe, tree=tree)
    except RecursionError:
        return FileError(path, "is nested too deeply to analyse")
    except Exception as exc:  # a bug in a rule must not stop the other files
        import traceback

        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return FileError(path, f"internal error while analysing it ({detail}); please report this")
    keep = outcome.changed or outcome.remaining
    result = FileResult(path, outcome.remaining, outcome.applied, original=raw if keep else b"")
    if outcome.changed:
        result.fixed = outcome.source.raw
    return result


@dataclass(eq=False, repr=False)
class Pending:
    """A file that passed the pre-filter (and missed the cache), waiting to be parsed."""

    index: int  # its place in the report
    path: str
    raw: bytes
    stat: object
    key: str | None  # its cache key
    catalogue: engine.Catalogue
    modules: dict | None = None  # what the modules it imports export (the project pass)
    # Its analysis in the worker that read it, as if it imported nothing that exports the
    # client: (outcome, summary, specifiers), the summary a tuple holding its exports, or
    # None; the specifiers it imports, for JavaScript (``migrator.js.project.regex_specifiers``).
    early: tuple | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Task:
    """What a worker process needs for one file: rules travel as their codes."""

    path: str
    raw: bytes
    codes: tuple[str, ...]
    report_unused_ignores: bool
    options: Options
    modules: dict | None = None


def run(paths: list[str], catalogue: engine.Catalogue, options: Options) -> RunResult:
    """Discover, read and pre-filter (in the pool, while discovery goes on, for a large tree),
    consult the cache in this process; parse in the pool when enough files survive the
    pre-filter; write and report in input order."""
    jobs = options.jobs or (os.cpu_count() or 1)
    pool = _Pool(jobs) if jobs > 1 else None
    try:
        return _run(paths, catalogue, options, pool)
    finally:
        if pool is not None:
            pool.close()


def _run(paths: list[str], catalogue: engine.Catalogue, options: Options, pool: _Pool | None) -> RunResult:
    _package_stamp.cache_clear()  # package.json files may have changed since the last run
    items, slots, work, early = _read_all(paths, catalogue, options, pool)
    project_stats = [0, 0]
    project_started = time.perf_counter()
    # The pool analyses, meanwhile, what does not wait on the project pass: a file it finds
    # importing the client from another module is analysed again once its imports are known.
    early.update(_speculate([p for p in work if p.index not in early], options, pool))
    work = _project_pass(items, slots, work, catalogue, options, project_stats)
    project_seconds = time.perf_counter() - project_started
    outcomes = _process_all(work, options, pool, early)
    if pool is not None:
        # Before anything is written: the pool's thread in this process would take a SIGTERM
        # that the writer holds back (signal masks are per thread), and end the run mid-write.
        pool.close()
    if options.fix:
        outcomes = _whole_groups(work, outcomes, options)
    for pending, outcome in zip(work, outcomes):
        slots[pending.index] = _finish(pending.path, pending.raw, pending.stat, pending.key, outcome, catalogue, options)
        _tick(options)
    if options.review is not None:
        # Re-reading a file (to revert it, or fix by fix) sees what its imports export, as its fix did.
        modules = {p.path: p.modules for p in work}
        options.review([s[0] for s in slots if s is not None and isinstance(s[0], FileResult) and s[0].fixed is not None
                        and not s[0].written and s[1] is None],
                       lambda path, raw: process(path, raw, _catalogue_for(catalogue, options, path), Options(),
                                                 modules=modules.get(path)))
    if options.write and (options.before_write is not None or options.review is not None):
        _write_all(slots, catalogue, options)
    run_result = RunResult(modules_summarised=project_stats[0], found_through_imports=project_stats[1],
                           project_seconds=project_seconds)
    for outcome, error in slots:
        if error is not None:
            run_result.errors.append(error)
        if isinstance(outcome, Skipped):
            run_result.skipped.append(outcome)
        elif outcome is not None:
            run_result.files.append(outcome)
    if options.cache is not None:
        options.cache.save()
    return run_result


def _project_pass(items, slots, work: list[Pending], catalogue: engine.Catalogue, options: Options,
                  stats: list[int]) -> list[Pending]:
    """Link imports across the run's JavaScript files (migrator.js.project).

    Only a module that names the client (it passed the pre-filter) can export it, or one
    that imports such a module (a barrel, a hook in its own file). A file imports a module
    by a specifier that names it (`./lib/client`, `../lib` for `lib/index.ts`), so only
    specifiers naming a known module are resolved, and only files that hold the name of a
    module exporting the client are read again. A file that exports what it imports
    becomes such a module in turn. Files named on the command line (pre-commit) have every
    import read. Each file to analyse then gets what its imports export."""
    js = [p for p in work if language_for_path(p.path) in _JS]
    if not js and not any(isinstance(i, Candidate) and i.explicit and language_for_path(i.path) in _JS for i in items):
        return work
    from migrator.js.project import Project, module_names, read_module

    names: set[str] = set()  # the names of the modules that may export the client
    for pending in js:
        names.update(module_names(pending.path))
    # The bytes read already, and the summaries made where the modules were analysed.
    known, early, specifiers = {}, {}, {}
    for pending in js:
        path = os.path.abspath(pending.path)
        known[path] = pending.raw
        if pending.early is not None:
            _, summary, imported = pending.early
            if summary:
                early[path] = (pending.raw, summary[0])
            if imported is not None:
                specifiers[path] = (pending.raw, imported)

    def read(path: str) -> bytes | None:
        raw = known.get(path)
        return raw if raw is not None else read_module(path)

    def new_project(names=None) -> Project:
        return Project(read=read, cache=options.cache, names=names, early=early, specifiers=specifiers)

    scan = new_project(names)
    everything = new_project()  # for files named on the command line
    exported: set[str] = set()  # names of modules known to export it
    for pending in js:
        if scan.exports(pending.path) is not None:
            exported.update(module_names(pending.path))
    queued = {p.index for p in work}
    # Files that passed no pre-filter are read again only for the names of modules that export
    # the client (or, named on the command line, for every import): often there is none.
    unmatched = []
    if exported or any(isinstance(item, Candidate) and item.explicit for item in items):
        unmatched = [i for i, item in enumerate(items) if isinstance(item, Candidate) and i not in queued
                     and language_for_path(item.path) in _JS and _clean(slots[i])]
    promoted: list[Pending] = []
    searched: set[str] = set()
    first = True
    while first or exported - searched:
        new = [n.encode() for n in exported - searched]
        searched |= exported
        still = []
        for index in unmatched:
            item = items[index]
            if not ((first and item.explicit) or new):
                still.append(index)
                continue
            raw = _read(item.path)
            if raw is None or not ((first and item.explicit) or any(n in raw for n in new)):
                still.append(index)
                continue
            project = everything if item.explicit else scan
            modules = project.modules_of(item.path, raw)
            if not modules:
                still.append(index)
                continue
            promoted.append(Pending(index, item.path, raw, None, None, _catalogue_for(catalogue, options, item.path), modules))
            scan.names.update(module_names(item.path))
            if project.exports(item.path) is not None:  # a barrel, a hook in its own file, module.exports = ...
                exported.update(module_names(item.path))
        unmatched = still
        first = False
    for pending in promoted:
        slots[pending.index] = None
    # Summaries made while the names were still being found may have missed a module: with
    # new names, the final ones are made afresh (from the cache, when it is on).
    final = new_project(scan.names) if promoted else scan
    explicit = {i for i, item in enumerate(items) if isinstance(item, Candidate) and item.explicit}
    ordered = sorted(work + promoted, key=lambda p: p.index)
    for pending in ordered:
        if language_for_path(pending.path) in _JS:
            project = everything if pending.index in explicit else final
            pending.modules = project.modules_of(pending.path, pending.raw) or None
    wrapper_verdicts([p for p in ordered if language_for_path(p.path) in _JS], explicit)
    remaining = []
    for pending in ordered:
        if language_for_path(pending.path) in _JS and _cached_with_modules(pending, slots, options):
            _tick(options)
            continue
        remaining.append(pending)
    stats[:] = [scan.parsed + everything.parsed + (final.parsed if final is not scan else 0), len(promoted)]
    return remaining


def wrapper_verdicts(js: list[Pending], explicit: set[int]) -> None:
    """An exported command wrapper and its calls in other modules move together or not at all
    (``migrator.js.wrappers``): the verdict, decided here from every file involved, reaches
    each of them with what its imports export (and so is part of its cache key)."""
    from migrator.js import wrappers

    if not any(wrappers.wrappers_in(p.modules) for p in js if p.modules):
        return
    by_path = {p.path: p for p in js}
    contexts: dict = {}

    def context_of(path: str):
        if path not in contexts:
            contexts[path] = _js_context(by_path[path])
        return contexts[path]

    found = wrappers.project_verdicts({p.path: p.modules for p in js}, context_of,
                                      {p.path for p in js if p.index in explicit})
    for path, verdicts in found.items():
        pending = by_path[path]
        pending.modules = {**(pending.modules or {}), wrappers.VERDICTS: verdicts}


def _whole_groups(work: list[Pending], outcomes: list, options: Options) -> list:
    """The parts of a change across files (an exported command wrapper and its calls in other
    modules) are applied all or none: when some file of a group applied its part and another
    did not (a suppression comment, a rule not selected, a fix dropped), the group's files
    are analysed again with the group refused, and say why."""
    from migrator.js import wrappers

    groups: dict = {}
    for pending in work:
        for key, verdict in ((pending.modules or {}).get(wrappers.VERDICTS) or {}).items():
            if verdict.state == wrappers.MIGRATE:
                groups[key] = verdict
    if not groups:
        return outcomes
    outcomes = list(outcomes)
    place = {p.path: i for i, p in enumerate(work)}
    while True:
        broken = {}
        for key, verdict in groups.items():
            group = wrappers.group_of(key)
            applied = {path: sum(f.group == group for f in getattr(outcomes[place[path]], "applied", ()))
                       for path in verdict.files if path in place}
            missing = [path for path, parts in zip(verdict.files, verdict.parts) if applied.get(path, 0) != parts]
            if missing and any(applied.values()):
                broken[key] = missing[0]
        if not broken:
            return outcomes
        for key, path in broken.items():
            verdict = groups.pop(key)
            reason = wrappers.Verdict(wrappers.REFUSE, (
                f"its change in {os.path.relpath(path, os.path.dirname(verdict.files[0]))} was not applied (a "
                "suppression comment, a rule not selected, or a fix dropped), and the wrapper and its calls "
                "change together or not at all"))
            for member in verdict.files:
                pending = work[place[member]] if member in place else None
                if pending is None:
                    continue
                verdicts = {**pending.modules[wrappers.VERDICTS], key: reason}
                pending.modules = {**pending.modules, wrappers.VERDICTS: verdicts}
                outcomes[place[member]] = process(pending.path, pending.raw, pending.catalogue, options,
                                                  modules=pending.modules)


def _js_context(pending: Pending):
    """A JavaScript or TypeScript file of the run, parsed with what its imports export."""
    from migrator.core.languages import is_container, parse
    from migrator.js.context import JsContext

    try:
        source = SourceFile.from_bytes(pending.path, pending.raw)
    except SourceError:
        return None
    if is_container(source.language):
        return None
    source.modules = pending.modules
    return JsContext(source, parse(source.language, source.content))


def _cached_with_modules(pending: Pending, slots, options: Options) -> bool:
    """A JavaScript file's results depend on what its imports export: its cache key says
    so, and it is looked up only now. (No size-and-time shortcut for it: the file may be
    unchanged while a module it imports changed.)"""
    if options.cache is None:
        return False
    pending.key = _js_key(pending, pending.modules)
    pending.stat = None
    cached = _js_cached(pending, options, pending.modules)
    if cached is None:
        return False
    for finding in cached:
        finding.path = pending.path
    slots[pending.index] = (FileResult(pending.path, cached, original=pending.raw if cached else b""), None)
    return True


def _js_key(pending: Pending, modules: dict | None) -> str:
    digest = repr(sorted(modules.items())) if modules else ""
    # Whether a fix may import the v1 types depends on the project's package.json (DD306).
    digest += _package_stamp(os.path.dirname(os.path.abspath(pending.path)))
    # The metadata rules read the extension's metadata.json, compose file and configuration.
    digest += metadata_stamp(pending.path)
    codes = ",".join(r.code for r in pending.catalogue.rules)
    return _content_key(pending.raw, language_for_path(pending.path) or "", f"{codes};{digest}")


def _js_cached(pending: Pending, options: Options, modules: dict | None):
    """What the cache holds for a JavaScript file that imports ``modules``, or None (also when
    fixing a file with findings: the fix needs the analysis itself)."""
    if options.cache is None:
        return None
    cached = options.cache.get(_js_key(pending, modules))
    return None if cached is None or (options.fix and cached) else cached


_JS = IMPORTING


@functools.cache
def _package_stamp(folder: str) -> str:
    """The nearest package.json above ``folder``, by size and modification time."""
    candidate = find_up(folder, "package.json", os.path.isfile)
    try:
        stat = os.stat(candidate) if candidate else None
    except OSError:
        stat = None
    return f";{candidate}:{stat.st_size}:{stat.st_mtime_ns}" if stat else ""


def _clean(slot) -> bool:
    # (A Skipped file, the shim say, is not clean: it is never read again nor analysed.)
    return slot is not None and slot[1] is None and isinstance(slot[0], FileResult) and not slot[0].findings


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _tick(options: Options) -> None:
    if options.progress is not None:
        options.progress(1)


_CATALOGUES: dict = {}


def _catalogue_for(catalogue: engine.Catalogue, options: Options, path: str) -> engine.Catalogue:
    """The catalogue less the rules that `per-file-ignores` turns off for ``path``."""
    ignored = options.path_rules.ignored_rules(path) if options.path_rules is not None else []
    if not ignored:
        return catalogue
    key = (id(catalogue), tuple(sorted(ignored)))
    if key not in _CATALOGUES:
        from migrator.core.registry import matches

        _CATALOGUES[key] = catalogue.subset([r for r in catalogue.rules if not any(matches(r, i) for i in ignored)])
    return _CATALOGUES[key]


def _content_key(raw: bytes, language: str, codes: str) -> str:
    # Imported here: a run without the cache (`--no-cache`, one file from pre-commit) does not
    # load hashlib's OpenSSL bindings at all.
    from migrator.core.cache import content_key

    return content_key(raw, language, codes)


def _by_stat(path: str, options: Options):
    """(slot, stat, key): with the cache on, a file whose size and time say it is unchanged and
    clean is done without being read (its slot); else its stat and cache key, if known."""
    cache = options.cache
    if cache is None:
        return None, None, None
    try:
        stat = os.stat(path)
    except OSError:
        return None, None, None
    key = cache.key_by_stat(path, stat)
    cached = cache.get(key) if key is not None else None
    if cached is not None and not cached:
        return (FileResult(path, []), None), stat, key
    return None, stat, key


def _read_or_error(path: str) -> bytes | FileError:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        return FileError(path, f"cannot be read: {exc.strerror or exc}")


def _prefilter(path: str, raw: bytes, catalogue: engine.Catalogue, keyed: bool):
    """What a file's bytes decide before any parsing, as (verdict, payload): ("skipped", why),
    ("error", why), ("clean", its cache key when ``keyed``), ("match", None) when the
    pre-filter passes, ("unknown", None) when no language is known for its name. Needs no
    state of the run: workers call it too."""
    reason = skip_reason(raw)
    if reason is not None:
        return "skipped", reason
    language = language_for_path(path)
    if language is None:
        return "unknown", None
    if catalogue.may_match(raw, language):
        return "match", None
    # Never parsed, so never decoded: only what makes a file unreadable is looked for.
    problem = unreadable(raw)
    if problem is not None:
        return "error", problem
    return "clean", _content_key(raw, language, ",".join(r.code for r in catalogue.rules)) if keyed else None


def _settle(path: str, raw: bytes, stat, verdict: str, payload, catalogue: engine.Catalogue, options: Options):
    """(slot, raw, stat, key) of a file read and pre-filtered (here or in a worker): a finished
    slot when no parsing is needed (or the cache holds its results), else what parsing needs."""
    if verdict == "skipped":
        return (Skipped(path, payload), None), b"", None, None
    if verdict == "error":
        return (None, FileError(path, payload)), b"", None, None
    cache = options.cache
    if verdict == "clean":
        if cache is not None and payload is not None:
            cache.put(path, stat, payload, [])
        return (FileResult(path, []), None), b"", stat, payload
    language = language_for_path(path)
    matches = verdict == "match"
    if matches and language in _JS:
        return None, raw, stat, None  # its cache key depends on its imports: see _project_pass
    key = None
    if cache is not None:
        codes = ",".join(r.code for r in catalogue.rules)
        # An HTML page, a component or a Markdown file holds JavaScript too: the metadata rules
        # read the extension's metadata.json, compose file and Dockerfile for it, so its key
        # says so, and it gets no size-and-time shortcut (those files may change, not it).
        extra = metadata_stamp(path) if matches and language != "python" else ""
        if extra:
            codes, stat = f"{codes};{extra}", None
        key = _content_key(raw, language or "", codes)
        cached = cache.get(key)
        if cached is not None and not (options.fix and cached):
            for finding in cached:
                finding.path = path
            return (FileResult(path, cached, original=raw if cached else b""), None), raw, stat, key
    if not matches:
        # An unknown extension (a file named on the command line): process() says why.
        outcome = process(path, raw, catalogue, options)
        return _finish(path, raw, stat, key, outcome, catalogue, options), raw, stat, key
    return None, raw, stat, key


def _finish(path, raw, stat, key, outcome, catalogue, options: Options):
    if isinstance(outcome, FileError):
        return None, outcome
    if options.cache is not None and key is not None and not options.fix:
        options.cache.put(path, stat, key, outcome.findings)
    elif options.cache is not None and key is not None and not outcome.findings and outcome.fixed is None:
        options.cache.put(path, stat, key, [])
    if options.write and outcome.fixed is not None and options.before_write is None and options.review is None:
        return _write(outcome, catalogue)
    return outcome, None


def _write(outcome: FileResult, catalogue: engine.Catalogue):
    """The slot of a fixed file, once written (or not, and why)."""
    try:
        write_atomic(outcome.path, outcome.original, outcome.fixed)
        outcome.written = True
    except WriteError as exc:
        # Nothing was written: report what the file on disk still holds.
        unfixed = process(outcome.path, outcome.original, catalogue, Options())
        return (unfixed if isinstance(unfixed, FileResult) else None), FileError(outcome.path, str(exc))
    return outcome, None


def _write_all(slots: list, catalogue: engine.Catalogue, options: Options) -> None:
    """With ``before_write``, the fixed files are written once every file is analysed, so that it
    sees them all first (without it, each is written as soon as it is fixed, in ``_finish``)."""
    changed = [index for index, slot in enumerate(slots) if slot is not None and isinstance(slot[0], FileResult)
               and slot[0].fixed is not None and not slot[0].written and slot[1] is None]
    if not changed:
        return
    if options.before_write is not None:
        options.before_write([slots[index][0].path for index in changed])
    for index in changed:
        slots[index] = _write(slots[index][0], catalogue)


# A tree with at least this many files is read and pre-filtered in the pool (in chunks of
# SCAN_CHUNK files, while discovery goes on): below it, starting the workers costs more.
# (Each chunk handed over costs this process a wake-up of the pool's threads: on the
# benchmark tree, chunks of 1,024 beat 256, 512 and 2,048.)
SCAN_POOL_FILES = 2048
SCAN_CHUNK = 1024


class _Pool:
    """The run's worker processes, started on first use and used for both reading and parsing.
    Started before this process holds the tree's bytes, the workers share less memory with it."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._executor = None
        self.context = None

    def submit(self, function, *args):
        """A future, or None when the pool is broken (a worker died)."""
        import concurrent.futures as futures

        if self._executor is None:
            import multiprocessing

            self.context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
            self._executor = futures.ProcessPoolExecutor(self.jobs, mp_context=self.context,
                                                         initializer=_worker_init, initargs=_worker_args())
        try:
            return self._executor.submit(function, *args)
        except (futures.process.BrokenProcessPool, RuntimeError):
            return None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _result(future):
    """A future's result, or None when its worker died (or it was never submitted)."""
    import concurrent.futures as futures

    if future is None:
        return None
    try:
        return future.result()
    except futures.process.BrokenProcessPool:
        return None


# Chunks handed to the pool and not yet collected, per worker: enough to keep the workers
# busy, few enough that a large file found in a chunk is analysed soon after (see _read_all).
CHUNKS_IN_FLIGHT = 3


def _read_all(paths: list[str], catalogue: engine.Catalogue, options: Options, pool: _Pool | None):
    """(items, slots, work, early): every file found, the slots of those done without parsing,
    the ones to parse, and the analyses already under way in the pool (by index).

    In a large tree the pool reads and pre-filters while discovery goes on, and analyses
    the files that pass as it finds them (``_scan``); a file too large for that is handed
    back, and analysed as soon as its chunk is collected. This process keeps the cache (a
    file whose size and time are known is not even read)."""
    items: list = []
    slots: list = []
    work: list[Pending] = []
    early: dict = {}  # index -> the future of an analysis started here
    in_flight: collections.deque = collections.deque()  # (entries, future)
    batch: list[int] = []  # indices of the files to hand to the pool next
    stats: dict[int, object] = {}
    catalogues: dict[int, engine.Catalogue] = {}  # by index, for the files handed to the pool
    owed = 0  # files done before the total is known (progress starts with it)
    counting = options.on_start is None

    def tick() -> None:
        nonlocal owed
        if counting:
            _tick(options)
        else:
            owed += 1

    def settle(index: int, found) -> None:
        item = items[index]
        file_catalogue = catalogues.get(index) or _catalogue_for(catalogue, options, item.path)
        verdict, payload, analysed = found or (*_read_one(item.path, file_catalogue, options.cache is not None), None)
        raw = payload if verdict in ("match", "unknown") else b""
        slot, raw, stat, key = _settle(item.path, raw, stats.get(index), verdict, payload, file_catalogue, options)
        if slot is not None:
            slots[index] = slot
            tick()
            return
        pending = Pending(index, item.path, raw, stat, key, file_catalogue, early=analysed)
        work.append(pending)
        if found is not None and analysed is None and _needs_early(pending, options):
            early.update(_submit([pending], options, pool))  # too large to analyse while reading: now

    def collect() -> None:
        entries, future = in_flight.popleft()
        found = _result(future)
        for position, index in enumerate(entries):
            # A chunk whose worker died is read here, file by file.
            settle(index, found[position] if found is not None else None)

    def flush() -> None:
        if batch:
            used = {id(catalogues[index]): catalogues[index] for index in batch}
            table = {ident: ([r.code for r in c.rules], c.report_unused_ignores) for ident, c in used.items()}
            entries = [(items[index].path, id(catalogues[index])) for index in batch]
            in_flight.append((list(batch), pool.submit(_scan, table, entries, options.cache is not None,
                                                       _plain(options))))
            batch.clear()
        while len(in_flight) > CHUNKS_IN_FLIGHT * pool.jobs:
            collect()

    unscanned: list[int] = []  # to read, not yet handed to the pool
    to_read = 0
    for item in discover(paths, path_rules=options.path_rules, force_exclude=options.force_exclude):
        index = len(items)
        items.append(item)
        slots.append(None)
        if isinstance(item, FileError):
            slots[index] = (None, item)
            continue
        slot, stat, _ = _by_stat(item.path, options)
        if slot is not None:
            slots[index] = slot
            tick()
            continue
        stats[index] = stat
        unscanned.append(index)
        to_read += 1
        if pool is None or to_read < SCAN_POOL_FILES:
            continue
        for waiting in unscanned:
            catalogues[waiting] = _catalogue_for(catalogue, options, items[waiting].path)
            batch.append(waiting)
            if len(batch) >= SCAN_CHUNK:
                flush()
        unscanned.clear()
    if batch:
        flush()
    if options.on_start is not None:
        options.on_start(len(items))
        counting = True
        if owed and options.progress is not None:
            options.progress(owed)
    while in_flight:
        collect()
    for index in unscanned:
        settle(index, None)
    work.sort(key=lambda p: p.index)
    return items, slots, work, early


# A file up to this size that passes the pre-filter is analysed by the worker that read it,
# right away (larger ones wait, to be analysed largest first: see _submit).
EARLY_BYTES = 256 << 10


def _scan(table: dict, entries: list, keyed: bool, options: Options) -> list:
    """In a worker: read and pre-filter a chunk of files, and analyse those that pass, as if
    they imported nothing that exports the client (most do not; the project pass decides)."""
    catalogues = {ident: _worker_catalogue(tuple(codes), report) for ident, (codes, report) in table.items()}
    found = []
    for path, ident in entries:
        catalogue = catalogues[ident]
        verdict, payload = _read_one(path, catalogue, keyed)
        early = None
        if verdict == "match" and len(payload) <= EARLY_BYTES:
            early = _analyse_early(path, payload, catalogue, options)
        found.append((verdict, payload, early))
    return found


def _analyse_early(path: str, raw: bytes, catalogue: engine.Catalogue, options: Options):
    """(outcome, summary, specifiers): the file's analysis, and, for a JavaScript module, what
    it exports (``migrator.js.project.early_summary``), from one parse, and what it imports."""
    from migrator.core.languages import is_container, uses_tree_sitter

    specifiers = None
    if language_for_path(path) in _JS:
        from migrator.js.project import regex_specifiers

        specifiers = regex_specifiers(raw)
    try:
        source = SourceFile.from_bytes(path, raw)
    except SourceError as exc:
        return FileError(path, str(exc)), None, specifiers
    tree = summary = None
    if uses_tree_sitter(source.language) and not is_container(source.language) and len(raw) <= MAX_ANALYSED_BYTES:
        from migrator.core.languages import parse
        from migrator.js.project import early_summary

        tree = parse(source.language, source.content)
        try:
            summary = early_summary(path, raw, source.language, tree)
        except Exception:  # noqa: BLE001 - the project pass makes it again, and says what failed
            summary = None
    outcome = process(path, raw, catalogue, options, source=source, tree=tree)
    if isinstance(outcome, FileResult):
        outcome.original = b""  # the main process has the bytes: they need not travel back
    return outcome, summary, specifiers


def _read_one(path: str, catalogue: engine.Catalogue, keyed: bool):
    """``_prefilter``'s (verdict, payload) for the file at ``path``, read; the payload is the
    bytes for a file to parse (or whose language is unknown)."""
    raw = _read_or_error(path)
    if isinstance(raw, FileError):
        return "error", raw.message
    verdict, payload = _prefilter(path, raw, catalogue, keyed)
    return verdict, raw if verdict in ("match", "unknown") else payload


def _speculate(work: list[Pending], options: Options, pool: _Pool | None) -> dict:
    """Analyses started in the pool before the project pass, by index (``_needs_early``)."""
    if pool is None or len(work) < POOL_THRESHOLD and not options.jobs:
        return {}
    return _submit([p for p in work if _needs_early(p, options)], options, pool)


def _needs_early(pending: Pending, options: Options) -> bool:
    """Whether to analyse a file before the project pass: not analysed yet, and either it does
    not depend on that pass or the cache does not hold its results yet (most JavaScript files
    import nothing that exports the client; those that do are analysed again)."""
    return pending.early is None and (language_for_path(pending.path) not in _JS
                                      or _js_cached(pending, options, None) is None)


def _process_all(work: list[Pending], options: Options, pool: _Pool | None = None, early: dict | None = None) -> list:
    early = early or {}
    # A file analysed early, before its imports were known, is taken as it is if it imports
    # nothing that exports the client (nor takes part in a wrapper's migration).
    results = [_early_outcome(p) if p.early is not None else _result(early[p.index]) if p.index in early else None
               for p in work]
    results = [None if result is not None and p.modules else result for p, result in zip(work, results)]
    rest = [position for position, result in enumerate(results) if result is None]
    pooled = bool(early)
    if rest and pool is not None and (early or len(rest) >= (POOL_THRESHOLD if not options.jobs else 2)):
        pooled = True
        futures = _submit([work[position] for position in rest], options, pool)
        for position in rest:
            results[position] = _result(futures.get(work[position].index))
    context = pool.context if pool is not None else None
    for position, pending in enumerate(work):
        if results[position] is None:
            if pooled:
                # Its worker died (a crash in a parser, say): it is retried alone, so that it costs only itself.
                results[position] = _isolated(_task(pending, options), context)
            else:
                results[position] = process(pending.path, pending.raw, pending.catalogue, options,
                                            modules=pending.modules)
    return results


def _early_outcome(pending: Pending):
    outcome = pending.early[0]
    if isinstance(outcome, FileResult) and (outcome.findings or outcome.applied):
        outcome.original = pending.raw
    return outcome


def _task(pending: Pending, options: Options) -> Task:
    return Task(pending.path, pending.raw, tuple(r.code for r in pending.catalogue.rules),
                pending.catalogue.report_unused_ignores, _plain(options), pending.modules)


def _submit(work: list[Pending], options: Options, pool: _Pool) -> dict:
    """Analyse in the pool: a future per file, by index. Largest files first, in small chunks:
    one minified bundle costs as much as a hundred source files, and a worker left with it at
    the end would keep the other one idle."""
    order = sorted(work, key=lambda p: -len(p.raw))
    chunk = max(1, min(8, len(order) // (pool.jobs * 8)))
    futures = {}
    for start in range(0, len(order), chunk):
        part = order[start:start + chunk]
        future = pool.submit(_work_many, [_task(p, options) for p in part])
        if future is None:
            break  # the pool is broken: what was not submitted is analysed alone
        for position, pending in enumerate(part):
            futures[pending.index] = _Part(future, position)
    return futures


class _Part:
    """One file's share of a chunk's future."""

    def __init__(self, future, position: int) -> None:
        self.future = future
        self.position = position

    def result(self):
        return self.future.result()[self.position]


def _isolated(task, context):
    import concurrent.futures as futures

    try:
        with futures.ProcessPoolExecutor(1, mp_context=context, initializer=_worker_init,
                                         initargs=_worker_args()) as pool:
            return pool.submit(_work_many, [task]).result()[0]
    except futures.process.BrokenProcessPool:
        return FileError(task.path, "internal error: the worker process analysing it crashed; please report this")


def _worker_args() -> tuple:
    """What a worker needs of this process's state, should it not be forked from it."""
    from migrator.migration.metadata import configured

    return (configured(),)


def _worker_init(configuration: str | None = None) -> None:
    """In a worker: the configuration the command line chose (``_worker_args``). Ctrl-C
    reaches the whole process group: the main process alone handles it
    and winds the pool down (a worker interrupted while idle printed a traceback, or, holding
    the task queue's lock, hung the pool). And a worker whose main process is gone (killed
    with SIGTERM or SIGKILL) exits instead of waiting for work forever."""
    import signal
    import threading
    import time

    from migrator.migration import metadata

    metadata.use_configuration(configuration or None, isolated=configuration == "")
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _plain(options: Options) -> Options:
    """The options a worker needs (no cache, no callbacks: those stay in this process)."""
    return Options(fix=options.fix, unsafe=options.unsafe)


_WORKER_CATALOGUES: dict = {}


def _worker_catalogue(codes: tuple[str, ...], report_unused_ignores: bool) -> engine.Catalogue:
    key = (codes, report_unused_ignores)
    if key not in _WORKER_CATALOGUES:
        from migrator.core.registry import all_rules

        _WORKER_CATALOGUES[key] = engine.Catalogue([r for r in all_rules() if r.code in codes],
                                                   report_unused_ignores=report_unused_ignores)
    return _WORKER_CATALOGUES[key]


def _work(task: Task):
    return process(task.path, task.raw, _worker_catalogue(task.codes, task.report_unused_ignores), task.options,
                   modules=task.modules)


def _work_many(tasks: list[Task]) -> list:
    return [_work(task) for task in tasks]
