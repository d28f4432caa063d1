"""What a rule is: documentation, examples, a query, and a function that turns matches into findings."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from migrator.core.languages import LANGUAGES
from migrator.core.model import Applicability, Edit, Finding, Fix
from migrator.migration.table import CLIENT_LITERALS

DOCS_URL = "https://docs.docker.com/extensions/extensions-sdk/dev/api/overview/"


@dataclass(frozen=True)
class Example:
    """Code a rule must (``Invalid``) or must not (``Valid``) flag, run by the test suite.

    ``filename`` picks the grammar. ``fixed`` is the expected text after ``ddmigrate fix``
    (with ``--unsafe-fixes`` when ``unsafe`` is set); ``None`` means "no change". ``message``,
    when given, pins the text of the findings.
    """

    code: str
    filename: str = "example.ts"
    fixed: str | None = None
    findings: int = 1
    fix: str = "safe"  # the fix label every finding of this example must carry
    unsafe: bool = False
    message: str | None = None  # when set, the exact message every finding of this example carries
    # Files written next to the example (relative path, text): the extension's metadata.json,
    # its compose file. With files, the example runs from a temporary folder holding them.
    files: tuple[tuple[str, str], ...] = ()


def Valid(code: str, filename: str = "example.ts", *, files: tuple[tuple[str, str], ...] = ()) -> Example:
    return Example(code=code, filename=filename, findings=0, fix="none", files=files)


def Invalid(code: str, fixed: str | None = None, *, filename: str = "example.ts", findings: int = 1,
            fix: str | None = None, unsafe: bool = False, message: str | None = None,
            files: tuple[tuple[str, str], ...] = ()) -> Example:
    if fix is None:
        fix = "safe" if fixed is not None and not unsafe else ("unsafe" if unsafe else "none")
    return Example(code=code, filename=filename, fixed=fixed, findings=findings, fix=fix, unsafe=unsafe,
                   message=message, files=files)


class Context:
    """One parsed source as rules see it: its bytes, its tree, and how findings are built.

    Each front-end has its own subclass (``migrator.js.context.JsContext`` for tree-sitter
    trees, ``migrator.python.context.PythonContext`` for LibCST modules) that says which byte
    ranges the parser could not read; a fix touching them is never offered.
    """

    def __init__(self, source, tree) -> None:
        self.source = source
        self.tree = tree
        self.content: bytes = source.content
        self._error_ranges: list[tuple[int, int]] | None = None

    @property
    def language(self) -> str:
        return self.source.language

    def parse_errors(self) -> list[tuple[int, int]]:
        raise NotImplementedError

    def error_ranges(self) -> list[tuple[int, int]]:
        """Byte ranges the parser could not read, computed once."""
        if self._error_ranges is None:
            self._error_ranges = self.parse_errors()
        return self._error_ranges

    def touches_error(self, start: int, end: int) -> bool:
        return any(s <= end and start <= e for s, e in self.error_ranges())

    def finding_at(self, rule: Rule, start: int, end: int, message: str, *, edits: Iterable[Edit] = (),
                   applicability: Applicability = Applicability.SAFE, no_fix_reason: str | None = None,
                   fix_note: str = "") -> Finding:
        """A finding at byte offsets ``[start, end)`` of the content (for parsers without nodes)."""
        edits = tuple(edits)
        fix = None
        if edits and no_fix_reason is None:
            low = min(min(e.start for e in edits), start)
            high = max(max(e.end for e in edits), end)
            if self.touches_error(low, high):
                no_fix_reason = "the code around it has a syntax error, so it is not edited"
            else:
                fix = Fix(edits, applicability, fix_note)
        return Finding(rule=rule.name, code=rule.code, message=message, start=start, end=end,
                       fix=fix, no_fix_reason=no_fix_reason)





class Rule:
    """Base class of every rule. A rule's docstring is its documentation (``ddmigrate explain``).

    The docstring's first line is the rule's ``summary`` and the first link under its
    ``## References`` heading is its ``url``, unless the class (or, for the url, a base) sets them. Subclasses set the
    other class attributes and implement ``on_match`` (called for each match of ``methods``,
    ``nodes``, ``properties`` or ``query``, with captures by name) and/or ``check`` (called once per file).
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    # The best fix the rule can offer: "safe", "unsafe", "sometimes" (depends on the code) or "none".
    fixable: ClassVar[str] = "none"
    url: ClassVar[str] = ""  # derived from the docstring when no class sets it; else DOCS_URL
    aliases: ClassVar[tuple[str, ...]] = ()
    # Codes of other rules this rule's findings may carry (an exec call whose command is
    # chained is a chained-shell-command finding). The engine runs a rule when its own code
    # or any of these is selected, and keeps only findings of selected codes.
    emits: ClassVar[tuple[str, ...]] = ()
    languages: ClassVar[frozenset[str]] = frozenset(LANGUAGES)
    # A file that contains none of these byte strings cannot hold a finding and is not parsed.
    literals: ClassVar[tuple[bytes, ...]] = CLIENT_LITERALS
    # Method names whose calls (`<object>.<method>(...)`) the rule wants to see: ``on_match``
    # gets the captures "call", "method" and "object" (also under "client" and "cli").
    methods: ClassVar[frozenset[str]] = frozenset()
    # Node types the rule wants every node of: ``on_match`` gets each under its capture name
    # ({"variable_declarator": "declarator"}).
    nodes: ClassVar[dict[str, str]] = {}
    # Property names whose reads (`<object>.<name>`, called or not) the rule wants:
    # ``on_match`` gets the captures "member" and "prop".
    properties: ClassVar[frozenset[str]] = frozenset()
    # Or a tree-sitter query of its own, valid in every grammar in ``languages``. (The engine
    # walks a small file's tree for the others, which is cheaper than compiling a query; a
    # rule with a query of its own makes every file's query compiled.)
    query: ClassVar[str] = ""
    valid: ClassVar[tuple[Example, ...]] = ()
    invalid: ClassVar[tuple[Example, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        doc = inspect.cleandoc(cls.__dict__.get("__doc__") or "")
        head, _, _ = doc.partition("\n\n")
        if "summary" not in cls.__dict__ and head and not head.startswith("#"):
            cls.summary = " ".join(head.split())
        if not cls.url:  # neither this class nor a base names its page
            _, found, references = doc.partition("## References\n")
            link = re.search(r"^- (https://\S+)", references, re.MULTILINE) if found else None
            if link or cls.code:  # an abstract base without a page leaves it to its subclasses
                cls.url = link.group(1) if link else DOCS_URL

    def on_match(self, ctx: Context, captures: dict[str, list]) -> Iterable[Finding]:
        return ()

    def check(self, ctx: Context) -> Iterable[Finding]:
        return ()

    @classmethod
    def reports(cls) -> frozenset[str]:
        """Every code a finding of this rule can carry."""
        return frozenset((cls.code, *cls.emits))

    @classmethod
    def documentation(cls) -> str:
        """The docstring without its summary line (``explain`` prints that apart)."""
        doc = inspect.cleandoc(cls.__doc__ or cls.summary)
        head, _, body = doc.partition("\n\n")
        return body if body and not head.startswith("#") else doc
