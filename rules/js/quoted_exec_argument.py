"""quoted-exec-argument: a v1 exec argument wrapped in quotes that a shell would have removed."""

from __future__ import annotations

import re

from migrator.core.model import Applicability, Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js import strings as jsstrings
from migrator.js.access import arguments_of
from migrator.js.resolve import unwrap
from migrator.migration.execs import SCRIPT_FLAGS, SHELLS
from migrator.rules.js.exec_command_string import EXEC_RECEIVERS

# A whole argument in matching quotes, or an option's value after `=` (`--format='{{json .}}'`).
QUOTED = re.compile(r"((?:--?)?[A-Za-z0-9_.:-]+=)?(['\"])(.*)\2", re.DOTALL)


def _literal_value(ctx, node) -> str | None:
    if node.type == "string":
        try:
            return jsstrings.decode_string_literal(ctx.text(node))
        except jsstrings.JSStringError:
            return None
    return None


def quoted(ctx, node) -> tuple[str, str, str | None] | None:
    """``(shown, without quotes as source, reason there is no fix)`` for an argument wrapped in
    quotes, or None. A double-quoted value holding `$`, a backtick or a backslash was also
    expanded or unescaped by the shell, so only the quotes cannot be removed for it."""
    node = unwrap(node)
    if node.type == "string":
        value = _literal_value(ctx, node)
        if value is None:
            return None
        match = QUOTED.fullmatch(value)
        if match is None or match.group(2) in match.group(3):
            return None
        prefix, quote, inner = match.group(1) or "", match.group(2), match.group(3)
        fixed = jsstrings.encode_string_literal(prefix + inner, ctx.text(node)[0])
        shown = value
    elif node.type == "template_string":
        raw = ctx.text(node)[1:-1]
        match = QUOTED.fullmatch(raw)
        if match is None or match.group(2) in match.group(3) or match.group(3).endswith("\\"):
            return None
        prefix, quote, inner = match.group(1) or "", match.group(2), match.group(3)
        fixed = "`" + prefix + inner + "`"
        shown = raw
    else:
        return None
    if quote == '"' and any(c in inner.replace("${", "") for c in "$`\\"):
        return shown, fixed, "inside double quotes the shell also expanded `$`, backticks and backslashes; remove the quotes by hand"
    return shown, fixed, None


class QuotedExecArgument(Rule):
    """a v1 exec argument is wrapped in quotes that a shell would have removed

    ## What it does
    Checks the argument arrays of v1 `cli.exec(cmd, args)` calls on the Docker Desktop client
    (`docker.cli`, `extension.vm.cli`, `extension.host.cli`) for an argument wrapped whole in
    matching `'...'` or `"..."`, or whose value after `=` is (`--format='{{json .}}'`), and
    for templates that put quotes around a substitution (`` `"${path}"` ``).

    ## Why is this bad?
    v1 exec runs the program with the argv as given and no shell, so nobody removes those
    quotes: the program receives them. `docker.cli.exec("info", ["--format", "'{{json .}}'"])`
    makes docker print `'{...}'` with the quotes, and the `JSON.parse` that follows fails. A
    path in quotes (which cmd.exe or sh removed in v0) names a file that does not exist.
    This rule is apart from `exec-command-string` because the code is valid exec code that
    does the wrong thing, not a command line.

    ## Example
    ```ts
    const info = await ddClient.docker.cli.exec("info", ["--format", "'{{json .}}'"]);
    ```

    ## Use instead
    ```ts
    const info = await ddClient.docker.cli.exec("info", ["--format", "{{json .}}"]);
    ```

    ## Fix safety
    Unsafe: the program now receives different text (almost always the intended one, but a
    program may want the quotes). A double-quoted value holding `$`, a backtick or a
    backslash, which the shell also expanded, is reported without a fix. The script of an
    explicit shell (`sh -c '...'`) is not inspected.

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/
    """

    code = "DD213"
    name = "quoted-exec-argument"
    fixable = "unsafe"
    methods = frozenset({"exec"})

    def on_match(self, ctx, captures):
        if ctx.resolver.kind(captures["cli"][0]) not in EXEC_RECEIVERS:
            return
        args = arguments_of(captures["call"][0])
        array = unwrap(args[1]) if len(args) > 1 else None
        if array is None or array.type != "array":
            return
        program = _literal_value(ctx, unwrap(args[0]))
        for element in (e for e in array.named_children if e.type != "comment"):
            if program in SHELLS and _literal_value(ctx, unwrap(element)) in SCRIPT_FLAGS:
                return  # the rest is a script for an explicit shell
            found = quoted(ctx, element)
            if found is None:
                continue
            shown, fixed, reason = found
            message = (f"the argument `{shown}` is wrapped in quotes a shell would have removed; v1 exec runs no shell "
                       "and passes them to the program with the value: remove them")
            target = unwrap(element)
            yield ctx.finding(self, element, message, edits=[Edit(target.start_byte, target.end_byte, fixed)],
                              applicability=Applicability.UNSAFE, no_fix_reason=reason)

    valid = (
        Valid("await ddClient.docker.cli.exec('info', ['--format', '{{json .}}']);\n"),
        Valid("await ddClient.extension.vm?.cli.exec('sh', ['-c', \"echo 'hi'\"]);\n"),
        Valid("await ddClient.extension.host?.cli.exec('tool', [`--name=${name}`, \"it's\"]);\n"),
        Valid("await other.cli.exec('info', ['--format', \"'{{json .}}'\"]);\n"),
    )

    invalid = (
        Invalid(
            "const info = await ddClient.docker.cli.exec('info', ['--format', \"'{{json .}}'\"]);\n",
            "const info = await ddClient.docker.cli.exec('info', ['--format', \"{{json .}}\"]);\n",
            unsafe=True,
            message="the argument `'{{json .}}'` is wrapped in quotes a shell would have removed; v1 exec runs no shell"
                    " and passes them to the program with the value: remove them",
        ),
        Invalid(
            "await ddClient.docker.cli.exec('ps', [\"--format='{{json .}}'\", '-a']);\n",
            "await ddClient.docker.cli.exec('ps', [\"--format={{json .}}\", '-a']);\n",
            unsafe=True,
            message="the argument `--format='{{json .}}'` is wrapped in quotes a shell would have removed; v1 exec runs no"
                    " shell and passes them to the program with the value: remove them",
        ),
        Invalid(
            "await ddClient.extension.host!.cli.exec('tool', ['open', `\"${path}\"`]);\n",
            "await ddClient.extension.host!.cli.exec('tool', ['open', `${path}`]);\n",
            unsafe=True,
        ),
        Invalid("await ddClient.docker.cli.exec('run', ['-e', '\"HOME=$HOME\"']);\n"),
    )
