"""Small trees are walked in Python rather than matched by a compiled query: the walk must
find what the query finds, in the same order, and the query must take over once walking
costs more than compiling it."""

import pathlib
import subprocess
import sys

import pytest
import tree_sitter

from migrator.core import languages
from migrator.core.engine import Catalogue, lint
from migrator.core.registry import all_rules
from migrator.core.rule import Rule
from migrator.core.source import SourceFile
from migrator.js import context, resolve
from tests.conftest import REPO

CATALOGUE = Catalogue(all_rules())

# Shapes the patterns care about, nested in each other, and code a parser must recover from.
NESTED = """
const backend = window.ddClient.backend;
ddClient.extension.vm.cli.exec("ls", ["-l"]).then((r) => { const out = r.stdout; api.backend.get(out); });
foo(() => { const a = window.ddClient.backend.execInVMExtension(`x ${y}`); })?.backend?.post("/p");
a.b.c.backend.d().backend();
obj[backend].x(); this.backend = b; const { backend: be } = ddClient; #priv; class K { #p() { this.#p(); } }
super_().x; new ddClient.Thing().toastError("e");
"""
BROKEN = [
    "ddClient.backend.get('/x', ;\nconst a = ddClient.backend;\n",
    "window.ddClient.backend.execInVMExtension(`ls ${\n",
    "const = ddClient.\n.backend.get(\n",
    "ddClient..toastError('x')\nconst { a, = b;\n",
]


def signature(matches):
    """Each match's owner and captures, as comparable values."""
    return [(owner.name if owner else None,
             sorted((name, [(n.start_byte, n.end_byte, n.type) for n in nodes]) for name, nodes in captures.items()))
            for owner, captures in matches]


def by_query(patterns, root):
    query = patterns._query or patterns._compile()
    return [(patterns._owners[index], captures) for index, captures in tree_sitter.QueryCursor(query).matches(root)]


def codes():
    """Every JavaScript-family rule example and file of the bundled example extension, read
    with each grammar (code of another dialect makes error nodes to walk too)."""
    for rule in all_rules():
        for example in (*rule.valid, *rule.invalid):
            if languages.language_for_path(example.filename) in languages.LANGUAGES:
                yield example.code
    yield NESTED
    yield from BROKEN
    for path in sorted(pathlib.Path(REPO, "examples").rglob("*")):
        if languages.language_for_path(path.name) in languages.LANGUAGES and path.is_file():
            yield path.read_text()


CASES = list(codes())


def test_the_cases_cover_every_pattern_kind():
    patterns = CATALOGUE.patterns("tsx")
    kinds = {node_type for _, _, node_type, _ in patterns.entries}
    assert kinds == {"property_identifier", "variable_declarator"}
    assert len(CASES) > 200


@pytest.mark.parametrize("language", languages.LANGUAGES)
def test_the_walk_finds_what_the_query_finds_in_the_same_order(language):
    patterns = CATALOGUE.patterns(language)
    assert patterns.walkable
    checked = 0
    for code in CASES:
        root = languages.parse(language, code.encode()).root_node
        walked = signature(patterns._walk(root))
        assert walked == signature(by_query(patterns, root)), code
        checked += bool(walked)
    assert checked > 100


@pytest.mark.parametrize("language", languages.LANGUAGES)
def test_declaring_nodes_and_strings_walked_are_those_the_queries_find(language, monkeypatch):
    monkeypatch.setattr(resolve._DECLARING, "_walks", {})  # budgets spent here only
    monkeypatch.setattr(context._STRINGS, "_walks", {})
    for code in CASES:
        tree = languages.parse(language, code.encode())
        root = tree.root_node
        walked = [(n.start_byte, n.end_byte, n.type) for n in languages.preorder(root)
                  if n.type in resolve._DECLARING_TYPES and n.is_named]
        resolve._DECLARING._walks.setdefault(tree.language, languages.WalkBudget()).left = 0
        assert walked == [(n.start_byte, n.end_byte, n.type) for n in resolve._declaring_nodes(root, tree.language)]
        strings = sorted((n.start_byte, n.end_byte) for n in languages.preorder(root) if n.type == "string" and n.is_named)
        context._STRINGS._walks.setdefault(tree.language, languages.WalkBudget()).left = 0
        assert strings == sorted((n.start_byte, n.end_byte) for n in context._strings(tree))


def test_preorder_stops_at_the_end_byte_and_stays_under_its_root():
    root = languages.parse("tsx", NESTED.encode()).root_node
    every = list(languages.preorder(root))
    assert [n.start_byte for n in every] == sorted(n.start_byte for n in every)
    assert list(languages.preorder(root, 200)) == [n for n in every if n.start_byte < 200]
    inner = root.named_children[1]
    assert all(inner.start_byte <= n.start_byte and n.end_byte <= inner.end_byte for n in languages.preorder(inner))
    assert len(list(languages.preorder(inner))) < len(every)


def test_the_budget_walks_small_trees_then_compiles_the_query():
    catalogue = Catalogue(all_rules())
    small = SourceFile.from_bytes("a.ts", b"window.ddClient.backend.get('/x');\n")
    [found] = lint(small, catalogue)
    assert found.rule == "backend-http"
    assert catalogue.patterns("typescript")._query is None  # walked
    filler = b"".join(b"export const v%d = { a: [1, 2, 3], b: 'text', c: f(x) };\n" % i for i in range(1500))
    large = SourceFile.from_bytes("b.ts", filler + b"window.ddClient.backend.get('/y');\n")
    assert len(large.content) > languages.WALK_BYTES
    [found] = lint(large, catalogue)
    assert found.rule == "backend-http" and found.line == 1501
    assert catalogue.patterns("typescript")._query is not None  # compiled, and used from now on
    [found] = lint(small, catalogue)
    assert found.rule == "backend-http"


def test_a_rule_with_a_query_of_its_own_is_matched_by_the_query():
    class Target(Rule):
        code, name, summary = "DD903", "target", "t"
        languages = frozenset({"javascript"})
        literals = (b"target",)
        query = "((identifier) @id (#eq? @id \"target\"))"

        def on_match(self, ctx, captures):
            yield ctx.finding(self, captures["id"][0], "found")

    catalogue = Catalogue([Target()])
    assert not catalogue.patterns("javascript").walkable
    found = lint(SourceFile.from_bytes("a.js", b"let target = 1; other(target);\n"), catalogue)
    assert [f.column for f in found] == [5, 23]


def test_a_one_file_run_compiles_no_query(tmp_path):
    """A pre-commit hook's run on one small file (here with an import to summarise) walks
    every tree: compiling a query would cost more than the whole walk."""
    (tmp_path / "client.ts").write_text("import { createDockerDesktopClient } from '@docker/extension-api-client';\n"
                                        "export const ddClient = createDockerDesktopClient();\n")
    (tmp_path / "App.tsx").write_text("import { ddClient } from './client';\n"
                                      "export const App = () => <b onClick={() => ddClient.backend.get('/x')} />;\n")
    script = (
        "import sys, runpy, tree_sitter\n"
        "real, compiled = tree_sitter.Query, []\n"
        "tree_sitter.Query = lambda *a: compiled.append(a) or real(*a)\n"
        "sys.argv = ['ddmigrate', 'check', '--no-cache', 'App.tsx']\n"
        "try:\n    runpy.run_module('migrator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('compiled', len(compiled), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    assert "DD101" in proc.stdout.decode(), proc.stdout.decode() + proc.stderr.decode()
    assert proc.stderr.decode().split()[-2:] == ["compiled", "0"]
