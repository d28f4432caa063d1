"""python-shell-expansion: a shim exec command string that relies on the shell expanding something."""

from __future__ import annotations

from migrator.core.rule import Invalid, Valid
from migrator.migration.table import PYTHON_EXPANSION
from migrator.python.rule import PythonRule

PY = "example.py"
_SETUP = "from migrator.shim import DockerDesktopClient\n\nclient = DockerDesktopClient.from_metadata('metadata.json')\n"


class PythonShellExpansion(PythonRule):
    """Python: a shim exec command string relies on shell expansion ($VAR, ~, globs)

    ## What it does
    Reports command strings given to the shim's deprecated exec calls that rely on shell
    expansion outside quotes: `$VAR`, `${VAR}`, `~`, globs (`*`, `?`, `[...]`), brace
    expansion and leading `VAR=value` assignments. The `python-exec` rule finds the calls;
    this rule names the problem.

    ## Why is this bad?
    v1 `cli.exec(cmd, args)` runs no shell: `$HOME` would reach the program as the five
    characters `$HOME`, and `*.log` would match nothing. The shim's v0 names refuse such a
    string with `LegacyCommandError`, so the call fails today.

    ## Example
    ```python
    client.backend.execInVMExtension("ls $DATA_DIR/*.json")
    ```

    ## Use instead
    Compute the value in Python and pass it as an argument, or let a command do its own
    matching:
    ```python
    client.extension.vm.cli.exec("find", [data_dir, "-name", "*.json"])
    ```
    Inside the Linux backend container, an explicit `sh -c` keeps the shell's behaviour.

    ## Fix safety
    No safe fix. For backend-container (`execInVMExtension`) calls an unsafe fix runs the
    original string through `sh -c`; other calls get no fix (never `sh -c` on the host).

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    """

    code = PYTHON_EXPANSION.code
    name = PYTHON_EXPANSION.name
    # Reported by the exec rules, which run whenever this code is selected.
    fixable = "unsafe"

    valid = (
        Valid(_SETUP + "client.extension.vm.cli.exec('sh', ['-c', 'ls $HOME/*.log'])\n", filename=PY),
        Valid(_SETUP + "client.docker.cli.exec('images', ['--filter', 'reference=*:latest'])\n", filename=PY),
    )

    invalid = (
        Invalid(
            _SETUP + "client.backend.execInVMExtension('ls $DATA_DIR')\n",
            _SETUP + "client.extension.vm.cli.exec('sh', ['-c', 'ls $DATA_DIR'])\n",
            filename=PY, unsafe=True, message="the command relies on shell expansion (`$DATA_DIR`): `$DATA_DIR` is expanded by the shell; v1 exec runs no shell, so the program would receive the literal text `$DATA_DIR`; compute the value in Python; or run it explicitly with `sh -c` in the backend container (the shim refuses this string with `LegacyCommandError`, so the call fails today)",
        ),
        Invalid(
            _SETUP + "client.backend.exec_in_vm_extension(\"rm /tmp/*.log\")\n",
            _SETUP + "client.extension.vm.cli.exec(\"sh\", [\"-c\", \"rm /tmp/*.log\"])\n",
            filename=PY, unsafe=True, message="the command relies on shell expansion (`*`): `*` is a shell glob (filename pattern); v1 exec runs no shell, so the program would receive the literal text `*`; compute the value in Python; or run it explicitly with `sh -c` in the backend container (the shim refuses this string with `LegacyCommandError`, so the call fails today)",
        ),
        Invalid(_SETUP + "client.execHostCmd('cat ~/.kube/config')\n", filename=PY, message="the command relies on shell expansion (`~`): `~` is a shell home-directory (tilde) expansion; v1 exec runs no shell, so the program would receive the literal text `~`; compute the value in Python (do not wrap it in `sh -c`: the host may be Windows; the shim refuses this string with `LegacyCommandError`, so the call fails today)"),
        Invalid(_SETUP + "client.exec_host_cmd('ls ${HOME}')\n", filename=PY, message="the command relies on shell expansion (`${HOME}`): `${HOME}` is a parameter expansion; v1 exec runs no shell, so the program would receive the literal text `${HOME}`; compute the value in Python (do not wrap it in `sh -c`: the host may be Windows; the shim refuses this string with `LegacyCommandError`, so the call fails today)"),
        Invalid(_SETUP + "client.backend.execInContainer(cid, 'DEBUG=1 run')\n", filename=PY, message="the command relies on shell expansion (`DEBUG=1`): `DEBUG=1` at the start of a command is a shell variable assignment for `DEBUG`; v1 exec runs no shell, so it would become the program name or an argument; compute the value in Python (the shim refuses this string with `LegacyCommandError`, so the call fails today)"),
    )
