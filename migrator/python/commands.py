"""The Python front-end's command strings as the exec planner (``migrator.migration.execs``) reads them."""

from __future__ import annotations

from migrator.migration.execs import PYTHON_DIALECT, CommandSource, Outcome, plan_arguments, plan_command, refused
from migrator.python.index import read_command, word_source


def commands(index) -> CommandSource:
    """The Python front-end's commands (``migrator.python.index.PyCommand``) for the planner."""
    return CommandSource(PYTHON_DIALECT, lambda node: read_command(index, node))


def plan_exec(index, rule, message: str, cmd_node, target: str, build, run_in_sh=None) -> Outcome:
    """``plan_command`` for a shim call; ``build(words)`` gets each word as Python source."""
    problem = parameter_words(index, cmd_node)
    if problem:
        return Outcome(rule, message, [], no_fix_reason=problem)
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


def parameter_words(index, cmd_node) -> str | None:
    """Why the command cannot be fixed here when a field of it, outside quotes, is a parameter
    of the function it is in (``def run(cmd): ...execInVMExtension(f"/app/tool {cmd}")``),
    else None. The shim split the value at run time, so callers may pass several words
    (``run("status --json")``); v1 would pass it as one argument. The function and its
    callers must change together, which the Python front-end does not do (the JavaScript
    one migrates such wrappers: ``migrator.js.wrappers``)."""
    import libcst as cst

    from migrator.python.index import Unknown

    try:
        command = read_command(index, cmd_node)
    except Unknown:
        return None
    analysis = command.analysis
    if analysis.problems:
        return None  # a shell command line: the planner says so
    function = index.parents.get(cmd_node)
    while function is not None and not isinstance(function, (cst.FunctionDef, cst.Lambda)):
        function = index.parents.get(function)
    if function is None:
        return None
    params = function.params
    names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    names |= {p.name.value for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)}
    for position in sorted({i for word in analysis.words for i in word.unquoted_substs}):
        expression = command.expressions[position]
        if isinstance(expression, cst.Name) and expression.value in names:
            owner = f"`{function.name.value}()`" if isinstance(function, cst.FunctionDef) else "the lambda"
            return (f"`{command.pieces[position][1]}` is a parameter of {owner}: the shim split its value into words at "
                    "run time, so a caller may pass several (\"status --json\"), which v1 would pass as one argument; "
                    f"change {owner} to take a list of words, and its callers with it")
    return None
