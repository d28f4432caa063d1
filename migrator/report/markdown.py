"""A migration report in Markdown, to paste into a pull request (``ddmigrate fix --report FILE``).

It holds the totals, a table per rule, the files changed, every finding left with the reason it
was not fixed (grouped by reason, most frequent first) and what to do by hand, and the files
that could not be processed. The text stays plain enough to read in a terminal, and its order
never depends on the order files were processed in.
"""

from __future__ import annotations

from migrator.core.model import Applicability, Finding
from migrator.core.runner import RunResult

UNSAFE_REASON = "an unsafe fix is available, but unsafe fixes were not applied"
NOT_APPLIED_REASON = "a fix is available but was not applied (see the errors)"
NO_REASON = "no automatic fix"


def is_unsafe(f: Finding) -> bool:
    return f.fix is not None and f.fix.applicability is Applicability.UNSAFE


def reason(f: Finding) -> str:
    """Why a finding that remains was not fixed."""
    if f.fix is not None:
        return UNSAFE_REASON if is_unsafe(f) else NOT_APPLIED_REASON
    return (f.no_fix_reason or NO_REASON).rstrip(".")


def by_hand(f: Finding) -> str:
    """What to do about a finding that remains."""
    explain = f"`ddmigrate explain {f.rule}` documents the v1 replacement"
    if is_unsafe(f):
        return (f"review the fix (`ddmigrate fix --unsafe-fixes --diff` shows it), then apply it with "
                f"`--unsafe-fixes` or rewrite the call by hand; {explain}")
    if f.fix is not None:
        return "fix what stopped the file from being written, then run `ddmigrate fix` again"
    return f"rewrite the call as the message says; {explain}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else ('es' if word.endswith('x') else 's')}"


def _where(f: Finding) -> str:
    return f"{f.path}:{f.line}"


def _order(f: Finding) -> tuple:
    return (f.path, f.line, f.column, f.code, f.message)


def render(result: RunResult, *, mode: str = "write") -> str:
    """The report of a ``fix`` run; ``mode`` is ``write``, or ``diff``/``check`` when nothing was written."""
    dry = mode != "write"
    applied, remaining = result.applied, sorted(result.findings, key=_order)
    unsafe = sum(1 for f in applied if is_unsafe(f))
    changed = sorted(result.changed_files, key=lambda r: r.path)
    fixed = "Would fix" if dry else "Fixed"
    out: list[str] = []
    if dry:
        out += ["# ddmigrate migration report (dry run: what `ddmigrate fix` would fix)", "",
                f"Nothing was written (`ddmigrate fix --{mode}`). Line numbers of the findings that remain are "
                f"those of the code as it would be after fixing.", ""]
    else:
        out += ["# ddmigrate migration report", ""]
    out += [
        f"- Files read: {len(result.files)}",
        f"- Files {'that would change' if dry else 'changed'}: {len(changed)}",
        f"- Findings {'that would be ' if dry else ''}fixed (safe): {len(applied) - unsafe}",
        f"- Findings {'that would be ' if dry else ''}fixed (unsafe): {unsafe}",
        f"- Findings remaining: {len(remaining)}",
    ]
    if result.errors:
        out.append(f"- Files that could not be processed: {len(result.errors)}")
    out.append("")

    counts: dict[tuple[str, str], list[int]] = {}
    for f in applied:
        counts.setdefault((f.code, f.rule), [0, 0, 0])[1 if is_unsafe(f) else 0] += 1
    for f in remaining:
        counts.setdefault((f.code, f.rule), [0, 0, 0])[2] += 1
    out += ["## By rule", ""]
    if counts:
        out += [f"| Code | Rule | {fixed} (safe) | {fixed} (unsafe) | Remaining |", "|---|---|--:|--:|--:|"]
        out += [f"| {code} | {rule} | {s} | {u} | {r} |" for (code, rule), (s, u, r) in sorted(counts.items())]
    else:
        out.append("No findings.")
    out.append("")

    out += [f"## Files {'that would change' if dry else 'changed'}", ""]
    out += [f"- `{r.path}` ({_plural(len(r.applied), 'fix')})" for r in changed] or ["None."]
    out.append("")

    out += ["## Remaining findings", ""]
    groups: dict[str, list[Finding]] = {}
    for f in remaining:
        groups.setdefault(reason(f), []).append(f)
    if not groups:
        out += ["None: nothing is left to migrate by hand." if not result.errors else "None in the files read.", ""]
    for text, findings in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out += [f"### {text} ({len(findings)})", ""]
        for f in findings:
            out.append(f"- `{_where(f)}` {f.code} [{f.rule}]: {f.message}")
            out.append(f"  - By hand: {by_hand(f)}.")
        out.append("")

    if result.errors:
        out += ["## Errors", ""]
        out += [f"- `{e.path}`: {e.message}" for e in sorted(result.errors, key=lambda e: (e.path, e.message))]
        out.append("")
    return "\n".join(out)
