"""exec-command-string: v1 ``cli.exec(cmd, args)`` calls written as if a shell would split them."""

from __future__ import annotations

from migrator.core.model import Applicability, Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of
from migrator.js.command import Unknown, read_command, word_source
from migrator.js.resolve import Kind, unwrap
from migrator.migration.execs import CHAINED, EXPANSION, JS_COMMAND_CODES, SCRIPT_FLAGS, SHELLS

EXEC_RECEIVERS = (Kind.VM_CLI, Kind.HOST_CLI, Kind.DOCKER_CLI)
OPERATOR_TOKENS = frozenset({"|", "||", "&&", ";", "&", ">", ">>", "<", "<<", "2>&1", "2>", "&>", "|&", "$(", "`"})


class ExecCommandString(Rule):
    """a v1 `cli.exec` command name holds arguments a shell was expected to split

    ## What it does
    Checks v1 `cli.exec(cmd, args)` calls on the Docker Desktop client
    (`extension.vm.cli`, `extension.host.cli`, `docker.cli`) for strings written as if a
    shell would read them: a `cmd` with spaces (`exec("ls -l", [])`, `exec("sh -c", [...])`)
    is reported here; shell operators and expansions in `cmd` or in the arguments are
    reported as `chained-shell-command` and `shell-expansion`.

    ## Why is this bad?
    v1 exec runs `cmd` with the argv `args` and no shell. `exec("ls -l", [])` looks for a
    program called `ls -l`; `exec("ls", ["-l | grep x"])` passes the pipe to `ls` as text.

    ## Example
    ```ts
    await ddClient.extension.vm?.cli.exec("sh -c", ["ls /data"]);
    ```

    ## Use instead
    ```ts
    await ddClient.extension.vm?.cli.exec("sh", ["-c", "ls /data"]);
    ```

    ## Fix safety
    Unsafe: the fix moves the extra words of `cmd` to the front of the argument array,
    which changes what runs (from a program that does not exist to the intended one).
    Only done when `cmd` is a static string that splits cleanly and `args` is an array
    literal. An explicit shell script (`sh -c`, `bash -c`, `powershell -Command`) is the
    legitimate way to run a script and its script argument is not inspected.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    """

    code = "DD212"
    name = "exec-command-string"
    fixable = "unsafe"
    methods = frozenset({"exec"})
    emits = JS_COMMAND_CODES

    def on_match(self, ctx, captures):
        if ctx.resolver.kind(captures["cli"][0]) not in EXEC_RECEIVERS:
            return
        call = captures["call"][0]
        args = arguments_of(call)
        if not args:
            return
        cmd_node = args[0]
        array = unwrap(args[1]) if len(args) > 1 else None
        elements = [e for e in array.named_children if e.type != "comment"] if array is not None and array.type == "array" else []
        try:
            command = read_command(ctx, cmd_node)
        except Unknown:
            command = None
        cmd_words = None
        if command is not None and command.is_static:
            found = self._problems(ctx, call, command, "the command name")
            if found:
                yield found
                return
            cmd_words = command.analysis.words
        program = cmd_words[0].text if cmd_words else None
        script_next = False
        for element in elements:
            if script_next:
                break  # the rest is a script for an explicit shell
            try:
                arg = read_command(ctx, element)
            except Unknown:
                script_next = False
                continue
            if program in SHELLS and arg.is_static and arg.analysis.words and \
                    [w.text for w in arg.analysis.words if w.is_static] == [arg.analysis.words[0].text] and \
                    arg.analysis.words[0].text in SCRIPT_FLAGS:
                script_next = True
                continue
            if arg.is_static:
                found = self._problems(ctx, call, arg, "an argument", args_only=True)
                if found:
                    yield found
                    return
        if cmd_words and len(cmd_words) > 1:
            yield self._split_cmd(ctx, call, command, cmd_words, args, array)

    def _problems(self, ctx, call, command, what, args_only=False):
        analysis = command.analysis
        text = "".join(command.segments).strip()
        # A lone argument like `a|b` is usually data (a grep pattern); an argument that is an
        # operator, or holds one between words, was written for a shell.
        looks_like_shell = not args_only or text in OPERATOR_TOKENS or any(c.isspace() for c in text)
        at = command.node if args_only else call  # a finding about an argument points at it
        if analysis.operators and looks_like_shell:
            shown = ", ".join(dict.fromkeys(f"`{p.text}`" for p in analysis.operators))
            return ctx.finding(
                CHAINED, at,
                f"{what} holds shell syntax ({shown}): {analysis.operators[0].message}. Run one exec per "
                "command and pass results on in JavaScript, or run a script explicitly with `sh -c`",
                no_fix_reason="the intent of a shell command line cannot be guessed")
        # In arguments, a glob character is usually meant literally (docker filters); a `$`
        # or a leading `~` is not.
        expansions = [p for p in analysis.expansions if not args_only or p.text[:1] in ("$", "~")]
        if expansions:
            shown = ", ".join(dict.fromkeys(f"`{p.text}`" for p in expansions))
            return ctx.finding(
                EXPANSION, at,
                f"{what} relies on shell expansion ({shown}): {expansions[0].message}. v1 exec expands "
                "nothing: compute the value in JavaScript",
                no_fix_reason="the intended value cannot be known here")
        return None

    def _split_cmd(self, ctx, call, command, words, args, array):
        shown = ctx.text(command.node)
        message = (f"the command name {shown} holds arguments; v1 exec runs no shell, so it looks for a "
                   f"program with that whole name: pass `{words[0].text}` and put the rest in the argument array")
        if len(args) > 1 and (array is None or array.type != "array" or array is not args[1]):
            return ctx.finding(self, call, message, no_fix_reason="the arguments are not an array literal")
        head = word_source(ctx, command, words[0])
        extra = [word_source(ctx, command, w) for w in words[1:]]
        edits = [Edit(command.node.start_byte, command.node.end_byte, head)]
        if len(args) == 1:
            edits.append(Edit(command.node.end_byte, command.node.end_byte, f", [{', '.join(extra)}]"))
        else:
            has_items = any(c.type != "comment" for c in array.named_children)
            edits.append(Edit(array.start_byte + 1, array.start_byte + 1, ", ".join(extra) + (", " if has_items else "")))
        return ctx.finding(self, call, message, edits=edits, applicability=Applicability.UNSAFE)

    valid = (
        Valid("await ddClient.extension.vm?.cli.exec('ls', ['-l']);\n"),
        Valid("await ddClient.extension.vm?.cli.exec('sh', ['-c', 'ls | wc -l']);\n"),
        Valid("await ddClient.extension.host?.cli.exec('pwsh', ['-Command', 'Get-Item $env:TEMP']);\n"),
        Valid("await ddClient.docker.cli.exec('ps', ['--format', '{{json .}}', '--filter', 'name=web*']);\n"),
        Valid("await child_process.exec('ls -l | wc', []);\nawait api.cli.exec('ls -l', []);\n"),
        Valid("await ddClient.docker.cli.exec(cmd, args);\n"),
    )

    invalid = (
        Invalid(
            "await ddClient.extension.vm?.cli.exec('ls -l', []);\n",
            "await ddClient.extension.vm?.cli.exec('ls', ['-l']);\n",
            unsafe=True, message="the command name 'ls -l' holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `ls` and put the rest in the argument array",
        ),
        Invalid(
            "await ddClient.extension.vm?.cli.exec(\"sh -c\", [script]);\n",
            "await ddClient.extension.vm?.cli.exec(\"sh\", [\"-c\", script]);\n",
            unsafe=True, message="the command name \"sh -c\" holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `sh` and put the rest in the argument array",
        ),
        Invalid(
            "const cli = ddClient.docker.cli;\nawait cli.exec('image ls', ['--all']);\n",
            "const cli = ddClient.docker.cli;\nawait cli.exec('image', ['ls', '--all']);\n",
            unsafe=True, message="the command name 'image ls' holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `image` and put the rest in the argument array",
        ),
        Invalid("await ddClient.extension.vm?.cli.exec('ls -l', flags);\n", message="the command name 'ls -l' holds arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `ls` and put the rest in the argument array"),
    )
