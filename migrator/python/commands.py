"""The Python front-end's command strings as the exec planner (``migrator.migration.execs``) reads them."""

from __future__ import annotations

from migrator.migration.execs import PYTHON_DIALECT, CommandSource, Outcome, plan_arguments, plan_command, refused
from migrator.python.index import read_command, word_source


class PythonCommands(CommandSource):
    dialect = PYTHON_DIALECT

    def __init__(self, index) -> None:
        self.index = index

    def read(self, node):
        return read_command(self.index, node)

    def via_name(self, command) -> str:
        return command.via.value

    def script(self, command) -> str:
        return self.index.text(command.node, outer=True)

    def substitutions(self, command) -> list[str]:
        return [f"`{s}`" for s in command.substitution_sources()]

    def word(self, command, word) -> str:
        return word_source(command, word, self.index.preferred_quote())

    def unsplittable(self, args) -> str | None:
        if any(a.star or a.keyword for a in args):
            return "a `*` or keyword argument's values cannot be split here"
        return None

    def argument(self, arg):
        return arg.value, self.index.text(arg.value, outer=True)


def plan_exec(index, rule, message: str, cmd_node, target: str, build, run_in_sh=None) -> Outcome:
    """``plan_command`` for a shim call; ``build(words)`` gets each word as Python source."""
    quote = index.preferred_quote()

    def build_edits(command, words):
        return build([word_source(command, w, quote) for w in words])

    return plan_command(PythonCommands(index), rule, message, cmd_node, target, build_edits, run_in_sh)


def plan_docker(index, rule, message: str, args) -> Outcome:
    return plan_arguments(PythonCommands(index), rule, message, args)


def refused_outcome(index, command, analysis, target: str, shell_edits) -> Outcome:
    return refused(PythonCommands(index), command, analysis, target, shell_edits)
