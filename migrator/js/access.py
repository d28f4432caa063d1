"""How a call reaches the deprecated ``backend``, and how to move its extraction to v1.

Shared by every rule that migrates ``backend.<method>(...)`` calls: the call may go through
the client directly (``ddClient.backend.get``) or through a variable the backend was
extracted into (``const { backend } = ddClient``; ``const b = ddClient.backend``).
"""

from __future__ import annotations

from dataclasses import dataclass

from migrator.core.model import Edit
from migrator.js.resolve import TRANSPARENT, Binding, Kind, unwrap
from migrator.migration.table import MEMBERS, PREVIEW_NOTE  # noqa: F401 - rules read PREVIEW_NOTE here

# Expressions that can take a `.member` suffix without parentheses.
_POSTFIX_SAFE = frozenset({
    "identifier", "member_expression", "call_expression", "parenthesized_expression",
    "subscript_expression", "non_null_expression", "this",
})


@dataclass
class BackendCall:
    """A call ``<receiver>.<method>(...)`` whose receiver is the deprecated backend."""

    call: object
    callee: object  # the member_expression `<receiver>.<method>`
    receiver: object  # as written, possibly wrapped in parentheses or assertions
    method: str
    binding: Binding | None  # set when the receiver is a variable holding the backend


def backend_call(ctx, call) -> BackendCall | None:
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return None
    receiver = callee.child_by_field_name("object")
    prop = callee.child_by_field_name("property")
    if receiver is None or prop is None or ctx.resolver.kind(receiver) is not Kind.BACKEND:
        return None
    inner = unwrap(receiver)
    binding = ctx.resolver.lookup(inner) if inner.type == "identifier" else None
    return BackendCall(call, callee, receiver, ctx.text(prop), binding)


def optional_call_edit(callee) -> Edit | None:
    """Turn ``<receiver>.method`` into ``<receiver>?.method`` (v1 members are optional)."""
    receiver = callee.child_by_field_name("object")
    if receiver.type == "non_null_expression":
        return None
    for child in callee.children:
        if child.type == "optional_chain":
            return None
        if child.type == ".":
            return Edit(child.start_byte, child.end_byte, "?.")
    return None


def backend_span(ctx, receiver) -> tuple[int, int] | None:
    """Byte span of ``backend`` in ``<client>.backend``, or of ``backend("name")`` in the early
    preview form where the backend was a function taking the extension's name."""
    inner = unwrap(receiver)
    if inner.type == "call_expression":
        callee = unwrap(inner.child_by_field_name("function"))
        if callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            return prop.start_byte, inner.end_byte
        return None
    if inner.type != "member_expression":
        return None
    prop = inner.child_by_field_name("property")
    return prop.start_byte, prop.end_byte


def is_preview_backend(receiver) -> bool:
    return unwrap(receiver).type == "call_expression"




def held_elsewhere(ctx, receiver) -> str | None:
    """Why ``<x>.<member>`` holding the backend is not ``<client>.backend`` (``this.api`` set to
    ``ddClient.backend`` in a class), or None."""
    inner = unwrap(receiver)
    if inner.type in ("member_expression", "subscript_expression"):
        if ctx.resolver.kind(inner.child_by_field_name("object")) is not Kind.CLIENT:
            return f"the backend is held in `{ctx.text(inner)}`; move what is assigned to it and its uses by hand"
    return None


def direct_edits(ctx, call: BackendCall, replacement: str) -> tuple[list[Edit], str | None]:
    """Edits for ``<client>.backend.<method>`` written out in full, or the reason there are none."""
    held = held_elsewhere(ctx, call.receiver)
    if held:
        return [], held
    span = backend_span(ctx, call.receiver)
    if span is None:
        return [], "the backend is reached through a computed property; rewrite it by hand"
    edits = [Edit(span[0], span[1], replacement)]
    optional = optional_call_edit(call.callee)
    if optional is not None:
        edits.append(optional)
    return edits, None


def extraction_edits(ctx, call: BackendCall, replacement: str, methods: frozenset[str]) -> tuple[list[Edit], str | None]:
    """Edits that move a variable holding the backend to ``replacement`` along with all its uses.

    Only done when every use of the variable is a call of one of ``methods`` (so every use
    keeps working on the replacement object); otherwise the reason is returned.
    """
    binding = call.binding
    name = binding.name
    declarator = binding.declarator
    if binding.kind == "import":
        return [], (f"`{name}` is imported from `{binding.source}`, which takes it from the client; "
                    "migrate that module and the uses of what it exports together")
    if binding.kind not in ("const", "let", "var") or declarator is None or declarator.type != "variable_declarator":
        return [], f"`{name}` is not a plain variable declaration; rewrite it by hand"
    if binding.assignments:
        return [], f"`{name}` is assigned more than once; rewrite it by hand"
    statement = declarator.parent
    if statement is not None and statement.parent is not None and statement.parent.type == "export_statement":
        return [], f"`{name}` is exported, so other modules may use it in ways this file does not show"
    if declarator.child_by_field_name("type") is not None:
        return [], f"`{name}` has a type annotation that must change with it; rewrite it by hand"
    use_edits = []
    for ref in ctx.resolver.references_to(binding):
        member = ref.parent
        method = member.child_by_field_name("property") if member.type == "member_expression" else None
        if (method is None or member.child_by_field_name("object") != ref or member.parent is None
                or member.parent.type != "call_expression" or ctx.text(method) not in methods):
            line = ctx.source.position(ref.start_byte)[0]
            return [], f"`{name}` is also used on line {line} in a way this rule cannot rewrite"
        edit = optional_call_edit(member)
        if edit is not None:
            use_edits.append(edit)
    declaration_edits, reason = _declaration_edits(ctx, binding, replacement)
    if reason:
        return [], reason
    return declaration_edits + use_edits, None


def _declaration_edits(ctx, binding: Binding, replacement: str) -> tuple[list[Edit], str | None]:
    declarator = binding.declarator
    value = declarator.child_by_field_name("value")
    pattern = declarator.child_by_field_name("name")
    name = binding.name
    if not _taken_from_client(ctx, binding):
        return [], f"`{name}` gets the backend in a way this rule cannot rewrite (from another module?)"
    if binding.path == ():
        prop = value.child_by_field_name("property")
        return [Edit(prop.start_byte, prop.end_byte, replacement)], None
    suffix = "." + replacement
    elements = pattern.named_children
    if len(elements) == 1:
        if unwrap(value).type in TRANSPARENT or value.type not in _POSTFIX_SAFE:
            value_edits = [Edit(value.start_byte, value.start_byte, "("), Edit(value.end_byte, value.end_byte, ")" + suffix)]
        else:
            value_edits = [Edit(value.end_byte, value.end_byte, suffix)]
        return [Edit(pattern.start_byte, pattern.end_byte, name)] + value_edits, None
    siblings = [_element_key(ctx, e) for e in elements if _element_key(ctx, e) in MEMBERS]
    if siblings:
        # Moving `backend` alone would leave `const { execHostCmd } = ddClient` half migrated.
        return [], f"`{name}` is destructured together with the v0 `{siblings[0]}`, whose uses move one by one"
    return _split_destructuring(ctx, binding, value, elements, suffix)


def _element_key(ctx, element) -> str | None:
    if element.type == "shorthand_property_identifier_pattern":
        return ctx.text(element)
    if element.type == "pair_pattern":
        return ctx.text(element.child_by_field_name("key"))
    return None


def _taken_from_client(ctx, binding: Binding) -> bool:
    """``const b = <client>.backend`` or ``const { backend } = <client>``: the only shapes whose
    declaration can be rewritten (a module's exported backend is not a client's member)."""
    value = binding.value
    if value is None:
        return False
    if binding.path == ():
        inner = unwrap(value)
        return (inner.type == "member_expression"
                and ctx.resolver.kind(inner.child_by_field_name("object")) is Kind.CLIENT)
    return binding.path == ("backend",) and ctx.resolver.kind(value) is Kind.CLIENT


def _split_destructuring(ctx, binding, value, elements, suffix) -> tuple[list[Edit], str | None]:
    """``const { backend, docker } = c`` becomes ``const { docker } = c;`` plus ``const backend = c.<replacement>;``."""
    name = binding.name
    declarator = binding.declarator
    statement = declarator.parent
    if not is_pure(value):
        return [], f"`{name}` is destructured with other members from an expression that cannot be repeated; rewrite it by hand"
    declarators = [c for c in statement.named_children if c.type == "variable_declarator"] if statement else []
    if len(declarators) != 1:
        return [], f"`{name}` is declared together with other variables; rewrite it by hand"
    element = next(e for e in elements if e.start_byte <= binding.name_node.start_byte < e.end_byte)
    index = elements.index(element)
    if index < len(elements) - 1:
        removal = Edit(element.start_byte, elements[index + 1].start_byte, "")
    else:
        removal = Edit(elements[index - 1].end_byte, element.end_byte, "")
    keyword = statement.children[0].text.decode()
    line_start = ctx.content.rfind(b"\n", 0, statement.start_byte) + 1
    indent = ctx.content[line_start:statement.start_byte]
    indent = indent[: len(indent) - len(indent.lstrip(b" \t"))].decode()
    newline = _line_ending(ctx.content, statement.end_byte)
    semicolon = ";" if ctx.content[statement.end_byte - 1:statement.end_byte] == b";" else ""
    addition = f"{newline}{indent}{keyword} {name} = {ctx.text(value)}{suffix}{semicolon}"
    return [removal, Edit(statement.end_byte, statement.end_byte, addition)], None


def _line_ending(content: bytes, offset: int) -> str:
    """The line ending in use where new lines are inserted: the next one after ``offset``."""
    end = content.find(b"\n", offset)
    if end == -1:
        return "\r\n" if b"\r\n" in content else "\n"
    return "\r\n" if end > 0 and content[end - 1:end] == b"\r" else "\n"


def client_source(ctx, call: BackendCall) -> tuple[str | None, str | None]:
    """The client expression a backend variable was taken from, if it can be written at the call.

    ``const { backend } = ddClient`` or ``const b = ddClient.backend`` give ``ddClient``, when
    that expression has no side effects and means the same thing at the call site. Returns
    ``(text, None)`` or ``(None, reason)``.
    """
    binding = call.binding
    name = binding.name
    value = binding.value
    if binding.kind not in ("const", "let", "var") or value is None or binding.assignments:
        return None, f"the backend is held in `{name}`, which is not a plain variable; rewrite it by hand"
    if not _taken_from_client(ctx, binding):
        return None, f"the backend is held in `{name}`, which does not take it from a client here; rewrite it by hand"
    client = unwrap(value).child_by_field_name("object") if binding.path == () else value
    if not is_pure(client):
        return None, f"the backend is held in `{name}`, taken from an expression that cannot be repeated here"
    for ident in _identifiers(client):
        if ctx.resolver.lookup(ident) is not ctx.resolver.lookup_name(ident.text.decode(), call.call):
            return None, f"`{ctx.text(ident)}` means something else at this call; rewrite it by hand"
    return ctx.text(client), None


def is_pure(node) -> bool:
    """Safe to evaluate twice: names and member chains of names (no calls, no side effects)."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type in ("identifier", "this"):
        return True
    if node.type == "member_expression":
        return is_pure(node.child_by_field_name("object"))
    return False


def _identifiers(node):
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            yield current
        else:
            stack.extend(c for c in current.named_children if c.type not in ("type_annotation", "predefined_type", "type_identifier"))


def indent_of(ctx, node) -> str | None:
    """The indentation of the line ``node`` starts, or None when code precedes it on that line."""
    line_start = ctx.content.rfind(b"\n", 0, node.start_byte) + 1
    prefix = ctx.content[line_start:node.start_byte]
    return prefix.decode() if not prefix.strip() else None


def arguments_of(call) -> list:
    """The argument expressions of a call, comments left out."""
    arguments = call.child_by_field_name("arguments")
    return [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
