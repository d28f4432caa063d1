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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from migrator.core.model import Applicability
from migrator.migration.shell import Analysis, UnknownCommand, Word, analyse_string
from migrator.migration.table import CHAINED, DOCKER, EXPANSION, HOST, PREVIEW_NOTE, PYTHON_CHAINED, PYTHON_EXPANSION, VM, Reported

SHELLS = frozenset({
    "sh", "bash", "zsh", "dash", "ash", "ksh", "/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash",
    "powershell", "powershell.exe", "pwsh", "pwsh.exe", "cmd", "cmd.exe",
})
SCRIPT_FLAGS = frozenset({"-c", "-lc", "-ec", "-Command", "-command", "/c", "/C", "/k", "/K"})


@dataclass(eq=False, repr=False)
class Outcome:
    """What to report for one command: which rule, what message, which fix (if any)."""

    rule: object
    message: str
    edits: list
    applicability: Applicability = Applicability.SAFE
    no_fix_reason: str | None = None
    group: str = ""  # see Finding.group


@dataclass(frozen=True)
class Dialect:
    """What differs between the front-ends' legacy exec, as data: the planner is one.

    - ``host_shell_was_cmd``: v0's host exec ran the string through cmd.exe on Windows; the
      Python shim split it like sh on every platform, so a quoting divergence exists only in JS.
    - ``via_unsafe``: JS reads a command only through a ``const`` (never rebound); a Python name
      assigned once in the file can still be rebound from outside (a module attribute,
      ``global``), so copying its value into the call is unsafe there.
    - ``refusal``: what the old call does with a shell command line today (the shim refuses
      it; v0's JS ran it through a shell, so nothing is said).
    """

    language: str
    chained: Reported
    expansion: Reported
    host_shell_was_cmd: bool
    via_unsafe: bool
    split_note: str
    empty_reason: str
    refusal: str | None
    # execDockerCmd: what follows "now reach the program as one argument each" for an argument
    # that is an expression; and whether the shim refused an argument that is not a command.
    argument_split_note: str
    shim_splits_arguments: bool


JS_DIALECT = Dialect(
    language="JavaScript", chained=CHAINED, expansion=EXPANSION, host_shell_was_cmd=True, via_unsafe=False,
    split_note=": a value with spaces or shell characters is no longer split or expanded"
               " (usually the intent, and safer, but a change)",
    empty_reason="the command is empty", refusal=None,
    argument_split_note=": the shell also split their values", shim_splits_arguments=False,
)
PYTHON_DIALECT = Dialect(
    language="Python", chained=PYTHON_CHAINED, expansion=PYTHON_EXPANSION, host_shell_was_cmd=False, via_unsafe=True,
    split_note=": a value with spaces is no longer split, nor one with shell characters refused, as the shim"
               " did at run time (usually the intent, but a change)",
    empty_reason="the command is empty (the shim refused it)",
    refusal="the shim refuses this string with `LegacyCommandError`, so the call fails today",
    argument_split_note=", or as written: the shim split their values at run time", shim_splits_arguments=True,
)


@dataclass(frozen=True)
class CommandSource:
    """How a front-end reads a command argument; the planner asks nothing else of it.

    ``read(node)`` returns a command (or raises ``UnknownCommand``) that describes itself in
    the user's language, as ``Command`` says.
    """

    dialect: Dialect
    read: Callable[[object], Command]


class Command(Protocol):
    """A command string as each front-end reads it (``migrator.js.command.Command``,
    ``migrator.python.index.PyCommand``)."""

    node: object  # the expression as written at the call
    segments: list  # str | Subst, for the shell analyser
    via: object  # the variable the string was read through, or None

    @property
    def analysis(self) -> Analysis: ...

    @property
    def via_name(self) -> str: ...

    @property
    def script(self) -> str:
        """The command argument's source text, to hand to `sh -c` as written."""

    @property
    def shown_substitutions(self) -> list[str]:
        """Each substitution as shown in a message (`${a}` or `a`)."""

    def word(self, word: Word) -> str:
        """One analysed word as source text of the user's language."""


def plan_command(source: CommandSource, rule, message: str, cmd_node, target: str, build_edits,
                 shell_edits=None, preview: bool | str = False) -> Outcome:
    """Decide the finding for a legacy single-string exec call, in either front-end.

    ``build_edits(command, words)`` returns the edits of the faithful rewrite;
    ``shell_edits(script_source)`` those of the explicit ``sh -c`` rewrite (VM only).
    ``preview`` marks the early-preview ``backend("name")`` form (the fix is unsafe); a string
    is the note to give instead of ``PREVIEW_NOTE``.
    """
    dialect = source.dialect
    try:
        command = source.read(cmd_node)
    except UnknownCommand as exc:
        return Outcome(rule, message, [], no_fix_reason=f"{exc}; split it by hand into a command and its arguments")
    analysis = command.analysis
    if analysis.syntax_errors:
        problem = analysis.syntax_errors[0]
        return Outcome(rule, message, [], no_fix_reason=f"the command is not valid shell: {problem.message}")
    if analysis.operators or analysis.expansions:
        return refused(source, command, analysis, target, shell_edits)
    if analysis.substitution_problems:
        problem = analysis.substitution_problems[0]
        return Outcome(rule, message, [], no_fix_reason=f"{problem.message}; split it by hand")
    if not analysis.words:
        return Outcome(rule, message, [], no_fix_reason=dialect.empty_reason)
    notes = []
    applicability = Applicability.SAFE
    count = len(command.shown_substitutions)
    if count:
        applicability = Applicability.UNSAFE
        unquoted = {i for w in analysis.words for i in w.unquoted_substs}
        notes.append(f"{', '.join(command.shown_substitutions)} now reach{'es' if count == 1 else ''} the program as"
                     " (part of) one argument" + (dialect.split_note if unquoted else ""))
    if target == HOST and dialect.host_shell_was_cmd and analysis.host_divergence:
        applicability = Applicability.UNSAFE
        what = ", ".join(sorted({f"`{p.text}`" for p in analysis.host_divergence}))
        notes.append(f"on Windows the host shell was cmd.exe, which reads {what} differently; "
                     "this fix assumes the POSIX sh reading")
    edits = build_edits(command, analysis.words)
    if preview:
        applicability = Applicability.UNSAFE
        notes.append(preview if isinstance(preview, str) else PREVIEW_NOTE.strip(" ()"))
    if command.via is not None:
        if dialect.via_unsafe:
            applicability = Applicability.UNSAFE
            notes.append(f"the command was read from `{command.via_name}`, whose value is copied into the call")
        else:
            notes.append(f"the command was read from `{command.via_name}`")
    text = message + (" (" + "; ".join(notes) + ")" if notes else "")
    return Outcome(rule, text, edits, applicability)


def refused(source: CommandSource, command, analysis, target: str, shell_edits) -> Outcome:
    """A command that needs a shell: reported under the chained or the expansion code."""
    dialect = source.dialect
    problems = analysis.operators or analysis.expansions
    shown = ", ".join(dict.fromkeys(f"`{p.text}`" for p in problems))
    first = problems[0].message
    if analysis.operators:
        rule = dialect.chained
        message = (f"the command uses shell syntax ({shown}): {first}; run one exec per command and "
                   f"pass results on in {dialect.language}")
    else:
        rule = dialect.expansion
        message = f"the command relies on shell expansion ({shown}): {first}; compute the value in {dialect.language}"
    if target == VM and shell_edits is not None:
        message += "; or run it explicitly with `sh -c` in the backend container"
        if dialect.refusal:
            message += f" ({dialect.refusal})"
        return Outcome(rule, message, shell_edits(command.script), Applicability.UNSAFE)
    notes = ["do not wrap it in `sh -c`: the host may be Windows"] if target == HOST else []
    if dialect.refusal:
        notes.append(dialect.refusal)
    if notes:
        message += f" ({'; '.join(notes)})"
    return Outcome(rule, message, [], no_fix_reason=NOT_ONE_CALL)


NOT_ONE_CALL = "a shell command line cannot become one exec call"


def plan_arguments(source: CommandSource, rule, message: str, args: list[tuple[object, str]] | str) -> Outcome:
    """Decide the finding for ``execDockerCmd(cmd, ...args)``: v0 split every argument as a
    shell would (the shim: as a command of its own). ``args`` are the expressions passed with
    their source texts, or why the arguments cannot be read one by one (a spread, ``*args``).
    The outcome's ``edits`` are the words' source texts, which the caller writes as
    ``cmd, [args]``."""
    dialect = source.dialect
    if isinstance(args, str):
        return Outcome(rule, message, [], no_fix_reason=args)
    if not args:
        return Outcome(rule, message, [], no_fix_reason="the call has no command")
    items, notes, refused_args, unsafe = [], [], [], False
    for position, (value, text) in enumerate(args):
        try:
            command = source.read(value)
        except UnknownCommand as exc:
            if getattr(exc, "split_by_hand", False):  # a string known to hold several words
                return Outcome(rule, message, [], no_fix_reason=f"{exc}; split it by hand")
            # A whole argument that is an expression was split at run time.
            items.append(text)
            notes.append(f"`{text}`")
            unsafe = True
            continue
        static = None if command.shown_substitutions else "".join(command.segments)
        if position:
            # Each argument followed the command word: `a=b` there is not an assignment.
            command.segments.insert(0, "_ ")
        analysis = command.analysis
        if analysis.syntax_errors:
            return Outcome(rule, message, [],
                           no_fix_reason=f"an argument is not valid shell: {analysis.syntax_errors[0].message}")
        if analysis.operators or analysis.expansions:
            return refused(source, command, analysis, DOCKER, None)
        if analysis.substitution_problems:
            return Outcome(rule, message, [], no_fix_reason=analysis.substitution_problems[0].message)
        if command.shown_substitutions:
            unsafe = True
            notes.extend(command.shown_substitutions)
        if command.via is not None and dialect.via_unsafe:
            unsafe = True
            notes.append(f"`{command.via_name}`")
        if position and static is not None and dialect.shim_splits_arguments and not _shim_accepts(static):
            refused_args.append(f"`{text}`")
        words = analysis.words[1:] if position else analysis.words
        items.extend(command.word(w) for w in words)
    if not items:
        return Outcome(rule, message, [], no_fix_reason="the command is empty")
    if notes:
        if len(notes) == 1:  # one value: said in the singular
            split = dialect.argument_split_note.replace("their values", "its value")
            message += f" ({notes[0]} now reaches the program as one argument{split})"
        else:
            message += f" ({', '.join(notes)} now reach the program as one argument each{dialect.argument_split_note})"
    if refused_args:
        unsafe = True
        message += (f" (the shim split each argument as a command of its own and refused {', '.join(refused_args)},"
                    " so this call fails today; the fix splits the arguments as v0's shell did)")
    return Outcome(rule, message, items, Applicability.UNSAFE if unsafe else Applicability.SAFE)


def _shim_accepts(argument: str) -> bool:
    """Whether the shim's own split of one ``execDockerCmd`` argument succeeded."""
    analysis = analyse_string(argument)
    return analysis.is_splittable and bool(analysis.words)
