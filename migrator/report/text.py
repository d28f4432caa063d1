"""Human-readable output: one line per finding, a short code frame, and a summary (like ruff)."""

from __future__ import annotations

import click

from migrator.core.model import Finding
from migrator.core.runner import RunResult


def _style(text: str, color: bool, **kwargs) -> str:
    return click.style(text, **kwargs) if color else text


def finding_line(f: Finding, color: bool) -> str:
    where = _style(f"{f.path}:{f.line}:{f.column}:", color, bold=True)
    code = _style(f.code, color, fg="red", bold=True)
    # Like ruff, [*] marks what `ddmigrate fix` fixes without --unsafe-fixes.
    marker = " [*]" if f.fix is not None and f.fix.applicability.value == "safe" else ""
    return f"{where} {code} [{f.rule}] {f.message}{marker}"


FRAME_WIDTH = 120  # characters of a long line shown around the finding (minified code)


def code_frame(f: Finding, lines: list[str], color: bool) -> list[str]:
    """The finding's first line with a caret underline, columns counted in characters.

    A long line (a minified file) is cut to a window around the finding, marked with `…`.
    """
    if not lines or f.line > len(lines):
        return []
    text = lines[f.line - 1].expandtabs(1)
    width = len(str(f.line))
    end = f.end_column if f.end_line == f.line else len(text) + 1
    column = f.column
    if len(text) > FRAME_WIDTH:
        start = max(0, column - 1 - FRAME_WIDTH // 3)
        shown = text[start:start + FRAME_WIDTH]
        prefix = "…" if start else ""
        suffix = "…" if start + FRAME_WIDTH < len(text) else ""
        column = column - start + len(prefix)
        end = min(end - start + len(prefix), len(prefix) + len(shown) + 1)
        text = prefix + shown + suffix
    carets = "^" * max(1, end - column)
    gutter = _style(f"{' ' * width} |", color, fg="blue")
    number = _style(f"{f.line} |", color, fg="blue")
    return [gutter, f"{number} {text}", f"{gutter} {' ' * (column - 1)}{_style(carets, color, fg='red')}", gutter]


def print_findings(result: RunResult, sources: dict[str, bytes], color: bool, show_reasons: bool,
                   echo=click.echo) -> None:
    for file in result.files:
        if not file.findings:
            continue
        data = sources.get(file.path, b"")
        lines = data.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n")
        lines = [line.rstrip("\r") for line in lines]
        for f in file.findings:
            echo(finding_line(f, color))
            for row in code_frame(f, lines, color):
                echo(row)
            if show_reasons:
                echo(_style("  = ", color, fg="blue") + remaining_reason(f))
            echo("")


def remaining_reason(f: Finding) -> str:
    if f.fix is not None:
        return "an unsafe fix is available: run with --unsafe-fixes to apply it" if f.fix.applicability.value == "unsafe" else "fixable"
    return f"no automatic fix: {f.no_fix_reason}" if f.no_fix_reason else "no automatic fix"


def print_errors(result: RunResult, color: bool) -> None:
    for error in result.errors:
        label = _style("error:", color, fg="red", bold=True)
        click.echo(f"{label} {error.path}: {error.message}", err=True)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def nothing_read(result: RunResult) -> str | None:
    """The warning for a run that read no file at all, or None."""
    if result.files or result.errors:
        return None
    if result.skipped:
        return f"Nothing checked: {plural(len(result.skipped), 'file')} skipped (`-v` says why)."
    from migrator.core.languages import EXTENSIONS

    return f"warning: no files to check (ddmigrate reads {' '.join(sorted(EXTENSIONS))})"


def skipped_note(result: RunResult, text: str) -> str:
    """``text`` and how many files were deliberately skipped (a shim `ddmigrate shim` wrote, say)."""
    if not result.skipped or not (result.files or result.errors):
        return text
    return f"{text} {plural(len(result.skipped), 'file')} skipped (`-v` says why)."


def check_summary(result: RunResult, unsafe: bool) -> str:
    return skipped_note(result, _check_summary(result, unsafe))


def fix_summary(result: RunResult, mode: str) -> str:
    return skipped_note(result, _fix_summary(result, mode))


def _check_summary(result: RunResult, unsafe: bool) -> str:
    findings = result.findings
    empty = nothing_read(result)
    if empty:
        return empty
    if not findings and result.errors:
        return (f"No findings in {plural(len(result.files), 'file')}, but {plural(len(result.errors), 'file')} "
                f"could not be checked (errors above).")
    if not findings:
        return f"All checked: no findings in {plural(len(result.files), 'file')}."
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability.value == "safe")
    risky = sum(1 for f in findings if f.fix is not None and f.fix.applicability.value == "unsafe")
    files = len({f.path for f in findings})
    text = f"Found {plural(len(findings), 'finding')} in {plural(files, 'file')}"
    parts = []
    if safe or (risky and unsafe):
        parts.append(f"{safe + (risky if unsafe else 0)} fixable with `ddmigrate fix{' --unsafe-fixes' if unsafe and risky else ''}`")
    if risky and not unsafe:
        parts.append(f"{risky} more with `--unsafe-fixes`")
    return text + (f" ({', '.join(parts)})." if parts else ".")


def _fix_summary(result: RunResult, mode: str) -> str:
    empty = nothing_read(result)
    if empty:
        return empty
    applied = result.applied
    files = result.changed_files
    verb = {"write": "Fixed", "diff": "Would fix", "check": "Would fix"}[mode]
    text = f"{verb} {plural(len(applied), 'finding')} in {plural(len(files), 'file')}"
    remaining = result.findings
    if remaining:
        text += f"; {plural(len(remaining), 'finding')} {'remains' if len(remaining) == 1 else 'remain'} unfixed (reasons above)"
    return text + "."



def print_statistics(result: RunResult, echo=click.echo) -> None:
    """Counts by rule, most frequent first (like `ruff --statistics`)."""
    counts: dict[tuple[str, str], list[int]] = {}
    for f in result.findings:
        entry = counts.setdefault((f.code, f.rule), [0, 0])
        entry[0] += 1
        entry[1] += f.fix is not None
    if not counts:
        return
    width = max(len(str(n)) for n, _ in counts.values())
    for (code, rule), (count, fixable) in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0])):
        marker = "[*]" if fixable == count else ("[-]" if fixable else "[ ]")
        echo(f"{count:>{width}}  {code}  {marker} {rule}")


def print_fixes(result: RunResult, mode: str, color: bool, echo=click.echo) -> None:
    """`--show-fixes`: one line per fixed finding, "(unsafe)" after those fixed by an unsafe fix.

    ``mode`` is that of `fix` (``write``, ``diff`` or ``check``), or ``report`` for `check`, which fixes nothing."""
    if mode == "report":
        echo("No findings were fixed (`check` only reports; `ddmigrate fix` fixes).")
        return
    applied = sorted(result.applied, key=lambda f: (f.path, f.line, f.column, f.code, f.message))
    if not applied:
        echo("No findings were fixed." if mode == "write" else "No finding would be fixed.")
        return
    echo(f"{'Fixed' if mode == 'write' else 'Would fix'} {plural(len(applied), 'finding')}:")
    for f in applied:
        where = _style(f"{f.path}:{f.line}:{f.column}:", color, bold=True)
        unsafe = " (unsafe)" if f.fix is not None and f.fix.applicability.value == "unsafe" else ""
        echo(f"{where} {_style(f.code, color, fg='red', bold=True)} [{f.rule}] {f.message}{unsafe}")
