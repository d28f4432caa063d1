"""Every example of every rule runs here: a rule cannot ship with a failing or missing example."""

import dataclasses
import re

import pytest

from migrator.core.engine import Catalogue
from migrator.core.registry import CatalogueError, all_rules, check_unique, find_rule, select_rules
from migrator.core.rule import Rule
from migrator.core.testing import ExampleFailure, run_example

RULES = all_rules()
CASES = [
    pytest.param(rule, example, id=f"{rule.name}-{kind}-{index}")
    for rule in RULES
    for kind, examples in (("valid", rule.valid), ("invalid", rule.invalid))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize("rule,example", CASES)
def test_example(rule, example):
    run_example(rule, example)


@pytest.mark.parametrize("rule,example", [c for c in CASES if "-valid-" in c.id])
def test_valid_examples_stay_clean_under_every_rule(rule, example):
    """A look-alike for one rule must not be flagged by any other rule either."""
    from migrator.core.engine import lint
    from migrator.core.source import SourceFile

    source = SourceFile.from_bytes(example.filename, example.code.encode())
    assert lint(source, Catalogue(RULES)) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_is_documented_and_has_examples(rule):
    assert re.fullmatch(r"DD\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    doc = rule.documentation()
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## References"):
        assert heading in doc, f"{rule.name} lacks {heading}"
    assert rule.valid, "needs code that must not be flagged"
    assert rule.invalid, "needs code that must be flagged"
    if rule.fixable in ("safe", "unsafe", "sometimes"):
        assert any(e.fixed is not None for e in rule.invalid), "a fixable rule needs an expected fix"
    assert rule.url.startswith("https://")


def test_codes_and_names_are_unique_and_checked():
    class A(Rule):
        code, name, summary = "DD900", "dup", "x"

    class B(Rule):
        code, name, summary = "DD901", "dup", "y"

    with pytest.raises(CatalogueError, match="dup"):
        check_unique([A, B])
    check_unique(type(r) for r in RULES)


def test_example_runner_catches_a_wrong_expectation():
    rule = find_rule("backend-http")
    bad = type(rule.invalid[0])(code=rule.invalid[0].code, fixed="something else\n")
    with pytest.raises(ExampleFailure):
        run_example(rule, bad)
    missed = type(rule.invalid[0])(code="const x = 1;\n", fixed=None, findings=1)
    with pytest.raises(ExampleFailure):
        run_example(rule, missed)
    exec_rule = find_rule("exec-host-cmd")
    pinned = next(e for e in exec_rule.invalid if e.message)
    run_example(exec_rule, pinned)
    with pytest.raises(ExampleFailure, match="expected the message"):
        run_example(exec_rule, dataclasses.replace(pinned, message=pinned.message + " (changed)"))


def test_a_rule_may_only_emit_codes_the_catalogue_has():
    class Emitter(Rule):
        code, name, summary, emits = "DD902", "emitter", "z", ("DD999",)

    with pytest.raises(CatalogueError, match="DD999"):
        check_unique([*(type(r) for r in RULES), Emitter])


def test_find_and_select_rules():
    assert find_rule("DD101").name == "backend-http"
    assert find_rule("dd101").name == "backend-http"
    assert find_rule("nope") is None
    assert [r.name for r in select_rules(["DD1"])] == [r.name for r in RULES if r.code.startswith("DD1")]
    assert "backend-http" not in [r.name for r in select_rules(None, ["backend-http"])]
    with pytest.raises(CatalogueError, match="unknown rule"):
        select_rules(["no-such-rule"])


def test_summary_and_url_come_from_the_docstring_unless_set():
    from migrator.core.rule import DOCS_URL

    class Documented(Rule):
        """`old()` moves to
        `new()`

        ## What it does
        Moves it.

        ## References
        - https://docs.docker.com/first/
        - https://docs.docker.com/second/
        """

        code, name = "DD990", "documented"

    assert Documented.summary == "`old()` moves to `new()`"
    assert Documented.url == "https://docs.docker.com/first/"
    assert Documented.documentation().startswith("## What it does")

    class Explicit(Documented):
        """## What it does
        Nothing; its summary and page are its own.
        """

        code, name, summary = "DD991", "explicit", "set by hand"

    assert Explicit.summary == "set by hand"
    assert Explicit.url == "https://docs.docker.com/first/"  # a base's page is inherited
    assert Explicit.documentation().startswith("## What it does")

    class Bare(Rule):
        code, name, summary = "DD992", "bare", "no docstring"

    assert Bare.url == DOCS_URL
