"""exec-wrapper-call: a call of another module's command wrapper moves with the wrapper."""

from __future__ import annotations

import os

from migrator.core.model import Applicability
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js import wrappers

API = ("api.ts", "export async function runTool(command: string) {\n"
                 "  return ddClient.backend.execInVMExtension(`/app/tool ${command}`);\n"
                 "}\n")
HOST = ("host.ts", "export const runHost = (cmd: string) => ddClient.execHostCmd(cmd);\n")
EXTENSION = (("metadata.json", '{"vm": {"image": "example/tool:1.0.0"}, "ui": {}}'),)


class ExecWrapperCall(Rule):
    """a call of a command wrapper from another module, which changes with the wrapper

    ## What it does
    Finds the calls of an exported command wrapper, a function of another module that hands
    its parameter to a v0 exec as words of the command (see `exec-in-vm-extension` and
    `exec-host-cmd`), and rewrites each one together with the wrapper: the call passes the
    words its string was split into by v0's shell, as an array
    (`runTool(["status", "--json"])`), or as a program and an array when the parameter was the
    whole command (`runHost("kubectl", ["get", "pods"])`).

    ## Why is this bad?
    The wrapper's own fix changes its parameter from one command string to the argv words
    (v1 exec runs no shell, so the string would reach the program as one argument). Its
    callers must change in the same run, or they pass a string where an array is expected.

    The project pass decides once, from every module of the run, whether the wrapper and all
    its calls can move together. When one call cannot be split (a variable, a command that
    needs a shell), the wrapper is used as a value, or the run was given single files (so it
    does not see every importer), nothing moves: the wrapper's finding lists the call sites
    that stop it, and the calls are not reported here. In `ddmigrate fix`, when any part of the
    migration is not applied (a suppression comment, a fix dropped because its file changed),
    none is.

    ## Example
    ```ts
    import { runTool } from "./api";
    await runTool("status --json");
    ```

    ## Use instead
    ```ts
    import { runTool } from "./api";
    await runTool(["status", "--json"]);
    ```

    ## Fix safety
    The same as the wrapper's: safe when every call passes a literal, unsafe when a call's
    `${value}` outside quotes is assumed to be one word (each part of the migration carries
    every such note, since they are applied together).

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionVM/
    """

    code = "DD214"
    name = "exec-wrapper-call"
    fixable = "sometimes"

    def check(self, ctx):
        found = wrappers.verdicts(ctx)
        if not found:
            return
        here = os.path.abspath(ctx.source.path)
        for (path, name), verdict in sorted(found.items()):
            if verdict.state != wrappers.MIGRATE or path == here:
                continue
            target = wrappers.ExecWrapper(path, name)
            shape = wrappers.shape_of(verdict)
            for site in wrappers.calls_of(ctx, target, shape, verdict.target):
                if site.reason:
                    continue  # (the verdict would not be MIGRATE)
                message = (f"`{name}` from `{os.path.relpath(path, os.path.dirname(here))}` takes the command's "
                           f"words as an array once it is migrated (`{verdict.rule}`): this call passes its words "
                           "split as v0's shell split them")
                if verdict.notes:
                    message += f" (unsafe: {'; '.join(verdict.notes)})"
                found = ctx.finding(self, site.node, message, edits=site.edits,
                                    applicability=Applicability.UNSAFE if verdict.unsafe else Applicability.SAFE)
                found.group = wrappers.group_of((path, name))
                yield found

    valid = (
        Valid("import { runTool } from './api';\nawait runTool(['status']);\n", files=EXTENSION + (API,)),
        # A wrapper called with one plain word keeps its string parameter.
        Valid("import { runTool } from './api';\nawait runTool('status');\n", files=EXTENSION + (API,)),
        # Without the project pass (or another module) there is nothing to change with.
        Valid("await runTool('status --json');\n"),
    )

    invalid = (
        Invalid(
            "import { runTool } from './api';\n\nexport const status = () => runTool('status --json');\n",
            "import { runTool } from './api';\n\nexport const status = () => runTool(['status', '--json']);\n",
            files=EXTENSION + (API,),
            message="`runTool` from `api.ts` takes the command's words as an array once it is migrated "
                    "(`exec-in-vm-extension`): this call passes its words split as v0's shell split them",
        ),
        Invalid(
            "import * as host from './host';\n\nawait host.runHost(`kubectl config use-context ${name}`);\n",
            "import * as host from './host';\n\nawait host.runHost('kubectl', ['config', 'use-context', `${name}`]);\n",
            files=EXTENSION + (HOST,), unsafe=True,
            message="`runHost` from `host.ts` takes the command's words as an array once it is migrated "
                    "(`exec-host-cmd`): this call passes its words split as v0's shell split them (unsafe: "
                    "example.ts:3 assumes `${name}` is one word, where the shell split its value)",
        ),
    )
