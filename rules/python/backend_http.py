"""python-backend-http: ``client.backend.get/post/...`` to ``client.extension.vm.service`` in Python."""

from __future__ import annotations

from migrator.core.lazy import LazyModule

cst = LazyModule("libcst")
cst_metadata = LazyModule("libcst.metadata")
pyindex = LazyModule("migrator.python.index")

from migrator.core.model import Edit
from migrator.core.rule import Invalid, Valid
from migrator.migration.table import HTTP_METHODS, SERVICE
from migrator.python.rule import PythonRule

PY = "example.py"
_IMPORT = "from migrator.shim import DockerDesktopClient\n"


class PythonBackendHttp(PythonRule):
    """Python: `client.backend` HTTP calls move to `client.extension.vm.service`

    ## What it does
    Finds HTTP calls to the extension's backend made through the deprecated `backend` object of
    the Python client in `migrator.shim` (`get`, `post`, `put`, `patch`, `delete`, `head` and
    `request`) and moves them to `extension.vm.service`, the v1 name.

    ## Why is this bad?
    `client.backend` is the shim's copy of the v0 API, which Docker deprecated. Every call
    emits a `DeprecationWarning`, and the name goes away with the v0 API. The v1
    `extension.vm.service` takes the same arguments and returns the same values.

    The client is recognised through imports and aliases, with LibCST's scope analysis:
    `DockerDesktopClient(...)` and `DockerDesktopClient.from_metadata(...)` however the class
    was imported (`from migrator.shim import DockerDesktopClient as C`,
    `import migrator.shim as shim`), `with ... as client`, variables every assignment of which
    is a client, functions annotated `-> DockerDesktopClient`, and parameters annotated with
    the class (also `Optional[...]`). Unannotated parameters (a pytest fixture named `client`,
    say) and attributes such as `self.client` are not: annotate them to have them migrated.
    An object of another class with a `backend` attribute is never touched.

    When the backend was stored in a variable of a function (`b = client.backend`) and every
    use of the variable is an HTTP call, the assignment is rewritten
    (`b = client.extension.vm.service`) and the calls stay as they are. Otherwise (the variable
    is used for more, or lives at module level, where other modules may import it) each call
    goes through the client again, when the client's variable holds the same client wherever
    the call is; if not, the call is reported without a fix, with the reason.

    ## Example
    ```python
    client = DockerDesktopClient.from_metadata("metadata.json")
    items = client.backend.get("/items")
    ```

    ## Use instead
    ```python
    client = DockerDesktopClient.from_metadata("metadata.json")
    items = client.extension.vm.service.get("/items")
    ```

    ## Fix safety
    Safe: the shim's `backend` methods call `extension.vm.service` with the same arguments,
    so the result, the errors and the timeouts are the same; only the warning goes away.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/HttpService/
    """

    code = "DD501"
    name = "python-backend-http"
    fixable = "safe"

    def check_module(self, ctx, index):
        for member in pyindex.members(index, HTTP_METHODS, pyindex.Kind.BACKEND, calls_only=False):
            method = member.method.value
            called = "()" if member.call is not None else ""
            message = (f"`{member.shown(index)}` uses the deprecated v0 backend; "
                       f"use `{SERVICE}.{method}{called}`{pyindex.via_note(index, member)}")
            if member.via is None:
                edits, reason = pyindex.receiver_edits(index, member, f"{SERVICE}.{method}")
            else:
                edits, reason = _through_variable(index, member, method)
            start, end = index.span(member.reported)
            yield ctx.finding_at(self, start, end, message, edits=edits, no_fix_reason=reason)

    valid = (
        # Look-alikes: other objects with a `backend` attribute.
        Valid(_IMPORT + "class Api:\n    backend = requests.Session()\n\nApi().backend.get('/x')\n"
              "api = Api()\napi.backend.post('/x', {})\n", filename=PY),
        Valid("import migrator.shim\nfrom fake import DockerDesktopClient\n\nDockerDesktopClient().backend.get('/x')\n",
              filename=PY),
        Valid("from migrator_extras.shim import DockerDesktopClient\nDockerDesktopClient().backend.get('/x')\n",
              filename=PY),
        # The shim's class, shadowed or rebound.
        Valid(_IMPORT + "DockerDesktopClient = FakeClient\nDockerDesktopClient().backend.get('/x')\n", filename=PY),
        Valid(_IMPORT + "def f():\n    class DockerDesktopClient:\n        backend = None\n"
              "    DockerDesktopClient().backend.get('/x')\n", filename=PY),
        # A variable that may hold something else.
        Valid(_IMPORT + "client = DockerDesktopClient()\nclient = FakeClient()\nclient.backend.get('/x')\n", filename=PY),
        Valid(_IMPORT + "client = DockerDesktopClient()\nfor client in fakes:\n    client.backend.get('/x')\n",
              filename=PY),
        # Unannotated parameters and attributes are not resolved (be explicit: annotate them).
        Valid(_IMPORT + "def fetch(client):\n    return client.backend.get('/x')\n", filename=PY),
        Valid(_IMPORT + "class T:\n    def setUp(self):\n        self.client = DockerDesktopClient()\n\n"
              "    def test(self):\n        self.client.backend.get('/x')\n", filename=PY),
        # Already migrated; text in comments and strings.
        Valid(_IMPORT + "client = DockerDesktopClient()\nclient.extension.vm.service.get('/x')\n"
              "# client.backend.get('/x')\ns = \"client.backend.get('/x')\"\n", filename=PY),
    )

    invalid = (
        Invalid(
            _IMPORT + "\nclient = DockerDesktopClient.from_metadata(\"metadata.json\")\nitems = client.backend.get(\"/items\")\n",
            _IMPORT + "\nclient = DockerDesktopClient.from_metadata(\"metadata.json\")\n"
            "items = client.extension.vm.service.get(\"/items\")\n",
            filename=PY,
        ),
        # Aliased import.
        Invalid(
            "from migrator.shim import DockerDesktopClient as C\n\nclient = C(socket_path='/run/guest-services/x.sock')\n"
            "client.backend.post('/items', {'name': 'a'})\n",
            "from migrator.shim import DockerDesktopClient as C\n\nclient = C(socket_path='/run/guest-services/x.sock')\n"
            "client.extension.vm.service.post('/items', {'name': 'a'})\n",
            filename=PY,
        ),
        # Module imports, a client never stored, and `with`.
        Invalid(
            "import migrator.shim as shim\n\nshim.DockerDesktopClient(base_url='http://127.0.0.1:8080').backend.delete('/items/1')\n",
            "import migrator.shim as shim\n\nshim.DockerDesktopClient(base_url='http://127.0.0.1:8080').extension.vm.service.delete('/items/1')\n",
            filename=PY,
        ),
        Invalid(
            "from migrator import shim\n\nwith shim.DockerDesktopClient.from_metadata('metadata.json') as client:\n"
            "    client.backend.put('/x', 1)\n    client.backend.request({'url': '/y', 'method': 'GET'})\n",
            "from migrator import shim\n\nwith shim.DockerDesktopClient.from_metadata('metadata.json') as client:\n"
            "    client.extension.vm.service.put('/x', 1)\n    client.extension.vm.service.request({'url': '/y', 'method': 'GET'})\n",
            filename=PY, findings=2,
        ),
        # A client passed into a function: the parameter is annotated with the shim's class.
        Invalid(
            _IMPORT + "\n\ndef fetch_state(client: DockerDesktopClient) -> dict:\n    return client.backend.get('/state')\n",
            _IMPORT + "\n\ndef fetch_state(client: DockerDesktopClient) -> dict:\n    return client.extension.vm.service.get('/state')\n",
            filename=PY,
        ),
        Invalid(
            "import migrator.shim\n\n\ndef ping(client: migrator.shim.DockerDesktopClient | None):\n"
            "    client.backend.head('/health')\n",
            "import migrator.shim\n\n\ndef ping(client: migrator.shim.DockerDesktopClient | None):\n"
            "    client.extension.vm.service.head('/health')\n",
            filename=PY,
        ),
        Invalid(
            "from typing import TYPE_CHECKING, Optional\n\nif TYPE_CHECKING:\n    from migrator.shim import DockerDesktopClient\n\n\n"
            "def ping(client: Optional[\"DockerDesktopClient\"], other: \"DockerDesktopClient\"):\n"
            "    client.backend.head('/health')\n    other.backend.head('/health')\n",
            "from typing import TYPE_CHECKING, Optional\n\nif TYPE_CHECKING:\n    from migrator.shim import DockerDesktopClient\n\n\n"
            "def ping(client: Optional[\"DockerDesktopClient\"], other: \"DockerDesktopClient\"):\n"
            "    client.extension.vm.service.head('/health')\n    other.extension.vm.service.head('/health')\n",
            filename=PY, findings=2,
        ),
        # A factory annotated with the class; a module-level client used in a function.
        Invalid(
            _IMPORT + "\n\ndef make_client() -> DockerDesktopClient:\n    return DockerDesktopClient.from_metadata('m.json')\n\n\n"
            "CLIENT = make_client()\n\n\ndef test_items():\n    assert CLIENT.backend.get('/items') == []\n",
            _IMPORT + "\n\ndef make_client() -> DockerDesktopClient:\n    return DockerDesktopClient.from_metadata('m.json')\n\n\n"
            "CLIENT = make_client()\n\n\ndef test_items():\n    assert CLIENT.extension.vm.service.get('/items') == []\n",
            filename=PY,
        ),
        # Chains over lines keep their layout and comments; CRLF stays.
        Invalid(
            _IMPORT.replace("\n", "\r\n") + "client = DockerDesktopClient()\r\nhello = (\r\n    client.backend  # the old way\r\n"
            "    .get('/hello')\r\n)\r\n",
            _IMPORT.replace("\n", "\r\n") + "client = DockerDesktopClient()\r\nhello = (\r\n    client.extension.vm.service  # the old way\r\n"
            "    .get('/hello')\r\n)\r\n",
            filename=PY,
        ),
        # The backend stored in a variable: the assignment moves, the calls stay.
        Invalid(
            _IMPORT + "\n\ndef sync(client: DockerDesktopClient):\n    b = client.backend\n    b.get('/a')\n"
            "    return b.post('/b', {})\n",
            _IMPORT + "\n\ndef sync(client: DockerDesktopClient):\n    b = client.extension.vm.service\n    b.get('/a')\n"
            "    return b.post('/b', {})\n",
            filename=PY, findings=2,
        ),
        # At module level other modules may import `b`: the calls go through the client.
        Invalid(
            _IMPORT + "client = DockerDesktopClient()\nb = client.backend\nb.get('/a')\n",
            _IMPORT + "client = DockerDesktopClient()\nb = client.backend\nclient.extension.vm.service.get('/a')\n",
            filename=PY,
        ),
        # ... and when the variable is also used otherwise, the call goes through the client.
        Invalid(
            _IMPORT + "client = DockerDesktopClient()\nb = client.backend\nb.get('/a')\nhelpers.use(b)\n",
            _IMPORT + "client = DockerDesktopClient()\nb = client.backend\nclient.extension.vm.service.get('/a')\nhelpers.use(b)\n",
            filename=PY,
        ),
        # A bound method handed on.
        Invalid(
            _IMPORT + "fetch = DockerDesktopClient().backend.get\n",
            _IMPORT + "fetch = DockerDesktopClient().extension.vm.service.get\n",
            filename=PY,
        ),
        # No client to go through: reported without a fix.
        Invalid("from migrator.shim import BackendV0\n\n\ndef load(backend: BackendV0):\n    return backend.get('/x')\n",
                filename=PY),
        Invalid(
            _IMPORT + "client = DockerDesktopClient()\nb = client.backend\nclient = DockerDesktopClient(base_url=URL)\n"
            "b.get('/a')\nhelpers.use(b)\n",
            filename=PY,
        ),
    )


def _through_variable(index, member, method):
    """Edits for ``b.<method>`` where ``b = <client>.backend``: move the assignment when ``b`` is
    local to a function and every use of it is an HTTP method, else go through the client again."""
    declared = index.backend_declaration(member.via)
    if declared is not None:
        assignment, value = declared
        # A module-level variable may be imported elsewhere, for more than HTTP calls.
        local = isinstance(assignment.scope, cst_metadata.FunctionScope)
        if local and all(_is_http_use(index, use) for use in index.uses(assignment)):
            return [Edit(*index.span(value.attr), SERVICE)], None
    edits, reason = pyindex.receiver_edits(index, member, f"{SERVICE}.{method}")
    if reason and declared is not None:
        reason = f"`{member.via.value}` is also used for more than HTTP calls, and {reason}"
    return edits, reason


def _is_http_use(index, name: cst.Name) -> bool:
    parent = index.parents.get(name)
    return isinstance(parent, cst.Attribute) and parent.value is name and parent.attr.value in HTTP_METHODS
