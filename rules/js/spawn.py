"""spawn-in-vm-extension, spawn-host-cmd, spawn-docker-cmd: callbacks become v1 stream handlers."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.model import Applicability, Edit
from migrator.core.rule import Invalid, Rule, Valid
from migrator.js.access import arguments_of, backend_call
from migrator.js.execs import chain_note, member_path
from migrator.js.metadata import program_of, unshipped_note
from migrator.js.resolve import Kind
from migrator.js.stream import callback_edits
from migrator.migration.table import HOST, JS_COMMAND_CODES, MEMBERS, VM
from migrator.rules.js.exec_in_vm_extension import receiver_edits

jsargv = LazyModule("migrator.js.argv")  # with the shell analyser: loaded at the first spawn call


class _Spawn(Rule):
    method = ""
    fixable = "sometimes"
    emits = JS_COMMAND_CODES
    url = "https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.method:
            cls.methods = frozenset({cls.method})
            cls.entry = MEMBERS[cls.method]

    def receiver(self, ctx, call_node):
        """(edits for the callee, reason) or None when the receiver is not the client's."""
        raise NotImplementedError

    def on_match(self, ctx, captures):
        call = captures["call"][0]
        found = self.receiver(ctx, call)
        if found is None:
            return
        edits, reason = found
        message = f"`{self.method}()` is deprecated; use `{self.entry.v1}(cmd, args, {{ stream }})`; {self.entry.result}"
        args = arguments_of(call)
        if not reason and len(args) != 3:
            reason = "expected a command, its arguments and a callback"
        # The v1 call keeps (cmd, args) as they are: what the rules on v1 calls check there
        # (exec-command-string, quoted-exec-argument, shell syntax) is decided here, first.
        argv = jsargv.examine(ctx, args[0], args[1], self.entry.runs) if len(args) >= 2 else None
        if argv is not None and argv.problem is not None:
            yield self._needs_shell(ctx, call, argv)
            return
        applicability = Applicability.SAFE
        notes = []
        if argv is not None:
            argv_edits, argv_notes, argv_reason = self._argv_edits(ctx, argv, args)
            notes += argv_notes
            if argv_edits:
                edits = (edits or []) + argv_edits
                applicability = Applicability.UNSAFE
            reason = reason or argv_reason
        if not reason:
            stream, reason, note = callback_edits(ctx, call, args[2])
            edits = edits + stream
            if note:
                applicability = Applicability.UNSAFE
                notes.append(note)
            shipped = unshipped_note(ctx, program_of(ctx, args[0])) if self.entry.runs == HOST else None
            if shipped:  # never a safe fix for a host program the extension does not ship
                applicability = Applicability.UNSAFE
                notes.append(shipped)
        if not reason and self.entry.runs in (VM, HOST):
            chained = chain_note(ctx, call, self.entry.runs)
            if chained:  # `vm?.` or `host?.` would skip what is chained on the call, where v0 threw
                applicability = Applicability.UNSAFE
                notes.append(chained)
        message += "".join(f" ({note})" for note in notes)
        yield ctx.finding(self, call, message, edits=edits if not reason else (), no_fix_reason=reason,
                          applicability=applicability)

    def _needs_shell(self, ctx, call, argv):
        """A command name or an argument that needs a shell: v1 exec cannot run it as written,
        so no fix (whatever v0 did with it, the v1 call would pass it to the program as text)."""
        problem = argv.problem
        what = "its command name" if argv.problem_in_command else "an argument"
        message = (f"`{self.method}()` is deprecated; use `{self.entry.v1}(cmd, args, {{ stream }})`, but "
                   + problem.message(what))
        return ctx.finding(problem.rule, problem.node or call, message, no_fix_reason=problem.reason)

    def _argv_edits(self, ctx, argv, args):
        """``(edits, notes, reason)`` that make ``(cmd, args)`` what v1 exec needs: the words of
        a command name moved into the argument array, quotes a shell would have removed taken
        away. Each changes what the program receives, so the fix is then unsafe."""
        edits, notes = [], []
        if argv.splits_command:
            shown = ctx.text(argv.command.node)
            head = argv.words[0].text
            if argv.array is None or argv.array != args[1]:
                return [], [], (f"the command name {shown} holds arguments, which v1 exec needs in the argument array,"
                                " and the arguments are not an array literal; move them by hand")
            edits += jsargv.split_edits(ctx, argv, True)
            notes.append(f"the command name {shown} holds arguments; v1 exec runs no shell, so it looks for a program "
                         f"with that whole name: pass `{head}` and put the rest in the argument array; whether v0's spawn "
                         "split the name is not known")
        for quoted in argv.quoted:
            if quoted.reason:
                return [], [], f"the argument `{quoted.shown}` is wrapped in quotes a shell would have removed; {quoted.reason}"
            edits.append(quoted.edit)
            notes.append(jsargv.quoted_message(quoted))
        return edits, notes, None


class _BackendSpawn(_Spawn):
    def receiver(self, ctx, call_node):
        call = backend_call(ctx, call_node)
        if call is None:
            return None
        return receiver_edits(ctx, call, member_path(ctx, self.entry.runs))


class _ClientSpawn(_Spawn):
    def receiver(self, ctx, call_node):
        callee = call_node.child_by_field_name("function")
        if ctx.resolver.kind(callee.child_by_field_name("object")) is not Kind.CLIENT:
            return None
        method = callee.child_by_field_name("property")
        return [Edit(method.start_byte, method.end_byte, member_path(ctx, self.entry.runs))], None


_SHARED_DOC = """
    The v0 callback got `{stdout}` or `{stderr}` chunks, `{code}` when the process ended, and
    the error as its second argument; the fix calls it with the same shapes from
    `onOutput`, `onClose` and `onError`. A named callback keeps its name. An inline callback
    is first named with a `const` just before the statement (`handleOutput`), and in
    TypeScript its untyped parameters get `: any`, the type v0 gave them. The call now returns
    an `ExecProcess` whose `close()` stops the process, instead of `void`.

    ## Fix safety
    Safe: the callback receives what it received before. Unsafe when the callback is read
    from a member (`this.onLogs`): the handlers read it again at each event and call it as a
    method, where v0 received the function once and called it without `this` (the Python
    codemod decides the same for `self.on_log`). A callback that is an expression with side
    effects, or an inline callback that is not in a statement of its own, is reported without
    a fix. A `spawnHostCmd` of a program that the extension's `metadata.json` does not ship
    in `host.binaries` for every platform is unsafe too, and the message says so
    (`host-binary-not-shipped`).

    The command and its arguments move as they are, so what the rules on v1 calls check
    there (`exec-command-string`, `quoted-exec-argument`, `chained-shell-command`,
    `shell-expansion`) is decided here first, and the fix never writes a call that one of
    them then flags. v0 took the command apart from its arguments, as v1 does, and no shell
    between them is documented (ddmigrate's own runtime shims pass both to v1 `exec` unchanged), so
    nothing is assumed split or expanded, unlike the single-string exec calls. But v1 exec
    certainly runs no shell:

    - A command name holding several plain words (`spawnHostCmd("kubectl logs", ["-f", pod], cb)`)
      gets its extra words moved to the front of the argument array
      (`exec("kubectl", ["logs", "-f", pod], ...)`): unsafe, since whether v0 split the name
      is not known (the call may have failed before, looking for a program `kubectl logs`).
      When the arguments are not an array literal, there is no fix.
    - Shell syntax or an expansion in the command name or in an argument (`|`, `&&`, `$(...)`,
      backticks, `$VAR`, `~`) is reported as `chained-shell-command` or `shell-expansion`,
      without a fix: the v1 call would pass it to the program as text. The message suggests
      `sh -c` for `spawnInVMExtension` only (never for the host, which may be Windows, nor for
      docker); the fix does not write it, since no shell is documented for v0's spawn.
    - An argument wrapped whole in quotes a shell would have removed (`"'{{json .}}'"`,
      `"--format='{{json .}}'"`) has them removed, as `quoted-exec-argument` does: unsafe; a
      double-quoted value holding `$`, a backtick or a backslash gets no fix.

    In JavaScript, a `spawnInVMExtension` whose result is used in the same chain
    (`spawnInVMExtension(...).x`) is unsafe, as for `exec-in-vm-extension`: `vm?.` would skip
    the chain when the extension has no backend.
"""


class SpawnInVmExtension(_BackendSpawn):
    __doc__ = """`backend.spawnInVMExtension(cmd, args, cb)` moves to `extension.vm.cli.exec(cmd, args, { stream })`

    ## What it does
    Rewrites `backend.spawnInVMExtension(cmd, args, callback)` to
    `extension.vm.cli.exec(cmd, args, { stream: { onOutput, onError, onClose } })`.

    ## Why is this bad?
    `spawnInVMExtension` belongs to the deprecated v0 API and will be removed.
    """ + _SHARED_DOC + """
    ## Example
    ```ts
    ddClient.backend.spawnInVMExtension("tail", ["-f", "/var/log/app.log"], onLog);
    ```

    ## Use instead
    ```ts
    ddClient.extension.vm!.cli.exec("tail", ["-f", "/var/log/app.log"], {
      stream: {
        onOutput: (data) => onLog(data, undefined),
        onError: (error) => onLog(undefined, error),
        onClose: (exitCode) => onLog({ code: exitCode }, undefined),
      },
    });
    ```

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionVM/
    """
    code = "DD205"
    name = "spawn-in-vm-extension"
    method = "spawnInVMExtension"

    valid = (
        Valid("ddClient.extension.vm?.cli.exec('tail', ['-f', 'x'], { stream: { onOutput: log } });\n"),
        Valid("worker.backend.spawnInVMExtension('tail', [], log);\n"),
    )
    invalid = (
        Invalid(
            "ddClient.backend.spawnInVMExtension(\"tail\", [\"-f\", \"/var/log/app.log\"], onLog);\n",
            "ddClient.extension.vm!.cli.exec(\"tail\", [\"-f\", \"/var/log/app.log\"], {\n"
            "  stream: {\n"
            "    onOutput: (data) => onLog(data, undefined),\n"
            "    onError: (error) => onLog(undefined, error),\n"
            "    onClose: (exitCode) => onLog({ code: exitCode }, undefined),\n"
            "  },\n"
            "});\n",
        ),
    )


class SpawnHostCmd(_ClientSpawn):
    __doc__ = """`spawnHostCmd(cmd, args, cb)` moves to `extension.host.cli.exec(cmd, args, { stream })`

    ## What it does
    Rewrites `ddClient.spawnHostCmd(cmd, args, callback)` to
    `extension.host.cli.exec(cmd, args, { stream: { onOutput, onError, onClose } })`.

    ## Why is this bad?
    `spawnHostCmd` belongs to the deprecated v0 API and will be removed.
    """ + _SHARED_DOC + """
    ## Example
    ```js
    window.ddClient.spawnHostCmd("kubectl", ["get", "pods", "-w"], (data, error) => {
      console.log(data, error);
    });
    ```

    ## Use instead
    ```js
    const handleOutput = (data, error) => {
      console.log(data, error);
    };
    window.ddClient.extension.host?.cli.exec("kubectl", ["get", "pods", "-w"], {
      stream: {
        onOutput: (data) => handleOutput(data),
        onError: (error) => handleOutput(undefined, error),
        onClose: (exitCode) => handleOutput({ code: exitCode }),
      },
    });
    ```

    ## References
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionHost/
    """
    code = "DD206"
    name = "spawn-host-cmd"
    method = "spawnHostCmd"

    valid = (
        Valid("ddClient.extension.host?.cli.exec('kubectl', [], { stream: { onOutput: log } });\n"),
        Valid("tools.spawnHostCmd('kubectl', [], log);\n"),
    )
    invalid = (
        Invalid(
            "export function pods(ns) {\n"
            "    window.ddClient.spawnHostCmd(\"kubectl\", [\"get\", \"pods\", \"-n\", ns], (data, error) => {\n"
            "        console.log(data, error);\n"
            "    });\n"
            "}\n",
            "export function pods(ns) {\n"
            "    const handleOutput = (data, error) => {\n"
            "        console.log(data, error);\n"
            "    };\n"
            "    window.ddClient.extension.host?.cli.exec(\"kubectl\", [\"get\", \"pods\", \"-n\", ns], {\n"
            "        stream: {\n"
            "            onOutput: (data) => handleOutput(data),\n"
            "            onError: (error) => handleOutput(undefined, error),\n"
            "            onClose: (exitCode) => handleOutput({ code: exitCode }),\n"
            "        },\n"
            "    });\n"
            "}\n",
            filename="pods.js",
        ),
        Invalid(
            "ddClient.spawnHostCmd('kubectl', ['get', 'pods', '-w'], function (data, error) {\n"
            "  if (data?.stdout) setLines((l) => [...l, data.stdout]);\n"
            "});\n",
            "const handleOutput = function (data: any, error: any) {\n"
            "  if (data?.stdout) setLines((l) => [...l, data.stdout]);\n"
            "};\n"
            "ddClient.extension.host!.cli.exec('kubectl', ['get', 'pods', '-w'], {\n"
            "  stream: {\n"
            "    onOutput: (data) => handleOutput(data, undefined),\n"
            "    onError: (error) => handleOutput(undefined, error),\n"
            "    onClose: (exitCode) => handleOutput({ code: exitCode }, undefined),\n"
            "  },\n"
            "});\n",
        ),
        Invalid("const p = () => ddClient.spawnHostCmd('kubectl', [], (d, e) => log(d, e));\n"),
        # A command name with several words: v1 needs them in the arguments (unsafe: whether
        # v0 split the name is not known). Fixed once, the v1 call is clean.
        Invalid(
            "window.ddClient.spawnHostCmd(\"kubectl logs\", [\"-f\", pod], onLog);\n",
            "window.ddClient.extension.host?.cli.exec(\"kubectl\", [\"logs\", \"-f\", pod], {\n"
            "  stream: {\n"
            "    onOutput: (data) => onLog(data),\n"
            "    onError: (error) => onLog(undefined, error),\n"
            "    onClose: (exitCode) => onLog({ code: exitCode }),\n"
            "  },\n"
            "});\n",
            filename="logs.js", unsafe=True,
            message="`spawnHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args, { stream })`; the call now"
                    " returns an `ExecProcess` (with `close()`) instead of `void` (the command name \"kubectl logs\" holds"
                    " arguments; v1 exec runs no shell, so it looks for a program with that whole name: pass `kubectl` and"
                    " put the rest in the argument array; whether v0's spawn split the name is not known)",
        ),
        Invalid(
            "ddClient.spawnHostCmd('kubectl get', [], onLog);\n",
            "ddClient.extension.host!.cli.exec('kubectl', ['get'], {\n"
            "  stream: {\n"
            "    onOutput: (data) => onLog(data, undefined),\n"
            "    onError: (error) => onLog(undefined, error),\n"
            "    onClose: (exitCode) => onLog({ code: exitCode }, undefined),\n"
            "  },\n"
            "});\n",
            unsafe=True,
        ),
        # ... and with arguments that are not an array literal, no fix.
        Invalid("ddClient.spawnHostCmd('kubectl logs', args, onLog);\n"),
    )


class SpawnDockerCmd(_ClientSpawn):
    __doc__ = """`spawnDockerCmd(cmd, args, cb)` moves to `docker.cli.exec(cmd, args, { stream })`

    ## What it does
    Rewrites `ddClient.spawnDockerCmd(cmd, args, callback)` to
    `docker.cli.exec(cmd, args, { stream: { onOutput, onError, onClose } })`.

    ## Why is this bad?
    `spawnDockerCmd` belongs to the deprecated v0 API and will be removed.
    """ + _SHARED_DOC + """
    ## Example
    ```ts
    ddClient.spawnDockerCmd("logs", ["-f", id], this.onLogs);
    ```

    ## Use instead
    ```ts
    ddClient.docker.cli.exec("logs", ["-f", id], {
      stream: {
        onOutput: (data) => this.onLogs(data, undefined),
        onError: (error) => this.onLogs(undefined, error),
        onClose: (exitCode) => this.onLogs({ code: exitCode }, undefined),
      },
    });
    ```

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/docker/
    """
    code = "DD207"
    name = "spawn-docker-cmd"
    method = "spawnDockerCmd"

    valid = (
        Valid("ddClient.docker.cli.exec('logs', ['-f', id], { stream: { onOutput: log } });\n"),
        Valid("other.spawnDockerCmd('logs', [], log);\n"),
    )
    invalid = (
        Invalid(
            "class Logs {\n  id = '';\n  onLogs = (data: any, error: any) => {};\n  start() {\n"
            "    ddClient.spawnDockerCmd(\"logs\", [\"-f\", this.id], this.onLogs);\n  }\n}\n",
            "class Logs {\n  id = '';\n  onLogs = (data: any, error: any) => {};\n  start() {\n    ddClient.docker.cli.exec(\"logs\", [\"-f\", this.id], {\n"
            "      stream: {\n"
            "        onOutput: (data) => this.onLogs(data, undefined),\n"
            "        onError: (error) => this.onLogs(undefined, error),\n"
            "        onClose: (exitCode) => this.onLogs({ code: exitCode }, undefined),\n"
            "      },\n"
            "    });\n  }\n}\n",
            unsafe=True,
            message="`spawnDockerCmd()` is deprecated; use `docker.cli.exec(cmd, args, { stream })`; the call now returns"
                    " an `ExecProcess` (with `close()`) instead of `void` (`this.onLogs` is now looked up each time a"
                    " handler runs, not once when the command starts, and called as a method of its object (v0 called"
                    " it without `this`))",
        ),
        Invalid("ddClient.spawnDockerCmd('logs', ['-f', id], makeHandler());\n"),
        # Quotes a shell would have removed: taken away, as quoted-exec-argument does (unsafe).
        Invalid(
            "ddClient.spawnDockerCmd('events', ['--format', \"'{{json .}}'\"], onEvent);\n",
            "ddClient.docker.cli.exec('events', ['--format', \"{{json .}}\"], {\n"
            "  stream: {\n"
            "    onOutput: (data) => onEvent(data, undefined),\n"
            "    onError: (error) => onEvent(undefined, error),\n"
            "    onClose: (exitCode) => onEvent({ code: exitCode }, undefined),\n"
            "  },\n"
            "});\n",
            unsafe=True,
            message="`spawnDockerCmd()` is deprecated; use `docker.cli.exec(cmd, args, { stream })`; the call now returns"
                    " an `ExecProcess` (with `close()`) instead of `void` (the argument `'{{json .}}'` is wrapped in quotes"
                    " a shell would have removed; v1 exec runs no shell and passes them to the program with the value:"
                    " remove them)",
        ),
        Invalid("ddClient.spawnDockerCmd('logs', ['-f', '\"C:\\\\logs\"'], onLog);\n"),
    )
