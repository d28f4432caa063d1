"""The Python front-end's command strings as the exec planner (``migrator.migration.execs``) reads them."""

from __future__ import annotations

from migrator.migration.execs import PYTHON_DIALECT, CommandSource, Outcome, plan_arguments, plan_command, refused
from migrator.python.index import read_command, word_source


def commands(index) -> CommandSource:
    """The Python front-end's commands (``migrator.python.index.PyCommand``) for the planner."""
    return CommandSource(PYTHON_DIALECT, lambda node: read_command(index, node))


def plan_exec(index, rule, message: str, cmd_node, target: str, build, run_in_sh=None) -> Outcome:
    """``plan_command`` for a shim call; ``build(words)`` gets each word as Python source."""
    quote = index.preferred_quote()

    def build_edits(command, words):
        return build([word_source(command, w, quote) for w in words])

    return plan_command(commands(index), rule, message, cmd_node, target, build_edits, run_in_sh)


def plan_docker(index, rule, message: str, args) -> Outcome:
    if any(a.star or a.keyword for a in args):
        return plan_arguments(commands(index), rule, message, "a `*` or keyword argument's values cannot be split here")
    return plan_arguments(commands(index), rule, message, [(a.value, index.text(a.value, outer=True)) for a in args])


def refused_outcome(index, command, analysis, target: str, shell_edits) -> Outcome:
    return refused(commands(index), command, analysis, target, shell_edits)
