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
    # Words written as given source text instead (a wrapper's parameter: `...command`), by
    # the index of the substitution that is the whole word.
    spliced: dict = field(default_factory=dict)
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
            problem = _not_inlinable(ctx, node, binding, inner)
            if problem:
                refusal = Unknown(f"the command is the variable `{ctx.text(node)}`, built from other values ({problem})")
                refusal.split_by_hand = True  # a string the shell split: never passed on whole
                raise refusal
            # Declared just before its use: its substitutions read the same values at the call.
            command.substitutions.extend(inner.substitutions)
        command.segments.extend(inner.segments)
    else:
        raise Unknown("the command is not a string literal, so it cannot be split here")


_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "function_declaration",
                        "generator_function", "generator_function_declaration", "method_definition", "class_body"})


def _not_inlinable(ctx, use, binding, inner: Command) -> str | None:
    """Why a `const` template cannot be written at its use in place of the name, or None.

    It can when its declaration is the statement just before the one using it, in the same
    block and outside any function the use is in (so its substitutions read the same values,
    evaluated at the same moment), and every substitution is a name or a chain of property
    reads (copying it evaluates nothing that the declaration did not)."""
    declaration = binding.declarator.parent if binding.declarator is not None else None
    if declaration is None or declaration.type != "lexical_declaration":
        return "not declared just before its use"
    statement = use
    block = declaration.parent
    while statement.parent is not None and statement.parent != block:
        statement = statement.parent
        if statement.type in _FUNCTIONS:
            return "used inside a function, where its values may have changed"
    previous = statement.prev_named_sibling
    while previous is not None and previous.type == "comment":
        previous = previous.prev_named_sibling
    if statement.parent is None or previous != declaration:
        return "not declared just before its use"
    for expression in inner.substitutions:
        node = unwrap(expression)
        while node is not None and node.type == "member_expression":
            node = unwrap(node.child_by_field_name("object"))
        if node is None or node.type not in ("identifier", "this"):
            return f"`${{{ctx.text(expression)}}}` is more than a name"
    return None


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
    if len(word.parts) == 1 and isinstance(word.parts[0], Subst) and word.parts[0].index in command.spliced:
        return command.spliced[word.parts[0].index]
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
    """``[a, b]``; an array spread on its own is passed as it is (``args``, not ``[...args]``)."""
    if len(items) == 1 and items[0].startswith("..."):
        return items[0][3:]
    return "[" + ", ".join(items) + "]"
