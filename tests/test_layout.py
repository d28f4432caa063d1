"""Layout-preserving rewrites: each fix keeps the original call's line breaks, byte for byte."""

import pytest

from migrator.core.engine import Catalogue, fix
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile

CATALOGUE = Catalogue(all_rules())


def fixed(code: str, name: str = "a.ts") -> str:
    source = SourceFile.from_bytes(name, code.encode("utf-8"))
    result = fix(source, CATALOGUE, unsafe=True)
    out = result.source.content.decode("utf-8")
    again = fix(result.source, CATALOGUE, unsafe=True)
    assert not again.changed, "a second fix changed the layout again"
    return out


CASES = {
    "chain stays a chain": (
        "async function f() {\n"
        "  const out = await window.ddClient.backend\n"
        "    .execInContainer(\"tailscale_service\", `/app/background-output.sh --reset`);\n"
        "}\n",
        "async function f() {\n"
        "  const out = await window.ddClient.docker.cli\n"
        "    .exec(\"exec\", [\"tailscale_service\", \"/app/background-output.sh\", \"--reset\"]);\n"
        "}\n",
    ),
    "chain through a variable": (
        "const { backend } = window.ddClient;\n"
        "backend\n"
        "  .execInVMExtension(\"ls -la\");\n",
        None,  # checked below: only that the break is kept
    ),
    "broken argument list stays one per line": (
        "async function f() {\n"
        "  await window.ddClient.backend.execInContainer(\n"
        "    \"svc\",\n"
        "    \"ls -la /tmp\",\n"
        "  );\n"
        "}\n",
        "async function f() {\n"
        "  await window.ddClient.docker.cli.exec(\n"
        "    \"exec\",\n"
        "    [\"svc\", \"ls\", \"-la\", \"/tmp\"],\n"
        "  );\n"
        "}\n",
    ),
    "broken argument list without trailing comma": (
        "ddClient.backend.execInContainer(\n"
        "    id,\n"
        "    'cat /etc/hostname'\n"
        ")\n",
        "ddClient.docker.cli.exec(\n"
        "    'exec',\n"
        "    [id, 'cat', '/etc/hostname']\n"
        ")\n",
    ),
    "tabs and CRLF": (
        "function f() {\r\n"
        "\twindow.ddClient.backend\r\n"
        "\t\t.execInContainer(\r\n"
        "\t\t\tid,\r\n"
        "\t\t\t\"ls /\",\r\n"
        "\t\t);\r\n"
        "}\r\n",
        "function f() {\r\n"
        "\twindow.ddClient.docker.cli\r\n"
        "\t\t.exec(\r\n"
        "\t\t\t\"exec\",\r\n"
        "\t\t\t[id, \"ls\", \"/\"],\r\n"
        "\t\t);\r\n"
        "}\r\n",
    ),
    "a long new line is broken the way the file breaks calls, with tabs and CRLF": (
        "function f() {\r\n"
        "\tfoo(\r\n"
        "\t\ta,\r\n"
        "\t\tb,\r\n"
        "\t);\r\n"
        "\twindow.ddClient.backend.execInContainer(\"my-container\", \"/app/bin/some-long-script.sh --with --many --flags --reset\");\r\n"
        "}\r\n",
        "function f() {\r\n"
        "\tfoo(\r\n"
        "\t\ta,\r\n"
        "\t\tb,\r\n"
        "\t);\r\n"
        "\twindow.ddClient.docker.cli.exec(\r\n"
        "\t\t\"exec\",\r\n"
        "\t\t[\"my-container\", \"/app/bin/some-long-script.sh\", \"--with\", \"--many\", \"--flags\", \"--reset\"],\r\n"
        "\t);\r\n"
        "}\r\n",
    ),
    "a long new line without trailing commas in the file": (
        "if (x) {\n"
        "  foo(\n"
        "    a,\n"
        "    b\n"
        "  );\n"
        "  window.ddClient.backend.execInContainer(\"my-container\", \"/app/bin/some-long-script.sh --with --many --flags\");\n"
        "}\n",
        "if (x) {\n"
        "  foo(\n"
        "    a,\n"
        "    b\n"
        "  );\n"
        "  window.ddClient.docker.cli.exec(\n"
        "    \"exec\",\n"
        "    [\"my-container\", \"/app/bin/some-long-script.sh\", \"--with\", \"--many\", \"--flags\"]\n"
        "  );\n"
        "}\n",
    ),
    "a line no longer than the file's longest stays whole": (
        "// " + "x" * 130 + "\n"
        "foo(\n  a,\n);\n"
        "window.ddClient.backend.execInContainer(\"my-container\", \"/app/bin/some-long-script.sh --with --many --flags\");\n",
        "// " + "x" * 130 + "\n"
        "foo(\n  a,\n);\n"
        "window.ddClient.docker.cli.exec(\"exec\", [\"my-container\", "
        "\"/app/bin/some-long-script.sh\", \"--with\", \"--many\", \"--flags\"]);\n",
    ),
}


@pytest.mark.parametrize("name", [n for n, (_, after) in CASES.items() if after is not None])
def test_layout_is_kept(name):
    before, after = CASES[name]
    assert fixed(before) == after


def test_chain_through_a_variable_keeps_its_break():
    out = fixed(CASES["chain through a variable"][0])
    assert "\n  .exec(" in out, out


def test_untouched_lines_stay_byte_for_byte():
    before, after = CASES["a long new line is broken the way the file breaks calls, with tabs and CRLF"]
    out = fixed(before)
    assert out.split("\r\n")[:5] == before.split("\r\n")[:5]
    assert out == after


def test_javascript_file_and_mixed_layout_left_as_the_rule_wrote_it():
    # Two arguments on the line after `(`: neither one per line nor inline; only the arguments change.
    before = "window.ddClient.backend.execInContainer(\n  id, 'ls /'\n);\n"
    assert fixed(before, "a.js") == "window.ddClient.docker.cli.exec(\n  'exec', [id, 'ls', '/']\n);\n"


def test_a_ts_ignore_above_a_v0_call_is_noted_and_kept():
    from migrator.core.engine import lint

    code = "// @ts-ignore\nwindow.ddClient.backend.execInContainer(id, 'ls /');\n"
    findings = lint(SourceFile.from_bytes("a.ts", code.encode()), CATALOGUE)
    assert any("`// @ts-ignore` above it may now hide type errors" in f.message for f in findings)
    assert fixed(code).startswith("// @ts-ignore\nwindow.ddClient.docker.cli.exec(")
    crlf = "\t// @ts-expect-error\r\n\twindow.ddClient.backend.execInVMExtension('ls');\r\n"
    assert any("@ts-expect-error" in f.message for f in lint(SourceFile.from_bytes("b.ts", crlf.encode()), CATALOGUE))
    plain = lint(SourceFile.from_bytes("c.ts", b"window.ddClient.backend.execInVMExtension('ls');\n"), CATALOGUE)
    assert not any("note:" in f.message for f in plain)
