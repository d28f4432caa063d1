"""Fuzzing: generated programs and mutated examples keep every fix property (see
tests/fuzzing.py for the properties). A fixed, modest number of examples here, derandomized
so CI is deterministic: `DDMIGRATE_FUZZ_EXAMPLES` sets how many; scripts/fuzz.py runs longer."""

import os

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from migrator.core import engine
from migrator.core.edits import apply_edits as real_apply_edits
from migrator.core.rule import Context
from migrator.core.source import SourceFile
from tests.fuzzing import CATALOGUE, CATALOGUE_UNUSED, PropertyFailure, check_fix, corpus, mutants, mutated_programs, programs, tokens

settings.register_profile(
    "ddmigrate-fuzz",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=int(os.environ.get("DDMIGRATE_FUZZ_EXAMPLES", "150")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
FUZZ = settings.get_profile("ddmigrate-fuzz")
CORPUS = corpus()


@FUZZ
@given(programs(), st.booleans(), st.booleans())
def test_generated_programs_keep_every_property(program, unsafe, unused_ignores):
    note(program.raw.decode("utf-8"))
    source = SourceFile.from_bytes(program.filename, program.raw)
    assert engine.count_errors(engine.parse(source)) == 0, "the generator made invalid code"
    check_fix(program.raw, program.filename, unsafe=unsafe, valid=True, fillers=program.fillers,
              catalogue=CATALOGUE_UNUSED if unused_ignores else CATALOGUE)


@FUZZ
@given(mutants(CORPUS), st.booleans())
def test_mutated_examples_keep_every_property(mutant, unsafe):
    filename, raw, description = mutant
    note(f"{filename}: {description}\n{raw.decode('utf-8', errors='replace')}")
    check_fix(raw, filename, unsafe=unsafe)


@FUZZ
@given(mutated_programs(), st.booleans())
def test_mutated_generated_programs_keep_every_property(mutant, unsafe):
    filename, raw, description = mutant
    note(f"{filename}: {description}\n{raw.decode('utf-8', errors='replace')}")
    check_fix(raw, filename, unsafe=unsafe)


def test_the_corpus_holds_the_example_extension_and_every_rule_example():
    names = [name for name, _ in CORPUS]
    assert any(n.endswith("legacy-extension/ui/src/App.tsx") for n in names)
    assert any(n.endswith("legacy-extension/ui/index.html") for n in names)
    for rule in CATALOGUE.rules:
        assert any(n.startswith(f"{rule.code}-") for n in names), rule.code
    for name, raw in CORPUS:
        if raw.strip():
            assert tokens(raw, name), name


# -- the checker itself can fail ------------------------------------------------------------

PROGRAM = (b"// keep me\r\nconst x = 'ddClient';\r\nwindow.ddClient.backend.get('/x');\r\n"
           b"ddClient.toastError('e');\r\n")


def test_the_checker_accepts_a_correct_fix():
    checked = check_fix(PROGRAM, "a.ts", fillers=[b"// keep me\r\nconst x = 'ddClient';\r\n"])
    assert checked.applied == 2


def test_the_checker_sees_bytes_changed_outside_the_edits(monkeypatch):
    monkeypatch.setattr(engine, "apply_edits", lambda content, edits: real_apply_edits(content, edits).replace(
        b"keep", b"kept"))
    with pytest.raises(PropertyFailure, match="not the original with the applied edits"):
        check_fix(PROGRAM, "a.ts")


def test_the_checker_sees_an_edit_next_to_unparsable_code(monkeypatch):
    monkeypatch.setattr(Context, "touches_error", lambda self, start, end: False)
    with pytest.raises(PropertyFailure, match="touches unparsable code"):
        check_fix(b"window.ddClient.backend.get('/x') )\n", "a.ts")


def test_the_checker_sees_unrelated_code_moved():
    with pytest.raises(PropertyFailure, match="unrelated code"):
        check_fix(PROGRAM, "a.ts", fillers=[b"ddClient.toastError('e');"])


def test_the_checker_sees_a_fix_that_does_not_settle(monkeypatch):
    # A fix that keeps finding more to do: the engine drops it; fixing again would redo it.
    real = engine.fix

    def fix_once_only(source, catalogue, unsafe=False):
        result = real(source, catalogue, unsafe)
        if source.content == PROGRAM:  # the first run stops after one fix
            return real(source, catalogue.subset([r for r in catalogue.rules if r.code != "DD302"]), unsafe)
        return result

    monkeypatch.setattr(engine, "fix", fix_once_only)
    with pytest.raises(PropertyFailure, match="fixing again changed the code|fixable finding survived"):
        check_fix(PROGRAM, "a.ts")
