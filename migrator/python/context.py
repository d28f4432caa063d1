"""The LibCST front-end's view of one source."""

from __future__ import annotations

from migrator.core.rule import Context


class PythonContext(Context):
    """A Python module parsed with LibCST, which parses a whole module or nothing: a module with
    a syntax error is off limits as a whole."""

    def parse_errors(self) -> list[tuple[int, int]]:
        return [] if self.tree.module is not None else [(0, len(self.content))]
