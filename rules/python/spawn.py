"""python-spawn: the shim's ``spawn*(cmd, args, callback)`` to ``cli.exec(cmd, args, stream=...)``."""

from __future__ import annotations

from migrator.core.lazy import LazyModule

cst = LazyModule("libcst")
cst_metadata = LazyModule("libcst.metadata")
pyindex = LazyModule("migrator.python.index")

from migrator.core.model import Applicability, Edit
from migrator.core.rule import Invalid, Valid
from migrator.migration.spawn import member_callback_note
from migrator.migration.table import python_names
from migrator.python.rule import PythonRule

CALLS = python_names("spawn")  # method (either spelling) -> its v0-to-v1 table entry
CALLBACK_NAMES = ("handle_output", "handle_exec_output", "on_spawn_output",
                  *(f"handle_output_{n}" for n in range(2, 100)))
def _loops():
    return (cst.For, cst.While)


def _scope_nodes():
    return (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module)

PY = "example.py"
_SETUP = "from migrator.shim import DockerDesktopClient\n\nclient = DockerDesktopClient.from_metadata('metadata.json')\n"


class PythonSpawn(PythonRule):
    """Python: `spawn*(cmd, args, callback)` moves to `cli.exec(cmd, args, stream=...)`

    ## What it does
    Rewrites the shim's deprecated streaming calls to the v1 `exec` with `stream=`:
    `client.backend.spawnInVMExtension(cmd, args, callback)` (and `spawn_in_vm_extension`) to
    `client.extension.vm.cli.exec(cmd, args, stream=...)`, `client.spawnHostCmd` /
    `spawn_host_cmd` to `client.extension.host.cli.exec(...)`, and `client.spawnDockerCmd` /
    `spawn_docker_cmd` to `client.docker.cli.exec(...)`.

    The v0 callback got `{"stdout": ...}` or `{"stderr": ...}` chunks, `{"code": n}` when the
    process ended, and the error as its second argument. The fix keeps the callback and calls
    it with the same shapes from the three handlers of a `stream` mapping (`on_output`,
    `on_error`, `on_close`), exactly as the shim did. A named callback keeps its name; a
    `lambda` is first turned into a function defined just before the statement
    (`handle_output`). The call returns the same `ExecProcess` (with `close()` and `wait()`) as
    before.

    ## Why is this bad?
    These are the shim's copies of v0 API names, which Docker deprecated: each call warns, and
    the names go away with the v0 API.

    ## Example
    ```python
    def on_log(data, error):
        print(data, error)

    process = client.spawnHostCmd("kubectl", ["get", "pods", "-w"], on_log)
    ```

    ## Use instead
    ```python
    def on_log(data, error):
        print(data, error)

    process = client.extension.host.cli.exec("kubectl", ["get", "pods", "-w"], stream={
        "on_output": lambda data: on_log(data, None),
        "on_error": lambda error: on_log(None, error),
        "on_close": lambda exit_code: on_log({"code": exit_code}, None),
    })
    ```

    ## Fix safety
    Safe when the callback is a name bound once in its scope (a function, a parameter, an
    import, a variable assigned once outside a loop) or a two-parameter `lambda` in a
    statement of its own. Unsafe when the callback is an attribute (`self.on_log`) or a
    name assigned more than once or in a loop: the handlers look it up when output arrives,
    not once when the command starts. Any other expression (a call, a subscript) is reported
    without a fix: name it first.

    The command and its arguments are not inspected (unlike the JavaScript spawn rules): the
    shim's spawn names passed them to v1 `cli.exec(cmd, args)` unchanged, with no shell, so
    the rewrite runs exactly what ran before; a pipe or a quoted value in an argument already
    reached the program as text.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    """

    code = "DD503"
    name = "python-spawn"
    fixable = "sometimes"

    def check_module(self, ctx, index):
        taken: set[str] = set()  # names given to hoisted callbacks in this pass: each its own
        for member, entry in pyindex.table_members(index, CALLS):
            path = entry.v1
            message = f"`{member.shown(index)}` is deprecated; use `{path}(cmd, args, stream=...)`{pyindex.via_note(index, member)}"
            edits, reason = pyindex.receiver_edits(index, member, path)
            applicability = Applicability.SAFE
            bound = pyindex.bind_arguments(member.call, ("cmd", "args", "callback"))
            if not reason and (bound is None or len(bound) != 3):
                reason = "expected a command, its arguments and a callback"
            if not reason:
                stream, applicability, note, reason = callback_edits(index, member.call, bound["callback"], taken)
                edits = edits + stream
                message += f" ({note})" if note else ""
            start, end = index.span(member.call)
            yield ctx.finding_at(self, start, end, message, edits=() if reason else edits,
                                 applicability=applicability, no_fix_reason=reason)

    valid = (
        Valid(_SETUP + "client.extension.host.cli.exec('kubectl', [], stream={'on_output': print})\n", filename=PY),
        Valid("import migrator.shim\n\n\nclass Pool:\n    def spawnHostCmd(self, cmd, args, cb):\n        pass\n\n\n"
              "Pool().spawnHostCmd('kubectl', [], print)\n", filename=PY),
        Valid("import migrator.shim\n\n\ndef follow(client, cb):\n    client.spawnDockerCmd('logs', ['-f'], cb)\n",
              filename=PY),
        Valid("from migrator_testing import DockerDesktopClient\n\n"
              "DockerDesktopClient().backend.spawnInVMExtension('tail', [], print)\n", filename=PY),
    )

    invalid = (
        Invalid(
            _SETUP + "\n\ndef on_log(data, error):\n    print(data, error)\n\n\n"
            "process = client.spawnHostCmd('kubectl', ['get', 'pods', '-w'], on_log)\n",
            _SETUP + "\n\ndef on_log(data, error):\n    print(data, error)\n\n\n"
            "process = client.extension.host.cli.exec('kubectl', ['get', 'pods', '-w'], stream={\n"
            "    'on_output': lambda data: on_log(data, None),\n"
            "    'on_error': lambda error: on_log(None, error),\n"
            "    'on_close': lambda exit_code: on_log({'code': exit_code}, None),\n"
            "})\n",
            filename=PY,
        ),
        # An inline lambda becomes a function defined just before the statement.
        Invalid(
            _SETUP + "\n\ndef follow(lines):\n    return client.backend.spawnInVMExtension(\n"
            "        'tail', ['-f', '/var/log/app.log'],\n        lambda data, error: lines.append(data),\n    )\n",
            _SETUP + "\n\ndef follow(lines):\n    def handle_output(data, error):\n        return lines.append(data)\n"
            "    return client.extension.vm.cli.exec(\n"
            "        'tail', ['-f', '/var/log/app.log'],\n        stream={\n"
            "            'on_output': lambda data: handle_output(data, None),\n"
            "            'on_error': lambda error: handle_output(None, error),\n"
            "            'on_close': lambda exit_code: handle_output({'code': exit_code}, None),\n"
            "        },\n    )\n",
            filename=PY,
        ),
        # Keywords, a callback named like a handler parameter, snake_case names.
        Invalid(
            _SETUP + "def stream_logs(cid: str, data):\n"
            "    client.spawn_docker_cmd(cmd='logs', args=['-f', cid], callback=data)\n",
            _SETUP + "def stream_logs(cid: str, data):\n"
            "    client.docker.cli.exec(cmd='logs', args=['-f', cid], stream={\n"
            "        'on_output': lambda data_: data(data_, None),\n"
            "        'on_error': lambda error: data(None, error),\n"
            "        'on_close': lambda exit_code: data({'code': exit_code}, None),\n"
            "    })\n",
            filename=PY,
        ),
        # An attribute is looked up when output arrives: unsafe.
        Invalid(
            _SETUP + "class Logs:\n    def start(self):\n        client.spawnDockerCmd('logs', ['-f', self.id], self.on_logs)\n",
            _SETUP + "class Logs:\n    def start(self):\n        client.docker.cli.exec('logs', ['-f', self.id], stream={\n"
            "            'on_output': lambda data: self.on_logs(data, None),\n"
            "            'on_error': lambda error: self.on_logs(None, error),\n"
            "            'on_close': lambda exit_code: self.on_logs({'code': exit_code}, None),\n"
            "        })\n",
            filename=PY, unsafe=True,
        ),
        # So is a name rebound in a loop.
        Invalid(
            _SETUP + "for cb in callbacks:\n    client.spawnHostCmd('kubectl', [], cb)\n",
            filename=PY, fix="unsafe",
        ),
        Invalid(_SETUP + "client.spawnHostCmd('kubectl', [], make_handler())\n", filename=PY),
        Invalid(_SETUP + "client.spawnHostCmd('kubectl', [])\n", filename=PY),
    )


def stream_source(index, callee: str, indent: str) -> str:
    """The ``stream=`` argument calling ``callee`` with the v0 shapes, as the shim's v0 names did."""
    q, unit, nl = index.preferred_quote(), index.indent_unit(), index.newline()
    root = callee.split(".")[0]
    data, error, code = (_parameter(name, root) for name in ("data", "error", "exit_code"))
    inner = indent + unit
    return (
        f"stream={{{nl}"
        f"{inner}{q}on_output{q}: lambda {data}: {callee}({data}, None),{nl}"
        f"{inner}{q}on_error{q}: lambda {error}: {callee}(None, {error}),{nl}"
        f"{inner}{q}on_close{q}: lambda {code}: {callee}({{{q}code{q}: {code}}}, None),{nl}"
        f"{indent}}}"
    )


def _parameter(name: str, taken: str) -> str:
    while name == taken:
        name += "_"
    return name


def callback_edits(index, call, arg: cst.Arg, taken: set[str]):
    """(edits, applicability, note, reason) replacing the callback argument by ``stream=``."""
    value = arg.value
    indent = index.line_indent(index.span(arg)[0])
    start, end = index.span(arg)
    if isinstance(value, cst.Name):
        edits = [Edit(start, end, stream_source(index, value.value, indent))]
        why = _rebound(index, value)
        if why:
            return edits, Applicability.UNSAFE, why, None
        return edits, Applicability.SAFE, "", None
    if _is_attribute_chain(value):
        source = index.text(value)
        edits = [Edit(start, end, stream_source(index, source, indent))]
        return edits, Applicability.UNSAFE, member_callback_note(source), None
    if isinstance(value, cst.Lambda):
        return _hoisted(index, call, arg, value, indent, taken)
    return [], Applicability.SAFE, "", ("the callback is an expression that cannot be repeated in each handler; "
                                        "assign it to a name first")


def _rebound(index, name: cst.Name) -> str:
    """Why the handlers might see another value than the one passed, or ''."""
    assignments = index.bindings(name)
    if assignments is None:
        return f"`{name.value}` is not defined in this file; the handlers look it up when they run"
    if len(assignments) != 1:
        return (f"`{name.value}` is assigned more than once, and the handlers look it up when they run, "
                "not when the command starts")
    assignment = assignments[0]
    if isinstance(assignment, cst_metadata.BuiltinAssignment):
        return ""
    if isinstance(assignment, (cst_metadata.Assignment, cst_metadata.ImportAssignment)) and _in_loop(index, assignment.node):
        return (f"`{name.value}` is rebound by a loop, and the handlers look it up when they run, "
                "not when the command starts")
    return ""


def _in_loop(index, node) -> bool:
    current = index.parents.get(node)
    while current is not None and not isinstance(current, _scope_nodes()):
        if isinstance(current, _loops()):
            return True
        current = index.parents.get(current)
    return False


def _is_attribute_chain(expr) -> bool:
    if not isinstance(expr, cst.Attribute):
        return False
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name)


def _hoisted(index, call, arg, lam: cst.Lambda, indent: str, taken: set[str]):
    """Define the lambda as a function just before the statement, and call it from the handlers."""
    params = lam.params
    plain = (len(params.params) == 2 and not params.posonly_params and not params.kwonly_params
             and not isinstance(params.star_arg, cst.Param) and params.star_kwarg is None
             and all(p.default is None for p in params.params))
    if not plain:
        return [], Applicability.SAFE, "", "the inline callback does not take exactly `(data, error)`; name it first"
    statement = call
    while statement is not None and not isinstance(statement, cst.SimpleStatementLine):
        statement = index.parents.get(statement)
    block = index.parents.get(statement) if statement is not None else None
    scope = index.scopes.get(call)
    if (not isinstance(block, (cst.IndentedBlock, cst.Module)) or scope is None
            or index.scopes.get(statement) is not scope or isinstance(scope, cst_metadata.ClassScope)):
        return [], Applicability.SAFE, "", ("the inline callback is not in a statement of its own in a function "
                                            "or module, so it cannot be named before it; name it first")
    name = next((n for n in CALLBACK_NAMES if n not in taken and index.name_is_free(n)), None)
    if name is None:
        return [], Applicability.SAFE, "", "no free name for the callback; name it first"
    taken.add(name)
    start = index.span(statement)[0]
    statement_indent = index.line_indent(start)
    nl, unit = index.newline(), index.indent_unit()
    body = index.text(lam.body, outer=True)
    if "\n" in body:
        body = f"({body})"
    definition = (f"def {name}({index.text(params)}):{nl}{statement_indent}{unit}return {body}{nl}"
                  f"{statement_indent}")
    return ([Edit(start, start, definition), Edit(*index.span(arg), stream_source(index, name, indent))],
            Applicability.SAFE, "", None)
