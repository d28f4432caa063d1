"""host-binary-not-shipped: a host exec whose program metadata.json does not ship for every platform."""

from __future__ import annotations

from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of
from migrator.js.metadata import extension_of, program_of, shown_platforms
from migrator.js.resolve import Kind

HOST_METHODS = frozenset({"execHostCmd", "spawnHostCmd"})


def _metadata(binaries: str) -> str:
    return '{"vm": {"image": "example/ext:1.0.0"}, "host": {"binaries": [' + binaries + ']}, "ui": {}}'


SHIPPED = (("metadata.json", _metadata(
    '{"darwin": [{"path": "/darwin/kubectl"}], "windows": [{"path": "/windows/kubectl.exe"}],'
    ' "linux": [{"path": "/linux/kubectl"}]}')),)
PARTLY = (("metadata.json", _metadata(
    '{"darwin": [{"path": "/darwin/kubectl"}, {"path": "/darwin/host-tool"}], "windows": [{"path": "/windows/kubectl.exe"}],'
    ' "linux": [{"path": "/linux/kubectl"}, {"path": "/linux/host-tool"}]}')),)
NO_HOST = (("metadata.json", '{"vm": {"image": "example/ext:1.0.0"}, "ui": {}}'),)
INSTALLED = SHIPPED + ((".ddmigrate.toml", 'host-binaries-installed = ["docker-credential-desktop"]\n'),)


class HostBinaryNotShipped(Rule):
    """a host exec runs a program the extension's metadata.json does not ship for every platform

    ## What it does
    Reads the extension's `metadata.json` (the nearest one above the file) and reports a host
    exec, v0 `execHostCmd(...)` and `spawnHostCmd(...)` or v1 `extension.host.cli.exec(...)`,
    whose program is not in `host.binaries` for every platform the extension ships
    (`darwin`, `windows`, `linux`; a `.exe` or `.cmd` suffix on Windows is the same
    program). The message names the platforms it is missing for. When `metadata.json` has no
    `host.binaries`, all three are named. Nothing is reported for a file with no
    `metadata.json` above it, or for a program that is not a static word.

    ## Why is this bad?
    v1 `extension.host.cli.exec(name, args)` runs, typically, a binary the extension ships in
    the `host` section of its metadata; Docker's documentation adds that it is not strictly
    limited to those. A program that is not shipped must then exist on every user's machine,
    on every platform: `hostname`, `/usr/bin/env`, a PowerShell cmdlet (`Test-Path`) or a
    cmd.exe builtin (`start`) do not. v0's `execHostCmd` ran its string through a shell,
    which hid the difference. When Tailscale's extension moved to v1, its authors shipped
    `hostname` and a `host-tailscale` wrapper for each platform instead.

    Programs the project knows are installed by other means (a CLI that Docker Desktop itself
    installs, say) are listed in the configuration and not reported:
    ```toml
    # .ddmigrate.toml
    host-binaries-installed = ["docker-credential-desktop"]
    ```

    ## Example
    With `metadata.json` shipping only `kubectl`:
    ```ts
    const out = await ddClient.extension.host!.cli.exec("hostname", []);
    ```

    ## Use instead
    Ship the program for each platform in `metadata.json` and call it by name:
    ```json
    "host": { "binaries": [ { "darwin": [{ "path": "/darwin/hostname" }],
                              "windows": [{ "path": "/windows/hostname.exe" }],
                              "linux": [{ "path": "/linux/hostname" }] } ] }
    ```

    ## Fix safety
    No fix: what to ship is the extension's decision. The exec rules' own fixes of such a
    call (`exec-host-cmd`, `spawn-host-cmd`) are never safe; their message repeats the note.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/guides/invoke-host-binaries/
    - https://docs.docker.com/extensions/extensions-sdk/architecture/metadata/
    """

    code = "DD401"
    name = "host-binary-not-shipped"
    fixable = "none"
    methods = frozenset({*HOST_METHODS, "exec"})

    def on_match(self, ctx, captures):
        call = captures["call"][0]
        method = ctx.text(captures["method"][0])
        kind = ctx.resolver.kind(captures["object"][0])
        if not ((method in HOST_METHODS and kind is Kind.CLIENT) or (method == "exec" and kind is Kind.HOST_CLI)):
            return
        args = arguments_of(call)
        program = program_of(ctx, args[0]) if args else None
        extension = extension_of(ctx) if program else None
        if extension is None:
            return
        platforms = extension.unshipped(program)
        if not platforms:
            return
        where = (f"metadata.json has no `host.binaries` (checked for {shown_platforms(platforms)})"
                 if extension.binaries is None else f"not for {shown_platforms(platforms)}")
        message = (f"`{program}` is not shipped in metadata.json `host.binaries` ({where}): a host exec runs, "
                   "typically, a binary the extension ships, and any other program must already be installed on every "
                   "user's machine; ship it for each platform, or list it in `host-binaries-installed` in the "
                   "configuration if it is installed otherwise")
        yield ctx.finding(self, args[0], message)

    valid = (
        Valid("await ddClient.extension.host!.cli.exec('kubectl', ['version']);\n", filename="ui/src/k.ts", files=SHIPPED),
        Valid("await ddClient.extension.host!.cli.exec('docker-credential-desktop', ['list']);\n",
              filename="ui/src/k.ts", files=INSTALLED),
        # No metadata.json: nothing is known, nothing is said.
        Valid("await ddClient.extension.host!.cli.exec('hostname', []);\n"),
        Valid("await ddClient.extension.host!.cli.exec(program, []);\n", filename="ui/src/k.ts", files=SHIPPED),
    )

    invalid = (
        Invalid(
            "const out = await ddClient.extension.host!.cli.exec('hostname', []);\n",
            filename="ui/src/host.ts", files=SHIPPED,
            message="`hostname` is not shipped in metadata.json `host.binaries` (not for darwin (macOS), windows, linux):"
                    " a host exec runs, typically, a binary the extension ships, and any other program must already be"
                    " installed on every user's machine; ship it for each platform, or list it in `host-binaries-installed`"
                    " in the configuration if it is installed otherwise",
        ),
        Invalid(
            "await window.ddClient.extension.host?.cli.exec('host-tool', ['up']);\n",
            filename="ui/src/host.js", files=PARTLY,
            message="`host-tool` is not shipped in metadata.json `host.binaries` (not for windows): a host exec runs,"
                    " typically, a binary the extension ships, and any other program must already be installed on every"
                    " user's machine; ship it for each platform, or list it in `host-binaries-installed` in the"
                    " configuration if it is installed otherwise",
        ),
        Invalid(
            "await ddClient.extension.host!.cli.exec('open', ['-a', 'Tailscale']);\n",
            filename="ui/src/host.ts", files=NO_HOST,
            message="`open` is not shipped in metadata.json `host.binaries` (metadata.json has no `host.binaries`"
                    " (checked for darwin (macOS), windows, linux)): a host exec runs, typically, a binary the extension"
                    " ships, and any other program must already be installed on every user's machine; ship it for each"
                    " platform, or list it in `host-binaries-installed` in the configuration if it is installed otherwise",
        ),
        # v0 calls are reported too; exec-host-cmd's fix of them is then unsafe.
        Invalid(
            "await ddClient.execHostCmd('/usr/bin/env test -d /tmp');\n",
            "await ddClient.extension.host!.cli.exec('/usr/bin/env', ['test', '-d', '/tmp']);\n",
            filename="ui/src/host.ts", files=SHIPPED, unsafe=True, fix="none",
        ),
        Invalid(
            "window.ddClient.spawnHostCmd('Test-Path', ['C:/x'], onData);\n",
            "window.ddClient.extension.host!.cli.exec('Test-Path', ['C:/x'], {\n  stream: {\n"
            "    onOutput: (data) => onData(data, undefined),\n    onError: (error) => onData(undefined, error),\n"
            "    onClose: (exitCode) => onData({ code: exitCode }, undefined),\n  },\n});\n",
            filename="ui/src/host.ts", files=SHIPPED, unsafe=True, fix="none",
        ),
    )
