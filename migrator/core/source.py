"""Reading a file's bytes into something the parsers can use, and mapping offsets back."""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass, field

from migrator.core.languages import language_for_path

UTF8_BOM = codecs.BOM_UTF8
_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class SourceError(Exception):
    """The file cannot be linted (binary, undecodable, unknown language)."""


def unreadable(raw: bytes) -> str | None:
    """Why bytes cannot be a source file, found without decoding them (a UTF-16 or UTF-32
    mark, NUL bytes), or None. ``SourceFile.from_bytes`` also checks the UTF-8."""
    for bom, name in _FOREIGN_BOMS:
        if raw.startswith(bom):
            return f"encoded as {name}; only UTF-8 is supported"
    if b"\x00" in raw:
        return "looks binary (contains NUL bytes)"
    return None


@dataclass
class SourceFile:
    """A file's content without its BOM, plus what is needed to write it back exactly.

    All offsets handed around by the engine are byte offsets into ``content``.
    """

    path: str
    language: str
    raw: bytes
    bom: bytes = b""
    # What the modules this file imports export (specifier -> migrator.js.resolve.Exports),
    # from the project pass; None when the file is read on its own.
    modules: dict | None = field(default=None, repr=False, compare=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def from_bytes(cls, path: str, raw: bytes, language: str | None = None) -> SourceFile:
        language = language or language_for_path(path)
        if language is None:
            raise SourceError("not a JavaScript, TypeScript or Python file (unknown extension)")
        problem = unreadable(raw)
        if problem is not None:
            raise SourceError(problem)
        bom = UTF8_BOM if raw.startswith(UTF8_BOM) else b""
        body = raw[len(bom):]
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"is not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start + len(bom)})"
            ) from None
        return cls(path=path, language=language, raw=raw, bom=bom)

    @property
    def content(self) -> bytes:
        return self.raw[len(self.bom):]

    def with_content(self, content: bytes) -> SourceFile:
        return SourceFile(path=self.path, language=self.language, raw=self.bom + content, bom=self.bom,
                          modules=self.modules)

    def line_starts(self) -> list[int]:
        if not self._line_starts:
            content = self.content
            starts = [0]
            pos = content.find(b"\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = content.find(b"\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column (in characters) of a byte offset."""
        starts = self.line_starts()
        index = bisect.bisect_right(starts, offset) - 1
        line_start = starts[index]
        column = len(self.content[line_start:offset].decode("utf-8", errors="replace"))
        return index + 1, column + 1

    def line_text(self, line: int) -> str:
        starts = self.line_starts()
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.content)
        return self.content[start:end].decode("utf-8", errors="replace").rstrip("\r\n")
