"""Choosing edits that can be applied together, and applying them to bytes."""

from __future__ import annotations

from migrator.core.model import Edit, Finding


def select_compatible(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Split fixable findings into those whose fixes can be applied in one pass and the rest.

    Earlier findings win; a finding whose fix clashes with an accepted one waits for the next
    pass (after re-linting, its fix is recomputed against the new text). Edits identical to an
    accepted edit are shared, not clashes: several findings may need the same declaration edit.
    """
    accepted: list[Finding] = []
    deferred: list[Finding] = []
    taken: list[Edit] = []
    for finding in findings:
        edits = finding.fix.edits
        if any(e.overlaps(t) for e in edits for t in taken):
            deferred.append(finding)
            continue
        accepted.append(finding)
        taken.extend(e for e in edits if e not in taken)
    return accepted, deferred


def apply_edits(content: bytes, edits) -> bytes:
    """Apply non-overlapping edits (duplicates collapse) from the end so offsets stay valid."""
    unique = sorted(set(edits), key=lambda e: (e.start, e.end), reverse=True)
    out = content
    for edit in unique:
        out = out[:edit.start] + edit.text.encode("utf-8") + out[edit.end:]
    return out
