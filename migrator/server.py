"""`ddmigrate server`: a Language Server Protocol server on standard input and output (pygls).

It drives the same engine and configuration as the command line, on the text the editor holds:

- diagnostics on open, on change (debounced; the last version wins) and on save, worked out in
  one analysis thread so that a slow parse never blocks the connection;
- code actions: a quick fix per finding with a fix, "suppress this finding" (the suppression
  comment of migrator.core.suppress), and ``source.fixAll.ddmigrate``, whose result is what
  ``ddmigrate fix`` writes for the same text (it runs the same function on it);
- hover on a finding: the rule's documentation (``ddmigrate explain``).

Clients imported from other modules come from the project model (migrator.js.project), which
reads the open documents' text before the files on disk. The server never writes a file: every
edit is handed to the client.

The analysis (``analyse``, ``fix_all``) knows nothing of LSP; the ``Server`` class turns it into
protocol messages.
"""

from __future__ import annotations

import asyncio
import bisect
import concurrent.futures
import functools
import logging
import os
import sys
import traceback
from dataclasses import dataclass, field

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from migrator import __version__
from migrator.core.languages import IMPORTING, language_for_path
from migrator.core.model import Applicability, Finding

logger = logging.getLogger("ddmigrate.server")

SOURCE = "ddmigrate"
FIX_ALL_KIND = "source.fixAll.ddmigrate"
DEBOUNCE_SECONDS = 0.2
# Findings are deprecations: reported as warnings (the editor's error colour is kept for code
# that is broken now); a file the server cannot analyse at all gets one error.
SEVERITY = types.DiagnosticSeverity.Warning
CONFIG_NAMES = (".ddmigrate.toml", "pyproject.toml")
# Editor language ids for documents whose name says nothing (untitled buffers).
LANGUAGE_IDS = {
    "javascript": ".js", "javascriptreact": ".jsx", "typescript": ".ts", "typescriptreact": ".tsx",
    "html": ".html", "vue": ".vue", "svelte": ".svelte", "markdown": ".md", "mdx": ".mdx", "python": ".py",
}


# -- the analysis, without LSP ------------------------------------------------------------------

@dataclass
class Settings:
    """The configuration in force for one file: what `ddmigrate check FILE` would use."""

    config: object  # a migrator.core.config.Config
    catalogue: object = None  # a migrator.core.engine.Catalogue; None when the configuration is broken
    path_rules: object = None
    root: str = ""
    error: str | None = None  # why the configuration cannot be used
    bulk: dict = field(default_factory=dict)  # the bulk suppressions file's counts


def _stamp(path: str | None):
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns) if stat else None


class SettingsCache:
    """Settings by configuration file, read again when that file (or the bulk suppressions file) changes."""

    def __init__(self) -> None:
        self._by_config: dict = {}

    def clear(self) -> None:
        self._by_config.clear()

    def for_file(self, path: str, fallback_root: str) -> Settings:
        from migrator.core import config as config_module
        from migrator.core import suppressions

        try:
            found = config_module.find(path)
        except OSError:
            found = None
        root = os.path.dirname(os.path.abspath(found)) if found else fallback_root
        bulk_path = suppressions.default_path(root)
        key = (found, root)
        stamp = (_stamp(found), _stamp(bulk_path))
        cached = self._by_config.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        settings = _load_settings(found, root, bulk_path)
        self._by_config[key] = (stamp, settings)
        return settings


def _load_settings(found: str | None, root: str, bulk_path: str) -> Settings:
    from migrator.core import config as config_module
    from migrator.core import suppressions
    from migrator.core.engine import Catalogue
    from migrator.core.registry import CatalogueError, select_rules

    try:
        config = config_module.load(found)
    except config_module.ConfigError as exc:
        return Settings(config_module.Config(), root=root, error=str(exc))
    try:
        rules = select_rules(config.select, config.ignore, config.per_file_ignores)
    except CatalogueError as exc:
        return Settings(config, root=root, error=f"{exc} (in {config.path})")
    path_rules = config_module.PathRules(config) if config_module.has_path_rules(config) else None
    try:
        bulk = suppressions.load(bulk_path)
    except suppressions.SuppressionsError as exc:
        logger.warning("%s", exc)
        bulk = {}
    return Settings(config, Catalogue(rules), path_rules, root, bulk=bulk)


@dataclass
class Job:
    """One document to analyse, as it was when the job was made."""

    uri: str
    version: int | None
    path: str  # a file system path (made up in the workspace folder for an untitled document)
    language: str | None
    raw: bytes
    root: str  # the workspace folder: where settings are looked for when no configuration file is found
    settings: Settings | None = None  # found in the analysis thread
    project: object = None  # a migrator.js.project.Project reading the open documents first


@dataclass
class Analysis:
    job: Job
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why the document could not be analysed
    catalogue: object = None  # the catalogue it was analysed with (per-file-ignores applied)
    modules: dict | None = None
    bulk_suppressed: int = 0  # findings the bulk suppressions file hides (`ddmigrate fix` still fixes them)

    @property
    def fixable(self) -> bool:
        """Whether `ddmigrate fix` may change the text (worth working out a fix-all)."""
        return self.bulk_suppressed > 0 or any(f.fix is not None for f in self.findings)

    @property
    def version(self) -> int | None:
        return self.job.version


def analyse(job: Job) -> Analysis:
    """The findings `ddmigrate check` reports for the document's text."""
    from migrator.core.runner import FileResult, Options, RunResult, _catalogue_for, process, skip_reason

    settings = job.settings
    if settings.error:
        return Analysis(job, error=f"configuration: {settings.error}")
    if job.language is None or _left_out(job, settings) or skip_reason(job.raw) is not None:
        return Analysis(job)
    options = Options(path_rules=settings.path_rules)
    catalogue = _catalogue_for(settings.catalogue, options, job.path)
    modules = None
    if job.language in IMPORTING and job.project is not None and catalogue.rules:
        modules = job.project.modules_of(job.path, job.raw) or None
    outcome = process(job.path, job.raw, catalogue, Options(), language=job.language, modules=modules)
    if not isinstance(outcome, FileResult):
        return Analysis(job, error=outcome.message, catalogue=catalogue, modules=modules)
    suppressed = 0
    if settings.bulk and outcome.findings:
        from migrator.core import suppressions

        result = RunResult(files=[outcome])
        suppressed = suppressions.apply(result, settings.bulk, settings.root)
    return Analysis(job, outcome.findings, catalogue=catalogue, modules=modules, bulk_suppressed=suppressed)


def _left_out(job: Job, settings: Settings) -> bool:
    """Excluded by the configuration (as with `--force-exclude`), or Markdown with `markdown = false`."""
    if job.language == "markdown" and not settings.config.markdown:
        return True
    return settings.path_rules is not None and settings.path_rules.excluded(job.path)


def fix_all(analysis: Analysis) -> bytes:
    """The text `ddmigrate fix` writes for the document (with `--unsafe-fixes` when the
    configuration says `unsafe-fixes = true`, as the command line does)."""
    from migrator.core.runner import FileResult, Options, process

    job = analysis.job
    if analysis.error or analysis.catalogue is None or not analysis.fixable:
        return job.raw
    options = Options(fix=True, unsafe=job.settings.config.unsafe_fixes)
    outcome = process(job.path, job.raw, analysis.catalogue, options, language=job.language, modules=analysis.modules)
    if isinstance(outcome, FileResult) and outcome.fixed is not None:
        return outcome.fixed
    return job.raw


# -- positions ------------------------------------------------------------------------------

class Positions:
    """Byte offsets of a document's content (after any BOM) to LSP positions, counted in the
    negotiated unit: UTF-16 code units unless the client chose UTF-8 or UTF-32."""

    def __init__(self, raw: bytes, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        from migrator.core.source import UTF8_BOM

        self.raw = raw
        self.bom = len(UTF8_BOM) if raw.startswith(UTF8_BOM) else 0
        self.encoding = str(encoding)
        starts, pos = [0], raw.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = raw.find(b"\n", pos + 1)
        self.starts = starts

    def units(self, text: str) -> int:
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(text.encode("utf-8", "surrogatepass"))
        if self.encoding == types.PositionEncodingKind.Utf32:
            return len(text)
        return len(text.encode("utf-16-le", "surrogatepass")) // 2

    def raw_position(self, offset: int) -> types.Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        prefix = self.raw[self.starts[line]:offset].decode("utf-8", "replace")
        return types.Position(line=line, character=self.units(prefix))

    def position(self, offset: int) -> types.Position:
        """The position of a byte offset into the content (the engine's offsets)."""
        return self.raw_position(offset + self.bom)

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def end(self) -> types.Position:
        return self.raw_position(len(self.raw))


def _key(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return _key(a.start) <= _key(b.end) and _key(b.start) <= _key(a.end)


# -- what the client sees -------------------------------------------------------------------

@functools.cache
def _rules_by_code() -> dict:
    from migrator.core.registry import all_rules

    return {r.code: r for r in all_rules()}


def diagnostic(finding: Finding, positions: Positions) -> types.Diagnostic:
    rule = _rules_by_code().get(finding.code)
    return types.Diagnostic(
        range=positions.range(finding.start, finding.end),
        message=finding.message,
        severity=SEVERITY,
        code=finding.code,
        code_description=types.CodeDescription(href=rule.url) if rule is not None and rule.url else None,
        source=SOURCE,
        data={"rule": finding.rule, "fix": finding.fix_label},
    )


def diagnostics(analysis: Analysis, encoding: str) -> list[types.Diagnostic]:
    if analysis.error:
        origin = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
        return [types.Diagnostic(range=origin, message=f"ddmigrate cannot check this file: {analysis.error}",
                                 severity=types.DiagnosticSeverity.Error, source=SOURCE)]
    positions = Positions(analysis.job.raw, encoding)
    return [diagnostic(f, positions) for f in analysis.findings]


def hover_text(finding: Finding) -> str:
    rule = _rules_by_code().get(finding.code)
    if rule is None:
        return f"**{finding.code}** {finding.message}"
    parts = [f"**{rule.code} `{rule.name}`**: {finding.message}", rule.documentation()]
    if finding.no_fix_reason:
        parts.insert(1, f"No fix: {finding.no_fix_reason}.")
    if rule.url:
        parts.append(f"[Documentation]({rule.url})")
    return "\n\n".join(parts)


def suppression_edit(analysis: Analysis, finding: Finding) -> tuple[int, int, str]:
    """(start, end, text) in content bytes: the suppression comment for ``finding``.

    An existing `ddmigrate: ignore[...]` that applies to the finding's line gets the code added
    to its list. Otherwise JavaScript and TypeScript (also in HTML, Vue, Svelte and Markdown)
    get `/* ddmigrate: ignore[CODE] */` just before the finding: a block comment is valid where
    an expression starts, inside JSX braces, template expressions and handlers too, and it
    applies to findings starting on its line. Python gets `# ddmigrate: ignore[CODE]` on a line
    of its own above the finding's line, with its indentation."""
    from migrator.core import suppress
    from migrator.core.source import UTF8_BOM

    raw = analysis.job.raw
    content = raw[len(UTF8_BOM):] if raw.startswith(UTF8_BOM) else raw
    line = content.count(b"\n", 0, finding.start) + 1
    for existing in suppress.scan(content):
        if line in existing.targets and existing.rules and content[existing.end - 1:existing.end] == b"]":
            return existing.end - 1, existing.end - 1, f", {finding.code}"
    if analysis.job.language == "python":
        line_start = content.rfind(b"\n", 0, finding.start) + 1
        line_text = content[line_start:finding.start]
        indent = line_text[:len(line_text) - len(line_text.lstrip(b" \t"))].decode()
        line_end = content.find(b"\n", line_start)
        newline = "\r\n" if line_end > 0 and content[line_end - 1:line_end] == b"\r" else "\n"
        return line_start, line_start, f"{indent}# ddmigrate: ignore[{finding.code}]{newline}"
    return finding.start, finding.start, f"/* ddmigrate: ignore[{finding.code}] */ "


# -- the server -----------------------------------------------------------------------------

class Server(LanguageServer):
    def __init__(self, debounce: float = DEBOUNCE_SECONDS) -> None:
        super().__init__("ddmigrate", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.debounce = debounce
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task] = {}
        # One analysis thread: the engine's caches (compiled queries, the project model) are
        # not shared between threads, and the event loop stays free for the connection.
        self.analysis_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ddmigrate-analysis")
        self.settings = SettingsCache()
        self.shutdown_requested = False

    # Documents to jobs.

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    def workspace_root(self, path: str | None = None) -> str:
        folders = [to_fs_path(f.uri) for f in self.workspace.folders.values()]
        folders = [f for f in folders if f]
        if path:
            inside = [f for f in folders if os.path.abspath(path).startswith(os.path.join(os.path.abspath(f), ""))]
            if inside:
                return max(inside, key=len)
        if folders:
            return folders[0]
        root = self.workspace.root_path
        return root or os.getcwd()

    def job(self, uri: str, project=None) -> Job | None:
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        path = to_fs_path(uri) if uri.startswith("file:") else None
        language = None
        if path:
            language = language_for_path(path)
        if language is None and document.language_id in LANGUAGE_IDS:
            suffix = LANGUAGE_IDS[document.language_id]
            path = (os.path.splitext(path)[0] if path else os.path.join(self.workspace_root(), "untitled")) + suffix
            language = language_for_path(path)
        path = os.path.abspath(path or os.path.join(self.workspace_root(), "untitled"))
        raw = document.source.encode("utf-8", "surrogatepass")
        return Job(uri, document.version, path, language, raw, self.workspace_root(path), project=project)

    def open_texts(self) -> dict[str, str]:
        """The open documents' text by file system path (strings: safe to hand to the analysis thread)."""
        found = {}
        for uri, document in self.workspace.text_documents.items():
            if uri.startswith("file:"):
                path = to_fs_path(uri)
                if path:
                    found[os.path.abspath(path)] = document.source
        return found

    def project(self):
        """A fresh project model over the open documents and the disk (summaries depend on both)."""
        from migrator.js.project import MAX_MODULE_BYTES, Project, read_module

        texts = self.open_texts()

        def read(path: str) -> bytes | None:
            text = texts.get(os.path.abspath(path))
            if text is not None:
                return text.encode("utf-8", "surrogatepass")[:MAX_MODULE_BYTES + 1]
            return read_module(path)

        return Project(read=read)

    def _run_job(self, job: Job) -> Analysis:
        """In the analysis thread."""
        if job.settings is None:
            job.settings = self.settings.for_file(job.path, job.root)
        return analyse(job)

    async def analysed(self, job: Job) -> Analysis:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.analysis_pool, self._run_job, job)

    async def in_pool(self, function, *args):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.analysis_pool, function, *args)

    # Scheduling.

    def schedule(self, uri: str, delay: float) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.ensure_future(self._analyse_later(uri, delay))

    def schedule_all(self, delay: float, but: str | None = None) -> None:
        for uri in list(self.workspace.text_documents):
            if uri != but:
                self.schedule(uri, delay)

    async def _analyse_later(self, uri: str, delay: float) -> None:
        task = asyncio.current_task()
        try:
            if delay:
                await asyncio.sleep(delay)
            job = self.job(uri, self.project())
            if job is None:
                return
            analysis = await self.analysed(job)
        except asyncio.CancelledError:
            return
        except Exception:
            self.log_error(f"analysing {uri}")
            return
        finally:
            if self.pending.get(uri) is task:
                del self.pending[uri]
        document = self.workspace.text_documents.get(uri)
        if document is None or document.version != analysis.version:
            return  # closed, or changed since: the newer version's analysis is on its way
        self.publish(analysis)

    def publish(self, analysis: Analysis) -> None:
        self.analyses[analysis.job.uri] = analysis
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=analysis.job.uri, version=analysis.version, diagnostics=diagnostics(analysis, self.encoding)))

    async def current(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version, made now if need be."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        stored = self.analyses.get(uri)
        if stored is not None and stored.version == document.version and stored.job.raw == document.source.encode(
                "utf-8", "surrogatepass"):
            return stored
        job = self.job(uri, self.project())
        analysis = await self.analysed(job)
        current = self.workspace.text_documents.get(uri)
        if current is not None and current.version == analysis.version:
            self.publish(analysis)
        return analysis

    def log_error(self, what: str) -> None:
        text = f"ddmigrate: error while {what}:\n{traceback.format_exc()}"
        logger.error("%s", text)
        try:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=text))
        except Exception:  # the connection itself may be gone
            pass

    def stop_work(self) -> None:
        for task in self.pending.values():
            task.cancel()
        self.pending.clear()
        self.analysis_pool.shutdown(wait=False, cancel_futures=True)


def logged(function):
    """A handler whose crash is logged (with its traceback, to standard error and the client's
    log) and re-raised: pygls answers the request with an error and the server stays up."""

    @functools.wraps(function)
    async def wrapper(server: Server, params):
        try:
            result = function(server, params)
            if asyncio.iscoroutine(result):
                result = await result
            return result
        except Exception:
            server.log_error(f"handling {function.__name__}")
            raise

    return wrapper


def create_server(debounce: float = DEBOUNCE_SECONDS) -> Server:
    server = Server(debounce)

    @server.feature(types.INITIALIZED)
    @logged
    async def initialized(ls: Server, params):
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is not None and watched.dynamic_registration:
            patterns = ["**/.ddmigrate.toml", "**/pyproject.toml", "**/ddmigrate-suppressions.json", "**/tsconfig.json",
                        "**/jsconfig.json", "**/*.{js,jsx,mjs,cjs,ts,mts,cts,tsx,vue,svelte}"]
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=p) for p in patterns])
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
                id="ddmigrate-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options)]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @logged
    def did_open(ls: Server, params: types.DidOpenTextDocumentParams):
        ls.schedule(params.text_document.uri, 0)
        ls.schedule_all(ls.debounce, but=params.text_document.uri)  # it may export the client to them

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @logged
    def did_change(ls: Server, params: types.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri, ls.debounce)
        ls.schedule_all(ls.debounce, but=params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @logged
    def did_save(ls: Server, params: types.DidSaveTextDocumentParams):
        path = to_fs_path(params.text_document.uri) or ""
        if os.path.basename(path) in CONFIG_NAMES:
            ls.settings.clear()
        ls.schedule(params.text_document.uri, 0)
        ls.schedule_all(ls.debounce, but=params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @logged
    def did_close(ls: Server, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.analyses.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.schedule_all(ls.debounce)  # the disk's copy replaces its text for the others

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @logged
    def watched_files(ls: Server, params: types.DidChangeWatchedFilesParams):
        ls.settings.clear()
        ls.schedule_all(ls.debounce)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @logged
    def configuration(ls: Server, params):
        ls.settings.clear()
        ls.schedule_all(ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @logged
    async def hover(ls: Server, params: types.HoverParams):
        analysis = await ls.current(params.text_document.uri)
        if analysis is None or not analysis.findings:
            return None
        positions = Positions(analysis.job.raw, ls.encoding)
        at = _key(params.position)
        found = [(f, positions.range(f.start, f.end)) for f in analysis.findings]
        found = [(f, r) for f, r in found if _key(r.start) <= at <= _key(r.end)]
        if not found:
            return None
        text = "\n\n---\n\n".join(hover_text(f) for f, _ in found)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=found[0][1])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND],
        resolve_provider=False))
    @logged
    async def code_action(ls: Server, params: types.CodeActionParams):
        return await code_actions(ls, params)

    @server.feature(types.SHUTDOWN)
    @logged
    def shutdown(ls: Server, params):
        ls.shutdown_requested = True
        ls.stop_work()

    return server


def _wanted(kind: str, only) -> bool:
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


async def code_actions(ls: Server, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    analysis = await ls.current(uri)
    if analysis is None or analysis.error:
        return []
    only = params.context.only
    positions = Positions(analysis.job.raw, ls.encoding)
    version = analysis.version
    actions: list[types.CodeAction] = []

    def edit(edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits)])

    if _wanted(types.CodeActionKind.QuickFix, only):
        for finding in analysis.findings:
            where = positions.range(finding.start, finding.end)
            if not _overlaps(where, params.range):
                continue
            diag = diagnostic(finding, positions)
            if finding.fix is not None:
                unsafe = finding.fix.applicability is Applicability.UNSAFE
                what = finding.fix.note or finding.message
                title = f"ddmigrate: fix {finding.code}: {what}" + (" (unsafe)" if unsafe else "")
                edits = [types.TextEdit(range=positions.range(e.start, e.end), new_text=e.text) for e in finding.fix.edits]
                actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                                                is_preferred=not unsafe, edit=edit(edits)))
            start, end, text = suppression_edit(analysis, finding)
            actions.append(types.CodeAction(
                title=f"ddmigrate: suppress {finding.code} ({finding.rule}) on this line",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                edit=edit([types.TextEdit(range=positions.range(start, end), new_text=text)])))
    if _wanted(FIX_ALL_KIND, only) and analysis.fixable:
        fixed = await ls.in_pool(fix_all, analysis)
        if fixed != analysis.job.raw:
            actions.append(types.CodeAction(title="ddmigrate: fix all safe fixes", kind=FIX_ALL_KIND,
                                            edit=edit([whole_text_edit(analysis.job.raw, fixed, ls.encoding)])))
    return actions


def whole_text_edit(before: bytes, after: bytes, encoding: str) -> types.TextEdit:
    """One edit turning ``before`` into ``after``: the span between their common head and tail."""
    old, new = before.decode("utf-8", "surrogatepass"), after.decode("utf-8", "surrogatepass")
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
    # Never split a "\r\n" (a position between them means nothing to LSP).
    if 0 < head < len(old) and old[head - 1] == "\r" and old[head] == "\n":
        head -= 1
    if tail and old[len(old) - tail - 1:len(old) - tail + 1] == "\r\n":
        tail -= 1
    positions = Positions(before, encoding)
    start = len(old[:head].encode("utf-8", "surrogatepass"))
    end = len(old[:len(old) - tail].encode("utf-8", "surrogatepass"))
    return types.TextEdit(range=types.Range(start=positions.raw_position(start), end=positions.raw_position(end)),
                          new_text=new[head:len(new) - tail])


def main() -> int:
    """Serve on standard input and output until the client says `exit`; the exit status."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="ddmigrate server: %(levelname)s: %(message)s")
    server = create_server()
    server.start_io()
    server.stop_work()
    return 0 if server.shutdown_requested else 1
