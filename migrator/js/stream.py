"""Turning a v0 spawn callback ``(data, error) => void`` into v1 stream handlers.

v0 called one callback with ``{stdout}``/``{stderr}`` chunks, ``{code}`` at exit, and the
error as second argument. v1 takes ``{ stream: { onOutput, onError, onClose } }``. The
rewrite keeps the user's callback and calls it with the same shapes from each handler: a
named callback keeps its name; an inline one is first given a name with a ``const`` just
before the statement, so the call stays readable.
"""

from __future__ import annotations

from migrator.core.model import Edit
from migrator.js.access import indent_of
from migrator.js.resolve import FUNCTION_TYPES, unwrap
from migrator.migration.spawn import member_callback_note

CALLBACK_NAMES = ("handleOutput", "handleExecOutput", "onSpawnOutput")


def stream_options(ctx, callee: str, indent: str) -> str:
    """The ``{ stream: {...} }`` argument calling ``callee`` as v0 did."""
    unit = ctx.indent_unit()
    # TypeScript insists on both arguments of a `(data: any, error: any)` callback.
    none = ", undefined" if ctx.typescript else ""
    inner, handlers = indent + unit, indent + unit + unit
    lines = [
        "{",
        f"{inner}stream: {{",
        f"{handlers}onOutput: (data) => {callee}(data{none}),",
        f"{handlers}onError: (error) => {callee}(undefined, error),",
        f"{handlers}onClose: (exitCode) => {callee}({{ code: exitCode }}{none}),",
        f"{inner}}},",
        f"{indent}}}",
    ]
    return _newline(ctx).join(lines)


def callback_edits(ctx, call, callback) -> tuple[list[Edit], str | None, str]:
    """Edits replacing ``callback`` (an argument of ``call``) by stream options, or a reason;
    and a note when the edits are unsafe (a callback read from a member)."""
    inner = unwrap(callback)
    statement = call.parent
    while statement is not None and statement.type in ("await_expression", "parenthesized_expression"):
        statement = statement.parent
    indent = indent_of(ctx, statement) if statement is not None and statement.type == "expression_statement" else None
    if inner.type in ("identifier", "member_expression") and not _has_call(inner):
        if indent is None:
            indent = _line_indent(ctx, call)
        note = member_callback_note(ctx.text(inner), binds_this=True) if inner.type == "member_expression" else ""
        return [Edit(callback.start_byte, callback.end_byte, stream_options(ctx, ctx.text(callback), indent))], None, note
    if inner.type not in FUNCTION_TYPES:
        return [], "the callback is an expression that cannot be repeated in each handler; name it first", ""
    if indent is None:
        return [], "the inline callback is not in a statement of its own, so it cannot be named before it", ""
    name = _free_name(ctx, statement)
    hoisted = f"const {name} = {_annotated(ctx, inner)};{_newline(ctx)}{indent}"
    return [
        Edit(statement.start_byte, statement.start_byte, hoisted),
        Edit(callback.start_byte, callback.end_byte, stream_options(ctx, name, indent)),
    ], None, ""


def _has_call(node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("call_expression", "new_expression", "assignment_expression"):
            return True
        stack.extend(current.named_children)
    return False


def _line_indent(ctx, node) -> str:
    line_start = ctx.content.rfind(b"\n", 0, node.start_byte) + 1
    line = ctx.content[line_start:node.start_byte]
    return line[: len(line) - len(line.lstrip(b" \t"))].decode()


def _newline(ctx) -> str:
    return "\r\n" if b"\r\n" in ctx.content else "\n"


def _free_name(ctx, at) -> str:
    for base in CALLBACK_NAMES:
        for suffix in ("", "2", "3"):
            name = base + suffix
            if name not in ctx.resolver.references and ctx.resolver.lookup_name(name, at) is None:
                return name
    return "handleOutput_"


def _annotated(ctx, function) -> str:
    """The callback's text; in TypeScript its untyped parameters get `: any`, as v0 typed them."""
    text = ctx.text(function)
    if not ctx.typescript:
        return text
    base = function.start_byte
    inserts = []
    single = function.child_by_field_name("parameter")
    if single is not None:
        inserts.append((single.start_byte - base, single.end_byte - base, f"({ctx.text(single)}: any)"))
    params = function.child_by_field_name("parameters")
    for param in params.named_children if params is not None else []:
        if param.type in ("required_parameter", "optional_parameter") and param.child_by_field_name("type") is None:
            pattern = param.child_by_field_name("pattern")
            if pattern is not None and pattern.type == "identifier":
                inserts.append((pattern.end_byte - base, pattern.end_byte - base, ": any"))
    raw = ctx.content[function.start_byte:function.end_byte]
    for start, end, replacement in sorted(inserts, reverse=True):
        raw = raw[:start] + replacement.encode() + raw[end:]
    return raw.decode()
