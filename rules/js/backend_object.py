"""backend-object: the deprecated ``backend`` object used as a value, not called."""

from __future__ import annotations

from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.resolve import Kind, unwrap


class BackendObject(Rule):
    """the deprecated `backend` object is passed around as a value

    ## What it does
    Reports places where the deprecated `backend` object itself is used as a value: passed
    to a function, stored in an object, returned, or read through a variable that holds it.
    Calls of its methods are handled by `backend-http`, `exec-in-vm-extension`,
    `exec-in-container` and `spawn-in-vm-extension`.

    ## Why is this bad?
    `ddClient.backend` belongs to the deprecated v0 API and will be removed: whatever
    receives it will get `undefined`. The v1 API splits it into `extension.vm.service` (HTTP)
    and `extension.vm.cli` (exec), so there is no single object to hand over instead.

    ## Example
    ```ts
    const api = createApi(ddClient.backend);
    ```

    ## Use instead
    ```ts
    const api = createApi(ddClient.extension.vm?.service);
    ```
    (or hand over the client and call the v1 API where it is used).

    ## Fix safety
    No fix: what the receiver does with the object is not visible here.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    """

    code = "DD103"
    name = "backend-object"
    fixable = "none"
    properties = frozenset({"backend"})
    nodes = {"variable_declarator": "declarator"}

    def on_match(self, ctx, captures):
        if "member" in captures:
            member = captures["member"][0]
            if ctx.resolver.kind(member) is Kind.BACKEND and _used_as_value(member):
                yield self._report(ctx, member)
            return
        name = captures["declarator"][0].child_by_field_name("name")
        if name is None or not ctx.may_hold_backend:
            return
        for node in _names(name):
            binding = ctx.resolver.binding_of_name_node(node)
            if binding is None or ctx.resolver.binding_kind(binding) is not Kind.BACKEND:
                continue
            for ref in ctx.resolver.references_to(binding):
                if _used_as_value(ref):
                    yield self._report(ctx, ref)

    def _report(self, ctx, node):
        return ctx.finding(
            self, node,
            f"`{ctx.text(node)}` is the deprecated v0 backend, used here as a value; v1 has no single "
            "replacement (`extension.vm.service` for HTTP, `extension.vm.cli` for exec)",
            no_fix_reason="what receives the object is not visible here; migrate its uses by hand")

    valid = (
        Valid("ddClient.extension.vm?.service?.get('/x');\nuse(config.backend);\n"),
        Valid("const backend = makeBackend();\nhelpers.use(backend);\n"),
    )
    invalid = (
        Invalid("const api = createApi(ddClient.backend);\n"),
        Invalid("const b = window.ddClient.backend;\nregister(b);\n"),
        Invalid("export default { backend: window.ddClient?.backend };\n", filename="a.js"),
    )


def _used_as_value(node) -> bool:
    """True unless the node is the receiver of a member access or the value of a declaration."""
    outer = node
    while outer.parent is not None and outer.parent.type in ("parenthesized_expression", "as_expression",
                                                             "non_null_expression", "satisfies_expression"):
        outer = outer.parent
    parent = outer.parent
    if parent is None:
        return True
    if parent.type in ("member_expression", "subscript_expression") and parent.child_by_field_name("object") == outer:
        return False
    if parent.type == "call_expression" and parent.child_by_field_name("function") == outer:
        return False  # the early preview form `backend("name")`
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == outer:
        return False
    if parent.type == "expression_statement":
        return False
    return unwrap(outer) is not None


def _names(pattern):
    stack = [pattern]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "shorthand_property_identifier_pattern"):
            yield node
        else:
            stack.extend(node.named_children)
