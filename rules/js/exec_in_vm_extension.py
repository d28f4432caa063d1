"""exec-in-vm-extension: ``backend.execInVMExtension(str)`` to ``extension.vm.cli.exec(cmd, args)``."""

from __future__ import annotations

from migrator.core.model import Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of, backend_call, backend_span, client_source, held_elsewhere, is_preview_backend
from migrator.js.execs import finding, member_path, plan_exec, replace_args, words_edit
from migrator.migration.table import JS_COMMAND_CODES, VM

# An extension whose backend is declared: `extension.vm` is there at run time.
VM_METADATA = '{"vm": {"image": "example/ext:1.0.0"}, "ui": {}}'


def receiver_edits(ctx, call, path: str):
    """Edits that turn ``<client>.backend.<method>`` (or ``b.<method>``) into ``<client>.<path>``."""
    if call.binding is None:
        held = held_elsewhere(ctx, call.receiver)
        if held:
            return None, held
        span = backend_span(ctx, call.receiver)
        if span is None:
            return None, "the backend is reached through a computed property; rewrite it by hand"
        method = call.callee.child_by_field_name("property")
        return [Edit(span[0], method.end_byte, path)], None
    client, reason = client_source(ctx, call)
    if client is None:
        return None, reason
    return [Edit(call.callee.start_byte, call.callee.end_byte, f"{client}.{path}")], None


def vm_exec_finding(ctx, rule, call, message: str, cmd_node, receiver):
    """The finding for a backend call that becomes ``extension.vm.cli.exec``: the receiver's
    ``(edits, reason)`` plus the command planned (or an explicit `sh -c`, which the VM has)."""
    edits, reason = receiver
    if reason:
        return ctx.finding(rule, call.call, message, no_fix_reason=reason)
    quote = ctx.preferred_quote()
    outcome = plan_exec(
        ctx, rule, message, cmd_node, VM,
        lambda command, words: edits + [words_edit(ctx, call.call, command, words)],
        lambda script: edits + [replace_args(call.call, f"{quote}sh{quote}", [f"{quote}-c{quote}", script])],
        preview=is_preview_backend(call.receiver),
    )
    return finding(ctx, outcome, call.call, VM)


class ExecInVmExtension(Rule):
    """`backend.execInVMExtension(str)` moves to `extension.vm.cli.exec(cmd, args)`

    ## What it does
    Rewrites `backend.execInVMExtension(command)` to `extension.vm.cli.exec(cmd, [args])`,
    splitting the command string exactly as the shell did.

    ## Why is this bad?
    `execInVMExtension` belongs to the deprecated v0 API and will be removed. It handed one
    command string to a shell in the backend container; v1 `exec(cmd, args)` takes the
    program and its arguments separately and runs no shell. Quotes and backslashes are
    therefore removed the way `sh` removed them (`--format "{{json .}}"` becomes the two
    arguments `--format` and `{{json .}}`).

    A command that uses shell syntax (pipes, `&&`, redirections, `$(...)`) is reported as
    `chained-shell-command`, and one that relies on expansion (`$VAR`, `~`, globs) as
    `shell-expansion`, instead of being rewritten into something that behaves differently.

    A wrapper, a function that passes one of its parameters into the command
    (`` runTool(command: string) { return ...execInVMExtension(`/app/tool ${command}`) } ``),
    is migrated together with its callers: the shell split what each caller passed
    (`runTool("status --json")` ran `/app/tool` with two arguments), so the parameter
    becomes an array of arguments and every call passes its string split the same way
    (`runTool(["status", "--json"])`). An array rather than a rest parameter: the parameter
    keeps its place among the others, the calls read like v1's `exec(cmd, args)`, and an
    array can be built and passed on. When the parameter is the program itself, the wrapper
    takes v1's own shape, `(cmd, args)`. The wrapper is a function declaration, a `const`
    function, a class method called through `this`, or a method of a `const` object literal
    called as `api.run(...)`; its callers must all be in the same module (a `private` or `#`
    method of an exported class counts; an exported object, or one handed on as a value,
    does not).

    ## Example
    ```ts
    const result = await ddClient.backend.execInVMExtension("ls -la /data");
    ```

    ## Use instead
    ```ts
    const result = await ddClient.extension.vm!.cli.exec("ls", ["-la", "/data"]);
    ```
    In TypeScript the optional `vm` gets a non-null assertion: a missing backend fails at
    the call, as it did with v0, and the result keeps its type under `strict`. JavaScript
    gets `extension.vm?.cli.exec(...)`.

    ## Fix safety
    Safe for a fully static command. A template literal's substitutions each stay (part of)
    one argument, while the shell also split and expanded their values: that fix is unsafe
    and the message names the substitutions. A command held in a variable is split only when
    it is a `const` string in the same file, or a `const` template declared in the statement
    just before the call (in the same block, its substitutions plain names or property reads,
    so they read the same values at the call); anything else is reported without a fix.

    In JavaScript, a call whose result is used in the same chain (`.then(...)`, `.catch(...)`,
    `.finally(...)`, any member or index) is unsafe: `extension.vm?.cli.exec(...).then(...)`
    skips the whole chain, silently, when the extension has no backend, where v0 threw. Not
    when the extension's `metadata.json` (the nearest above the file) declares a `vm` image
    or compose file: the backend is then always there. An awaited, returned or assigned call
    stays as safe as before (what reads its `undefined` result still fails), and TypeScript's
    `vm!.` fails at the call, as v0 did. (Wrapping it, `(vm?.cli.exec(...)).then`, would
    throw as v0 did, but does not type-check under `strict`.) `exec-in-container` writes
    `extension.vm` only for the backend container that metadata.json declares, so it is
    never affected.

    A wrapper's fix is safe when every caller passes a literal; a caller's template
    substitution outside quotes is assumed to be one word (unsafe, with the line named). When
    any caller cannot be split (a variable, a command needing a shell), the function is
    exported, used as a value, or its parameter is also used for something else, there is no
    fix and the message names the call sites that stop it: never the rewrite that passes a
    caller's several words as one argument.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionVM/
    """

    code = "DD201"
    name = "exec-in-vm-extension"
    fixable = "sometimes"
    methods = frozenset({"execInVMExtension"})
    emits = JS_COMMAND_CODES

    def on_match(self, ctx, captures):
        call = backend_call(ctx, captures["call"][0])
        if call is None:
            return
        message = "`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"
        args = arguments_of(call.call)
        if len(args) != 1:
            yield ctx.finding(self, call.call, message, no_fix_reason="expected one command string")
            return
        yield vm_exec_finding(ctx, self, call, message, args[0], receiver_edits(ctx, call, member_path(ctx, VM)))

    valid = (
        Valid("await ddClient.extension.vm?.cli.exec('ls', ['-l']);\n"),
        Valid("const runner = { backend: { execInVMExtension: (c: string) => c } };\n"
              "runner.backend.execInVMExtension('ls -l');\n"),
        Valid("// ddClient.backend.execInVMExtension('ls')\n"),
    )

    invalid = (
        Invalid(
            "const result = await ddClient.backend.execInVMExtension('ls -la /data');\n",
            "const result = await ddClient.extension.vm!.cli.exec('ls', ['-la', '/data']);\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        Invalid(
            "window.ddClient.backend.execInVMExtension(\"cat  \\t'/tmp/my file'\");\n",
            "window.ddClient.extension.vm?.cli.exec(\"cat\", [\"/tmp/my file\"]);\n",
            filename="legacy.js", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        Invalid(
            "await ddClient.backend.execInVMExtension(`docker ps --format \"{{json .}}\"`);\n",
            "await ddClient.extension.vm!.cli.exec(\"docker\", [\"ps\", \"--format\", \"{{json .}}\"]);\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        Invalid(
            "await ddClient.backend.execInVMExtension('echo \"it\\'s\" a\\\\ b \"\" x');\n",
            "await ddClient.extension.vm!.cli.exec('echo', ['it\\'s', 'a b', '', 'x']);\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        # Operators and expansions inside quotes are plain text.
        Invalid(
            "await ddClient.backend.execInVMExtension(\"echo 'a | b' \\\"x && y\\\" c\\\\;d '$HOME' '*'\");\n",
            "await ddClient.extension.vm!.cli.exec(\"echo\", [\"a | b\", \"x && y\", \"c;d\", \"$HOME\", \"*\"]);\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        Invalid(
            "const CMD = 'df -h';\nawait ddClient.backend.execInVMExtension(CMD);\n",
            "const CMD = 'df -h';\nawait ddClient.extension.vm!.cli.exec('df', ['-h']);\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (the command was read from `CMD`)",
        ),
        # Substitutions: each stays one argument; unsafe, because the shell split the value.
        Invalid(
            "await ddClient.backend.execInVMExtension(`cat /data/${name}.json --name=${id}`);\n",
            "await ddClient.extension.vm!.cli.exec(\"cat\", [`/data/${name}.json`, `--name=${id}`]);\n",
            unsafe=True, message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (`${name}`, `${id}` now reach the program as (part of) one argument: a value with spaces or shell characters is no longer split or expanded (usually the intent, and safer, but a change))",
        ),
        Invalid(
            "await ddClient.backend.execInVMExtension('rm -f ' + file);\n",
            "await ddClient.extension.vm!.cli.exec('rm', ['-f', `${file}`]);\n",
            unsafe=True, message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (`${file}` now reaches the program as (part of) one argument: a value with spaces or shell characters is no longer split or expanded (usually the intent, and safer, but a change))",
        ),
        Invalid("await ddClient.backend.execInVMExtension(`ls ${dir}`);\n", fix="unsafe", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (`${dir}` now reaches the program as (part of) one argument: a value with spaces or shell characters is no longer split or expanded (usually the intent, and safer, but a change))"),
        # The layout around the arguments (line breaks, a trailing comma) stays.
        Invalid(
            "const resp = await window.ddClient.backend.execInVMExtension(\n  `/app/tool status --json`,\n)\n",
            "const resp = await window.ddClient.extension.vm!.cli.exec(\n  \"/app/tool\", [\"status\", \"--json\"],\n)\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        # Through a variable holding the backend: the call goes through the client again.
        Invalid(
            "const { backend } = ddClient;\nawait backend.execInVMExtension('ls');\n",
            "await ddClient.extension.vm!.cli.exec('ls', []);\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        # A `const` template just before the call is split like the same template inline.
        Invalid(
            "const command = `/app/tool status --name=${name}`;\nconst out = await ddClient.backend.execInVMExtension(command);\n",
            "const command = `/app/tool status --name=${name}`;\nconst out = await ddClient.extension.vm!.cli.exec(\"/app/tool\", [\"status\", `--name=${name}`]);\n",
            unsafe=True, message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (`${name}` now reaches the program as (part of) one argument: a value with spaces or shell characters is no longer split or expanded (usually the intent, and safer, but a change); the command was read from `command`)",
        ),
        Invalid("const command = `ls ${dir}`;\nbutton.onclick = () => ddClient.backend.execInVMExtension(command);\n", findings=1),
        # A wrapper: its parameter becomes an argv array, and every call passes the words split.
        Invalid(
            "async function runTool(command: string) {\n"
            "  return ddClient.backend.execInVMExtension(`/app/tool ${command}`);\n"
            "}\n"
            "await runTool('status --json');\n"
            "await runTool('up --hostname=\"my host\"');\n",
            "async function runTool(command: string[]) {\n"
            "  return ddClient.extension.vm!.cli.exec('/app/tool', command);\n"
            "}\n"
            "await runTool(['status', '--json']);\n"
            "await runTool(['up', '--hostname=my host']);\n",
            message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (`runTool` wraps it: `command` now takes the arguments as an array, and its 2 calls pass the words as v0's shell split them)",
        ),
        Invalid(
            "class Tool {\n"
            "  run(args: string) {\n"
            "    return ddClient.backend.execInVMExtension(`/app/tool ${args} --json`);\n"
            "  }\n"
            "  status(name: string) {\n"
            "    return this.run(`status ${name}`);\n"
            "  }\n"
            "}\n",
            "class Tool {\n"
            "  run(args: string[]) {\n"
            "    return ddClient.extension.vm!.cli.exec(\"/app/tool\", [...args, \"--json\"]);\n"
            "  }\n"
            "  status(name: string) {\n"
            "    return this.run([\"status\", `${name}`]);\n"
            "  }\n"
            "}\n",
            unsafe=True, message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (`run` wraps it: `args` now takes the arguments as an array, and its call passes the words as v0's shell split them; unsafe: line 6 assumes `${name}` is one word, where the shell split its value)",
        ),
        # A wrapper whose callers cannot all be split, or are not all seen: no fix at all (never
        # the single-argument rewrite, which is wrong for a caller passing several words).
        Invalid("function run(cmd: string) {\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\nrun(userInput);\n",
                message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid("export function run(cmd: string) {\n  return ddClient.backend.execInVMExtension(`ls ${cmd}`);\n}\n",
                message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid("const run = (flag: string) => ddClient.backend.execInVMExtension(`ls --color=${flag}`);\nrun('auto -l');\n",
                message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        # JavaScript: `vm?.` would skip a chain on the call when there is no backend, where v0
        # threw; unsafe, unless metadata.json declares the backend (`vm`), always there then.
        Invalid(
            "window.ddClient.backend.execInVMExtension('ls /data').then((r) => show(r.stdout));\n",
            "window.ddClient.extension.vm?.cli.exec('ls', ['/data']).then((r) => show(r.stdout));\n",
            filename="list.js", unsafe=True,
            message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (in JavaScript"
                    " `extension.vm?.` silently skips the `.then(...)` chained on the call when the extension has no"
                    " backend (`vm`), where v0 threw; no metadata.json says it has one)",
        ),
        Invalid(
            "window.ddClient.backend.execInVMExtension('ls /data').then((r) => show(r.stdout));\n",
            "window.ddClient.extension.vm?.cli.exec('ls', ['/data']).then((r) => show(r.stdout));\n",
            filename="ui/list.js", files=(("metadata.json", VM_METADATA),),
            message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        Invalid(
            "window.ddClient.backend.execInVMExtension('ls /data').catch(report);\n",
            "window.ddClient.extension.vm?.cli.exec('ls', ['/data']).catch(report);\n",
            filename="ui/list.js", files=(("metadata.json", '{"ui": {}}'),), unsafe=True,
            message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (in JavaScript"
                    " `extension.vm?.` silently skips the `.catch(...)` chained on the call when the extension has no"
                    " backend (`vm`), where v0 threw; its metadata.json declares no `vm` (image or compose file))",
        ),
        # Awaited, the call yields `undefined` and what reads it fails: safe as before; and
        # TypeScript's `vm!.` fails at the call, as v0 did.
        Invalid(
            "const r = await window.ddClient.backend.execInVMExtension('ls /data');\n",
            "const r = await window.ddClient.extension.vm?.cli.exec('ls', ['/data']);\n",
            filename="list.js",
        ),
        Invalid(
            "ddClient.backend.execInVMExtension('ls /data').then((r: any) => show(r.stdout));\n",
            "ddClient.extension.vm!.cli.exec('ls', ['/data']).then((r: any) => show(r.stdout));\n",
        ),
        # What cannot be split here.
        Invalid("await ddClient.backend.execInVMExtension(command);\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid("await ddClient.backend.execInVMExtension(buildCommand());\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid("await ddClient.backend.execInVMExtension('');\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid("await ddClient.backend.execInVMExtension('echo \"unterminated');\n", message="`execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
    )
