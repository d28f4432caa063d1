"""v0-client-typings: hand-written TypeScript types of the client that list v0 members."""

from __future__ import annotations

import json
import os

from migrator.core.model import Applicability, Edit
from migrator.core.paths import find_up
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.resolve import TYPES_PACKAGE, Kind, string_value
from migrator.migration.table import CLIENT, MEMBERS

V1_MODULE = f"{TYPES_PACKAGE}/dist/v1"
V1_NAME = "DockerDesktopClient"
# What a hand-written client type may list: v0 members (the other rules move their uses) ...
V0_NAMES = frozenset({"backend", *(m.name for m in MEMBERS.values() if m.receiver == CLIENT)})
# ... and the members of v1's `DockerDesktopClient`.
V1_NAMES = frozenset({"extension", "desktopUI", "host", "docker"})
DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "peerDependencies")
_MEMBER_TYPES = frozenset({"property_signature", "method_signature"})
_BODY_TYPES = frozenset({"object_type", "interface_body"})
NOT_ON_DISK = (f"the file is not on disk, so whether `{TYPES_PACKAGE}` is a dependency of its project cannot be told; "
               "run `ddmigrate fix` on the file in its project")


class V0ClientTypings(Rule):
    """a hand-written type of the client lists deprecated v0 members; use v1's `DockerDesktopClient`

    ## What it does
    Finds TypeScript declarations that type the Docker Desktop client by hand with v0
    members (`backend`, `execHostCmd`, `spawnHostCmd`, `execDockerCmd`, `spawnDockerCmd`,
    `listContainers`, `listImages`, `toast*`, `navigateTo*`, `openExternal`):

    - the global: `interface Window { ddClient: {...} }` inside `declare global { }` or at the
      top level of a script (a file without imports or exports, typically `globals.d.ts`),
      `declare var/let/const ddClient: {...}`, `declare global { var ddClient: {...} }`;
    - an interface or type alias of the file used as the client's type: in those
      declarations, `const ddClient: LegacyClient = ...`, a variable, parameter or field whose
      value is the client, `(window as any).ddClient as LegacyClient`, `<LegacyClient>window.ddClient`.

    The fix types the client as `DockerDesktopClient` from `@docker/extension-api-client-types/dist/v1`:
    an inline type is replaced by that name, a named interface becomes
    `type LegacyClient = DockerDesktopClient;` (so every other use of the name follows), and
    `import type { DockerDesktopClient } from "@docker/extension-api-client-types/dist/v1";`
    is added after the file's imports. A script-style file keeps no imports, because one import
    would turn it into a module and every global it declares (`interface Window`, `declare
    module "*.svg"`, ...) into a local one: there the type is written
    `import("@docker/extension-api-client-types/dist/v1").DockerDesktopClient`.

    The fix is offered only when `@docker/extension-api-client-types` is a dependency
    (`dependencies`, `devDependencies` or `peerDependencies`) of the nearest `package.json`
    above the file, or the file already imports from it; otherwise the finding says to add
    it first.

    A `Window` interface without v0 members under `ddClient`, and an interface that has a
    `backend` field but does not type the client, are not reported.

    ## Why is this bad?
    Once `ddmigrate fix` moves the calls to v1 (`ddClient.extension.vm?.service?.get(...)`),
    a client typed by hand with only v0 members no longer has them, and the project's own
    build fails at every migrated call. Typed with Docker's v1 types, the compiler checks the
    migrated calls and points at every deprecated call left.

    ## Example
    ```ts
    declare global {
      interface Window {
        ddClient: { backend: { get(url: string): Promise<unknown> }; execHostCmd(cmd: string): Promise<any> };
      }
    }
    export {};
    ```

    ## Use instead
    ```ts
    import type { DockerDesktopClient } from "@docker/extension-api-client-types/dist/v1";

    declare global {
      interface Window {
        ddClient: DockerDesktopClient;
      }
    }
    export {};
    ```

    ## Fix safety
    Only types change; the emitted JavaScript is the same. The fix is safe when every member
    of the hand-written type is a v0 member (the other rules move, or report, each of their
    uses) or a member v1 has (`extension`, `desktopUI`, `host`, `docker`): what still calls a
    v0 member then fails to compile instead of failing at run time. When the type lists other
    members (its own helpers, an `extends` clause, an index or call signature), v1 lacks
    them and code using them stops compiling: the fix is unsafe and the message names them.
    No fix when the types package is not a dependency, for a generic or merged (declared more
    than once) interface, or for an `export default interface`. A type declared in another
    file is not followed.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/
    """

    code = "DD306"
    name = "v0-client-typings"
    fixable = "sometimes"
    languages = frozenset({"typescript", "tsx"})

    def check(self, ctx):
        typings = _Typings(ctx)
        typings.collect()
        if not typings.found:
            return
        reason = None if typings.imports_types_package() else dependency_problem(ctx.source.path)
        for target in typings.found:
            yield typings.finding(self, target, reason)

    valid = (
        Valid("declare global {\n  interface Window { ddClient: DockerDesktopClient; analytics: { track(e: string): void } }\n}\n"
              "export {};\n"),
        Valid("interface Window { myApp: { backend: string; toastError(m: string): void } }\n", "globals.d.ts"),
        Valid("interface Settings { backend: string; openExternal: boolean }\nconst s: Settings = load();\n"),
        Valid("type Api = { backend: { get(url: string): Promise<unknown> } };\n"
              "const api = (window as any).myApi as Api;\n"),
        Valid("declare global {\n  interface Window { ddClient: { extension: any; desktopUI: any } }\n}\nexport {};\n"),
        Valid("interface LegacyClient { backend: any }\nconst ddClient: LegacyClient = new ApiClient();\n"),
    )
    invalid = (
        Invalid(
            "declare global {\n  interface Window {\n    ddClient: {\n      backend: { get(url: string): Promise<unknown> };\n"
            "      execHostCmd(cmd: string): Promise<any>;\n      toastError(msg: string): void;\n    };\n  }\n}\n"
            "export {};\n",
            message="`ddClient` is typed by hand with deprecated v0 members (`backend`, `execHostCmd`, `toastError`); "
                    "type it as `DockerDesktopClient` from `@docker/extension-api-client-types/dist/v1`",
        ),
        Invalid("interface Window {\n  ddClient: { backend: any; listContainers(): Promise<unknown> };\n}\n",
                filename="globals.d.ts"),
        Invalid("declare var ddClient: { execDockerCmd(cmd: string, ...args: string[]): Promise<any> };\n",
                filename="env.d.ts"),
        Invalid("declare global {\n  var ddClient: { spawnHostCmd(c: string, a: string[], cb: any): void };\n}\nexport {};\n"),
        Invalid(
            "interface LegacyClient {\n  backend: { execInVMExtension(cmd: string): Promise<any> };\n}\n"
            "export const client = (window as any).ddClient as LegacyClient;\n",
            message="`LegacyClient`, the type of the client, lists deprecated v0 members (`backend`); make it "
                    "`DockerDesktopClient` from `@docker/extension-api-client-types/dist/v1`",
        ),
        Invalid(
            "import type { ExecResult } from \"@docker/extension-api-client-types/dist/v1\";\n\ndeclare global {\n"
            "  interface Window {\n    ddClient: {\n      backend: { get: (url: string) => Promise<unknown> };\n"
            "      execHostCmd: (cmd: string) => Promise<ExecResult>;\n    };\n  }\n}\n",
            "import type { ExecResult } from \"@docker/extension-api-client-types/dist/v1\";\n"
            "import type { DockerDesktopClient } from \"@docker/extension-api-client-types/dist/v1\";\n\ndeclare global {\n"
            "  interface Window {\n    ddClient: DockerDesktopClient;\n  }\n}\n",
        ),
        Invalid(
            "import { v1 } from '@docker/extension-api-client-types';\n\nexport interface LegacyClient {\n"
            "  backend: { get: (url: string) => Promise<unknown> };\n  toastError: (msg: string) => void;\n}\n"
            "export const client = (window as any).ddClient as LegacyClient;\nexport let toast: v1.Toast;\n",
            "import { v1 } from '@docker/extension-api-client-types';\n\nexport type LegacyClient = v1.DockerDesktopClient;\n"
            "export const client = (window as any).ddClient as LegacyClient;\nexport let toast: v1.Toast;\n",
        ),
        Invalid(
            "import type { ExecResult } from '@docker/extension-api-client-types/dist/v1';\n"
            "declare var ddClient: { listImages: () => Promise<unknown>; version: string };\nlet r: ExecResult;\n",
            "import type { ExecResult } from '@docker/extension-api-client-types/dist/v1';\n"
            "import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';\n"
            "declare var ddClient: DockerDesktopClient;\nlet r: ExecResult;\n",
            unsafe=True,
            message="`ddClient` is typed by hand with deprecated v0 members (`listImages`); type it as `DockerDesktopClient` "
                    "from `@docker/extension-api-client-types/dist/v1` (v1 lacks `version`: code using them stops compiling)",
        ),
        Invalid("import { createDockerDesktopClient } from '@docker/extension-api-client';\n"
                "type Client = { toastSuccess(m: string): void; navigateToContainers(): void };\n"
                "const ddClient: Client = createDockerDesktopClient();\n", filename="client.tsx"),
    )


def dependency_problem(path: str) -> str | None:
    """None when the types package is a dependency of the nearest package.json above
    ``path``; else why the fix is not offered."""
    if not path or path == "-" or not os.path.isfile(path):
        return NOT_ON_DISK
    candidate = find_up(path, "package.json", os.path.isfile)
    if candidate is None:
        return (f"no package.json was found above {_shown(path)}; add `{TYPES_PACKAGE}` to the project's "
                "devDependencies, then run `ddmigrate fix` again")
    deps = _dependencies(candidate)
    if deps is None:
        return f"{_shown(candidate)} cannot be read as JSON, so whether `{TYPES_PACKAGE}` is a dependency cannot be told"
    if TYPES_PACKAGE not in deps:
        return (f"`{TYPES_PACKAGE}` is not a dependency of {_shown(candidate)}; add it (`npm install --save-dev "
                f"{TYPES_PACKAGE}`), then run `ddmigrate fix` again")
    return None


_PACKAGES: dict[str, tuple] = {}  # path -> (size, mtime_ns, dependency names or None)


def _dependencies(path: str) -> frozenset[str] | None:
    try:
        stat = os.stat(path)
        known = _PACKAGES.get(path)
        if known and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    names = None
    if isinstance(data, dict):
        names = frozenset(name for field in DEPENDENCY_FIELDS if isinstance(data.get(field), dict) for name in data[field])
    _PACKAGES[path] = (stat.st_size, stat.st_mtime_ns, names)
    return names


def _shown(path: str) -> str:
    relative = os.path.relpath(os.path.abspath(path))
    return path if relative.startswith("..") else relative


class _Target:
    """One hand-written client type: inline (an object type) or a declaration of the file."""

    def __init__(self, name_node, body, replace, text_for, v0, extra, problem=None, named=None) -> None:
        self.name_node = name_node  # where the finding is
        self.body = body  # the object type or interface body listing the members
        self.replace = replace  # the node the fix replaces
        self.text_for = text_for  # reference -> replacement text
        self.v0 = v0
        self.extra = extra
        self.problem = problem  # why there is no fix, whatever the project
        self.named = named  # the declared type's name, for a declaration


class _Typings:
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.found: list[_Target] = []
        self._seen: set[tuple[int, int]] = set()
        self.module = any(c.type in ("import_statement", "export_statement") for c in ctx.tree.root_node.named_children)
        self._declarations: dict[str, list] | None = None

    def imports_types_package(self) -> bool:
        """Whether the file already imports from the types package (it resolves, so one more
        import of it adds no dependency)."""
        return any(c.type == "import_statement" and (string_value(c.child_by_field_name("source")) or "").startswith(TYPES_PACKAGE)
                   for c in self.ctx.tree.root_node.named_children)

    # -- finding the client's types ---------------------------------------------------------

    def collect(self) -> None:
        root = self.ctx.tree.root_node
        for statement in root.named_children:
            if statement.type == "ambient_declaration":
                self._ambient(statement)
            elif statement.type == "interface_declaration" and not self.module:
                self._window(statement)
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type == "variable_declarator":
                self._declarator(node)
            elif node.type in ("required_parameter", "optional_parameter", "public_field_definition"):
                self._typed_value(node)
            elif node.type in ("as_expression", "type_assertion", "satisfies_expression"):
                self._assertion(node)
            stack.extend(reversed(node.named_children))

    def _ambient(self, statement) -> None:
        block = next((c for c in statement.named_children if c.type == "statement_block"), None)
        if block is None:  # `declare interface Window {...}` in a script
            if not self.module:
                for inner in statement.named_children:
                    if inner.type == "interface_declaration":
                        self._window(inner)
            return
        if any(self.ctx.text(c) == "global" for c in statement.children if not c.is_named or c.type == "identifier"):
            for inner in block.named_children:
                if inner.type == "interface_declaration":
                    self._window(inner)

    def _window(self, interface) -> None:
        name = interface.child_by_field_name("name")
        body = interface.child_by_field_name("body")
        if name is None or body is None or self.ctx.text(name) not in ("Window", "globalThis"):
            return
        for member in body.named_children:
            if member.type == "property_signature" and self._member_name(member) == "ddClient":
                self._type_of(member.child_by_field_name("name"), member.child_by_field_name("type"))

    def _declarator(self, node) -> None:
        name = node.child_by_field_name("name")
        annotation = node.child_by_field_name("type")
        if name is None or annotation is None:
            return
        value = node.child_by_field_name("value")
        if value is None and self.ctx.text(name) == "ddClient":
            self._type_of(name, annotation)
        elif value is not None and self.ctx.resolver.kind(value) is Kind.CLIENT:
            self._type_of(name, annotation)

    def _typed_value(self, node) -> None:
        name = node.child_by_field_name("pattern") or node.child_by_field_name("name")
        annotation = node.child_by_field_name("type")
        value = node.child_by_field_name("value")
        if name is None or annotation is None:
            return
        if (value is not None and self.ctx.resolver.kind(value) is Kind.CLIENT) or (
                node.type != "public_field_definition" and self.ctx.text(name) == "ddClient"):
            self._type_of(name, annotation)

    def _assertion(self, node) -> None:
        children = node.named_children
        if len(children) != 2:
            return
        expression, written = (children[1], children[0]) if node.type == "type_assertion" else children
        if written.type == "type_arguments":
            written = written.named_children[0] if written.named_children else None
        if written is not None and self.ctx.resolver.kind(expression) is Kind.CLIENT:
            self._type_of(written, written)

    def _type_of(self, where, annotation) -> None:
        """Record the client's type written at ``annotation`` (a type annotation or a type)."""
        written = annotation
        if written is not None and written.type == "type_annotation":
            written = written.named_children[0] if written.named_children else None
        if written is None:
            return
        if written.type == "object_type":
            self._add(where, written, written, lambda ref: ref)
        elif written.type == "type_identifier":
            self._named(self.ctx.text(written))

    def _named(self, name: str) -> None:
        declarations = self.declarations().get(name, [])
        if not declarations:
            return  # declared in another file, or a library type
        declaration = declarations[0]
        name_node = declaration.child_by_field_name("name")
        problem = None
        if len(declarations) > 1:
            problem = f"`{name}` is declared more than once (merged); replace its declarations by hand"
        elif declaration.child_by_field_name("type_parameters") is not None:
            problem = f"`{name}` is generic; replace it by hand"
        if declaration.type == "interface_declaration":
            body = declaration.child_by_field_name("body")
            parent = declaration.parent
            if parent is not None and parent.type == "export_statement" and any(c.type == "default" for c in parent.children):
                problem = problem or f"`{name}` is a default-exported interface; replace it by hand"
            self._add(name_node, body, declaration, lambda ref: f"type {name} = {ref};", declaration=declaration,
                      problem=problem, named=name)
        else:
            value = declaration.child_by_field_name("value")
            if value is not None and value.type == "object_type":
                self._add(name_node, value, value, lambda ref: ref, declaration=declaration, problem=problem, named=name)

    def declarations(self) -> dict[str, list]:
        """Interfaces and type aliases of the file, by name."""
        if self._declarations is None:
            found: dict[str, list] = {}
            stack = [self.ctx.tree.root_node]
            while stack:
                node = stack.pop()
                if node.type in ("interface_declaration", "type_alias_declaration"):
                    name = node.child_by_field_name("name")
                    if name is not None:
                        found.setdefault(self.ctx.text(name), []).append(node)
                stack.extend(reversed(node.named_children))
            self._declarations = found
        return self._declarations

    def _add(self, where, body, replace, text_for, *, declaration=None, problem=None, named=None) -> None:
        if body is None or body.type not in _BODY_TYPES:
            return
        ident = (replace.start_byte, replace.end_byte)
        if ident in self._seen:
            return
        names, extra = [], []
        for member in body.named_children:
            if member.type in _MEMBER_TYPES:
                member_name = self._member_name(member)
                if member_name is None:
                    extra.append("a computed member")
                elif member_name not in names:
                    names.append(member_name)
            elif member.type == "index_signature":
                extra.append("an index signature")
            elif member.type in ("call_signature", "construct_signature"):
                extra.append("a call signature")
        if declaration is not None and declaration.type == "interface_declaration":
            extends = next((c for c in declaration.named_children if c.type == "extends_type_clause"), None)
            if extends is not None:
                extra.append(f"`{self.ctx.text(extends)}`")
        v0 = [n for n in names if n in V0_NAMES]
        if not v0:
            return
        self._seen.add(ident)
        extra = [f"`{n}`" for n in names if n not in V0_NAMES and n not in V1_NAMES] + extra
        self.found.append(_Target(where, body, replace, text_for, v0, extra, problem, named))

    def _member_name(self, member) -> str | None:
        name = member.child_by_field_name("name")
        if name is None:
            return None
        if name.type == "property_identifier":
            return self.ctx.text(name)
        return string_value(name)

    # -- the finding and its fix ------------------------------------------------------------

    def finding(self, rule, target: _Target, reason: str | None):
        ctx = self.ctx
        members = ", ".join(f"`{n}`" for n in target.v0)
        if target.named is None:
            subject = f"`{ctx.text(target.name_node).strip(chr(34) + chr(39))}` is typed by hand with"
            verb = "type it as"
        else:
            subject = f"`{target.named}`, the type of the client, lists"
            verb = "make it"
        message = f"{subject} deprecated v0 members ({members}); {verb} `{V1_NAME}` from `{V1_MODULE}`"
        applicability = Applicability.SAFE
        if target.extra:
            applicability = Applicability.UNSAFE
            message += f" (v1 lacks {', '.join(target.extra)}: code using them stops compiling)"
        reason = target.problem or reason
        edits = [] if reason is not None else self.edits(target)
        return ctx.finding(rule, target.name_node, message, edits=edits, applicability=applicability,
                           no_fix_reason=reason)

    def edits(self, target: _Target) -> list[Edit]:
        reference, imports = self.reference()
        text = target.text_for(reference)
        return [Edit(target.replace.start_byte, target.replace.end_byte, text), *imports]

    def reference(self) -> tuple[str, list[Edit]]:
        """How this file names v1's client type, and the import edits that takes."""
        ctx = self.ctx
        quote = ctx.preferred_quote()
        if not self.module:
            return f"import({quote}{V1_MODULE}{quote}).{V1_NAME}", []
        imports = [c for c in ctx.tree.root_node.named_children if c.type == "import_statement"]
        for statement in imports:
            source = string_value(statement.child_by_field_name("source"))
            for spec in _specifiers(statement):
                name = ctx.text(spec.child_by_field_name("name"))
                local = ctx.text(spec.child_by_field_name("alias") or spec.child_by_field_name("name"))
                if source == V1_MODULE and name == V1_NAME:
                    return local, []
                if source == TYPES_PACKAGE and name == "v1":
                    return f"{local}.{V1_NAME}", []
        local = V1_NAME
        if V1_NAME.encode() in ctx.content:
            local = f"{V1_NAME}V1"
        spec = V1_NAME if local == V1_NAME else f"{V1_NAME} as {local}"
        if imports:
            last = imports[-1]
            semicolon = ";" if ctx.text(last).rstrip().endswith(";") else ""
            line = f"import type {{ {spec} }} from {quote}{V1_MODULE}{quote}{semicolon}"
            return local, [Edit(last.end_byte, last.end_byte, "\n" + line)]
        line = f"import type {{ {spec} }} from {quote}{V1_MODULE}{quote};"
        first = next((c for c in ctx.tree.root_node.named_children if c.type not in ("comment", "hash_bang_line")), None)
        at = first.start_byte if first is not None else len(ctx.content)
        return local, [Edit(at, at, line + "\n\n")]


def _specifiers(statement) -> list:
    return [s for c in statement.named_children if c.type == "import_clause"
            for n in c.named_children if n.type == "named_imports"
            for s in n.named_children if s.type == "import_specifier"]
