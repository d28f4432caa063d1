"""JavaScript and TypeScript in Markdown (and MDX) code fences.

A fence (```` ``` ```` or `~~~`, three or more, indented at most three spaces) whose info
string starts with js, jsx, javascript, ts, typescript or tsx is one region, parsed like the
regions of an HTML page (`migrator.js.html`): on a copy of the file with everything else
blanked, so that lines and columns are the Markdown file's and a fix edits its bytes. Other
fences are skipped, and so is a tagged fence that does not parse (documentation is full of
fragments: `...`, a lone method, a call without its surroundings): no finding, no error.
"""

from __future__ import annotations

import re

from migrator.js.html import HtmlTree, Region, parse_regions

FENCE_LANGS = {"js": "javascript", "jsx": "javascript", "javascript": "javascript", "mjs": "javascript", "cjs": "javascript",
               "ts": "typescript", "typescript": "typescript", "mts": "typescript", "cts": "typescript", "tsx": "tsx"}

_OPEN = re.compile(rb"^( {0,3})(`{3,}|~{3,})[ \t]*([^\r\n]*?)[ \t]*\r?$")


def parse(content: bytes) -> HtmlTree:
    return parse_regions(content, regions(content), skip_broken=True)


def regions(content: bytes) -> list[Region]:
    found: list[Region] = []
    lines = content.split(b"\n")
    offsets, offset = [], 0
    for line in lines:
        offsets.append(offset)
        offset += len(line) + 1
    i = 0
    while i < len(lines):
        match = _OPEN.match(lines[i])
        if match is None or (match[2][:1] == b"`" and b"`" in match[3]):
            i += 1
            continue
        fence, info = match[2], match[3].decode("utf-8", "replace")
        tag = re.split(r"[\s{,]", info.strip(), maxsplit=1)[0].lower() if info.strip() else ""
        closer = re.compile(rb"^ {0,3}" + re.escape(fence[:1]) + b"{" + str(len(fence)).encode() + rb",}[ \t]*\r?$")
        end = next((j for j in range(i + 1, len(lines)) if closer.match(lines[j])), len(lines))
        language = FENCE_LANGS.get(tag)
        if language is not None and end > i + 1:
            start, stop = offsets[i + 1], offsets[end - 1] + len(lines[end - 1])
            found.append(Region(start, stop, "fence", language=language))
        i = end + 1
    return found
