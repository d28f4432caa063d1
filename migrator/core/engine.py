"""The pipeline for one source: pre-filter, parse once, run every rule, and fix to a fixed point."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from migrator.core import languages, suppress
from migrator.core.edits import apply_edits, select_compatible
from migrator.core.model import Applicability, Finding
from migrator.core.rule import Context, Rule
from migrator.core.source import SourceFile

MAX_PASSES = 10
UNUSED_IGNORE = "DD001"


class Catalogue:
    """The selected rules, with their queries compiled per grammar on first use."""

    def __init__(self, rules, report_unused_ignores: bool = False) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)  # the selected rules
        self.report_unused_ignores = report_unused_ignores
        self.codes = frozenset(r.code for r in self.rules)
        self.running: tuple[Rule, ...] = self._running()
        self._literals: dict[str, tuple[bytes, ...]] = {}
        self._probes: dict[str, tuple] = {}

    def _running(self) -> tuple[Rule, ...]:
        """The rules to run: each selected rule that finds anything itself, and every rule that
        reports a selected code under another rule's name (selecting chained-shell-command runs
        the exec rules; ignoring an exec rule keeps them running for chained-shell-command)."""
        from migrator.core.registry import all_rules

        chosen = {type(r) for r in self.rules}
        extra = [r for r in all_rules() if type(r) not in chosen and r.emits and r.reports() & self.codes]
        return tuple(sorted((*self.rules, *extra), key=lambda r: r.code))

    def subset(self, rules) -> Catalogue:
        return Catalogue(rules, report_unused_ignores=self.report_unused_ignores)

    def literals(self, language: str) -> tuple[bytes, ...]:
        """The pre-filter's literals; a container (Vue, Svelte, Markdown) takes those of every
        language its regions may be written in."""
        wanted = languages.rule_languages(language)
        if language not in self._literals:
            found = {lit for r in self.running if wanted & r.languages for lit in r.literals}
            # A literal holding another one adds nothing but a scan of every file.
            self._literals[language] = tuple(sorted(lit for lit in found if not any(o != lit and o in lit for o in found)))
        return self._literals[language]

    def probes(self, language: str) -> tuple[tuple[bytes, tuple[bytes, ...]], ...]:
        """The literals grouped under substrings they share, as (probe, literals) pairs."""
        if language not in self._probes:
            self._probes[language] = probes_for(self.literals(language))
        return self._probes[language]

    def may_match(self, content: bytes, language: str) -> bool:
        """The literal pre-filter: most files never mention the client and are never parsed.
        (Reporting unused suppressions needs every file with a suppression comment read.)

        Each search scans the whole file, and nearly every file holds no literal: so a file
        is searched for each probe, a substring that several literals share (``lient`` for
        `ddClient`, `DockerDesktopClient` and `extension-api-client`), and for the literals
        themselves only when their probe is there."""
        if self.report_unused_ignores and b"ddmigrate:" in content:
            return True
        for probe, group in self.probes(language):
            if probe in content and (len(group) == 1 or any(literal in content for literal in group)):
                return True
        return False

    @functools.cache  # noqa: B019 - a few catalogues live for the whole run
    def patterns(self, language: str) -> Patterns:
        """What the rules of one grammar look for (compiled to a query on first use)."""
        return Patterns([r for r in self.running if language in r.languages], language)


# A probe shorter than this would be found in too many files to save their scans.
MIN_PROBE = 4


def probes_for(literals) -> tuple[tuple[bytes, tuple[bytes, ...]], ...]:
    """(probe, literals) pairs that cover ``literals``: each probe is a substring of every
    literal of its group, chosen greedily to cover as many literals as it can (the longest
    such substring), so that a file without any literal costs one scan per group rather
    than one per literal. A literal that shares nothing is its own probe."""
    left, groups = set(literals), []
    while left:
        best = None
        for literal in sorted(left):
            for size in range(len(literal), min(MIN_PROBE, len(literal)) - 1, -1):
                for at in range(len(literal) - size + 1):
                    probe = literal[at:at + size]
                    covered = tuple(sorted(other for other in left if probe in other))
                    if best is None or (len(covered), size) > (len(best[1]), len(best[0])):
                        best = (probe, covered)
        groups.append(best)
        left -= set(best[1])
    return tuple(groups)


class Patterns:
    """What the rules of one grammar look for, as one tree-sitter query or a walk of the tree.

    Most rules look at method calls (`<object>.<method>(...)`) and declare the method names
    they care about: one shared pattern serves them all and matches are handed out by method
    name. Rules that want every node of some types (``Rule.nodes``), or reads of some
    properties (``Rule.properties``), get a pattern each. All of them join one query, so one
    walk of the tree finds every match (a walk per rule cost nearly twice as much on a large
    file). Compiling that query costs about 10 ms with the TypeScript grammars, so trees are
    walked in Python instead while ``languages.WalkBudget`` lasts, and the query compiled after.
    The walk finds the same matches in the same order: a query hands out a match when it
    reaches the last node the pattern captures, in source order, each node before those
    inside it, so the walk tests each pattern at the node where its match ends. A rule with
    a ``query`` of its own needs the query.
    """

    def __init__(self, rules, language: str) -> None:
        self.rules = rules
        self.language = language
        self.by_method: dict[str, list[Rule]] = {}
        for rule in rules:
            for method in rule.methods:
                self.by_method.setdefault(method, []).append(rule)
        # One entry per pattern, in the query's order: (owner, query text, node type, test).
        # The owner is None for the shared method-call pattern; ``test(node)`` gives the
        # captures of the match that ends at ``node``, of that type, or None.
        self.entries: list[tuple[Rule | None, str, str | None, object]] = []
        if self.by_method:
            self.entries.append((None, METHOD_CALL_QUERY, "property_identifier", _method_call))
        for rule in rules:
            for node_type, capture in rule.nodes.items():
                self.entries.append((rule, f"({node_type}) @{capture}", node_type, _whole_node(capture)))
            if rule.properties:
                names = " ".join(f'"{name}"' for name in sorted(rule.properties))
                self.entries.append((rule, PROPERTY_QUERY.format(names=names), "property_identifier",
                                     _property_read(rule.properties)))
            if rule.query:
                self.entries.append((rule, rule.query, None, None))
        self.walkable = all(node_type is not None for _, _, node_type, _ in self.entries)
        self.by_type: dict[str, list[tuple[Rule | None, object]]] = {}  # node type -> (owner, test)
        for owner, _, node_type, test in self.entries:
            self.by_type.setdefault(node_type, []).append((owner, test))
        self._query = None
        self._owners: list[Rule | None] = []
        self._walks = languages.WalkBudget()

    def matches(self, root) -> list[tuple[Rule | None, dict]]:
        """``(owner, captures)`` for each match under ``root`` (of a tree-sitter tree), in the
        query's order."""
        if not self.entries:
            return []
        if self._query is None and self.walkable and self._walks.take(root):
            return self._walk(root)
        import tree_sitter

        query = self._query or self._compile()
        return [(self._owners[index], captures) for index, captures in tree_sitter.QueryCursor(query).matches(root)]

    def _walk(self, root) -> list[tuple[Rule | None, dict]]:
        found, by_type = [], self.by_type
        for node in languages.preorder(root):
            for owner, test in by_type.get(node.type, ()):
                captures = test(node)
                if captures is not None:
                    found.append((owner, captures))
        return found

    def _compile(self):
        import tree_sitter

        source, starts = "", []
        for rule, text, _, _ in self.entries:
            starts.append((len(source.encode()), rule))
            source += text + "\n"
        query = tree_sitter.Query(languages.grammar(self.language), source)
        # A rule's own query may hold several patterns: each belongs to the entry it starts in.
        self._owners = [next(rule for start, rule in reversed(starts) if start <= query.start_byte_for_pattern(index))
                        for index in range(query.pattern_count)]
        self._query = query
        return query


METHOD_CALL_QUERY = """
(call_expression
  function: (member_expression
    object: (_) @object
    property: (property_identifier) @method)) @call
"""
PROPERTY_QUERY = "(member_expression property: (property_identifier) @prop (#any-of? @prop {names})) @member"


def _member_of(prop):
    """The member expression whose property is ``prop`` (a property_identifier), or None."""
    member = prop.parent
    if member is None or member.type != "member_expression" or member.child_by_field_name("property") != prop:
        return None
    return member


def _method_call(prop) -> dict | None:
    """METHOD_CALL_QUERY's captures for the match that ends at ``prop``, as the query gives them."""
    member = _member_of(prop)
    call = member.parent if member is not None else None
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != member:
        return None
    obj = member.child_by_field_name("object")
    if obj is None or not obj.is_named:
        return None
    return {"call": [call], "object": [obj], "method": [prop]}


def _whole_node(capture: str):
    def test(node) -> dict | None:
        return {capture: [node]} if node.is_named else None
    return test


def _property_read(names: frozenset[str]):
    def test(prop) -> dict | None:
        member = _member_of(prop)
        if member is None or prop.text.decode("utf-8", "replace") not in names:
            return None
        return {"member": [member], "prop": [prop]}
    return test


def parse(source: SourceFile):
    return languages.parse(source.language, source.content)


def count_errors(tree) -> int:
    if isinstance(tree, languages.PythonTree):
        return 0 if tree.module is not None else 1
    if hasattr(tree, "regions"):
        return sum(count_errors(js) for _, _, js in tree.regions)
    return len(languages.error_nodes(tree))


def verified(old_tree, new_tree) -> bool:
    """A fixed text is kept only if it parses with no more errors than before (and, in a file
    of regions (HTML, Vue, Svelte, Markdown), every script, handler, expression and fence is
    still there, in order, each with no more errors than before: a fix must not change the
    file's shape)."""
    if hasattr(old_tree, "regions"):
        if [(r.kind, r.language) for r, _, _ in old_tree.regions] != [(r.kind, r.language) for r, _, _ in new_tree.regions]:
            return False
        return all(count_errors(new) <= count_errors(old) for (_, _, old), (_, _, new) in zip(old_tree.regions, new_tree.regions))
    return count_errors(new_tree) <= count_errors(old_tree)


def lint(source: SourceFile, catalogue: Catalogue, tree=None) -> list[Finding]:
    """Every finding of every selected rule in one source, in source order."""
    if not source.modules and not catalogue.may_match(source.content, source.language):
        return []  # (a file that imports the client from another module has no literal to show)
    tree = tree or parse(source)
    if languages.is_container(source.language):
        findings = _lint_regions(source, catalogue, tree)
    else:
        findings = _run_rules(context_for(source, tree), catalogue, source.language)
    # A rule may report under another rule's name (an exec call whose command is chained is
    # a chained-shell-command finding); a rule the user did not select reports nothing.
    findings = locate(source, dedupe([f for f in findings if f.code in catalogue.codes]))
    suppressions = suppress.scan(source.content)
    if suppressions:
        findings = suppress.apply(findings, suppressions)
        if catalogue.report_unused_ignores and UNUSED_IGNORE in catalogue.codes:
            findings = findings + locate(source, suppress.unused_findings(source, suppressions))
    return findings


def context_for(source: SourceFile, tree) -> Context:
    """The front-end's context for a parsed source."""
    if source.language == "python":
        from migrator.python.context import PythonContext

        return PythonContext(source, tree)
    from migrator.js.context import JsContext

    return JsContext(source, tree)


def _run_rules(ctx: Context, catalogue: Catalogue, language: str) -> list[Finding]:
    patterns = catalogue.patterns(language)
    findings: list[Finding] = []
    if patterns.entries and languages.uses_tree_sitter(language):
        content, by_method = ctx.content, patterns.by_method
        for owner, captures in patterns.matches(ctx.tree.root_node):
            if owner is not None:
                findings.extend(owner.on_match(ctx, captures))
                continue
            method = captures["method"][0]
            interested = by_method.get(content[method.start_byte:method.end_byte].decode("utf-8", "replace"))
            if interested:
                captures = {**captures, "client": captures["object"], "cli": captures["object"]}
                for rule in interested:
                    findings.extend(rule.on_match(ctx, captures))
    for rule in patterns.rules:
        findings.extend(rule.check(ctx))
    return findings


def _lint_regions(source: SourceFile, catalogue: Catalogue, tree) -> list[Finding]:
    """Run the rules of each region's language over each script, event handler, template
    expression or code fence of an HTML, Vue, Svelte or Markdown file."""
    from migrator.js.context import JsContext
    from migrator.js.html import fix_conflict

    findings: list[Finding] = []
    for region, masked, js_tree in tree.regions:
        view = SourceFile(path=source.path, language=region.language, raw=masked, modules=source.modules)
        ctx = JsContext(view, js_tree, quote_avoid=region.quote)
        for finding in _run_rules(ctx, catalogue, region.language):
            reason = fix_conflict(region, finding.fix.edits) if finding.fix is not None else None
            if reason:
                finding.fix, finding.no_fix_reason = None, reason
            findings.append(finding)
    return findings


def dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.code)):
        ident = (f.code, f.start, f.end, f.message)
        if ident not in seen:
            seen.add(ident)
            out.append(f)
    return out


def locate(source: SourceFile, findings: list[Finding]) -> list[Finding]:
    """Fill in path, line and column (1-based; columns in characters)."""
    for f in findings:
        f.path = source.path
        f.line, f.column = source.position(f.start)
        f.end_line, f.end_column = source.position(f.end)
    return findings


@dataclass
class FixResult:
    source: SourceFile  # the fixed source (the input itself when nothing changed)
    applied: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)  # findings of the fixed text

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def applicable(finding: Finding, unsafe: bool) -> bool:
    if finding.fix is None:
        return False
    return unsafe or finding.fix.applicability is Applicability.SAFE


def fix(source: SourceFile, catalogue: Catalogue, unsafe: bool = False, tree=None) -> FixResult:
    """Apply fixes until none is left, verifying each pass; unverifiable fixes are dropped.

    A pass is kept only if the new text parses with no more errors than before. When a whole
    pass fails, its fixes are tried one by one, so one bad fix does not block the others.
    If a rule's fixes never settle (a second run would change the text again), the whole
    run starts over from the original text without that rule's fixes. Dropped fixes become
    plain findings with a reason in ``remaining``.
    """
    blocked: dict[str, str] = {}
    while True:
        result, unsettled = _fix_pass(source, catalogue, unsafe, blocked, tree)
        if not unsettled:
            return result
        blocked.update((code, "fixing it again would change the code again") for code in unsettled)


def _fix_pass(source: SourceFile, catalogue: Catalogue, unsafe: bool, blocked: dict[str, str], tree=None):
    result = FixResult(source=source)
    dropped: dict[tuple, str] = {}
    current = source
    if tree is None and (current.modules or catalogue.may_match(current.content, current.language)):
        tree = parse(current)

    def candidates_of(findings):
        return [f for f in findings if applicable(f, unsafe) and f.code not in blocked
                and fix_key(current, f) not in dropped]

    for _ in range(MAX_PASSES):
        findings = lint(current, catalogue, tree) if tree is not None else []
        candidates = candidates_of(findings)
        if not candidates:
            break
        accepted, _ = select_compatible(candidates)
        outcome = _try_apply(current, tree, accepted)
        if outcome is not None:
            current, tree = outcome
            result.applied.extend(accepted)
            continue
        for finding in accepted:
            single = _try_apply(current, tree, [finding])
            if single is None:
                dropped[fix_key(current, finding)] = "the fixed code would not parse"
                continue
            current, tree = single
            result.applied.append(finding)
            break  # offsets of the remaining fixes are stale; re-lint first
    else:
        unsettled = {f.code for f in candidates_of(lint(current, catalogue, tree))}
        if unsettled:
            return result, unsettled
    remaining = lint(current, catalogue, tree) if tree is not None else []
    for f in remaining:
        reason = blocked.get(f.code) or dropped.get(fix_key(current, f))
        if reason and f.fix is not None and applicable(f, unsafe):
            f.fix, f.no_fix_reason = None, f"fix dropped: {reason}"
    result.source = current
    result.remaining = remaining
    return result, set()


def fix_key(source: SourceFile, finding: Finding) -> tuple:
    return (finding.code, source.content[finding.start:finding.end])


def _try_apply(current: SourceFile, tree, findings: list[Finding]):
    edits = [e for f in findings for e in f.fix.edits]
    content = apply_edits(current.content, edits)
    if content == current.content:
        return None
    candidate = current.with_content(content)
    new_tree = parse(candidate)
    if not verified(tree, new_tree):
        return None
    return candidate, new_tree
