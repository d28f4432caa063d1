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
analyser can split (a literal, or a template whose substitutions are whole words), and the
wrapper's callers must all be in this file. Otherwise the finding names the call sites that
stop it, and there is no fix (never the single-argument rewrite, which is wrong for them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migrator.core.model import Applicability, Edit
from migrator.js.access import arguments_of
from migrator.js.command import Command, Unknown, array_source, read_command
from migrator.js.resolve import FUNCTION_TYPES, this_class, unwrap
from migrator.migration.execs import HOST, Outcome
from migrator.migration.shell import Subst, Word

EXPORTS = frozenset({"export_statement", "export_clause", "export_specifier"})


@dataclass
class Site:
    """One use of the wrapper: a call that passes a command, or why it cannot be rewritten."""

    line: int
    text: str  # the call (or use) as written, shortened
    edits: list = field(default_factory=list)
    reason: str | None = None
    notes: list = field(default_factory=list)  # why this call's rewrite is unsafe
    single: bool = False  # it passes one plain word (a literal the shell kept as it is)


@dataclass
class Wrapper:
    """A function that hands one of its parameters to a v0 exec as words of the command."""

    function: object  # the function node
    name: str  # how callers reach it
    param: object  # the parameter's binding
    position: int  # its index among the parameters
    program: bool  # whether it is the command's first word (the program)
    sites: list = field(default_factory=list)
    reason: str | None = None  # why its callers cannot all be found
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


def plan(ctx, rule, message: str, cmd_node, call, target: str, build_edits) -> Outcome | None:
    """The finding for a v0 exec inside a wrapper, or None when the command is not a
    wrapper's (the exec rules then plan it as usual)."""
    command = _parameter_command(ctx, cmd_node)
    if command is None:
        try:
            command = read_command(ctx, cmd_node)
        except Unknown:
            return None
    analysis = command.analysis
    if analysis.syntax_errors or analysis.operators or analysis.expansions or analysis.substitution_problems:
        return None  # reported as a shell command line, wrapper or not
    found = parameter_substitution(ctx, command, call)
    if found is None:
        return None
    binding, index = found
    shown = f"`{binding.name}`"
    wrapper = describe(ctx, binding, analysis, index)
    if wrapper.reason is None:
        _find_sites(ctx, wrapper, target)
    if wrapper.reason is None and not wrapper.program and all(s.single for s in wrapper.sites):
        # Every caller passes one plain word (or there is no caller): the usual rewrite, the
        # parameter as one argument, gives the program what the shell gave it.
        return None
    blocked = [s for s in wrapper.sites if s.reason]
    why = (wrapper.reason or _refusal(ctx, command, analysis, binding, index) or wrapper.signature
           or "; ".join(f"line {s.line} `{s.text}`: {s.reason}" for s in blocked))
    if why:
        return Outcome(rule, message, [], no_fix_reason=(
            f"{shown} is split by the shell into several arguments, so `{wrapper.name}` and its callers must "
            f"change together, and they cannot here: {why}; make the parameter an array of arguments by hand"))
    edits = build_edits(_spliced(command, index, wrapper), _words(analysis, wrapper))
    edits += _parameter_edits(ctx, wrapper)
    for site in wrapper.sites:
        edits += site.edits
    notes = [n for s in wrapper.sites for n in s.notes]
    others = [command.shown_substitutions[i] for w in analysis.words for i in w.substs if i != index]
    if others:
        notes.append(f"{', '.join(others)} now reach{'es' if len(others) == 1 else ''} the program as "
                     "(part of) one argument: the shell also split their values")
    count = len(wrapper.sites)
    calls = ("it has no calls to change" if not count else "its call passes" if count == 1
             else f"its {count} calls pass") + (" the words as v0's shell split them" if count else "")
    shape = (f"{shown} stays the program and an `{args_name(wrapper)}` array follows it" if wrapper.program
             else f"{shown} now takes the arguments as an array")
    text = (f"{message} (`{wrapper.name}` wraps it: {shape}, and {calls}"
            + (f"; unsafe: {'; '.join(dict.fromkeys(notes))}" if notes else "") + ")")
    return Outcome(rule, text, edits, Applicability.UNSAFE if notes else Applicability.SAFE)


def _parameter_command(ctx, node):
    """The command when it is a parameter passed whole (``execHostCmd(cmd)``): one substitution."""
    expression = unwrap(node)
    if expression is None or expression.type != "identifier":
        return None
    binding = ctx.resolver.lookup(expression)
    if binding is None or binding.kind != "param":
        return None
    return Command(node=node, segments=[Subst(0)], substitutions=[expression], quote=ctx.preferred_quote(), ctx=ctx)


def _refusal(ctx, command, analysis, binding, index) -> str | None:
    """Why the command's use of the parameter cannot take an array of words, or None."""
    shown = f"`${{{binding.name}}}`"
    word = next(w for w in analysis.words if index in w.substs)
    if list(word.parts) != [Subst(index)]:
        return f"{shown} is part of a longer word, so the words its callers pass cannot be told apart from the rest"
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
    program = analysis.words[0].parts == (Subst(index),)
    wrapper = Wrapper(function, "this function", binding, position, program)
    name, reason = _name(ctx, function)
    if name is not None:
        wrapper.name = name
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
    if function.type in ("function_declaration", "generator_function_declaration"):
        name = function.child_by_field_name("name")
        return name.text.decode(), None
    if function.type == "method_definition":
        name = function.child_by_field_name("name")
        body = function.parent
        if name is None or name.type not in ("property_identifier", "private_property_identifier") \
                or body is None or body.type != "class_body":
            return None, "it is a method of an object literal, whose callers are not followed"
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
    if _exported(declared):
        wrapper.reason = "it is exported, and its callers in other modules are not rewritten with it"
        return
    for reference in ctx.resolver.references_to(binding):
        if _exported(reference):
            wrapper.reason = "it is exported, and its callers in other modules are not rewritten with it"
            return
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


def _private(method) -> bool:
    """A `private` or `#name` method: only its own class calls it, exported or not."""
    name = method.child_by_field_name("name")
    if name is not None and name.type == "private_property_identifier":
        return True
    return any(c.type == "accessibility_modifier" and c.text == b"private" for c in method.children)


def _use(ctx, node, reason: str) -> Site:
    return Site(node.start_point[0] + 1, _short(ctx.text(node)), reason=reason)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _site(ctx, wrapper: Wrapper, call, target: str) -> Site:
    site = Site(call.start_point[0] + 1, _short(ctx.text(call)))
    args = arguments_of(call)
    if any(a.type == "spread_element" for a in args[:wrapper.position + 1]):
        site.reason = "it passes a spread argument"
        return site
    if wrapper.position < 0 or wrapper.position >= len(args):
        site.reason = "it passes no command"
        return site
    argument = args[wrapper.position]
    try:
        command = read_command(ctx, argument)
    except Unknown as exc:
        site.reason = str(exc)
        return site
    if not wrapper.program:
        # The words follow the program: `a=b` there is an argument, not an assignment.
        command.segments.insert(0, "_ ")
    analysis = command.analysis
    problems = analysis.syntax_errors or analysis.operators or analysis.expansions or analysis.substitution_problems
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
        text = f"{sources[0]}, {array_source(sources[1:])}"
    else:
        text = array_source(sources)
    site.edits.append(Edit(argument.start_byte, argument.end_byte, text))
    unquoted = [command.shown_substitutions[i] for w in words for i in sorted(w.unquoted_substs)]
    if unquoted:
        one = len(unquoted) == 1
        site.notes.append(f"line {site.line} assumes {', '.join(unquoted)} {'is one word' if one else 'are one word each'}, "
                          f"where the shell split {'its value' if one else 'their values'}")
    if target == HOST and analysis.host_divergence:  # v0 ran host commands through cmd.exe on Windows
        what = ", ".join(sorted({f"`{p.text}`" for p in analysis.host_divergence}))
        site.notes.append(f"line {site.line}: on Windows cmd.exe read {what} differently; this split assumes sh")
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
        words.insert(1, Word((Subst(-1),), 0, 0))
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


def _enclosing_function(node):
    current = node.parent
    while current is not None:
        if current.type in FUNCTION_TYPES:
            return current
        current = current.parent
    return None

