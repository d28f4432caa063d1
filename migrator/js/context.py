"""The tree-sitter front-end's view of one source: the resolver, the file's style, findings at nodes."""

from __future__ import annotations

from collections.abc import Iterable

from migrator.core.languages import NodesOfTypes, error_nodes, is_typescript
from migrator.core.model import Applicability, Edit, Finding
from migrator.core.rule import Context, Rule
from migrator.js.resolve import Resolver

_STRINGS = NodesOfTypes({"string"})
# The file's quote style is read from its first this many bytes: a hand-written file is
# read whole, and a bundle of megabytes is not walked to the end for a majority vote.
QUOTE_SAMPLE_BYTES = 64 << 10


def _strings(tree) -> list:
    """The string literals of a tree, up to ``QUOTE_SAMPLE_BYTES`` (walked while the budget
    lasts, then found by a query: a walk in Python over a large file cost a tenth of a
    second)."""
    root = tree.root_node
    return _STRINGS.find(root, tree.language, min(root.end_byte, root.start_byte + QUOTE_SAMPLE_BYTES))


class JsContext(Context):
    """A JavaScript, TypeScript or TSX source (or one script of an HTML page) parsed with tree-sitter."""

    def __init__(self, source, tree, quote_avoid: str = "") -> None:
        super().__init__(source, tree)
        # Inside an HTML attribute quoted with `"`, new string literals use the other quote.
        self.quote_avoid = quote_avoid
        self._resolver: Resolver | None = None
        self._quote: str | None = None
        self._backend: bool | None = None

    @property
    def typescript(self) -> bool:
        return is_typescript(self.source.language)

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            self._resolver = Resolver(self.tree.root_node, self.source.modules, self.tree.language)
        return self._resolver

    @property
    def may_hold_backend(self) -> bool:
        """Whether any value in this file can be the v0 backend: only a `backend` member of the
        client is (or an import of a module that exports one), so a file that never spells
        `backend` and imports nothing that exports the client holds none, and the rules on
        variables need not classify each of its declarations (a bundle has thousands)."""
        if self._backend is None:
            self._backend = bool(self.source.modules) or b"backend" in self.content
        return self._backend

    def preferred_quote(self) -> str:
        """The quote most string literals in this file use (double when there are none), in
        its first ``QUOTE_SAMPLE_BYTES``."""
        if self._quote is None:
            single = double = 0
            content = self.content
            # Named nodes only: string literals are, the `string` keyword of a type is not.
            for node in _strings(self.tree):
                if content[node.start_byte] == 0x27:  # '
                    single += 1
                else:
                    double += 1
            self._quote = "'" if single > double else '"'
            if self._quote == self.quote_avoid:
                self._quote = "'" if self._quote == '"' else '"'
        return self._quote

    def indent_unit(self) -> str:
        """One level of indentation as this file writes it (two spaces when it cannot tell)."""
        widths = []
        for line in self.content.split(b"\n")[:400]:
            stripped = line.lstrip(b" \t")
            if not stripped.strip() or len(stripped) == len(line):
                continue
            if line.startswith(b"\t"):
                return "\t"
            widths.append(len(line) - len(stripped))
        return " " * min(widths) if widths and min(widths) <= 8 else "  "

    def text(self, node) -> str:
        return self.content[node.start_byte:node.end_byte].decode("utf-8")

    def parse_errors(self) -> list[tuple[int, int]]:
        """The tree-sitter ERROR and MISSING nodes."""
        return [(n.start_byte, n.end_byte) for n in error_nodes(self.tree)]

    def finding(self, rule: Rule, node, message: str, *, edits: Iterable[Edit] = (),
                applicability: Applicability = Applicability.SAFE, no_fix_reason: str | None = None,
                fix_note: str = "") -> Finding:
        """A finding at a tree-sitter ``node``; no fix when it would touch unparsable code."""
        if node.has_error and no_fix_reason is None and edits:
            no_fix_reason = "the code around it has a syntax error, so it is not edited"
        if edits and no_fix_reason is None:
            from migrator.js.layout import arrange

            edits = arrange(self, edits)  # keep the original call's line breaks
        from migrator.js.layout import stale_directive

        directive = stale_directive(self.content, node.start_byte)
        if directive:
            message += (f" (note: the `// {directive}` above it may now hide type errors of the v1 API; "
                        "check whether it is still needed)")
        return self.finding_at(rule, node.start_byte, node.end_byte, message, edits=edits,
                               applicability=applicability, no_fix_reason=no_fix_reason, fix_note=fix_note)
