"""Running a rule's own examples: the catalogue cannot ship a rule whose examples fail."""

from __future__ import annotations

import contextlib
import os
import tempfile

from migrator.core.engine import Catalogue, fix, lint
from migrator.core.languages import language_for_path
from migrator.core.rule import Example, Rule
from migrator.core.source import SourceFile


class ExampleFailure(AssertionError):
    pass


@contextlib.contextmanager
def example_source(example: Example):
    """The example's code as a source; with ``files``, inside a temporary folder that holds
    them, so rules that read the extension's metadata.json find it."""
    text = example.code.encode("utf-8")
    if not example.files:
        yield SourceFile.from_bytes(example.filename, text)
        return
    with tempfile.TemporaryDirectory() as folder:
        for name, content in example.files:
            target = os.path.join(folder, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(content)
        source = SourceFile.from_bytes(os.path.join(folder, example.filename), text)
        source.modules = _linked(source.path, text, folder, example.files)
        yield source


def _linked(path: str, text: bytes, folder: str, files) -> dict | None:
    """What the example's imports export, among its files, as the project pass links them
    (with the verdicts on the exec wrappers they define)."""
    from migrator.core import runner
    from migrator.core.languages import IMPORTING
    from migrator.js.project import Project

    modules = [os.path.join(folder, name) for name, _ in files if language_for_path(name) in IMPORTING]
    if not modules:
        return None
    project = Project()
    pending = [runner.Pending(0, path, text, None, None, None, project.modules_of(path, text) or None)]
    for index, module in enumerate(modules, 1):
        with open(module, "rb") as handle:
            raw = handle.read()
        pending.append(runner.Pending(index, module, raw, None, None, None, project.modules_of(module, raw) or None))
    runner.wrapper_verdicts(pending, set())
    return pending[0].modules


def run_example(rule: Rule, example: Example, catalogue: Catalogue | None = None) -> None:
    """Check one example of ``rule`` with the whole catalogue (rules report for each other:
    an exec call with a pipe is a chained-shell-command finding); raise ExampleFailure."""
    if catalogue is None:
        from migrator.core.registry import all_rules

        catalogue = Catalogue(all_rules(), report_unused_ignores=True)
    with example_source(example) as source:
        _run(rule, example, source, catalogue)


def _run(rule: Rule, example: Example, source: SourceFile, catalogue: Catalogue) -> None:
    findings = [f for f in lint(source, catalogue) if f.code == rule.code]
    if len(findings) != example.findings:
        raise ExampleFailure(
            f"{rule.name}: expected {example.findings} finding(s), got {len(findings)} in:\n{example.code}\n"
            + "\n".join(f"  {f.line}:{f.column} {f.message} [{f.fix_label}] {f.no_fix_reason or ''}" for f in findings)
        )
    wrong = [f for f in findings if f.fix_label != example.fix]
    if wrong:
        raise ExampleFailure(
            f"{rule.name}: expected fix {example.fix!r}, got "
            + ", ".join(f"{f.fix_label!r} ({f.no_fix_reason})" for f in wrong) + f" in:\n{example.code}"
        )
    if example.message is not None:
        off = [f.message for f in findings if f.message != example.message]
        if off:
            raise ExampleFailure(f"{rule.name}: expected the message\n  {example.message}\ngot\n  "
                                 + "\n  ".join(off) + f"\nin:\n{example.code}")
    result = fix(source, catalogue, unsafe=example.unsafe)
    expected = example.fixed if example.fixed is not None else example.code
    actual = result.source.content.decode("utf-8")
    if actual != expected:
        raise ExampleFailure(f"{rule.name}: fix of\n{example.code}\ngave\n{actual}\nexpected\n{expected}")
    again = fix(result.source, catalogue, unsafe=example.unsafe)
    if again.changed:
        raise ExampleFailure(f"{rule.name}: fixing twice changed the output again:\n{actual}")
