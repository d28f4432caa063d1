"""Import a module on first use, so a run that never reads Python does not pay for LibCST.

Importing LibCST costs about 0.14 s: more than the whole check of a small file, which a
pre-commit hook runs on every commit.
"""

from __future__ import annotations

import importlib


class LazyModule:
    """Stands in for a module and imports it when an attribute is first read."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module = None

    def __getattr__(self, attribute: str):
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)
