"""The engine's promises: bytes outside edits are untouched, bad fixes are dropped, fixes settle."""

import pytest

from migrator.core import languages
from migrator.core.edits import apply_edits, select_compatible
from migrator.core.engine import Catalogue, fix, lint, probes_for
from migrator.core.model import Applicability, Edit, Finding, Fix
from migrator.core.registry import all_rules
from migrator.core.rule import Rule
from migrator.core.source import SourceError, SourceFile

CATALOGUE = Catalogue(all_rules())


def source(code, name="a.ts"):
    return SourceFile.from_bytes(name, code if isinstance(code, bytes) else code.encode())


def test_bom_crlf_tabs_and_missing_final_newline_survive():
    raw = b"\xef\xbb\xbf// caf\xc3\xa9\r\n\tconst x = window.ddClient.backend.get('/\xc3\xa9');\n\r\nlast();"
    result = fix(source(raw), CATALOGUE)
    expected = raw.replace(b"backend.get", b"extension.vm?.service?.get")
    assert result.source.raw == expected
    assert result.source.raw.startswith(b"\xef\xbb\xbf")


def test_columns_count_characters_not_bytes_and_ignore_the_bom():
    [f] = lint(source("\ufeffconst é = 'ü'; window.ddClient.backend.get('/x');\n".encode()), CATALOGUE)
    assert (f.line, f.column) == (1, 16)


def test_nothing_is_edited_next_to_a_syntax_error():
    code = "window.ddClient.backend.get('/x', ;\nwindow.ddClient.backend.get('/ok');\n"
    result = fix(source(code), CATALOGUE)
    fixed = result.source.content.decode()
    assert fixed.splitlines()[0] == code.splitlines()[0]
    assert fixed.splitlines()[1] == "window.ddClient.extension.vm?.service?.get('/ok');"
    [left] = result.remaining
    assert left.fix is None and "syntax error" in left.no_fix_reason


def test_file_without_client_literals_is_never_parsed(monkeypatch):
    calls = []
    real = languages.parse
    monkeypatch.setattr(languages, "parse", lambda *a: calls.append(a) or real(*a))
    assert lint(source("backend.get('/x'); const y = 2;\n"), CATALOGUE) == []
    assert calls == []
    lint(source("window.ddClient.backend.get('/x');\n"), CATALOGUE)
    assert len(calls) == 1


def test_overlapping_fixes_one_wins_the_other_waits():
    def finding(start, end, text):
        return Finding("r", "DD999", "m", start, end, fix=Fix((Edit(start, end, text),)))

    a, b, c = finding(0, 5, "x"), finding(3, 8, "y"), finding(8, 9, "z")
    accepted, deferred = select_compatible([a, b, c])
    assert accepted == [a, c] and deferred == [b]
    shared = Edit(0, 1, "s")
    d = Finding("r", "DD999", "m", 0, 1, fix=Fix((shared, Edit(5, 6, "p"))))
    e = Finding("r", "DD999", "m", 0, 1, fix=Fix((shared, Edit(7, 8, "q"))))
    assert select_compatible([d, e]) == ([d, e], [])
    assert apply_edits(b"0123456789", [shared, Edit(5, 6, "p"), shared]) == b"s1234p6789"


def test_two_insertions_at_one_point_clash():
    assert Edit(3, 3, "a").overlaps(Edit(3, 3, "b"))
    assert not Edit(3, 3, "a").overlaps(Edit(3, 5, "b"))
    assert Edit(4, 4, "a").overlaps(Edit(3, 5, "b"))


class BreaksSyntax(Rule):
    """A rule whose fix produces code that does not parse: the engine must drop it."""

    code, name, summary, fixable = "DD990", "breaks-syntax", "test only", "safe"
    literals = (b"target",)
    query = "((identifier) @id (#eq? @id \"target\"))"

    def on_match(self, ctx, captures):
        node = captures["id"][0]
        yield ctx.finding(self, node, "m", edits=[Edit(node.start_byte, node.end_byte, "(((")])


class Renames(Rule):
    """Renames `target` to `renamed`; safe and verifiable."""

    code, name, summary, fixable = "DD991", "renames", "test only", "safe"
    literals = (b"other",)
    query = "((identifier) @id (#eq? @id \"other\"))"

    def on_match(self, ctx, captures):
        node = captures["id"][0]
        yield ctx.finding(self, node, "m", edits=[Edit(node.start_byte, node.end_byte, "renamed")])


def test_a_fix_that_breaks_the_syntax_is_dropped_and_reported_while_others_apply():
    catalogue = Catalogue([BreaksSyntax(), Renames()])
    result = fix(source("target(1);\nother(2);\n"), catalogue)
    assert result.source.content == b"target(1);\nrenamed(2);\n"
    [left] = result.remaining
    assert left.code == "DD990" and left.fix is None
    assert "would not parse" in left.no_fix_reason


class Grows(Rule):
    """Never settles: each pass wraps the call again. The engine must stop and say so."""

    code, name, summary, fixable = "DD992", "grows", "test only", "safe"
    literals = (b"f",)
    query = "(call_expression function: (identifier) @id (#eq? @id \"f\")) @call"

    def on_match(self, ctx, captures):
        node = captures["call"][0]
        yield ctx.finding(self, node, "m", edits=[Edit(node.start_byte, node.start_byte, "f(")] +
                          [Edit(node.end_byte, node.end_byte, ")")])


def test_fixes_that_never_settle_are_dropped_and_the_others_still_apply():
    result = fix(source("f();\nother();\n"), Catalogue([Grows(), Renames()]))
    assert result.source.content == b"f();\nrenamed();\n"
    [left] = result.remaining
    assert left.code == "DD992" and left.fix is None and "change the code again" in left.no_fix_reason


def test_unsafe_fixes_need_the_flag():
    class Unsafe(Renames):
        code, name = "DD993", "unsafe-rename"

        def on_match(self, ctx, captures):
            for f in super().on_match(ctx, captures):
                f.fix = Fix(f.fix.edits, Applicability.UNSAFE)
                yield f

    catalogue = Catalogue([Unsafe()])
    assert not fix(source("other();\n"), catalogue).changed
    assert fix(source("other();\n"), catalogue, unsafe=True).source.content == b"renamed();\n"


@pytest.mark.parametrize("raw,reason", [
    (b"\xff\xfe" + "x".encode("utf-16-le"), "UTF-16"),
    (b"const a = '\xe9';", "not valid UTF-8"),
    (b"\x00\x01\x02binary", "binary"),
])
def test_undecodable_input_is_refused_with_a_reason(raw, reason):
    with pytest.raises(SourceError, match=reason):
        SourceFile.from_bytes("a.js", raw)


def test_language_follows_the_extension():
    for name, language in [("a.js", "javascript"), ("a.jsx", "javascript"), ("a.mjs", "javascript"),
                           ("a.cjs", "javascript"), ("a.ts", "typescript"), ("a.mts", "typescript"),
                           ("a.cts", "typescript"), ("a.tsx", "tsx"), ("A.TSX", "tsx")]:
        assert SourceFile.from_bytes(name, b"").language == language
    with pytest.raises(SourceError):
        SourceFile.from_bytes("a.txt", b"")


def test_tsx_and_generic_arrow_functions_parse_with_the_right_grammar():
    code = "const f = <T,>(x: T) => x;\nconst el = <div>{window.ddClient.backend.get('/x')}</div>;\n"
    [f] = lint(source(code, "a.tsx"), CATALOGUE)
    assert f.fix is not None
    ts_only = "const y = <any>window.ddClient;\ny.backend.get('/x');\n"
    assert len(lint(source(ts_only, "a.ts"), CATALOGUE)) == 1


def test_findings_are_in_source_order_and_not_repeated():
    code = "ddClient.backend.get('/b');\nddClient.backend.get('/a');\n"
    findings = lint(source(code), CATALOGUE)
    assert [f.line for f in findings] == [1, 2]


def test_a_destructuring_is_split_only_from_an_expression_that_can_be_repeated():
    """Splitting `{ backend, docker }` repeats the right-hand side: never a call."""
    pure = "const { backend, docker } = window.ddClient;\nbackend.get('/x');\n"
    assert fix(source(pure), CATALOGUE).changed
    impure = ("import { createDockerDesktopClient } from '@docker/extension-api-client';\n"
              "const { backend, docker } = createDockerDesktopClient();\nbackend.get('/x');\n")
    [finding] = [f for f in lint(source(impure), CATALOGUE) if f.code == "DD101"]
    assert finding.fix is None and "cannot be repeated" in finding.no_fix_reason


def test_the_quote_style_of_a_large_file_is_read_from_its_beginning():
    """New string literals follow the file's usual quote; a bundle of megabytes is not walked to
    its end for it: its first QUOTE_SAMPLE_BYTES decide (here single quotes, though most of
    the file uses double ones), and a small file is read whole."""
    from migrator.js.context import QUOTE_SAMPLE_BYTES

    head = "const a = 'x';\n" * (QUOTE_SAMPLE_BYTES // 15 + 1)
    tail = 'const b = "y";\n' * (3 * QUOTE_SAMPLE_BYTES // 15)
    call = "window.ddClient.backend.execInVMExtension(`ls -l`);\n"
    fixed = fix(SourceFile.from_bytes("big.js", (head + tail + call).encode()), CATALOGUE, unsafe=True)
    assert fixed.source.content.endswith(b"window.ddClient.extension.vm?.cli.exec('ls', ['-l']);\n")
    small = fix(SourceFile.from_bytes("small.js", (head[:30] + tail[:300] + call).encode()), CATALOGUE, unsafe=True)
    assert small.source.content.endswith(b'window.ddClient.extension.vm?.cli.exec("ls", ["-l"]);\n')


def test_probes_cover_every_literal_with_a_substring_of_it():
    literals = (b"DockerDesktopClient", b"ddClient", b"extension-api-client", b"ddmigrate:", b"migrator", b"xyz")
    groups = probes_for(literals)
    assert sorted(lit for _, group in groups for lit in group) == sorted(literals)
    assert all(probe in lit for probe, group in groups for lit in group)
    assert dict(groups)[b"lient"] == (b"DockerDesktopClient", b"ddClient", b"extension-api-client")
    assert (b"xyz", (b"xyz",)) in groups  # shorter than a probe may be: its own
    # The default JavaScript catalogue scans a file that names no client once.
    assert CATALOGUE.probes("javascript") == ((b"lient", CATALOGUE.literals("javascript")),)


def test_the_probed_pre_filter_says_what_searching_each_literal_says():
    texts = [b"", b"client", b"const c = new Client();", b"ddClient", b"import x from '@docker/extension-api-client'",
             b"a DockerDesktop Client", b"extension-api-Client", b"// ddmigrate: ignore\nx()", b"ddclient",
             b"window.ddClient.backend", b"\xef\xbb\xbfDockerDesktopClient"]
    for language in ("javascript", "tsx", "python", "vue", "markdown"):
        for text in texts:
            expected = any(lit in text for lit in CATALOGUE.literals(language))
            assert CATALOGUE.may_match(text, language) == expected, (language, text)
