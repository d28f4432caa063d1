"""Command wrappers: functions whose string parameter becomes words of a v0 exec command.

The most common shape in real extensions::

    async function runTool(command: string) {
      return ddClient.backend.execInVMExtension(`/app/tool ${command}`);
    }
    runTool("status --json");

v0 handed the whole string to a shell, which split the caller's ``"status --json"`` into two
arguments. Rewriting only the exec (``exec("/app/tool", [`${command}`])``) passes it as ONE
argument, and the extension breaks. A faithful migration changes the wrapper and its callers
together: the parameter takes the argv words as an array and every call site passes its
string split the way the shell split it::

    async function runTool(command: string[]) {
      return ddClient.extension.vm!.cli.exec("/app/tool", command);
    }
    runTool(["status", "--json"]);

An array parameter rather than a rest parameter: the parameter keeps its place (a wrapper
with more parameters after the command keeps working), the call sites read like v1
``exec(cmd, args)``, and an array can be built and passed on as a value. When the parameter
is the program itself (``execHostCmd(cmd)``), the wrapper gets v1's own shape, a program and
an ``args`` array, and callers pass ``"kubectl", ["get", "pods"]``.

Nothing is rewritten unless every caller can be: each call site must pass a string the
analyser can split (a literal, or a template whose substitutions are whole words).
Otherwise the finding names the call sites that stop it, and there is no fix (never the
single-argument rewrite, which is wrong for them). Callers that each pass one plain word
keep that rewrite, which is right for them.

An exported wrapper is decided by the project pass (``project_verdicts``, run by
``core.runner``): its module summary names it (``ExecWrapper``), every module of the run
importing it is read, and one ``Verdict`` (migrate, keep the usual rewrite, or refuse and
why) reaches the defining module and each importer under ``VERDICTS`` in their ``modules``.
The wrapper's rule then rewrites the definition and its local calls, ``exec-wrapper-call``
each call elsewhere; their findings share a ``Finding.group``, which the runner applies all
or none.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from migrator.core.lazy import LazyModule
from migrator.core.model import Applicability, Edit
from migrator.js import strings as jsstrings
from migrator.js.access import arguments_of
from migrator.js.resolve import FUNCTION_TYPES, Kind, this_class, unwrap
from migrator.migration.table import HOST, VM

# The project pass asks every module whether it may define a wrapper (``may_wrap``,
# ``wrappers_in``); the command reader, the planner and the shell analyser load only once a
# command is read.
jscommand = LazyModule("migrator.js.command")
planner = LazyModule("migrator.migration.execs")
shell = LazyModule("migrator.migration.shell")

EXPORTS = frozenset({"export_statement", "export_clause", "export_specifier"})
# The v0 execs whose one command string a wrapper fills, and where each runs.
EXEC_METHODS = {"execInVMExtension": VM, "execHostCmd": HOST}
RULE_OF = {VM: "exec-in-vm-extension", HOST: "exec-host-cmd"}
# What the project pass decided for an exported wrapper (``Verdict.state``).
MIGRATE, SINGLE, REFUSE = "migrate", "single", "refuse"
# The key, in a file's ``modules``, under which the project pass hands it the verdicts of the
# exported wrappers it defines or calls: ``{(module path, export name): Verdict}``. (No
# module specifier can be spelled with a NUL.)
VERDICTS = "\0exec-wrappers"


@dataclass(frozen=True)
class ExecWrapper:
    """An exported wrapper, as a module summary gives it to the modules importing it."""

    path: str
    name: str


@dataclass(frozen=True)
class Verdict:
    """Whether an exported wrapper and all its calls in the run move together."""

    state: str  # MIGRATE, SINGLE or REFUSE
    reason: str = ""  # REFUSE: why, naming the call sites that stop it
    notes: tuple = ()  # MIGRATE: why it is unsafe (every part carries them)
    calls: int = 0  # calls in other modules
    files: tuple = ()  # MIGRATE: every file the migration edits, the defining module first
    parts: tuple = ()  # MIGRATE: how many findings carry it in each of those files
    # MIGRATE: the parameter's place, whether it is the program, and where the exec runs.
    position: int = 0
    program: bool = False
    target: str = VM

    @property
    def rule(self) -> str:
        """The rule whose finding rewrites the wrapper itself."""
        return RULE_OF[self.target]

    @property
    def unsafe(self) -> bool:
        return bool(self.notes)


@dataclass(eq=False, repr=False)
class Site:
    """One use of the wrapper: a call that passes a command, or why it cannot be rewritten."""

    line: int
    text: str  # the call (or use) as written, shortened
    node: object = None
    path: str = ""  # set for a call in another module
    edits: list = field(default_factory=list)
    reason: str | None = None
    notes: list = field(default_factory=list)  # why this call's rewrite is unsafe
    single: bool = False  # it passes one plain word (a literal the shell kept as it is)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.path else f"line {self.line}"


@dataclass(eq=False, repr=False)
class Wrapper:
    """A function that hands one of its parameters to a v0 exec as words of the command."""

    function: object  # the function node
    name: str  # how callers reach it
    param: object  # the parameter's binding
    position: int  # its index among the parameters
    program: bool  # whether it is the command's first word (the program)
    sites: list = field(default_factory=list)
    reason: str | None = None  # why its callers cannot all be found
    exported: bool = False  # its callers in other modules are found by the project pass
    signature: str | None = None  # why its parameter cannot become an array


def parameter_substitution(ctx, command, call):
    """``(binding, subst index)`` of a parameter of the function enclosing ``call`` that
    the command substitutes outside quotes (so the shell split its value), or None."""
    function = _enclosing_function(call)
    if function is None:
        return None
    for word in command.analysis.words:
        for index in sorted(word.unquoted_substs):
            expression = unwrap(command.substitutions[index])
            if expression is None or expression.type != "identifier":
                continue
            binding = ctx.resolver.lookup(expression)
            if binding is not None and binding.kind == "param" and binding.scope == function:
                return binding, index
    return None


def plan(ctx, rule, message: str, cmd_node, call, target: str, build_edits) -> planner.Outcome | None:
    """The finding for a v0 exec inside a wrapper, or None when the command is not a
    wrapper's (the exec rules then plan it as usual)."""
    found = _analyse(ctx, cmd_node, call)
    if found is None:
        return None
    command, analysis, binding, index = found
    shown = f"`{binding.name}`"
    wrapper = describe(ctx, binding, analysis, index)
    if not wrapper.name:
        # A callback (`names.forEach((name) => exec(...))`): its values come from data, not
        # from command strings written at call sites; the usual rewrite says what it assumes.
        return None
    if wrapper.reason is None:
        _find_sites(ctx, wrapper, target)
    remote = None
    if wrapper.exported and wrapper.reason is None:
        remote = verdict_for(ctx, wrapper)
        if remote is None:
            wrapper.reason = ("it is exported, and this run sees no module that imports it (run `ddmigrate` on "
                              "the whole extension; an export nothing imports can be made local)")
        elif remote.state == REFUSE:
            wrapper.reason = remote.reason
        elif remote.state == SINGLE:
            return None
    why = decide(ctx, wrapper, command, analysis, index)
    if why is SINGLE and remote is not None:
        why = None  # the callers in other modules pass several words: the verdict was to migrate
    if why is SINGLE:
        # Every caller passes one plain word (or there is no caller): the usual rewrite, the
        # parameter as one argument, gives the program what the shell gave it.
        return None
    if why:
        return planner.Outcome(rule, message, [], no_fix_reason=refusal_text(wrapper, why))
    edits = build_edits(_spliced(command, index, wrapper), _words(analysis, wrapper))
    edits += _parameter_edits(ctx, wrapper)
    for site in wrapper.sites:
        edits += site.edits
    notes = [n for s in wrapper.sites for n in s.notes]
    others = [command.shown_substitutions[i] for w in analysis.words for i in w.substs if i != index]
    if others:
        notes.append(f"{', '.join(others)} now reach{'es' if len(others) == 1 else ''} the program as "
                     "(part of) one argument: the shell also split their values")
    if remote is not None:
        notes.extend(remote.notes)
    count = len(wrapper.sites)
    calls = ("it has no calls to change" if not count else "its call passes" if count == 1
             else f"its {count} calls pass") + (" the words as v0's shell split them" if count else "")
    if remote is not None and remote.calls:
        elsewhere = f"{remote.calls} call{'s' if remote.calls != 1 else ''} in other modules"
        calls = (f"{calls}, and its {elsewhere} change with it (`exec-wrapper-call`)" if count
                 else f"its {elsewhere} pass the words as v0's shell split them (`exec-wrapper-call`)")
    shape = (f"{shown} stays the program and an `{args_name(wrapper)}` array follows it" if wrapper.program
             else f"{shown} now takes the arguments as an array")
    text = (f"{message} (`{wrapper.name}` wraps it: {shape}, and {calls}"
            + (f"; unsafe: {'; '.join(dict.fromkeys(notes))}" if notes else "") + ")")
    group = group_of(remote_key(ctx, wrapper)) if remote is not None else ""
    return planner.Outcome(rule, text, edits, Applicability.UNSAFE if notes else Applicability.SAFE, group=group)


def _analyse(ctx, cmd_node, call):
    """``(command, analysis, parameter binding, subst index)`` when the command of ``call``
    splits one of its function's parameters into words, else None."""
    command = _parameter_command(ctx, cmd_node)
    if command is None:
        try:
            command = jscommand.read_command(ctx, cmd_node)
        except jscommand.Unknown:
            return None
    analysis = command.analysis
    if _shell_problems(analysis):
        return None  # reported as a shell command line, wrapper or not
    found = parameter_substitution(ctx, command, call)
    if found is None:
        return None
    return command, analysis, found[0], found[1]


def decide(ctx, wrapper: Wrapper, command, analysis, index):
    """Why the wrapper cannot move with its callers (a reason), SINGLE when its callers all
    pass one plain word (the usual rewrite is right), or None: migrate it."""
    if wrapper.reason is None and not wrapper.program and all(s.single for s in wrapper.sites):
        return SINGLE
    problem = wrapper.reason or _refusal(ctx, command, analysis, wrapper.param, index) or wrapper.signature
    if not problem:
        return _listing([s for s in wrapper.sites if s.reason]) or None
    # The calls that do not pass one plain word are what makes the problem matter.
    several = _listing([s for s in wrapper.sites if not s.single])
    return f"{problem}; the calls that may pass several words: {several}" if several else problem


def _listing(sites) -> str:
    return "; ".join(f"{s.where} `{s.text}`: {s.reason or 'it passes several words'}" for s in sites)


def refusal_text(wrapper: Wrapper, why: str) -> str:
    return (f"the shell split the value of `{wrapper.param.name}` into words, so `{wrapper.name}` and its callers "
            f"must change together, and they cannot here: {why}; split the command by hand (an array parameter "
            "for several words, or one argument where every caller passes one word)")


def _shell_problems(analysis):
    """What makes a command a shell command line rather than words (the exec rules report it)."""
    return analysis.syntax_errors or analysis.operators or analysis.expansions or analysis.substitution_problems


def several_words(ctx, cmd_node) -> str | None:
    """Why rewriting the command with each substitution as (part of) one argument is wrong,
    when a value it is known to take (a `const` string, a branch of `a ? b : c`) was split by
    the shell into several words, or had quotes the shell removed; else None."""
    try:
        command = jscommand.read_command(ctx, cmd_node)
    except jscommand.Unknown:
        return None
    analysis = command.analysis
    if _shell_problems(analysis):
        return None
    for index in sorted({i for w in analysis.words for i in w.unquoted_substs}):
        for value, node in known_strings(ctx, command.substitutions[index]):
            words = shell.analyse_string(value)
            if not words.is_splittable or [w.text for w in words.words] != [value]:
                shown = command.shown_substitutions[index]
                problems = words.operators or words.expansions or words.syntax_errors
                split = (f"which the shell read as shell syntax ({problems[0].text})" if problems
                         else f"which the shell split into {len(words.words)} words" if len(words.words) > 1
                         else "whose quotes or escapes the shell removed")
                return (f"{shown} can be {jsstrings.encode_string_literal(value, chr(34))} (line "
                        f"{node.start_point[0] + 1}), {split}, while v1 would pass it as one argument; "
                        "pass its words apart by hand")
    return None


def known_strings(ctx, node, depth: int = 0) -> list:
    """``(value, node)`` of the string literals an expression is known to evaluate to: itself,
    a `const` it names, the branches of `?:`, `||` and `??`. Other values are left out."""
    node = unwrap(node)
    if node is None or depth > 8:
        return []
    if node.type == "string":
        try:
            return [(jsstrings.decode_string_literal(ctx.text(node)), node)]
        except jsstrings.JSStringError:
            return []
    if node.type == "ternary_expression":
        return (known_strings(ctx, node.child_by_field_name("consequence"), depth + 1)
                + known_strings(ctx, node.child_by_field_name("alternative"), depth + 1))
    if node.type == "binary_expression" and node.child_by_field_name("operator").type in ("||", "??"):
        return (known_strings(ctx, node.child_by_field_name("left"), depth + 1)
                + known_strings(ctx, node.child_by_field_name("right"), depth + 1))
    if node.type == "identifier":
        binding = ctx.resolver.lookup(node)
        if binding is not None and binding.kind == "const" and not binding.path and binding.value is not None:
            return known_strings(ctx, binding.value, depth + 1)
    return []


def _word_text(command, word) -> str:
    return "".join(p if isinstance(p, str) else command.shown_substitutions[p.index].strip("`") for p in word.parts)


def _parameter_command(ctx, node):
    """The command when it is a parameter passed whole (``execHostCmd(cmd)``): one substitution."""
    expression = unwrap(node)
    if expression is None or expression.type != "identifier":
        return None
    binding = ctx.resolver.lookup(expression)
    if binding is None or binding.kind != "param":
        return None
    return jscommand.Command(node=node, segments=[shell.Subst(0)], substitutions=[expression], quote=ctx.preferred_quote(), ctx=ctx)


def _refusal(ctx, command, analysis, binding, index) -> str | None:
    """Why the command's use of the parameter cannot take an array of words, or None."""
    shown = f"`${{{binding.name}}}`"
    word = next(w for w in analysis.words if index in w.substs)
    if list(word.parts) != [shell.Subst(index)]:
        return (f"{shown} is part of the word `{_word_text(command, word)}`, where a caller's several words cannot be "
                "told apart from the rest")
    for other in analysis.words:
        for i in other.unquoted_substs:
            if i == index:
                continue
            expression = unwrap(command.substitutions[i])
            if expression is not None and expression.type == "identifier":
                other_binding = ctx.resolver.lookup(expression)
                if other_binding is not None and other_binding.kind == "param":
                    return "the command is built from more than one parameter"
    if binding.path or binding.declarator is None:
        return f"`{binding.name}` is part of a destructured parameter"
    if len(ctx.resolver.references_to(binding)) != 1:
        return f"`{binding.name}` is also used elsewhere in the function, where an array would change what it does"
    return None


def describe(ctx, binding, analysis, index) -> Wrapper:
    """The wrapper a parameter belongs to: its name, and whether its callers can be found."""
    function = binding.scope
    params = _parameters(function)
    declarator = binding.declarator
    position = next((i for i, p in enumerate(params) if p == declarator), -1)
    program = analysis.words[0].parts == (shell.Subst(index),)
    name, reason = _name(ctx, function)
    wrapper = Wrapper(function, name or "", binding, position, program)
    wrapper.reason = reason
    wrapper.signature = _parameter_problem(ctx, wrapper, declarator)
    return wrapper


def _parameters(function) -> list:
    params = function.child_by_field_name("parameters")
    if params is None:
        single = function.child_by_field_name("parameter")
        return [single] if single is not None else []
    return [p for p in params.named_children if p.type != "comment"]


def _name(ctx, function) -> tuple[str | None, str | None]:
    """How callers name the function, or why they cannot be found."""
    if function.parent is not None and function.parent.type == "export_statement" and \
            function.child_by_field_name("name") is None:
        return "default", "it is an anonymous default export, whose callers are not followed"
    if function.type in ("function_declaration", "generator_function_declaration"):
        name = function.child_by_field_name("name")
        return name.text.decode(), None
    held = _object_member(function)
    if held is not None:
        return held[1], _object_problem(held[0])
    if function.type == "method_definition":
        name = function.child_by_field_name("name")
        body = function.parent
        if name is None or name.type not in ("property_identifier", "private_property_identifier") \
                or body is None or body.type != "class_body":
            return (name.text.decode() if name is not None else None), \
                "it is a method of an object literal, whose callers are not followed"
        if any(c.type == "static" for c in function.children):
            return name.text.decode(), "it is a static method, whose callers are not followed"
        return name.text.decode(), None
    parent = function.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        kind = parent.parent.child_by_field_name("kind") if parent.parent is not None else None
        if name is not None and name.type == "identifier":
            if kind is None or kind.text != b"const":
                return name.text.decode(), "it is held in a variable that may be reassigned"
            return name.text.decode(), None
    if parent is not None and parent.type in ("public_field_definition", "field_definition"):
        name = parent.child_by_field_name("name") or parent.child_by_field_name("property")
        return (name.text.decode() if name is not None else None), "it is a class field, whose callers are not followed"
    return None, "it is not a named function, so its callers cannot be found"


def _object_member(function):
    """``(object, name)`` when the function is a member of an object literal, written as a
    method (``run(cmd) {...}``) or as a property (``run: (cmd) => ...``) under a plain name."""
    if function.type == "method_definition":
        key, holder = function.child_by_field_name("name"), function.parent
    elif function.parent is not None and function.parent.type == "pair" and function.parent.child_by_field_name("value") == function:
        key, holder = function.parent.child_by_field_name("key"), function.parent.parent
    else:
        return None
    if key is None or key.type != "property_identifier" or holder is None or holder.type != "object":
        return None
    return holder, key.text.decode()


def _object_declarator(obj):
    """The `const` declarator whose value is the object literal, or None."""
    parent = obj.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        parent = parent.parent
    if parent is None or parent.type != "variable_declarator" or unwrap(parent.child_by_field_name("value")) != obj:
        return None
    name = parent.child_by_field_name("name")
    kind = parent.parent.child_by_field_name("kind") if parent.parent is not None else None
    if name is None or name.type != "identifier" or kind is None or kind.text != b"const":
        return None
    return parent


def _object_problem(obj) -> str | None:
    """Why the calls of a method of this object literal cannot all be found, or None: the
    object must be held in a `const` of this module, which is not exported."""
    declarator = _object_declarator(obj)
    if declarator is None:
        return "it is a method of an object literal that is not held in a `const`, whose callers are not followed"
    if _exported(declarator):
        return "its object is exported, and callers in other modules are not rewritten with it"
    return None


def _parameter_problem(ctx, wrapper: Wrapper, declarator) -> str | None:
    name = wrapper.param.name
    node = declarator
    if node.type == "optional_parameter":
        return f"`{name}` is optional"
    if node.type == "rest_pattern":
        return f"`{name}` is a rest parameter"
    type_node = node.child_by_field_name("type") if node.type == "required_parameter" else None
    if type_node is not None:
        written = ctx.text(type_node).lstrip(":").strip()
        if written != "string":
            return f"`{name}` is typed `{written}`, not `string`"
    if _default(node) is not None:
        return f"`{name}` has a default value"
    return None


def _default(node):
    if node.type == "assignment_pattern":
        return node.child_by_field_name("right")
    if node.type in ("required_parameter", "optional_parameter"):
        return node.child_by_field_name("value")
    return None


def _exported(node) -> bool:
    """Whether a declaration or a reference to it hands the function to other modules."""
    current = node.parent
    while current is not None and current.type not in FUNCTION_TYPES | {"program", "class_body"}:
        if current.type in EXPORTS:
            return True
        if current.type == "assignment_expression":
            left = current.child_by_field_name("left")
            text = left.text if left is not None else b""
            if text == b"module.exports" or text.startswith((b"module.exports.", b"exports.")):
                return True
        current = current.parent
    return False


def _find_sites(ctx, wrapper: Wrapper, target: str) -> None:
    function = wrapper.function
    held = _object_member(function)
    if held is not None:
        _object_sites(ctx, wrapper, held[0], target)
        return
    if function.type == "method_definition":
        _method_sites(ctx, wrapper, target)
        return
    if function.type in ("function_declaration", "generator_function_declaration"):
        name_node = function.child_by_field_name("name")
        declared = function
    else:
        declared = function.parent
        while declared.type != "variable_declarator":
            declared = declared.parent
        name_node = declared.child_by_field_name("name")
    binding = ctx.resolver.binding_of_name_node(name_node)
    if binding is None:
        wrapper.reason = "its callers cannot be found"
        return
    wrapper.exported = _exported(declared)
    for reference in ctx.resolver.references_to(binding):
        if _exported(reference):
            wrapper.exported = True
            continue
        call = reference.parent
        if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == reference:
            wrapper.sites.append(_site(ctx, wrapper, call, target))
        else:
            wrapper.sites.append(_use(ctx, reference, "it is used as a value here, not called"))


def _method_sites(ctx, wrapper: Wrapper, target: str) -> None:
    body = wrapper.function.parent
    klass = body.parent
    if klass is not None and _exported(klass) and not _private(wrapper.function):
        wrapper.reason = "its class is exported, and callers in other modules are not rewritten with it"
        return
    name = wrapper.name.encode()
    stack = [ctx.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is not None and prop.text == name:
                target = unwrap(node.child_by_field_name("object"))
                parent = node.parent
                if target is not None and target.type == "this" and this_class(target) == body:
                    if parent is not None and parent.type == "call_expression" and \
                            parent.child_by_field_name("function") == node:
                        wrapper.sites.append(_site(ctx, wrapper, parent, target))
                    else:
                        wrapper.sites.append(_use(ctx, node, "it is used as a value here, not called"))
                else:
                    wrapper.sites.append(_use(ctx, node, "it is called on an object this fix cannot follow"))
        stack.extend(node.named_children)
    wrapper.sites.sort(key=lambda s: s.line)


def _object_sites(ctx, wrapper: Wrapper, obj, target: str) -> None:
    """The calls of a method of a `const` object literal: `api.run(...)` wherever `api` is
    read. The object handed on as a value (an argument, a spread, a return), or the method
    reached through `this` or by a computed key, stops the rewrite: those calls cannot all be
    seen."""
    declarator = _object_declarator(obj)
    binding = ctx.resolver.binding_of_name_node(declarator.child_by_field_name("name"))
    if binding is None:
        wrapper.reason = "its callers cannot be found"
        return
    name = wrapper.name.encode()
    for reference in ctx.resolver.references_to(binding):
        if _exported(reference):
            wrapper.reason = "its object is exported, and callers in other modules are not rewritten with it"
            return
        member = reference.parent
        if member is None or member.type not in ("member_expression", "subscript_expression") or \
                member.child_by_field_name("object") != reference:
            wrapper.sites.append(_use(ctx, reference, f"`{binding.name}` is used as a value here, so calls of its "
                                                      "method cannot all be found"))
            continue
        if member.type == "subscript_expression":
            wrapper.sites.append(_use(ctx, member, "a member of it is read by a computed key"))
            continue
        prop = member.child_by_field_name("property")
        if prop is None or prop.text != name:
            continue  # another member
        call = member.parent
        if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == member:
            wrapper.sites.append(_site(ctx, wrapper, call, target))
        else:
            wrapper.sites.append(_use(ctx, member, "it is used as a value here, not called"))
    stack = [obj]
    while stack:  # `this.run(...)` in the object's other methods depends on how they are called
        node = stack.pop()
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            inner = unwrap(node.child_by_field_name("object"))
            if prop is not None and prop.text == name and inner is not None and inner.type == "this":
                wrapper.sites.append(_use(ctx, node, "it is called through `this`, which this fix does not follow"))
        if node.type in ("class_declaration", "class"):
            continue
        stack.extend(node.named_children)
    wrapper.sites.sort(key=lambda s: s.line)


def _private(method) -> bool:
    """A `private` or `#name` method: only its own class calls it, exported or not."""
    name = method.child_by_field_name("name")
    if name is not None and name.type == "private_property_identifier":
        return True
    return any(c.type == "accessibility_modifier" and c.text == b"private" for c in method.children)


def _use(ctx, node, reason: str) -> Site:
    return Site(node.start_point[0] + 1, _short(ctx.text(node)), node=node, reason=reason)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _site(ctx, wrapper: Wrapper, call, target: str, path: str = "") -> Site:
    site = Site(call.start_point[0] + 1, _short(ctx.text(call)), node=call, path=path)
    args = arguments_of(call)
    if any(a.type == "spread_element" for a in args[:wrapper.position + 1]):
        site.reason = "it passes a spread argument"
        return site
    if wrapper.position < 0 or wrapper.position >= len(args):
        site.reason = "it passes no command"
        return site
    argument = args[wrapper.position]
    following = unwrap(args[wrapper.position + 1]) if len(args) > wrapper.position + 1 else None
    if wrapper.program and following is not None and following.type == "array":
        site.reason = "it already passes the program and its arguments apart"
        return site
    try:
        command = jscommand.read_command(ctx, argument)
    except jscommand.Unknown as exc:
        site.reason = str(exc)
        return site
    if not wrapper.program:
        # The words follow the program: `a=b` there is an argument, not an assignment.
        command.segments.insert(0, "_ ")
    analysis = command.analysis
    problems = _shell_problems(analysis)
    if problems:
        shown = ", ".join(dict.fromkeys(f"`{p.text}`" for p in problems))
        site.reason = f"its command would need a shell ({shown}: {problems[0].message})"
        return site
    words = list(analysis.words[0 if wrapper.program else 1:])
    static = "".join(p for p in command.segments[1:] if isinstance(p, str)) if command.is_static else None
    site.single = len(words) == 1 and words[0].is_static and words[0].text == static
    if wrapper.program and not words:
        site.reason = "its command is empty"
        return site
    sources = [command.word(w) for w in words]
    if wrapper.program:
        text = f"{sources[0]}, {jscommand.array_source(sources[1:])}"
    else:
        text = jscommand.array_source(sources)
    site.edits.append(Edit(argument.start_byte, argument.end_byte, text))
    unquoted = [command.shown_substitutions[i] for w in words for i in sorted(w.unquoted_substs)]
    if unquoted:
        one = len(unquoted) == 1
        site.notes.append(f"{site.where} assumes {', '.join(unquoted)} {'is one word' if one else 'are one word each'}, "
                          f"where the shell split {'its value' if one else 'their values'}")
    if target == HOST and analysis.host_divergence:  # v0 ran host commands through cmd.exe on Windows
        what = ", ".join(sorted({f"`{p.text}`" for p in analysis.host_divergence}))
        site.notes.append(f"{site.where}: on Windows cmd.exe read {what} differently; this split assumes sh")
    return site


# -- the wrapper's own exec -----------------------------------------------------------------

ARGS = "args"


def args_name(wrapper: Wrapper) -> str:
    """The name of the `args` parameter a program-position wrapper gains (one not in use)."""
    text = wrapper.function.text
    name = ARGS
    while name.encode() in text:
        name = "_" + name
    return name


def _spliced(command, index: int, wrapper: Wrapper):
    """The command, with the parameter's word written as the parameter itself (spread into
    the arguments, or as the program)."""
    name = wrapper.param.name
    command.spliced = {index: name if wrapper.program else f"...{name}"}
    if wrapper.program:
        command.spliced[-1] = f"...{args_name(wrapper)}"
    return command


def _words(analysis, wrapper: Wrapper) -> list:
    words = list(analysis.words)
    if wrapper.program:
        words.insert(1, shell.Word((shell.Subst(-1),), 0, 0))
    return words


def _parameter_edits(ctx, wrapper: Wrapper) -> list:
    node = wrapper.param.declarator
    if wrapper.program:
        extra = f"{args_name(wrapper)}: string[]" if ctx.typescript else args_name(wrapper)
        if node.parent is not None and node.parent.type == "arrow_function":  # `cmd => ...`
            return [Edit(node.start_byte, node.start_byte, "("), Edit(node.end_byte, node.end_byte, f", {extra})")]
        return [Edit(node.end_byte, node.end_byte, f", {extra}")]
    type_node = node.child_by_field_name("type") if node.type == "required_parameter" else None
    if type_node is not None:
        return [Edit(type_node.end_byte, type_node.end_byte, "[]")]
    return []


def parameter_argument(ctx, node, call):
    """The parameter of the function enclosing ``call`` that the argument ``node`` is, or
    substitutes outside quotes (so the shell split the caller's value into words), or None.
    For the calls whose wrappers are not migrated (``execDockerCmd``): their single-argument
    rewrite would be wrong for a caller passing several words."""
    function = _enclosing_function(call)
    if function is None:
        return None
    target = unwrap(node)
    if target is not None and target.type == "identifier":
        binding = ctx.resolver.lookup(target)
        return binding if binding is not None and binding.kind == "param" and binding.scope == function else None
    try:
        command = jscommand.read_command(ctx, node)
    except jscommand.Unknown:
        return None
    found = parameter_substitution(ctx, command, call)
    return found[0] if found is not None else None


def function_name(ctx, function) -> str | None:
    """How callers name a function (`` `name()` `` in a message), or None for a callback
    (`ids.forEach((id) => ...)`), whose values come from data, not from command strings."""
    name, _ = _name(ctx, function)
    return f"`{name}()`" if name else None


def _enclosing_function(node):
    current = node.parent
    while current is not None:
        if current.type in FUNCTION_TYPES:
            return current
        current = current.parent
    return None



# -- exported wrappers: the project pass ------------------------------------------------------

# An exec whose command may be built from a parameter: a template with a substitution, a
# name, or a concatenation (a pre-filter: the analyser decides).
_BUILT_COMMAND = re.compile(rb"""(?:execInVMExtension|execHostCmd)\s*\(\s*(?:`[^`]*\$\{|[A-Za-z_$][\w$]*\s*[),+]"""
                            rb"""|(?:'[^'\n]*'|"[^"\n]*")\s*\+)""")


def may_wrap(raw: bytes) -> bool:
    """Whether a module's bytes may define an exported wrapper (before parsing it)."""
    return b"export" in raw and _BUILT_COMMAND.search(raw) is not None


def may_export_wrapper(root) -> bool:
    """Whether a top-level exported function (or one a top-level export names) holds an exec
    whose command may be built from a parameter: before a resolver is built for the module."""
    named = set()
    for statement in root.named_children:
        if statement.type != "export_statement":
            continue
        declaration = statement.child_by_field_name("declaration")
        if declaration is not None:
            if _BUILT_COMMAND.search(declaration.text):
                return True
            continue
        value = statement.child_by_field_name("value")
        if value is not None and value.type == "identifier":
            named.add(value.text)
        clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
        for spec in clause.named_children if clause is not None else ():
            name = spec.child_by_field_name("name")
            if name is not None:
                named.add(name.text)
    if not named:
        return False
    for statement in root.named_children:
        if statement.type in ("function_declaration", "lexical_declaration", "variable_declaration") and \
                _BUILT_COMMAND.search(statement.text) and any(n in statement.text for n in named):
            return True
    return False


def verdicts(ctx) -> dict:
    modules = ctx.source.modules
    return (modules or {}).get(VERDICTS) or {}


def remote_key(ctx, wrapper: Wrapper):
    """``(module path, export name)`` of an exported wrapper defined in this file, or None."""
    names = [n for n, f in exported_functions(ctx).items() if f == wrapper.function]
    return (os.path.abspath(ctx.source.path), names[0]) if len(names) == 1 else None


def verdict_for(ctx, wrapper: Wrapper):
    """The project pass's verdict on an exported wrapper defined in this file, or None."""
    key = remote_key(ctx, wrapper)
    return verdicts(ctx).get(key) if key is not None else None


def group_of(key) -> str:
    """The ``Finding.group`` of every part of one wrapper's migration."""
    return "exec-wrapper:" + "#".join(key)


def exported_functions(ctx) -> dict:
    """Export name -> function node, for the functions a module exports by ESM syntax."""
    root = ctx.tree.root_node
    found = {}
    for statement in root.named_children:
        if statement.type != "export_statement" or statement.child_by_field_name("source") is not None:
            continue
        declaration = statement.child_by_field_name("declaration")
        value = statement.child_by_field_name("value")
        default = any(c.type == "default" for c in statement.children)
        if declaration is not None and declaration.type in FUNCTION_TYPES:
            name = declaration.child_by_field_name("name")
            if default or name is not None:
                found["default" if default else name.text.decode()] = declaration
        elif declaration is not None and declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in declaration.named_children:
                name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                function = unwrap(declarator.child_by_field_name("value")) if name is not None else None
                if function is not None and function.type in FUNCTION_TYPES and name.type == "identifier":
                    found[name.text.decode()] = function
        elif default and value is not None:
            function = _function_named(ctx, unwrap(value))
            if function is not None:
                found["default"] = function
        else:
            clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
            for spec in clause.named_children if clause is not None else ():
                if spec.type != "export_specifier":
                    continue
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias") or name
                function = _function_named(ctx, name)
                if function is not None:
                    found[alias.text.decode()] = function
    return found


def _function_named(ctx, node):
    """The function a top-level name is declared as (``function f`` or ``const f = () =>``)."""
    if node is None:
        return None
    if node.type in FUNCTION_TYPES:
        return node
    if node.type != "identifier":
        return None
    binding = ctx.resolver.lookup_name(node.text.decode(), ctx.tree.root_node)
    if binding is None:
        return None
    if binding.kind == "function":
        return binding.declarator
    value = unwrap(binding.value) if binding.kind == "const" and not binding.path else None
    return value if value is not None and value.type in FUNCTION_TYPES else None


def function_wrapper(ctx, function):
    """``(wrapper, command, analysis, index, target)`` when ``function`` hands a parameter to
    a v0 exec's command as words, else None."""
    stack = list(function.named_children)
    while stack:
        node = stack.pop()
        if node.type in FUNCTION_TYPES:
            continue
        stack.extend(node.named_children)
        if node.type != "call_expression":
            continue
        callee = unwrap(node.child_by_field_name("function"))
        prop = callee.child_by_field_name("property") if callee is not None and callee.type == "member_expression" else None
        target = EXEC_METHODS.get(prop.text.decode()) if prop is not None else None
        args = arguments_of(node)
        if target is None or len(args) != 1:
            continue
        receiver = ctx.resolver.kind(callee.child_by_field_name("object"))
        if receiver is not (Kind.BACKEND if target == VM else Kind.CLIENT):
            continue  # not the v0 client: its rules report nothing here either
        found = _analyse(ctx, args[0], node)
        if found is None:
            continue
        command, analysis, binding, index = found
        if binding.scope != function:
            continue
        wrapper = describe(ctx, binding, analysis, index)
        if not wrapper.name:
            return None  # a callback: see plan()
        return wrapper, command, analysis, index, target
    return None


def summary_wrappers(ctx) -> dict:
    """Export name -> ExecWrapper for the module's exported wrappers (its summary adds them)."""
    path = os.path.abspath(ctx.source.path)
    return {name: ExecWrapper(path, name) for name, function in exported_functions(ctx).items()
            if function_wrapper(ctx, function) is not None}


def wrappers_in(modules) -> set:
    """The exported wrappers a file's imports hand it (through barrels and namespaces too)."""
    found, seen = set(), set()
    stack = [v for k, v in (modules or {}).items() if k != VERDICTS]
    while stack:
        value = stack.pop()
        if isinstance(value, ExecWrapper):
            found.add(value)
        elif hasattr(value, "names") and id(value) not in seen:
            seen.add(id(value))
            stack.extend(kind for _, kind in value.names)
            if value.whole is not None:
                stack.append(value.whole)
    return found


def calls_of(ctx, target: ExecWrapper, wrapper: Wrapper, exec_target: str, path: str = "") -> list:
    """Every use in this (importing) module of the exported wrapper ``target``: calls, and
    uses that are not calls (which stop the migration)."""
    sites = []
    resolver = ctx.resolver
    for bindings in list(resolver.scopes.values()):
        for binding in list(bindings.values()):
            if binding.kind not in ("import", "const", "let", "var"):
                continue
            kind = resolver.binding_kind(binding)
            if kind == target:
                for reference in resolver.references_to(binding):
                    if _exported(reference):
                        continue  # re-exported: its importers are found through this module
                    call = reference.parent
                    if call is not None and call.type == "call_expression" and \
                            call.child_by_field_name("function") == reference:
                        sites.append(_site(ctx, wrapper, call, exec_target, path))
                    else:
                        sites.append(_remote_use(ctx, reference, path))
            elif hasattr(kind, "names") and target in wrappers_in({"": kind}):
                for reference in resolver.references_to(binding):
                    member = reference.parent
                    prop = member.child_by_field_name("property") if member is not None and \
                        member.type == "member_expression" else None
                    if prop is None:
                        if not _exported(reference):
                            sites.append(_remote_use(ctx, reference, path, "the module is passed on whole here"))
                        continue
                    if resolver.kind(member) != target:
                        continue
                    call = member.parent
                    if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == member:
                        sites.append(_site(ctx, wrapper, call, exec_target, path))
                    else:
                        sites.append(_remote_use(ctx, member, path))
    return sorted(sites, key=lambda s: s.line)


def _remote_use(ctx, node, path: str, reason: str = "it is used as a value here, not called") -> Site:
    site = _use(ctx, node, reason)
    site.path = path
    return site


def project_verdicts(files: dict, context_of, explicit: set) -> dict:
    """The verdict on every exported wrapper the run's files call, for each file involved.

    ``files`` maps each JavaScript file of the run to its ``modules``; ``context_of(path)``
    parses one (a JsContext, or None); ``explicit`` are the files named on the command line
    (a run of named files does not see every importer). Returns ``{path: {(module, name):
    Verdict}}`` for the defining modules and the importers."""
    importers: dict = {}
    for path, modules in files.items():
        for target in wrappers_in(modules):
            importers.setdefault(target, []).append(path)
    result: dict = {}
    by_abspath = {os.path.abspath(p): p for p in files}
    for target, paths in sorted(importers.items(), key=lambda kv: (kv[0].path, kv[0].name)):
        defining = by_abspath.get(target.path)
        verdict = _verdict(target, defining, sorted(paths), context_of, explicit)
        for path in ([defining] if defining is not None else []) + paths:
            result.setdefault(path, {})[(target.path, target.name)] = verdict
    return result


def _verdict(target: ExecWrapper, defining, paths, context_of, explicit) -> Verdict:
    if defining is None:
        return Verdict(REFUSE, "the module defining it is not part of this run")
    if defining in explicit or any(p in explicit for p in paths):
        return Verdict(REFUSE, "files were named on the command line, so this run does not see every module that "
                               "calls it; run `ddmigrate` on the whole extension")
    ctx = context_of(defining)
    function = exported_functions(ctx).get(target.name) if ctx is not None else None
    found = function_wrapper(ctx, function) if function is not None else None
    if found is None:
        return Verdict(REFUSE, "it could not be read again")
    wrapper, command, analysis, index, exec_target = found
    if wrapper.reason is None:
        _find_sites(ctx, wrapper, exec_target)
    local = len(wrapper.sites)
    calling = []
    home = os.path.dirname(os.path.abspath(defining))
    for path in paths:
        shown = os.path.relpath(os.path.abspath(path), home)  # as seen from the wrapper's module
        importer = context_of(path)
        if importer is None:
            return Verdict(REFUSE, f"{shown} calls it, and calls are not rewritten in that kind of file")
        sites = calls_of(importer, target, wrapper, exec_target, shown)
        if sites:
            calling.append((path, len(sites)))
        wrapper.sites.extend(sites)
    why = decide(ctx, wrapper, command, analysis, index)
    if why is SINGLE:
        return Verdict(SINGLE)
    if why:
        return Verdict(REFUSE, why)
    notes = tuple(dict.fromkeys(n for s in wrapper.sites for n in s.notes))
    return Verdict(MIGRATE, notes=notes, calls=len(wrapper.sites) - local,
                   files=(defining, *(p for p, _ in calling)), parts=(1, *(n for _, n in calling)),
                   position=wrapper.position, program=wrapper.program, target=exec_target)


def shape_of(verdict: Verdict) -> Wrapper:
    """The wrapper as its callers in other modules need it: where its parameter is."""
    return Wrapper(None, "", None, verdict.position, verdict.program)
