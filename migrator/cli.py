"""The ``ddmigrate`` command line."""

from __future__ import annotations

import difflib
import os
import sys

import click

from . import __version__

FORMATS = ("text", "json")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _catalogue(select: tuple[str, ...], ignore: tuple[str, ...]):
    from .engine import Catalogue
    from .registry import CatalogueError, select_rules

    try:
        return Catalogue(select_rules(_split(select), _split(ignore)))
    except CatalogueError as exc:
        raise click.UsageError(str(exc)) from None


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def common_options(func):
    func = click.option("--stdin-filename", metavar="PATH",
                        help="Name (and so language) of the code read from `-`.")(func)
    func = click.option("--ignore", multiple=True, metavar="RULES",
                        help="Rule names or codes to skip (comma-separated or repeated).")(func)
    func = click.option("--select", multiple=True, metavar="RULES",
                        help="Only run these rules: names, codes or code prefixes such as DD1.")(func)
    func = click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
                        show_default=True, help="Output format.")(func)
    func = click.argument("paths", nargs=-1, type=click.Path())(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ddmigrate")
def main() -> None:
    """Find and migrate uses of the deprecated Docker Desktop extension client API (v0)."""


@main.command()
@common_options
@click.option("--unsafe-fixes", is_flag=True, help="Count unsafe fixes as available in the summary.")
def check(paths, output_format, select, ignore, stdin_filename, unsafe_fixes):
    """Report deprecated API uses in PATHS (files or folders; default: the current folder)."""
    from .runner import Options

    catalogue = _catalogue(select, ignore)
    result, sources = _run(paths, catalogue, Options(), stdin_filename)
    if output_format == "json":
        from .report import json as json_report

        click.echo(json_report.render(result))
    else:
        from .report import text

        color = _color()
        text.print_findings(result, sources, color, show_reasons=False)
        text.print_errors(result, color)
        click.echo(text.check_summary(result, unsafe_fixes))
    sys.exit(_exit_code(result, bool(result.findings)))


@main.command()
@common_options
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes as a unified diff; write nothing.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that may change behaviour.")
def fix(paths, output_format, select, ignore, stdin_filename, show_diff, check_only, unsafe_fixes):
    """Rewrite deprecated API uses in PATHS in place (safe fixes unless --unsafe-fixes)."""
    from .runner import Options

    catalogue = _catalogue(select, ignore)
    stdin_mode = list(paths) == ["-"]
    write = not (show_diff or check_only or stdin_mode)
    options = Options(fix=True, unsafe=unsafe_fixes, write=write)
    result, sources = _run(paths, catalogue, options, stdin_filename)
    mode = "diff" if show_diff else ("check" if check_only else "write")
    report_out = sys.stderr if (stdin_mode and not show_diff and not check_only) or show_diff else sys.stdout
    if stdin_mode and mode == "write":
        for file in result.files:
            sys.stdout.buffer.write(file.fixed if file.fixed is not None else file.original)
        sys.stdout.flush()
    if show_diff:
        for file in result.changed_files:
            sys.stdout.write(unified_diff(file.path, file.original, file.fixed))
        sys.stdout.flush()
    if output_format == "json":
        from .report import json as json_report

        click.echo(json_report.render(result, fixing=True), file=report_out)
    else:
        from .report import text

        color = _color() and report_out is sys.stdout

        def echo(line: str) -> None:
            click.echo(line, file=report_out)

        if check_only:
            for file in result.changed_files:
                echo(f"Would fix {text.plural(len(file.applied), 'finding')} in {file.path}")
        fixed_sources = {r.path: (r.fixed if r.fixed is not None else r.original) for r in result.files}
        text.print_findings(result, fixed_sources, color, show_reasons=True, echo=echo)
        text.print_errors(result, color)
        echo(text.fix_summary(result, mode))
    would_change = bool(result.changed_files) and mode in ("diff", "check")
    sys.exit(_exit_code(result, bool(result.findings) or would_change))


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
def list_rules(output_format):
    """List every rule: code, name, fix safety and summary."""
    from .registry import all_rules

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
    from .registry import find_rule

    found = find_rule(rule)
    if found is None:
        raise click.UsageError(f"unknown rule {rule!r} (see `ddmigrate rules`)")
    click.echo(f"# {found.name} ({found.code})\n")
    click.echo(f"{found.summary}\n")
    click.echo(f"Fix: {found.fixable}\n")
    click.echo(found.documentation())


def _run(paths, catalogue, options, stdin_filename):
    from .runner import FileResult, RunResult, process, run

    paths = list(paths) or ["."]
    if "-" in paths:
        if paths != ["-"]:
            raise click.UsageError("`-` (standard input) cannot be combined with other paths")
        name = stdin_filename or "-"
        from .languages import language_for_path

        language = language_for_path(name) if stdin_filename else "javascript"
        if language is None:
            raise click.UsageError(f"--stdin-filename {name!r} has no JavaScript, TypeScript or Python extension")
        raw = sys.stdin.buffer.read()
        result = RunResult()
        outcome = process(name, raw, catalogue, options, language=language)
        if isinstance(outcome, FileResult):
            result.files.append(outcome)
        else:
            result.errors.append(outcome)
        return result, {name: raw}
    result = run(paths, catalogue, options)
    sources = {r.path: r.original for r in result.files}
    return result, sources


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    a = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    b = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    old, new = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
    lines = list(difflib.unified_diff(a, b, old, new))
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _exit_code(result, found: bool) -> int:
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if found else EXIT_CLEAN
