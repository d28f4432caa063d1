"""python-list: the shim's ``listContainers/listImages`` to ``docker.list_containers/list_images``."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.rule import Invalid, Valid
from migrator.migration.table import family, python_path
from migrator.python.rule import PythonRule

pyindex = LazyModule("migrator.python.index")

RENAMES = {name: python_path(entry.v1) for name, entry in family("docker-list").items()}

PY = "example.py"
_SETUP = "from migrator.shim import DockerDesktopClient\n\nclient = DockerDesktopClient.from_metadata('metadata.json')\n"


class PythonList(PythonRule):
    """Python: `listContainers/listImages` move to `docker.list_containers/list_images`

    ## What it does
    Moves `client.listContainers(options)` and `client.listImages(options)` of the Python client
    in `migrator.shim` to `client.docker.list_containers(options)` and
    `client.docker.list_images(options)`, called or handed on as a bound method.

    ## Why is this bad?
    These are the shim's copies of v0 API names, which Docker deprecated: each call warns, and
    the names go away with the v0 API. The v1 methods live on `client.docker`.

    ## Example
    ```python
    running = client.listContainers({"filters": {"status": ["running"]}})
    ```

    ## Use instead
    ```python
    running = client.docker.list_containers({"filters": {"status": ["running"]}})
    ```

    ## Fix safety
    Safe: the shim's v0 methods call these with the same argument.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/
    - https://docs.docker.com/reference/api/extensions-sdk/Docker/
    """

    code = "DD504"
    name = "python-list"
    fixable = "safe"

    def check_module(self, ctx, index):
        for member in pyindex.members(index, RENAMES, pyindex.Kind.CLIENT, calls_only=False):
            new = RENAMES[member.method.value]
            called = "()" if member.call is not None else ""
            message = f"`{member.shown(index)}` is deprecated; use `{new}{called}`"
            edits, reason = pyindex.receiver_edits(index, member, new)
            start, end = index.span(member.reported)
            yield ctx.finding_at(self, start, end, message, edits=edits, no_fix_reason=reason)

    valid = (
        Valid(_SETUP + "client.docker.list_containers({'all': True})\n", filename=PY),
        Valid("import migrator.shim\nimport docker\n\ndocker.from_env().listContainers()\n", filename=PY),
        Valid(_SETUP + "def images(c):\n    return c.listImages()\n", filename=PY),
    )

    invalid = (
        Invalid(
            _SETUP + "running = client.listContainers({'filters': {'status': ['running']}})\nimages = client.listImages()\n",
            _SETUP + "running = client.docker.list_containers({'filters': {'status': ['running']}})\n"
            "images = client.docker.list_images()\n",
            filename=PY, findings=2,
        ),
        Invalid(
            "from migrator.shim import DockerDesktopClient as Client\n\n\n"
            "def names(c: Client, lister=None):\n    lister = c.listImages\n    return [i['Repository'] for i in lister(options={'all': True})]\n",
            "from migrator.shim import DockerDesktopClient as Client\n\n\n"
            "def names(c: Client, lister=None):\n    lister = c.docker.list_images\n    return [i['Repository'] for i in lister(options={'all': True})]\n",
            filename=PY,
        ),
    )
