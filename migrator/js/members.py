"""v0 members taken off the client or its backend instead of called on it.

``const { toastError } = window.ddClient`` and ``const run = ddClient.execHostCmd`` hold a v0
member in a variable; ``onClick={ddClient.openExternal}`` and ``ddClient.toastError.bind(ddClient)``
use one without a call. The method-call query of the rules sees none of them: this module
finds them once per file (``detached_uses``) and each family rule reports and fixes its own.

A call through such a variable (``toastError(m)``) is rewritten to go through the client
(``window.ddClient.desktopUI.toast.error(m)``); the declaration is never edited piecemeal: once
nothing uses a member it holds, ``unused-backend`` removes it. When one use of a declaration
cannot be rewritten (passed on, the client means something else there), no use of that
declaration is fixed, and each says why.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from migrator.core.model import Edit
from migrator.js.access import is_pure
from migrator.js.resolve import TRANSPARENT, Binding, Kind, member_name, members_named, this_class, unwrap
from migrator.migration.table import BACKEND, CLIENT, MEMBERS, V0Member

_RECEIVERS = {Kind.CLIENT: CLIENT, Kind.BACKEND: BACKEND}
# Families whose v1 member takes the same arguments as the v0 one: `X.m.bind(X)` can move.
_SAME_SIGNATURE = frozenset({"toast", "host", "navigate", "docker-list"})


@dataclass
class Use:
    """One use of a v0 member that is not a plain ``<client>.<member>(...)`` call."""

    node: object  # what is reported
    member: V0Member
    call: object | None = None  # the call, when the member is called here (`toastError(m)`)
    callee: object | None = None  # the call's callee, which becomes `<client>.<v1 path>`
    client: str | None = None  # the client expression to write there
    reason: str | None = None  # why it cannot be rewritten
    edits: tuple = ()  # the fix of a use without a call (`.bind`), when there is one
    holder: str | None = None  # the variable the member is held in


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def detached_uses(ctx) -> list[Use]:
    """Every such use in the file, computed once per context."""
    found = _CACHE.get(ctx)
    if found is None:
        found = _CACHE[ctx] = _collect(ctx)
    return found


def held_member(resolver, binding: Binding) -> tuple[V0Member, object] | None:
    """(the v0 member, the expression it was read from) for a variable that holds one:
    ``const { toastError } = <client>``, ``const { get } = <client>.backend``,
    ``const run = <client>.execHostCmd``."""
    if binding.kind not in ("const", "let", "var") or binding.value is None:
        return None
    if binding.path and len(binding.path) == 1 and binding.path[0] is not None:
        source, name = binding.value, binding.path[0]
    elif not binding.path:
        value = unwrap(binding.value)
        if value is None or value.type not in ("member_expression", "subscript_expression"):
            return None
        source, name = value.child_by_field_name("object"), member_name(value)
    else:
        return None
    member = MEMBERS.get(name)
    if member is None or _RECEIVERS.get(resolver.kind(source)) != member.receiver:
        return None
    return member, source


def _collect(ctx) -> list[Use]:
    resolver = ctx.resolver
    uses: list[Use] = []
    held_values = set()
    for scope in resolver.scopes.values():
        for binding in scope.values():
            found = held_member(resolver, binding)
            if found is None:
                continue
            member, source = found
            held_values.add(_key(unwrap(binding.value)))
            uses.extend(_binding_uses(ctx, binding, member, source))
    uses.extend(_references(ctx, held_values))
    return sorted(uses, key=lambda u: u.node.start_byte)


def _binding_uses(ctx, binding: Binding, member: V0Member, source) -> list[Use]:
    name = binding.name
    client, reason = _client_of(ctx, source)
    statement = binding.declarator.parent if binding.declarator is not None else None
    if binding.assignments or binding.reassigned_unknown:
        reason = f"`{name}` is assigned more than once; rewrite it by hand"
    elif statement is not None and statement.parent is not None and statement.parent.type == "export_statement":
        reason = f"`{name}` is exported, so other modules may use it in ways this file does not show"
    uses = []
    for ref in ctx.resolver.references_to(binding):
        outer = _outer(ref)
        parent = outer.parent
        use = Use(ref, member, client=client, reason=reason, holder=name)
        if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == outer:
            use.node, use.call, use.callee = parent, parent, outer
            if not use.reason:
                use.reason = _writable(ctx, source, parent)
        elif not use.reason:
            use.reason = _value_reason(member, f"`{name}`")
        uses.append(use)
    blocked = next((u for u in uses if u.reason), None)
    if blocked is not None:
        line = ctx.source.position(blocked.node.start_byte)[0]
        for use in uses:
            if not use.reason:
                use.reason = (f"`{name}` is also used on line {line} in a way that cannot be rewritten "
                              f"({blocked.reason}); its uses move together or not at all")
    return uses


def _references(ctx, held_values) -> list[Use]:
    """``<client>.<v0 member>`` used as a value, not called."""
    resolver = ctx.resolver
    uses = []
    for node in members_named(ctx.tree.root_node, ctx.content, MEMBERS):
        member = MEMBERS[member_name(node)]
        if _key(node) in held_values:
            continue
        obj = node.child_by_field_name("object")
        if _RECEIVERS.get(resolver.kind(obj)) != member.receiver or not _value_position(node):
            continue
        use = Use(node, member)
        bind = _bind_call(ctx, node)
        if bind is not None:
            edits, reason = _bind_edits(ctx, node, member, bind)
            use.node, use.edits, use.reason = bind, tuple(edits), reason
        else:
            use.reason = _value_reason(member, f"`{ctx.text(node)}`")
        uses.append(use)
    return uses


def _value_reason(member: V0Member, shown: str) -> str:
    if member.v1 is None:
        return "there is no v1 replacement; remove it or link to the page another way"
    if member.family not in _SAME_SIGNATURE:
        return f"{shown} is used without a call, and `{member.v1}` takes different arguments; call it where it is used"
    return (f"{shown} is used without a call, and v1 declares `{member.v1}` as a method, which may need its object as"
            f" `this`; pass `(...args) => <client>.{member.v1}(...args)` or bind it to its object")


def _bind_call(ctx, node):
    """The call ``node.bind(x)``, when that is how ``node`` is used."""
    outer = _outer(node)
    parent = outer.parent
    if parent is None or parent.type != "member_expression" or parent.child_by_field_name("object") != outer:
        return None
    prop = parent.child_by_field_name("property")
    call = parent.parent
    if prop is None or ctx.text(prop) != "bind" or call is None or call.type != "call_expression":
        return None
    return call if call.child_by_field_name("function") == parent else None


def _bind_edits(ctx, node, member: V0Member, call) -> tuple[list[Edit], str | None]:
    """``X.toastError.bind(X)`` becomes ``X.desktopUI.toast.error.bind(X.desktopUI.toast)``."""
    shown = f"`{ctx.text(node)}`"
    if member.v1 is None or member.family not in _SAME_SIGNATURE:
        return [], _value_reason(member, shown)
    obj = node.child_by_field_name("object")
    args = [a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"]
    if len(args) != 1 or ctx.text(args[0]) != ctx.text(obj) or not is_pure(obj) or node.type != "member_expression":
        return [], (f"{shown} is bound to something other than its client, and v1 declares `{member.v1}` as a method"
                    " of another object; bind it by hand")
    prop = node.child_by_field_name("property")
    parent_path = member.v1.rsplit(".", 1)[0]
    return [Edit(prop.start_byte, prop.end_byte, member.v1),
            Edit(args[0].end_byte, args[0].end_byte, f".{parent_path}")], None


def _value_position(node) -> bool:
    """Whether ``node`` is used as a value (passed, stored, bound), not tested or written."""
    outer = _outer(node)
    parent = outer.parent
    if parent is None:
        return False
    t = parent.type
    if t == "call_expression":
        return False  # called: the method rules' business
    if t in ("member_expression", "subscript_expression"):
        prop = parent.child_by_field_name("property")
        return parent.child_by_field_name("object") == outer and prop is not None and prop.text in (b"bind", b"call",
                                                                                                   b"apply")
    if t == "assignment_expression":
        return parent.child_by_field_name("right") == outer
    if t == "variable_declarator":
        return parent.child_by_field_name("value") == outer
    return t in ("arguments", "jsx_expression", "pair", "return_statement", "array", "spread_element")


def _client_of(ctx, source) -> tuple[str | None, str | None]:
    """The client expression behind ``source`` (a client, or ``<client>.backend``), as text."""
    if ctx.resolver.kind(source) is Kind.BACKEND:
        inner = unwrap(source)
        if inner.type != "member_expression" or ctx.resolver.kind(inner.child_by_field_name("object")) is not Kind.CLIENT:
            return None, f"`{ctx.text(source)}` is not read from the client here; rewrite it by hand"
        source = inner.child_by_field_name("object")
    if not is_pure(source):
        return None, f"`{ctx.text(source)}` cannot be evaluated again at each use; rewrite it by hand"
    return ctx.text(source), None


def _writable(ctx, source, at) -> str | None:
    """Why the client expression behind ``source`` does not mean the same at ``at``, or None."""
    stack = [source]
    while stack:
        node = stack.pop()
        if node.type == "identifier":
            if ctx.resolver.lookup(node) is not ctx.resolver.lookup_name(node.text.decode(), at):
                return f"`{ctx.text(node)}` means something else at this call; rewrite it by hand"
        elif node.type == "this":
            if _this_owner(node) != _this_owner(at):
                return "`this` means something else at this call; rewrite it by hand"
        else:
            stack.extend(c for c in node.named_children if "type" not in c.type)
    return None


def _this_owner(node):
    """The function (or class) whose `this` an expression at ``node`` sees."""
    from migrator.js.resolve import FUNCTION_TYPES

    current = node
    while current.parent is not None:
        current = current.parent
        if current.type in FUNCTION_TYPES and current.type != "arrow_function":
            body = this_class(current.named_children[0]) if current.type == "method_definition" else None
            return _key(body if body is not None else current)
        if current.type in ("public_field_definition", "field_definition"):
            return _key(current.parent)
    return None




def _outer(node):
    while node.parent is not None and node.parent.type in TRANSPARENT:
        node = node.parent
    return node


def _key(node):
    return None if node is None else (node.start_byte, node.end_byte, node.type)


def reference_message(use: Use) -> str:
    """The message of a use without a call."""
    name = use.member.name
    target = f"`{use.member.v1}`" if use.member.v1 else "nothing in v1"
    return f"`{name}` is deprecated v0 API, used here without a call; its replacement is {target}"


def call_head(use: Use, path: str) -> list[Edit]:
    """The callee of a call through a held member, as ``<client>.<path>``."""
    return [Edit(use.callee.start_byte, use.callee.end_byte, f"{use.client}.{path}")]


def call_message(use: Use) -> str:
    target = f"`{use.member.v1}()`" if use.member.v1 else "nothing in v1"
    return f"`{use.holder}()` calls the deprecated v0 `{use.member.name}()`; its replacement is {target}"


def findings(rule, ctx, names, on_call):
    """The findings of ``rule`` for the uses of ``names``: ``on_call(use)`` yields those of a call
    that can be rewritten through the client; the others are reported here, with the reason."""
    for use in detached_uses(ctx):
        if use.member.name not in names:
            continue
        if use.call is not None and use.reason is None:
            yield from on_call(use)
        elif use.call is not None:
            yield ctx.finding(rule, use.node, call_message(use), no_fix_reason=use.reason)
        else:
            yield ctx.finding(rule, use.node, reference_message(use), edits=use.edits, no_fix_reason=use.reason)
