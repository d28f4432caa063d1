"""The shim's behaviour under node (`node --test`), for the shipped .js and for the .ts."""

from __future__ import annotations

import pytest

from tests.jsshim.conftest import run_node_tests, tap_summary


@pytest.mark.parametrize("lang", ["js", "ts"])
def test_node_behaviour_tests_pass(lang, shim_modules, v0_members):
    done = run_node_tests(shim_modules[lang], v0_members)
    summary = tap_summary(done.stdout)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert summary.get("fail") == 0 and summary.get("cancelled") == 0, summary
    # One test per v0 member, plus the others; none may be skipped.
    members = len(v0_members["client"]) - 1 + len(v0_members["backend"])
    assert summary["pass"] == summary["tests"] >= members + 25, summary
    assert summary.get("skipped") == 0 and summary.get("todo") == 0, summary


MUTANTS = {
    "warns on every call": ("warned.add(old);", ""),
    "forgets the stream's exit code": ("callback({ code: exitCode }, undefined)", "callback(exitCode, undefined)"),
    "lets a pipe through": ('if (analysis.problems.length > 0) {\n    // Offsets',
                            'if (analysis.problems.length > 99) {\n    // Offsets'),
    "overwrites existing members": ("if (current[name] === undefined || current[name] === null) {", "if (true) {"),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_node_tests_catch_a_broken_shim(mutant, shim_modules, v0_members, tmp_path):
    # Guard against a harness that passes whatever the module does.
    old, new = MUTANTS[mutant]
    source = shim_modules["js"].read_text(encoding="utf-8")
    assert source.count(old) == 1, mutant
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    broken = tmp_path / "legacy-client.js"
    broken.write_text(source.replace(old, new), encoding="utf-8")
    done = run_node_tests(broken, v0_members)
    summary = tap_summary(done.stdout)
    assert done.returncode != 0
    # A stream that never reports its end leaves its test pending: node cancels it.
    assert summary["fail"] + summary["cancelled"] > 0, summary
