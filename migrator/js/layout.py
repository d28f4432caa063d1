"""Layout-preserving rewrites: a fix's edits laid out the way the original call was.

Rules build their edits as if every call were written on one line (``arguments_edit`` joins
the new arguments with ``, ``; ``receiver_edits`` replaces ``backend.execInContainer`` with
``docker.cli.exec``). ``arrange`` then looks at what the edits replace, in the file as it is,
and keeps its line breaks:

- a member chain broken over lines (``backend\\n    .execInContainer``) keeps its breaks before
  the same segments, counted from the end (``docker.cli\\n    .exec``): a chain stays a chain;
- an argument list broken one per line stays so, each new argument on its own line with the
  first argument's indentation and the separator the file used (CRLF stays CRLF);
- an argument list on one line that would push its line past the longest line of the file
  (or ``MAX_COLUMNS``, whichever is larger) is broken one argument per line, one indentation
  unit deeper than the line of its ``(``, with a trailing comma when the file uses them
  (only in a file that breaks some call's arguments over lines: it shows how to).

Nothing outside the edits' own spans changes, except that breaking a long list also replaces
the blank space just inside its parentheses.
"""

from __future__ import annotations

import re

from migrator.core.model import Edit

MAX_COLUMNS = 100

_SEGMENT = r"[A-Za-z_$][\w$]*[!?]?"
_CHAIN = re.compile(rf"{_SEGMENT}(?:\s*\??\.\s*{_SEGMENT})+")
_GAP = re.compile(r"\s*\??\.\s*")
_BROKEN_CALL = re.compile(rb"[\w$)\]]\([ \t]*\r?\n")
_TRAILING = re.compile(rb",[ \t]*\r?\n[ \t]*[)\]}]")
_NO_TRAILING = re.compile(rb"[^,\s([{][ \t]*\r?\n[ \t]*[)\]]")


def arrange(ctx, edits) -> list[Edit]:
    """The edits of one fix, laid out as the file lays out the code they replace."""
    chained = [_chain(ctx, edit) or edit for edit in edits]
    return [_arguments(ctx, edit, chained) or edit for edit in chained]


def _chain(ctx, edit: Edit) -> Edit | None:
    """``backend\\n  .execInContainer`` replaced by ``docker.cli.exec`` keeps its break."""
    original = ctx.content[edit.start:edit.end].decode("utf-8", "replace")
    if "\n" not in original or not _CHAIN.fullmatch(original) or not _CHAIN.fullmatch(edit.text):
        return None
    if "\n" in edit.text or any(c.isspace() for c in edit.text):
        return None
    old_gaps = _GAP.findall(original)
    new_gaps = list(re.finditer(r"\??\.", edit.text))
    text = edit.text
    # Breaks are kept before the same segments counted from the end: the method stays last.
    for old, new in zip(reversed(old_gaps), reversed(new_gaps)):
        spacing = old[:len(old) - len(old.lstrip())]
        if "\n" in spacing:
            text = text[:new.start()] + spacing + text[new.start():]
    return Edit(edit.start, edit.end, text) if text != edit.text else None


def _call_for(ctx, edit: Edit):
    """The call whose arguments, first to last, ``edit`` replaces (or None)."""
    if edit.start == edit.end:
        node = ctx.tree.root_node.descendant_for_byte_range(edit.start, edit.end)
        if node is not None and node.type == "arguments" and not node.named_children \
                and node.start_byte + 1 == edit.start and node.end_byte - 1 == edit.end:
            return node.parent if node.parent is not None and node.parent.type == "call_expression" else None
        return None
    node = ctx.tree.root_node.named_descendant_for_byte_range(edit.start, edit.end)
    while node is not None and node.type != "arguments" and (node.start_byte, node.end_byte) == (edit.start, edit.end):
        node = node.parent
    if node is None or node.type != "arguments" or node.parent is None or node.parent.type != "call_expression":
        return None
    args = [a for a in node.named_children if a.type != "comment"]
    if not args or args[0].start_byte != edit.start or args[-1].end_byte != edit.end:
        return None
    return node.parent


def split_arguments(ctx, text: str) -> list[str] | None:
    """The top-level arguments of ``text`` (an argument list without its parentheses)."""
    from migrator.core import languages

    language = ctx.source.language if languages.uses_tree_sitter(ctx.source.language) else "javascript"
    if languages.is_container(language):
        language = "typescript"
    data = ("f(" + text + ");").encode("utf-8")
    try:
        tree = languages.parser(language).parse(data)
    except Exception:  # noqa: BLE001 - a grammar that cannot be loaded: leave the layout alone
        return None
    if tree.root_node.has_error:
        return None
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "arguments" and node.start_byte == 1:
            if any(c.type == "comment" for c in node.named_children):
                return None
            return [data[a.start_byte:a.end_byte].decode("utf-8") for a in node.named_children]
        stack.extend(node.named_children)
    return None


def _arguments(ctx, edit: Edit, edits: list[Edit]) -> Edit | None:
    call = _call_for(ctx, edit)
    if call is None:
        return None
    arguments = call.child_by_field_name("arguments")
    args = [a for a in arguments.named_children if a.type != "comment"]
    new = split_arguments(ctx, edit.text)
    if not new:
        return None
    content = ctx.content
    open_end = arguments.start_byte + 1
    if args:
        before = content[open_end:args[0].start_byte]
        gaps = [content[a.end_byte:b.start_byte] for a, b in zip(args, args[1:])]
        if b"\n" in before and gaps and all(b"\n" in g for g in gaps):
            # Broken one per line: each new argument on its own line, as the old ones were.
            separator = gaps[0].decode() if gaps[0].strip() == b"," else "," + before.decode()
            return Edit(edit.start, edit.end, separator.join(new))
        if b"\n" in before or any(b"\n" in g for g in gaps):
            return None  # laid out some other way: keep the edit as the rule wrote it
    if len(new) < 2 or ctx.quote_avoid or not _BROKEN_CALL.search(ctx.content):
        return None  # (a file that never breaks a call gives no layout to follow)
    inline = Edit(edit.start, edit.end, ", ".join(new))
    if _widest_line(content, [inline if e is edit else e for e in edits], inline) <= max(_longest_line(content), MAX_COLUMNS):
        return None
    close = arguments.end_byte - 1
    inside = content[open_end:close]
    rest = content[args[-1].end_byte:close] if args else inside
    if rest.strip() not in (b"", b",") or (args and content[open_end:args[0].start_byte].strip()):
        return None  # a comment inside the parentheses: leave the layout alone
    newline = _newline(content, call.start_byte)
    line_start = content.rfind(b"\n", 0, arguments.start_byte) + 1
    line = content[line_start:arguments.start_byte]
    indent = line[:len(line) - len(line.lstrip(b" \t"))].decode()
    inner = indent + ctx.indent_unit()
    trailing = "," if _uses_trailing_commas(content) else ""
    text = newline + inner + ("," + newline + inner).join(new) + trailing + newline + indent
    return Edit(open_end, close, text)


def _apply(content: bytes, edits: list[Edit]) -> tuple[bytes, dict]:
    """The content with ``edits`` applied, and where each edit's text starts in it."""
    starts, out, shift = {}, content, 0
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end)):
        starts[edit] = edit.start + shift
        shift += len(edit.text.encode("utf-8")) - (edit.end - edit.start)
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end), reverse=True):
        out = out[:edit.start] + edit.text.encode("utf-8") + out[edit.end:]
    return out, starts


def _widest_line(content: bytes, edits: list[Edit], edit: Edit) -> int:
    """The widest line of the fixed text among those ``edit``'s text is on."""
    fixed, starts = _apply(content, edits)
    begin = starts[edit]
    end = begin + len(edit.text.encode("utf-8"))
    first = fixed.rfind(b"\n", 0, begin) + 1
    last = fixed.find(b"\n", end)
    last = len(fixed) if last == -1 else last
    return max(_width(line) for line in fixed[first:last].split(b"\n"))


def _width(line: bytes) -> int:
    return len(line.rstrip(b"\r").decode("utf-8", "replace"))


def _longest_line(content: bytes) -> int:
    return max((_width(line) for line in content.split(b"\n")), default=0)


def _uses_trailing_commas(content: bytes) -> bool:
    """Whether the file ends broken lists with a comma (``foo(\\n  a,\\n)``) more often than not."""
    return len(_TRAILING.findall(content)) > len(_NO_TRAILING.findall(content))


def _newline(content: bytes, offset: int) -> str:
    end = content.find(b"\n", offset)
    if end == -1:
        end = content.rfind(b"\n", 0, offset)
    if end == -1:
        return "\r\n" if b"\r\n" in content else "\n"
    return "\r\n" if end > 0 and content[end - 1:end] == b"\r" else "\n"


_DIRECTIVE = re.compile(rb"^[ \t]*//[ \t]*(@ts-ignore|@ts-expect-error)\b")


def stale_directive(content: bytes, offset: int) -> str | None:
    """``@ts-ignore`` or ``@ts-expect-error`` when such a comment is on the line right above the
    line of ``offset`` (a v0 call it silenced may now hide a v1 type error), else None."""
    line_start = content.rfind(b"\n", 0, offset) + 1
    if line_start == 0:
        return None
    previous_start = content.rfind(b"\n", 0, line_start - 1) + 1
    match = _DIRECTIVE.match(content[previous_start:line_start - 1].rstrip(b"\r"))
    return match.group(1).decode() if match else None
