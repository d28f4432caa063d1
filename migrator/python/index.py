"""What every Python rule needs: LibCST metadata for one module, byte offsets, and the shim's objects.

A Python rule may only touch an expression that really holds a ``migrator.shim`` client (or the
deprecated backend read from one). This module decides that with LibCST's scope analysis, not by
names: imports and aliases are resolved to qualified names, and a variable counts only when every
assignment to it in its scope gives the same kind of object.

A client is:

- a call of ``migrator.shim.DockerDesktopClient`` (or ``migrator.shim.client.DockerDesktopClient``),
  however it was imported: ``from migrator.shim import DockerDesktopClient as C``,
  ``import migrator.shim as shim``, ``from migrator import shim``, ``import migrator.shim``;
- a call of its ``from_metadata``;
- a call of a function of this file annotated ``-> DockerDesktopClient``;
- a variable every assignment of which is a client (``with ... as client`` included), or a
  parameter or variable annotated with the class (also ``Optional[...]``, ``... | None`` and a
  string annotation).

The backend is ``<client>.backend``, a variable that only ever holds one, or a parameter annotated
``BackendV0``. Everything else is left alone, deliberately: unannotated parameters (a pytest
fixture named ``client`` included), attributes such as ``self.client``, subclasses of the client,
star imports, and values imported from other modules.

Offsets are byte offsets into ``ctx.content``; nothing is ever regenerated with LibCST, so every
byte outside an edit stays as it was.
"""

from __future__ import annotations

import ast
import enum
import functools
import warnings
import weakref
from dataclasses import dataclass, field

from migrator.core.lazy import LazyModule

cst = LazyModule("libcst")
cst_metadata = LazyModule("libcst.metadata")

from migrator.core.model import Edit

CLIENT_CLASSES = frozenset({"migrator.shim.DockerDesktopClient", "migrator.shim.client.DockerDesktopClient"})
BACKEND_CLASSES = frozenset({"migrator.shim.BackendV0", "migrator.shim.legacy.BackendV0"})
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
# Decorators known to keep a function's return value (anything else might replace it).
_TRANSPARENT_DECORATORS = frozenset({"functools.cache", "functools.lru_cache"})
_MAX_DEPTH = 50


class Kind(enum.Enum):
    """What an expression holds, as far as the rules care."""

    CLIENT = "client"  # the values are the table's receivers (migration.table.CLIENT, BACKEND)
    BACKEND = "backend"


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def index_of(ctx) -> PyIndex | None:
    """The metadata of the module ``ctx`` holds, built once per parsed tree; None if there is none."""
    tree = ctx.tree
    if getattr(tree, "module", None) is None:
        return None
    # Byte spans are counted in the module's declared encoding; only UTF-8 (or plain ASCII text)
    # matches the bytes the engine edits.
    encoding = tree.module.encoding.lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8") and not ctx.content.isascii():
        return None
    found = _INDEXES.get(tree)
    if found is None:
        found = PyIndex(tree.module, ctx.content)
        _INDEXES[tree] = found
    return found


class PyIndex:
    """One parsed module with its scopes, parents and byte spans, and the resolution on top."""

    def __init__(self, module: cst.Module, content: bytes) -> None:
        self.module = module
        self.content = content
        wrapper = cst_metadata.MetadataWrapper(module, unsafe_skip_copy=True)  # read positions, never reformat
        self.scopes = wrapper.resolve(cst_metadata.ScopeProvider)
        self.parents = wrapper.resolve(cst_metadata.ParentNodeProvider)
        self._spans = wrapper.resolve(cst_metadata.ByteSpanPositionProvider)
        self._kinds: dict[cst.CSTNode, Kind | None] = {}
        self._quote: str | None = None
        collector = _collector_class()()
        module.visit(collector)
        self.nodes: list[cst.CSTNode] = collector.nodes
        # Which read each node is. A dotted import is read as a whole (`migrator.shim` in
        # `migrator.shim.DockerDesktopClient`), a string annotation as the string.
        self._accesses: dict[cst.CSTNode, object] = {}
        for scope in {id(s): s for s in self.scopes.values() if s is not None}.values():
            for access in scope.accesses:
                self._accesses[access.node] = access

    # -- positions and text -------------------------------------------------------------

    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        """Byte offsets ``[start, end)`` of ``node`` without its own parentheses."""
        span = self._spans[node]
        return span.start, span.start + span.length

    def outer_span(self, node: cst.CSTNode) -> tuple[int, int]:
        """Byte offsets of ``node`` including the parentheses that belong to it."""
        start, end = self.span(node)
        lpar, rpar = getattr(node, "lpar", ()), getattr(node, "rpar", ())
        if lpar and rpar:
            start, end = self.span(lpar[0])[0], self.span(rpar[-1])[1]
        return start, end

    def text(self, node: cst.CSTNode, outer: bool = False) -> str:
        start, end = self.outer_span(node) if outer else self.span(node)
        return self.content[start:end].decode("utf-8")

    def line_of(self, node: cst.CSTNode) -> int:
        return self.content.count(b"\n", 0, self.span(node)[0]) + 1

    def line_indent(self, offset: int) -> str:
        """The whitespace that starts the line holding ``offset``."""
        line_start = self.content.rfind(b"\n", 0, offset) + 1
        line = self.content[line_start:offset]
        return line[: len(line) - len(line.lstrip(b" \t"))].decode()

    def newline(self) -> str:
        return self.module.default_newline

    def indent_unit(self) -> str:
        return self.module.default_indent

    def preferred_quote(self) -> str:
        """The quote most string literals in this file use (double when there are none)."""
        if self._quote is None:
            quotes = [string_prefix_and_quote(n.value if isinstance(n, cst.SimpleString) else n.start)[1][:1]
                      for n in self.nodes if isinstance(n, (cst.SimpleString, cst.FormattedString))]
            single, double = quotes.count("'"), quotes.count('"')
            self._quote = "'" if single > double else '"'
        return self._quote

    def has_comment_between(self, start: int, end: int) -> bool:
        return any(isinstance(n, cst.Comment) and start <= self.span(n)[0] < end for n in self.nodes)

    def name_is_free(self, name: str) -> bool:
        """No name, attribute or parameter anywhere in the module is spelled ``name``."""
        return not any(isinstance(n, cst.Name) and n.value == name for n in self.nodes)

    # -- bindings -------------------------------------------------------------------------

    def bindings(self, node: cst.CSTNode) -> list | None:
        """Every assignment, in the scope(s) the read resolves to, of the name ``node`` reads.

        All of them, not only those before the access: a loop or a later rebinding can make any
        of them the one that is seen. None when ``node`` is not a read LibCST can resolve.
        """
        access = self._accesses.get(node)
        if access is None or not access.referents:
            return None
        found: list = []
        for referent in access.referents:
            for assignment in referent.scope.assignments[referent.name]:
                if assignment not in found:
                    found.append(assignment)
        return found

    def uses(self, assignment) -> list[cst.Name]:
        """The names that read the variable ``assignment`` binds, in its scope and nested ones."""
        names = {access.node for access in assignment.references}
        names.update(access.node for access in assignment.scope.accesses[assignment.name])
        return sorted((n for n in names if isinstance(n, cst.Name)), key=lambda n: self.span(n))

    def single_assignment(self, name: cst.Name):
        """The one assignment of ``name`` when it has exactly one, else None."""
        found = self.bindings(name)
        return found[0] if found and len(found) == 1 else None

    # -- what an expression holds -----------------------------------------------------------

    def kind(self, expr: cst.CSTNode | None, depth: int = 0) -> Kind | None:
        """``Kind.CLIENT``, ``Kind.BACKEND`` or None (unknown, or something else)."""
        if expr is None or depth > _MAX_DEPTH:
            return None
        if expr in self._kinds:
            return self._kinds[expr]
        self._kinds[expr] = None  # a cycle (a = b; b = a) resolves to "unknown"
        found = self._kind(expr, depth + 1)
        self._kinds[expr] = found
        return found

    def _kind(self, expr: cst.CSTNode, depth: int) -> Kind | None:
        if isinstance(expr, cst.Call):
            return Kind.CLIENT if self._makes_client(expr.func) else None
        if isinstance(expr, cst.Attribute):
            if expr.attr.value == "backend" and self.kind(expr.value, depth) is Kind.CLIENT:
                return Kind.BACKEND
            return None
        if isinstance(expr, cst.Name):
            assignments = self.bindings(expr)
            if not assignments:
                return None
            kinds = {self._assignment_kind(a, depth) for a in assignments}
            return kinds.pop() if len(kinds) == 1 else None
        if isinstance(expr, cst.NamedExpr):
            return self.kind(expr.value, depth)
        return None

    def _makes_client(self, func: cst.BaseExpression) -> bool:
        if self.is_class(func, CLIENT_CLASSES):
            return True
        if isinstance(func, cst.Attribute) and func.attr.value == "from_metadata":
            return self.is_class(func.value, CLIENT_CLASSES)
        if isinstance(func, cst.Name):
            assignments = self.bindings(func)
            return bool(assignments) and all(self._returns_client(a) for a in assignments)
        return False

    def _returns_client(self, assignment) -> bool:
        node = getattr(assignment, "node", None)
        if type(assignment) is not cst_metadata.Assignment or not isinstance(node, cst.FunctionDef):
            return False
        if node.asynchronous is not None or node.returns is None:
            return False
        for decorator in node.decorators:
            target = decorator.decorator
            target = target.func if isinstance(target, cst.Call) else target
            if not self.is_class(target, _TRANSPARENT_DECORATORS):
                return False
        return self.annotation_kind(node.returns.annotation) is Kind.CLIENT

    def _assignment_kind(self, assignment, depth: int) -> Kind | None:
        if type(assignment) is not cst_metadata.Assignment:
            return None  # imports, builtins, class and function definitions
        node = assignment.node
        if isinstance(node, cst.Param):
            parameters = self.parents.get(node)
            if node.annotation is None or node is getattr(parameters, "star_arg", None) \
                    or node is getattr(parameters, "star_kwarg", None):
                return None
            return self.annotation_kind(node.annotation.annotation)
        if not isinstance(node, cst.Name):
            return None
        parent = self.parents.get(node)
        if isinstance(parent, cst.AssignTarget):
            return self.kind(self.parents[parent].value, depth)
        if isinstance(parent, cst.AnnAssign) and parent.target is node:
            declared = self.annotation_kind(parent.annotation.annotation)
            return declared or self.kind(parent.value, depth)
        if isinstance(parent, cst.AsName):
            item = self.parents.get(parent)
            # The shim's __enter__ returns the client itself.
            if isinstance(item, cst.WithItem) and self.kind(item.item, depth) is Kind.CLIENT:
                return Kind.CLIENT
            return None
        if isinstance(parent, cst.NamedExpr) and parent.target is node:
            return self.kind(parent.value, depth)
        return None

    def annotation_kind(self, expr: cst.BaseExpression) -> Kind | None:
        """The kind an annotation promises: the client class, ``BackendV0``, or optional forms of them."""
        if isinstance(expr, (cst.Name, cst.Attribute, cst.SimpleString)):
            if self.is_class(expr, CLIENT_CLASSES):
                return Kind.CLIENT
            if self.is_class(expr, BACKEND_CLASSES):
                return Kind.BACKEND
            return None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            sides = [s for s in (expr.left, expr.right) if not _is_none(s)]
            return self.annotation_kind(sides[0]) if len(sides) == 1 else None
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and self.is_class(expr.value, _OPTIONAL):
            element = expr.slice[0].slice
            return self.annotation_kind(element.value) if isinstance(element, cst.Index) else None
        return None

    def is_class(self, expr: cst.BaseExpression, qualified_names: frozenset[str]) -> bool:
        """Whether ``expr`` names one of ``qualified_names`` through imports only.

        The first name of a dotted reference must be bound by imports alone in its scope
        (``DockerDesktopClient = FakeClient`` anywhere in that scope disqualifies it).
        """
        scope = self.scopes.get(expr)
        if scope is None:
            return False
        if isinstance(expr, cst.SimpleString):
            # LibCST resolves the first name of a string annotation only: accept plain names.
            if "b" in expr.prefix.lower() or not _evaluated(expr).isidentifier():
                return False
            read = expr
        else:
            read = expr
            while read not in self._accesses and isinstance(read, cst.Attribute):
                read = read.value
        assignments = self.bindings(read)
        if not assignments or not all(isinstance(a, cst_metadata.ImportAssignment) for a in assignments):
            return False
        names = {q.name for q in scope.get_qualified_names_for(expr)}
        return bool(names) and names <= qualified_names

    # -- reaching the client again --------------------------------------------------------------

    def backend_declaration(self, name: cst.Name):
        """For a variable holding the backend: ``(assignment, the `backend` attribute)`` when it is
        assigned exactly once, by ``name = <client>.backend``; else None."""
        assignment = self.single_assignment(name)
        if assignment is None or type(assignment) is not cst_metadata.Assignment or not isinstance(assignment.node, cst.Name):
            return None
        target = self.parents.get(assignment.node)
        statement = self.parents.get(target)
        if not isinstance(target, cst.AssignTarget) or not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
            return None
        value = statement.value
        if isinstance(value, cst.Attribute) and value.attr.value == "backend" and self.kind(value) is Kind.BACKEND:
            return assignment, value
        return None

    def client_through(self, name: cst.Name) -> tuple[str | None, str | None]:
        """The source of the client a backend variable came from, usable where ``name`` is read.

        Only a client held in a variable assigned once (so it is the same object), and visible
        with that same binding where ``name`` is read, is written again. Returns (text, None) or
        (None, reason).
        """
        declared = self.backend_declaration(name)
        if declared is None:
            return None, (f"the backend comes from `{name.value}`, whose client is not known here; "
                          "call the client's v1 API directly")
        client = declared[1].value
        if not isinstance(client, cst.Name):
            return None, (f"`{name.value}` was read from `{self.text(client, outer=True)}`, which cannot be "
                          "evaluated again here; call the client's v1 API directly")
        assignment = self.single_assignment(client)
        scope = self.scopes.get(name)
        if assignment is None or scope is None or set(scope[client.value]) != {assignment}:
            return None, (f"`{client.value}` may not be the same client where `{name.value}` is used; "
                          "call the client's v1 API directly")
        return client.value, None


@functools.cache
def _collector_class():
    """A visitor collecting every node of the module, in source order (made on first use, so
    that importing this module does not import LibCST)."""

    class Collector(cst.CSTVisitor):
        def __init__(self) -> None:
            self.nodes: list = []

        def on_visit(self, node) -> bool:
            self.nodes.append(node)
            return True

    return Collector


def _evaluated(node: cst.SimpleString) -> str:
    try:
        value = node.evaluated_value
    except Exception:  # noqa: BLE001 - LibCST accepts literals Python would reject
        return ""
    return value if isinstance(value, str) else ""


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


# -- deprecated calls and their receivers ---------------------------------------------------------


@dataclass
class Member:
    """``<receiver>.<method>`` where the receiver holds the client or its backend."""

    node: cst.Attribute  # the whole ``receiver.method``
    receiver: cst.BaseExpression
    method: cst.Name
    kind: Kind
    call: cst.Call | None  # the call when the member is called, else None

    @property
    def reported(self) -> cst.CSTNode:
        return self.call if self.call is not None else self.node

    @property
    def via(self) -> cst.Name | None:
        """The variable holding the backend, when the backend is not read right here."""
        if self.kind is Kind.BACKEND and isinstance(self.receiver, cst.Name):
            return self.receiver
        return None

    def shown(self, index: PyIndex) -> str:
        """How the message names the call: ``client.backend.get()``, ``b.get()``, ``client.execHostCmd()``."""
        receiver = self.receiver
        if self.kind is Kind.BACKEND and isinstance(receiver, cst.Attribute):
            prefix = "backend" if not _is_plain(receiver.value) else f"{index.text(receiver.value)}.backend"
        else:
            prefix = index.text(receiver) if _is_plain(receiver) else "client"
        return f"{prefix}.{self.method.value}{'()' if self.call is not None else ''}"


def _is_plain(expr: cst.BaseExpression) -> bool:
    """A name or a dotted chain of names: short and side-effect free."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name)


def members(index: PyIndex, methods, kind: Kind, *, calls_only: bool = True) -> list[Member]:
    """Every ``<x>.<method>`` (called, unless ``calls_only`` is False) with ``x`` of ``kind``."""
    found = []
    for node in index.nodes:
        if not isinstance(node, cst.Attribute) or node.attr.value not in methods:
            continue
        parent = index.parents.get(node)
        call = parent if isinstance(parent, cst.Call) and parent.func is node else None
        if call is None and (calls_only or _is_store(index, node)):
            continue
        if index.kind(node.value) is kind:
            found.append(Member(node, node.value, node.attr, kind, call))
    return found


def table_members(index: PyIndex, entries: dict, *, calls_only: bool = True) -> list[tuple[Member, object]]:
    """``members`` for entries of the v0-to-v1 table (``{method: V0Member}``): each use with
    its entry, the method looked up on the receiver it had in v0 (backend uses first)."""
    found = []
    for kind in (Kind.BACKEND, Kind.CLIENT):
        methods = {name for name, entry in entries.items() if entry.receiver == kind.value}
        found += [(m, entries[m.method.value]) for m in members(index, methods, kind, calls_only=calls_only)]
    return found


def _is_store(index: PyIndex, node: cst.CSTNode) -> bool:
    parent = index.parents.get(node)
    if isinstance(parent, (cst.AssignTarget, cst.Del)):
        return True
    return isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.target is node


def receiver_edits(index: PyIndex, member: Member, path: str) -> tuple[list[Edit], str | None]:
    """Edits that turn ``<client>.backend.<method>`` / ``<client>.<method>`` into ``<client>.<path>``.

    Only the names change (``backend`` and the method), so comments and line breaks inside a
    chain stay. Through a backend variable the callee is rewritten to go through the client
    again, when that is the same object. Returns (edits, None) or ([], reason).
    """
    receiver = member.receiver
    method_start, method_end = index.span(member.method)
    if member.kind is Kind.CLIENT:
        return [Edit(method_start, method_end, path)], None
    if isinstance(receiver, cst.Attribute):
        head, _, last = path.rpartition(".")
        edits = [Edit(*index.span(receiver.attr), head)]
        if last != member.method.value:
            edits.append(Edit(method_start, method_end, last))
        return edits, None
    if isinstance(receiver, cst.Name):
        client, reason = index.client_through(receiver)
        if client is None:
            return [], reason
        return [Edit(index.span(receiver)[0], method_end, f"{client}.{path}")], None
    return [], "the backend is reached through an expression that cannot be rewritten here"


def via_note(index: PyIndex, member: Member) -> str:
    via = member.via
    if via is None:
        return ""
    declared = index.backend_declaration(via)
    if declared is None:
        return f" (through `{via.value}`)"
    return f" (through `{via.value}`, assigned on line {index.line_of(declared[0].node)})"


def bind_arguments(call: cst.Call, names: tuple[str, ...]) -> dict[str, cst.Arg] | None:
    """Match ``call``'s arguments to the parameters ``names`` (positional or by keyword).

    None when the call uses ``*``/``**``, passes too many arguments or an unknown keyword.
    """
    bound: dict[str, cst.Arg] = {}
    position = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            if position >= len(names):
                return None
            bound[names[position]] = arg
            position += 1
        elif arg.keyword.value in names and arg.keyword.value not in bound:
            bound[arg.keyword.value] = arg
        else:
            return None
    return bound


# -- Python string literals ------------------------------------------------------------------------


def python_string(text: str, quote: str = '"', *, fstring: bool = False) -> str:
    """``text`` as a Python string literal in ``quote`` (``{`` and ``}`` doubled for an f-string)."""
    if not fstring and quote in ("'", '"'):
        other = "'" if quote == '"' else '"'
        if quote in text and other not in text:
            quote = other
    mark = quote[0]
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == mark:
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif fstring and ch in "{}":
            out.append(ch * 2)
        elif not ch.isprintable():
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return ("f" if fstring else "") + quote + "".join(out) + quote


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def string_prefix_and_quote(start: str) -> tuple[str, str]:
    """Split an opening such as ``rf'''`` into its prefix (``rf``) and quote (``'''``)."""
    stripped = start.lstrip("rRbBuUfFtT")
    return start[: len(start) - len(stripped)], stripped


def decode_fstring_text(prefix: str, quote: str, raw: str) -> str:
    """The value of the literal text ``raw`` inside an f-string opened with ``prefix`` and ``quote``."""
    plain_prefix = prefix.replace("f", "").replace("F", "")
    # The "#" keeps a trailing quote or backslash of ``raw`` from closing or escaping the quote.
    source = plain_prefix + quote + raw.replace("{{", "{").replace("}}", "}") + "#" + quote
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes such as "\d" warn, and mean themselves
        value = ast.literal_eval(source)
    if not isinstance(value, str):
        raise ValueError("not a str literal")
    return value[:-1]


# -- command strings: from a Python argument to shell words, and from words back to Python ----------


from migrator.migration.shell import UnknownCommand as Unknown  # noqa: E402 - shared by both front-ends


@dataclass
class PyCommand:
    """A command string found in code, as segments for ``migrator.migration.shell.analyse``.

    ``pieces[i]`` says how substitution ``i`` is written back: ``("f", source, quote)`` for a
    replacement field of an f-string (``{name!r}``), ``("expr", source)`` for an operand of ``+``.
    """

    node: cst.BaseExpression
    segments: list
    pieces: list
    via: cst.Name | None = None  # the variable the string was read from
    # The expression of each substitution (a field's, or a `+` operand), by index.
    expressions: list = field(default_factory=list)
    index: PyIndex | None = None  # the module it was read from, to write its pieces back
    _analysis: object = None

    @property
    def analysis(self):
        if self._analysis is None:
            from migrator.migration.shell import analyse

            self._analysis = analyse(self.segments)
        return self._analysis

    def substitution_sources(self) -> list[str]:
        return [piece[1] for piece in self.pieces]

    # What the exec planner (migration.execs.Command) asks of a command.
    @property
    def via_name(self) -> str:
        return self.via.value

    @property
    def script(self) -> str:
        return self.index.text(self.node, outer=True)

    @property
    def shown_substitutions(self) -> list[str]:
        return [f"`{s}`" for s in self.substitution_sources()]

    def word(self, word) -> str:
        return word_source(self, word, self.index.preferred_quote())


def read_command(index: PyIndex, node: cst.BaseExpression) -> PyCommand:
    """The command ``node`` holds, or raise Unknown with a reason."""
    command = PyCommand(node=node, segments=[], pieces=[], index=index)
    if isinstance(node, cst.Name):
        assignment = index.single_assignment(node)
        value = _literal_value_of(index, assignment)
        if value is None:
            raise Unknown(f"the command is the variable `{node.value}`, whose value is not known here")
        inner = PyCommand(node=value, segments=[], pieces=[])
        _collect(index, value, inner, 0)
        if inner.pieces:
            # A template is split like the same template written at the call, when writing it
            # there evaluates the same values: see _not_inlinable.
            problem = _not_inlinable(index, node, assignment, inner)
            if problem:
                raise Unknown(f"the command is the variable `{node.value}`, built from other values ({problem})")
            command.pieces, command.expressions = inner.pieces, inner.expressions
        command.segments, command.via = inner.segments, node
        return command
    _collect(index, node, command, 0)
    return command


def _literal_value_of(index: PyIndex, assignment) -> cst.BaseExpression | None:
    if assignment is None or type(assignment) is not cst_metadata.Assignment or not isinstance(assignment.node, cst.Name):
        return None
    target = index.parents.get(assignment.node)
    statement = index.parents.get(target) if isinstance(target, cst.AssignTarget) else target
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        value = statement.value
    elif isinstance(statement, cst.AnnAssign) and statement.target is assignment.node:
        value = statement.value
    else:
        return None
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return value
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        return value
    return None


def _not_inlinable(index: PyIndex, use: cst.Name, assignment, command: PyCommand) -> str | None:
    """Why a variable holding an f-string (or a `+` of strings) cannot be written at its use in
    place of the name, or None.

    It can when its assignment is the statement just before the one using it, alone on its
    line, in the same block and outside any function the use is in (so its fields read the
    same values, at the same moment), and every field or operand is a name or a chain of
    attribute reads (writing it again evaluates nothing that the assignment did not)."""
    target = index.parents.get(assignment.node)
    statement = index.parents.get(target) if isinstance(target, cst.AssignTarget) else target
    line = index.parents.get(statement)
    block = index.parents.get(line)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or block is None:
        return "not assigned just before its use"
    current = use
    while current is not None and index.parents.get(current) is not block:
        current = index.parents.get(current)
        if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return "used inside a function, where its values may have changed"
    body = list(getattr(block, "body", ()))
    position = next((i for i, s in enumerate(body) if s is line), None)
    if current is None or position is None or position + 1 >= len(body) or body[position + 1] is not current:
        return "not assigned just before its use"
    for piece, expression in zip(command.pieces, command.expressions):
        while isinstance(expression, cst.Attribute):
            expression = expression.value
        if not isinstance(expression, cst.Name):
            return f"`{piece[1]}` is more than a name"
    return None


def _strings():
    return (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


def _collect(index: PyIndex, node, command: PyCommand, depth: int) -> None:
    if isinstance(node, cst.SimpleString):
        if "b" in node.prefix.lower():
            raise Unknown("the command is a bytes literal; the shim took a str")
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - LibCST accepts literals Python would reject
            raise Unknown("the string cannot be decoded") from None
        command.segments.append(value)
    elif isinstance(node, cst.ConcatenatedString):
        _collect(index, node.left, command, depth + 1)
        _collect(index, node.right, command, depth + 1)
    elif isinstance(node, cst.FormattedString):
        _collect_fstring(index, node, command)
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add) and depth < 20:
        left, right = node.left, node.right
        if not (isinstance(left, _strings()) or isinstance(right, _strings())):
            raise Unknown("the command is built by `+` from values that may not be strings")
        for side in (left, right):
            if isinstance(side, _strings()) or (isinstance(side, cst.BinaryOperation) and isinstance(side.operator, cst.Add)):
                _collect(index, side, command, depth + 1)
            else:
                _substitute(command, ("expr", index.text(side, outer=True)), side)
    else:
        raise Unknown("the command is not a string literal, so it cannot be split here")


def _collect_fstring(index: PyIndex, node: cst.FormattedString, command: PyCommand) -> None:
    prefix, quote = string_prefix_and_quote(node.start)
    if "t" in prefix.lower():
        raise Unknown("the command is a template string, not a str")
    quotes = {p[2] for p in command.pieces if p[0] == "f"}
    if quotes and quotes != {quote}:
        raise Unknown("the command joins f-strings written with different quotes")
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            try:
                command.segments.append(decode_fstring_text(prefix, quote, part.value))
            except (ValueError, SyntaxError):
                raise Unknown("the f-string cannot be decoded") from None
        else:
            _substitute(command, ("f", index.text(part), quote), part.expression)


def _substitute(command: PyCommand, piece: tuple, expression) -> None:
    from migrator.migration.shell import Subst

    command.segments.append(Subst(len(command.pieces)))
    command.pieces.append(piece)
    command.expressions.append(expression)


def word_source(command: PyCommand, word, quote: str) -> str:
    """One shell word as Python source: a literal, an f-string, an expression, or ``+`` of those.

    Text next to an f-string's field joins it in an f-string with that f-string's quote (so the
    field's own source stays valid); an operand of ``+`` stays an operand of ``+``.
    """
    from migrator.migration.shell import Subst

    groups: list = []
    for part in word.parts:
        piece = ("lit", part) if not isinstance(part, Subst) else command.pieces[part.index]
        if piece[0] == "expr":
            groups.append(piece)
        elif groups and isinstance(groups[-1], list):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    if not groups:
        return quote + quote  # an empty argument ('' or "")
    rendered = []
    for group in groups:
        if isinstance(group, tuple):
            rendered.append(group[1])
            continue
        fields = [p for p in group if p[0] == "f"]
        if not fields:
            rendered.append(python_string("".join(p[1] for p in group), quote))
            continue
        field_quote = fields[0][2]
        body = "".join(p[1] if p[0] == "f" else _fstring_text(p[1], field_quote)
                       for p in group)
        rendered.append(f"f{field_quote}{body}{field_quote}")
    return " + ".join(rendered)


def _fstring_text(text: str, quote: str) -> str:
    """``text`` escaped for the inside of an f-string opened with ``quote``."""
    return python_string(text, quote, fstring=True)[1 + len(quote):-len(quote)]
