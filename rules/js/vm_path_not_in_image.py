"""vm-path-not-in-image: a VM exec of an absolute path the backend image's Dockerfile does not create."""

from __future__ import annotations

import os

from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of, backend_call
from migrator.js.metadata import extension_of, program_of
from migrator.js.resolve import Kind

VM_METHODS = frozenset({"execInVMExtension", "spawnInVMExtension"})
SHOWN_DESTINATIONS = 6

METADATA = (("metadata.json", '{"vm": {"image": "${DESKTOP_PLUGIN_IMAGE}"}, "ui": {}}'),)
IMAGE = METADATA + (("Dockerfile", "FROM alpine:3\nWORKDIR /app\nCOPY ui ./ui\nCOPY tailscale /app/tailscale\n"
                                   "COPY --from=builder /out/ /app/bin/\nRUN chmod +x /usr/local/bin/helper.sh\n"),)
VARIABLE = METADATA + (("Dockerfile", "FROM alpine:3\nARG DEST=/app\nCOPY tailscale $DEST/tailscale\n"),)
BUILT = (("metadata.json", '{"vm": {"composefile": "docker-compose.yaml"}, "ui": {}}'),
         ("docker-compose.yaml", "services:\n  backend:\n    build:\n      context: backend\n"),
         ("backend/Dockerfile", "FROM golang:1.22 AS builder\nCOPY . /src\nRUN go build -o /out/service /src\n"
                                "FROM alpine:3\nCOPY --from=builder /out/service /service\n"))


class VmPathNotInImage(Rule):
    """a VM exec runs an absolute path that the backend image's Dockerfile does not create

    ## What it does
    Reads the extension's `metadata.json` (the nearest one above the file) and the Dockerfile
    of its backend image, and reports a VM exec, v0 `backend.execInVMExtension(...)` and
    `backend.spawnInVMExtension(...)` or v1 `extension.vm.cli.exec(...)`, whose program is an
    absolute path (`/app/tailscale`) that the image does not create. The Dockerfile is the
    one the first service of the compose file (`vm.composefile`) is built from (`build:`,
    with its `context`, `dockerfile` and `target`), or the `Dockerfile` next to
    `metadata.json` for `vm.image` and for a first service whose image is
    `${DESKTOP_PLUGIN_IMAGE}`.

    Only the stage that is the image counts (the last, or the build target), with the
    stages it is built `FROM`. It is taken to contain, generously: every path at or under a
    `COPY`/`ADD` destination (flags, the JSON form and `COPY --from=...` included; a
    relative destination is under the `WORKDIR`; copied into a folder, a source that looks
    like one file, `metadata.json`, becomes `folder/metadata.json`, and any other source, a
    folder whose contents are copied, a glob, an archive, may have put anything in the
    folder), each `WORKDIR`, a path a `RUN` names or
    whose folder it names as a whole word (`RUN chmod +x /app/x`, `mv helm /usr/local/bin`),
    and anything under `/bin`, `/usr/bin`, `/sbin`, `/usr/sbin`, `/lib` and `/etc`, which the
    base image supplies; and under `/usr/local` and `/opt` when the image starts from anything
    but a bare distribution (`scratch`, `alpine`, `busybox`, `debian`, `ubuntu`): `FROM node`
    ships `/usr/local/bin/node`, `FROM golang` `/usr/local/go`, which the Dockerfile does not show.

    Nothing is reported for a file with no `metadata.json` above it, when no Dockerfile is
    found or it cannot be read, for a program that is not a static absolute path, or when the
    Dockerfile does what this rule cannot follow: `ONBUILD`, an unknown instruction, a
    variable in a `COPY`/`ADD` destination, a `WORKDIR` or the base image, a relative
    destination before any `WORKDIR` (unless the base image is known to set none: `alpine`,
    `debian`, `ubuntu`, `busybox`, `scratch`). Python callers of the shim are not checked:
    no Python rule reads the extension's metadata.

    ## Why is this bad?
    `extension.vm.cli.exec` runs the program inside the backend container, with no shell: a
    path the image does not hold fails at run time with "no such file or directory". A
    Dockerfile that copies the binary under another name, into another folder, or only
    into a build stage that is not the image is a common cause, and so is a path left over
    from an older image layout.

    A base image may ship programs of its own outside the system folders
    (`FROM node` has `/usr/local/bin/node`); this rule does not look into it. Suppress such a
    finding with a comment.

    ## Example
    With a Dockerfile that copies the binary to `/usr/local/bin`:
    ```dockerfile
    FROM alpine:3
    COPY tailscale /usr/local/bin/tailscale
    ```
    ```ts
    await ddClient.extension.vm!.cli.exec("/app/tailscale", ["status"]);
    ```

    ## Use instead
    ```ts
    await ddClient.extension.vm!.cli.exec("/usr/local/bin/tailscale", ["status"]);
    ```
    or ship the program where the call expects it (`COPY tailscale /app/tailscale`).

    ## Fix safety
    No fix: whether the path or the image is wrong is the extension's decision.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionVM/
    - https://docs.docker.com/extensions/extensions-sdk/architecture/metadata/
    - https://docs.docker.com/reference/dockerfile/
    """

    code = "DD403"
    name = "vm-path-not-in-image"
    fixable = "none"
    methods = frozenset({*VM_METHODS, "exec"})

    def on_match(self, ctx, captures):
        call = captures["call"][0]
        method = ctx.text(captures["method"][0])
        if method in VM_METHODS:
            if backend_call(ctx, call) is None:
                return
        elif method != "exec" or ctx.resolver.kind(captures["object"][0]) is not Kind.VM_CLI:
            return
        args = arguments_of(call)
        program = program_of(ctx, args[0]) if args else None
        if not program or not program.startswith("/"):
            return
        extension = extension_of(ctx)
        image = extension.backend_image() if extension is not None else None
        if image is None or image.unknown is not None or image.may_contain(program):
            return
        shown = os.path.relpath(image.path, extension.folder).replace(os.sep, "/")
        if image.stage:
            shown += f" (stage `{image.stage}`)"
        destinations = list(image.destinations)
        if not destinations:
            saw = "it has no COPY or ADD"
        else:
            listed = ", ".join(destinations[:SHOWN_DESTINATIONS])
            more = len(destinations) - SHOWN_DESTINATIONS
            saw = f"its COPY/ADD destinations are {listed}" + (f", and {more} more" if more > 0 else "")
        message = (f"`{program}` is not created by {shown} ({saw}): the VM exec fails with 'no such file'; "
                   "ship it in the image or fix the path")
        yield ctx.finding(self, args[0], message)

    valid = (
        Valid("await ddClient.extension.vm!.cli.exec('/app/tailscale', ['status']);\n", filename="ui/src/a.ts", files=IMAGE),
        # Under a copied folder, a RUN that names it, a system folder.
        Valid("await ddClient.extension.vm!.cli.exec('/app/bin/tool', []);\n", filename="ui/src/a.ts", files=IMAGE),
        Valid("await ddClient.extension.vm!.cli.exec('/usr/local/bin/helper.sh', []);\n", filename="ui/src/a.ts", files=IMAGE),
        Valid("await ddClient.extension.vm!.cli.exec('/usr/bin/env', ['ls']);\n", filename="ui/src/a.ts", files=IMAGE),
        Valid("await ddClient.extension.vm!.cli.exec('/service', ['--version']);\n", filename="ui/src/a.ts", files=BUILT),
        # Not an absolute path, not a static string; a destination built from a variable; no Dockerfile.
        Valid("await ddClient.extension.vm!.cli.exec('tailscale', ['up']);\n", filename="ui/src/a.ts", files=IMAGE),
        Valid("await ddClient.extension.vm!.cli.exec(program, ['up']);\n", filename="ui/src/a.ts", files=IMAGE),
        Valid("await ddClient.extension.vm!.cli.exec('/app/other', []);\n", filename="ui/src/a.ts", files=VARIABLE),
        Valid("await ddClient.extension.vm!.cli.exec('/app/other', []);\n", filename="ui/src/a.ts", files=METADATA),
        # No metadata.json: nothing is known, nothing is said.
        Valid("await ddClient.extension.vm!.cli.exec('/app/other', []);\n"),
    )

    invalid = (
        Invalid(
            "const out = await ddClient.extension.vm!.cli.exec('/app/tailscaled', ['status']);\n",
            filename="ui/src/a.ts", files=IMAGE,
            message="`/app/tailscaled` is not created by Dockerfile (its COPY/ADD destinations are /app/ui, /app/tailscale,"
                    " /app/bin): the VM exec fails with 'no such file'; ship it in the image or fix the path",
        ),
        # Only the last stage is the image: the builder's /out/service is not in it.
        Invalid(
            "window.ddClient.extension.vm?.cli.exec('/out/service', [], { stream: { onOutput: print } });\n",
            filename="ui/src/a.js", files=BUILT,
            message="`/out/service` is not created by backend/Dockerfile (its COPY/ADD destinations are /service): the VM"
                    " exec fails with 'no such file'; ship it in the image or fix the path",
        ),
        # v0 calls are reported too; exec-in-vm-extension still migrates them.
        Invalid(
            "await ddClient.backend.execInVMExtension('/app/tool status --json');\n",
            "await ddClient.extension.vm!.cli.exec('/app/tool', ['status', '--json']);\n",
            filename="ui/src/a.ts", files=IMAGE, fix="none",
        ),
    )
