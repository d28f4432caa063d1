"""The sarif, github and junit output formats, on real runs over real files.

Each format is checked twice: rendered from a real ``RunResult`` (``migrator.core.runner.run``), and
as printed by the command (``python -m migrator check --format X``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from migrator import __version__
from migrator.core.engine import Catalogue
from migrator.core.registry import all_rules
from migrator.core.runner import Options, run
from migrator.report import github, junit, sarif
from tests import sarif_tool
from tests.conftest import run_cli

BOM = b"\xef\xbb\xbf"
EMOJI = "\U0001f600"  # one character, two UTF-16 code units, four UTF-8 bytes

# A BOM, characters outside the BMP before findings, a CRLF line, a multi-line finding, a finding
# without a fix, a safe and an unsafe fix.
APP = BOM + (
    f"// emoji {EMOJI} shifts UTF-16 columns\n"
    f'const s = "{EMOJI}"; window.ddClient.backend.get("/x");\r\n'
    f'window.ddClient.toastSuccess("done {EMOJI}");\n'
    "window.ddClient.backend.post(\n"
    '  "/y",\n'
    "  { a: 1 },\n"
    ");\n"
    'await window.ddClient.execHostCmd("ls -l $HOME | wc -l");\n'
    'window.ddClient.backend("my-extension").get("/x");\n'
).encode()
CLEAN = b"export const x = 1;\n"
UTF16 = b"\xff\xfex\x00"
ODD_NAME = "src/we:ird,100%.ts"  # a property separator, a colon and a percent sign in a path

FILES = {
    "src/app.ts": APP,
    "src/clean.js": CLEAN,
    "src/bad.js": UTF16,
    ODD_NAME: BOM + b'window.ddClient.toastError("x");\n',
}


@pytest.fixture
def tree(tmp_path, monkeypatch):
    for name, data in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def real_run(fix: bool = False, unsafe: bool = False):
    return run(["src"], Catalogue(all_rules()), Options(fix=fix, unsafe=unsafe, write=False))


def sources_of(result):
    return {r.path: r.original for r in result.files}


def cli_output(fmt: str, *args: str) -> str:
    proc = run_cli("check", "src", "--format", fmt, *args)
    assert proc.returncode == 2, proc.stderr.decode()  # findings and an unreadable file
    return proc.stdout.decode("utf-8")


# --- SARIF -------------------------------------------------------------------------------------


def utf16_slice(line: str, start_column: int, end_column: int) -> str:
    units = line.encode("utf-16-le")
    return units[2 * (start_column - 1):2 * (end_column - 1)].decode("utf-16-le")


def check_sarif(text: str, tree) -> dict:
    log = json.loads(text)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "ddmigrate" and driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    for descriptor, rule in zip(rules, all_rules(), strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["markdown"] == rule.documentation()
        assert descriptor["help"]["text"]
        assert descriptor["helpUri"] == rule.url
        assert descriptor["defaultConfiguration"]["level"] == "error"
        assert "deprecation" in descriptor["properties"]["tags"]

    expected = real_run().findings
    results = run_["results"]
    assert len(results) == len(expected) == 6
    for result, finding in zip(results, expected, strict=True):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["level"] == "error"
        assert result["message"]["text"] == finding.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        artifact = physical["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        region = physical["region"]
        assert region["startLine"] == finding.line and region["endLine"] == finding.end_line
        # The region, read as SARIF says (UTF-16 columns), is exactly the finding's text.
        raw = FILES[finding.path]
        content = raw[len(BOM):] if raw.startswith(BOM) else raw
        lines = content.decode().split("\n")
        span = content[finding.start:finding.end].decode()
        if finding.line == finding.end_line:
            assert utf16_slice(lines[finding.line - 1], region["startColumn"], region["endColumn"]) == span
        else:
            first = lines[finding.line - 1].encode("utf-16-le")[2 * (region["startColumn"] - 1):].decode("utf-16-le")
            assert span.startswith(first)
            last = lines[finding.end_line - 1].encode("utf-16-le")[:2 * (region["endColumn"] - 1)].decode("utf-16-le")
            assert span.endswith(last)
        assert ("fixes" in result) == (finding.fix is not None)
        if finding.fix is not None:
            (fix,) = result["fixes"]
            assert fix["properties"]["applicability"] == finding.fix.applicability.value
            (change,) = fix["artifactChanges"]
            assert change["artifactLocation"] == artifact

    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"src/app.ts", "src/we%3Aird%2C100%25.ts"}
    # The first finding is on line 2, after an emoji (two UTF-16 code units, one character).
    first = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (first["startColumn"], expected[0].column) == (17, 16)

    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/bad.js"
    assert "UTF-16" in notification["message"]["text"]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tree.resolve().as_uri() + "/"
    return log


def apply_sarif_fixes(raw: bytes, results: list[dict], uri: str, applicability: set[str]) -> bytes:
    replacements = []
    for result in results:
        for fix in result.get("fixes", []):
            if fix["properties"]["applicability"] not in applicability:
                continue
            for change in fix["artifactChanges"]:
                if change["artifactLocation"]["uri"] == uri:
                    replacements.extend(change["replacements"])
    out = bytearray(raw)
    for rep in sorted(replacements, key=lambda r: r["deletedRegion"]["byteOffset"], reverse=True):
        start = rep["deletedRegion"]["byteOffset"]
        end = start + rep["deletedRegion"]["byteLength"]
        out[start:end] = rep.get("insertedContent", {}).get("text", "").encode()
    return bytes(out)


def check_sarif_fixes_match_engine(log: dict) -> None:
    """Applying the SARIF fixes to the file's bytes (BOM included) gives what `ddmigrate fix` writes."""
    results = log["runs"][0]["results"]
    for unsafe in (False, True):
        fixed = {r.path: r.fixed for r in real_run(fix=True, unsafe=unsafe).files}
        wanted = {"safe", "unsafe"} if unsafe else {"safe"}
        assert apply_sarif_fixes(APP, results, "src/app.ts", wanted) == fixed["src/app.ts"]


def validate_sarif(text: str, tmp_path) -> None:
    path = tmp_path / "out.sarif"
    path.write_text(text, encoding="utf-8")
    results, console = sarif_tool.validate(path)
    assert sarif_tool.errors(results) == [], console


def test_sarif_render(tree):
    result = real_run()
    text = sarif.render(result, sources=sources_of(result))
    log = check_sarif(text, tree)
    check_sarif_fixes_match_engine(log)
    validate_sarif(text, tree)


def test_sarif_fingerprints_survive_moved_lines_and_tell_twins_apart(tree):
    def fingerprints():
        log = json.loads(sarif.render(real_run()))
        return [(r["ruleId"], r["partialFingerprints"][sarif.FINGERPRINT]) for r in log["runs"][0]["results"]]

    before = fingerprints()
    assert len({f for _, f in before}) == len(before)  # every finding its own
    app = tree / "src" / "app.ts"
    app.write_bytes(BOM + b"// two new lines\n\n" + app.read_bytes()[len(BOM):])
    assert fingerprints() == before
    # An identical second call is a new finding, the first keeps its fingerprint.
    app.write_bytes(app.read_bytes() + b'window.ddClient.toastSuccess("done \xf0\x9f\x98\x80");\n')
    after = fingerprints()
    assert set(before) < set(after) and len(after) == len(before) + 1


def test_sarif_render_without_sources_uses_the_result_bytes(tree):
    result = real_run()
    assert sarif.render(result) == sarif.render(result, sources=sources_of(result))


def test_sarif_when_fixing_points_into_the_fixed_text(tree):
    # `fix --diff`: safe fixes applied in memory; the unsafe one and the unfixable one remain.
    result = real_run(fix=True)
    log = json.loads(sarif.render(result, fixing=True, sources={r.path: r.fixed or r.original for r in result.files}))
    results = log["runs"][0]["results"]
    remaining = [f for f in result.findings if f.path == "src/app.ts"]
    app = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/app.ts"]
    assert [r["ruleId"] for r in app] == [f.code for f in remaining] == ["DD210", "DD101"]
    fixed = next(r.fixed for r in result.files if r.path == "src/app.ts")
    lines = fixed[len(BOM):].decode().split("\n")
    for result_, finding in zip(app, remaining, strict=True):
        region = result_["locations"][0]["physicalLocation"]["region"]
        span = fixed[len(BOM):][finding.start:finding.end].decode()
        assert utf16_slice(lines[region["startLine"] - 1], region["startColumn"], region["endColumn"]) == span
    # The unsafe fix still offered is located in the fixed bytes.
    unsafe_fixed = {r.path: r.fixed for r in real_run(fix=True, unsafe=True).files}["src/app.ts"]
    assert apply_sarif_fixes(fixed, app, "src/app.ts", {"unsafe"}) == unsafe_fixed
    validate_sarif(json.dumps(log), tree)


def test_sarif_with_no_findings_is_valid(tmp_path, monkeypatch):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "clean.ts").write_bytes(CLEAN)
    monkeypatch.chdir(tmp_path)
    log = json.loads(sarif.render(real_run()))
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    validate_sarif(json.dumps(log), tmp_path)


def test_the_validator_does_catch_errors(tree):
    """The validation above is not vacuous: a region with column 0 and a bad URI are errors."""
    log = json.loads(sarif.render(real_run()))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["region"]["startColumn"] = 0
    location["artifactLocation"]["uri"] = "/src/app.ts"
    path = tree / "broken.sarif"
    path.write_text(json.dumps(log))
    results, console = sarif_tool.validate(path)
    assert {r["ruleId"] for r in sarif_tool.errors(results)} >= {"JSON1008", "SARIF1004"}, console


def test_sarif_paths_outside_the_current_folder_are_file_uris(tmp_path, monkeypatch):
    (tmp_path / "work").mkdir()
    (tmp_path / "ext").mkdir()
    (tmp_path / "ext" / "a b.ts").write_bytes(b'window.ddClient.toastError("x");\n')
    monkeypatch.chdir(tmp_path / "work")
    result = run([str(tmp_path / "ext")], Catalogue(all_rules()), Options())
    log = json.loads(sarif.render(result))
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "ext" / "a b.ts").as_uri()}
    assert "%20" in artifact["uri"]
    validate_sarif(json.dumps(log), tmp_path)


def test_sarif_cli(tree):
    text = cli_output("sarif")
    log = check_sarif(text, tree)
    check_sarif_fixes_match_engine(log)
    validate_sarif(text, tree)


# --- GitHub workflow commands ------------------------------------------------------------------


def expected_github_lines() -> list[str]:
    lines = []
    for f in real_run().findings:
        path = f.path.replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
        if f.line == f.end_line:
            where = f"line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column}"
        else:
            where = f"line={f.line},endLine={f.end_line}"
        lines.append(f"::error file={path},{where},title={f.code} [{f.rule}]::{f.message}")
    return lines


def check_github(text: str) -> None:
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == (
        "::error file=src/app.ts,line=2,col=16,endLine=2,endColumn=49,title=DD101 [backend-http]::"
        "`backend.get()` uses the deprecated v0 backend; use `extension.vm.service.get()`"
    )
    # The multi-line finding: GitHub drops an annotation with columns over several lines.
    assert lines[2].startswith("::error file=src/app.ts,line=4,endLine=7,title=DD101 [backend-http]::")
    assert lines[5] == ("::error file=src/we%3Aird%2C100%25.ts,line=1,col=1,endLine=1,endColumn=32,"
                        "title=DD302 [toast]::`toastError()` is deprecated; use `desktopUI.toast.error()`")
    assert lines[:-1] == expected_github_lines()
    assert lines[-1] == "::error file=src/bad.js::src/bad.js: encoded as UTF-16; only UTF-8 is supported"
    assert len(lines) == 7


def test_github_render(tree):
    result = real_run()
    check_github(github.render(result, sources=sources_of(result)))


def test_github_escaping():
    assert github.escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github.command("error", {"file": "x,y.ts", "title": "T: 1"}, "m%\nn") == \
        "::error file=x%2Cy.ts,title=T%3A 1::m%25%0An"


def test_github_no_findings_prints_nothing(tmp_path, monkeypatch):
    (tmp_path / "a.ts").write_bytes(CLEAN)
    monkeypatch.chdir(tmp_path)
    assert github.render(run(["a.ts"], Catalogue(all_rules()), Options())) == ""


def test_github_cli(tree):
    check_github(cli_output("github"))


# --- JUnit XML ---------------------------------------------------------------------------------


def check_junit(text: str) -> None:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"src/app.ts", "src/clean.js", "src/bad.js", ODD_NAME}
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == ("4", "2", "1")
    assert all(case.get("classname") == "ddmigrate" for case in cases.values())
    assert list(cases["src/clean.js"]) == []  # passed

    (failure,) = cases["src/app.ts"].findall("failure")
    assert failure.get("message") == "5 deprecated API uses (DD101, DD210, DD302)"
    findings = [f for f in real_run().findings if f.path == "src/app.ts"]
    assert failure.text.split("\n") == [
        f"src/app.ts:{f.line}:{f.column}: {f.code} [{f.rule}] {f.message}" for f in findings
    ]
    assert failure.text.split("\n")[0] == (
        "src/app.ts:2:16: DD101 [backend-http] `backend.get()` uses the deprecated v0 backend; "
        "use `extension.vm.service.get()`"
    )
    (odd,) = cases[ODD_NAME].findall("failure")
    assert odd.get("message") == "1 deprecated API use (DD302)"

    (error,) = cases["src/bad.js"].findall("error")
    assert "UTF-16" in error.get("message")
    assert error.text == "src/bad.js: encoded as UTF-16; only UTF-8 is supported"


def test_junit_render(tree):
    result = real_run()
    check_junit(junit.render(result, sources=sources_of(result)))


def test_junit_when_fixing_lists_applied_fixes(tree):
    result = real_run(fix=True)
    root = ET.fromstring(junit.render(result, fixing=True))
    case = next(c for c in root.iter("testcase") if c.get("name") == "src/app.ts")
    assert case.find("failure").get("message") == "2 deprecated API uses (DD101, DD210)"
    out = case.find("system-out").text.split("\n")
    assert len(out) == 3 and all(line.startswith("fixed: src/app.ts:") for line in out)
    odd = next(c for c in root.iter("testcase") if c.get("name") == ODD_NAME)
    assert odd.find("failure") is None and odd.find("system-out") is not None


def test_junit_strips_characters_xml_cannot_hold(tmp_path, monkeypatch):
    name = "a\x01b.ts"
    (tmp_path / name).write_bytes(b'window.ddClient.toastError("x");\n')
    monkeypatch.chdir(tmp_path)
    root = ET.fromstring(junit.render(run([name], Catalogue(all_rules()), Options())))
    assert root.find("testsuite/testcase").get("name") == "a\ufffdb.ts"


def test_junit_cli(tree):
    check_junit(cli_output("junit"))


def test_formats_accept_an_empty_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    empty = run([str(tmp_path)], Catalogue(all_rules()), Options())
    assert json.loads(sarif.render(empty))["runs"][0]["results"] == []
    assert github.render(empty) == ""
    root = ET.fromstring(junit.render(empty))
    assert root.get("tests") == "0"


