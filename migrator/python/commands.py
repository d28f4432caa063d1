"""The Python front-end's command strings as the exec planner (``migrator.migration.execs``) reads them."""

from __future__ import annotations

from migrator.migration.execs import PYTHON_DIALECT, CommandSource, Outcome, plan_command, refused
from migrator.python.index import read_command, word_source


class PythonCommands(CommandSource):
    dialect = PYTHON_DIALECT

    def __init__(self, index) -> None:
        self.index = index

    def read(self, node):
        return read_command(self.index, node)

    def substitution_count(self, command) -> int:
        return len(command.pieces)

    def substitution_names(self, command) -> str:
        return ", ".join(f"`{s}`" for s in command.substitution_sources())

    def via_name(self, command) -> str:
        return command.via.value

    def script(self, command) -> str:
        return self.index.text(command.node, outer=True)


def plan_exec(index, rule, message: str, cmd_node, target: str, build, run_in_sh=None) -> Outcome:
    """``plan_command`` for a shim call; ``build(words)`` gets each word as Python source."""
    quote = index.preferred_quote()

    def build_edits(command, words):
        return build([word_source(command, w, quote) for w in words])

    return plan_command(PythonCommands(index), rule, message, cmd_node, target, build_edits, run_in_sh)


def refused_outcome(index, command, analysis, target: str, shell_edits) -> Outcome:
    return refused(PythonCommands(index), command, analysis, target, shell_edits)
