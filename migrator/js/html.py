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
    kind: str  # "script" or "attribute"
    quote: str = ""  # the attribute value's quote: '"', "'" or "" (unquoted)


@dataclass
class HtmlTree:
    """The JavaScript trees of one HTML file, one per region."""

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


def masked(content: bytes, region: Region) -> bytes:
    """The file with every byte outside ``region`` blanked, line breaks kept."""
    def blank(part: bytes) -> bytes:
        return bytes(b if b in (10, 13) else 32 for b in part)

    return blank(content[:region.start]) + content[region.start:region.end] + blank(content[region.end:])


def parse(content: bytes) -> HtmlTree:
    from migrator.core import languages

    tree = HtmlTree()
    for region in regions(content):
        text = masked(content, region)
        tree.regions.append((region, text, languages.parse("javascript", text)))
    return tree


def fix_conflict(region: Region, edits) -> str | None:
    """Why these edits cannot go inside this attribute value, or None when they can."""
    if region.kind != "attribute":
        return None
    for edit in edits:
        if region.quote and region.quote in edit.text:
            return f"the fix would need a `{region.quote}` inside an attribute quoted with it"
        if not region.quote and any(c in edit.text for c in " \t\n\"'=<>`"):
            return "the fix would need characters an unquoted attribute value cannot hold"
    if any(not (region.start <= e.start and e.end <= region.end) for e in edits):
        return "the fix would reach outside the attribute"
    return None
