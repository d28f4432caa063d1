"""What a v1 ``exec(cmd, args)`` is checked for, whoever wrote it: the shell syntax, the
expansions and the quotes that v1 exec (no shell) passes to the program as text, and a
command name holding several words.

Shared by the rules on v1 calls already written (``exec-command-string``,
``quoted-exec-argument``) and the spawn rules, whose v0 ``(cmd, args)`` become v1's as they
are: a spawn fix must not write a call that those rules then flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migrator.core.model import Edit
from migrator.js import strings as jsstrings
from migrator.js.command import Command, Unknown, read_command, word_source
from migrator.js.resolve import unwrap
from migrator.migration.execs import SCRIPT_FLAGS, SHELLS
from migrator.migration.shell import Word
from migrator.migration.table import CHAINED, EXPANSION, HOST, VM, Reported

# An argument that is one of these, or holds one between words, was written for a shell.
OPERATOR_TOKENS = frozenset({"|", "||", "&&", ";", "&", ">", ">>", "<", "<<", "2>&1", "2>", "&>", "|&", "$(", "`"})

# A whole argument in matching quotes, or an option's value after `=` (`--format='{{json .}}'`).
QUOTED = re.compile(r"((?:--?)?[A-Za-z0-9_.:-]+=)?(['\"])(.*)\2", re.DOTALL)


@dataclass(eq=False, repr=False)
class ShellProblem:
    """A command name or an argument that needs a shell: no exec call can run it as written."""

    rule: Reported  # chained-shell-command or shell-expansion
    node: object  # what the finding points at: the call for the command name, else the argument
    detail: str  # "holds shell syntax (`|`): ..." without the subject
    advice: str  # what to do instead, for where the program runs
    reason: str  # why there is no fix

    def message(self, what: str) -> str:
        return f"{what} {self.detail}. {self.advice}"


@dataclass(eq=False, repr=False)
class QuotedArgument:
    element: object  # the array element as written
    shown: str  # its text, as a message shows it
    fixed: str  # its source without the quotes
    reason: str | None  # why the quotes cannot be removed by a fix, or None

    @property
    def edit(self) -> Edit:
        target = unwrap(self.element)
        return Edit(target.start_byte, target.end_byte, self.fixed)


@dataclass(eq=False, repr=False)
class Argv:
    """What ``examine`` found in one ``(cmd, args)``."""

    problem: ShellProblem | None = None
    problem_in_command: bool = False  # the problem is in the command name (else an argument)
    command: Command | None = None  # the command name, when it is static
    words: list[Word] = field(default_factory=list)  # its words, when there are several
    array: object = None  # the argument array literal, when the arguments are one
    quoted: list[QuotedArgument] = field(default_factory=list)

    @property
    def splits_command(self) -> bool:
        """The command name holds several plain words (and nothing needs a shell)."""
        return len(self.words) > 1 and self.problem is None


def advice(target: str | None) -> str:
    """What to do with a command line, where the program runs: `sh -c` exists only in the Linux
    backend container; the host may be Windows, and `docker.cli.exec` runs docker itself."""
    text = "Run one exec per command and pass results on in JavaScript"
    if target == VM:
        return text + ", or run a script explicitly with `sh -c`"
    if target == HOST:
        return text + " (do not wrap it in `sh -c`: the host may be Windows)"
    return text


def examine(ctx, cmd_node, args_node, target: str | None) -> Argv:
    """Check a v1-shaped ``(cmd, args)``: ``cmd_node`` the command name, ``args_node`` the
    argument array (or None). ``target`` is where the program runs (``VM``, ``HOST``, ``DOCKER``)."""
    found = Argv()
    array = unwrap(args_node) if args_node is not None else None
    if array is not None and array.type == "array":
        found.array = array
    elements = [e for e in array.named_children if e.type != "comment"] if found.array is not None else []
    try:
        command = read_command(ctx, cmd_node)
    except Unknown:
        command = None
    words = []
    if command is not None and command.is_static:
        found.command = command
        problem = _problem(ctx, cmd_node, command, target, args_only=False)
        if problem is not None:
            found.problem, found.problem_in_command = problem, True
        else:
            words = command.analysis.words
            if len(words) > 1:
                found.words = list(words)
    program = words[0].text if words else None
    for element in elements:
        value = _literal_value(ctx, unwrap(element))
        if program in SHELLS and value in SCRIPT_FLAGS:
            break  # the rest is a script for an explicit shell
        try:
            arg = read_command(ctx, element)
        except Unknown:
            arg = None
        if arg is not None and arg.is_static and found.problem is None:
            found.problem = _problem(ctx, element, arg, target, args_only=True)
        quoted = quoted_argument(ctx, element)
        if quoted is not None:
            found.quoted.append(quoted)
    return found


def _problem(ctx, node, command: Command, target: str | None, args_only: bool) -> ShellProblem | None:
    analysis = command.analysis
    text = "".join(command.segments).strip()
    # A lone argument like `a|b` is usually data (a grep pattern); an argument that is an
    # operator, holds one between words, or holds a command substitution (`` `pwd` ``,
    # `$(pwd)`) was written for a shell.
    looks_like_shell = (not args_only or text in OPERATOR_TOKENS or any(c.isspace() for c in text)
                        or any(p.text.startswith(("`", "$(")) for p in analysis.operators))
    at = node if args_only else None  # a finding about an argument points at it
    if analysis.operators and looks_like_shell:
        shown = ", ".join(dict.fromkeys(f"`{p.text}`" for p in analysis.operators))
        return ShellProblem(CHAINED, at, f"holds shell syntax ({shown}): {analysis.operators[0].message}",
                            advice(target), "the intent of a shell command line cannot be guessed")
    # In arguments, a glob character is usually meant literally (docker filters); a `$` or a
    # leading `~` is not.
    expansions = [p for p in analysis.expansions if not args_only or p.text[:1] in ("$", "~")]
    if expansions:
        shown = ", ".join(dict.fromkeys(f"`{p.text}`" for p in expansions))
        return ShellProblem(EXPANSION, at, f"relies on shell expansion ({shown}): {expansions[0].message}",
                            "v1 exec expands nothing: compute the value in JavaScript",
                            "the intended value cannot be known here")
    return None


def split_edits(ctx, found: Argv, has_args: bool) -> list[Edit]:
    """Move the extra words of the command name to the front of the argument array (which
    ``found.array`` must be when ``has_args``; without arguments, an array is added)."""
    command = found.command
    head = word_source(ctx, command, found.words[0])
    extra = [word_source(ctx, command, w) for w in found.words[1:]]
    edits = [Edit(command.node.start_byte, command.node.end_byte, head)]
    if not has_args:
        edits.append(Edit(command.node.end_byte, command.node.end_byte, f", [{', '.join(extra)}]"))
    else:
        array = found.array
        has_items = any(c.type != "comment" for c in array.named_children)
        edits.append(Edit(array.start_byte + 1, array.start_byte + 1, ", ".join(extra) + (", " if has_items else "")))
    return edits


def _literal_value(ctx, node) -> str | None:
    if node.type == "string":
        try:
            return jsstrings.decode_string_literal(ctx.text(node))
        except jsstrings.JSStringError:
            return None
    return None


def quoted_argument(ctx, node) -> QuotedArgument | None:
    """An argument wrapped in quotes that a shell would have removed, or None. A double-quoted
    value holding `$`, a backtick or a backslash was also expanded or unescaped by the shell,
    so only the quotes cannot be removed for it (``reason``)."""
    target = unwrap(node)
    if target.type == "string":
        value = _literal_value(ctx, target)
        if value is None:
            return None
        match = QUOTED.fullmatch(value)
        if match is None or match.group(2) in match.group(3):
            return None
        prefix, quote, inner = match.group(1) or "", match.group(2), match.group(3)
        fixed = jsstrings.encode_string_literal(prefix + inner, ctx.text(target)[0])
        shown = value
    elif target.type == "template_string":
        raw = ctx.text(target)[1:-1]
        match = QUOTED.fullmatch(raw)
        if match is None or match.group(2) in match.group(3) or match.group(3).endswith("\\"):
            return None
        prefix, quote, inner = match.group(1) or "", match.group(2), match.group(3)
        fixed = "`" + prefix + inner + "`"
        shown = raw
    else:
        return None
    reason = None
    if quote == '"' and any(c in inner.replace("${", "") for c in "$`\\"):
        reason = "inside double quotes the shell also expanded `$`, backticks and backslashes; remove the quotes by hand"
    return QuotedArgument(node, shown, fixed, reason)


def quoted_message(quoted: QuotedArgument) -> str:
    return (f"the argument `{quoted.shown}` is wrapped in quotes a shell would have removed; v1 exec runs no shell "
            "and passes them to the program with the value: remove them")
