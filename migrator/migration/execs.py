"""What every exec rule shares: reading the command, deciding what can be fixed, and saying why.

A legacy command string went through a shell; v1 exec runs no shell. So the command is
split the way the shell split it, and:

- with a shell operator (pipe, `&&`, redirection, `$(...)`...) it is a chained-shell-command
  finding, never fixed as safe (for the backend VM, an unsafe fix runs it through `sh -c`);
- with an expansion (`$VAR`, `~`, globs) it is a shell-expansion finding (same fixes);
- when it holds template substitutions, the fix keeps each as (part of) one argument and
  is unsafe: the shell also split the substituted value;
- for host commands, where Windows used cmd.exe, a split that depends on the quoting rules
  of sh (single quotes, backslashes) is unsafe and says which reading it assumed;
- otherwise the fix is safe.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrator.core.model import Applicability, Edit
from migrator.js.access import PREVIEW_NOTE, arguments_of
from migrator.js.command import Command, Unknown, argv_source, array_source, read_command, substitution_names

VM, HOST, CONTAINER, DOCKER = "vm", "host", "container", "docker"
SHELLS = frozenset({
    "sh", "bash", "zsh", "dash", "ash", "ksh", "/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash",
    "powershell", "powershell.exe", "pwsh", "pwsh.exe", "cmd", "cmd.exe",
})
SCRIPT_FLAGS = frozenset({"-c", "-lc", "-ec", "-Command", "-command", "/c", "/C", "/k", "/K"})


@dataclass(frozen=True)
class Reported:
    """A code and name that exec findings are reported under when the problem is the command
    itself (its documentation rule lives in the catalogue, which names these constants)."""

    code: str
    name: str


CHAINED = Reported("DD210", "chained-shell-command")
EXPANSION = Reported("DD211", "shell-expansion")
PYTHON_CHAINED = Reported("DD510", "python-chained-shell-command")
PYTHON_EXPANSION = Reported("DD511", "python-shell-expansion")
# What an exec rule can report besides its own code: the engine runs it when any is selected.
JS_COMMAND_CODES = (CHAINED.code, EXPANSION.code)
PYTHON_COMMAND_CODES = (PYTHON_CHAINED.code, PYTHON_EXPANSION.code)


def chained_rule() -> Reported:
    return CHAINED


def expansion_rule() -> Reported:
    return EXPANSION


def optional(ctx) -> str:
    """How to step through an optional v1 member whose absence v0 code never handled.

    TypeScript gets a non-null assertion, which keeps v0's behaviour (a missing backend
    fails at the call) and type-checks under `strict`; JavaScript has no such operator and
    gets optional chaining.
    """
    return "!" if ctx.typescript else "?"


def member_path(ctx, target: str) -> str:
    mark = optional(ctx)
    if target == VM:
        return f"extension.vm{mark}.cli.exec" if mark == "!" else "extension.vm?.cli.exec"
    if target == HOST:
        return f"extension.host{mark}.cli.exec" if mark == "!" else "extension.host?.cli.exec"
    return "docker.cli.exec"


@dataclass
class Outcome:
    """What to report for one command: which rule, what message, which fix (if any)."""

    rule: object
    message: str
    edits: list
    applicability: Applicability = Applicability.SAFE
    no_fix_reason: str | None = None


def plan_exec(ctx, rule, message: str, cmd_node, target: str, build_edits, shell_edits=None,
              preview: bool = False) -> Outcome:
    """Decide the finding for a legacy single-string exec call.

    ``build_edits(command, words)`` returns the edits of the faithful rewrite;
    ``shell_edits(script_source)`` those of the explicit ``sh -c`` rewrite (VM only).
    """
    try:
        command = read_command(ctx, cmd_node)
    except Unknown as exc:
        return Outcome(rule, message, [], no_fix_reason=f"{exc}; split it by hand into a command and its arguments")
    analysis = command.analysis
    if analysis.syntax_errors:
        problem = analysis.syntax_errors[0]
        return Outcome(rule, message, [], no_fix_reason=f"the command is not valid shell: {problem.message}")
    if analysis.operators:
        return _refused(ctx, chained_rule(), command, analysis.operators, target, shell_edits)
    if analysis.expansions:
        return _refused(ctx, expansion_rule(), command, analysis.expansions, target, shell_edits)
    if analysis.substitution_problems:
        problem = analysis.substitution_problems[0]
        return Outcome(rule, message, [], no_fix_reason=f"{problem.message}; split it by hand")
    if not analysis.words:
        return Outcome(rule, message, [], no_fix_reason="the command is empty")
    notes = []
    applicability = Applicability.SAFE
    unquoted = {i for w in analysis.words for i in w.unquoted_substs}
    if command.substitutions:
        applicability = Applicability.UNSAFE
        notes.append(
            f"{substitution_names(ctx, command, range(len(command.substitutions)))} now reach"
            f"{'es' if len(command.substitutions) == 1 else ''} the program as (part of) one argument"
            + (": a value with spaces or shell characters is no longer split or expanded"
               " (usually the intent, and safer, but a change)" if unquoted else "")
        )
    if target == HOST and analysis.host_divergence:
        applicability = Applicability.UNSAFE
        what = ", ".join(sorted({f"`{p.text}`" for p in analysis.host_divergence}))
        notes.append(f"on Windows the host shell was cmd.exe, which reads {what} differently; "
                     "this fix assumes the POSIX sh reading")
    edits = build_edits(command, analysis.words)
    if preview:
        applicability = Applicability.UNSAFE
        notes.append(PREVIEW_NOTE.strip(" ()"))
    if command.via is not None:
        notes.append(f"the command was read from `{command.via.name}`")
    text = message + (" (" + "; ".join(notes) + ")" if notes else "")
    return Outcome(rule, text, edits, applicability)


def _refused(ctx, rule, command: Command, problems, target: str, shell_edits) -> Outcome:
    shown = ", ".join(dict.fromkeys(f"`{p.text}`" for p in problems))
    first = problems[0].message
    if rule is chained_rule():
        message = (f"the command uses shell syntax ({shown}): {first}; run one exec per command and "
                   "pass results on in JavaScript")
    else:
        message = f"the command relies on shell expansion ({shown}): {first}; compute the value in JavaScript"
    if target == VM and shell_edits is not None:
        edits = shell_edits(ctx.text(command.node))
        return Outcome(rule, message + "; or run it explicitly with `sh -c` in the backend container",
                       edits, Applicability.UNSAFE)
    if target == HOST:
        message += " (do not wrap it in `sh -c`: the host may be Windows)"
    return Outcome(rule, message, [], no_fix_reason="a shell command line cannot become one exec call")


def finding(ctx, outcome: Outcome, node):
    return ctx.finding(outcome.rule, node, outcome.message, edits=outcome.edits,
                       applicability=outcome.applicability, no_fix_reason=outcome.no_fix_reason)


def replace_args(call, cmd_source: str, args: list[str]) -> Edit:
    """Replace the call's arguments with ``cmd, [args]``."""
    return arguments_edit(call, f"{cmd_source}, {array_source(args)}")


def arguments_edit(call, text: str) -> Edit:
    """Replace the span from the first argument to the last, so the layout around them (line
    breaks, a trailing comma, comments after the last argument) stays as it was."""
    args = arguments_of(call)
    if not args:
        arguments = call.child_by_field_name("arguments")
        return Edit(arguments.start_byte + 1, arguments.end_byte - 1, text)
    return Edit(args[0].start_byte, args[-1].end_byte, text)


def words_edit(ctx, call, command: Command, words) -> Edit:
    cmd, args = argv_source(ctx, command, words)
    return replace_args(call, cmd, args)
