"""The base of every Python rule: the shim's API, read from a module LibCST could parse."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.rule import Rule

# The index (and LibCST under it) loads for the first Python file: a run on JavaScript never needs it.
pyindex = LazyModule("migrator.python.index")


class PythonRule(Rule):
    """A rule about ``migrator.shim`` callers. Files that never mention ``migrator`` are not
    parsed; ``check_module`` runs with the module's index (scopes, spans, client resolution),
    and not at all for a module without one (a syntax error, or a non-UTF-8 encoding)."""

    languages = frozenset({"python"})
    literals = (b"migrator",)

    def check(self, ctx):
        index = pyindex.index_of(ctx)
        if index is None:
            return ()
        return self.check_module(ctx, index)

    def check_module(self, ctx, index: pyindex.PyIndex):
        return ()
