"""unused-backend: a variable still holding the deprecated backend after its uses moved on."""

from __future__ import annotations

from migrator.core.model import Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.members import held_member
from migrator.js.resolve import Kind


class UnusedBackend(Rule):
    """an unused variable still extracts the deprecated `backend`

    ## What it does
    Removes a declaration that extracts the deprecated `backend` from the client
    (`const { backend } = ddClient`, `const b = ddClient.backend`) when nothing uses it any
    more, typically after the other rules moved every call to the v1 API. The same goes for a
    variable holding another v0 member (`const { toastError } = ddClient`,
    `const run = ddClient.execHostCmd`) once its calls go through the client.

    ## Why is this bad?
    `backend` does not exist on the v1 client: the declaration reads a member that Docker
    Desktop will remove, and TypeScript rejects it against the v1 types.

    ## Example
    ```ts
    const { backend } = ddClient;
    await ddClient.extension.vm!.cli.exec("ls", []);
    ```

    ## Use instead
    ```ts
    await ddClient.extension.vm!.cli.exec("ls", []);
    ```

    ## Fix safety
    Safe: the variable has no uses, and reading a property of the client has no side
    effects. Exported declarations are left alone (other modules may import them).

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    """

    code = "DD102"
    name = "unused-backend"
    fixable = "safe"
    nodes = {"variable_declarator": "declarator"}

    def on_match(self, ctx, captures):
        declarator = captures["declarator"][0]
        name = declarator.child_by_field_name("name")
        statement = declarator.parent
        if name is None or statement is None or statement.parent is None or statement.parent.type == "export_statement":
            return
        for binding, held in self._backend_bindings(ctx, name):
            if ctx.resolver.references_to(binding):
                continue
            edits = self._removal(ctx, binding, declarator, statement)
            yield ctx.finding(self, binding.name_node,
                              f"`{binding.name}` holds the deprecated v0 {held} and is not used; remove it",
                              edits=edits, no_fix_reason=None if edits else "remove it by hand")

    def _backend_bindings(self, ctx, name_node):
        stack = [name_node]
        backend = ctx.may_hold_backend
        while stack:
            node = stack.pop()
            binding = ctx.resolver.binding_of_name_node(node)
            if binding is not None:
                if backend and binding.kind in ("const", "let", "var") and ctx.resolver.binding_kind(binding) is Kind.BACKEND:
                    yield binding, "backend"
                elif not binding.assignments and not binding.reassigned_unknown:
                    member = held_member(ctx.resolver, binding)
                    if member is not None:
                        yield binding, f"`{member[0].name}`"
                continue
            stack.extend(node.named_children)

    def _removal(self, ctx, binding, declarator, statement):
        pattern = declarator.child_by_field_name("name")
        if pattern.type == "object_pattern" and len(pattern.named_children) > 1:
            elements = pattern.named_children
            element = next(e for e in elements if e.start_byte <= binding.name_node.start_byte < e.end_byte)
            if element.type not in ("shorthand_property_identifier_pattern", "pair_pattern"):
                return []
            index = elements.index(element)
            if index < len(elements) - 1:
                return [Edit(element.start_byte, elements[index + 1].start_byte, "")]
            return [Edit(elements[index - 1].end_byte, element.end_byte, "")]
        if pattern.type not in ("identifier", "object_pattern"):
            return []
        declarators = [c for c in statement.named_children if c.type == "variable_declarator"]
        if len(declarators) > 1:
            index = declarators.index(declarator)
            if index < len(declarators) - 1:
                return [Edit(declarator.start_byte, declarators[index + 1].start_byte, "")]
            return [Edit(declarators[index - 1].end_byte, declarator.end_byte, "")]
        return [_remove_lines(ctx.content, statement)]

    valid = (
        Valid("const { backend } = api;\nconst unused = window.ddClient.extension;\n"),
        Valid("export const { backend } = window.ddClient;\n"),
        Valid("const { backend } = config;\n"),
    )

    invalid = (
        Invalid(
            "function f() {\n  const { backend } = ddClient;\n  return ddClient.extension.vm?.service?.get('/x');\n}\n",
            "function f() {\n  return ddClient.extension.vm?.service?.get('/x');\n}\n",
        ),
        Invalid(
            "const { backend, docker } = window.ddClient;\ndocker.listContainers();\n",
            "const { docker } = window.ddClient;\ndocker.listContainers();\n",
        ),
        Invalid("const b = ddClient.backend, n = 1; use(n);\n", "const n = 1; use(n);\n"),
        # After another rule moves the last call away, the extraction goes too.
        Invalid(
            "const { backend } = ddClient;\r\n\r\nawait backend.execInVMExtension('ls');\r\n",
            "\r\nawait ddClient.extension.vm!.cli.exec('ls', []);\r\n",
            findings=0,
        ),
    )


def _remove_lines(content: bytes, node) -> Edit:
    """Remove ``node``; when it has its line(s) to itself, remove the whole lines."""
    line_start = content.rfind(b"\n", 0, node.start_byte) + 1
    line_end = content.find(b"\n", node.end_byte)
    line_end = len(content) if line_end == -1 else line_end + 1
    before = content[line_start:node.start_byte]
    after = content[node.end_byte:line_end]
    if not before.strip() and not after.strip():
        return Edit(line_start, line_end, "")
    return Edit(node.start_byte, node.end_byte, "")
