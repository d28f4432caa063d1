"""The resolver decides what is the client; these tests pin down its scope rules."""

import pytest

from migrator.core import languages
from migrator.js.resolve import Kind, Resolver


def kind_of(code: str, target: str, language: str = "typescript"):
    """The kind of the last occurrence of the expression text ``target`` in ``code``."""
    tree = languages.parse(language, code.encode())
    start = code.rindex(target)
    node = tree.root_node.descendant_for_byte_range(start, start + len(target))
    while node.parent is not None and node.end_byte - node.start_byte < len(target):
        node = node.parent
    assert node.text.decode() == target, node.text
    return Resolver(tree.root_node, None, tree.language).kind(node)


@pytest.mark.parametrize("code,target,expected", [
    ("window.ddClient.backend;", "window.ddClient.backend", Kind.BACKEND),
    ("ddClient;", "ddClient", Kind.CLIENT),
    ("(window as any).ddClient;", "(window as any).ddClient", Kind.CLIENT),
    ("(<any>window).ddClient;", "(<any>window).ddClient", Kind.CLIENT),
    ("window['ddClient'].backend;", "window['ddClient'].backend", Kind.BACKEND),
    ("window.ddClient!.backend;", "window.ddClient!.backend", Kind.BACKEND),
    ("const window = {}; window.ddClient;", "window.ddClient", None),
    ("function f(window) { window.ddClient; }", "window.ddClient", None),
    ("let c = window.ddClient; c = other; c;", "c", None),
    ("let c; c = window.ddClient; c;", "c", Kind.CLIENT),
    ("let c = window.ddClient; c++; c;", "c", None),
    ("const c = window.ddClient; { const c = 1; c; }", "c", None),
    ("const c = window.ddClient; function f() { return c; } f().backend;", "f().backend", Kind.BACKEND),
    ("const c = window.ddClient; const f = function () { const inner = () => 1; return c; }; f();", "f()", Kind.CLIENT),
    ("const c = window.ddClient; function f() { const g = () => { return c; }; return 1; } f();", "f()", None),
    ("import { createDockerDesktopClient } from '@docker/extension-api-client';\n"
     "const c = useMemo(() => createDockerDesktopClient(), []); c;", "c", Kind.CLIENT),
    ("import { createDockerDesktopClient } from '@docker/extension-api-client';\n"
     "const c = await createDockerDesktopClient(); c;", "c", Kind.CLIENT),
    ("const { ddClient } = window; ddClient;", "ddClient", Kind.CLIENT),
    ("const { ddClient: { backend } } = window; backend;", "backend", Kind.BACKEND),
    ("const [backend] = [window.ddClient.backend]; backend;", "backend", None),
    ("var a = window.ddClient; function f() { a; }", "a", Kind.CLIENT),
    ("function f() { var a = window.ddClient; } a;", "a", None),
    ("const a = b, b = a; a;", "a", None),  # cycles end
    ("try {} catch (ddClient) { ddClient; }", "ddClient", None),
    ("for (const ddClient of list) { ddClient; }", "ddClient", None),
    ("class ddClient {} ddClient;", "ddClient", None),
])
def test_kinds(code, target, expected):
    assert kind_of(code, target) is expected


def test_javascript_and_tsx_grammars_agree():
    code = "const b = window.ddClient.backend;\nconst x = <div>{b}</div>;\nb;"
    assert kind_of(code, "b", "tsx") is Kind.BACKEND
    assert kind_of(code, "b", "javascript") is Kind.BACKEND


def test_references_exclude_declarations_and_shadowed_names():
    code = "const b = 1;\nb; b;\nfunction f(b) { b; }\nconst o = { b };\n"
    tree = languages.parse("typescript", code.encode())
    resolver = Resolver(tree.root_node, None, tree.language)
    outer = resolver.scopes[next(iter(resolver.scopes))]["b"]
    refs = resolver.references_to(outer)
    assert [r.start_point for r in refs] == [(1, 0), (1, 3), (3, 12)]


def test_references_are_identifiers_only_in_source_order():
    code = ("const ddClient = window.ddClient;\n"
            "// ddClient in a comment\n"
            "const s = 'ddClient'; const o = { ddClient }; x.ddClient; ddClientX; $ddClient; ddClienté;\n"
            "ddClient.toast(); function f(ddClient) { return ddClient; }\n")
    tree = languages.parse("javascript", code.encode())
    resolver = Resolver(tree.root_node, None, tree.language)
    found = resolver.references.get("ddClient")
    # The shorthand property, the call's object, the returned parameter: not the declarations,
    # the comment, the string, the property, nor longer names.
    assert [(n.type, code.encode()[:n.start_byte].count(b"\n")) for n in found] == [
        ("shorthand_property_identifier", 2), ("identifier", 3), ("identifier", 3)]
    top = next(iter(resolver.scopes[(0, len(code.encode()), "program")].values()))
    assert [n.start_byte for n in resolver.references_to(top)] == [n.start_byte for n in found[:2]]
    assert "ddClient" in resolver.references and "absent" not in resolver.references
    assert resolver.references.get("absent", ()) == ()


def test_references_in_a_file_that_starts_with_blank_lines():
    """The root node starts at the first token: the references' offsets are the file's."""
    code = "\n\n   const c = window.ddClient;\n   c.backend.get('/x');\n"
    tree = languages.parse("javascript", code.encode())
    assert tree.root_node.start_byte > 0
    resolver = Resolver(tree.root_node, None, tree.language)
    assert [n.start_byte for n in resolver.references.get("c")] == [code.index("c.backend")]
    assert kind_of(code, "c.backend", "javascript") is Kind.BACKEND
