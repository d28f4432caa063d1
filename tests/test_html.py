"""JavaScript inside HTML: scripts and event handlers are linted and fixed in place."""

import pytest

from migrator.core.engine import Catalogue, fix, lint
from migrator.core.model import Edit
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile
from migrator.js.html import Region, fix_conflict, regions

CATALOGUE = Catalogue(all_rules())

PAGE = """<!DOCTYPE html>
<html>
  <body>
    <button onclick="window.ddClient.navigateToContainers()">Containers</button>
    <button onclick='window.ddClient.execHostCmd("kubectl version --client")'>v</button>
    <a href="#" onClick="window.ddClient.openExternal('https://docs.docker.com'); return false">docs</a>
    <script type="application/json">{"call": "window.ddClient.backend.get('/x')"}</script>
    <script type="text/template"><p>{{ window.ddClient.toastError('x') }}</p></script>
    <script>
      const client = window.ddClient;
      client.backend.get("/hello").then((r) => console.log(r));
    </script>
    <script type="module">
      window.ddClient.toastSuccess('ready');
    </script>
  </body>
</html>
"""


def page_source(text=PAGE):
    return SourceFile.from_bytes("ui/index.html", text.encode())


def test_findings_carry_the_html_file_positions():
    findings = lint(page_source(), CATALOGUE)
    assert [(f.rule, f.line, f.column) for f in findings] == [
        ("navigate", 4, 22), ("exec-host-cmd", 5, 22), ("open-external", 6, 26),
        ("backend-http", 11, 7), ("toast", 14, 7),
    ]


def test_fix_edits_inside_scripts_and_attributes_and_keeps_the_rest():
    # Unsafe fixes too: with no metadata.json declaring a backend that serves HTTP, the
    # `.then` chained on the HTTP call makes its fix unsafe (`vm?.service?.` would skip it).
    assert fix(page_source(), CATALOGUE).remaining[0].rule == "backend-http"
    result = fix(page_source(), CATALOGUE, unsafe=True)
    fixed = result.source.content.decode()
    assert '<button onclick="window.ddClient.desktopUI.navigate.viewContainers()">' in fixed
    # Inside single quotes the new string literals use double quotes, and the other way round.
    assert "onclick='window.ddClient.extension.host?.cli.exec(\"kubectl\", [\"version\", \"--client\"])'" in fixed
    assert "onClick=\"window.ddClient.host.openExternal('https://docs.docker.com'); return false\"" in fixed
    assert 'client.extension.vm?.service?.get("/hello")' in fixed
    assert "window.ddClient.desktopUI.toast.success('ready');" in fixed
    # Non-JavaScript scripts are left alone.
    assert """{"call": "window.ddClient.backend.get('/x')"}""" in fixed
    assert "{{ window.ddClient.toastError('x') }}" in fixed
    assert result.remaining == []
    assert not fix(result.source, CATALOGUE, unsafe=True).changed


def test_regions_skip_non_javascript_scripts_and_non_handlers():
    html = b'<div title="ddClient" onload=init()><script src="a.js"></script><script type="importmap">{}</script></div>'
    found = [(r.kind, html[r.start:r.end], r.quote) for r in regions(html)]
    assert ("attribute", b"init()", "") in found
    assert all(kind == "attribute" or text == b"" for kind, text, _ in found)
    assert not [t for _, t, _ in found if t == b"{}"]


def test_a_fix_needing_the_attribute_quote_is_refused():
    region = Region(10, 40, "attribute", '"')
    assert fix_conflict(region, [Edit(12, 14, 'a "b"')]) is not None
    assert fix_conflict(region, [Edit(12, 14, "a 'b'")]) is None
    assert fix_conflict(Region(10, 40, "attribute", ""), [Edit(12, 14, "a b")]) is not None
    assert fix_conflict(region, [Edit(8, 14, "x")]) is not None
    assert fix_conflict(Region(10, 40, "script"), [Edit(12, 14, 'a "b"')]) is None


def test_entities_in_a_handler_are_never_edited_across():
    page = '<button onclick="window.ddClient.execHostCmd(&quot;kubectl version&quot;)">v</button>\n'
    result = fix(page_source(page), CATALOGUE)
    assert result.source.content.decode() == page
    assert [f.fix for f in result.remaining] == [None] * len(result.remaining)


@pytest.mark.parametrize("crlf", [False, True])
def test_html_bytes_outside_edits_are_untouched(crlf):
    text = PAGE.replace("\n", "\r\n") if crlf else PAGE
    raw = "\ufeff".encode() + text.encode()
    result = fix(SourceFile.from_bytes("index.htm", raw), CATALOGUE)
    out = result.source.raw
    assert out.startswith("\ufeff".encode())
    assert out.count(b"\r\n") == raw.count(b"\r\n")
    # Every line without an edit is byte for byte the same.
    changed = {4, 5, 6, 11, 14}
    for number, (before, after) in enumerate(zip(raw.split(b"\n"), out.split(b"\n")), start=1):
        if number not in changed:
            assert before == after, number


def test_the_cli_walks_html_files(cli, write, tmp_path):
    write({"ui/index.html": PAGE, "ui/other.txt": PAGE})
    proc = cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert "ui/index.html:4:22: DD303 [navigate]" in proc.stdout.decode()
    assert "other.txt" not in proc.stdout.decode()


def test_a_quoted_handler_may_span_lines(cli, write, tmp_path):
    """Inside quotes a handler runs over line breaks (an unquoted value ends at the first one)."""
    page = ('<button\n  onclick="\n    window.ddClient.toastSuccess(\'saved\');\n'
            '    window.ddClient.openExternal(\'https://docs.docker.com\')\n  "\n'
            '  onfocus=window.ddClient.navigateToContainers()\n>b</button>\n')
    write({"index.html": page})
    proc = cli("check", "index.html", cwd=tmp_path)
    assert [line.split(" ")[0] for line in proc.stdout.decode().splitlines() if ": DD" in line] == [
        "index.html:3:5:", "index.html:4:5:", "index.html:6:11:"]
    assert cli("fix", "index.html", cwd=tmp_path).returncode == 0
    assert (tmp_path / "index.html").read_text() == page.replace(
        "toastSuccess('saved')", "desktopUI.toast.success('saved')").replace(
        "ddClient.openExternal(", "ddClient.host.openExternal(").replace(
        "navigateToContainers()", "desktopUI.navigate.viewContainers()")
