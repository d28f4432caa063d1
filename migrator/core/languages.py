"""Which grammar reads which file, loaded only when a run needs it."""

from __future__ import annotations

import functools
import os

EXTENSIONS = {
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".py": "python",
    ".html": "html",
    ".htm": "html",
    ".vue": "vue",
    ".svelte": "svelte",
    ".md": "markdown",
    ".mdx": "markdown",
}
MARKDOWN_EXTENSIONS = frozenset({".md", ".mdx"})  # left out when the configuration says `markdown = false`

LANGUAGES = ("javascript", "typescript", "tsx")  # read with tree-sitter
# Files that hold JavaScript, TypeScript or TSX in regions (scripts, handlers, template
# expressions, code fences), each region parsed on its own with one of LANGUAGES.
CONTAINERS = ("html", "vue", "svelte", "markdown")
ALL_LANGUAGES = LANGUAGES + ("python",) + CONTAINERS
# Languages whose files import other modules: JavaScript and the components whose scripts do
# (the project pass links them, migrator.js.project).
IMPORTING = frozenset(LANGUAGES + ("vue", "svelte"))  # Python is read with LibCST


def uses_tree_sitter(language: str) -> bool:
    return language in LANGUAGES


def is_container(language: str) -> bool:
    return language in CONTAINERS


def rule_languages(language: str) -> frozenset[str]:
    """The languages whose rules may apply to a file: HTML holds JavaScript; Vue, Svelte and
    Markdown any of the three."""
    if language == "html":
        return frozenset({"javascript"})
    return frozenset(LANGUAGES) if language in CONTAINERS else frozenset({language})


def language_for_path(path: str) -> str | None:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def is_typescript(language: str) -> bool:
    return language in ("typescript", "tsx")


@functools.cache
def grammar(language: str):
    """The tree-sitter Language object; grammar packages are imported on first use."""
    import tree_sitter

    if language == "javascript":
        return tree_sitter.Language(_binding("tree_sitter_javascript").language())
    module = _binding("tree_sitter_typescript")
    if language == "typescript":
        return tree_sitter.Language(module.language_typescript())
    if language == "tsx":
        return tree_sitter.Language(module.language_tsx())
    raise ValueError(f"unknown language {language!r}")


@functools.cache
def _binding(package: str):
    """A grammar package's compiled module (``<package>._binding``), loaded without running the
    package's ``__init__``: that imports ``importlib.resources`` (and through it tempfile,
    shutil, zipfile...), about 3 ms of a one-file run, only to offer highlighting queries
    that ddmigrate never reads. Anything unexpected falls back to the plain import."""
    import importlib
    import importlib.machinery
    import sys

    name = f"{package}._binding"
    if name in sys.modules or package in sys.modules:
        return importlib.import_module(name)
    try:
        found = importlib.machinery.PathFinder.find_spec(package)
        for folder in (found.submodule_search_locations or []) if found is not None else []:
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = os.path.join(folder, "_binding" + suffix)
                if os.path.isfile(path):
                    loader = importlib.machinery.ExtensionFileLoader(name, path)
                    spec = importlib.machinery.ModuleSpec(name, loader, origin=path)
                    module = loader.create_module(spec)
                    loader.exec_module(module)
                    return module
    except (ImportError, OSError, AttributeError):
        pass
    return importlib.import_module(name)


@functools.cache
def parser(language: str):
    import tree_sitter

    return tree_sitter.Parser(grammar(language))


# Compiling a tree-sitter query costs 4 to 11 ms with the TypeScript grammars however small
# the query is: as much as walking in Python 70 to 180 KB of trees (about 0.06 ms a KB,
# against 0.03 for running the compiled query). So each query is walked instead, up to this
# many bytes of trees in a process, and compiled after: a run on one file (a pre-commit
# hook) compiles none, and a run on many compiles each query once.
WALK_BYTES = 64 << 10


class WalkBudget:
    """What is left of ``WALK_BYTES`` for one query: ``take(root)`` says whether to walk the
    tree under ``root`` in Python rather than compile the query."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = WALK_BYTES

    def take(self, root) -> bool:
        size = root.end_byte - root.start_byte
        if size > self.left:
            self.left = 0  # from now on the query is cheaper
            return False
        self.left -= size
        return True


def preorder(root, end: int | None = None):
    """Every node of the tree under ``root``, itself included, in source order and each before
    the nodes inside it (the order in which a query matches single nodes); with ``end``, only
    those that start before that byte."""
    cursor = root.walk()
    while True:
        node = cursor.node
        if end is not None and node.start_byte >= end:
            return  # every node after it starts there or later
        yield node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():  # back at ``root``: the cursor goes no higher
                return


class NodesOfTypes:
    """The named nodes of some types in a tree, in source order, each before the nodes inside
    it: walked while a grammar's ``WalkBudget`` lasts, then found by a query compiled once."""

    def __init__(self, types) -> None:
        self.types = frozenset(types)
        self._queries: dict = {}  # grammar -> query
        self._walks: dict = {}  # grammar -> WalkBudget

    def find(self, root, language, end: int | None = None) -> list:
        """The nodes under ``root`` (of a tree in grammar ``language``); with ``end``, those
        that start before that byte (and, from the query, any that reach past it)."""
        query = self._queries.get(language)
        if query is None and self._walks.setdefault(language, WalkBudget()).take(root):
            return [n for n in preorder(root, end) if n.type in self.types and n.is_named]
        import tree_sitter

        if query is None:
            present = [t for t in sorted(self.types) if language.id_for_node_kind(t, True)]
            query = self._queries[language] = tree_sitter.Query(language, " ".join(f"({t}) @n" for t in present))
        cursor = tree_sitter.QueryCursor(query)
        if end is not None:
            cursor.set_byte_range(root.start_byte, end)
        nodes = cursor.captures(root).get("n", [])
        nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
        return nodes


def error_nodes(tree) -> list:
    """The ERROR and MISSING nodes of a tree-sitter tree (only subtrees that have any are walked)."""
    found, stack = [], [tree.root_node] if tree.root_node.has_error else []
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(node)
        elif node.has_error:
            stack.extend(node.children)
    return found


class PythonTree:
    """A Python module parsed with LibCST (``module`` is None when it has a syntax error)."""

    def __init__(self, content: bytes) -> None:
        import libcst

        try:
            self.module = libcst.parse_module(content)
            self.error = None
        except (libcst.ParserSyntaxError, ValueError) as exc:
            self.module = None
            self.error = exc


def parse(language: str, content: bytes):
    if language == "python":
        return PythonTree(content)
    if language == "html":
        from migrator.js import html

        return html.parse(content)
    if language in ("vue", "svelte"):
        from migrator.js import components

        return components.parse(language, content)
    if language == "markdown":
        from migrator.js import markdown

        return markdown.parse(content)
    return parser(language).parse(content)
