"""Suppression comments: `// ddmigrate: ignore[CODE or name, ...]` or a bare `// ddmigrate: ignore`.

A comment applies to findings that start on its own line, or, when the comment stands alone
on its line, to findings on the next line. `#` (Python) and `<!-- -->` (HTML) work the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKER = re.compile(rb"(?://|#|/\*|<!--)\s*ddmigrate:\s*ignore(?:\[(?P<rules>[^\]]*)\])?")
_COMMENT_ONLY = re.compile(rb"^\s*(?://|#|/\*|<!--)")


@dataclass
class Suppression:
    line: int  # 1-based line of the comment
    rules: tuple[str, ...]  # empty: every rule
    targets: tuple[int, ...]  # the lines it applies to
    start: int = 0  # byte offset of the comment marker
    end: int = 0
    used: set = field(default_factory=set)

    def matches(self, finding) -> bool:
        return finding.line in self.targets and (
            not self.rules or finding.code in self.rules or finding.rule in self.rules)


def scan(content: bytes) -> list[Suppression]:
    if b"ddmigrate:" not in content:
        return []
    found = []
    offset = 0
    for number, line in enumerate(content.split(b"\n"), start=1):
        match = _MARKER.search(line)
        if match:
            rules = tuple(r.strip().decode() for r in (match["rules"] or b"").split(b",") if r.strip())
            targets = (number, number + 1) if _COMMENT_ONLY.match(line) else (number,)
            found.append(Suppression(number, rules, targets, offset + match.start(), offset + match.end()))
        offset += len(line) + 1
    return found


def apply(findings: list, suppressions: list[Suppression]) -> list:
    """The findings no suppression covers; marks the suppressions that were used."""
    kept = []
    for finding in findings:
        covering = [s for s in suppressions if s.matches(finding)]
        for s in covering:
            s.used.add(finding.code)
        if not covering:
            kept.append(finding)
    return kept


def unused_findings(source, suppressions: list[Suppression]) -> list:
    """Findings of `unused-ignore` for suppressions (or rules in them) that matched nothing."""
    from migrator.core.model import Finding, Fix

    out = []
    for s in suppressions:
        unused = [r for r in s.rules if r not in s.used and not _named_used(r, s.used)] if s.rules else (
            [] if s.used else ["(all)"])
        if not unused:
            continue
        what = "this suppression" if not s.rules or len(unused) == len(s.rules) else ", ".join(f"`{r}`" for r in unused)
        edit = _removal(source.content, s) if not s.rules or len(unused) == len(s.rules) else None
        out.append(Finding(rule="unused-ignore", code="DD001",
                           message=f"{what} matched no finding; remove it", start=s.start, end=s.end,
                           fix=Fix((edit,)) if edit is not None else None,
                           no_fix_reason=None if edit is not None else "edit the list of rules by hand"))
    return out


def _named_used(ident: str, used_codes: set) -> bool:
    from migrator.core.registry import find_rule

    rule = find_rule(ident)
    return rule is not None and rule.code in used_codes


def _removal(content: bytes, s: Suppression):
    """Remove a `//` or `#` suppression comment (the whole line when it stands alone)."""
    from migrator.core.model import Edit

    line_start = content.rfind(b"\n", 0, s.start) + 1
    line_end = content.find(b"\n", s.start)
    line_end = len(content) if line_end == -1 else line_end
    comment_end = line_end - 1 if content[line_end - 1:line_end] == b"\r" else line_end
    if not (content.startswith(b"//", s.start) or content.startswith(b"#", s.start)):
        return None
    if content[s.end:comment_end].strip():
        return None  # the comment says more than the suppression
    if not content[line_start:s.start].strip():
        return Edit(line_start, min(line_end + 1, len(content)), "")
    before = s.start
    while before > line_start and content[before - 1:before] in (b" ", b"\t"):
        before -= 1
    return Edit(before, comment_end, "")
