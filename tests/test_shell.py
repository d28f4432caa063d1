"""Tests for migrator.migration.shell: POSIX word splitting of legacy v0 exec command strings."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis import strategies as st

from migrator.migration.shell import (
    Analysis,
    ChainedCommandError,
    ExpansionError,
    Problem,
    ShellCommandError,
    ShellSyntaxError,
    Subst,
    Word,
    analyse,
    analyse_string,
    locate,
    quote_argv,
    split_command,
)

CASES_PATH = Path(__file__).parent / "data" / "shell_cases.json"
CASES = json.loads(CASES_PATH.read_text(encoding="utf-8"))
ARGV_CASES = [c for c in CASES if "argv" in c]
PROBLEM_CASES = [c for c in CASES if "problem" in c]
SH = shutil.which("sh")


def _case_id(case: dict) -> str:
    return repr(case["cmd"])[:60]


def _texts(analysis: Analysis) -> list[str]:
    return [w.text for w in analysis.words]


# ---------------------------------------------------------------------------
# The shared table
# ---------------------------------------------------------------------------


def test_table_format_is_simple_and_consistent():
    allowed = {"cmd", "argv", "problem", "text", "note", "host_divergence"}
    kinds = {"operator", "expansion", "substitution", "syntax"}
    seen = set()
    for case in CASES:
        assert set(case) <= allowed, case
        assert ("argv" in case) != ("problem" in case), case
        assert "problem" not in case or case["problem"] in kinds, case
        assert case["cmd"] not in seen, f"duplicate case {case['cmd']!r}"
        seen.add(case["cmd"])


def test_table_covers_every_operator_and_expansion_kind():
    texts = {c.get("text") for c in PROBLEM_CASES}
    for op in ["|", "||", "&&", ";", "&", ">", ">>", "<", "2>&1", "<<", "(", "\n",
               "`date`", "$(date)"]:
        assert op in texts, f"no table case for operator {op!r}"
    for exp in ["$HOME", "${HOME}", "$1", "$?", "~", "*", "?", "[ab]", "{a,b}", "FOO=bar"]:
        assert exp in texts, f"no table case for expansion {exp!r}"
    assert any(t and t.startswith("#") for t in texts)


@pytest.mark.parametrize("case", ARGV_CASES, ids=_case_id)
def test_table_argv(case):
    analysis = analyse_string(case["cmd"])
    assert analysis.problems == ()
    assert _texts(analysis) == case["argv"]
    assert split_command(case["cmd"]) == case["argv"]
    if "host_divergence" in case:
        assert [p.text for p in analysis.host_divergence] == case["host_divergence"]


@pytest.mark.parametrize("case", PROBLEM_CASES, ids=_case_id)
def test_table_problem(case):
    analysis = analyse_string(case["cmd"])
    assert not analysis.is_splittable
    matching = [p for p in analysis.problems if p.kind == case["problem"]]
    assert matching, analysis.problems
    if "text" in case:
        assert case["text"] in [p.text for p in matching]
    with pytest.raises(ShellCommandError):
        split_command(case["cmd"])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_problem_offsets_point_at_their_text(case):
    # For a static string the offsets index the string itself, so they must slice out the
    # reported text (line continuations, removed before tokenising, are the one exception).
    for problem in analyse_string(case["cmd"]).problems:
        if "\\\n" not in case["cmd"]:
            assert case["cmd"][problem.start:problem.end] == problem.text
        assert problem.message
        if problem.text != "\n":
            assert f"`{problem.text}`" in problem.message


# ---------------------------------------------------------------------------
# The real shell as oracle
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def glob_dir():
    """A directory where a missed glob or tilde would visibly expand."""
    with tempfile.TemporaryDirectory() as path:
        for name in ["aa", "ab", "a.txt", "b.txt", "x"]:
            Path(path, name).write_text("")
        yield path


LEADING_SEPARATORS = re.compile(r"\A(?:[ \t\n]|\\\n)*")


def sh_argv(command: str, cwd: str) -> list[str]:
    """The argv /bin/sh builds from `command` as the arguments of a command.

    The command becomes the arguments of printf, after a sentinel word so that an
    empty command still prints something.  Leading blanks, newlines and line
    continuations are stripped: they never change the argv, but a leading newline
    would end printf's command.
    """
    script = "printf '%s\\0' X " + LEADING_SEPARATORS.sub("", command)
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": "/nonexistent-home", "LC_ALL": "C"}
    done = subprocess.run([SH, "-c", script], capture_output=True, cwd=cwd, env=env,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    fields = done.stdout.split(b"\0")
    assert fields[-1] == b"" and fields[0] == b"X"
    return [f.decode("utf-8", "surrogateescape") for f in fields[1:-1]]


needs_sh = pytest.mark.skipif(SH is None, reason="no /bin/sh")


@needs_sh
@pytest.mark.parametrize("case", ARGV_CASES, ids=_case_id)
def test_table_argv_matches_real_shell(case, glob_dir):
    assert sh_argv(case["cmd"], glob_dir) == case["argv"]


@needs_sh
def test_oracle_can_fail(glob_dir):
    # Guard against an oracle that agrees with anything.
    assert sh_argv("a?", glob_dir) == ["aa", "ab"]
    assert sh_argv("", glob_dir) == []
    assert sh_argv("'' x", glob_dir) == ["", "x"]


# ---------------------------------------------------------------------------
# Generated inputs
# ---------------------------------------------------------------------------

BROAD_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(" \t\n'\"\\$`|&;<>()*?[]{},~#=%^!:/-.é€😀\r")),
        st.characters(exclude_categories=("Cs",), exclude_characters="\0"),
    ),
    max_size=12,
)
ARGV = st.lists(BROAD_TEXT, max_size=6)

# Shell-looking fragments, mostly valid, so that few generated commands have problems.
WORD_CHARS = "ab1=-./,:%^é{}]"
FRAGMENTS = st.one_of(
    st.text(alphabet=WORD_CHARS, min_size=1, max_size=4),
    st.sampled_from([" ", "  ", "\t", "''", '""', "$", "~", "*", "?", "[", "#", "\n"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",),
                                   exclude_characters="'\0"), max_size=5)
    .map(lambda s: "'" + s + "'"),
    st.lists(st.sampled_from(list("ab $'|&;<>*?~#{},\n\t\\é")
                             + ['\\"', "\\$", "\\\\", "\\`", "\\\n"]), max_size=5)
    .map(lambda chunks: '"' + "".join(chunks) + '"'),
    st.sampled_from(list(" 'ab\"$|&;*?~#{}\\\t\né")).map(lambda c: "\\" + c),
)
COMMANDS = st.lists(FRAGMENTS, max_size=8).map("".join)


def _allowed_first_word_problem(problem: Problem, argv: list[str]) -> bool:
    """shlex.join leaves `NAME=x` and reserved words like `if` unquoted; at command
    position the shell reads them as an assignment or keyword, so the analyser
    rightly reports them. Assignments can follow each other (`A= B=x cmd`): each word
    up to the first that is not an assignment is still at command position."""
    if not argv:
        return False
    if problem.text == argv[0] and problem.start == 0:
        return True
    assignment = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
    leading = 0
    while leading < len(argv) and assignment.match(argv[leading]) and " " not in argv[leading]:
        leading += 1
    offsets, position = [], 0
    for word in argv:
        offsets.append(position)
        position += len(shlex.quote(word)) + 1
    return any(problem.start == offsets[i] and problem.text == argv[i] for i in range(min(leading + 1, len(argv))))


@settings(max_examples=200, deadline=None)
@given(ARGV)
@example(["A=", "A="])  # two assignments: both at command position
def test_shlex_join_round_trips(argv):
    analysis = analyse_string(shlex.join(argv))
    assert _texts(analysis) == argv
    assert all(_allowed_first_word_problem(p, argv) for p in analysis.problems), analysis.problems


@settings(max_examples=200, deadline=None)
@given(ARGV)
def test_quote_argv_round_trips(argv):
    command = quote_argv(argv)
    assert split_command(command) == argv


def _shlex_split(command: str) -> list[str]:
    # shlex.split() also treats \r as a blank; sh does not, so configure it like sh.
    lexer = shlex.shlex(command, posix=True)
    lexer.whitespace = " \t\n"
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


# Known, legitimate divergences of shlex from sh, excluded narrowly:
# - inside double quotes shlex lets a backslash escape only `"` and `\`; sh also
#   escapes `$`, a backtick and a newline (`"\$"` is `$` in sh, `\$` in shlex);
# - shlex keeps an escaped newline as a newline; sh drops backslash-newline;
# - shlex never treats `#` as a comment here (commenters=""), sh does at word start:
#   the analyser reports such comments, so they never reach the comparison.
SHLEX_DIVERGENCE = re.compile(r"\\[$`\n]")


@settings(max_examples=200, deadline=None)
@given(COMMANDS)
def test_agrees_with_shlex_on_plain_words(command):
    analysis = analyse_string(command)
    assume(analysis.is_splittable)
    assume(not SHLEX_DIVERGENCE.search(command))
    assert _texts(analysis) == _shlex_split(command)


def test_shlex_divergences_are_real():
    # The exclusions above are not excuses: sh and shlex really disagree there.
    for command, sh_reading in [('"\\$x"', ["$x"]), ("a\\\nb", ["ab"]), ('"\\`"', ["`"])]:
        assert split_command(command) == sh_reading
        assert _shlex_split(command) != sh_reading


@needs_sh
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COMMANDS)
def test_agrees_with_real_shell(command):
    analysis = analyse_string(command)
    assume(analysis.is_splittable)
    with tempfile.TemporaryDirectory() as cwd:
        for name in ["aa", "ab", "a1", "b"]:
            Path(cwd, name).write_text("")
        note(f"sh reading: {sh_argv(command, cwd)!r}")
        assert _texts(analysis) == sh_argv(command, cwd)


# (separator, the operator text the analyser must report)
# Templates: "@" marks where a substitution goes (it is not special to sh).
TEMPLATES = st.lists(
    st.one_of(FRAGMENTS, st.just("@"), st.sampled_from(["'@'", "' @ '", '"@"', '"a @ b"', "a@b",
                                                         "--x=@", '"$@"', "\\@", "$@"])),
    max_size=8,
).map("".join)
QUOTED_VALUE = "x y*"  # blanks and a glob: only safe because the value stood in quotes
UNQUOTED_VALUE = "v1"


def _template_segments(template: str) -> list:
    segments: list = []
    for k, chunk in enumerate(template.split("@")):
        if k:
            segments.append(Subst(k - 1))
        segments.append(chunk)
    return segments


@needs_sh
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=TEMPLATES)
def test_template_words_match_real_shell_after_substitution(template, glob_dir):
    # What JS would have built: each value pasted into the string the shell then read.
    analysis = analyse(_template_segments(template))
    assume(analysis.is_splittable)
    quoted = set().union(*(w.quoted_substs for w in analysis.words))
    values = {i: QUOTED_VALUE if i in quoted else UNQUOTED_VALUE for i in analysis.subst_indices}
    pasted = "".join(values[s.index] if isinstance(s, Subst) else s
                     for s in _template_segments(template))
    expected = ["".join(values[p.index] if isinstance(p, Subst) else p for p in w.parts)
                for w in analysis.words]
    assert sh_argv(pasted, glob_dir) == expected


SEPARATORS = [(" | ", "|"), ("|", "|"), (" || ", "||"), ("||", "||"), (" && ", "&&"),
              ("&&", "&&"), ("; ", ";"), (";", ";"), (" & ", "&"), ("&", "&"), ("\n", "\n"),
              (" |& ", "|&"), ("\n\n", "\n"), (" ;\n", ";")]


@settings(max_examples=200, deadline=None)
@given(st.lists(BROAD_TEXT, min_size=1, max_size=4), st.sampled_from(SEPARATORS),
       st.lists(BROAD_TEXT, min_size=1, max_size=4))
def test_two_simple_commands_report_an_operator(first, separator, second):
    separator, expected = separator
    command = shlex.join(first) + separator + shlex.join(second)
    analysis = analyse_string(command)
    assert expected in [p.text for p in analysis.operators], (command, analysis.problems)
    with pytest.raises(ShellCommandError):
        split_command(command)


@settings(max_examples=200, deadline=None)
@given(st.lists(BROAD_TEXT, min_size=1, max_size=4),
       st.sampled_from([">", ">>", "<", "2>", "2>&1", "&>", "<<"]),
       st.lists(BROAD_TEXT, min_size=1, max_size=2))
def test_redirections_report_an_operator(first, redirection, target):
    command = shlex.join(first) + " " + redirection + " " + shlex.join(target)
    assert redirection in [p.text for p in analyse_string(command).operators]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_never_crashes_and_offsets_stay_in_range(command):
    analysis = analyse_string(command)
    for item in analysis.words + analysis.problems + analysis.host_divergence:
        assert 0 <= item.start <= item.end <= len(command)


# ---------------------------------------------------------------------------
# Specific semantics
# ---------------------------------------------------------------------------


def test_word_offsets_cover_quotes():
    analysis = analyse_string("ls  'a b'\"c\" x")
    assert [(w.start, w.end) for w in analysis.words] == [(0, 2), (4, 12), (13, 14)]


def test_io_number_digits_belong_to_the_redirection():
    analysis = analyse_string("ls 2>&1 12 > x")
    assert [p.text for p in analysis.operators] == ["2>&1", ">"]
    assert _texts(analysis) == ["ls", "12", "x"]


def test_quoted_digits_are_not_an_io_number():
    assert [p.text for p in analyse_string("ls '2'>x").operators] == [">"]


def test_assignment_only_at_command_position():
    assert [p.text for p in analyse_string("A=1 B=2 env C=3").expansions] == ["A=1", "B=2"]
    assert analyse_string("'A'=1 x").is_splittable  # a quoted name is no assignment
    assert not analyse_string("ls; A=1 x").expansions == ()


def test_newline_after_a_pipe_is_not_a_second_problem():
    assert [p.text for p in analyse_string("ls |\n wc").problems] == ["|"]


def test_analysis_properties():
    analysis = analyse_string("ls $HOME | wc")
    assert [p.kind for p in analysis.problems] == ["expansion", "operator"]
    assert analysis.operators == (analysis.problems[1],)
    assert analysis.expansions == (analysis.problems[0],)
    assert analysis.is_static and not analysis.is_splittable
    with pytest.raises(ValueError):
        _ = analysis.argv
    assert analyse_string("ls -l").argv == ["ls", "-l"]


# ---------------------------------------------------------------------------
# split_command errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("command, error, text", [
    ("ls | wc", ChainedCommandError, "`|`"),
    ("ls && rm x", ChainedCommandError, "`&&`"),
    ("ls $HOME", ExpansionError, "`$HOME`"),
    ("ls *.txt", ExpansionError, "`*`"),
    ("echo 'oops", ShellSyntaxError, "single quote"),
    ("ls | echo 'oops", ShellSyntaxError, "single quote"),  # syntax wins
    ("ls $HOME | wc", ChainedCommandError, "`|`"),  # operator wins over expansion
])
def test_split_command_errors(command, error, text):
    with pytest.raises(error) as info:
        split_command(command)
    assert isinstance(info.value, ShellCommandError) and isinstance(info.value, ValueError)
    assert text in str(info.value)
    assert info.value.problems


def test_quote_argv_examples():
    assert quote_argv(["docker", "ps", "--format", "{{json .}}"]) == \
        "docker ps --format '{{json .}}'"
    assert quote_argv(["a", "", "it's"]) == "a '' 'it'\\''s'"
    assert quote_argv(["FOO=1", "x=1"]) == "'FOO=1' x=1"
    assert quote_argv(["if", "if"]) == "'if' if"
    assert quote_argv([]) == ""


# ---------------------------------------------------------------------------
# Host (Windows cmd.exe) divergence
# ---------------------------------------------------------------------------


def test_host_divergence_kinds():
    analysis = analyse_string("tool 'a b' C:\\x \"C:\\y\" a^b \"^\" %APPDATA% 100%")
    assert [p.text for p in analysis.host_divergence] == ["'a b'", "\\x", "^", "%APPDATA%"]
    assert {p.kind for p in analysis.host_divergence} == {"host-quoting"}
    assert analysis.is_splittable  # divergence is advice for host calls, not a problem


def test_no_host_divergence_for_plain_double_quotes():
    assert analyse_string('tool --format "{{json .}}" "C:\\Program Files"').host_divergence == ()


# ---------------------------------------------------------------------------
# Template segments
# ---------------------------------------------------------------------------


def _parts(analysis: Analysis) -> list[tuple]:
    return [w.parts for w in analysis.words]


def test_subst_forms_a_whole_word():
    analysis = analyse(["docker rm -f ", Subst(0)])
    assert _parts(analysis) == [("docker",), ("rm",), ("-f",), (Subst(0),)]
    assert analysis.is_splittable and not analysis.is_static
    assert analysis.words[-1].unquoted_substs == {0}  # the caller marks this fix unsafe
    assert analysis.subst_indices == (0,)


@pytest.mark.parametrize("segments, parts", [
    (["--name=", Subst(0)], ("--name=", Subst(0))),
    ([Subst(0), "-suffix"], (Subst(0), "-suffix")),
    (["a", Subst(0), "b"], ("a", Subst(0), "b")),
    ([Subst(0), Subst(1)], (Subst(0), Subst(1))),
    (["a'b'", Subst(0), "\"c\"d"], ("ab", Subst(0), "cd")),
])
def test_subst_keeps_its_place_in_a_word(segments, parts):
    analysis = analyse(segments)
    assert analysis.is_splittable
    assert _parts(analysis) == [parts]


def test_substs_separated_by_blanks_are_separate_words():
    assert _parts(analyse([Subst(0), " ", Subst(1)])) == [(Subst(0),), (Subst(1),)]


def test_subst_in_double_quotes_stays_in_its_word():
    analysis = analyse(['exec "x ', Subst(0), ' y" z'])
    assert _parts(analysis) == [("exec",), ("x ", Subst(0), " y"), ("z",)]
    assert analysis.words[1].quoted_substs == {0}
    assert analysis.words[1].single_quoted_substs == frozenset()
    assert analysis.words[1].unquoted_substs == frozenset()
    assert analysis.is_splittable


def test_subst_in_single_quotes_is_quoted():
    # JS substitutes inside '...' too; the shell then saw the value in single quotes,
    # so it stayed literal and inside its word.
    analysis = analyse(["ls '", Subst(0), " x'"])
    assert _parts(analysis) == [("ls",), (Subst(0), " x")]
    assert analysis.words[1].quoted_substs == {0}
    assert analysis.words[1].single_quoted_substs == {0}
    assert analysis.is_splittable


def test_empty_quotes_around_subst_still_make_one_word():
    assert _parts(analyse(['""', Subst(0)])) == [(Subst(0),)]


@pytest.mark.parametrize("segments", [
    ["echo $", Subst(0)],
    ['echo "$', Subst(0), '"'],
    ["echo \\", Subst(0)],
    ['echo "\\', Subst(0), '"'],
    [Subst(0), "=1 cmd"],
    ["A", Subst(0), "=1 cmd"],
    ["ls ", Subst(0), "|grep x"],
    ["ls |", Subst(0)],
    ["ls >", Subst(0)],
    [Subst(0), ">x"],
    ["echo $(cat ", Subst(0), ")"],
    ["echo `cat ", Subst(0), "`"],
    ["ls # ", Subst(0)],
    ["echo ${", Subst(0), "}"],
])
def test_subst_with_unclear_role_is_a_substitution_problem(segments):
    analysis = analyse(segments)
    found = analysis.substitution_problems
    assert found and found[0].subst == 0, analysis.problems


def test_subst_spaced_from_an_operator_is_not_a_substitution_problem():
    analysis = analyse(["ls | grep ", Subst(0)])
    assert [p.kind for p in analysis.problems] == ["operator"]


def test_subst_in_assignment_value_is_an_expansion_problem():
    analysis = analyse(["FOO=", Subst(0), " cmd"])
    assert [p.kind for p in analysis.problems] == ["expansion"]


def test_subst_after_tilde_or_before_glob():
    assert analyse(["ls ~", Subst(0)]).expansions
    assert analyse(["ls ", Subst(0), "*"]).expansions


def test_subst_not_at_command_position_before_equals_is_fine():
    assert analyse(["docker run -e ", Subst(0), "=1 img"]).is_splittable


def test_offsets_and_locate():
    segments = ["docker rm ", Subst(0), " | wc"]
    analysis = analyse(segments)
    subst_word = analysis.words[2]
    assert (subst_word.start, subst_word.end) == (10, 10)
    assert locate(segments, subst_word.start, "left") == (0, 10)
    assert locate(segments, subst_word.start, "right") == (2, 0)
    pipe = analysis.operators[0]
    assert (pipe.start, pipe.end) == (11, 12)
    assert locate(segments, pipe.start) == (2, 1)
    assert locate(segments, pipe.end, "left") == (2, 2)
    with pytest.raises(ValueError):
        locate(segments, 99)


def test_word_text_requires_a_static_word():
    word = analyse(["a", Subst(0)]).words[0]
    assert not word.is_static and word.substs == (0,)
    with pytest.raises(ValueError):
        _ = word.text
    assert Word(("x",), 0, 1).text == "x"


def test_segments_must_be_str_or_subst():
    with pytest.raises(TypeError):
        analyse(["ls", 3])  # type: ignore[list-item]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.builds(Subst, st.integers(0, 9))), max_size=6))
def test_any_segments_analyse_without_crashing(segments):
    analysis = analyse(segments)
    total = sum(len(s) for s in segments if isinstance(s, str))
    for item in analysis.words + analysis.problems + analysis.host_divergence:
        assert 0 <= item.start <= item.end <= total
    substs_in_words = [i for w in analysis.words for i in w.substs]
    assert set(substs_in_words) <= set(analysis.subst_indices)
