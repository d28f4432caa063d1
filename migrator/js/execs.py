"""The JavaScript front-end's side of exec planning: its commands for the planner
(``migrator.migration.execs``), the v1 member paths as this file writes them, and the edits.

Every exec rule imports this module, but most files have no exec call: the planner, the
command reader and the wrapper analysis (with the shell analyser under them) load on first use,
so that checking one such file does not pay for them.
"""

from __future__ import annotations

import dataclasses

from migrator.core.lazy import LazyModule
from migrator.core.model import Applicability, Edit
from migrator.js.access import arguments_of
from migrator.js.metadata import extension_of
from migrator.migration.table import EXEC_PATHS, HOST, OPTIONAL_SEGMENTS, VM

wrappers = LazyModule("migrator.js.wrappers")
jscommand = LazyModule("migrator.js.command")
planner = LazyModule("migrator.migration.execs")


def optional(ctx) -> str:
    """How to step through an optional v1 member whose absence v0 code never handled.

    TypeScript gets a non-null assertion, which keeps v0's behaviour (a missing backend
    fails at the call) and type-checks under `strict`; JavaScript has no such operator and
    gets optional chaining.
    """
    return "!" if ctx.typescript else "?"


def member_path(ctx, target: str) -> str:
    path = EXEC_PATHS[target]
    segment = OPTIONAL_SEGMENTS.get(target)
    if segment is None:
        return path
    return path.replace(f".{segment}.", f".{segment}{optional(ctx)}.", 1)



def commands(ctx) -> planner.CommandSource:
    """The JavaScript front-end's commands (``migrator.js.command``) for the planner."""
    return planner.CommandSource(planner.JS_DIALECT, lambda node: jscommand.read_command(ctx, node))


def docker_arguments(ctx, args) -> list[tuple[object, str]] | str:
    """``execDockerCmd``'s arguments for ``plan_arguments``, or why they cannot be read."""
    if any(a.type == "spread_element" for a in args):
        return "a spread argument's values cannot be split here"
    return [(a, ctx.text(a)) for a in args]


def plan_exec(ctx, rule, message: str, cmd_node, target: str, build_edits, shell_edits=None,
              preview: bool | str = False) -> planner.Outcome:
    """``plan_command`` for a JavaScript call; a command inside a wrapper function, built from
    one of its parameters, is planned with the wrapper's callers (``migrator.js.wrappers``)."""
    problem = wrappers.several_words(ctx, cmd_node)
    if problem:
        return planner.Outcome(rule, message, [], no_fix_reason=problem)
    call = cmd_node.parent.parent if cmd_node.parent is not None else None
    if call is not None and call.type == "call_expression":
        wrapped = wrappers.plan(ctx, rule, message, cmd_node, call, target, build_edits)
        if wrapped is not None:
            return wrapped
    return planner.plan_command(commands(ctx), rule, message, cmd_node, target, build_edits, shell_edits, preview)


CHAIN_PARENTS = {"member_expression": "object", "subscript_expression": "object", "call_expression": "function"}


# What optional chaining may find missing, per receiver the fix writes, and what in
# metadata.json says it is there at run time.
SERVICE_CHAIN = "service"
_CHAINS = {
    VM: ("`extension.vm?.`", "the extension has no backend (`vm`)",
         lambda e: e.declares_vm, "declares no `vm` (image or compose file)"),
    HOST: ("`extension.host?.`", "`extension.host` is missing (the types make it optional)",
           lambda e: isinstance(e.metadata.get("host"), dict), "has no `host` section"),
    SERVICE_CHAIN: ("`extension.vm?.service?.`", "the extension has no backend serving HTTP",
                    lambda e: e.declares_vm and e.socket is not None,
                    "declares no `vm` with an `exposes.socket`"),
}


def chain_note(ctx, call, target: str = VM) -> str | None:
    """Why a fix writing optional chaining (`extension.vm?.`) at ``call`` is unsafe, or None.

    When the call's result is used in the same chain (`exec(...).then(...)`, `exec(...)[0]`),
    optional chaining skips the rest of the chain when `vm` is missing: the `.then` callback
    never runs and nothing fails, where v0 threw. Awaited, returned, assigned or alone in a
    statement, the call yields `undefined` and what uses it next still fails. TypeScript gets
    `vm!.` and `host!.` for exec, which fail at the call as v0 did; HTTP calls get
    `vm?.service?.` in both languages (``target`` SERVICE_CHAIN). An extension whose
    metadata.json declares what the call reaches (a `vm` image or compose file; a `host`
    section; a `vm` exposing a socket) has it at run time: nothing is skipped.
    """
    if ctx.typescript and target != SERVICE_CHAIN:
        return None
    parent = call.parent
    slot = CHAIN_PARENTS.get(parent.type) if parent is not None else None
    if slot is None or parent.child_by_field_name(slot) != call:
        return None
    receiver, missing, declared, not_declared = _CHAINS[target]
    extension = extension_of(ctx)
    if extension is not None and declared(extension):
        return None
    if parent.type == "member_expression":
        prop = parent.child_by_field_name("property")
        called = parent.parent is not None and parent.parent.type == "call_expression"
        shown = f".{ctx.text(prop)}" + ("(...)" if called else "")
    else:
        shown = "[...]" if parent.type == "subscript_expression" else "(...)"
    where = f"its metadata.json {not_declared}" if extension is not None else "no metadata.json says it has one"
    language = "TypeScript" if ctx.typescript else "JavaScript"
    return f"in {language} {receiver} silently skips the `{shown}` chained on the call when {missing}, where v0 threw; {where}"


def finding(ctx, outcome: planner.Outcome, node, target: str | None = None):
    """The finding for an outcome at ``node``; for a VM or host exec (``target``), a fix whose
    `vm?.` or `host?.` would skip what is chained on the call becomes unsafe (``chain_note``)."""
    if target in (VM, HOST) and outcome.edits and not outcome.no_fix_reason:
        note = chain_note(ctx, node, target)
        if note:
            outcome = dataclasses.replace(outcome, message=f"{outcome.message} ({note})",
                                          applicability=Applicability.UNSAFE)
    found = ctx.finding(outcome.rule, node, outcome.message, edits=outcome.edits,
                        applicability=outcome.applicability, no_fix_reason=outcome.no_fix_reason)
    found.group = outcome.group
    return found


def replace_args(call, cmd_source: str, args: list[str]) -> Edit:
    """Replace the call's arguments with ``cmd, [args]``."""
    return arguments_edit(call, f"{cmd_source}, {jscommand.array_source(args)}")


def arguments_edit(call, text: str) -> Edit:
    """Replace the span from the first argument to the last, so the layout around them (line
    breaks, a trailing comma, comments after the last argument) stays as it was."""
    args = arguments_of(call)
    if not args:
        arguments = call.child_by_field_name("arguments")
        return Edit(arguments.start_byte + 1, arguments.end_byte - 1, text)
    return Edit(args[0].start_byte, args[-1].end_byte, text)


def words_edit(ctx, call, command, words) -> Edit:
    cmd, args = jscommand.argv_source(ctx, command, words)
    return replace_args(call, cmd, args)
