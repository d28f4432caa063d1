"""python-chained-shell-command: a shim exec command string that needs a shell (pipes, chaining)."""

from __future__ import annotations

from migrator.core.rule import Invalid, Valid
from migrator.migration.table import PYTHON_CHAINED
from migrator.python.rule import PythonRule

PY = "example.py"
_SETUP = "from migrator.shim import DockerDesktopClient\n\nclient = DockerDesktopClient.from_metadata('metadata.json')\n"


class PythonChainedShellCommand(PythonRule):
    """Python: a shim exec command string uses shell syntax that v1 exec (no shell) would pass literally

    ## What it does
    Reports command strings given to the shim's deprecated exec calls
    (`execInVMExtension`, `execInContainer`, `execHostCmd`, `execDockerCmd` and their
    snake_case names) that hold shell syntax: `|`, `||`, `&&`, `;`, `&`, `$(...)`, backticks,
    redirections (`>`, `>>`, `<`, `2>&1`, `<<`), subshells, comments, and newlines between
    commands. The `python-exec` rule finds the calls; this rule names the problem.

    ## Why is this bad?
    v1 `cli.exec(cmd, args)` runs the program with an argv and no shell, so a pipe or `&&`
    would reach the program as a literal argument. The shim's v0 names refuse such a string
    with `LegacyCommandError` rather than run something different: the call fails today.
    Docker's documentation says it plainly: you cannot chain commands in one exec call.

    ## Example
    ```python
    out = client.backend.execInVMExtension("ps aux | grep nginx")
    ```

    ## Use instead
    Run one exec per command and pass results on in Python:
    ```python
    ps = client.extension.vm.cli.exec("ps", ["aux"])
    lines = [line for line in ps.lines() if "nginx" in line]
    ```
    Or, inside the Linux backend container only, run the script explicitly with a shell:
    ```python
    out = client.extension.vm.cli.exec("sh", ["-c", "ps aux | grep nginx"])
    ```

    ## Fix safety
    Never fixed as safe. For backend-container (`execInVMExtension`) calls an unsafe fix runs
    the original script, exactly as written, through `sh -c`: that runs what the shim refused.
    Host commands get no fix at all: the host may be Windows, where there is no `sh`.
    `execInContainer` and `execDockerCmd` get no fix either.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    """

    code = PYTHON_CHAINED.code
    name = PYTHON_CHAINED.name
    # Reported by the exec rules, which run whenever this code is selected.
    fixable = "unsafe"

    valid = (
        Valid(_SETUP + "client.extension.vm.cli.exec('sh', ['-c', 'ps aux | grep nginx'])\n", filename=PY),
        # Already argv: an operator inside one argument is just text for the program.
        Valid(_SETUP + "client.extension.vm.cli.exec('grep', ['a|b', 'file'])\n", filename=PY),
    )

    invalid = tuple(
        [Invalid(
            _SETUP + f"client.backend.execInVMExtension('{script}')\n",
            _SETUP + f"client.extension.vm.cli.exec('sh', ['-c', '{script}'])\n",
            filename=PY, unsafe=True,
        ) for script in ("ps aux | grep nginx", "cd /data && ls", "a; b", "echo $(date)", "ls > out.txt", "ls 2>&1")]
        + [
            Invalid(
                _SETUP + "client.backend.exec_in_vm_extension(f'cat {path} | wc -l')\n",
                _SETUP + "client.extension.vm.cli.exec('sh', ['-c', f'cat {path} | wc -l'])\n",
                filename=PY, unsafe=True, message="the command uses shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument; run one exec per command and pass results on in Python; or run it explicitly with `sh -c` in the backend container (the shim refuses this string with `LegacyCommandError`, so the call fails today)",
            ),
            Invalid(_SETUP + "client.execHostCmd('kubectl get nodes | wc -l')\n", filename=PY, message="the command uses shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument; run one exec per command and pass results on in Python (do not wrap it in `sh -c`: the host may be Windows; the shim refuses this string with `LegacyCommandError`, so the call fails today)"),
            Invalid(_SETUP + "client.backend.execInContainer(cid, 'ls | head')\n", filename=PY, message="the command uses shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument; run one exec per command and pass results on in Python (the shim refuses this string with `LegacyCommandError`, so the call fails today)"),
            Invalid(_SETUP + "client.execDockerCmd('logs', cid, '| tail')\n", filename=PY, message="the command uses shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument; run one exec per command and pass results on in Python (the shim refuses this string with `LegacyCommandError`, so the call fails today)"),
        ]
    )
