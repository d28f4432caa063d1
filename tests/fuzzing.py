"""Program generators and the properties every fix must keep, shared by tests/test_fuzz.py
(a fixed, modest number of examples in CI) and scripts/fuzz.py (long runs).

The properties, checked on any input (``check_fix``):

- no crash: linting and fixing never raise;
- the fixed text parses with no more errors than the original;
- fixing is idempotent: fixing the fixed text changes nothing;
- every byte outside the applied edits is unchanged: the edits of every accepted fix step,
  composed, turn the original into the result (nothing else touched the text), and no edit
  touches code the parser could not read (inside or next to an ERROR/MISSING node);
- no finding the report marked as having an applicable fix survives the fix (a fix the
  engine had to drop is reported as such, with its reason);
- a UTF-8 BOM and the line-ending style survive (a CRLF-only file gets no bare LF).

On generated programs (``programs()``, always syntactically valid) a stronger, independent
check holds too: every chunk of unrelated code (comments, strings, templates, look-alike
objects, suppressed calls) appears unchanged and in order in the output, no fix is dropped
(a dropped fix on valid code means a rule produced code that does not parse), and a fresh
lint of the fixed text offers no applicable fix.
"""

from __future__ import annotations

import contextlib
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from migrator.core import engine, languages
from migrator.core.engine import Catalogue, count_errors
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = Catalogue(all_rules())
# With `--report-unused-ignores`: DD001 fixes remove suppression comments that match nothing.
CATALOGUE_UNUSED = Catalogue(all_rules(), report_unused_ignores=True)


class PropertyFailure(AssertionError):
    pass


# -- tracing the fix loop -------------------------------------------------------------------


@dataclass
class Step:
    before: bytes
    tree: object
    edits: list
    after: bytes


@contextlib.contextmanager
def tracing():
    """Record every fix step the engine accepts (the text, its tree, the edits applied)."""
    steps: list[Step] = []
    real = engine._try_apply

    def traced(current, tree, findings):
        outcome = real(current, tree, findings)
        if outcome is not None:
            edits = [e for f in findings for e in f.fix.edits]
            steps.append(Step(current.content, tree, edits, outcome[0].content))
        return outcome

    engine._try_apply = traced
    try:
        yield steps
    finally:
        engine._try_apply = real


def final_chain(steps: list[Step], original: bytes, result: bytes) -> list[Step]:
    """The accepted steps of the fix pass whose result was kept (a pass that did not settle
    starts over from the original text)."""
    if result == original:
        return []
    starts = [i for i, s in enumerate(steps) if s.before == original]
    if not starts:
        raise PropertyFailure("the text changed but no fix step started from the original")
    chain = steps[starts[-1]:]
    for a, b in zip(chain, chain[1:]):
        if a.after != b.before:
            raise PropertyFailure("fix steps do not follow one another")
    if chain[-1].after != result:
        raise PropertyFailure("the result is not what the last fix step produced")
    return chain


def error_ranges(tree, length: int) -> list[tuple[int, int]]:
    """Byte ranges the parser could not read (the whole text for a Python syntax error)."""
    if isinstance(tree, languages.PythonTree):
        return [] if tree.module is not None else [(0, length)]
    if hasattr(tree, "regions"):
        return [r for _, _, js in tree.regions for r in error_ranges(js, length)]
    ranges, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            ranges.append((node.start_byte, node.end_byte))
        elif node.has_error:
            stack.extend(node.children)
    return ranges


def compose(original: bytes, chain: list[Step]) -> tuple[bytes, list[tuple[int, int, int]]]:
    """Apply the chain's edits independently of the engine; return the text and the segments
    of it that are original bytes: (start in result, end in result, start in original)."""
    segments = [(0, len(original), 0)]
    text = original
    for step in chain:
        edits = sorted(set(step.edits), key=lambda e: (e.start, e.end))
        for a, b in zip(edits, edits[1:]):
            if a.overlaps(b):
                raise PropertyFailure(f"overlapping edits applied together: {a} {b}")
        out, pos = [], 0
        for e in edits:
            out.append(text[pos:e.start])
            out.append(e.text.encode("utf-8"))
            pos = e.end
        out.append(text[pos:])
        new_text = b"".join(out)

        def shift(offset: int, edits=edits) -> int:
            # Where an original byte at ``offset`` lands: after every edit that ends at or
            # before it (an insertion at ``offset`` goes before it, as apply_edits does).
            delta = 0
            for e in edits:
                if e.end <= offset:
                    delta += len(e.text.encode("utf-8")) - (e.end - e.start)
            return offset + delta

        kept = []
        for start, end, origin in segments:
            cuts = [(start, end)]
            for e in edits:
                next_cuts = []
                for s, t in cuts:
                    if e.start == e.end:  # an insertion splits a segment
                        if s < e.start < t:
                            next_cuts += [(s, e.start), (e.start, t)]
                        else:
                            next_cuts.append((s, t))
                        continue
                    if e.end <= s or t <= e.start:
                        next_cuts.append((s, t))
                        continue
                    if s < e.start:
                        next_cuts.append((s, e.start))
                    if e.end < t:
                        next_cuts.append((e.end, t))
                cuts = next_cuts
            for s, t in cuts:
                if s < t:
                    kept.append((shift(s), shift(s) + (t - s), origin + (s - start)))
        segments = kept
        text = new_text
    return text, segments


# -- the properties -------------------------------------------------------------------------


@dataclass
class Checked:
    result: object  # engine.FixResult
    fixed: bytes
    findings: int
    applied: int


def check_fix(raw: bytes, filename: str, unsafe: bool = False, valid: bool = False,
              fillers: list[bytes] | None = None, catalogue: Catalogue | None = None) -> Checked | None:
    """Run every property on one input; raise PropertyFailure with a reason on a violation.
    Returns None when the input is refused (not UTF-8, binary), which is not a failure."""
    from migrator.core.source import SourceError

    catalogue = catalogue or CATALOGUE
    try:
        source = SourceFile.from_bytes(filename, raw)
    except SourceError:
        return None
    findings = engine.lint(source, catalogue)
    with tracing() as steps:
        result = engine.fix(source, catalogue, unsafe=unsafe)
    fixed = result.source.raw
    content = source.content
    chain = final_chain(steps, content, result.source.content)

    # Composition: the engine's edits and nothing else turned the original into the result.
    composed, segments = compose(content, chain)
    if composed != result.source.content:
        raise PropertyFailure("the result is not the original with the applied edits")
    for start, end, origin in segments:
        if composed[start:end] != content[origin:origin + end - start]:
            raise PropertyFailure("bytes outside the edits changed")
    # No edit inside or next to unparsable code (of the text it was applied to).
    for step in chain:
        bad = error_ranges(step.tree, len(step.before))
        for e in step.edits:
            for s, t in bad:
                if s <= e.end and e.start <= t:
                    raise PropertyFailure(f"an edit {e} touches unparsable code at {s}..{t}")
    if not fixed.startswith(source.bom):
        raise PropertyFailure("the BOM was lost")
    if source.bom == b"" and fixed.startswith(b"\xef\xbb\xbf"):
        raise PropertyFailure("a BOM was added")
    if b"\r\n" in content and _bare_lf(content) == 0 and _bare_lf(result.source.content):
        raise PropertyFailure("a CRLF file got a bare LF line ending")

    # Re-parse: no new syntax errors.
    if result.changed:
        before = count_errors(engine.parse(source))
        after = count_errors(engine.parse(result.source))
        if after > before:
            raise PropertyFailure(f"the fixed text has {after} syntax errors, the original {before}")

    # Nothing fixable survives, and fixing again changes nothing.
    for f in result.remaining:
        if engine.applicable(f, unsafe):
            raise PropertyFailure(f"a fixable finding survived: {f.code} {f.message}")
        if valid and f.no_fix_reason and f.no_fix_reason.startswith("fix dropped"):
            raise PropertyFailure(f"a fix was dropped on valid code: {f.code} {f.no_fix_reason}")
    again = engine.fix(result.source, catalogue, unsafe=unsafe)
    if again.source.raw != fixed:
        raise PropertyFailure("fixing again changed the code: " + ", ".join(f.code for f in again.applied))
    if valid:  # (with syntax errors about, a fresh lint may offer fixes the engine then drops)
        for f in engine.lint(result.source, catalogue):
            if engine.applicable(f, unsafe):
                raise PropertyFailure(f"the fixed text still offers a fix: {f.code} {f.message}")

    if fillers:
        pos = 0
        for chunk in fillers:
            found = fixed.find(chunk, pos)
            if found < 0:
                raise PropertyFailure(f"unrelated code was changed or moved: {chunk!r}")
            pos = found + len(chunk)
    return Checked(result, fixed, len(findings), len(result.applied))


def _bare_lf(data: bytes) -> int:
    return data.count(b"\n") - data.count(b"\r\n")


# -- generated programs ---------------------------------------------------------------------

EXTENSIONS = {"javascript": (".js", ".jsx", ".mjs", ".cjs"), "typescript": (".ts", ".mts"), "tsx": (".tsx",),
              "html": (".html",)}
URLS = ["/hello", "/items", "/a/b?c=1", "/ünï", ""]
HTTP = ["get", "post", "put", "patch", "delete", "head"]
WORDS = ["ls", "-la", "/data", "docker", "ps", "--format", "{{json .}}", "kubectl", "get", "pods", "-n",
         "my ns", "it's", 'say "hi"', "a\\ b", "", "x=1", "日本"]
SHELLY = ["|", "&&", ";", "$HOME", "${X}", "~/x", "*.log", "$(date)", "`id`", "> out", "2>&1", "{a,b}", "#c"]


@dataclass
class Setup:
    header: list[tuple[str, list[str]]]  # (kind, lines) before the body
    member: str  # `member + ".backend"` is a client member access
    value: str  # the client as a value (destructuring source)
    wrapper: tuple[str, str] | None = None  # body must sit inside this (a param named ddClient)


def _quote(draw, text: str, quote: str | None = None) -> str:
    quote = quote or draw(st.sampled_from(["'", '"', "`"]))
    if quote == "`":
        text = text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    else:
        text = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return quote + text + quote


@st.composite
def setups(draw, language: str) -> Setup:
    ts = language in ("typescript", "tsx")
    module = language != "html"
    kinds = ["window", "globalThis", "self", "bare", "subscript", "optional", "optional-window", "alias",
             "window-destructure"]
    if ts:
        kinds += ["as-any", "typed-param"]
    if module:
        kinds += ["factory", "factory-renamed", "factory-namespace", "require", "hook", "usememo", "param",
                  "local-hook"]
    kind = draw(st.sampled_from(kinds))
    pkg = draw(st.sampled_from(['"@docker/extension-api-client"', "'@docker/extension-api-client'"]))
    simple = {"window": "window.ddClient", "globalThis": "globalThis.ddClient", "self": "self.ddClient",
              "bare": "ddClient", "subscript": 'window["ddClient"]', "as-any": "(window as any).ddClient"}
    if kind in simple:
        return Setup([], simple[kind], simple[kind])
    if kind == "optional":
        return Setup([], "window.ddClient?", "window.ddClient")
    if kind == "optional-window":
        return Setup([], "window?.ddClient", "window?.ddClient")
    if kind == "alias":
        return Setup([("call", ["const dd = window.ddClient;"])], "dd", "dd")
    if kind == "window-destructure":
        return Setup([("call", ["const { ddClient } = window;"])], "ddClient", "ddClient")
    if kind == "local-hook":
        return Setup([("call", [f"import {{ createDockerDesktopClient }} from {pkg};",
                                "function useClient() {", "  return createDockerDesktopClient();", "}"])],
                     "useClient()", "useClient()")
    if kind == "factory":
        return Setup([("call", [f"import {{ createDockerDesktopClient }} from {pkg};",
                                "const client = createDockerDesktopClient();"])], "client", "client")
    if kind == "factory-renamed":
        return Setup([("call", [f"import {{ createDockerDesktopClient as create }} from {pkg};",
                                "const client = create();"])], "client", "client")
    if kind == "factory-namespace":
        return Setup([("call", [f"import * as api from {pkg};", "const client = api.createDockerDesktopClient();"])],
                     "client", "client")
    if kind == "require":
        return Setup([("call", [f"const {{ createDockerDesktopClient }} = require({pkg});",
                                "const dd = createDockerDesktopClient();"])], "dd", "dd")
    if kind == "hook":
        return Setup([("call", ['import { useDockerDesktopClient } from "./hooks";'])], "client", "client",
                     ("export function Panel() {", "}"))
    if kind == "usememo":
        return Setup([("call", [f"import {{ createDockerDesktopClient }} from {pkg};"])], "client", "client",
                     ("export function Panel() {", "}"))
    if kind == "param":
        return Setup([], "ddClient", "ddClient", ("export function Status({ ddClient }) {", "}"))
    # typed-param
    return Setup([("call", ["import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';"])],
                 "c", "c", ("export async function load(c: DockerDesktopClient) {", "}"))


@st.composite
def commands(draw, n: int) -> tuple[list[str], str]:
    """A command argument in JavaScript: (lines declared before the call, the expression)."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    if draw(st.integers(0, 3)) == 0:
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(SHELLY)))
    text = " ".join(_shell_word(w) for w in words)
    shape = draw(st.sampled_from(["literal", "literal", "template", "concat", "const", "variable"]))
    if shape == "template":
        return [], "`" + text.replace("`", "\\`").replace("${", "\\${") + " ${name}`"
    if shape == "concat":
        return [], _quote(draw, text + " ") + " + file"
    if shape == "const":
        literal = _quote(draw, text, "'")
        return [f"const CMD_{n} = {literal};"], f"CMD_{n}"
    if shape == "variable":
        return [], "command"
    return [], _quote(draw, text)


def _shell_word(word: str) -> str:
    if word == "":
        return "''"
    if any(c in word for c in " '\"\\") and word not in SHELLY and "\\" not in word:
        return "'" + word + "'" if "'" not in word else '"' + word + '"'
    return word


@st.composite
def deprecated(draw, setup: Setup, language: str, n: int) -> list[str]:
    """One deprecated use (a few lines) through the setup's client."""
    m, v = setup.member, setup.value
    ts = language in ("typescript", "tsx")
    aw = draw(st.sampled_from(["", "await "]))
    url = _quote(draw, draw(st.sampled_from(URLS)))
    shape = draw(st.sampled_from([
        "http", "http", "http-body", "request", "http-chain", "exec-vm", "exec-host", "exec-container",
        "exec-docker", "spawn-vm", "spawn-host", "spawn-docker", "list", "toast", "navigate", "open",
        "destructure", "alias-backend", "backend-object", "v1-exec", "suppressed-next", "unused-ignore",
    ] + (["types"] if ts else [])))
    if shape == "http":
        return [f"{aw}{m}.backend.{draw(st.sampled_from(HTTP))}({url});"]
    if shape == "http-body":
        return [f"const r{n} = {aw}{m}.backend.{draw(st.sampled_from(['post', 'put', 'patch']))}({url}, {{ n: {n} }});"]
    if shape == "request":
        return [f"{m}.backend.request({{ url: {url}, method: 'GET', headers: {{}}, data: null }});"]
    if shape == "http-chain":
        return [f"{m}.backend", "  // the endpoint", f"  .get({url})", "  .then((value) => console.log(value));"]
    if shape.startswith("exec-"):
        pre, cmd = draw(commands(n))
        call = {"exec-vm": f"{m}.backend.execInVMExtension({cmd})",
                "exec-host": f"{m}.execHostCmd({cmd})",
                "exec-container": f"{m}.backend.execInContainer(id, {cmd})",
                "exec-docker": f"{m}.execDockerCmd({_quote(draw, 'ps')}, {_quote(draw, '-a --filter')}, "
                               f"{_quote(draw, 'label=x')})"}[shape]
        if shape == "exec-docker":
            pre = []
        return pre + [f"const out{n} = {aw}{call};"]
    if shape.startswith("spawn-"):
        target = {"spawn-vm": f"{m}.backend.spawnInVMExtension", "spawn-host": f"{m}.spawnHostCmd",
                  "spawn-docker": f"{m}.spawnDockerCmd"}[shape]
        callback = draw(st.sampled_from(["onLog", "inline", "function"]))
        args = f"{_quote(draw, 'tail')}, [{_quote(draw, '-f')}, {_quote(draw, '/var/log/x.log')}]"
        if callback == "onLog":
            return [f"{target}({args}, onLog);"]
        if callback == "inline":
            return [f"{target}({args}, (data, error) => {{", "  console.log(data, error);", "});"]
        return [f"{target}({args}, function (data, error) {{", "  if (data?.stdout) lines.push(data.stdout);", "});"]
    if shape == "list":
        return [f"const c{n} = {aw}{m}.{draw(st.sampled_from(['listContainers', 'listImages']))}({{ all: true }});"]
    if shape == "toast":
        return [f"{m}.{draw(st.sampled_from(['toastSuccess', 'toastWarning', 'toastError']))}({url});"]
    if shape == "navigate":
        return [draw(st.sampled_from([f"{m}.navigateToContainers();", f"{aw}{m}.navigateToContainerLogs(id);",
                                      f"{m}.navigateToImage(id, tag);", f"{m}.navigateToVolume(name);",
                                      f"{m}.navigateToImages();", f"{m}.navigateToVolumes();"]))]
    if shape == "open":
        return [f"{m}.openExternal({url});"]
    if shape == "destructure":
        return [f"const {{ backend }} = {v};", f"backend.get({url});", f"{aw}backend.post({url}, {{}});"]
    if shape == "alias-backend":
        return [f"const b{n} = {m}.backend;", f"b{n}.get({url});"]
    if shape == "backend-object":
        return [f"register({m}.backend);"]
    if shape == "v1-exec":
        return [f"{aw}{m}.extension.vm?.cli.exec({_quote(draw, 'ls -l')}, []);"]
    if shape == "suppressed-next":
        return [f"{m}.toastError({url}); // ddmigrate: ignore[toast]"]
    if shape == "unused-ignore":  # removed by DD001 with --report-unused-ignores
        return [f"const z{n} = {n}; // ddmigrate: ignore[{draw(st.sampled_from(['toast', 'DD101', 'navigate']))}]"]
    return [f"let r{n}: v1Hybrid.{draw(st.sampled_from(['ExecResultV0', 'BackendV0', 'RequestConfigV0', 'DockerDesktopClient']))};"]


@st.composite
def fillers(draw, language: str, n: int) -> list[str]:
    """Unrelated code that must come out byte for byte: look-alikes, comments, strings..."""
    ts = language in ("typescript", "tsx")
    jsx = language == "tsx" or (language == "javascript" and draw(st.booleans()))
    options = [
        [f"const x{n} = {n};"],
        [f"function helper{n}(a, b) {{ return a + b; }}"],
        ["// window.ddClient.backend.get('/x') in a comment"],
        ["/* ddClient.execHostCmd('ls | wc -l')", " * spans lines */"],
        [f"const s{n} = \"ddClient.backend.execInVMExtension('ls')\";"],
        [f"const t{n} = `window.ddClient.backend.get(${{x}})`;"],
        [f"const m{n} = `line one", "ddClient.toastError('x')", "line three`;"],
        [f"const re{n} = /ddClient\\.backend\\.get/g;"],
        ["api.backend.get('/x');"],
        ["this.backend?.get(texture);"],
        [f"const o{n} = {{ backend: {{ get() {{ return 1; }} }} }};"],
        [f"function other{n}() {{", "  const ddClient = new ApiClient();", "  ddClient.backend.get('/not-the-client');",
         "}"],
        ["// ddmigrate: ignore", "window.ddClient.backend.get('/suppressed');"],
        [f"const ü{n} = \"é 日本 \\u00e9\";\t// tab\there"],
        [""],
        [f"export const k{n} = [1, 2, 3].map((v) => v * 2);"],
    ]
    if ts:
        options += [[f"type T{n} = {{ backend: string }};"],
                    [f"interface I{n} {{", "  get(url: string): Promise<unknown>;", "}"]]
    if jsx:
        options += [[f"const el{n} = <div title=\"ddClient.backend.get\">{{\"x\"}}</div>;"]]
    return draw(st.sampled_from(options))


WRAPPERS = [
    None, None,
    ("async function run{n}() {{", "}}"),
    ("const h{n} = async () => {{", "}};"),
    ("class K{n} {{", "  async run() {{", "  }}", "}}"),
    ("if (ready{n}) {{", "}}"),
    ("try {{", "}} catch (e) {{}}"),
]


@dataclass
class Program:
    raw: bytes
    filename: str
    fillers: list[bytes]
    language: str


@st.composite
def programs(draw, languages_=("javascript", "typescript", "tsx", "html")) -> Program:
    language = draw(st.sampled_from(languages_))
    ext = draw(st.sampled_from(EXTENSIONS[language]))
    setup = draw(setups(language))
    indent_unit = draw(st.sampled_from(["  ", "    ", "\t"]))
    eol_style = draw(st.sampled_from(["\n", "\n", "\r\n", "mixed"]))
    lines: list[tuple[str, str]] = []  # (kind, line)
    for kind, chunk in setup.header:
        lines += [(kind, line) for line in chunk]
    if language in ("typescript", "tsx") and draw(st.booleans()):
        lines.append(("call", 'import { v1Hybrid } from "@docker/extension-api-client-types";'))
    body: list[tuple[str, str]] = []
    if setup.value == "client" and setup.wrapper is not None:
        if "useDockerDesktopClient" in " ".join(line for _, c in setup.header for line in c):
            body.append(("call", "const client = useDockerDesktopClient();"))
        else:
            body.append(("call", "const client = useMemo(() => createDockerDesktopClient(), []);"))
    for n in range(draw(st.integers(1, 7))):
        if draw(st.integers(0, 2)) == 0:
            chunk = [("filler", line) for line in draw(fillers(language, n))]
        else:
            use = draw(deprecated(setup, language, n))
            # A suppressed call must come out unchanged, like any unrelated code.
            kind = "filler" if any(".toastError(" in line and "ddmigrate: ignore" in line for line in use) else "call"
            chunk = [(kind, line) for line in use]
        wrapper = draw(st.sampled_from(WRAPPERS))
        if wrapper is not None and setup.wrapper is None:
            opening, closing = [w.format(n=n) for w in wrapper[:len(wrapper) // 2]], \
                               [w.format(n=n) for w in wrapper[len(wrapper) // 2:]]
            depth = len(opening)
            chunk = [("filler", line) for line in opening] + \
                    [(k, indent_unit * depth + line if line else line) for k, line in chunk] + \
                    [("filler", line) for line in closing]
        body += chunk
    if setup.wrapper is not None:
        body = [("filler", setup.wrapper[0])] + [(k, indent_unit + line if line else line) for k, line in body] + \
               [("filler", setup.wrapper[1])]
    lines += body
    final_newline = draw(st.booleans())
    bom = draw(st.booleans())
    prefix = suffix = ""
    if language == "html":
        handler = draw(st.sampled_from(["", "<button onclick=\"window.ddClient.toastSuccess('hi')\">Hi</button>"]))
        script_type = draw(st.sampled_from(["", ' type="module"'])) if setup.header else ""
        prefix = f"<!doctype html>\n<html><body>{handler}\n<script{script_type}>"
        suffix = "</script>\n</body></html>"
    eols = []
    for _ in lines:
        eols.append(draw(st.sampled_from(["\n", "\r\n"])) if eol_style == "mixed" else eol_style)
    if not final_newline and not suffix:
        eols[-1] = ""
    parts: list[tuple[str, str]] = []
    if prefix:
        head, _, tail = prefix.partition("<button")
        parts.append(("filler", head))
        if tail:  # the handler holds a deprecated call
            button, _, script = ("<button" + tail).partition("\n")
            parts += [("call", button), ("filler", "\n" + script)]
        parts[-1] = (parts[-1][0], parts[-1][1] + eols[0])
    for (kind, line), eol in zip(lines, eols):
        parts.append((kind, line + eol))
    if suffix:
        parts.append(("filler", suffix + ("\n" if final_newline else "")))
    raw = ("\ufeff" if bom else "") + "".join(text for _, text in parts)
    fillers_ = [text.encode() for kind, text in parts if kind == "filler" and text.strip()]
    filename = f"src/gen{ext}"
    return Program(raw.encode("utf-8"), filename, fillers_, language)


# -- mutations ------------------------------------------------------------------------------


def corpus() -> list[tuple[str, bytes]]:
    """The example extension and every rule example (invalid and valid, and the fixed texts)."""
    items: list[tuple[str, bytes]] = []
    root = REPO / "examples" / "legacy-extension"
    for path in sorted(root.rglob("*")):
        if path.is_file() and languages.language_for_path(str(path)):
            items.append((str(path.relative_to(REPO)), path.read_bytes()))
    for rule in CATALOGUE.rules:
        for i, example in enumerate(rule.invalid + rule.valid):
            items.append((f"{rule.code}-{i}/{example.filename}", example.code.encode("utf-8")))
            if example.fixed:
                items.append((f"{rule.code}-{i}-fixed/{example.filename}", example.fixed.encode("utf-8")))
    return items


def tokens(raw: bytes, filename: str) -> list[tuple[int, int]]:
    """Byte ranges of tokens: tree-sitter leaves (the JavaScript inside HTML too), or Python's
    tokenizer for Python."""
    language = languages.language_for_path(filename)
    content = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    base = len(raw) - len(content)
    spans: list[tuple[int, int]] = []
    if language == "python":
        lines = content.split(b"\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        try:
            text = content.decode("utf-8")
            text_lines = [line.decode("utf-8") for line in lines]
            for tok in tokenize.generate_tokens(io.StringIO(text, newline="\n").readline):
                (l1, c1), (l2, c2) = tok.start, tok.end
                if (l1, c1) == (l2, c2) or l2 > len(text_lines):
                    continue
                b1 = starts[l1 - 1] + len(text_lines[l1 - 1][:c1].encode("utf-8"))
                b2 = starts[l2 - 1] + len(text_lines[l2 - 1][:c2].encode("utf-8"))
                if b1 < b2:
                    spans.append((b1, b2))
        except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
            pass
    else:
        trees = []
        if language == "html":
            import tree_sitter
            import tree_sitter_html

            html_tree = tree_sitter.Parser(tree_sitter.Language(tree_sitter_html.language())).parse(content)
            trees.append((html_tree, {"raw_text"}))
            trees += [(js, set()) for _, _, js in languages.parse("html", content).regions]
        else:
            trees.append((languages.parse(language, content), set()))
        for tree, skip in trees:
            stack = [tree.root_node]
            while stack:
                node = stack.pop()
                if node.child_count == 0:
                    if node.end_byte > node.start_byte and node.type not in skip:
                        spans.append((node.start_byte, node.end_byte))
                else:
                    stack.extend(node.children)
    return sorted({(s + base, e + base) for s, e in spans})


# Inserted by the "insert" mutation: what breaks or joins code around a client call.
INSERTS = [b"(", b")", b"{", b"}", b"[", b"]", b";", b",", b".", b"?.", b"!", b"'", b'"', b"`", b"${", b"/*", b"*/",
           b"//", b"\n", b"\r\n", b"\r", b"\t", b" ", b"ddClient", b"backend", b"window.ddClient", b"await ",
           b"=>", b"const ", b"<div>", b"</script>", b"\xef\xbb\xbf", b"\xc3\xa9", b"# ", b"\\", b"\x00"]


@st.composite
def mutants(draw, items: list[tuple[str, bytes]]) -> tuple[str, bytes, str]:
    """(filename, mutated bytes, a description): 1 to 3 token deletions, duplications, swaps,
    replacements by another token of the file, or insertions of a troublesome snippet."""
    filename, raw = draw(st.sampled_from(items))
    return draw(_mutated(filename, raw))


@st.composite
def mutated_programs(draw) -> tuple[str, bytes, str]:
    """A generated program (many deprecated calls of every shape), then mutated."""
    program = draw(programs())
    return draw(_mutated(program.filename, program.raw))


@st.composite
def _mutated(draw, filename: str, raw: bytes) -> tuple[str, bytes, str]:
    spans = tokens(raw, filename)
    if not spans:
        return filename, raw, "no tokens"
    ops = draw(st.lists(st.tuples(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert"]),
                                  st.integers(0, len(spans) - 1), st.integers(0, len(spans) - 1)),
                        min_size=1, max_size=3))
    edits: list[tuple[int, int, bytes]] = []
    used: set[int] = set()
    for op, i, j in ops:
        if i in used or (op == "swap" and (j in used or i == j)):
            continue
        s, e = spans[i]
        if op == "delete":
            edits.append((s, e, b""))
        elif op == "duplicate":
            edits.append((e, e, raw[s:e]))
        elif op == "replace":
            s2, e2 = spans[j]
            edits.append((s, e, raw[s2:e2]))
        elif op == "insert":
            edits.append((s, s, INSERTS[j % len(INSERTS)]))
        else:
            (s2, e2) = spans[j]
            if not (e <= s2 or e2 <= s):
                continue
            edits += [(s, e, raw[s2:e2]), (s2, e2, raw[s:e])]
            used.add(j)
        used.add(i)
    out = raw
    for s, e, text in sorted(edits, key=lambda x: (x[0], x[1]), reverse=True):
        out = out[:s] + text + out[e:]
    return filename, out, f"{ops}"
