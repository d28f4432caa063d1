"""The extension as one program: which modules export the client, and who imports them.

A file's resolver knows the client when it is created or injected in that file. Real
extensions create it once (`export const ddClient = createDockerDesktopClient()` in
`lib/client.ts`) and import it everywhere. This module links imports to what the imported
module exports:

- ``resolve_specifier`` turns an import specifier into a file: relative paths with or without
  an extension (and the TypeScript habit of writing `./x.js` for `x.ts`), `index` files, and
  `tsconfig.json`/`jsconfig.json` `baseUrl` and `paths` (with `extends`).
- ``Project.exports(path)`` summarises a module: each exported name whose value is, or gives,
  the client (values, functions and hooks that return it, the backend, namespaces), through
  `export default`, `export { a as b }`, re-exports and barrels (`export * from`), and
  CommonJS `module.exports`/`exports.x`. A summary depends on the summaries of the modules
  the file imports; cycles resolve to "nothing known".
- ``Project.modules_of(path, raw)`` is what a file's resolver needs: for each specifier the
  file imports, that module's exports (only those exporting something).

Modules are read from disk as needed, so one file named on the command line (pre-commit)
still sees the client its imports export.
"""

from __future__ import annotations

import json
import os
import re

from migrator.core.languages import language_for_path
from migrator.js import wrappers
from migrator.js.resolve import CLIENT_PACKAGE, Exports, Kind, Resolver, string_value
from migrator.migration.table import CLIENT_LITERALS

# What a module specifier may leave out, in the order TypeScript and bundlers try them.
MODULE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".d.ts", ".js", ".jsx", ".mjs", ".cjs")
CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
# A module larger than this is not summarised: it is a bundle or generated code, which
# no extension imports its client from (a minified bundle costs as much to read as a
# hundred source modules). Its exports are unknown; it is still analysed itself.
MAX_MODULE_BYTES = 256 << 10


# -- tsconfig.json ----------------------------------------------------------------------------

def _strip_jsonc(text: str) -> str:
    """tsconfig files are JSON with comments and trailing commas."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


class PathConfig:
    """`compilerOptions.baseUrl` and `paths` of one tsconfig (after `extends`)."""

    def __init__(self, base_url: str | None, paths: dict[str, list[str]], paths_base: str) -> None:
        self.base_url = base_url
        self.paths = paths
        self.paths_base = paths_base

    def candidates(self, specifier: str) -> list[str]:
        found = []
        for pattern, targets in self.paths.items():
            prefix, star, suffix = pattern.partition("*")
            if star:
                if not (specifier.startswith(prefix) and specifier.endswith(suffix)
                        and len(specifier) >= len(prefix) + len(suffix)):
                    continue
                middle = specifier[len(prefix):len(specifier) - len(suffix)]
            elif specifier != pattern:
                continue
            else:
                middle = ""
            for target in targets:
                found.append(os.path.join(self.paths_base, target.replace("*", middle, 1)))
        if self.base_url is not None:
            found.append(os.path.join(self.base_url, specifier))
        return found


def _read_config(path: str, depth: int = 0) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.loads(_strip_jsonc(handle.read()))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    options = data.get("compilerOptions") if isinstance(data.get("compilerOptions"), dict) else {}
    merged: dict = {}
    parent = data.get("extends")
    if isinstance(parent, str) and parent.startswith(".") and depth < 8:
        parent_path = os.path.join(os.path.dirname(path), parent)
        if not parent_path.endswith(".json"):
            parent_path += ".json"
        merged = _read_config(parent_path, depth + 1)
    folder = os.path.dirname(path)
    if isinstance(options.get("baseUrl"), str):
        merged["baseUrl"] = os.path.normpath(os.path.join(folder, options["baseUrl"]))
    if isinstance(options.get("paths"), dict):
        merged["paths"] = {k: [t for t in v if isinstance(t, str)] for k, v in options["paths"].items()
                           if isinstance(v, list)}
        merged["pathsBase"] = merged.get("baseUrl", folder)
    return merged


# -- the project ------------------------------------------------------------------------------

class Project:
    """Summaries of the modules of one run, computed once each, read from disk as needed."""

    def __init__(self, read=None, cache=None, names: set[str] | None = None, early: dict | None = None,
                 specifiers: dict | None = None) -> None:
        self._read = read or read_module
        # Summaries made where the module was analysed (``early_summary``), by absolute path:
        # right whenever the module turns out to import nothing that exports the client.
        self._early = early or {}
        # ``regex_specifiers`` of files read already, by absolute path: (bytes, specifiers).
        self._specifiers = specifiers or {}
        # When set, only specifiers that name one of these modules are resolved (see
        # ``module_names``): a large tree is not followed import by import.
        self.names = names
        self._cache = cache  # a core.cache.Cache: summaries by content, kept across runs
        self._exports: dict[str, Exports | None] = {}
        self._busy: set[str] = set()
        self._configs: dict[str, PathConfig | None] = {}
        self._resolved: dict[tuple[str, str], str | None] = {}
        self.parsed = 0  # modules parsed to summarise them (for -v and the benchmark)

    # Specifiers to files.

    def path_config(self, folder: str) -> PathConfig | None:
        """The nearest tsconfig/jsconfig at or above ``folder``."""
        if folder in self._configs:
            return self._configs[folder]
        config = None
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                data = _read_config(candidate)
                if "baseUrl" in data or "paths" in data:
                    config = PathConfig(data.get("baseUrl"), data.get("paths", {}), data.get("pathsBase", folder))
                break
        else:
            parent = os.path.dirname(folder)
            if parent != folder:
                config = self.path_config(parent)
        self._configs[folder] = config
        return config

    def resolve_specifier(self, importer: str, specifier: str) -> str | None:
        key = (os.path.dirname(importer), specifier)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(importer, specifier)
        return self._resolved[key]

    def _resolve(self, importer: str, specifier: str) -> str | None:
        if not specifier or specifier.startswith(CLIENT_PACKAGE) or "://" in specifier:
            return None
        folder = os.path.dirname(os.path.abspath(importer))
        if specifier.startswith((".", "/")):
            bases = [os.path.join(folder, specifier)]
        else:
            config = self.path_config(folder)
            bases = config.candidates(specifier) if config is not None else []
        for base in bases:
            found = _module_file(os.path.normpath(base))
            if found is not None:
                return found
        return None

    # Modules to summaries.

    def exports(self, path: str) -> Exports | None:
        """What the module at ``path`` exports that is (or gives) the client; None if nothing."""
        path = os.path.abspath(path)
        if path in self._exports:
            return self._exports[path]
        if path in self._busy:
            return None  # an import cycle: what is still being summarised is not known yet
        self._busy.add(path)
        try:
            result = self._summarise(path)
        finally:
            self._busy.discard(path)
        self._exports[path] = result
        return result

    def _summarise(self, path: str) -> Exports | None:
        language = language_for_path(path)
        if language not in ("javascript", "typescript", "tsx"):
            return None
        raw = self._read(path)
        if raw is None or len(raw) > MAX_MODULE_BYTES or not _may_export(raw):
            return None
        # What the module imports decides what it exports: found without parsing, so that
        # a cached summary needs no parse at all.
        modules = self.modules_of(path, raw)
        if not modules and not any(literal in raw for literal in CLIENT_LITERALS):
            return None  # neither the client's names nor a module that exports it: nothing to find
        key = None
        if self._cache is not None:
            from migrator.core.cache import content_key

            key = content_key(raw, f"{language};{path}", repr(sorted(modules.items())))
            if key in self._cache.summaries:
                return decode_exports(self._cache.summary(key))
        early = self._early.get(path) if not modules else None
        if early is not None and early[0] == raw:
            exports = early[1]
        else:
            from migrator.core.languages import parse

            self.parsed += 1
            tree = parse(language, raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
            exports = _summary_of_tree(path, raw, language, tree, modules,
                                       lambda spec: self.exports_of_specifier(path, spec))
        if key is not None:
            self._cache.put_summary(key, encode_exports(exports))
        return exports

    def exports_of_specifier(self, importer: str, specifier: str) -> Exports | None:
        if self.names is not None and not _names_one_of(specifier, self.names):
            return None
        target = self.resolve_specifier(importer, specifier)
        return self.exports(target) if target is not None else None

    def modules_of(self, path: str, raw: bytes) -> dict[str, Exports]:
        """For each module a file imports (by specifier as written), what it exports; read
        from the bytes without parsing them (``regex_specifiers``)."""
        found = {}
        known = self._specifiers.get(os.path.abspath(path)) if self._specifiers else None
        for specifier in known[1] if known is not None and known[0] == raw else regex_specifiers(raw):
            exports = self.exports_of_specifier(path, specifier)
            if exports is not None:
                found[specifier] = exports
        return found


def _summary_of_tree(path: str, raw: bytes, language: str, tree, modules: dict, exports_of) -> Exports | None:
    root = tree.root_node
    exports = summarise(path, root, _Gate(root, modules, tree.language), exports_of)
    if wrappers.may_wrap(raw) and wrappers.may_export_wrapper(root):
        exports = _with_wrappers(path, raw, language, tree, modules, exports)
    return exports


def early_summary(path: str, raw: bytes, language: str, tree):
    """``Project.exports`` of a module as if it imported nothing that exports the client, from
    a tree parsed for its analysis (in a worker): the project pass takes it for a module that
    indeed imports none (every module it re-exports from then exports nothing either), and
    so parses it only once. A tuple holding the summary (None: nothing), or None when the
    module is not one a summary is made for."""
    if language not in ("javascript", "typescript", "tsx") or len(raw) > MAX_MODULE_BYTES or not _may_export(raw):
        return None
    if not any(literal in raw for literal in CLIENT_LITERALS):
        return (None,)
    return (_summary_of_tree(os.path.abspath(path), raw, language, tree, {}, lambda spec: None),)


def _with_wrappers(path: str, raw: bytes, language: str, tree, modules: dict, exports: Exports | None):
    """The summary, plus the exec wrappers the module exports (``migrator.js.wrappers``): the
    modules calling them take part in their migration."""
    from migrator.core.source import SourceError, SourceFile
    from migrator.js.context import JsContext

    try:
        source = SourceFile.from_bytes(path, raw, language)
    except SourceError:
        return exports
    source.modules = modules
    found = wrappers.summary_wrappers(JsContext(source, tree))
    if not found:
        return exports
    names = dict(exports.names) if exports is not None else {}
    for name, wrapper in found.items():
        names.setdefault(name, wrapper)
    return Exports(path, tuple(sorted(names.items(), key=lambda kv: kv[0])), exports.whole if exports else None)


def encode_exports(exports: Exports | None):
    """A summary as JSON for the cache."""
    if exports is None:
        return None
    return {"path": exports.path, "names": [[n, _encode_kind(k)] for n, k in exports.names],
            "whole": _encode_kind(exports.whole)}


def _encode_kind(kind):
    if isinstance(kind, wrappers.ExecWrapper):
        return {"wrapper": [kind.path, kind.name]}
    return kind.value if isinstance(kind, Kind) else encode_exports(kind)


def decode_exports(data) -> Exports | None:
    if data is None:
        return None
    return Exports(data["path"], tuple((n, _decode_kind(k)) for n, k in data["names"]), _decode_kind(data["whole"]))


def _decode_kind(data):
    if isinstance(data, dict) and "wrapper" in data:
        return wrappers.ExecWrapper(*data["wrapper"])
    return Kind(data) if isinstance(data, str) else decode_exports(data)


def read_module(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_MODULE_BYTES + 1)
    except OSError:
        return None


def _module_file(base: str) -> str | None:
    if os.path.isfile(base) and language_for_path(base):
        return base
    stem, ext = os.path.splitext(base)
    if ext in (".js", ".jsx", ".mjs", ".cjs"):
        # TypeScript's ESM style: `import "./client.js"` names the file `client.ts`.
        for alt in {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}[ext]:
            if os.path.isfile(stem + alt):
                return stem + alt
    for suffix in MODULE_EXTENSIONS:
        if os.path.isfile(base + suffix):
            return base + suffix
    if os.path.isdir(base):
        for suffix in MODULE_EXTENSIONS:
            candidate = os.path.join(base, "index" + suffix)
            if os.path.isfile(candidate):
                return candidate
    return None


_EXPORT_MARK = re.compile(rb"\bexport\b|\bexports\b")
# Module specifiers in source bytes, found without parsing: `from "x"`, `import "x"`,
# `require("x")`, `import("x")`. A stray match only costs a failed lookup: the resolver
# uses what a specifier exports only where the code really imports it.
_SPECIFIER = re.compile(rb"""(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*(["'])([^"'\n]{1,300})\1""")


def regex_specifiers(raw: bytes) -> list[str]:
    return list(dict.fromkeys(m.group(2).decode("utf-8", "replace") for m in _SPECIFIER.finditer(raw)))


def _may_export(raw: bytes) -> bool:
    return _EXPORT_MARK.search(raw) is not None


# -- reading one tree ---------------------------------------------------------------------------

class _Gate:
    """The resolver for a summary, built only if an export may hold the client.

    Most modules that name the client export other things: which top-level names could
    hold it is found from the top-level statements' text (one naming the client, or an
    import from a module that exports it), and an export that mentions none of them is not
    followed; the whole-file resolver is only built when one does.
    """

    def __init__(self, root, modules: dict, language) -> None:
        self.root = root
        self.modules = modules
        self.language = language
        self._resolver: Resolver | None = None
        self.suspects: set[bytes] = set()
        self._pattern = None  # a regex matching any suspect as a whole word
        self._pattern_size = 0
        # `require("./client")` names no suspect: the specifier of a module that exports it does.
        self.specifiers = [spec.encode() for spec in modules]
        declared: list[tuple[list[bytes], bytes]] = []
        for statement in root.named_children:
            node = statement
            if node.type == "export_statement":
                inner = node.child_by_field_name("declaration")
                node = inner if inner is not None else node
            if node.type == "import_statement":
                if string_value(node.child_by_field_name("source")) in modules:
                    self.suspects.update(_declared_names(node))
            elif node.type in ("lexical_declaration", "variable_declaration", "function_declaration",
                               "generator_function_declaration", "class_declaration"):
                declared.append((_declared_names(node), node.text))
        changed = True
        while changed:
            changed = False
            for names, text in declared:
                if not set(names) <= self.suspects and self._mentions(text):
                    self.suspects.update(names)
                    changed = True

    def _mentions(self, text: bytes) -> bool:
        if any(literal in text for literal in CLIENT_LITERALS) or any(spec in text for spec in self.specifiers):
            return True
        if not self.suspects:
            return False
        if self._pattern_size != len(self.suspects):  # suspects only grow: the size names the set
            names = b"|".join(re.escape(name) for name in sorted(self.suspects, key=len, reverse=True))
            self._pattern = re.compile(rb"\b(?:" + names + rb")\b")
            self._pattern_size = len(self.suspects)
        return self._pattern.search(text) is not None

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            self._resolver = Resolver(self.root, self.modules, self.language)
        return self._resolver

    def kind(self, node):
        return self.resolver.kind(node) if self._mentions(node.text) else None

    def name_kind(self, name: str):
        """The kind of a top-level name."""
        if name.encode() not in self.suspects:
            return None
        binding = self.resolver.lookup_name(name, self.root)
        return self.resolver.binding_kind(binding) if binding is not None else None


def _declared_names(node) -> list[bytes]:
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier_pattern"):
            parent = current.parent
            if parent is not None and parent.type in ("variable_declarator", "function_declaration", "class_declaration",
                                                       "generator_function_declaration", "import_specifier",
                                                       "import_clause", "namespace_import", "object_pattern",
                                                       "array_pattern", "pair_pattern"):
                found.append(current.text)
            continue
        if current.type in ("statement_block", "class_body", "arguments", "formal_parameters"):
            continue
        stack.extend(current.named_children)
    return found


def summarise(path: str, root, resolver: _Gate, exports_of) -> Exports | None:
    """The exports of one parsed module that are (or give) the client."""
    names: dict[str, object] = {}
    whole = None
    for statement in root.named_children:
        if statement.type == "export_statement":
            _export_statement(statement, resolver, exports_of, names)
        elif statement.type == "expression_statement" and statement.named_children:
            expression = statement.named_children[0]
            if expression.type == "assignment_expression":
                found = _commonjs(expression, resolver, names)
                if found is not None:
                    whole = found
    names = {k: v for k, v in names.items() if v is not None}
    if not names and whole is None:
        return None
    return Exports(path, tuple(sorted(names.items(), key=lambda kv: kv[0])), whole)


def _export_statement(node, resolver: _Gate, exports_of, names: dict) -> None:
    source = string_value(node.child_by_field_name("source"))
    declaration = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    is_default = any(c.type == "default" for c in node.children)
    if source is not None:
        target = exports_of(source)
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        namespace = next((c for c in node.named_children if c.type == "namespace_export"), None)
        if target is None:
            return
        if clause is not None:
            for spec in clause.named_children:
                if spec.type == "export_specifier":
                    name, alias = _specifier_names(spec)
                    names[alias] = target if name == "*" else target.get(name)
        elif namespace is not None:
            ident = next((c for c in namespace.named_children if c.type in ("identifier", "string")), None)
            if ident is not None:
                names[ident.text.decode().strip("'\"")] = target
        else:  # export * from "./x": every name but the default
            for name, kind in target.names:
                if name != "default":
                    names.setdefault(name, kind)
        return
    if declaration is not None:
        if is_default:
            names["default"] = resolver.kind(declaration) if declaration.type in _FUNCTIONS else None
            return
        if declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in declaration.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name = declarator.child_by_field_name("name")
                if name is not None and name.type == "identifier":
                    names[name.text.decode()] = resolver.name_kind(name.text.decode())
        elif declaration.type in _FUNCTIONS:
            name = declaration.child_by_field_name("name")
            if name is not None:
                names[name.text.decode()] = resolver.kind(declaration)
        return
    if is_default and value is not None:
        names["default"] = resolver.kind(value)
        return
    clause = next((c for c in node.named_children if c.type == "export_clause"), None)
    if clause is not None:
        for spec in clause.named_children:
            if spec.type == "export_specifier":
                name, alias = _specifier_names(spec)
                names[alias] = resolver.name_kind(name)


_FUNCTIONS = frozenset({"function_declaration", "generator_function_declaration", "function_expression",
                        "arrow_function", "function"})


def _specifier_names(spec) -> tuple[str, str]:
    name = spec.child_by_field_name("name")
    alias = spec.child_by_field_name("alias") or name
    return name.text.decode().strip("'\""), alias.text.decode().strip("'\"")


def _commonjs(assignment, resolver: _Gate, names: dict):
    """`module.exports = v` (returns v's kind), `module.exports = { a, b: c }`, `exports.a = v`."""
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or left.type != "member_expression":
        return None
    target = left.text.decode().replace(" ", "")
    if target == "module.exports":
        if right.type == "object":
            for member in right.named_children:
                if member.type == "shorthand_property_identifier":
                    names[member.text.decode()] = resolver.name_kind(member.text.decode())
                elif member.type == "pair":
                    key = member.child_by_field_name("key")
                    value = member.child_by_field_name("value")
                    if key is not None and value is not None:
                        names[key.text.decode().strip("'\"")] = resolver.kind(value)
            return None
        return resolver.kind(right)
    for prefix in ("module.exports.", "exports."):
        if target.startswith(prefix) and target[len(prefix):].isidentifier():
            names[target[len(prefix):]] = resolver.kind(right)
    return None


def _strip_extension(name: str) -> str:
    for suffix in sorted(MODULE_EXTENSIONS, key=len, reverse=True):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def module_names(path: str) -> set[str]:
    """The names an import of the module at ``path`` is written with: its file name without
    extension, and for an `index` file also its folder's name (`../lib` for `lib/index.ts`).
    Every file importing the module holds one of them."""
    stem = _strip_extension(os.path.basename(path))
    found = {stem}
    if stem == "index":
        found.add(os.path.basename(os.path.dirname(os.path.abspath(path))))
    return found


def _names_one_of(specifier: str, names: set[str]) -> bool:
    last = _strip_extension(specifier.rstrip("/").rsplit("/", 1)[-1])
    # `.` and `..` name a folder's index through a path that is not spelled out.
    return last in names or last in (".", "..", "")
