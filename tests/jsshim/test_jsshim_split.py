"""The shim's JavaScript splitter and the Python analyser (migrator/shell.py) must agree.

Every case of the shared table (tests/data/shell_cases.json), and a few thousand generated
strings, go through both: the same words, the same problems (kind, text, offsets, message),
and the same outcome (the same argv, or a refusal of the same kind naming the same text).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from migrator.migration.shell import ShellCommandError, analyse_string, split_command
from tests.jsshim.conftest import HERE, run_node

CASES = json.loads((Path(__file__).parents[1] / "data" / "shell_cases.json").read_text(encoding="utf-8"))
_KIND_ORDER = ("syntax", "operator", "substitution", "expansion")


def js_split(module: Path, commands: list[str]) -> list[dict]:
    request = json.dumps({"module": str(module), "commands": commands})
    done = run_node([str(HERE / "split_cases.mjs")], input=request)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert len(results) == len(commands)
    return results


def python_view(command: str) -> dict:
    analysis = analyse_string(command)
    view = {
        "words": ["".join(word.parts) for word in analysis.words],
        "problems": [{"kind": p.kind, "text": p.text, "start": p.start, "end": p.end, "message": p.message}
                     for p in analysis.problems],
    }
    try:
        view["argv"] = split_command(command)
    except ShellCommandError as error:
        first = next(p for kind in _KIND_ORDER for p in analysis.problems if p.kind == kind)
        view["refusal"] = {"kind": first.kind, "text": first.text, "message": first.message, "error": str(error)}
    return view


def js_view(result: dict) -> dict:
    view = {"words": result["words"], "problems": result["problems"]}
    if "argv" in result:
        view["argv"] = result["argv"]
    return view


@pytest.fixture(scope="module", params=["js", "ts"])
def table_results(request, shim_modules):
    return js_split(shim_modules[request.param], [case["cmd"] for case in CASES])


@pytest.mark.parametrize("index", range(len(CASES)), ids=[repr(c["cmd"])[:50] for c in CASES])
def test_table_case_agrees(index, table_results):
    case, result = CASES[index], table_results[index]
    expected = python_view(case["cmd"])
    assert js_view(result) == {k: v for k, v in expected.items() if k != "refusal"}
    if "argv" in case:
        assert result["argv"] == case["argv"]
        assert "error" not in result
    else:
        # The same refusal: the JS error names the same first problem as the Python one.
        refusal = expected["refusal"]
        assert "argv" not in result
        assert case["problem"] in [p["kind"] for p in result["error"]["problems"]]
        assert result["error"]["command"] == case["cmd"]
        assert refusal["message"] in result["error"]["message"]
        assert f"`{refusal['text']}`" in result["error"]["message"] or refusal["text"] == "\n"
        assert result["error"]["message"].startswith(f"cannot run {json.dumps(case['cmd'])} without a shell: ")


def test_table_is_large_and_has_both_outcomes():
    assert len(CASES) >= 100
    assert sum("argv" in c for c in CASES) >= 40 and sum("problem" in c for c in CASES) >= 40


# Characters with a meaning to the shell, and ones without, including non-ASCII (the offsets
# count code points on both sides). Superscript digits are left out: Python's str.isdigit
# takes them for the digits of `>&2`, JavaScript's \p{Nd} does not (both refuse the command).
ALPHABET = list(" \t\n'\"\\$`|&;<>()*?[]{},~#=%^!:/-.@_0123456789aAzZ\r") + ["é", "😀", "٣", "ß"]
FRAGMENTS = ["$(", "${", "$((", "2>&1", ">&-", "\\\n", "''", '""', "A=1 ", "if ", "{a,b}", "{1..3}", "~/",
             "x=~", "$'", '$"', "$[", "<<-", "&>>", "|&", "#", "--format \"{{json .}}\" "]


def generated_commands(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    commands = []
    for _ in range(count):
        size = rng.randint(0, 14)
        commands.append("".join(rng.choice(FRAGMENTS) if rng.random() < 0.2 else rng.choice(ALPHABET)
                                for _ in range(size)))
    return commands


@pytest.mark.parametrize("lang", ["js", "ts"])
def test_generated_commands_agree(lang, shim_modules):
    commands = generated_commands(seed=8, count=4000)
    results = js_split(shim_modules[lang], commands)
    disagreements = []
    for command, result in zip(commands, results):
        expected = python_view(command)
        expected.pop("refusal", None)
        if js_view(result) != expected:
            disagreements.append((command, expected, js_view(result)))
    assert not disagreements, disagreements[:3]
    # The generator reaches both outcomes.
    assert sum("argv" in r for r in results) > 200 and sum("error" in r for r in results) > 200
