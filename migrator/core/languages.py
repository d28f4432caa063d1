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
}

LANGUAGES = ("javascript", "typescript", "tsx")  # read with tree-sitter
ALL_LANGUAGES = LANGUAGES + ("python", "html")  # Python is read with LibCST


def uses_tree_sitter(language: str) -> bool:
    return language in LANGUAGES


def rule_language(language: str) -> str:
    """The language whose rules apply: HTML files hold JavaScript."""
    return "javascript" if language == "html" else language


def language_for_path(path: str) -> str | None:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def is_typescript(language: str) -> bool:
    return language in ("typescript", "tsx")


@functools.cache
def grammar(language: str):
    """The tree-sitter Language object; grammar packages are imported on first use."""
    import tree_sitter

    if language == "javascript":
        import tree_sitter_javascript as module

        return tree_sitter.Language(module.language())
    import tree_sitter_typescript as module

    if language == "typescript":
        return tree_sitter.Language(module.language_typescript())
    if language == "tsx":
        return tree_sitter.Language(module.language_tsx())
    raise ValueError(f"unknown language {language!r}")


@functools.cache
def parser(language: str):
    import tree_sitter

    return tree_sitter.Parser(grammar(language))


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
    return parser(language).parse(content)
