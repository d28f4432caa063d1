"""JavaScript inside Vue single-file components and Svelte components.

The component is cut into regions (its `<script>` blocks, and the JavaScript expressions of its
template or markup), each parsed like the regions of an HTML page (`migrator.js.html`): on a copy
of the whole file with everything else blanked, so that offsets, lines and columns are the
component's own and a fix is an edit of the component's bytes.

Vue: `<script>` and `<script setup>` (`lang` none/`js`/`jsx` -> JavaScript, `ts` -> TypeScript,
`tsx` -> TSX, anything else skipped), and in `<template>` (HTML only): `@event`/`v-on:` handlers
(read as programs, as Vue reads inline statements), `:prop`/`v-bind:` values, `v-if`, `v-show`,
`v-model`, ... values, the list of a `v-for`, and `{{ ... }}` interpolations (read as
expressions). `<style>` and custom blocks are skipped.

Svelte: `<script>` (also `lang="ts"` and `context="module"`), `{...}` in attribute values
(`on:click={...}`, `attr={...}`, `attr="a {b}"`), and `{...}` in the markup, including the
expression of `{#if ...}`, `{#each ... as x}`, `{#await ...}`, `{#key ...}`, `{@html ...}`.

The scanner is small and knows only what it needs: tags and their attributes, comments, and where
a JavaScript expression ends (quotes, template literals, brackets and comments are skipped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migrator.js.html import HtmlTree, Region, parse_regions

SCRIPT_LANGS = {"": "javascript", "js": "javascript", "javascript": "javascript", "jsx": "javascript",
                "ts": "typescript", "typescript": "typescript", "tsx": "tsx"}

_SPACE = b" \t\r\n\f"
# Where scanning may find something: a tag, a comment, an expression (long text is skipped at once).
_VUE_NEXT = re.compile(rb"<|\{\{")
_SVELTE_NEXT = re.compile(rb"[<{]")
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def parse(language: str, content: bytes) -> HtmlTree:
    return parse_regions(content, regions(language, content))


def regions(language: str, content: bytes) -> list[Region]:
    found = _vue(content) if language == "vue" else _svelte(content)
    return sorted((r for r in found if content[r.start:r.end].strip()), key=lambda r: r.start)


# --- scanning -------------------------------------------------------------------------------


@dataclass
class Attribute:
    name: str
    start: int  # the value's bytes (inside its quotes or braces); start == end when it has none
    end: int
    quote: str  # '"', "'", "" (unquoted), "{" (a Svelte `{...}` value or shorthand)
    inner: tuple = ()  # a quoted Svelte value: the (start, end) of each `{...}` inside it


@dataclass
class Tag:
    name: str
    attributes: list
    end: int  # just after the `>`
    self_closing: bool


def _string_end(c: bytes, i: int) -> int:
    quote, i, n = c[i], i + 1, len(c)
    while i < n:
        if c[i] == 92:  # backslash
            i += 2
        elif c[i] == quote:
            return i + 1
        elif c[i] == 10:
            return i  # unterminated: the line ends it
        else:
            i += 1
    return n


def _template_end(c: bytes, i: int) -> int:
    i, n = i + 1, len(c)
    while i < n:
        if c[i] == 92:
            i += 2
        elif c[i] == 96:  # `
            return i + 1
        elif c.startswith(b"${", i):
            end = js_end(c, i + 2, b"}")
            if end is None:
                return n
            i = end + 1
        else:
            i += 1
    return n


def js_end(c: bytes, i: int, closer: bytes) -> int | None:
    """Where ``closer`` (`}` or `}}`) ends the JavaScript starting at ``i``: the first one outside
    strings, template literals, comments and brackets. None when there is none."""
    depth, n = 0, len(c)
    while i < n:
        b = c[i]
        if depth == 0 and c.startswith(closer, i):
            return i
        if b in (34, 39):  # " '
            i = _string_end(c, i)
            continue
        if b == 96:
            i = _template_end(c, i)
            continue
        if c.startswith(b"//", i):
            newline = c.find(b"\n", i)
            i = n if newline < 0 else newline
            continue
        if c.startswith(b"/*", i):
            close = c.find(b"*/", i + 2)
            i = n if close < 0 else close + 2
            continue
        if b in b"([{":
            depth += 1
        elif b in b")]}":
            depth -= 1
            if depth < 0:
                return None
        i += 1
    return None


def _skip_space(c: bytes, i: int) -> int:
    while i < len(c) and c[i] in _SPACE:
        i += 1
    return i


def _is_tag_start(c: bytes, i: int) -> bool:
    return c[i] == 60 and i + 1 < len(c) and c[i + 1] in _ALPHA  # <


def _tag(c: bytes, i: int, svelte: bool) -> Tag:
    """The start tag at ``i`` (a `<` followed by a letter)."""
    n = len(c)
    j = i + 1
    while j < n and c[j] not in _SPACE and c[j] not in b"/>":
        j += 1
    tag = Tag(c[i + 1:j].decode("utf-8", "replace").lower(), [], n, False)
    while True:
        j = _skip_space(c, j)
        if j >= n:
            return tag
        if c[j] == 62:  # >
            tag.end = j + 1
            return tag
        if c.startswith(b"/>", j):
            tag.end, tag.self_closing = j + 2, True
            return tag
        if svelte and c[j] == 123:  # {name} or {...spread}
            end = js_end(c, j + 1, b"}")
            if end is None:
                return tag
            tag.attributes.append(Attribute("", j + 1, end, "{"))
            j = end + 1
            continue
        start = j
        while j < n and c[j] not in _SPACE and c[j] not in b"=>" and not c.startswith(b"/>", j):
            j += 1
        if j == start:  # a stray `/`
            j += 1
            continue
        name = c[start:j].decode("utf-8", "replace")
        after = _skip_space(c, j)
        if after >= n or c[after] != 61:  # no `=`: a boolean attribute
            tag.attributes.append(Attribute(name, j, j, ""))
            continue
        j = _skip_space(c, after + 1)
        if j >= n:
            return tag
        if c[j] in (34, 39):
            quote, inner, k = c[j], [], j + 1
            while k < n and c[k] != quote:
                if svelte and c[k] == 123:
                    end = js_end(c, k + 1, b"}")
                    if end is None:
                        break
                    inner.append((k + 1, end))
                    k = end
                k += 1
            tag.attributes.append(Attribute(name, j + 1, min(k, n), chr(quote), tuple(inner)))
            j = k + 1
        elif svelte and c[j] == 123:
            end = js_end(c, j + 1, b"}")
            if end is None:
                return tag
            tag.attributes.append(Attribute(name, j + 1, end, "{"))
            j = end + 1
        else:
            start = j
            while j < n and c[j] not in _SPACE and c[j] != 62:
                j += 1
            tag.attributes.append(Attribute(name, start, j, ""))


def _close(c: bytes, i: int, name: str) -> tuple[int, int]:
    """The start and end of the closing tag of a raw-text element (script, style) from ``i``."""
    match = re.compile(rb"</" + re.escape(name.encode()) + rb"\s*>", re.IGNORECASE).search(c, i)
    return (match.start(), match.end()) if match else (len(c), len(c))


def _comment_end(c: bytes, i: int) -> int:
    end = c.find(b"-->", i + 4)
    return len(c) if end < 0 else end + 3


def _values(c: bytes, tag: Tag) -> dict[str, str]:
    return {a.name.lower(): c[a.start:a.end].decode("utf-8", "replace").strip().lower() for a in tag.attributes if a.name}


def _script(c: bytes, tag: Tag, found: list) -> int:
    """A `<script>` block's region (when its language is ours); returns where scanning resumes."""
    start, (close, after) = tag.end, _close(c, tag.end, "script")
    values = _values(c, tag)
    language = SCRIPT_LANGS.get(values.get("lang", ""))
    kind = values.get("type", "")
    if language is not None and kind in ("", "module", "text/javascript", "application/javascript") and "src" not in values:
        found.append(Region(start, close, "script", language=language))
    return after


# --- Vue ------------------------------------------------------------------------------------

_NOT_EXPRESSIONS = frozenset({"v-slot", "v-pre", "v-cloak", "v-once", "v-else", "v-for"})
_FOR = re.compile(rb"\s(?:in|of)(?=\s)")


def _vue(c: bytes) -> list[Region]:
    found: list[Region] = []
    i, n = 0, len(c)
    while i < n:
        if c.startswith(b"<!--", i):
            i = _comment_end(c, i)
        elif _is_tag_start(c, i):
            tag = _tag(c, i, svelte=False)
            if tag.self_closing:
                i = tag.end
            elif tag.name == "script":
                i = _script(c, tag, found)
            elif tag.name == "template":
                html = _values(c, tag).get("lang", "html") in ("", "html")
                i = _vue_template(c, tag.end, found if html else [])
            else:  # <style>, custom blocks (<i18n>, <docs>, ...)
                i = _close(c, tag.end, tag.name)[1]
        else:
            i += 1
    return found


def _vue_template(c: bytes, i: int, found: list) -> int:
    """Scan a template's content for expressions; returns the end of its closing tag."""
    depth, n = 1, len(c)
    while i < n:
        following = _VUE_NEXT.search(c, i)
        if following is None:
            return n
        i = following.start()
        if c.startswith(b"<!--", i):
            i = _comment_end(c, i)
        elif c.startswith(b"</", i):
            end = c.find(b">", i)
            end = n if end < 0 else end + 1
            if c[i + 2:end - 1].strip().lower() == b"template":
                depth -= 1
                if depth == 0:
                    return end
            i = end
        elif _is_tag_start(c, i):
            tag = _tag(c, i, svelte=False)
            if tag.name == "template" and not tag.self_closing:
                depth += 1
            for attribute in tag.attributes:
                _vue_attribute(c, attribute, found)
            i = tag.end
            if tag.name in ("script", "style", "textarea") and not tag.self_closing:
                i = _close(c, i, tag.name)[1]
        elif c.startswith(b"{{", i):
            end = js_end(c, i + 2, b"}}")
            if end is None:
                i += 2
                continue
            found.append(Region(i + 2, end, "expression", wrap=True))
            i = end + 2
        else:
            i += 1
    return n


def _vue_attribute(c: bytes, attribute: Attribute, found: list) -> None:
    name = attribute.name.lower()
    if attribute.start == attribute.end:
        return
    if name.startswith("@") or name.startswith("v-on:"):
        found.append(Region(attribute.start, attribute.end, "attribute", attribute.quote))
        return
    directive = name.split(":", 1)[0].split(".", 1)[0]
    if name.startswith(":") or directive == "v-bind" or (name.startswith("v-") and directive not in _NOT_EXPRESSIONS):
        found.append(Region(attribute.start, attribute.end, "attribute", attribute.quote, wrap=True))
    elif directive == "v-for":
        match = _FOR.search(c, attribute.start, attribute.end)
        if match:
            found.append(Region(match.end(), attribute.end, "attribute", attribute.quote, wrap=True))


# --- Svelte ---------------------------------------------------------------------------------

# The keyword of a `{#...}`, `{:...}` or `{@...}` block, and what ends its expression.
_BLOCK = re.compile(rb"\s*(#if|:else\s+if|#each|#await|#key|@html|@const|@render|[#:/@][a-z]*)", re.IGNORECASE)
_EACH_END = re.compile(rb"\sas[\s{\[]")
_AWAIT_END = re.compile(rb"\s(?:then|catch)(?:\s|$)")


def _svelte(c: bytes) -> list[Region]:
    found: list[Region] = []
    i, n = 0, len(c)
    while i < n:
        following = _SVELTE_NEXT.search(c, i)
        if following is None:
            break
        i = following.start()
        if c.startswith(b"<!--", i):
            i = _comment_end(c, i)
        elif _is_tag_start(c, i):
            tag = _tag(c, i, svelte=True)
            if tag.name == "script" and not tag.self_closing:
                i = _script(c, tag, found)
                continue
            for attribute in tag.attributes:
                _svelte_attribute(c, attribute, found)
            i = tag.end
            if tag.name == "style" and not tag.self_closing:
                i = _close(c, i, tag.name)[1]
        elif c[i] == 123:  # {
            end = js_end(c, i + 1, b"}")
            if end is None:
                i += 1
                continue
            _svelte_block(c, i + 1, end, found)
            i = end + 1
        else:
            i += 1
    return found


def _svelte_attribute(c: bytes, attribute: Attribute, found: list) -> None:
    if attribute.quote == "{":
        if attribute.name.lower().startswith("let:") or c[attribute.start:attribute.end].lstrip().startswith(b"..."):
            return  # a pattern, or a spread: not an expression
        found.append(Region(attribute.start, attribute.end, "expression", "", wrap=True))
    for start, end in attribute.inner:
        found.append(Region(start, end, "expression", attribute.quote, wrap=True))


def _svelte_block(c: bytes, start: int, end: int, found: list) -> None:
    match = _BLOCK.match(c, start, end)
    if match is None:
        if not c[start:end].lstrip().startswith(b"..."):
            found.append(Region(start, end, "expression", wrap=True))
        return
    keyword = re.sub(rb"\s+", b" ", match.group(1).lower())
    expression_start, expression_end = match.end(), end
    if keyword == b"#each":
        stop = _EACH_END.search(c, expression_start, end)
        expression_end = stop.start() if stop else end
    elif keyword == b"#await":
        stop = _AWAIT_END.search(c, expression_start, end)
        expression_end = stop.start() if stop else end
    elif keyword not in (b"#if", b":else if", b"#key", b"@html", b"@const", b"@render"):
        return  # {:else}, {:then x}, {/if}, {@debug ...}: nothing to read
    found.append(Region(expression_start, expression_end, "expression", wrap=True))
