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

        outcome = typeguard.verify({o.path: (o.original, o.fixed) for o in outcomes})
        self.tsc_seconds = outcome.seconds
        self.notes.extend(outcome.notes)
        for result in outcomes:
            reason = outcome.reverted.get(result.path)
            if reason is None:
                continue
            _revert(result, relint, f"fix reverted: it adds a type error: {reason}")
            self.reverted.append(result.path)
        if outcome.checked:
            self.notes.append(f"--verify-types: tsc checked {outcome.checked} fixed "
                              f"file{'s' if outcome.checked != 1 else ''} in {outcome.seconds:.2f} s; "
                              f"{len(self.reverted)} reverted")

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
