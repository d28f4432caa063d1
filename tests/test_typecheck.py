"""Fixed code must type-check with `tsc --strict` against the v1 client types alone."""

import re
from collections import defaultdict

import pytest

from migrator.core.engine import Catalogue, fix, lint
from migrator.core.registry import all_rules
from migrator.core.source import SourceFile
from migrator.core.testing import example_source
from tests.typecheck import api_errors
from tests.typecheck import typecheck_all as typecheck

# Each snippet becomes a module, so its top-level names do not clash with the global client.
MODULE_HEADER = "export {};\n"


def fixed_examples():
    """Every expected fix, except those the tool itself still reports: a fix that leaves a
    finding (a backend variable passed on stays v0, reported by backend-object) does not
    claim its result is v1 code."""
    catalogue = Catalogue(all_rules())
    for rule in all_rules():
        for index, example in enumerate(rule.invalid):
            if example.fixed is None or example.filename.endswith((".py", ".html")):
                continue
            if lint(SourceFile.from_bytes(example.filename, example.fixed.encode()), catalogue):
                continue
            ext = example.filename.rsplit(".", 1)[1]
            yield f"{rule.name}_{index}.{ext}", example


def by_file(errors):
    grouped = defaultdict(list)
    for error in errors:
        grouped[error["file"]].append(f"{error['line'] - 1}:{error['col']} TS{error['code']} {error['message']}")
    return dict(grouped)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    examples = dict(fixed_examples())
    fixed = {name: MODULE_HEADER + ex.fixed for name, ex in examples.items()}
    original = {name: MODULE_HEADER + ex.code for name, ex in examples.items()}
    after = api_errors(typecheck(fixed, tmp_path_factory.mktemp("after")))
    before = api_errors(typecheck(original, tmp_path_factory.mktemp("before")))
    return examples, by_file(after), by_file(before)


def test_every_expected_fix_type_checks_strictly_against_v1(results):
    _, after, _ = results
    assert after == {}


def test_the_check_can_fail_legacy_code_does_not_type_check_against_v1(results):
    examples, _, before = results
    # Only a client typed `any` escapes the compiler: a cast, an untyped prop, or a hook
    # imported from a module the snippet does not have.
    # Examples that are v1 code already (wrong at run time, not in type) have nothing to fail.
    untyped = ("as any", "({ ddClient })", "from './hooks'")
    v0 = re.compile(r"\b(backend|execHostCmd|spawnHostCmd|execDockerCmd|spawnDockerCmd)\s*[.(]")
    escaped = [name for name in examples if name not in before and v0.search(examples[name].code)]
    assert all(any(u in examples[name].code for u in untyped) for name in escaped), escaped
    legacy = [name for name in examples if v0.search(examples[name].code)]
    assert len(before) >= len(legacy) - len(escaped) > 0


def test_the_engine_output_is_what_the_examples_expect(results):
    """The type-checked text is the engine's real output, not only the examples' text."""
    examples, _, _ = results
    catalogue = Catalogue(all_rules(), report_unused_ignores=True)
    for name, example in examples.items():
        with example_source(example) as source:  # next to its metadata.json, when it has one
            out = fix(source, catalogue, unsafe=example.unsafe)
        assert out.source.content.decode() == example.fixed, name


def test_legacy_examples_type_check_as_legacy_code(tmp_path):
    """The catalogue's legacy code is realistic: it compiles against the hybrid client without
    strict null checks, as extensions were written (early-preview shapes aside)."""
    preview = ("navigateToRoute", "navigateToDevEnvironments", "backend('")
    originals = {
        f"{rule.name}_{index}.{example.filename.rsplit('.', 1)[1]}": MODULE_HEADER + example.code
        for rule in all_rules() for index, example in enumerate(rule.invalid)
        if not any(p in example.code for p in preview) and not example.filename.endswith((".py", ".html"))
    }
    errors = by_file(api_errors(typecheck(originals, tmp_path, legacy=True)))
    assert errors == {}
