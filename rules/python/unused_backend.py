"""python-unused-backend: a variable still holding the shim's deprecated backend after its uses moved on."""

from __future__ import annotations

from migrator.core.lazy import LazyModule

cst = LazyModule("libcst")
cst_metadata = LazyModule("libcst.metadata")
pyindex = LazyModule("migrator.python.index")

from migrator.core.model import Edit
from migrator.core.rule import Invalid, Valid
from migrator.python.rule import PythonRule

PY = "example.py"
_SETUP = "from migrator.shim import DockerDesktopClient\n\nclient = DockerDesktopClient.from_metadata('metadata.json')\n"


class PythonUnusedBackend(PythonRule):
    """Python: an unused variable still holds the shim's deprecated `backend`

    ## What it does
    Removes an assignment, inside a function, of the shim's deprecated backend to a variable
    (`backend = client.backend`) when nothing reads the variable any more, typically after
    the other rules moved every call to the v1 API.

    ## Why is this bad?
    `backend` belongs to the deprecated v0 API and goes away with it; the line keeps a
    deprecated name alive for nothing.

    ## Example
    ```python
    def sizes(client: DockerDesktopClient):
        backend = client.backend
        return client.extension.vm.cli.exec("du", ["-sh", "/data"])
    ```

    ## Use instead
    ```python
    def sizes(client: DockerDesktopClient):
        return client.extension.vm.cli.exec("du", ["-sh", "/data"])
    ```

    ## Fix safety
    Safe: nothing reads the variable, and reading `backend` from a client held in a variable
    has no side effect (it builds a small wrapper, and warns only when called). Variables at
    module level are left alone (another module may import them), and so is an assignment
    whose client is computed there (the computation would go too): that one is reported.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    """

    code = "DD505"
    name = "python-unused-backend"
    fixable = "safe"

    def check_module(self, ctx, index):
        for node in index.nodes:
            if not (isinstance(node, cst.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0].target, cst.Name)):
                continue
            target = node.targets[0].target
            if not isinstance(index.scopes.get(node), cst_metadata.FunctionScope) or index.kind(node.value) is not pyindex.Kind.BACKEND:
                continue
            assignments = index.scopes[node].assignments[target.value]
            if len(assignments) != 1 or any(index.uses(a) for a in assignments):
                continue
            edit, reason = _removal(index, node)
            start, end = index.span(target)
            yield ctx.finding_at(self, start, end,
                                 f"`{target.value}` holds the deprecated v0 backend and is not used; remove it",
                                 edits=[edit] if edit else (), no_fix_reason=reason)

    valid = (
        Valid(_SETUP + "backend = client.backend\n", filename=PY),
        Valid(_SETUP + "def f():\n    backend = client.backend\n    return backend\n", filename=PY),
        Valid(_SETUP + "def f(api):\n    backend = api.backend\n    return 1\n", filename=PY),
    )

    invalid = (
        Invalid(
            _SETUP + "\n\ndef sizes():\n    # the old way\n    backend = client.backend\n"
            "    return client.extension.vm.cli.exec('du', ['-sh', '/data'])\n",
            _SETUP + "\n\ndef sizes():\n    # the old way\n    return client.extension.vm.cli.exec('du', ['-sh', '/data'])\n",
        filename=PY),
        # After python-exec moves the last call to the client, the variable goes too.
        Invalid(
            _SETUP + "\n\ndef sizes():\r\n    backend = client.backend\r\n    return backend.execInVMExtension('du -sh /data')\r\n",
            _SETUP + "\n\ndef sizes():\r\n    return client.extension.vm.cli.exec('du', ['-sh', '/data'])\r\n",
            filename=PY, findings=0,
        ),
        Invalid(_SETUP + "def f():\n    b = DockerDesktopClient().backend\n    return 1\n", filename=PY),
        Invalid(_SETUP + "def f():\n    b = client.backend\n", filename=PY),
    )


def _removal(index, assign: cst.Assign) -> tuple[Edit | None, str | None]:
    value = assign.value.value  # the client, before `.backend`
    while isinstance(value, cst.Attribute):
        value = value.value
    if not isinstance(value, cst.Name):
        return None, "the client is computed in this line; remove the `.backend` part by hand"
    line = index.parents.get(assign)
    block = index.parents.get(line)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or line.trailing_whitespace.comment:
        return None, "the line holds more than this assignment; remove it by hand"
    if isinstance(block, cst.IndentedBlock) and len(block.body) == 1:
        return None, "it is the only statement of its block; remove it by hand"
    start, end = index.span(line)
    content = index.content
    line_start = content.rfind(b"\n", 0, start) + 1
    line_end = content.find(b"\n", end)
    line_end = len(content) if line_end == -1 else line_end + 1
    if content[line_start:start].strip() or content[end:line_end].strip(b" \t\r\n;"):
        return None, "the line holds more than this assignment; remove it by hand"
    return Edit(line_start, line_end, ""), None
