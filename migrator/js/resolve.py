"""Where does a value come from? A small scope resolver for the Docker Desktop client.

Rules ask one question of an expression: is it the desktop client, its deprecated ``backend``,
or neither? Matching names alone would flag every object called ``backend``; instead this
module follows bindings through lexical scopes (imports, ``const``/``let``/``var``,
destructuring, parameters, functions that return the client) back to one of the places a
client really comes from (see ``shared/SDK-API.md``): the injected global ``ddClient``, or
``createDockerDesktopClient()`` imported from ``@docker/extension-api-client``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import Enum

from migrator.core import languages

CLIENT_PACKAGE = "@docker/extension-api-client"
TYPES_PACKAGE = "@docker/extension-api-client-types"
FACTORY_NAME = "createDockerDesktopClient"
GLOBAL_OBJECTS = frozenset({"window", "globalThis", "self"})
CLIENT_GLOBAL = "ddClient"
# Hooks that, by the convention of Docker's extension templates, return the client. A hook
# defined in the same file is resolved by reading its body; these names are trusted when
# the hook is imported from another module.
HOOK_NAMES = frozenset({"useDockerDesktopClient", "useDDClient", "useDdClient"})

# How many steps a value is followed (see Resolver.kind).
MAX_DEPTH = 100

FUNCTION_TYPES = frozenset({
    "function_declaration", "function_expression", "function", "arrow_function",
    "method_definition", "generator_function_declaration", "generator_function",
})
BLOCK_TYPES = frozenset({
    "program", "statement_block", "for_statement", "for_in_statement", "catch_clause",
    "class_body", "switch_body",
})
SCOPE_TYPES = FUNCTION_TYPES | BLOCK_TYPES
# Wrappers that do not change the value, only its static type or grouping.
TRANSPARENT = frozenset({
    "parenthesized_expression", "as_expression", "satisfies_expression",
    "non_null_expression", "type_assertion",
})


class Kind(Enum):
    GLOBAL = "global"  # window, globalThis, self
    CLIENT = "client"  # the DockerDesktopClient
    BACKEND = "backend"  # client.backend (v0)
    FACTORY = "factory"  # createDockerDesktopClient
    MODULE = "module"  # the @docker/extension-api-client module object
    CLIENT_FN = "client_fn"  # a function (hook) that returns the client
    EXTENSION = "extension"  # client.extension
    VM = "vm"  # client.extension.vm
    HOST = "host"  # client.extension.host
    DOCKER = "docker"  # client.docker
    VM_CLI = "vm_cli"  # client.extension.vm.cli
    HOST_CLI = "host_cli"  # client.extension.host.cli
    DOCKER_CLI = "docker_cli"  # client.docker.cli


def key(node) -> tuple[int, int, str]:
    return (node.start_byte, node.end_byte, node.type)


@dataclass
class Binding:
    """One declared name."""

    name: str
    kind: str  # const, let, var, param, function, class, import, catch, for
    name_node: object
    scope: object
    declarator: object = None  # variable_declarator, import specifier, function or parameter node
    value: object = None  # initializer expression
    # Keys leading from ``value`` to this name through destructuring; None stands for a step
    # that cannot be followed (array element, rest, default value).
    path: tuple = ()
    source: str | None = None  # module an import comes from
    imported: str | None = None  # imported name, "default" or "*"
    type_node: object = None
    assignments: list = field(default_factory=list)  # right-hand sides of later assignments
    reassigned_unknown: bool = False  # ++, +=, for-of target...


def unwrap(node):
    """Strip parentheses, type assertions and non-null assertions around an expression."""
    while node is not None and node.type in TRANSPARENT:
        children = node.named_children
        if not children:
            return None
        # `<T>expr` puts the type first; every other wrapper puts the expression first.
        node = children[-1] if node.type == "type_assertion" else children[0]
    return node


def string_value(node) -> str | None:
    """The value of a plain string literal without escapes, else None."""
    if node is None or node.type != "string":
        return None
    fragments = [c for c in node.named_children]
    if any(c.type != "string_fragment" for c in fragments):
        return None
    return "".join(c.text.decode() for c in fragments)


def member_name(node) -> str | None:
    """The property name of ``a.b`` or ``a["b"]``."""
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return prop.text.decode() if prop is not None else None
    if node.type == "subscript_expression":
        return string_value(node.child_by_field_name("index"))
    return None


def members_named(root, text: bytes, names) -> list:
    """The ``a.b`` and ``a["b"]`` expressions under ``root`` whose property is one of ``names``,
    in source order: found from the names' occurrences in ``text`` (the tree's source), not
    by a walk over every node."""
    found: dict[tuple, object] = {}
    size = len(text)
    for name in names:
        needle = name.encode()
        at = text.find(needle)
        while at >= 0:
            end = at + len(needle)
            if (at == 0 or not _word_byte(text[at - 1])) and (end >= size or not _word_byte(text[end])):
                node = root.named_descendant_for_byte_range(at, end)
                # The property of a member expression, or the string (fragment) indexing a subscript.
                for _ in range(3):
                    if node is None or node.type in ("member_expression", "subscript_expression"):
                        break
                    node = node.parent
                if node is not None and node.type in ("member_expression", "subscript_expression") \
                        and member_name(node) == name:
                    found.setdefault(key(node), node)
            at = text.find(needle, end)
    return [found[k] for k in sorted(found)]


@dataclass(frozen=True)
class Exports:
    """Another module of the project as an import sees it: what it exports that is (or
    gives) the client, by exported name ("default" for the default export). ``whole`` is the
    kind of a CommonJS ``module.exports = ...`` value, which ``require()`` returns."""

    path: str
    names: tuple = ()  # ((name, Kind | Exports), ...), sorted
    whole: object = None  # Kind | Exports | None

    def get(self, name: str | None):
        return next((kind for n, kind in self.names if n == name), None)


class Resolver:
    """Bindings of one parsed file, built in one walk, and the value kinds derived from them.

    ``modules`` maps the module specifiers this file imports (as written: ``"./lib/client"``)
    to what those modules export (``migrator.js.project`` builds it); without it, only the
    client packages and the global are known.
    """

    def __init__(self, root, modules: dict | None, language) -> None:
        self.root = root
        self._language = language  # the tree's tree_sitter.Language: its nodes are found by a query
        self.modules: dict = modules or {}
        self.scopes: dict[tuple, dict[str, Binding]] = {}
        self.references = _References(self)  # name -> the identifiers referring to it, found when asked
        self._kinds: dict[tuple, Kind | None] = {}
        self._depth = 0
        self._bindings_by_name_node: dict[tuple, Binding] = {}
        # Scope chains recorded while collecting: tree-sitter computes Node.parent by descending
        # from the root, so climbing parents for every lookup cost depth squared.
        self._scope_parent: dict[tuple, tuple | None] = {key(root): None}
        self._scope_starts: list[int] = []  # the scopes, in source order: where each opens
        self._scope_keys: list[tuple] = []
        self._text: bytes | None = None
        self._imports_client_package = False
        self._collect()

    # -- building ---------------------------------------------------------------------------

    def _declare(self, scope, binding: Binding) -> None:
        self.scopes.setdefault(key(scope), {})[binding.name] = binding
        self._bindings_by_name_node[key(binding.name_node)] = binding

    def _collect(self) -> None:
        """Declarations and scopes, from the nodes that declare or delimit them (found by one
        query, in C: a walk in Python over every node cost most of the analysis of a large
        file). Identifiers are not collected: where one refers is found from the scopes'
        byte ranges, and the references of a name are found when asked (``references``)."""
        pending_assignments = []
        root = self.root
        root_key = key(root)
        # The open scopes around the current node: start, end, block, function, block key.
        stack = [(root.start_byte, root.end_byte, root, root, root_key)]
        starts, keys = self._scope_starts, self._scope_keys
        for node in _declaring_nodes(root, self._language):
            start, end = node.start_byte, node.end_byte
            top = stack[-1]
            while len(stack) > 1 and not (top[0] <= start and end <= top[1]):
                stack.pop()
                top = stack[-1]
            _, _, block, func, block_key = top
            kind = node.type
            if kind in FUNCTION_TYPES:
                self._declare_function(node, block, func)
                node_key = (start, end, kind)
                self._scope_parent[node_key] = block_key
                block = func = node
                block_key = node_key
                stack.append((start, end, node, node, node_key))
                starts.append(start)
                keys.append(node_key)
            elif kind in BLOCK_TYPES:
                node_key = (start, end, kind)
                if node_key == root_key:
                    continue
                self._scope_parent[node_key] = block_key
                block, block_key = node, node_key
                stack.append((start, end, node, func, node_key))
                starts.append(start)
                keys.append(node_key)
            handler = _HANDLERS.get(kind)
            if handler is not None:
                handler(self, node, block, func, pending_assignments)
        for name_node, rhs in pending_assignments:
            binding = self.lookup(name_node)
            if binding is None:
                continue
            if rhs is None:
                binding.reassigned_unknown = True
            else:
                binding.assignments.append(rhs)

    def _innermost_scope(self, node) -> tuple:
        """The key of the innermost scope around ``node``: scopes nest, so it is the last one
        to open at or before the node, or one of that one's parents."""
        start, end = node.start_byte, node.end_byte
        index = bisect.bisect_right(self._scope_starts, start) - 1
        scope = self._scope_keys[index] if index >= 0 else key(self.root)
        while scope is not None and not (scope[0] <= start and end <= scope[1]):
            scope = self._scope_parent.get(scope)
        return scope if scope is not None else key(self.root)

    def _references_named(self, name: str) -> tuple[bool, list]:
        """Whether an identifier ``name`` occurs at all, and those that are not declarations,
        in source order: found in the bytes, each occurrence checked to be an identifier node
        (not a property, a string, a comment)."""
        text = self._text
        if text is None:
            text = self._text = self.root.text or b""
        needle = name.encode()
        found, seen = [], False
        at = text.find(needle)
        size = len(needle)
        root = self.root
        base = root.start_byte  # the root's text starts where its first token does, not at byte 0
        while at >= 0:
            end = at + size
            if (at == 0 or not _word_byte(text[at - 1])) and (end >= len(text) or not _word_byte(text[end])):
                node = root.named_descendant_for_byte_range(base + at, base + end)
                if node is not None and node.type in _REFERENCE_TYPES and node.start_byte == base + at \
                        and node.end_byte == base + end:
                    seen = True
                    if (base + at, base + end, node.type) not in self._bindings_by_name_node:
                        found.append(node)
            at = text.find(needle, end)
        return seen, found

    def _declare_function(self, node, block, func) -> None:
        name = node.child_by_field_name("name")
        if node.type in ("function_declaration", "generator_function_declaration") and name is not None:
            self._declare(block, Binding(name.text.decode(), "function", name, block, declarator=node))
        params = node.child_by_field_name("parameters")
        if params is None:
            single = node.child_by_field_name("parameter")
            params_list = [single] if single is not None else []
        else:
            params_list = params.named_children
        for param in params_list:
            type_node = None
            pattern = param
            if param.type in ("required_parameter", "optional_parameter"):
                pattern = param.child_by_field_name("pattern")
                type_node = param.child_by_field_name("type")
            if pattern is None:
                continue
            if pattern.type == "assignment_pattern":
                pattern = pattern.child_by_field_name("left")
            for name_node, path in pattern_names(pattern, ()):
                self._declare(node, Binding(name_node.text.decode(), "param", name_node, node,
                                            declarator=param, path=path, type_node=type_node))

    def lookup(self, identifier) -> Binding | None:
        """The binding an identifier refers to, innermost scope first; None for globals."""
        name = identifier.text.decode()
        if identifier.type not in _REFERENCE_TYPES:
            return self.lookup_name(name, identifier.parent)
        scope = self._innermost_scope(identifier)
        while scope is not None:
            bindings = self.scopes.get(scope)
            if bindings is not None and name in bindings:
                return bindings[name]
            scope = self._scope_parent.get(scope)
        return None

    def lookup_name(self, name: str, node) -> Binding | None:
        """The binding ``name`` would refer to if written inside ``node``."""
        while node is not None:
            scope = self.scopes.get(key(node))
            if scope is not None and name in scope:
                return scope[name]
            node = node.parent
        return None

    def binding_of_name_node(self, name_node) -> Binding | None:
        return self._bindings_by_name_node.get(key(name_node))

    def references_to(self, binding: Binding) -> list:
        """Every identifier that refers to ``binding`` (its declaration excluded)."""
        return [n for n in self.references.get(binding.name, ()) if self.lookup(n) is binding]

    # -- classification ---------------------------------------------------------------------

    def kind(self, node) -> Kind | None:
        """What a (possibly wrapped) expression evaluates to, as far as the client goes.

        Following a value goes through aliases, member chains and returned values by
        recursion. Past MAX_DEPTH steps (no hand-written code comes near: generated code does)
        the answer is "not the client": a finding may be missed there, never invented, and the
        file is still analysed.
        """
        node = unwrap(node)
        if node is None:
            return None
        k = key(node)
        if k in self._kinds:
            return self._kinds[k]
        if self._depth >= MAX_DEPTH:
            return None
        self._kinds[k] = None  # guards against cycles such as `let a = b; let b = a`
        self._depth += 1
        try:
            result = self._classify(node)
        finally:
            self._depth -= 1
        self._kinds[k] = result
        return result

    def _classify(self, node) -> Kind | None:
        t = node.type
        if t == "identifier":
            return self._classify_identifier(node)
        if t in ("member_expression", "subscript_expression"):
            obj = unwrap(node.child_by_field_name("object"))
            if obj is not None and obj.type == "this":
                return self.this_member_kind(obj, member_name(node))
            return step(self.kind(obj), member_name(node))
        if t == "call_expression":
            return self._classify_call(node)
        if t in FUNCTION_TYPES:
            return Kind.CLIENT_FN if self.returns_client(node) else None
        if t == "await_expression":
            # `await createDockerDesktopClient()` is harmless and does occur.
            inner = node.named_children[0] if node.named_children else None
            return self.kind(inner) if inner is not None else None
        return None

    def _classify_identifier(self, node) -> Kind | None:
        binding = self.lookup(node)
        name = node.text.decode()
        if binding is None:
            if name in GLOBAL_OBJECTS:
                return Kind.GLOBAL
            return Kind.CLIENT if name == CLIENT_GLOBAL else None
        return self.binding_kind(binding)

    def binding_kind(self, binding: Binding) -> Kind | None:
        if binding.kind == "import":
            return self._import_kind(binding)
        if binding.kind == "function":
            return self.kind(binding.declarator)
        if binding.kind == "param":
            return self._param_kind(binding)
        if binding.kind not in ("const", "let", "var") or binding.reassigned_unknown:
            return None
        values = ([binding.value] if binding.value is not None else []) + binding.assignments
        kinds = {self._value_kind(v, binding.path) if v is binding.value else self.kind(v) for v in values}
        return kinds.pop() if len(kinds) == 1 else None

    def _follow(self, kind: Kind | None, path: tuple) -> Kind | None:
        for name in path:
            kind = step(kind, name)
        return kind

    def _import_kind(self, binding: Binding) -> Kind | None:
        if binding.source == CLIENT_PACKAGE:
            if binding.imported == FACTORY_NAME:
                return Kind.FACTORY
            if binding.imported == "*":
                return Kind.MODULE
        exports = self.modules.get(binding.source)
        if exports is not None:
            if binding.imported == "*":
                return exports
            found = exports.get(binding.imported)
            if found is None and binding.imported == "default":
                found = exports.whole  # `import x from "./cjs"` of `module.exports = x`
            if found is not None:
                return found
        if binding.imported in HOOK_NAMES:
            return Kind.CLIENT_FN
        return None

    def _param_kind(self, binding: Binding) -> Kind | None:
        if binding.path and binding.path[-1] != CLIENT_GLOBAL:
            return None
        if binding.type_node is not None:
            text = binding.type_node.text.decode()
            if text.rstrip().endswith("DockerDesktopClient") and self.imports_from_client_packages():
                return Kind.CLIENT
        # A parameter spelled like the global (`ddClient`, or `{ ddClient }` from props) is, in
        # extension code, the client handed down; any other name needs a type annotation.
        return Kind.CLIENT if binding.name == CLIENT_GLOBAL else None

    def _classify_call(self, node) -> Kind | None:
        callee = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if callee is None:
            return None
        callee_kind = self.kind(callee)
        if callee_kind in (Kind.FACTORY, Kind.CLIENT_FN):
            return Kind.CLIENT
        if callee_kind is Kind.BACKEND:
            # Early SDK previews: `ddClient.backend("extension-name").execInContainer(...)`.
            return Kind.BACKEND
        callee = unwrap(callee)
        name = callee.text.decode() if callee.type == "identifier" else member_name(callee)
        first = args.named_children[0] if args is not None and args.named_children else None
        if name == "require" and callee.type == "identifier" and string_value(first) == CLIENT_PACKAGE:
            return Kind.MODULE
        if name == "require" and callee.type == "identifier" and string_value(first) in self.modules:
            exports = self.modules[string_value(first)]
            return exports.whole if exports.whole is not None else exports
        # useMemo(() => createDockerDesktopClient(), []) returns what its callback returns.
        if name == "useMemo" and first is not None and self.kind(first) is Kind.CLIENT_FN:
            return Kind.CLIENT
        return None

    def returns_client(self, function) -> bool:
        body = function.child_by_field_name("body")
        if body is None:
            return False
        if body.type != "statement_block":
            return self.kind(body) is Kind.CLIENT
        stack = list(body.named_children)
        while stack:
            node = stack.pop()
            if node.type in FUNCTION_TYPES or node.type in ("class_declaration", "class"):
                continue
            if node.type == "return_statement" and node.named_children:
                if self.kind(node.named_children[0]) is Kind.CLIENT:
                    return True
            stack.extend(node.named_children)
        return False

    def imports_from_client_packages(self) -> bool:
        return self._imports_client_package

    # -- class members: `this.ddClient` ------------------------------------------------------

    def _from_this(self, value, path: tuple) -> bool:
        inner = unwrap(value)
        return bool(path) and path[0] is not None and inner is not None and inner.type == "this"

    def _value_kind(self, value, path: tuple):
        """The kind a declaration's value gives its name (``const { client } = this`` reads a class member)."""
        if self._from_this(value, path):
            return self._follow(self.this_member_kind(unwrap(value), path[0]), path[1:])
        return self._follow(self.kind(value), path)

    def this_member_kind(self, this_node, name: str | None) -> Kind | None:
        """The kind of ``this.<name>``: a member of the enclosing class that every assignment in
        the class (field initializer, TypeScript parameter property, ``this.name = ...``, getter)
        gives the same kind; anything else written to it (``+=``, destructuring, a setter, a
        computed ``this[k] = ...``) makes it unknown. Writes from outside the class are not seen."""
        body = this_class(this_node)
        if body is None or name is None:
            return None
        members = self._class_members(body)
        if "" in members or name not in members:  # "": a computed write, any member may change
            return None
        kinds = set()
        for value in members[name]:
            if value is None:
                return None
            kinds.add(self._param_kind(value) if isinstance(value, Binding) else
                      (Kind.CLIENT if self.returns_client(value) else None) if value.type == "method_definition"
                      else self.kind(value))
        return kinds.pop() if len(kinds) == 1 else None

    def _class_members(self, body) -> dict:
        """What is written to each instance member of a class: value nodes, parameter
        bindings, getters, and None for a write whose value is not known."""
        cache = self.__dict__.setdefault("_members_by_class", {})
        k = key(body)
        if k in cache:
            return cache[k]
        members: dict[str, list] = {}
        cache[k] = members
        for member in body.named_children:
            static = any(c.type == "static" for c in member.children)
            if member.type in ("public_field_definition", "field_definition") and not static:
                name = member.child_by_field_name("name") or member.child_by_field_name("property")
                value = member.child_by_field_name("value")
                if name is not None:
                    members.setdefault(name.text.decode(), []).extend([value] if value is not None else [])
            elif member.type == "method_definition" and not static:
                name = member.child_by_field_name("name")
                label = name.text.decode() if name is not None else ""
                if label == "constructor":
                    self._parameter_properties(member, members)
                elif any(c.type == "get" for c in member.children):
                    members.setdefault(label, []).append(member)
                else:
                    members.setdefault(label, []).append(None)  # a method or setter: not a client
        stack = list(body.named_children)
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            if node.type not in ("member_expression", "subscript_expression"):
                continue
            obj = unwrap(node.child_by_field_name("object"))
            owner = this_class(obj) if obj is not None and obj.type == "this" else None
            if owner is None or key(owner) != k:
                continue
            written, value = _written(node)
            if not written:
                continue
            name = member_name(node)
            if name is None:
                members[""] = [None]
            else:
                members.setdefault(name, []).append(value)
        return members

    def _parameter_properties(self, constructor, members: dict) -> None:
        params = constructor.child_by_field_name("parameters")
        for param in params.named_children if params is not None else ():
            if not any(c.type in ("accessibility_modifier", "readonly", "override_modifier") for c in param.children):
                continue
            pattern = param.child_by_field_name("pattern")
            binding = self.binding_of_name_node(pattern) if pattern is not None else None
            if binding is not None:
                members.setdefault(binding.name, []).append(binding)


_STEPS = {
    (Kind.GLOBAL, CLIENT_GLOBAL): Kind.CLIENT,
    (Kind.CLIENT, "backend"): Kind.BACKEND,
    (Kind.MODULE, FACTORY_NAME): Kind.FACTORY,
    (Kind.CLIENT, "extension"): Kind.EXTENSION,
    (Kind.CLIENT, "docker"): Kind.DOCKER,
    (Kind.EXTENSION, "vm"): Kind.VM,
    (Kind.EXTENSION, "host"): Kind.HOST,
    (Kind.VM, "cli"): Kind.VM_CLI,
    (Kind.HOST, "cli"): Kind.HOST_CLI,
    (Kind.DOCKER, "cli"): Kind.DOCKER_CLI,
}


def step(kind: Kind | Exports | None, name: str | None) -> Kind | Exports | None:
    """The kind of ``<something of kind>.<name>`` (a member of another module's namespace too)."""
    if isinstance(kind, Exports):
        return kind.get(name)
    return _STEPS.get((kind, name))


def this_class(this_node):
    """The class body whose instance ``this`` means at this node, or None (a plain function,
    an object literal's method, a static member, the top level)."""
    node = this_node.parent
    while node is not None:
        t = node.type
        if t in ("public_field_definition", "field_definition", "method_definition"):
            parent = node.parent
            if parent is None or parent.type != "class_body" or any(c.type == "static" for c in node.children):
                return None
            return parent
        if t in FUNCTION_TYPES and t != "arrow_function":
            return None
        if t in ("class_body", "class_static_block", "program"):
            return None
        node = node.parent
    return None


def _written(member) -> tuple[bool, object]:
    """Whether ``member`` (``this.x``) is written here, and the value when it is a plain ``=``."""
    outer = member
    while outer.parent is not None and outer.parent.type in TRANSPARENT:
        outer = outer.parent
    parent = outer.parent
    if parent is None:
        return False, None
    t = parent.type
    if t == "assignment_expression" and parent.child_by_field_name("left") == outer:
        return True, parent.child_by_field_name("right")
    if t in ("augmented_assignment_expression", "update_expression"):
        return parent.child_by_field_name("left") == outer or parent.child_by_field_name("argument") == outer, None
    if t in ("array_pattern", "rest_pattern", "object_pattern", "pair_pattern", "object_assignment_pattern",
             "assignment_pattern"):
        return True, None
    if t == "for_in_statement" and parent.child_by_field_name("left") == outer:
        return True, None
    if t == "unary_expression" and parent.children[0].type == "delete":
        return True, None
    return False, None


def pattern_names(pattern, path: tuple):
    """(identifier node, key path) for every name a binding pattern declares."""
    t = pattern.type
    if t == "identifier":
        yield pattern, path
    elif t == "shorthand_property_identifier_pattern":
        yield pattern, path + (pattern.text.decode(),)
    elif t == "object_pattern":
        for child in pattern.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                yield child, path + (child.text.decode(),)
            elif child.type == "pair_pattern":
                key_node = child.child_by_field_name("key")
                key_name = key_node.text.decode() if key_node.type == "property_identifier" else string_value(key_node)
                value = child.child_by_field_name("value")
                if value is not None:
                    yield from pattern_names(value, path + (key_name,))
            elif child.type == "object_assignment_pattern":
                left = child.child_by_field_name("left")
                if left is not None:
                    yield from pattern_names(left, path + (None,))
            elif child.type == "rest_pattern":
                yield from pattern_names(child.named_children[0], path + (None,))
    elif t in ("array_pattern", "rest_pattern"):
        for child in pattern.named_children:
            yield from pattern_names(child, path + (None,))
    elif t == "assignment_pattern":
        left = pattern.child_by_field_name("left")
        if left is not None:
            yield from pattern_names(left, path + (None,))


# -- per-node handlers used while collecting -------------------------------------------------

def _on_declarator(resolver: Resolver, node, block, func, pending) -> None:
    parent = node.parent
    kind_node = parent.child_by_field_name("kind") if parent is not None else None
    if parent is not None and parent.type == "variable_declaration":
        decl_kind, scope = "var", func
    else:
        decl_kind = kind_node.text.decode() if kind_node is not None else "let"
        scope = block
    name = node.child_by_field_name("name")
    value = node.child_by_field_name("value")
    if name is None:
        return
    for name_node, path in pattern_names(name, ()):
        resolver._declare(scope, Binding(name_node.text.decode(), decl_kind, name_node, scope,
                                         declarator=node, value=value, path=path))


def _on_import(resolver: Resolver, node, block, func, pending) -> None:
    source = string_value(node.child_by_field_name("source"))
    if source and source.startswith(CLIENT_PACKAGE):
        resolver._imports_client_package = True
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    if clause is None:
        return
    for child in clause.named_children:
        if child.type == "identifier":
            entries = [(child, "default", child)]
        elif child.type == "namespace_import":
            ident = next((c for c in child.named_children if c.type == "identifier"), None)
            entries = [(ident, "*", child)] if ident is not None else []
        elif child.type == "named_imports":
            entries = []
            for spec in child.named_children:
                if spec.type != "import_specifier":
                    continue
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                entries.append((alias, name.text.decode().strip("'\""), spec))
        else:
            entries = []
        for ident, imported, declarator in entries:
            resolver._declare(resolver.root, Binding(ident.text.decode(), "import", ident, resolver.root,
                                                     declarator=declarator, source=source, imported=imported))


def _on_class(resolver: Resolver, node, block, func, pending) -> None:
    name = node.child_by_field_name("name")
    if name is not None:
        resolver._declare(block, Binding(name.text.decode(), "class", name, block))


def _on_catch(resolver: Resolver, node, block, func, pending) -> None:
    param = node.child_by_field_name("parameter")
    if param is not None:
        for name_node, path in pattern_names(param, ()):
            resolver._declare(node, Binding(name_node.text.decode(), "catch", name_node, node, path=path))


def _on_for_in(resolver: Resolver, node, block, func, pending) -> None:
    left = node.child_by_field_name("left")
    kind_node = node.child_by_field_name("kind")
    if left is None:
        return
    if kind_node is None:
        if left.type == "identifier":
            pending.append((left, None))
        return
    for name_node, path in pattern_names(left, ()):
        resolver._declare(node, Binding(name_node.text.decode(), "for", name_node, node, path=path))


def _on_assignment(resolver: Resolver, node, block, func, pending) -> None:
    left = node.child_by_field_name("left")
    if left is not None and left.type == "identifier":
        pending.append((left, node.child_by_field_name("right") if node.type == "assignment_expression" else None))


def _on_update(resolver: Resolver, node, block, func, pending) -> None:
    arg = node.child_by_field_name("argument")
    if arg is not None and arg.type == "identifier":
        pending.append((arg, None))


_HANDLERS = {
    "variable_declarator": _on_declarator,
    "import_statement": _on_import,
    "class_declaration": _on_class,
    "catch_clause": _on_catch,
    "for_in_statement": _on_for_in,
    "assignment_expression": _on_assignment,
    "augmented_assignment_expression": _on_assignment,
    "update_expression": _on_update,
}


# -- finding what the resolver reads -------------------------------------------------------------

_REFERENCE_TYPES = frozenset({"identifier", "shorthand_property_identifier"})
_DECLARING_TYPES = FUNCTION_TYPES | BLOCK_TYPES | frozenset(_HANDLERS)
_DECLARING = languages.NodesOfTypes(_DECLARING_TYPES)


def _declaring_nodes(root, language) -> list:
    """The nodes of the types that declare names or open scopes, in source order (outer first)."""
    return _DECLARING.find(root, language)


def _word_byte(byte: int) -> bool:
    """Whether a byte may be part of an identifier (ASCII word characters, `$`, any byte of a
    multi-byte UTF-8 character)."""
    return byte >= 0x80 or byte == 0x24 or byte == 0x5F or 0x30 <= byte <= 0x39 or 0x41 <= (byte & 0xDF) <= 0x5A


class _References:
    """The identifiers that refer to a name (declarations left out), by name, found when first
    asked: rules ask about a handful of names, a file holds thousands."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._found: dict[str, tuple[bool, list]] = {}

    def _entry(self, name: str) -> tuple[bool, list]:
        entry = self._found.get(name)
        if entry is None:
            entry = self._found[name] = self._resolver._references_named(name)
        return entry

    def get(self, name: str, default=None):
        seen, found = self._entry(name)
        return found if seen else default

    def __contains__(self, name: str) -> bool:
        return self._entry(name)[0]
