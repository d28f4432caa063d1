"""What happens to the fixed files after fixing and before writing: the project's type checker
as a guard (`fix --verify-types`, ``typeguard``) and the project's formatter (``formatter``).

``Review`` is the runner's ``Options.review`` callback: it gets every fixed ``FileResult`` once
all files are fixed, reverts those whose fix adds a type error, then formats the rest with the
project's prettier, and keeps what it did for the report (``RunResult.formatted``, ``reverted``,
``notes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Review:
    verify_types: bool = False
    format: bool = True
    formatted: list[str] = field(default_factory=list)
    reverted: list[str] = field(default_factory=list)
    partly_reverted: list[str] = field(default_factory=list)  # some fixes kept, the others reverted
    unsafe: bool = False  # whether unsafe fixes are applied (fix --unsafe-fixes)
    notes: list[str] = field(default_factory=list)
    tsc_seconds: float | None = None

    def __call__(self, outcomes, relint) -> None:
        if self.verify_types and outcomes:
            self._verify(outcomes, relint)
        if self.format:
            from migrator.core import formatter

            live = [o for o in outcomes if o.fixed is not None]
            result = formatter.format_fixed({o.path: (o.original, o.fixed) for o in live})
            for outcome in live:
                if outcome.path in result.formatted:
                    outcome.fixed = result.formatted[outcome.path]
                    self.formatted.append(outcome.path)
            self.notes.extend(result.notes)

    def _verify(self, outcomes, relint) -> None:
        from migrator.core import typeguard

        by_path = {o.path: o for o in outcomes}
        outcome = typeguard.verify({o.path: (o.original, o.fixed) for o in outcomes},
                                   one_by_one=lambda path: _fixes_one_by_one(path, by_path[path], relint, self.unsafe))
        self.tsc_seconds = outcome.seconds
        self.notes.extend(outcome.notes)
        for result in outcomes:
            if result.path in outcome.partial:
                text, reason = outcome.partial[result.path]
                _keep_part(result, text, relint, f"fix reverted: it adds a type error: {reason}")
                self.partly_reverted.append(result.path)
                continue
            reason = outcome.reverted.get(result.path)
            if reason is None:
                continue
            _revert(result, relint, f"fix reverted: it adds a type error: {reason}")
            self.reverted.append(result.path)
        if outcome.checked:
            self.notes.append(f"--verify-types: tsc checked {outcome.checked} fixed "
                              f"file{'s' if outcome.checked != 1 else ''} in {outcome.seconds:.2f} s; "
                              f"{len(self.reverted)} reverted"
                              + (f", {len(self.partly_reverted)} partly" if self.partly_reverted else ""))

    def apply_to(self, result) -> None:
        """Copy what the review did into the run's result (for the report)."""
        result.formatted = list(self.formatted)
        result.reverted = list(self.reverted)
        result.notes = list(self.notes)


def _revert(result, relint, reason: str) -> None:
    """Give ``result`` back its original text; its fixable findings carry ``reason``."""
    unfixed = relint(result.path, result.original)
    findings = getattr(unfixed, "findings", None)
    if findings is None:
        findings = result.findings
    for f in findings:
        if f.fix is not None:
            f.fix, f.no_fix_reason = None, reason
    result.fixed, result.applied, result.findings = None, [], findings


def _fixes_one_by_one(path: str, result, relint, unsafe: bool):
    """A reverted file's fixes, as the original's findings offer them, each to add on its own
    to the text kept so far. A finding is known again in a changed text by its code, the code
    it flags and which occurrence of that it is; its fix is read again there, since the fixes
    kept before it moved the offsets."""
    from migrator.core.engine import applicable
    from migrator.core.source import SourceFile

    content = SourceFile.from_bytes(path, result.original).content
    seen: dict[tuple, int] = {}
    for finding in [f for f in getattr(relint(path, result.original), "findings", []) if applicable(f, unsafe)]:
        identity = (finding.code, content[finding.start:finding.end])
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1

        def apply(text, identity=identity, occurrence=occurrence):
            return _apply_one(path, text, identity, occurrence, relint, unsafe)

        yield f"{finding.code} [{finding.rule}] at line {finding.line}", apply


def _apply_one(path: str, text: bytes, identity: tuple, occurrence: int, relint, unsafe: bool) -> bytes | None:
    """``text`` with the fix of that finding, if it still offers one and the result parses no worse."""
    from migrator.core import engine
    from migrator.core.edits import apply_edits
    from migrator.core.source import SourceFile

    source = SourceFile.from_bytes(path, text)
    same = [f for f in getattr(relint(path, text), "findings", []) if engine.applicable(f, unsafe)
            and (f.code, source.content[f.start:f.end]) == identity]
    if len(same) <= occurrence:
        return None
    fixed = source.with_content(apply_edits(source.content, same[occurrence].fix.edits))
    if not engine.verified(engine.parse(source), engine.parse(fixed)):
        return None
    return fixed.raw


def _keep_part(result, text: bytes, relint, reason: str) -> None:
    """``result`` keeps the fixes in ``text``; what remains of the others carries ``reason``."""
    remaining = relint(result.path, text)
    findings = getattr(remaining, "findings", None) or []
    for f in findings:
        if f.fix is not None:
            f.fix, f.no_fix_reason = None, reason
    result.fixed = text if text != result.original else None
    result.findings = findings
    # What was applied, less one finding of each code still reported (their fixes went).
    left = [f.code for f in findings]
    applied = []
    for f in result.applied:
        if f.code in left:
            left.remove(f.code)
        else:
            applied.append(f)
    result.applied = applied
