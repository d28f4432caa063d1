"""exec-host-cmd: ``execHostCmd(str)`` to ``extension.host.cli.exec(cmd, args)``."""

from __future__ import annotations

from migrator.core.model import Applicability, Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of
from migrator.js.execs import finding, member_path, plan_exec, words_edit
from migrator.js.members import call_head, findings
from migrator.js.metadata import unshipped_note
from migrator.js.resolve import Kind
from migrator.migration.table import HOST, JS_COMMAND_CODES

KUBECTL_ONLY = ('{"host": {"binaries": [{"darwin": [{"path": "/darwin/kubectl"}], "windows": [{"path": "/windows/kubectl.exe"}],'
                ' "linux": [{"path": "/linux/kubectl"}]}]}}')


# An extension shipping `trivy` on every platform.
TRIVY_METADATA = ('{"host": {"binaries": [{"darwin": [{"path": "/darwin/trivy"}]}, {"windows": [{"path": '
                  '"/windows/trivy.exe"}]}, {"linux": [{"path": "/linux/trivy"}]}]}, "ui": {}}')

class ExecHostCmd(Rule):
    """`execHostCmd(str)` moves to `extension.host.cli.exec(cmd, args)`

    ## What it does
    Rewrites `ddClient.execHostCmd(command)` to `ddClient.extension.host.cli.exec(cmd, [args])`,
    splitting the command string as the shell did.

    ## Why is this bad?
    `execHostCmd` belongs to the deprecated v0 API and will be removed. It ran one command
    string through the host's shell; v1 `exec(cmd, args)` runs the binary shipped in the
    extension's `host.binaries` with an argv and no shell.

    On macOS and Linux the host shell was `sh`; on Windows it was `cmd.exe`, which does not
    treat single quotes as quotes nor backslashes as escapes. A command whose split depends
    on that is fixed only as unsafe, and the message says the fix assumed the `sh` reading.
    Shell syntax (pipes, `&&`, redirections) is reported as `chained-shell-command` with no
    fix: never wrap a host command in `sh -c`, since the host may be Windows.

    A wrapper whose parameter is the whole command (`const run = (cmd: string) =>
    ddClient.execHostCmd(cmd)`) takes v1's shape, `(cmd: string, args: string[])`, and its
    callers pass the program and its arguments (`run("kubectl", ["get", "pods"])`), all in
    one fix, as `exec-in-vm-extension` describes for wrappers.

    ## Example
    ```ts
    const out = await ddClient.execHostCmd("kubectl get pods -o json");
    ```

    ## Use instead
    ```ts
    const out = await ddClient.extension.host!.cli.exec("kubectl", ["get", "pods", "-o", "json"]);
    ```

    ## Fix safety
    Safe for a static command whose split is the same under `sh` and `cmd.exe`; unsafe when
    it has template substitutions or depends on `sh` quoting, and when the extension's
    `metadata.json` does not ship the program in `host.binaries` for every platform (the
    message says so; `host-binary-not-shipped` reports it too). In JavaScript, a call whose
    result is used in the same chain (`execHostCmd(cmd).then(...)`) is unsafe too:
    `extension.host?.cli.exec(...).then(...)` skips the chain, silently, when
    `extension.host` is missing (the v1 types make it optional), where v0 threw; not when
    `metadata.json` has a `host` section. TypeScript's `host!.` fails at the call, as v0 did.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionHost/
    """

    code = "DD202"
    name = "exec-host-cmd"
    fixable = "sometimes"
    methods = frozenset({"execHostCmd"})
    emits = JS_COMMAND_CODES

    def on_match(self, ctx, captures):
        call = captures["call"][0]
        if ctx.resolver.kind(captures["client"][0]) is not Kind.CLIENT:
            return
        method = captures["method"][0]
        yield from self._exec(ctx, call, [Edit(method.start_byte, method.end_byte, member_path(ctx, HOST))])

    def check(self, ctx):
        """`execHostCmd` held in a variable (`const { execHostCmd } = ddClient`) or used without a call."""
        yield from findings(self, ctx, self.methods, lambda use: self._exec(ctx, use.call, call_head(use, member_path(ctx, HOST))))

    def _exec(self, ctx, call, edits):
        message = "`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`"
        args = arguments_of(call)
        if len(args) != 1:
            yield ctx.finding(self, call, message, no_fix_reason="expected one command string")
            return
        programs = []

        def build(command, words):
            programs.append(words[0].text if words[0].is_static else None)
            return edits + [words_edit(ctx, call, command, words)]

        outcome = plan_exec(ctx, self, message, args[0], HOST, build)
        note = unshipped_note(ctx, programs[0]) if outcome.edits and programs else None
        if note:  # never a safe fix for a host program the extension does not ship
            outcome.applicability = Applicability.UNSAFE
            outcome.message += f" ({note})"
        yield finding(ctx, outcome, call, HOST)

    valid = (
        Valid("await ddClient.extension.host?.cli.exec('kubectl', ['version']);\n"),
        Valid("const shell = { execHostCmd: (c: string) => c };\nshell.execHostCmd('ls');\n"),
    )

    invalid = (
        Invalid(
            "const out = await window.ddClient.execHostCmd(\"kubectl get pods -o json\");\n",
            "const out = await window.ddClient.extension.host!.cli.exec(\"kubectl\", [\"get\", \"pods\", \"-o\", \"json\"]);\n", message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`",
        ),
        Invalid(
            "ddClient.execHostCmd('trivy --version').then((r) => r.stdout);\n",
            "ddClient.extension.host?.cli.exec('trivy', ['--version']).then((r) => r.stdout);\n",
            filename="scan.js", message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`",
            files=(("metadata.json", TRIVY_METADATA),),
        ),
        # In JavaScript, `host?.` would skip a chain on the call, silently, where v0 threw,
        # unless metadata.json has a `host` section (as above).
        Invalid(
            "ddClient.execHostCmd('trivy --version').then((r) => r.stdout);\n",
            "ddClient.extension.host?.cli.exec('trivy', ['--version']).then((r) => r.stdout);\n",
            filename="scan.js", unsafe=True,
            message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)` (in JavaScript"
                    " `extension.host?.` silently skips the `.then(...)` chained on the call when `extension.host` is"
                    " missing (the types make it optional), where v0 threw; no metadata.json says it has one)",
        ),
        # Windows read single quotes differently: unsafe, and said so.
        Invalid(
            "await ddClient.execHostCmd(\"tool --path 'C:/My Files'\");\n",
            "await ddClient.extension.host!.cli.exec(\"tool\", [\"--path\", \"C:/My Files\"]);\n",
            unsafe=True, message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)` (on Windows the host shell was cmd.exe, which reads `'C:/My Files'` differently; this fix assumes the POSIX sh reading)",
        ),
        Invalid(
            "await ddClient.execHostCmd(`kubectl logs ${pod}`);\n",
            "await ddClient.extension.host!.cli.exec(\"kubectl\", [\"logs\", `${pod}`]);\n",
            unsafe=True, message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)` (`${pod}` now reaches the program as (part of) one argument: a value with spaces or shell characters is no longer split or expanded (usually the intent, and safer, but a change))",
        ),
        # A substitution known to hold several words (a branch of a `const`): one argument would
        # be wrong, so no fix.
        Invalid("const tool = isMac ? '/usr/local/bin/tool' : '/usr/bin/env tool';\n"
                "await ddClient.execHostCmd(`helper status ${tool}`);\n",
                message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`"),
        # A wrapper of the whole command: it takes v1's shape, a program and its arguments.
        Invalid(
            "const runHost = (cmd: string) => ddClient.execHostCmd(cmd);\n"
            "await runHost('telepresence quit');\n"
            "await runHost(`kubectl config use-context ${context}`);\n",
            "const runHost = (cmd: string, args: string[]) => ddClient.extension.host!.cli.exec(cmd, args);\n"
            "await runHost('telepresence', ['quit']);\n"
            "await runHost('kubectl', ['config', 'use-context', `${context}`]);\n",
            unsafe=True, message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)` (`runHost` wraps it: `cmd` stays the program and an `args` array follows it, and its 2 calls pass the words as v0's shell split them; unsafe: line 3 assumes `${context}` is one word, where the shell split its value)",
        ),
        Invalid(
            "const runHost = cmd => ddClient.execHostCmd(`${cmd} --output json`);\nrunHost('kubectl get pods');\n",
            "const runHost = (cmd, args) => ddClient.extension.host?.cli.exec(cmd, [...args, '--output', 'json']);\nrunHost('kubectl', ['get', 'pods']);\n",
            filename="host.js", message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)` (`runHost` wraps it: `cmd` stays the program and an `args` array follows it, and its call passes the words as v0's shell split them)",
        ),
        # Destructured with other members, in a class: every use goes through the client.
        Invalid(
            "const { execHostCmd, toastError } = window.ddClient;\nawait execHostCmd('trivy --version');\ntoastError('done');\n",
            "await window.ddClient.extension.host!.cli.exec('trivy', ['--version']);\nwindow.ddClient.desktopUI.toast.error('done');\n",
        ),
        Invalid(
            "import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';\nexport class Scanner {\n  constructor(private ddClient: DockerDesktopClient) {}\n"
            "  version() { return this.ddClient.execHostCmd('trivy --version'); }\n}\n",
            "import type { DockerDesktopClient } from '@docker/extension-api-client-types/dist/v1';\nexport class Scanner {\n  constructor(private ddClient: DockerDesktopClient) {}\n"
            "  version() { return this.ddClient.extension.host!.cli.exec('trivy', ['--version']); }\n}\n",
        ),
        Invalid("const run = ddClient.execHostCmd;\nrun('ls');\nregister(run);\n", findings=2),
        Invalid("await ddClient.execHostCmd(cmdline);\n", message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`"),
        # The extension's metadata.json does not ship `hostname`: never a safe fix.
        Invalid(
            "const name = await ddClient.execHostCmd('hostname');\n",
            "const name = await ddClient.extension.host!.cli.exec('hostname', []);\n",
            filename="ui/src/host.ts", unsafe=True, files=(("metadata.json", KUBECTL_ONLY),),
            message="`execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)` (`hostname` is not shipped in"
                    " metadata.json `host.binaries` for darwin (macOS), windows, linux: it must already be installed on every"
                    " user's machine (host-binary-not-shipped))",
        ),
        Invalid(
            "const v = await ddClient.execHostCmd('kubectl version');\n",
            "const v = await ddClient.extension.host!.cli.exec('kubectl', ['version']);\n",
            filename="ui/src/host.ts", files=(("metadata.json", KUBECTL_ONLY),),
        ),
    )
