"""The ``ddmigrate`` command line."""

from __future__ import annotations

import os
import sys

import click

from migrator import __version__

FORMATS = ("text", "json")
REPORT_FORMATS = ("text", "json", "sarif", "github", "junit")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Settings:
    """What one run needs, from the command line over the configuration file."""

    def __init__(self, paths, select, ignore, config_path, isolated, report_unused_ignores, unsafe_fixes=False):
        from migrator.core import config as config_module
        from migrator.core.engine import Catalogue
        from migrator.core.registry import CatalogueError, select_rules

        first = (list(paths) or ["."])[0]
        try:
            found = None if isolated else (config_path or config_module.find(first if first != "-" else "."))
            self.config = config_module.load(found)
        except config_module.ConfigError as exc:
            raise click.UsageError(str(exc)) from None
        from migrator.migration import metadata

        # The metadata rules read `host-binaries-installed` from the same choice.
        metadata.use_configuration(config_path, isolated)
        cli_select, cli_ignore = _split(select), _split(ignore)
        chosen = cli_select or self.config.select
        # Flags win: a rule selected on the command line is not dropped by the file's ignore.
        dropped = cli_ignore + ([] if cli_select else self.config.ignore)
        try:
            rules = select_rules(chosen, dropped, self.config.per_file_ignores)
        except CatalogueError as exc:
            where = f" (in {self.config.path})" if self.config.path else ""
            raise click.UsageError(f"{exc}{where}") from None
        self.catalogue = Catalogue(rules, report_unused_ignores=report_unused_ignores)
        self.unsafe_fixes = unsafe_fixes or self.config.unsafe_fixes
        self.path_rules = config_module.PathRules(self.config) if config_module.has_path_rules(self.config) else None
        self.root = self.config.root if self.config.path else os.getcwd()

    def cache(self, enabled: bool, mode: str):
        if not enabled:
            return None
        from migrator.core.cache import Cache

        codes = ",".join(r.code for r in self.catalogue.rules)
        return Cache(self.root, f"{mode};{codes};{self.catalogue.report_unused_ignores}")


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _color() -> bool:
    """Colour on a terminal; `NO_COLOR` (any value) turns it off, a non-empty `FORCE_COLOR`
    turns it on elsewhere too (https://no-color.org, https://force-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        ctx = click.get_current_context(silent=True)
        if ctx is not None:
            ctx.color = True  # else click.echo strips the styles from a pipe
        return True
    return sys.stdout.isatty()


def common_options(func):
    func = click.option("-j", "--jobs", type=click.IntRange(0, 64), default=0,
                        help="Worker processes for parsing (default: by the amount of work).")(func)
    func = click.option("--report-unused-ignores", is_flag=True,
                        help="Report `ddmigrate: ignore` comments that suppress nothing.")(func)
    func = click.option("--statistics", is_flag=True, help="Show counts by rule instead of each finding.")(func)
    func = click.option("-v", "--verbose", is_flag=True, help="Also say what was read and how long it took.")(func)
    func = click.option("-q", "--quiet", is_flag=True, help="Print findings and errors only, no summary.")(func)
    func = click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")(func)
    func = click.option("--isolated", is_flag=True, help="Ignore configuration files.")(func)
    func = click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
                        help="Read settings from FILE (.ddmigrate.toml or pyproject.toml).")(func)
    func = click.option("--stdin-filename", metavar="PATH",
                        help="Name (and so language) of the code read from `-`.")(func)
    func = click.option("--ignore", multiple=True, metavar="RULES",
                        help="Rule names or codes to skip (comma-separated or repeated).")(func)
    func = click.option("--select", multiple=True, metavar="RULES",
                        help="Only run these rules: names, codes or code prefixes such as DD1.")(func)
    func = click.option("-o", "--output-file", type=click.Path(dir_okay=False), metavar="FILE", expose_value=False,
                        callback=_output_file, help="Write the report to FILE instead of standard output.")(func)
    func = click.option("--format", "--output-format", "output_format", type=click.Choice(REPORT_FORMATS),
                        default="text", show_default=True, help="Output format.")(func)
    func = click.argument("paths", nargs=-1, type=click.Path())(func)
    return func


class _Output:
    """``-o FILE``: standard output goes to a temporary file beside FILE, renamed over it when
    the command ends, so FILE is never left half written."""

    def __init__(self, path: str) -> None:
        import tempfile

        folder = os.path.dirname(os.path.abspath(path))
        try:
            fd, self.temporary = tempfile.mkstemp(prefix=".ddmigrate-output-", dir=folder)
        except OSError as exc:
            raise click.BadParameter(f"{path}: cannot be written: {exc.strerror or exc}",
                                     param_hint="'-o' / '--output-file'") from None
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)  # as a plain `open()` would have made it
        self.path, self.saved = path, sys.stdout
        sys.stdout = self.handle = open(fd, "w", encoding="utf-8", newline="")

    def close(self) -> None:
        sys.stdout = self.saved
        self.handle.close()
        try:
            os.replace(self.temporary, self.path)
        except OSError as exc:
            os.unlink(self.temporary)
            click.echo(f"error: {self.path}: cannot be written: {exc.strerror or exc}", err=True)
            raise click.exceptions.Exit(EXIT_ERROR) from None


def _output_file(ctx, param, value):
    if value:
        ctx.call_on_close(_Output(value).close)
    return value


def _exit_zero(ctx, param, value):
    ctx.meta["ddmigrate.exit_zero"] = value
    return value


def _report_file(ctx, param, value):
    """``fix --report FILE``: a FILE that cannot be written stops the run before any source is fixed."""
    if value:
        folder = os.path.dirname(os.path.abspath(value))
        if not os.path.isdir(folder):
            raise click.BadParameter(f"{value}: cannot be written: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise click.BadParameter(f"{value}: cannot be written: the folder {folder} is not writable")
    return value


def _write_report(path: str, content: str) -> str | None:
    """Write ``content`` to ``path`` through a temporary file in the same folder, renamed into
    place, so ``path`` is never half written; the reason on failure, else None."""
    import tempfile

    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=".ddmigrate-report-", dir=os.path.dirname(os.path.abspath(path)))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as a plain `open()` would have made it
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        return exc.strerror or str(exc)
    return None


def suppression_options(func):
    """Bulk suppressions (migrator.core.suppressions): the options `check` and `fix` share."""
    func = click.option("--no-suppressions", is_flag=True,
                        help="Ignore the bulk suppressions file (ddmigrate-suppressions.json).")(func)
    func = click.option("--suppressions-location", type=click.Path(dir_okay=False), metavar="FILE",
                        help="The bulk suppressions file (default: ddmigrate-suppressions.json at the project root).")(func)
    return func


class _Bulk:
    """The bulk suppressions file of a run, read before the run so that a broken one stops it."""

    def __init__(self, settings, location, disabled, *, suppress_all=False, prune=False) -> None:
        from migrator.core import suppressions

        if disabled and (suppress_all or prune):
            raise click.UsageError("--no-suppressions cannot be combined with --suppress-all or --prune-suppressions")
        if suppress_all and prune:
            raise click.UsageError("--suppress-all and --prune-suppressions cannot be combined")
        self.module, self.root, self.disabled = suppressions, settings.root, disabled
        self.suppress_all, self.prune, self.suppressed = suppress_all, prune, 0
        catalogue = settings.catalogue
        self.active = {r.name for r in catalogue.rules} | ({"unused-ignore"} if catalogue.report_unused_ignores else set())
        self.path = location or suppressions.default_path(settings.root)
        shown = os.path.relpath(self.path)
        self.shown = shown if not shown.startswith("..") else self.path
        self.counts = {}
        if not disabled:
            try:
                self.counts = suppressions.load(self.path)
            except suppressions.SuppressionsError as exc:
                raise click.UsageError(str(exc)) from None

    def apply(self, result) -> str | None:
        """Update the file if asked to, drop the suppressed findings from ``result``; what to say about it."""
        if self.disabled:
            return None
        from migrator.report.text import plural

        bulk, note = self.module, None
        if self.suppress_all or self.prune:
            found = bulk.current(result, self.root)
            before = bulk.total(self.counts)
            if self.suppress_all:
                self.counts = bulk.suppress_all(self.counts, found, self.active)
            else:
                self.counts = bulk.prune(self.counts, found, self.active, self.root)
            try:
                if self.suppress_all or os.path.exists(self.path):
                    bulk.write(self.path, self.counts)
            except bulk.SuppressionsError as exc:
                click.echo(f"error: {exc}", err=True)
                sys.exit(EXIT_ERROR)
            if self.suppress_all:
                files = sum(1 for r in result.files if r.findings)
                note = (f"Suppressed {plural(len(result.findings), 'finding')} in {plural(files, 'file')}: "
                        f"written to {self.shown}.")
            else:
                note = f"Pruned {plural(before - bulk.total(self.counts), 'suppression')} from {self.shown}."
        self.suppressed = bulk.apply(result, self.counts, self.root)
        result.suppressed = self.suppressed
        if self.suppressed:
            line = f"{plural(self.suppressed, 'finding')} suppressed by {self.shown}."
            note = f"{note}\n{line}" if note else line
        return note


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ddmigrate")
def main() -> None:
    """Find and migrate uses of the deprecated Docker Desktop extension client API (v0)."""


@main.command()
@common_options
@click.option("--unsafe-fixes", is_flag=True, help="Count unsafe fixes as available in the summary.")
@click.option("--exit-zero", is_flag=True, expose_value=False, callback=_exit_zero,
              help="Exit 0 even when findings remain (input and usage errors still exit 2).")
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply fixes, as `ddmigrate fix` does.")
@click.option("--show-fixes", is_flag=True, help="List the fixed findings at the end (none without --fix).")
@click.option("--force-exclude", is_flag=True,
              help="Apply the configured exclude/extend-exclude to files named on the command line too.")
@suppression_options
@click.option("--suppress-all", is_flag=True,
              help="Record every current finding in the bulk suppressions file; exit 0.")
@click.option("--prune-suppressions", is_flag=True,
              help="Remove from the bulk suppressions file what no finding needs any more.")
@click.pass_context
def check(ctx, apply_fixes, paths, output_format, select, ignore, stdin_filename, config_path, isolated, no_cache, quiet,
          verbose, statistics, report_unused_ignores, jobs, unsafe_fixes, show_fixes=False, force_exclude=False,
          no_suppressions=False, suppressions_location=None, suppress_all=False, prune_suppressions=False):
    """Report deprecated API uses in PATHS (files or folders; default: the current folder)."""
    from migrator.core.runner import Options

    if apply_fixes:
        # `check --fix` as ruff has it: the same run as `fix`, with the options both know.
        shared = {p.name for p in fix.params}
        if suppress_all or prune_suppressions:
            raise click.UsageError("--suppress-all and --prune-suppressions do not go with --fix: run `ddmigrate fix` first")
        return ctx.invoke(fix, **{k: v for k, v in ctx.params.items() if k in shared})

    settings = Settings(paths, select, ignore, config_path, isolated, report_unused_ignores, unsafe_fixes)
    bulk = _Bulk(settings, suppressions_location, no_suppressions, suppress_all=suppress_all, prune=prune_suppressions)
    options = Options(cache=settings.cache(not no_cache, "check"), path_rules=settings.path_rules, jobs=jobs,
                      force_exclude=force_exclude)
    result, sources = _run(paths, settings, options, stdin_filename, quiet, verbose)
    bulk_note = bulk.apply(result)
    if output_format != "text":
        rendered = _render(output_format, result, sources, fixing=False)
        if rendered:
            click.echo(rendered)
        if bulk_note and (suppress_all or prune_suppressions) and not quiet:
            click.echo(bulk_note.split("\n")[0], err=True)
    else:
        from migrator.report import text

        color = _color()
        if statistics:
            text.print_statistics(result)
        else:
            text.print_findings(result, sources, color, show_reasons=False)
        text.print_errors(result, color)
        if not quiet:
            click.echo(text.check_summary(result, settings.unsafe_fixes))
            if bulk_note:
                click.echo(bulk_note)
        if show_fixes:
            text.print_fixes(result, "report", color)
    sys.exit(_exit_code(result, bool(result.findings)))


@main.command()
@common_options
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes as a unified diff; write nothing.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour.")
@click.option("--show-fixes", is_flag=True, help="List the fixed findings at the end of the text output.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), metavar="FILE", callback=_report_file,
              help="Also write a Markdown migration report (for a pull request) to FILE.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the configured exclude/extend-exclude to files named on the command line too.")
@click.option("--allow-dirty", is_flag=True,
              help="Also rewrite files with uncommitted changes (staged, unstaged or untracked) in git.")
@click.option("--verify-types", is_flag=True,
              help="Type-check with the project's own tsc before and after; revert fixed files that gain a type error.")
@click.option("--no-format", is_flag=True, help="Never run fixed files through the project's prettier.")
@suppression_options
def fix(paths, output_format, select, ignore, stdin_filename, config_path, isolated, no_cache, quiet, verbose,
        statistics, report_unused_ignores, jobs, show_diff, check_only, unsafe_fixes, show_fixes=False, report_path=None,
        force_exclude=False, allow_dirty=False, no_suppressions=False, suppressions_location=None,
        verify_types=False, no_format=False):
    """Rewrite deprecated API uses in PATHS in place (safe fixes unless --unsafe-fixes)."""
    from migrator.core.runner import Options

    settings = Settings(paths, select, ignore, config_path, isolated, report_unused_ignores, unsafe_fixes)
    bulk = _Bulk(settings, suppressions_location, no_suppressions)  # for what remains; fixing is always fine
    stdin_mode = list(paths) == ["-"]
    write = not (show_diff or check_only or stdin_mode)
    options = Options(fix=True, unsafe=settings.unsafe_fixes, write=write, path_rules=settings.path_rules,
                      cache=settings.cache(not no_cache, f"fix-{settings.unsafe_fixes}"), jobs=jobs,
                      force_exclude=force_exclude)
    from migrator.core import vcs

    if write and not allow_dirty:
        options.before_write = vcs.require_clean  # raises before anything is written
    from migrator.core.postfix import Review

    review = Review(verify_types=verify_types, format=not no_format and settings.config.format,
                    unsafe=settings.unsafe_fixes)
    options.review = review  # type guard and formatter, before anything is written (migrator.core.postfix)
    try:
        result, sources = _run(paths, settings, options, stdin_filename, quiet, verbose)
        review.apply_to(result)
    except vcs.DirtyFiles as exc:
        from migrator.report.text import plural

        click.echo(f"error: not fixing: {plural(len(exc.paths), 'file')} with uncommitted changes in git "
                   "(commit or stash them first, or pass --allow-dirty); nothing was written:", err=True)
        for path in exc.paths:
            click.echo(f"  {path}", err=True)
        sys.exit(EXIT_ERROR)
    bulk_note = bulk.apply(result)
    mode = "diff" if show_diff else ("check" if check_only else "write")
    if verbose:
        for path in result.formatted:
            click.echo(f"formatted {path} with the project's prettier", err=True)
    report_out = sys.stderr if (stdin_mode and not show_diff and not check_only) or show_diff else sys.stdout
    if stdin_mode and mode == "write":
        for file in result.files:
            sys.stdout.buffer.write(file.fixed if file.fixed is not None else file.original)
        sys.stdout.flush()
    if show_diff:
        for file in result.changed_files:
            sys.stdout.write(unified_diff(file.path, file.original, file.fixed))
        sys.stdout.flush()
    fixed_sources = {r.path: (r.fixed if r.fixed is not None else r.original) for r in result.files}
    if output_format != "text":
        rendered = _render(output_format, result, fixed_sources, fixing=True)
        if rendered:
            click.echo(rendered, file=report_out)
    else:
        from migrator.report import text

        color = _color() and report_out is sys.stdout

        def echo(line: str) -> None:
            click.echo(line, file=report_out)

        if check_only:
            for file in result.changed_files:
                echo(f"Would fix {text.plural(len(file.applied), 'finding')} in {file.path}")
        if statistics:
            text.print_statistics(result, echo=echo)
        else:
            text.print_findings(result, fixed_sources, color, show_reasons=True, echo=echo)
        text.print_errors(result, color)
        if not quiet:
            echo(text.fix_summary(result, mode))
            for note in result.notes:  # the type check (with how long tsc took) and the formatter
                echo(f"note: {note}")
            if bulk_note:
                echo(bulk_note)
        if show_fixes:
            text.print_fixes(result, mode, color, echo=echo)
    would_change = bool(result.changed_files) and mode in ("diff", "check")
    if report_path:
        from migrator.report import markdown

        failure = _write_report(report_path, markdown.render(result, mode=mode))
        if failure:
            click.echo(f"error: {report_path}: cannot write the report: {failure}", err=True)
            sys.exit(EXIT_ERROR)
    sys.exit(_exit_code(result, bool(result.findings) or would_change))


@main.command("shim", add_help_option=False,
              context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def shim(ctx):
    """Write the JavaScript runtime shim (v0 on top of v1) into a project: --out PATH."""
    # The real command lives in jsshim, imported only when asked for: startup stays short.
    from migrator.shim_js.install import shim_command

    shim_command.main(args=ctx.args, prog_name="ddmigrate shim")


@main.command("server")
def server():
    """Run the language server (LSP) on standard input and output, for editors."""
    from migrator.server import main as serve  # pygls is imported only here: startup stays short

    sys.exit(serve())


def _render(output_format: str, result, sources, *, fixing: bool) -> str:
    import importlib

    module = importlib.import_module(f".report.{output_format}", __package__)
    if output_format == "json":
        return module.render(result, fixing=fixing)
    return module.render(result, fixing=fixing, sources=sources)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
def list_rules(output_format):
    """List every rule: code, name, fix safety and summary."""
    from migrator.core.registry import all_rules

    rules = all_rules()
    if output_format == "json":
        import json

        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "fix": r.fixable, "summary": r.summary, "url": r.url,
             "aliases": list(r.aliases)} for r in rules
        ], indent=2))
        return
    width = max(len(r.name) for r in rules)
    for r in rules:
        click.echo(f"{r.code}  {r.name:<{width}}  {r.fixable:<9}  {r.summary}")


@main.command()
@click.argument("rule")
def explain(rule):
    """Print the documentation of RULE (a name such as backend-http, or a code such as DD101)."""
    from migrator.core.registry import find_rule

    found = find_rule(rule)
    if found is None:
        raise click.UsageError(f"unknown rule {rule!r} (see `ddmigrate rules`)")
    click.echo(f"# {found.name} ({found.code})\n")
    click.echo(f"{found.summary}\n")
    click.echo(f"Fix: {found.fixable}\n")
    click.echo(found.documentation())


def _run(paths, settings, options, stdin_filename, quiet=False, verbose=False):
    import time

    from migrator.core.runner import FileResult, RunResult, process, run, skip_reason

    catalogue = settings.catalogue
    paths = list(paths) or ["."]
    if "-" in paths:
        if paths != ["-"]:
            raise click.UsageError("`-` (standard input) cannot be combined with other paths")
        name = stdin_filename or "-"
        from migrator.core.languages import language_for_path

        language = language_for_path(name) if stdin_filename else "javascript"
        if language is None:
            raise click.UsageError(f"--stdin-filename {name!r} has no JavaScript, TypeScript or Python extension")
        raw = sys.stdin.buffer.read()
        result = RunResult()
        excluded = options.force_exclude and stdin_filename and settings.path_rules is not None \
            and settings.path_rules.excluded(stdin_filename)
        if excluded or skip_reason(raw) is not None:  # passed through as it is, no findings
            result.files.append(FileResult(name, [], original=raw))
            return result, {name: raw}
        outcome = process(name, raw, catalogue, options, language=language)
        if isinstance(outcome, FileResult):
            result.files.append(outcome)
        else:
            result.errors.append(outcome)
        return result, {name: raw}
    started = time.perf_counter()
    with _Progress(enabled=not quiet) as progress:
        options.on_start, options.progress = progress.start, progress.advance
        result = run(paths, catalogue, options)
    if verbose:
        elapsed = time.perf_counter() - started
        where = settings.config.path or "none"
        click.echo(f"ddmigrate {__version__}: {len(result.files) + len(result.errors)} files in {elapsed:.2f} s "
                   f"({len(catalogue.rules)} rules; configuration: {where}; "
                   f"cache: {'off' if options.cache is None else options.cache.path})", err=True)
        click.echo(f"project: {result.modules_summarised} modules summarised for their exports, "
                   f"{result.found_through_imports} files found through their imports, "
                   f"{result.project_seconds:.2f} s", err=True)
        for skipped in result.skipped:
            click.echo(f"skipped {skipped.path}: {skipped.reason}", err=True)
    sources = {r.path: r.original for r in result.files}
    return result, sources


class _Progress:
    """A progress bar on standard error for long runs at a terminal; silent otherwise and in CI."""

    MIN_FILES = 500

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self.bar = None

    def __enter__(self):
        return self

    def start(self, total: int) -> None:
        if self.enabled and total >= self.MIN_FILES:
            self.bar = click.progressbar(length=total, label="Checking", file=sys.stderr)
            self.bar.__enter__()

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    a = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    b = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    old, new = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
    import difflib

    lines = list(difflib.unified_diff(a, b, old, new))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _exit_code(result, found: bool) -> int:
    if result.errors:
        return EXIT_ERROR
    if found and click.get_current_context().meta.get("ddmigrate.exit_zero"):
        return EXIT_CLEAN
    return EXIT_FINDINGS if found else EXIT_CLEAN
