"""JavaScript inside HTML: `<script>` elements and `on*` event-handler attributes.

Each piece of JavaScript is parsed on a copy of the whole file in which everything outside
that piece is blanked (spaces, line breaks kept). Byte offsets, lines and columns of the
JavaScript are then those of the HTML file itself: findings need no mapping back, and fixes
are edits on the HTML bytes. Each `<script>` and each attribute is its own program.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

# `type` values of <script> that hold JavaScript; anything else (JSON, templates, import
# maps, Babel JSX) is not ours to read.
JS_TYPES = frozenset({
    "", "text/javascript", "application/javascript", "module", "text/ecmascript",
    "application/ecmascript", "application/x-javascript", "text/jscript",
})


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    kind: str  # "script", "attribute" (a handler or directive value) or "expression" ({...}, {{ ... }})
    quote: str = ""  # the enclosing attribute value's quote: '"', "'" or "" (unquoted, or none)
    language: str = "javascript"  # the grammar that reads it
    # An expression, not a program: it is read inside parentheses (put on the blanked bytes just
    # around it), so that rules see an expression (an object, not a block; never a statement).
    wrap: bool = False


@dataclass
class HtmlTree:
    """The JavaScript trees of one HTML file (or Vue, Svelte or Markdown file), one per region."""

    regions: list = field(default_factory=list)  # (Region, masked bytes, tree)


@functools.cache
def _parser():
    import tree_sitter
    import tree_sitter_html

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_html.language()))


def regions(content: bytes) -> list[Region]:
    tree = _parser().parse(content)
    found: list[Region] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "script_element":
            start_tag = node.named_children[0] if node.named_children else None
            raw = next((c for c in node.named_children if c.type == "raw_text"), None)
            if raw is not None and _script_type(start_tag) in JS_TYPES:
                found.append(Region(raw.start_byte, raw.end_byte, "script"))
        elif node.type == "attribute":
            region = _handler(node)
            if region is not None:
                found.append(region)
        stack.extend(reversed(node.named_children))
    return sorted(found, key=lambda r: r.start)


def _script_type(start_tag) -> str:
    for attribute in (start_tag.named_children if start_tag is not None else []):
        if attribute.type != "attribute":
            continue
        name = attribute.named_children[0].text.decode().lower()
        if name == "type":
            value = _value_node(attribute)
            return value.text.decode().strip().lower() if value is not None else ""
    return ""


def _value_node(attribute):
    for child in attribute.named_children[1:]:
        if child.type == "attribute_value":
            return child
        if child.type == "quoted_attribute_value":
            return next((c for c in child.named_children if c.type == "attribute_value"), None)
    return None


def _handler(attribute) -> Region | None:
    name = attribute.named_children[0].text.decode().lower() if attribute.named_children else ""
    if not name.startswith("on") or len(name) < 3:
        return None
    for child in attribute.named_children[1:]:
        if child.type == "attribute_value":
            return Region(child.start_byte, child.end_byte, "attribute", "")
        if child.type == "quoted_attribute_value":
            value = next((c for c in child.named_children if c.type == "attribute_value"), None)
            if value is None:
                return None
            return Region(value.start_byte, value.end_byte, "attribute", child.text.decode()[:1])
    return None


_BLANK = bytes(b if b in (10, 13) else 32 for b in range(256))  # a translation table: all but line breaks to spaces


def masked(content: bytes, region: Region) -> bytes:
    """The file with every byte outside ``region`` blanked, line breaks kept."""
    before, after = content[:region.start].translate(_BLANK), content[region.end:].translate(_BLANK)
    if region.wrap and before[-1:] == b" " and after[:1] == b" ":
        before, after = before[:-1] + b"(", b")" + after[1:]
    return before + content[region.start:region.end] + after


def parse(content: bytes) -> HtmlTree:
    return parse_regions(content, regions(content))


def parse_regions(content: bytes, found, skip_broken: bool = False) -> HtmlTree:
    """Parse each region on its own masked copy of the file. With ``skip_broken``, a region that
    does not parse is left out (a Markdown code fence may hold a fragment, not a program)."""
    from migrator.core import languages

    tree = HtmlTree()
    for region in found:
        text = masked(content, region)
        js = languages.parse(region.language, text)
        if skip_broken and js.root_node.has_error:
            continue
        tree.regions.append((region, text, js))
    return tree


def fix_conflict(region: Region, edits) -> str | None:
    """Why these edits cannot go inside this attribute value, or None when they can."""
    if region.kind not in ("attribute", "expression"):
        return None
    for edit in edits:
        if region.quote and region.quote in edit.text:
            return f"the fix would need a `{region.quote}` inside an attribute quoted with it"
        if region.kind == "attribute" and not region.quote and any(c in edit.text for c in " \t\n\"'=<>`"):
            return "the fix would need characters an unquoted attribute value cannot hold"
    if any(not (region.start <= e.start and e.end <= region.end) for e in edits):
        return "the fix would reach outside the attribute" if region.kind == "attribute" else "the fix would reach outside the expression"
    return None
