"""Decode and encode JavaScript string literals and template chunks.

The codemod reads command strings out of JS/TS source and writes argv arrays
back; both directions must agree exactly with what a JS engine does.

* :func:`decode_string_literal` turns the source text of ``'...'`` / ``"..."``
  into its value (every escape, including legacy octal as sloppy-mode scripts
  read it; pass ``strict=True`` to reject those like ES modules do).
* :func:`decode_template_chunk` turns the raw text of one static chunk of a
  template literal (the text between the backtick / ``${`` / ``}`` delimiters)
  into its cooked value.
* The ``*_map`` variants also return, for each character of the value, its
  offset in the raw text (plus one final entry for the end), so a caller can
  map an offset in the decoded text (e.g. from ``migrator.migration.shell``) back to the
  source.
* :func:`encode_string_literal` / :func:`encode_template_chunk` write a value
  back, escaping only what must be escaped so the result reads like
  hand-written code; non-ASCII characters are kept as they are.

Values are Python ``str``; JS strings are UTF-16, so escaped surrogate pairs
(``\\uD83D\\uDE00``) are combined into one code point, and lone surrogates stay
lone surrogates.
"""

from __future__ import annotations

__all__ = [
    "JSStringError",
    "decode_string_literal",
    "decode_string_literal_map",
    "decode_template_chunk",
    "decode_template_chunk_map",
    "encode_string_literal",
    "encode_template_chunk",
]

_HEX = "0123456789abcdefABCDEF"
_OCTAL = "01234567"
_LINE_TERMINATORS = "\n\r\u2028\u2029"
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}


class JSStringError(ValueError):
    """The text is not a valid JS string literal or template chunk."""


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------


class _Decoder:
    """Decode the body of a literal; ``base`` is the body's offset in the raw text."""

    def __init__(self, body: str, base: int, template: bool, strict: bool):
        self.body = body
        self.base = base
        self.template = template
        self.strict = strict or template  # templates never allow legacy octal
        self.i = 0
        self.chars: list[str] = []
        self.offsets: list[int] = []

    def emit(self, ch: str, at: int) -> None:
        self.chars.append(ch)
        self.offsets.append(self.base + at)

    def error(self, message: str) -> JSStringError:
        return JSStringError(f"{message} at offset {self.base + self.i}")

    def run(self) -> tuple[str, tuple[int, ...]]:
        while self.i < len(self.body):
            ch = self.body[self.i]
            if ch == "\\":
                self.escape()
            elif ch in "\r\n" and not self.template:
                raise self.error("unescaped line break in a string literal")
            elif ch == "\r":
                self.literal_cr()
            else:
                self.check_template_char(ch)
                self.emit(ch, self.i)
                self.i += 1
        return _join_surrogates(self.chars, self.offsets, self.base + len(self.body))

    def check_template_char(self, ch: str) -> None:
        if not self.template:
            return
        if ch == "`" or (ch == "$" and self.body[self.i + 1:self.i + 2] == "{"):
            raise self.error(f"unescaped {'`' if ch == '`' else '${'} inside a template chunk")

    def literal_cr(self) -> None:
        # Templates normalise CRLF and CR to LF in both cooked and raw values.
        self.emit("\n", self.i)
        self.i += 2 if self.body[self.i + 1:self.i + 2] == "\n" else 1

    def escape(self) -> None:
        start = self.i
        if start + 1 >= len(self.body):
            raise self.error("backslash at the end of the literal")
        ch = self.body[start + 1]
        self.i = start + 2
        if ch in _LINE_TERMINATORS:
            if ch == "\r" and self.body[self.i:self.i + 1] == "\n":
                self.i += 1  # CRLF is one line terminator
            return  # a line continuation contributes nothing
        if ch in _SIMPLE_ESCAPES:
            self.emit(_SIMPLE_ESCAPES[ch], start)
        elif ch == "x":
            self.emit(chr(self.hex_digits(2)), start)
        elif ch == "u":
            self.emit(chr(self.unicode_escape()), start)
        elif ch in "0123456789":
            self.digit_escape(ch, start)
        else:
            self.emit(ch, start)  # unknown escapes mean the character itself

    def hex_digits(self, count: int) -> int:
        digits = self.body[self.i:self.i + count]
        if len(digits) != count or any(d not in _HEX for d in digits):
            raise self.error(f"expected {count} hex digits")
        self.i += count
        return int(digits, 16)

    def unicode_escape(self) -> int:
        if self.body[self.i:self.i + 1] != "{":
            return self.hex_digits(4)
        close = self.body.find("}", self.i)
        digits = self.body[self.i + 1:close] if close != -1 else ""
        if not digits or any(d not in _HEX for d in digits) or int(digits, 16) > 0x10FFFF:
            raise self.error("bad \\u{...} escape")
        self.i = close + 1
        return int(digits, 16)

    def digit_escape(self, first: str, start: int) -> None:
        following = self.body[self.i:self.i + 1]
        if first == "0" and not (following and following in "0123456789"):
            self.emit("\0", start)
            return
        if self.strict:
            what = "template literal" if self.template else "strict-mode string"
            raise self.error(f"octal or \\8 \\9 escape in a {what}")
        if first in "89":
            self.emit(first, start)  # NonOctalDecimalEscapeSequence: the digit itself
            return
        if first == "0" and following in "89":
            self.emit("\0", start)
            return
        self.emit(chr(self.legacy_octal(first)), start)

    def legacy_octal(self, first: str) -> int:
        # Annex B: up to three digits when the first is 0-3 (max \377), else up to two.
        digits = first
        limit = 3 if first in "0123" else 2
        while len(digits) < limit and self.body[self.i:self.i + 1] and \
                self.body[self.i] in _OCTAL:
            digits += self.body[self.i]
            self.i += 1
        return int(digits, 8)


def _join_surrogates(chars: list[str], offsets: list[int], end: int) -> tuple[str, tuple[int, ...]]:
    """Combine UTF-16 surrogate pairs (as JS sees the string) into single code points."""
    out: list[str] = []
    out_offsets: list[int] = []
    k = 0
    while k < len(chars):
        ch = chars[k]
        nxt = chars[k + 1] if k + 1 < len(chars) else ""
        out_offsets.append(offsets[k])  # a pair is located at its high surrogate
        if "\ud800" <= ch <= "\udbff" and "\udc00" <= nxt <= "\udfff":
            ch = chr(0x10000 + ((ord(ch) - 0xD800) << 10) + (ord(nxt) - 0xDC00))
            k += 1
        out.append(ch)
        k += 1
    out_offsets.append(end)
    return "".join(out), tuple(out_offsets)


def decode_string_literal_map(raw: str, *, strict: bool = False) -> tuple[str, tuple[int, ...]]:
    """Decode ``'...'`` or ``"..."`` source text; also return each value character's
    offset in ``raw`` (the final extra entry is the offset of the closing quote)."""
    if len(raw) < 2 or raw[0] not in "'\"" or raw[-1] != raw[0]:
        raise JSStringError(f"not a quoted JS string literal: {raw!r}")
    body = raw[1:-1]
    if _has_unescaped(body, raw[0]):
        raise JSStringError(f"unescaped {raw[0]} inside the literal {raw!r}")
    return _Decoder(body, 1, template=False, strict=strict).run()


def decode_string_literal(raw: str, *, strict: bool = False) -> str:
    """The value of the JS string literal whose source text (with quotes) is ``raw``.

    ``strict=True`` rejects legacy octal escapes (``\\101``) and ``\\8``/``\\9``,
    as strict-mode code and ES modules do; by default they decode like a script.
    """
    return decode_string_literal_map(raw, strict=strict)[0]


def decode_template_chunk_map(raw: str) -> tuple[str, tuple[int, ...]]:
    """Cook one static chunk of a template literal; also return the offset map."""
    return _Decoder(raw, 0, template=True, strict=True).run()


def decode_template_chunk(raw: str) -> str:
    """The cooked value of the raw text of one template chunk (between `` ` ``, ``${`` and ``}``).

    ``\\``` and ``\\${`` give a literal backtick and ``${``; CRLF and CR give LF.
    """
    return decode_template_chunk_map(raw)[0]


def _has_unescaped(body: str, quote: str) -> bool:
    k = 0
    while k < len(body):
        if body[k] == "\\":
            k += 2
            continue
        if body[k] == quote:
            return True
        k += 1
    return False


# ---------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------

_ENCODE_ESCAPES = {
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _escape_char(ch: str, following: str) -> str:
    """The escape for a character that cannot stand literally, or the character itself."""
    if ch in _ENCODE_ESCAPES:
        return _ENCODE_ESCAPES[ch]
    if ch == "\0":
        # `\0` followed by a digit would read as an octal escape.
        return "\\x00" if following.isdigit() else "\\0"
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"  # invisible control characters
    if 0xD800 <= code <= 0xDFFF:
        return f"\\u{code:04x}"  # a lone surrogate cannot be written in UTF-8 source
    return ch


def encode_string_literal(value: str, quote: str = "'") -> str:
    """Write ``value`` as a JS string literal using ``quote`` (``'`` or ``"``)."""
    if quote not in ("'", '"'):
        raise ValueError("quote must be ' or \"")
    out = []
    for k, ch in enumerate(value):
        following = value[k + 1:k + 2]
        out.append("\\" + ch if ch == quote else _escape_char(ch, following))
    return quote + "".join(out) + quote


def encode_template_chunk(value: str) -> str:
    """Write ``value`` as the raw text of a static template chunk (no delimiters)."""
    out = []
    for k, ch in enumerate(value):
        following = value[k + 1:k + 2]
        if ch == "`" or (ch == "$" and following == "{"):
            out.append("\\" + ch)
        elif ch == "\0":
            out.append("\\x00")  # templates reject `\0` before a digit: never risk it
        else:
            out.append(_escape_char(ch, following))
    return "".join(out)
