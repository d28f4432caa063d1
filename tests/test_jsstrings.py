"""Tests for migrator.js.strings: JS string literal and template chunk codec."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.js.strings import (
    JSStringError,
    decode_string_literal,
    decode_string_literal_map,
    decode_template_chunk,
    decode_template_chunk_map,
    encode_string_literal,
    encode_template_chunk,
)

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def node_eval(sources: list[str], strict: bool = False) -> list[str]:
    """Evaluate JS expressions with the real engine and return their string values."""
    prologue = '"use strict";' if strict else ""
    script = prologue + "process.stdout.write(JSON.stringify([" + ",\n".join(sources) + "]))"
    done = subprocess.run([NODE, "-e", script], capture_output=True, timeout=60)
    if done.returncode != 0:
        raise SyntaxError(done.stderr.decode("utf-8", "replace"))
    return json.loads(done.stdout.decode("utf-8"))


# ---------------------------------------------------------------------------
# Decoding string literals
# ---------------------------------------------------------------------------

ESCAPES = [
    (r"'\n'", "\n"),
    (r"'\t'", "\t"),
    (r"'\r'", "\r"),
    (r"'\b'", "\b"),
    (r"'\f'", "\f"),
    (r"'\v'", "\v"),
    (r"'\0'", "\0"),
    (r"'\''", "'"),
    (r'"\""', '"'),
    (r"'\"'", '"'),
    (r'"\'"', "'"),
    (r"'\\'", "\\"),
    (r"'\x41\x7e'", "A~"),
    (r"'\u00e9\u20AC'", "é€"),
    (r"'\u{1F600}\u{41}\u{000041}'", "😀AA"),
    (r"'\uD83D\uDE00'", "😀"),
    (r"'\uD83D'", "\ud83d"),
    (r"'\uDE00\uD83D'", "\ude00\ud83d"),
    ("'a\\\nb'", "ab"),
    ("'a\\\r\nb'", "ab"),
    ("'a\\\rb'", "ab"),
    ("'a\\\u2028b'", "ab"),
    ("'a\\\u2029b'", "ab"),
    ("'a\u2028b'", "a\u2028b"),
    (r"'\q\$\{\`\ \é'", "q${` é"),
    (r"'\8\9'", "89"),
    (r"'\101\7\08\00\377\400'", "A\x07\x008\x00\xff 0"),
    ("'héllo 😀'", "héllo 😀"),
    ("''", ""),
    ('""', ""),
    ("'{{json .}}'", "{{json .}}"),
]


@pytest.mark.parametrize("raw, value", ESCAPES)
def test_decode_escapes(raw, value):
    assert decode_string_literal(raw) == value


@needs_node
def test_decode_agrees_with_node():
    assert node_eval([raw for raw, _ in ESCAPES]) == [decode_string_literal(r) for r, _ in ESCAPES]


@pytest.mark.parametrize("raw", [r"'\101'", r"'\01'", r"'\8'", r"'\7'"])
def test_strict_rejects_legacy_octal(raw):
    assert decode_string_literal(raw)  # sloppy scripts accept it
    with pytest.raises(JSStringError):
        decode_string_literal(raw, strict=True)


@needs_node
def test_node_strict_mode_rejects_legacy_octal_too():
    with pytest.raises(SyntaxError):
        node_eval([r"'\101'"], strict=True)
    assert node_eval([r"'\0'"], strict=True) == ["\0"]


@pytest.mark.parametrize("raw", [
    r"'\x4'", r"'\xZZ'", r"'\u12'", r"'\u{}'", r"'\u{110000}'", r"'\u{12'", "'a\\'",
    "'a\nb'", "'a\rb'", "'it's'", "'abc\"", "abc", "'", "",
])
def test_decode_rejects_invalid_literals(raw):
    with pytest.raises(JSStringError):
        decode_string_literal(raw)


def test_decode_map_points_into_the_source():
    value, offsets = decode_string_literal_map(r"'a\nb\u{1F600}c'")
    assert value == "a\nb😀c"
    assert offsets == (1, 2, 4, 5, 14, 15)  # the last entry is the closing quote


def test_decode_map_locates_a_surrogate_pair_at_its_first_half():
    value, offsets = decode_string_literal_map(r"'x\uD83D\uDE00y'")
    assert value == "x😀y" and offsets == (1, 2, 14, 15)


# ---------------------------------------------------------------------------
# Decoding template chunks
# ---------------------------------------------------------------------------

TEMPLATE_CHUNKS = [
    (r"a\`b", "a`b"),
    (r"\${x}", "${x}"),
    (r"$\{x}", "${x}"),
    ("$ { $x", "$ { $x"),
    ("line1\nline2", "line1\nline2"),
    ("crlf\r\nx", "crlf\nx"),
    ("cr\rx", "cr\nx"),
    ("cont\\\ninued", "continued"),
    (r"\n\t\0\x41\u0042\u{43}\'\"", "\n\t\0ABC'\""),
    (r"docker ps --format '{{json .}}'", "docker ps --format '{{json .}}'"),
    ("", ""),
]


@pytest.mark.parametrize("raw, value", TEMPLATE_CHUNKS)
def test_decode_template_chunk(raw, value):
    assert decode_template_chunk(raw) == value


@needs_node
def test_template_chunks_agree_with_node():
    sources = ["`" + raw + "`" for raw, _ in TEMPLATE_CHUNKS]
    assert node_eval(sources) == [value for _, value in TEMPLATE_CHUNKS]


@needs_node
def test_template_with_substitutions_agrees_with_node():
    chunks = ["docker run --name \\`", " -e A=\\${B} ", "\\\n"]
    source = "`" + "${'X'}".join(chunks) + "`"
    assert node_eval([source]) == ["X".join(decode_template_chunk(c) for c in chunks)]


@pytest.mark.parametrize("raw", [r"\1", r"\01", r"\8", "a`b", "a${b", "\\", r"\x1"])
def test_decode_template_chunk_rejects_invalid(raw):
    with pytest.raises(JSStringError):
        decode_template_chunk(raw)


def test_template_map_counts_crlf_as_one_character():
    assert decode_template_chunk_map("a\r\nb") == ("a\nb", (0, 1, 3, 4))


# ---------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("value, quote, source", [
    ("it's", '"', '"it\'s"'),
    ("it's", "'", r"'it\'s'"),
    ('say "hi"', "'", "'say \"hi\"'"),
    ('say "hi"', '"', r'"say \"hi\""'),
    ("C:\\dir", "'", r"'C:\\dir'"),
    ("a\nb\tc\r", "'", r"'a\nb\tc\r'"),
    ("\0", "'", r"'\0'"),
    ("\x001", "'", r"'\x001'"),  # `\01` would be an octal escape
    ("\x1b[0m\x7f\x85", "'", r"'\x1b[0m\x7f\x85'"),
    ("\u2028\u2029", "'", r"'\u2028\u2029'"),
    ("\ud800", "'", r"'\ud800'"),
    ("héllo 😀 日本", "'", "'héllo 😀 日本'"),
    ("{{json .}}", "'", "'{{json .}}'"),
    ("${x} `y`", "'", "'${x} `y`'"),
    ("", '"', '""'),
])
def test_encode_examples(value, quote, source):
    assert encode_string_literal(value, quote) == source


def test_encode_rejects_unknown_quote():
    with pytest.raises(ValueError):
        encode_string_literal("x", "`")


@pytest.mark.parametrize("value, source", [
    ("a`b", r"a\`b"),
    ("${x}", r"\${x}"),
    ("$x {y}", "$x {y}"),
    ("a\\b", r"a\\b"),
    ("a\r\nb", r"a\r\nb"),
    ("\x001", r"\x001"),
])
def test_encode_template_chunk_examples(value, source):
    assert encode_template_chunk(value) == source


def _no_joinable_surrogates(s: str) -> bool:
    """JS strings are UTF-16: a high surrogate followed by a low one *is* one character,
    so such Python strings cannot survive a trip through JS and are excluded."""
    return not re.search("[\ud800-\udbff][\udc00-\udfff]", s)


ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=())).filter(_no_joinable_surrogates)
PLAIN = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                                       exclude_characters="'\"\\`$"))


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, st.sampled_from(["'", '"']))
def test_string_literal_round_trips(value, quote):
    assert decode_string_literal(encode_string_literal(value, quote), strict=True) == value


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_template_chunk_round_trips(value):
    assert decode_template_chunk(encode_template_chunk(value)) == value


@settings(max_examples=200, deadline=None)
@given(PLAIN, st.sampled_from(["'", '"']))
def test_plain_text_is_left_alone(value, quote):
    # Only what must be escaped is escaped, so ordinary text reads as written.
    assert encode_string_literal(value, quote) == quote + value + quote
    assert encode_template_chunk(value) == value


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_encoding_prefers_no_escape_for_the_other_quote(value):
    assert '\\"' not in encode_string_literal(value, "'").replace("\\\\", "")
    assert "\\'" not in encode_string_literal(value, '"').replace("\\\\", "")


@needs_node
@settings(max_examples=5, deadline=None)
@given(st.lists(ANY_TEXT, min_size=30, max_size=30))
def test_encoded_literals_evaluate_to_the_value_in_node(values):
    sources = [encode_string_literal(v, q) for v in values for q in ("'", '"')]
    sources += ["`" + encode_template_chunk(v) + "`" for v in values]
    assert node_eval(sources) == [v for v in values for _ in (0, 1)] + values
