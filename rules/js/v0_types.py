"""v0-types: TypeScript imports and annotations of the deprecated v0 types."""

from __future__ import annotations

from migrator.core.model import Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.resolve import TYPES_PACKAGE, string_value

# Names in the hybrid module (dist/v1Hybrid, or the v1Hybrid namespace) with a v1 name.
HYBRID = {"BackendV0": "HttpService", "ExecResultV0": "ExecResult", "RequestConfigV0": "RequestConfig"}
# Names in the v0 module that have a v1 counterpart.
V0 = {"Backend": "HttpService", "ExecResult": "ExecResult", "RequestConfig": "RequestConfig",
      "DockerDesktopClient": "DockerDesktopClient"}
DEPRECATED_MODULES = {f"{TYPES_PACKAGE}/dist/v0": V0, f"{TYPES_PACKAGE}/dist/v1Hybrid": HYBRID}
V1_MODULE = f"{TYPES_PACKAGE}/dist/v1"


def _v1_name(table, name: str) -> str | None:
    if table is HYBRID:
        return HYBRID.get(name, name)  # v1Hybrid re-exports all of v1 under the same names
    return V0.get(name)


class V0Types(Rule):
    """TypeScript uses of the deprecated v0 types move to their v1 types

    ## What it does
    Moves TypeScript type imports and annotations off the deprecated v0 types:
    `BackendV0` becomes `v1.HttpService`, `ExecResultV0` becomes `v1.ExecResult`,
    `RequestConfigV0` becomes `v1.RequestConfig`, and the hybrid
    `v1Hybrid.DockerDesktopClient` (or `v0.DockerDesktopClient`) becomes
    `v1.DockerDesktopClient`, including in `declare global { interface Window { ... } }`.
    Imports from `dist/v0` and `dist/v1Hybrid` move to `dist/v1`.

    ## Why is this bad?
    The v0 types describe members Docker Desktop will remove; code typed with them keeps
    compiling against members that will be gone. Typed as v1, the compiler points at every
    deprecated call left.

    ## Example
    ```ts
    import { v1Hybrid } from "@docker/extension-api-client-types";
    declare global {
      interface Window { ddClient: v1Hybrid.DockerDesktopClient }
    }
    ```

    ## Use instead
    ```ts
    import { v1 } from "@docker/extension-api-client-types";
    declare global {
      interface Window { ddClient: v1.DockerDesktopClient }
    }
    ```

    ## Fix safety
    Safe: only types change; the emitted JavaScript is the same. All the file's v0 type
    references move together, so imports and annotations stay consistent. A v0 type with no
    v1 counterpart, or a namespace used as a value, leaves the file without a fix.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/
    """

    code = "DD305"
    name = "v0-types"
    fixable = "safe"
    languages = frozenset({"typescript", "tsx"})
    literals = (b"extension-api-client-types",)

    def check(self, ctx):
        plan = _Plan(ctx)
        if not plan.findings:
            return
        edits, reason = plan.edits()
        for node, message in plan.findings:
            yield ctx.finding(self, node, message, edits=edits, no_fix_reason=reason)

    valid = (
        Valid("import { v1 } from '@docker/extension-api-client-types';\nlet c: v1.DockerDesktopClient;\n"),
        Valid("import type { ExecResult } from '@docker/extension-api-client-types/dist/v1';\nlet r: ExecResult;\n"),
        Valid("import { v1Hybrid } from './my-types';\nlet c: v1Hybrid.BackendV0;\n"),
    )
    invalid = (
        Invalid(
            "import { v1Hybrid } from \"@docker/extension-api-client-types\";\n\ndeclare global {\n"
            "  interface Window {\n    ddClient: v1Hybrid.DockerDesktopClient;\n  }\n}\n",
            "import { v1 } from \"@docker/extension-api-client-types\";\n\ndeclare global {\n"
            "  interface Window {\n    ddClient: v1.DockerDesktopClient;\n  }\n}\n",
        ),
        Invalid(
            "import { v1, v1Hybrid } from '@docker/extension-api-client-types';\n"
            "export async function run(b: v1Hybrid.BackendV0): Promise<v1Hybrid.ExecResultV0 | v1.Toast> {\n  return null!;\n}\n",
            "import { v1 } from '@docker/extension-api-client-types';\n"
            "export async function run(b: v1.HttpService): Promise<v1.ExecResult | v1.Toast> {\n  return null!;\n}\n",
            findings=2,
        ),
        Invalid(
            "import type { BackendV0, RequestConfigV0 as Config } from '@docker/extension-api-client-types/dist/v1Hybrid';\n"
            "let b: BackendV0;\nconst c: Config = { url: '/', method: 'GET', headers: {}, data: null };\n",
            "import type { HttpService, RequestConfig as Config } from '@docker/extension-api-client-types/dist/v1';\n"
            "let b: HttpService;\nconst c: Config = { url: '/', method: 'GET', headers: {}, data: null };\n",
            findings=2,
        ),
        Invalid(
            "import { v0 } from '@docker/extension-api-client-types';\nlet c: v0.DockerDesktopClient;\nlet r: v0.ExecResult;\n",
            "import { v1 } from '@docker/extension-api-client-types';\nlet c: v1.DockerDesktopClient;\nlet r: v1.ExecResult;\n",
            findings=2,
        ),
        Invalid(
            "import { v1Hybrid } from '@docker/extension-api-client-types';\nlet c: v1Hybrid.DockerDesktopClient;\n"
            "console.log(v1Hybrid);\n",
        ),
    )


class _Plan:
    """Every v0 type reference of one file, and the edits that move them all to v1."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.findings: list = []
        self._edits: list[Edit] = []
        self._reason: str | None = None
        self.namespaces: dict[str, tuple] = {}  # local name -> (table, specifier node, statement)
        self.renamed: dict[str, str] = {}  # local type name -> new local name
        self.v1_local: str | None = None
        self._collect_imports()
        if self.namespaces or self.renamed or self.findings:
            self._collect_references()

    def edits(self):
        return (self._edits, None) if self._reason is None else ([], self._reason)

    def _collect_imports(self) -> None:
        ctx = self.ctx
        for statement in ctx.tree.root_node.named_children:
            if statement.type != "import_statement":
                continue
            source_node = statement.child_by_field_name("source")
            source = string_value(source_node)
            if source is None or not source.startswith(TYPES_PACKAGE):
                continue
            specifiers = [s for c in statement.named_children if c.type == "import_clause"
                          for n in c.named_children if n.type == "named_imports"
                          for s in n.named_children if s.type == "import_specifier"]
            if source == TYPES_PACKAGE:
                for spec in specifiers:
                    name = ctx.text(spec.child_by_field_name("name"))
                    local = ctx.text(spec.child_by_field_name("alias") or spec.child_by_field_name("name"))
                    if name == "v1":
                        self.v1_local = local
                    elif name in ("v0", "v1Hybrid"):
                        self.namespaces[local] = (V0 if name == "v0" else HYBRID, spec, statement)
            elif source in DEPRECATED_MODULES:
                self._move_named_imports(statement, source_node, DEPRECATED_MODULES[source], specifiers)

    def _move_named_imports(self, statement, source_node, table, specifiers) -> None:
        ctx = self.ctx
        quote = ctx.text(source_node)[0]
        self._edits.append(Edit(source_node.start_byte, source_node.end_byte, f"{quote}{V1_MODULE}{quote}"))
        self.findings.append((statement, f"imports deprecated v0 types; import them from `{V1_MODULE}`"))
        for spec in specifiers:
            name_node = spec.child_by_field_name("name")
            new = _v1_name(table, ctx.text(name_node))
            if new is None:
                self._reason = f"`{ctx.text(name_node)}` has no v1 counterpart; migrate it by hand"
                continue
            if new != ctx.text(name_node):
                self._edits.append(Edit(name_node.start_byte, name_node.end_byte, new))
                if spec.child_by_field_name("alias") is None:
                    self.renamed[ctx.text(name_node)] = new

    def _collect_references(self) -> None:
        ctx = self.ctx
        stack = [ctx.tree.root_node]
        while stack:
            node = stack.pop()
            if node.type == "nested_type_identifier":
                self._namespaced(node)
                continue
            if node.type == "type_identifier" and ctx.text(node) in self.renamed:
                new = self.renamed[ctx.text(node)]
                self._edits.append(Edit(node.start_byte, node.end_byte, new))
                self.findings.append((node, f"`{ctx.text(node)}` is a deprecated v0 type; use `{new}` from `{V1_MODULE}`"))
                continue
            if node.type == "identifier" and ctx.text(node) in self.namespaces and node.parent.type != "import_specifier":
                self._reason = f"`{ctx.text(node)}` is used as a value; migrate it by hand"
            stack.extend(node.named_children)
        self._move_namespace_imports()

    def _namespaced(self, node) -> None:
        ctx = self.ctx
        module, name = node.child_by_field_name("module"), node.child_by_field_name("name")
        if module is None or name is None or ctx.text(module) not in self.namespaces:
            return
        table = self.namespaces[ctx.text(module)][0]
        new = _v1_name(table, ctx.text(name))
        v1 = self.v1_local or "v1"
        if new is None:
            self._reason = f"`{ctx.text(node)}` has no v1 counterpart; migrate it by hand"
            self.findings.append((node, f"`{ctx.text(node)}` is a deprecated v0 type with no v1 counterpart"))
            return
        self._edits.append(Edit(node.start_byte, node.end_byte, f"{v1}.{new}"))
        if table is V0 or ctx.text(name) in HYBRID or ctx.text(name) == "DockerDesktopClient":
            self.findings.append((node, f"`{ctx.text(node)}` is a deprecated v0 type; use `{v1}.{new}`"))

    def _move_namespace_imports(self) -> None:
        for local, (_, spec, _statement) in self.namespaces.items():
            if spec.child_by_field_name("alias") is None and self.v1_local is None:
                name = spec.child_by_field_name("name")
                self._edits.append(Edit(name.start_byte, name.end_byte, "v1"))
                self.v1_local = "v1"
                continue
            siblings = [s for s in spec.parent.named_children if s.type == "import_specifier"]
            index = siblings.index(spec)
            if len(siblings) == 1:
                self._reason = f"`{local}` is imported alone under another name; migrate it by hand"
            elif index < len(siblings) - 1:
                self._edits.append(Edit(spec.start_byte, siblings[index + 1].start_byte, ""))
            else:
                self._edits.append(Edit(siblings[index - 1].end_byte, spec.end_byte, ""))
