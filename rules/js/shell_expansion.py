"""shell-expansion: a command string that relies on the shell expanding something."""

from __future__ import annotations

from migrator.core.rule import Invalid, Rule, Valid
from migrator.migration.table import EXPANSION


class ShellExpansion(Rule):
    """a command string relies on shell expansion ($VAR, ~, globs) that v1 exec does not do

    ## What it does
    Reports command strings that rely on shell expansion outside quotes: `$VAR`, `${VAR}`,
    `~`, globs (`*`, `?`, `[...]`), brace expansion and leading `VAR=value` assignments.

    ## Why is this bad?
    The deprecated single-string exec calls went through a shell, which expanded these
    before the program ran. v1 `exec(cmd, args)` runs no shell: `$HOME` reaches the program
    as the five characters `$HOME`, and `*.log` matches nothing.

    ## Example
    ```ts
    await ddClient.backend.execInVMExtension("ls $DATA_DIR/*.json");
    ```

    ## Use instead
    Compute the value in JavaScript and pass it as an argument, or list the files with a
    command that does its own matching:
    ```ts
    await ddClient.extension.vm!.cli.exec("find", [dataDir, "-name", "*.json"]);
    ```
    Inside the Linux backend container, an explicit `sh -c` keeps the shell's behaviour.

    The command and arguments of the spawn calls and of v1 `cli.exec(cmd, args)` calls are
    checked too (in an argument, a glob is taken for data, as in a docker filter; `$` and a
    leading `~` are not).

    ## Fix safety
    No safe fix. For backend-container (VM) calls an unsafe fix runs the original string
    through `sh -c`; host commands, spawn calls and v1 calls get no fix.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    """

    code = EXPANSION.code
    name = EXPANSION.name
    # Reported by the exec rules, which run whenever this code is selected.
    fixable = "unsafe"

    valid = (
        Valid("await ddClient.extension.vm?.cli.exec('sh', ['-c', 'ls $HOME/*.log']);\n"),
        Valid("await ddClient.docker.cli.exec('images', ['--filter', 'reference=*:latest']);\n"),
    )

    invalid = (
        Invalid(
            "await ddClient.backend.execInVMExtension('ls $DATA_DIR');\n",
            "await ddClient.extension.vm!.cli.exec('sh', ['-c', 'ls $DATA_DIR']);\n",
            unsafe=True, message="the command relies on shell expansion (`$DATA_DIR`): `$DATA_DIR` is expanded by the shell; v1 exec runs no shell, so the program would receive the literal text `$DATA_DIR`; compute the value in JavaScript; or run it explicitly with `sh -c` in the backend container",
        ),
        Invalid(
            "await ddClient.backend.execInVMExtension(\"rm /tmp/*.log\");\n",
            "await ddClient.extension.vm!.cli.exec(\"sh\", [\"-c\", \"rm /tmp/*.log\"]);\n",
            unsafe=True, message="the command relies on shell expansion (`*`): `*` is a shell glob (filename pattern); v1 exec runs no shell, so the program would receive the literal text `*`; compute the value in JavaScript; or run it explicitly with `sh -c` in the backend container",
        ),
        Invalid("await ddClient.execHostCmd('cat ~/.kube/config');\n", message="the command relies on shell expansion (`~`): `~` is a shell home-directory (tilde) expansion; v1 exec runs no shell, so the program would receive the literal text `~`; compute the value in JavaScript (do not wrap it in `sh -c`: the host may be Windows)"),
        Invalid("await ddClient.execHostCmd('ls ${HOME}');\n", message="the command relies on shell expansion (`${HOME}`): `${HOME}` is a parameter expansion; v1 exec runs no shell, so the program would receive the literal text `${HOME}`; compute the value in JavaScript (do not wrap it in `sh -c`: the host may be Windows)"),
        Invalid("await ddClient.backend.execInContainer(id, 'DEBUG=1 run');\n", message="the command relies on shell expansion (`DEBUG=1`): `DEBUG=1` at the start of a command is a shell variable assignment for `DEBUG`; v1 exec runs no shell, so it would become the program name or an argument; compute the value in JavaScript"),
        # A spawn's arguments are a v1 call's: checked before the fix writes one.
        Invalid("ddClient.backend.spawnInVMExtension('tail', ['-f', '$LOG_FILE'], onLog);\n", message="`spawnInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args, { stream })`, but an argument relies on shell expansion (`$LOG_FILE`): `$LOG_FILE` is expanded by the shell; v1 exec runs no shell, so the program would receive the literal text `$LOG_FILE`. v1 exec expands nothing: compute the value in JavaScript"),
        Invalid("await ddClient.extension.host?.cli.exec('kubectl', ['--kubeconfig', '$KUBECONFIG']);\n", message="an argument relies on shell expansion (`$KUBECONFIG`): `$KUBECONFIG` is expanded by the shell; v1 exec runs no shell, so the program would receive the literal text `$KUBECONFIG`. v1 exec expands nothing: compute the value in JavaScript"),
    )
