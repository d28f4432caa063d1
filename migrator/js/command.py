"""Command strings in code: from a JS argument node to shell words, and from words back to JS.

The bridge between the syntax tree and the shell analyser (``migrator.migration.shell``): string
literals, template literals, ``+`` concatenations and ``const`` bindings of those become
segments (decoded static text and substitution markers); the analyser's words become JS
argument source text again, in the file's own quote style.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migrator.js import strings as jsstrings
from migrator.js.resolve import unwrap
from migrator.migration.shell import Analysis, Subst, UnknownCommand, Word, analyse


@dataclass
class Command:
    """A command string found in code, and where its pieces came from."""

    node: object  # the expression as written at the call
    segments: list = field(default_factory=list)  # str | Subst
    substitutions: list = field(default_factory=list)  # expression node of each Subst, by index
    quote: str = '"'  # quote style for string literals written back
    via: object = None  # the const binding the string was read through, if any
    ctx: object = None  # the file it was read from, to write its pieces back
    _analysis: Analysis | None = None

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = analyse(self.segments)
        return self._analysis

    @property
    def is_static(self) -> bool:
        return not self.substitutions

    # What the exec planner (migration.execs.Command) asks of a command.
    @property
    def via_name(self) -> str:
        return self.via.name

    @property
    def script(self) -> str:
        return self.ctx.text(self.node)

    @property
    def shown_substitutions(self) -> list[str]:
        return [f"`${{{self.ctx.text(e)}}}`" for e in self.substitutions]

    def word(self, word: Word) -> str:
        return word_source(self.ctx, self, word)


Unknown = UnknownCommand


def read_command(ctx, node) -> Command:
    """The command held by ``node``, or raise Unknown with a reason."""
    command = Command(node=node, quote=_quote_of(ctx, node), ctx=ctx)
    _collect(ctx, unwrap(node), command, depth=0)
    return command


def _collect(ctx, node, command: Command, depth: int) -> None:
    t = node.type
    if t == "string":
        try:
            command.segments.append(jsstrings.decode_string_literal(ctx.text(node)))
        except jsstrings.JSStringError as exc:
            raise Unknown(f"the string cannot be decoded ({exc})") from None
    elif t == "template_string":
        _collect_template(ctx, node, command)
    elif t == "binary_expression" and node.child_by_field_name("operator").type == "+" and depth < 20:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if not (_is_stringy(left) or _is_stringy(right)):
            raise Unknown("the command is built by `+` from values that may not be strings")
        for side in (left, right):
            if _is_stringy(side) or side.type == "binary_expression":
                _collect(ctx, unwrap(side), command, depth + 1)
            else:
                _substitute(command, side)
    elif t == "identifier" and depth == 0:
        binding = ctx.resolver.lookup(node)
        value = binding.value if binding is not None else None
        if (binding is None or binding.kind != "const" or binding.path or value is None
                or unwrap(value).type not in ("string", "template_string")):
            raise Unknown(f"the command is the variable `{ctx.text(node)}`, whose value is not known here")
        command.via = binding
        command.quote = _quote_of(ctx, unwrap(value))
        inner = Command(node=value)
        _collect(ctx, unwrap(value), inner, depth + 1)
        if inner.substitutions:
            raise Unknown(f"the command is the variable `{ctx.text(node)}`, built from other values")
        command.segments.extend(inner.segments)
    else:
        raise Unknown("the command is not a string literal, so it cannot be split here")


def _is_stringy(node) -> bool:
    return unwrap(node).type in ("string", "template_string")


def _substitute(command: Command, expression) -> None:
    command.segments.append(Subst(len(command.substitutions)))
    command.substitutions.append(expression)


def _collect_template(ctx, node, command: Command) -> None:
    content = ctx.content
    cursor = node.start_byte + 1  # after the opening backtick
    for child in node.children:
        if child.type == "template_substitution":
            _append_chunk(command, content[cursor:child.start_byte])
            expression = next((c for c in child.named_children), None)
            if expression is None:
                raise Unknown("the template has an empty substitution")
            _substitute(command, expression)
            cursor = child.end_byte
    _append_chunk(command, content[cursor:node.end_byte - 1])


def _append_chunk(command: Command, raw: bytes) -> None:
    if not raw:
        return
    try:
        command.segments.append(jsstrings.decode_template_chunk(raw.decode("utf-8")))
    except jsstrings.JSStringError as exc:
        raise Unknown(f"the template cannot be decoded ({exc})") from None


def _quote_of(ctx, node) -> str:
    """New literals follow the file's usual quote (the original one may only have been chosen
    to hold the other quote character, which quote removal takes away)."""
    return ctx.preferred_quote()


# -- writing words back as JS ---------------------------------------------------------------

def word_source(ctx, command: Command, word: Word) -> str:
    """A JS expression whose value is the word: a string literal, or a template literal."""
    if word.is_static:
        return jsstrings.encode_string_literal(word.text, command.quote)
    pieces = []
    for part in word.parts:
        if isinstance(part, Subst):
            pieces.append("${" + ctx.text(command.substitutions[part.index]) + "}")
        else:
            pieces.append(jsstrings.encode_template_chunk(part))
    return "`" + "".join(pieces) + "`"


def argv_source(ctx, command: Command, words=None) -> tuple[str, list[str]]:
    """``(cmd, [args...])`` as JS source for the analysed words."""
    words = list(command.analysis.words if words is None else words)
    sources = [word_source(ctx, command, w) for w in words]
    return sources[0], sources[1:]


def array_source(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"
