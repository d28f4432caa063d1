"""Split a legacy v0 exec command string the way a POSIX shell splits plain words.

The deprecated v0 exec calls handed ONE command string to a shell; the v1
``cli.exec(cmd, args)`` takes argv and runs no shell.  A faithful rewrite must
therefore perform the shell's word splitting and quote removal itself, and must
refuse when the string relies on anything else the shell did: operators
(pipes, chaining, redirections, command substitution, comments) and expansions
(parameters, globs, tildes, braces, assignments).

The input may be a JS template literal: its decoded static chunks interleaved
with :class:`Subst` markers for the ``${expr}`` substitutions.  This module is
pure stdlib and imports nothing else from ``migrator``.

Offset convention
-----------------
Every ``start``/``end`` offset (in :class:`Word` and :class:`Problem`) is an
index into the *joined static text*: ``"".join(s for s in segments if
isinstance(s, str))``.  A :class:`Subst` is zero-width: it sits at the offset
equal to the total length of the static text before it.  ``end`` is exclusive.
An offset that falls exactly on a substitution is ambiguous between "end of the
chunk before" and "start of the chunk after"; :func:`locate` resolves it with
its ``side`` argument (use ``side="right"`` for a start offset and
``side="left"`` for an end offset).  Offsets are in decoded characters: a caller
that needs source positions maps them through the decoder's offset table (see
``migrator.js.strings.decode_string_literal_map``).

Assumptions about substitutions
-------------------------------
The shell never saw ``${expr}``: it saw the *value*.  The analysis treats each
substitution as an opaque value that contains no shell-special character.
Substitutions inside double or single quotes then stay inside their word
whatever their value (barring a value holding the closing quote); an unquoted
substitution stays one word only if its value is non-empty and free of blanks
and specials, which cannot be checked statically -- :attr:`Word.unquoted_substs`
lets the caller mark such fixes unsafe.  Where even the opaque assumption does
not fix the shell's reading (right after an unquoted ``$`` or a backslash,
touching an operator, inside ``$(...)``/comments, before an assignment's
``=``), a ``"substitution"`` problem is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Subst",
    "Word",
    "Problem",
    "Analysis",
    "ShellCommandError",
    "ChainedCommandError",
    "ExpansionError",
    "ShellSyntaxError",
    "analyse",
    "analyse_string",
    "split_command",
    "quote_argv",
    "locate",
]


# ---------------------------------------------------------------------------
# Public data model
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Subst:
    """A template-literal substitution ``${expr}``, identified by its index in the template."""

    index: int


@dataclass(frozen=True)
class Word:
    """One argv word as the shell would build it.

    ``parts`` are the adjacent pieces of the word in order: ``str`` pieces are the
    final literal text (quotes and escapes removed, adjacent pieces merged) and
    :class:`Subst` pieces are substitutions.  A word may have no parts at all
    (``''`` or ``""``): it is then an empty argument, which the shell keeps.
    """

    parts: tuple[str | Subst, ...]
    start: int
    end: int
    quoted_substs: frozenset[int] = frozenset()
    """Substitutions that stood inside quotes (double quotes, or single quotes --
    JS substituted the value before the shell saw it, so the value sat inside the
    single quotes).  Either way the value cannot change the word boundaries."""
    single_quoted_substs: frozenset[int] = frozenset()
    """The subset of :attr:`quoted_substs` that stood inside single quotes."""

    @property
    def is_static(self) -> bool:
        """True when the word holds no substitution."""
        return not any(isinstance(p, Subst) for p in self.parts)

    @property
    def text(self) -> str:
        """The word's literal text; only defined for static words."""
        if not self.is_static:
            raise ValueError("word contains a template substitution; it has no static text")
        return "".join(self.parts)  # type: ignore[arg-type]

    @property
    def substs(self) -> tuple[int, ...]:
        """Indices of the substitutions in this word, in order."""
        return tuple(p.index for p in self.parts if isinstance(p, Subst))

    @property
    def unquoted_substs(self) -> frozenset[int]:
        """Substitutions that stood outside any quotes: the shell would have split their value."""
        return frozenset(self.substs) - self.quoted_substs


@dataclass(frozen=True)
class Problem:
    """Something in the command that v1 exec (no shell) cannot reproduce.

    ``kind`` is one of ``"operator"``, ``"expansion"``, ``"substitution"``,
    ``"syntax"`` or, in :attr:`Analysis.host_divergence`, ``"host-quoting"``.
    """

    kind: str
    text: str
    start: int
    end: int
    message: str
    subst: int | None = None
    """For ``"substitution"`` problems, the index of the substitution concerned."""


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`analyse`."""

    words: tuple[Word, ...]
    problems: tuple[Problem, ...]
    host_divergence: tuple[Problem, ...]
    subst_indices: tuple[int, ...] = ()
    """Every substitution present in the input, in order (including ones swallowed
    by a comment or a command substitution)."""

    @property
    def operators(self) -> tuple[Problem, ...]:
        return self._of_kind("operator")

    @property
    def expansions(self) -> tuple[Problem, ...]:
        return self._of_kind("expansion")

    @property
    def substitution_problems(self) -> tuple[Problem, ...]:
        return self._of_kind("substitution")

    @property
    def syntax_errors(self) -> tuple[Problem, ...]:
        return self._of_kind("syntax")

    @property
    def is_splittable(self) -> bool:
        """True when the words are exactly what the shell would have passed as argv."""
        return not self.problems

    @property
    def is_static(self) -> bool:
        """True when the input holds no substitution at all."""
        return not self.subst_indices

    @property
    def argv(self) -> list[str]:
        """The argv of a splittable, static command."""
        if not self.is_splittable:
            raise ValueError("the command has shell problems; it has no faithful argv")
        if not self.is_static:
            raise ValueError("the command has template substitutions; it has no static argv")
        return [w.text for w in self.words]

    def _of_kind(self, kind: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == kind)


class UnknownCommand(Exception):
    """An expression in code is not a string the analyser can read; the message says what it is.
    Each front-end raises it (as its ``Unknown``) when it reads a command from its syntax tree."""


class ShellCommandError(ValueError):
    """A legacy command string that cannot be turned into argv without a shell."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.problems = tuple(problems)


class ChainedCommandError(ShellCommandError):
    """The command uses shell operators (pipes, chaining, redirections, substitutions, comments)."""


class ExpansionError(ShellCommandError):
    """The command relies on shell expansions (variables, globs, ``~``, braces, assignments)."""


class ShellSyntaxError(ShellCommandError):
    """The command is not valid shell (unterminated quote, trailing backslash)."""


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

_LITERAL_TAIL = "v1 exec runs no shell, so it would reach the program as a literal argument"

_OPERATOR_WHAT = {
    "|": "is a shell pipe",
    "|&": "is a shell pipe (of stdout and stderr)",
    "||": "runs the next command only if the first fails",
    "&&": "runs the next command only if the first succeeds",
    ";": "separates two shell commands",
    ";;": "ends a shell case branch",
    "&": "runs a shell command in the background",
    "(": "opens a shell subshell",
    ")": "closes a shell subshell",
    "<<": "starts a shell here-document",
    "<<-": "starts a shell here-document",
    "<<<": "is a bash here-string",
    "<(": "is a bash process substitution",
    ">(": "is a bash process substitution",
}

# sh reserved words plus the bash keywords; they only matter as a command's first word.
_RESERVED_WORDS = frozenset(
    "! { } [[ if then else elif fi do done case esac while until for in function select "
    "time coproc".split()
)

_OPERATORS = sorted(
    ["<<<", "<<-", "&>>", "||", "&&", ";;", "|&", ">>", ">&", ">|", "<<", "<&", "<>", "&>",
     "<(", ">(", "|", "&", ";", "<", ">", "(", ")"],
    key=len,
    reverse=True,
)


def _operator_message(text: str) -> str:
    core = text.lstrip("0123456789")
    what = _OPERATOR_WHAT.get(core)
    if what is None:
        what = "is a shell redirection"
    return f"`{text}` {what}; {_LITERAL_TAIL}"


# How a substitution shows in a problem's text: its value is unknown.
_SUBST_TEXT = "${…}"


# ---------------------------------------------------------------------------
# Scanner internals
# ---------------------------------------------------------------------------

# An item is one decoded character or one substitution, with its joined offset.
_Item = tuple["str | Subst", int]

_NAME_START = re.compile(r"[A-Za-z_]")
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")
_SPECIAL_PARAMS = "@*#?-$!0123456789"
_ASSIGNMENT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# Atom quoting marks: how a character reached its word.
_UNQUOTED = ""
_SQ = "'"
_DQ = '"'
_ESCAPED = "\\"
_RAW = "$"  # raw text of a construct already reported (expansion, command substitution)


@dataclass
class _Atom:
    value: str | Subst
    start: int
    end: int
    quote: str


@dataclass
class _RawWord:
    start: int
    group: int
    atoms: list[_Atom] = field(default_factory=list)
    end: int = 0
    quoted: bool = False  # any quoting or escaping: an all-digit word is then no io-number

    def add(self, value: str | Subst, start: int, end: int, quote: str) -> None:
        self.atoms.append(_Atom(value, start, end, quote))
        self.end = max(self.end, end)


def _items(segments: Sequence[str | Subst]) -> list[_Item]:
    items: list[_Item] = []
    pos = 0
    for seg in segments:
        if isinstance(seg, Subst):
            items.append((seg, pos))
        elif isinstance(seg, str):
            items.extend((ch, pos + k) for k, ch in enumerate(seg))
            pos += len(seg)
        else:
            raise TypeError(f"segments must be str or Subst, not {type(seg).__name__}")
    return items


def _drop_line_continuations(items: list[_Item]) -> list[_Item]:
    """Remove backslash-newline pairs outside single quotes.

    The shell removes them before it recognises tokens, so ``$\\<nl>HOME`` is
    ``$HOME``; doing it up front keeps every later look-ahead simple.  Quote
    tracking here is deliberately shallow: it only misjudges strings that
    nest quotes in ``$(...)`` or comments, which are reported anyway.
    """
    out: list[_Item] = []
    state = _UNQUOTED
    i = 0
    while i < len(items):
        ch = items[i][0]
        nxt = items[i + 1][0] if i + 1 < len(items) else None
        if state != _SQ and ch == "\\":
            if nxt != "\n":
                out.extend(items[i:i + 2])
            i += 2
            continue
        if state == _UNQUOTED and ch in ("'", '"'):
            state = ch
        elif state != _UNQUOTED and ch == state:
            state = _UNQUOTED
        out.append(items[i])
        i += 1
    return out


class _Scanner:
    """Tokenise the items into raw words and problems (sh 'plain words' rules)."""

    def __init__(self, items: list[_Item], text_end: int):
        self.items = items
        self.text_end = text_end
        self.i = 0
        self.word: _RawWord | None = None
        self.words: list[_RawWord] = []
        self.problems: list[Problem] = []
        self.host: list[Problem] = []
        self.operator_spans: list[tuple[int, int]] = []
        self.group = 0
        self.pending_newline: int | None = None
        self.seen_content = False
        self.after_operator = False

    # -- helpers -----------------------------------------------------------

    def peek(self, k: int = 0) -> str | Subst | None:
        j = self.i + k
        return self.items[j][0] if j < len(self.items) else None

    def offset(self, k: int = 0) -> int:
        j = self.i + k
        return self.items[j][1] if j < len(self.items) else self.text_end

    def end_offset(self, j: int) -> int:
        """Offset just after item j (zero width for a substitution)."""
        value, off = self.items[j]
        return off if isinstance(value, Subst) else off + 1

    def problem(self, kind: str, text: str, start: int, end: int, message: str,
                subst: int | None = None) -> None:
        self.problems.append(Problem(kind, text, start, end, message, subst))

    def text_of(self, i: int, j: int) -> str:
        return "".join(
            _SUBST_TEXT if isinstance(v, Subst) else v for v, _ in self.items[i:j]
        )

    def content(self, is_operator: bool = False) -> None:
        """Note that a word or operator starts; a newline before it split two commands."""
        if self.pending_newline is not None and self.seen_content and not self.after_operator:
            off = self.pending_newline
            self.problem("operator", "\n", off, off + 1,
                         "a newline here starts a second shell command; v1 exec runs no shell, "
                         "so the newline and the next command would reach the program as "
                         "literal text")
            self.group += 1
        self.pending_newline = None
        self.seen_content = True
        self.after_operator = is_operator

    def ensure_word(self, start: int) -> _RawWord:
        if self.word is None:
            self.content()
            self.word = _RawWord(start=start, group=self.group, end=start)
        return self.word

    def end_word(self) -> None:
        if self.word is not None:
            self.words.append(self.word)
            self.word = None

    def add(self, quote: str, k: int = 0) -> None:
        """Add item i+k to the current word with the given quoting."""
        value, off = self.items[self.i + k]
        word = self.ensure_word(off)
        word.add(value, off, self.end_offset(self.i + k), quote)

    def subst_problem(self, value: Subst, start: int, end: int, text: str, why: str) -> None:
        self.problem("substitution", text, start, end,
                     f"`{text}`: {why}; what the shell made of it depends on the value, "
                     "so it cannot be turned into argv safely", value.index)

    # -- main loop -----------------------------------------------------------

    def run(self) -> None:
        while self.i < len(self.items):
            self.step()
        self.end_word()

    def step(self) -> None:
        ch = self.peek()
        if isinstance(ch, Subst):
            self.add(_UNQUOTED)
            self.i += 1
        elif ch in (" ", "\t"):
            self.end_word()
            self.i += 1
        elif ch == "\n":
            self.end_word()
            if self.pending_newline is None:
                self.pending_newline = self.offset()
            self.i += 1
        elif ch == "'":
            self.single_quote()
        elif ch == '"':
            self.double_quote()
        elif ch == "\\":
            self.backslash()
        elif ch == "$":
            self.dollar(_UNQUOTED)
        elif ch == "`":
            self.backtick()
        elif ch == "#" and self.word is None:
            self.comment()
        elif ch in "|&;<>()":
            self.operator()
        else:
            self.add(_UNQUOTED)
            self.i += 1

    # -- quoting -------------------------------------------------------------

    def single_quote(self) -> None:
        open_i, open_off = self.i, self.offset()
        word = self.ensure_word(open_off)
        word.quoted = True
        self.i += 1
        while self.i < len(self.items):
            if self.peek() == "'":
                word.end = self.offset() + 1
                self.i += 1
                self.host_single_quote(open_i, open_off)
                return
            self.add(_SQ)
            self.i += 1
        self.unterminated("'", open_off, "single quote")

    def double_quote(self) -> None:
        open_off = self.offset()
        word = self.ensure_word(open_off)
        word.quoted = True
        self.i += 1
        while self.i < len(self.items):
            ch = self.peek()
            if ch == '"':
                word.end = self.offset() + 1
                self.i += 1
                return
            if ch == "\\":
                self.dq_backslash()
            elif ch == "$":
                self.dollar(_DQ)
            elif ch == "`":
                self.backtick()
            else:
                self.add(_DQ)
                self.i += 1
        self.unterminated('"', open_off, "double quote")

    def unterminated(self, text: str, start: int, what: str) -> None:
        self.problem("syntax", text, start, start + len(text),
                     f"`{text}` opens a {what} that is never closed, so a shell would reject the "
                     "command")

    def backslash(self) -> None:
        off = self.offset()
        nxt = self.peek(1)
        if nxt == "\n":  # a line continuation the pre-pass missed: it vanishes
            self.i += 2
            return
        word = self.ensure_word(off)
        word.quoted = True
        if nxt is None:
            self.problem("syntax", "\\", off, off + 1,
                         "`\\` at the end of the command escapes nothing; shells disagree on "
                         "what it means")
            word.add("\\", off, off + 1, _ESCAPED)
            self.i += 1
            return
        if isinstance(nxt, Subst):
            self.subst_problem(nxt, off, off + 1, "\\" + _SUBST_TEXT,
                               "a backslash escapes the first character of this value")
        else:
            self.host_backslash(off)
        self.add(_ESCAPED, 1)
        self.i += 2

    def dq_backslash(self) -> None:
        off = self.offset()
        nxt = self.peek(1)
        if isinstance(nxt, Subst):
            self.subst_problem(nxt, off, off + 1, "\\" + _SUBST_TEXT,
                               "a backslash inside double quotes may escape the first character "
                               "of this value")
            self.add(_DQ)
            self.i += 1
        elif nxt is not None and nxt in '$`"\\\n':
            # Only these four (and newline) are escapable inside double quotes.
            if nxt != "\n":
                self.host_backslash(off)
                self.add(_DQ, 1)
            self.i += 2
        else:
            self.add(_DQ)
            self.i += 1

    # -- host (Windows cmd.exe) divergence --------------------------------

    def host_single_quote(self, open_i: int, open_off: int) -> None:
        end = self.offset(-1) + 1
        text = self.text_of(open_i, self.i)
        self.host.append(Problem(
            "host-quoting", text, open_off, end,
            f"`{text}`: sh removes these single quotes, but Windows cmd.exe does not treat `'` "
            "as a quote, so on a Windows host the program received the quotes (and the text "
            "was split at any spaces inside)"))

    def host_backslash(self, off: int) -> None:
        nxt = self.peek(1)
        text = "\\" + (nxt if isinstance(nxt, str) else "")
        self.host.append(Problem(
            "host-quoting", text, off, off + len(text),
            f"`{text}`: sh removes this backslash, but Windows cmd.exe does not treat `\\` "
            "as an escape, so on a Windows host the program received it"))

    # -- dollar constructs -------------------------------------------------

    def dollar(self, quote: str) -> None:
        nxt = self.peek(1)
        if isinstance(nxt, Subst):
            off = self.offset()
            self.subst_problem(nxt, off, off + 1, "$" + _SUBST_TEXT,
                               "this value follows a `$`, so the shell read it as a parameter "
                               "name")
            self.add(_RAW)
            self.add(_RAW, 1)
            self.i += 2
        elif nxt == "(":
            self.dollar_paren()
        elif nxt == "{":
            self.span_construct(self.match_closer(self.i + 1, "{", "}"), "expansion",
                                "${", "parameter expansion")
        elif isinstance(nxt, str) and _NAME_START.match(nxt):
            j = self.i + 2
            while j < len(self.items) and isinstance(self.items[j][0], str) \
                    and _NAME_CHAR.match(self.items[j][0]):
                j += 1
            self.expansion_span(j)
        elif nxt is not None and nxt in _SPECIAL_PARAMS:
            self.expansion_span(self.i + 2)
        elif quote == _UNQUOTED and nxt in ("'", '"'):
            self.span_construct(self.match_quote(self.i + 1, nxt), "expansion", "$" + nxt,
                                "bash quoting form (`$'...'` or `$\"...\"`) that plain sh "
                                "reads differently")
        elif nxt == "[":
            self.span_construct(self.match_closer(self.i + 1, "[", "]"), "expansion", "$[",
                                "bash arithmetic expansion")
        else:
            # A `$` before a blank, the end, or a non-name character is literal.
            self.add(quote)
            self.i += 1

    def dollar_paren(self) -> None:
        if self.peek(2) == "(":
            self.span_construct(self.match_closer(self.i + 1, "(", ")"), "expansion", "$((",
                                "arithmetic expansion")
        else:
            self.span_construct(self.match_closer(self.i + 1, "(", ")"), "operator", "$(",
                                "command substitution (it runs another command)")

    def expansion_span(self, j: int) -> None:
        start = self.offset()
        text = self.text_of(self.i, j)
        self.problem("expansion", text, start, self.end_offset(j - 1),
                     f"`{text}` is expanded by the shell; v1 exec runs no shell, so the program "
                     f"would receive the literal text `{text}`")
        self.raw_span(j)

    def span_construct(self, j: int | None, kind: str, opener: str, what: str) -> None:
        """Report a delimited construct (``${..}``, ``$(..)``...) ending before item j."""
        start = self.offset()
        if j is None:
            self.unterminated(opener, start, "shell construct")
            j = len(self.items)
        else:
            text = self.text_of(self.i, j)
            tail = _LITERAL_TAIL if kind == "operator" else \
                f"v1 exec runs no shell, so the program would receive the literal text `{text}`"
            self.problem(kind, text, start, self.end_offset(j - 1), f"`{text}` is a {what}; {tail}")
        self.swallowed_substs(self.i, j, "it is inside a shell construct (`" + opener + "`)")
        self.raw_span(j)

    def raw_span(self, j: int) -> None:
        """Keep an already reported construct in its word as literal text, as v1 would pass it."""
        while self.i < j:
            self.add(_RAW)
            self.i += 1

    def swallowed_substs(self, i: int, j: int, why: str) -> None:
        for value, off in self.items[i:j]:
            if isinstance(value, Subst):
                self.subst_problem(value, off, off, _SUBST_TEXT, why)

    def match_closer(self, j: int, opener: str, closer: str) -> int | None:
        """Index after the closer matching the opener at item j, skipping quotes."""
        depth = 0
        while j < len(self.items):
            ch = self.items[j][0]
            if ch == "\\":
                j += 2
                continue
            if ch in ("'", '"') and opener != "[":
                end = self.match_quote(j, ch)
                if end is None:
                    return None
                j = end
                continue
            if ch == opener:
                depth += 1
            elif ch == closer:
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return None

    def match_quote(self, j: int, quote: str) -> int | None:
        """Index after the quote closing the one at item j."""
        k = j + 1
        while k < len(self.items):
            ch = self.items[k][0]
            if ch == "\\" and quote == '"':
                k += 2
                continue
            if ch == quote:
                return k + 1
            k += 1
        return None

    def backtick(self) -> None:
        j = self.i + 1
        while j < len(self.items) and self.items[j][0] != "`":
            j += 2 if self.items[j][0] == "\\" else 1
        end = j + 1 if j < len(self.items) else None
        self.span_construct(end, "operator", "`", "command substitution (it runs another "
                            "command)")

    # -- operators and comments ---------------------------------------------

    def comment(self) -> None:
        j = self.i
        while j < len(self.items) and self.items[j][0] != "\n":
            j += 1
        start = self.offset()
        text = self.text_of(self.i, j)
        self.content()
        self.problem("operator", text, start, self.end_offset(j - 1),
                     f"`#` starts a shell comment, so the shell ignored `{text}`; {_LITERAL_TAIL}")
        self.swallowed_substs(self.i, j, "it is inside a shell comment")
        self.i = j

    def operator(self) -> None:
        op = self.match_operator()
        start_i, start = self.i, self.offset()
        digits = ""
        if op[0] in "<>" and self.word is not None and self.is_io_number(self.word):
            # `2>&1`: digits touching a redirection are its file descriptor, not a word.
            digits = "".join(a.value for a in self.word.atoms)  # type: ignore[misc]
            start = self.word.start
            self.word = None
        self.end_word()
        j = self.i + len(op)
        if op in (">&", "<&"):
            while j < len(self.items) and isinstance(self.items[j][0], str) \
                    and ("0" <= self.items[j][0] <= "9" or self.items[j][0] == "-"):
                j += 1
        text = digits + self.text_of(start_i, j)
        end = self.end_offset(j - 1)
        self.content(is_operator=True)
        self.problem("operator", text, start, end, _operator_message(text))
        self.operator_spans.append((start, end))
        if op not in ("<", ">", ">>", ">&", "<&", ">|", "<>", "&>", "&>>"):
            self.group += 1  # a new simple command starts
        self.i = j

    def match_operator(self) -> str:
        for op in _OPERATORS:
            chunk = self.items[self.i:self.i + len(op)]
            if len(chunk) == len(op) and all(v == c for (v, _), c in zip(chunk, op)):
                return op
        raise AssertionError("operator() called on a non-operator character")

    @staticmethod
    def is_io_number(word: _RawWord) -> bool:
        return (not word.quoted and bool(word.atoms)
                and all(isinstance(a.value, str) and a.value.isdigit() and a.value.isascii()
                        for a in word.atoms))


# ---------------------------------------------------------------------------
# Word-level checks: globs, braces, tildes, assignments, reserved words
# ---------------------------------------------------------------------------


def _plain(atom: _Atom, chars: str) -> bool:
    return atom.quote == _UNQUOTED and isinstance(atom.value, str) and atom.value in chars


def _atoms_text(atoms: Iterable[_Atom]) -> str:
    return "".join(_SUBST_TEXT if isinstance(a.value, Subst) else a.value
                   for a in atoms)


def _expansion(atoms: list[_Atom], what: str) -> Problem:
    text = _atoms_text(atoms)
    return Problem("expansion", text, atoms[0].start, atoms[-1].end,
                   f"`{text}` is {what}; v1 exec runs no shell, so the program would receive "
                   f"the literal text `{text}`")


def _glob_problems(atoms: list[_Atom]) -> list[Problem]:
    found = []
    next_close = _next_index(atoms, lambda a: a.value == "]")
    for k, atom in enumerate(atoms):
        if _plain(atom, "*?"):
            found.append(_expansion([atom], "a shell glob (filename pattern)"))
        elif _plain(atom, "[") and next_close[k] is not None:
            # Conservative: any later `]` in the word may close a bracket expression.
            found.append(_expansion(atoms[k:next_close[k] + 1], "a shell glob (filename pattern)"))
    return found


def _next_index(atoms: list[_Atom], test) -> list[int | None]:
    """For each position, the index of the first later atom passing `test` (linear time)."""
    result: list[int | None] = [None] * len(atoms)
    following: int | None = None
    for k in range(len(atoms) - 1, -1, -1):
        result[k] = following
        if test(atoms[k]):
            following = k
    return result


def _brace_problems(atoms: list[_Atom]) -> list[Problem]:
    """Bash brace expansion: an unquoted `{...}` holding an unquoted `,` or `..`."""
    # Prefix counts make each pair's check constant time, so deep nesting stays linear.
    commas = _prefix_counts(atoms, lambda k: _plain(atoms[k], ","))
    dots = _prefix_counts(atoms, lambda k: k > 0 and _plain(atoms[k], ".")
                          and _plain(atoms[k - 1], "."))
    found = []
    for open_k, close_k in _brace_pairs(atoms):
        has_comma = commas[close_k] - commas[open_k + 1] > 0
        has_dots = dots[close_k] - dots[open_k + 2] > 0 if close_k > open_k + 2 else False
        if has_comma or has_dots:
            found.append(_expansion(atoms[open_k:close_k + 1], "a bash brace expansion"))
    return found


def _prefix_counts(atoms: list[_Atom], test) -> list[int]:
    """counts[k] = how many positions before k pass `test`."""
    counts = [0]
    for k in range(len(atoms)):
        counts.append(counts[-1] + bool(test(k)))
    return counts


def _brace_pairs(atoms: list[_Atom]) -> list[tuple[int, int]]:
    stack: list[int] = []
    pairs = []
    for k, atom in enumerate(atoms):
        if _plain(atom, "{"):
            stack.append(k)
        elif _plain(atom, "}") and stack:
            pairs.append((stack.pop(), k))
    return pairs


def _tilde_problems(atoms: list[_Atom]) -> list[Problem]:
    """`~` at word start (POSIX rule: the prefix up to the first unquoted `/` must be unquoted),
    and, conservatively, after `=` or `:` in an assignment-shaped word (bash does that)."""
    found = []
    if atoms and _plain(atoms[0], "~"):
        prefix = []
        for atom in atoms:
            if _plain(atom, "/"):
                break
            prefix.append(atom)
        if all(a.quote == _UNQUOTED for a in prefix):
            found.append(_expansion(prefix, "a shell home-directory (tilde) expansion"))
    if _assignment_name(atoms) is not None:
        for prev, atom in zip(atoms, atoms[1:]):
            if _plain(atom, "~") and _plain(prev, "=:"):
                found.append(_expansion([atom], "a tilde expansion inside an assignment"))
    return found


def _assignment_name(atoms: list[_Atom]) -> str | None:
    """NAME if the word reads as `NAME=value` (NAME unquoted), else None."""
    name = []
    for atom in atoms:
        if _plain(atom, "="):
            text = "".join(name)
            return text if _ASSIGNMENT_NAME.match(text) else None
        if atom.quote != _UNQUOTED or not isinstance(atom.value, str):
            return None
        name.append(atom.value)
    return None


def _subst_before_equals(atoms: list[_Atom]) -> _Atom | None:
    """The substitution in `A${x}=v`: its value decides whether the word is an assignment."""
    eq = next((k for k, a in enumerate(atoms) if _plain(a, "=")), None)
    if eq is None:
        return None
    prefix = atoms[:eq]
    if not all(a.quote == _UNQUOTED for a in prefix):
        return None
    if not all(isinstance(a.value, Subst) or _NAME_CHAR.match(a.value) for a in prefix):
        return None
    if prefix and isinstance(prefix[0].value, str) and not _NAME_START.match(prefix[0].value):
        return None
    return next((a for a in prefix if isinstance(a.value, Subst)), None)


def _command_position_problems(words: list[_RawWord]) -> list[Problem]:
    """Leading `NAME=value` words are assignments; the first real word may be a reserved word."""
    found = []
    seen_groups: set[int] = set()
    for word in words:
        if word.group in seen_groups:
            continue
        name = _assignment_name(word.atoms)
        if name is not None:
            text = _atoms_text(word.atoms)
            found.append(Problem(
                "expansion", text, word.start, word.end,
                f"`{text}` at the start of a command is a shell variable assignment for "
                f"`{name}`; v1 exec runs no shell, so it would become the program name or an "
                "argument"))
            continue
        seen_groups.add(word.group)
        found.extend(_reserved_or_subst(word))
    return found


def _reserved_or_subst(word: _RawWord) -> list[Problem]:
    atom = _subst_before_equals(word.atoms)
    if atom is not None:
        text = _atoms_text(word.atoms)
        return [Problem("substitution", text, word.start, word.end,
                        f"`{text}`: if the value of `${{…}}` is a valid name, the shell read this "
                        "word as a variable assignment; it cannot be turned into argv safely",
                        atom.value.index)]
    text = _atoms_text(word.atoms)
    if word.atoms and all(a.quote == _UNQUOTED for a in word.atoms) and text in _RESERVED_WORDS:
        return [Problem("operator", text, word.start, word.end,
                        f"`{text}` is a shell reserved word here; {_LITERAL_TAIL}")]
    return []


def _word_problems(words: list[_RawWord]) -> list[Problem]:
    found = []
    for word in words:
        found += _glob_problems(word.atoms)
        found += _brace_problems(word.atoms)
        found += _tilde_problems(word.atoms)
    return found + _command_position_problems(words)


def _operator_touch_problems(words: list[_RawWord], spans: list[tuple[int, int]]) -> list[Problem]:
    """Substitutions in a word that touches an operator: their role (fd number, redirection
    target, part of the operator) depends on the value."""
    found = []
    starts = {s for s, _ in spans}
    ends = {e for _, e in spans}
    for word in words:
        if word.end not in starts and word.start not in ends:
            continue
        for atom in word.atoms:
            if isinstance(atom.value, Subst) and atom.quote != _RAW:
                found.append(Problem(
                    "substitution", _SUBST_TEXT, atom.start, atom.end,
                    "`${…}` touches a shell operator, so its role (argument, file descriptor "
                    "or redirection target) depends on the value; it cannot be turned into "
                    "argv safely", atom.value.index))
    return found


# ---------------------------------------------------------------------------
# cmd.exe reading (host commands on Windows)
# ---------------------------------------------------------------------------

_CMD_VARIABLE = re.compile(r"%[A-Za-z_][A-Za-z0-9_]*(?:\(x86\))?%")


def _cmd_exe_divergence(segments: Sequence[str | Subst]) -> list[Problem]:
    """`^` outside cmd.exe's double quotes, and `%NAME%` anywhere: cmd.exe treats both
    specially, sh passes both through."""
    found = []
    pos = 0
    in_dq = False
    for seg in segments:
        if not isinstance(seg, str):
            continue
        for k, ch in enumerate(seg):
            if ch == '"':
                in_dq = not in_dq  # cmd.exe has no escape for `"`: every one toggles
            elif ch == "^" and not in_dq:
                found.append(Problem(
                    "host-quoting", "^", pos + k, pos + k + 1,
                    "`^` is the escape character of Windows cmd.exe, which removed it on a "
                    "Windows host; sh passes it through"))
        for m in _CMD_VARIABLE.finditer(seg):
            found.append(Problem(
                "host-quoting", m.group(), pos + m.start(), pos + m.end(),
                f"`{m.group()}` is expanded by Windows cmd.exe on a Windows host; sh passes it "
                "through literally"))
        pos += len(seg)
    return found


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def _to_word(raw: _RawWord) -> Word:
    parts: list[str | Subst] = []
    quoted: set[int] = set()
    single: set[int] = set()
    for atom in raw.atoms:
        if isinstance(atom.value, Subst):
            parts.append(atom.value)
            if atom.quote in (_SQ, _DQ):
                quoted.add(atom.value.index)
            if atom.quote == _SQ:
                single.add(atom.value.index)
        elif parts and isinstance(parts[-1], str):
            parts[-1] += atom.value
        else:
            parts.append(atom.value)
    return Word(tuple(parts), raw.start, raw.end, frozenset(quoted), frozenset(single))


def _sorted(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    unique = dict.fromkeys(problems)  # the same problem may be found twice; keep the first
    return tuple(sorted(unique, key=lambda p: (p.start, p.end)))


def analyse(segments: Sequence[str | Subst]) -> Analysis:
    """Analyse a command given as decoded static chunks interleaved with substitutions.

    Returns the words a POSIX shell would have built (best effort when there are
    problems: constructs the shell would have interpreted stay in the words as the
    literal text v1 exec would pass), the problems that make the command
    unsplittable, and the places where Windows cmd.exe would have read the
    command differently from sh.  See the module docstring for the offset
    convention and the assumptions about substitutions.

    The answer depends on the segments alone and is immutable, so it is kept: several rules
    look at the same call, and an extension runs the same commands from many places.
    """
    key = tuple(segments)
    found = _ANALYSED.get(key)
    if found is None:
        if len(_ANALYSED) >= _ANALYSED_LIMIT:
            _ANALYSED.clear()
        found = _ANALYSED[key] = _analyse(segments)
    return found


# Analyses by segments (the scanner reads a character at a time: about 0.15 ms a command).
_ANALYSED: dict[tuple, Analysis] = {}
_ANALYSED_LIMIT = 4096


def _analyse(segments: Sequence[str | Subst]) -> Analysis:
    items = _items(segments)
    text_end = sum(len(s) for s in segments if isinstance(s, str))
    scanner = _Scanner(_drop_line_continuations(items), text_end)
    scanner.run()
    problems = scanner.problems + _word_problems(scanner.words) + \
        _operator_touch_problems(scanner.words, scanner.operator_spans)
    host = scanner.host + _cmd_exe_divergence(segments)
    return Analysis(
        words=tuple(_to_word(w) for w in scanner.words),
        problems=_sorted(problems),
        host_divergence=_sorted(host),
        subst_indices=tuple(v.index for v, _ in items if isinstance(v, Subst)),
    )


def analyse_string(command: str) -> Analysis:
    """Analyse a fully static command string (``analyse([command])``)."""
    return analyse([command])


_ERROR_FOR_KIND = {
    "syntax": ShellSyntaxError,
    "operator": ChainedCommandError,
    "substitution": ChainedCommandError,
    "expansion": ExpansionError,
}


def split_command(command: str) -> list[str]:
    """Split a static legacy command string into argv exactly as ``sh`` would.

    Raises :class:`ShellSyntaxError`, :class:`ChainedCommandError` or
    :class:`ExpansionError` (all :class:`ShellCommandError`, a ``ValueError``)
    when the string needs a shell; the message names the offending text.  A
    syntax error wins over an operator, which wins over an expansion.
    """
    analysis = analyse_string(command)
    if analysis.is_splittable:
        return analysis.argv
    for kind in ("syntax", "operator", "substitution", "expansion"):
        found = [p for p in analysis.problems if p.kind == kind]
        if found:
            first = found[0]
            more = len(analysis.problems) - 1
            suffix = f" (and {more} more problem{'s' * (more > 1)})" if more else ""
            raise _ERROR_FOR_KIND[kind](
                f"cannot run {command!r} without a shell: {first.message}{suffix}",
                analysis.problems)
    raise AssertionError("unreachable: problems of an unknown kind")


_SAFE_CHARS = frozenset("_@%+=:,./-")


def _needs_quotes(arg: str, first: bool) -> bool:
    if not arg or not all(c.isalnum() or c in _SAFE_CHARS for c in arg):
        return True
    if first and (arg in _RESERVED_WORDS or "=" in arg):
        return True
    return False


def quote_argv(argv: Iterable[str]) -> str:
    """Render argv as a sh command line that :func:`split_command` maps back to argv."""
    out = []
    for k, arg in enumerate(argv):
        if _needs_quotes(arg, first=k == 0):
            out.append("'" + arg.replace("'", "'\\''") + "'")
        else:
            out.append(arg)
    return " ".join(out)


def locate(segments: Sequence[str | Subst], offset: int, side: str = "right") -> tuple[int, int]:
    """Map a joined-text offset to ``(segment index, offset inside that segment)``.

    At a boundary between chunks (where substitutions sit), ``side="left"`` picks
    the end of the chunk before and ``side="right"`` the start of the chunk
    after.  Raises ``ValueError`` if the offset lies outside the static text.
    """
    if side not in ("left", "right"):
        raise ValueError("side must be 'left' or 'right'")
    candidates = []
    pos = 0
    for k, seg in enumerate(segments):
        if isinstance(seg, str):
            if pos <= offset <= pos + len(seg):
                candidates.append((k, offset - pos))
            pos += len(seg)
    if not candidates:
        raise ValueError(f"offset {offset} is outside the static text")
    return candidates[0] if side == "left" else candidates[-1]
