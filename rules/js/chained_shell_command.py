"""chained-shell-command: a command string that needs a shell (pipes, chaining, redirections)."""

from __future__ import annotations

from migrator.core.rule import Invalid, Rule, Valid
from migrator.migration.table import CHAINED


class ChainedShellCommand(Rule):
    """a command string uses shell syntax that v1 exec (no shell) would pass literally

    ## What it does
    Reports command strings that hold shell syntax: `|`, `||`, `&&`, `;`, `&`, `$(...)`,
    backticks, redirections (`>`, `>>`, `<`, `2>&1`, `<<`), subshells, comments, and newlines
    between commands. It covers the deprecated single-string exec calls
    (`execInVMExtension`, `execHostCmd`, `execInContainer`, `execDockerCmd`), the command and
    arguments of the spawn calls (`spawnInVMExtension`, `spawnHostCmd`, `spawnDockerCmd`),
    which move to v1 as they are, and v1 `cli.exec(cmd, args)` calls already written with
    such strings. In an argument of the latter two, a lone `a|b` is taken for data (a grep
    pattern); an operator on its own, one between words, or a command substitution is not.

    ## Why is this bad?
    The v0 calls passed the string to a shell. v1 `exec(cmd, args)` runs the program with an
    argv and no shell, so a pipe or `&&` reaches the program as a literal argument: the call
    still compiles, then silently does something else. Docker's documentation says it
    plainly: you cannot chain commands in one exec call.

    ## Example
    ```ts
    const out = await ddClient.backend.execInVMExtension("ps aux | grep nginx");
    ```

    ## Use instead
    Run one exec per command and pass results on in JavaScript:
    ```ts
    const ps = await ddClient.extension.vm!.cli.exec("ps", ["aux"]);
    const lines = ps.lines().filter((line) => line.includes("nginx"));
    ```
    Or, inside the Linux backend container only, run the script explicitly with a shell:
    ```ts
    const out = await ddClient.extension.vm!.cli.exec("sh", ["-c", "ps aux | grep nginx"]);
    ```

    ## Fix safety
    Never fixed as safe. For backend-container (VM) calls an unsafe fix runs the original
    script, exactly as written, through `sh -c`. Host commands get no fix at all: the host
    may be Windows, where there is no `sh`. Spawn calls and v1 calls get no fix either (v0's
    spawn ran no documented shell, so `sh -c` would change what runs); their message suggests
    `sh -c` only for the backend container. An explicit shell (`sh -c`, `bash -c`,
    `powershell -Command`) is the legitimate way to run a script and is not reported.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    """

    code = CHAINED.code
    name = CHAINED.name
    # Reported by the exec rules, which run whenever this code is selected.
    fixable = "unsafe"

    valid = (
        Valid("await ddClient.extension.vm?.cli.exec('sh', ['-c', 'ps aux | grep nginx']);\n"),
        Valid("await ddClient.extension.host?.cli.exec('powershell', ['-Command', 'Get-Process | Select -First 1']);\n"),
        Valid("await ddClient.extension.vm?.cli.exec('grep', ['a|b', 'file']);\n"),
    )

    invalid = tuple(
        [Invalid(
            f"await ddClient.backend.execInVMExtension('{script}');\n",
            f"await ddClient.extension.vm!.cli.exec('sh', ['-c', '{script}']);\n",
            unsafe=True,
        ) for script in (
            "ps aux | grep nginx", "make || true", "cd /data && ls", "a; b", "sleep 10 &",
            "echo $(date)", "echo `date`", "ls > out.txt", "ls >> out.txt", "cat < in.txt",
            "ls 2>&1", "cat <<EOF", "(cd /x; ls)", "ls # list", "a && b | c > d 2>&1",
        )]
        + [
            Invalid(
                "await ddClient.backend.execInVMExtension(`ls\\nrm -rf /tmp/x`);\n",
                "await ddClient.extension.vm!.cli.exec(\"sh\", [\"-c\", `ls\\nrm -rf /tmp/x`]);\n",
                unsafe=True, message="the command uses shell syntax (`\n`): a newline here starts a second shell command; v1 exec runs no shell, so the newline and the next command would reach the program as literal text; run one exec per command and pass results on in JavaScript; or run it explicitly with `sh -c` in the backend container",
            ),
            Invalid("await window.ddClient.execHostCmd('kubectl get nodes | wc -l');\n", message="the command uses shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument; run one exec per command and pass results on in JavaScript (do not wrap it in `sh -c`: the host may be Windows)"),
            Invalid("await ddClient.backend.execInContainer(id, 'ls | head');\n", message="the command uses shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument; run one exec per command and pass results on in JavaScript"),
            Invalid("await ddClient.execDockerCmd('logs', id, '| tail');\n", message="the command uses shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument; run one exec per command and pass results on in JavaScript"),
            Invalid("await ddClient.extension.vm?.cli.exec('ls', ['-l', '|', 'grep', 'x']);\n", message="an argument holds shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument. Run one exec per command and pass results on in JavaScript, or run a script explicitly with `sh -c`"),
            Invalid("await ddClient.extension.vm?.cli.exec('ls', ['-l | grep x']);\n", message="an argument holds shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument. Run one exec per command and pass results on in JavaScript, or run a script explicitly with `sh -c`"),
            # `docker.cli.exec` runs docker itself, and the host may be Windows: `sh -c` only in the VM.
            Invalid("await ddClient.docker.cli.exec('ps | grep x', []);\n", message="the command name holds shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument. Run one exec per command and pass results on in JavaScript"),
            # A lone command substitution in an argument is shell syntax too.
            Invalid("await ddClient.extension.vm?.cli.exec('ls', ['`pwd`']);\n", message="an argument holds shell syntax (``pwd``): ``pwd`` is a command substitution (it runs another command); v1 exec runs no shell, so it would reach the program as a literal argument. Run one exec per command and pass results on in JavaScript, or run a script explicitly with `sh -c`"),
            # A spawn's command and arguments are a v1 call's: checked before the fix writes one.
            Invalid("window.ddClient.spawnHostCmd('kubectl', ['get', 'pods', '|', 'wc', '-l'], onLog);\n", filename="a.js", message="`spawnHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args, { stream })`, but an argument holds shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument. Run one exec per command and pass results on in JavaScript (do not wrap it in `sh -c`: the host may be Windows)"),
            Invalid("ddClient.backend.spawnInVMExtension('tail -f /var/log/app.log && echo done', [], onLog);\n", message="`spawnInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args, { stream })`, but its command name holds shell syntax (`&&`): `&&` runs the next command only if the first succeeds; v1 exec runs no shell, so it would reach the program as a literal argument. Run one exec per command and pass results on in JavaScript, or run a script explicitly with `sh -c`"),
            Invalid("ddClient.spawnHostCmd('kubectl', ['exec', pod, '--', 'ls', '`pwd`'], onLog);\n"),
            Invalid("await ddClient.extension.host?.cli.exec('kubectl', ['get', 'pods', '|', 'wc']);\n", message="an argument holds shell syntax (`|`): `|` is a shell pipe; v1 exec runs no shell, so it would reach the program as a literal argument. Run one exec per command and pass results on in JavaScript (do not wrap it in `sh -c`: the host may be Windows)"),
        ]
    )
