"""The plain data the pipeline passes around: findings, fixes and the edits inside them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Applicability(enum.Enum):
    """How far a fix can be trusted, in Ruff's sense.

    SAFE fixes keep behaviour and are applied by ``ddmigrate fix``; UNSAFE fixes may change
    behaviour and need ``--unsafe-fixes``.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the bytes ``[start, end)`` of a source with ``text`` (an insertion when empty)."""

    start: int
    end: int
    text: str

    def overlaps(self, other: Edit) -> bool:
        """Whether applying both would be ambiguous. Identical edits do not clash."""
        if self == other:
            return False
        self_insert, other_insert = self.start == self.end, other.start == other.end
        if self_insert and other_insert:
            # Two insertions at one point would come out in an arbitrary order.
            return self.start == other.start
        if self_insert:
            return other.start < self.start < other.end
        if other_insert:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Fix:
    """A set of edits that must be applied together, all or none."""

    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "edits", tuple(sorted(set(self.edits))))


@dataclass
class Finding:
    """One place where a rule fired. Offsets are byte offsets into ``SourceFile.content``."""

    rule: str
    code: str
    message: str
    start: int
    end: int
    fix: Fix | None = None
    # Why there is no fix (or why the fix was dropped), in words a user can act on.
    no_fix_reason: str | None = None
    path: str = ""
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    # Findings whose fixes belong to one change across files (a command wrapper and its calls
    # in other modules, ``migrator.js.wrappers``) share a group: they are applied all or none.
    group: str = ""

    @property
    def fix_label(self) -> str:
        return self.fix.applicability.value if self.fix else "none"

    def sort_key(self) -> tuple:
        return (self.path, self.start, self.end, self.code)


@dataclass
class FileError:
    """A file that could not be processed, and why."""

    path: str
    message: str
