"""python-exec: the shim's single-string exec calls to v1 ``cli.exec(cmd, args)`` in Python."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.core.model import Edit
from migrator.core.rule import Invalid, Valid
from migrator.migration.table import CONTAINER, DOCKER, HOST, PYTHON_COMMAND_CODES, VM, python_names
from migrator.python.rule import PythonRule

# Loaded for the first Python file with an exec call (the planner and the shell analyser under it).
pyindex = LazyModule("migrator.python.index")
pycommands = LazyModule("migrator.python.commands")
planner = LazyModule("migrator.migration.execs")

CALLS = python_names("exec")  # method (either spelling) -> its v0-to-v1 table entry
SHOWN = {VM: "extension.vm.cli.exec(cmd, args)", HOST: "extension.host.cli.exec(cmd, args)",
         CONTAINER: 'docker.cli.exec("exec", [container, cmd, *args])', DOCKER: "docker.cli.exec(cmd, [args...])"}
PARAMETERS = {VM: ("cmd",), HOST: ("cmd",), CONTAINER: ("container", "cmd")}

PY = "example.py"
_SETUP = "from migrator.shim import DockerDesktopClient\n\nclient = DockerDesktopClient.from_metadata('metadata.json')\n"


class PythonExec(PythonRule):
    """Python: single-string exec calls move to `cli.exec(cmd, args)`

    ## What it does
    Rewrites the shim's deprecated single-string exec calls to the v1 `cli.exec(cmd, args)`,
    splitting the command string the way the shim split it (like a POSIX shell splits plain
    words: quotes and backslashes removed):

    - `client.backend.execInVMExtension(cmd)` / `exec_in_vm_extension` to
      `client.extension.vm.cli.exec(cmd0, [args])`;
    - `client.backend.execInContainer(container, cmd)` / `exec_in_container` to
      `client.docker.cli.exec("exec", [container, cmd0, *args])`;
    - `client.execHostCmd(cmd)` / `exec_host_cmd` to `client.extension.host.cli.exec(cmd0, [args])`;
    - `client.execDockerCmd(cmd, *args)` / `exec_docker_cmd` to `client.docker.cli.exec(cmd0, [args])`,
      each argument split as the shim split it.

    Only clients from `migrator.shim` are touched, resolved as `python-backend-http` explains.

    ## Why is this bad?
    These are the shim's copies of v0 API names, which Docker deprecated: each call warns, and
    the names go away with the v0 API. The v1 calls take the program and its arguments as a
    list, which is what the shim built from the string anyway.

    A command that holds shell syntax (a pipe, `&&`, a redirection) is reported as
    `python-chained-shell-command`, and one that relies on expansion (`$VAR`, `~`, a glob) as
    `python-shell-expansion`: the shim refuses both with `LegacyCommandError`.

    ## Example
    ```python
    result = client.backend.execInVMExtension("ls -la '/my data'")
    version = client.execHostCmd("kubectl version --client")
    ```

    ## Use instead
    ```python
    result = client.extension.vm.cli.exec("ls", ["-la", "/my data"])
    version = client.extension.host.cli.exec("kubectl", ["version", "--client"])
    ```

    ## Fix safety
    Safe for a command written as a plain string: the shim split it the same way on every
    platform (it never used `cmd.exe`) and ran the same argv. Unsafe when the command holds
    f-string fields or `+` operands: each stays (part of) one argument, while the shim split
    their values at run time (and refused shell characters in them); the message names them.
    Also unsafe when the string is read from a variable assigned once in the file (its value
    is copied into the call), and when an `execDockerCmd` argument is a variable. A variable
    holding an f-string (or a `+` of strings) is split like the same f-string written at the
    call when its assignment is the statement just before, in the same block, and its fields
    are names or attribute reads (so they read the same values at the call). A field outside
    quotes that is a parameter of the function the call is in gets no fix: the shim split its
    value at run time, so callers may pass several words (`run("status --json")`), and the
    function and its callers must change together (to a list of words), by hand. Anything
    else (a variable assigned elsewhere, a call building the string, `*args`) is reported
    without a fix. The container of `execInContainer` is kept as written; the shim refused a
    container name starting with `-`, `docker exec` would read it as an option.

    ## References
    - https://docs.docker.com/extensions/extensions-sdk/dev/api/backend/
    - https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/
    """

    code = "DD502"
    name = "python-exec"
    fixable = "sometimes"
    url = "https://docs.docker.com/reference/api/extensions-sdk/ExtensionCli/"
    emits = PYTHON_COMMAND_CODES

    def check_module(self, ctx, index):
        for member, entry in pyindex.table_members(index, CALLS):
            target = entry.runs
            message = f"`{member.shown(index)}` is deprecated; use `{SHOWN[target]}`{pyindex.via_note(index, member)}"
            receiver, reason = pyindex.receiver_edits(index, member, entry.v1)
            plan = self._docker if target == DOCKER else self._single
            outcome = plan(index, member.call, target, message, receiver, reason)
            start, end = index.span(member.call)
            yield ctx.finding_at(outcome.rule, start, end, outcome.message, edits=outcome.edits,
                                 applicability=outcome.applicability, no_fix_reason=outcome.no_fix_reason)

    def _single(self, index, call, target, message, receiver, reason) -> planner.Outcome:
        names = PARAMETERS[target]
        bound = pyindex.bind_arguments(call, names)
        if reason or bound is None or len(bound) != len(names):
            expected = "a container and a command string" if target == CONTAINER else "one command string"
            return planner.Outcome(self, message, [], no_fix_reason=reason or f"expected {expected}")
        region, reason = arguments_region(index, call)
        quote = index.preferred_quote()
        container = index.text(bound["container"].value, outer=True) if target == CONTAINER else None

        def build(words):
            if container is not None:
                inside = f"{quote}exec{quote}, [{', '.join([container, *words])}]"
            else:
                inside = f"{words[0]}, [{', '.join(words[1:])}]"
            return receiver + [Edit(*region, inside)]

        def run_in_sh(script):
            return receiver + [Edit(*region, f"{quote}sh{quote}, [{quote}-c{quote}, {script}]")]

        outcome = pycommands.plan_exec(index, self, message, bound["cmd"].value, target, build,
                            run_in_sh if target == VM else None)
        if reason and outcome.edits:
            outcome.edits, outcome.no_fix_reason = [], reason
        return outcome

    def _docker(self, index, call, target, message, receiver, reason) -> planner.Outcome:
        outcome = pycommands.plan_docker(index, self, message, call.args)
        if outcome.rule is not self or outcome.no_fix_reason is not None:
            return outcome
        if reason:
            return planner.Outcome(self, outcome.message, [], no_fix_reason=reason)
        items = outcome.edits
        region, reason = arguments_region(index, call)
        edits = receiver + [Edit(*region, f"{items[0]}, [{', '.join(items[1:])}]")]
        return planner.Outcome(self, outcome.message, [] if reason else edits, outcome.applicability, no_fix_reason=reason)

    valid = (
        Valid(_SETUP + "client.extension.vm.cli.exec('ls', ['-l'])\nclient.docker.cli.exec('ps', ['-a'])\n", filename=PY),
        # Look-alikes: objects with the same method names that are not the shim's.
        Valid("import migrator.shim\n\n\nclass Runner:\n    def execHostCmd(self, cmd):\n        return cmd\n\n\n"
              "Runner().execHostCmd('ls -l')\nrunner = Runner()\nrunner.backend.execInVMExtension('ls | wc')\n", filename=PY),
        Valid("import migrator.shim\n\n\ndef run(client):\n    client.execDockerCmd('ps', '-a')\n", filename=PY),
        Valid("from migrator.shim import DockerDesktopClient\n\nDockerDesktopClient = FakeClient\n"
              "DockerDesktopClient().execHostCmd('ls')\n", filename=PY),
        Valid(_SETUP + "client = paramiko.SSHClient()\nclient.execHostCmd('ls')\n", filename=PY),
        Valid(_SETUP + "# client.backend.execInVMExtension('ls')\nDOC = \"client.execHostCmd('ls | wc')\"\n", filename=PY),
    )

    invalid = (
        Invalid(
            _SETUP + "result = client.backend.execInVMExtension(\"ls -la '/my data'\")\n",
            _SETUP + "result = client.extension.vm.cli.exec(\"ls\", [\"-la\", \"/my data\"])\n",
            filename=PY, message="`client.backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        Invalid(
            _SETUP + "client.backend.exec_in_vm_extension('cat  \\t\"/tmp/my file\" a\\\\ b')\n",
            _SETUP + "client.extension.vm.cli.exec('cat', ['/tmp/my file', 'a b'])\n",
            filename=PY, message="`client.backend.exec_in_vm_extension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`",
        ),
        # Host commands: the shim split them like sh on every platform, so this is safe.
        Invalid(
            _SETUP + "version = client.execHostCmd(\"kubectl version --client -o 'json'\")\n",
            _SETUP + "version = client.extension.host.cli.exec(\"kubectl\", [\"version\", \"--client\", \"-o\", \"json\"])\n",
            filename=PY, message="`client.execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`",
        ),
        Invalid(
            "import migrator.shim as shim\n\n\ndef versions(c: shim.DockerDesktopClient):\n"
            "    return c.exec_host_cmd('trivy --version')\n",
            "import migrator.shim as shim\n\n\ndef versions(c: shim.DockerDesktopClient):\n"
            "    return c.extension.host.cli.exec('trivy', ['--version'])\n",
            filename=PY, message="`c.exec_host_cmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`",
        ),
        Invalid(
            _SETUP + "out = client.backend.execInContainer(container_id, 'psql -c \"select 1\"')\n",
            _SETUP + "out = client.docker.cli.exec('exec', [container_id, 'psql', '-c', 'select 1'])\n",
            filename=PY, message="`client.backend.execInContainer()` is deprecated; use `docker.cli.exec(\"exec\", [container, cmd, *args])`",
        ),
        Invalid(
            _SETUP + "images = client.execDockerCmd('images', '--format', '\"{{json .}}\"', '-a --no-trunc')\n",
            _SETUP + "images = client.docker.cli.exec('images', ['--format', '{{json .}}', '-a', '--no-trunc'])\n",
            filename=PY, message="`client.execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args...])`",
        ),
        # The backend stored in a variable: the call goes through the client again.
        Invalid(
            _SETUP + "backend = client.backend\nbackend.execInVMExtension('df -h')\n",
            _SETUP + "backend = client.backend\nclient.extension.vm.cli.exec('df', ['-h'])\n",
            filename=PY, message="`backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (through `backend`, assigned on line 4)",
        ),
        # f-strings and `+`: each value stays one argument, which the shim split at run time.
        Invalid(
            _SETUP + "client.backend.execInVMExtension(f'cat /data/{name}.json --id={item!r}')\n",
            _SETUP + "client.extension.vm.cli.exec('cat', [f'/data/{name}.json', f'--id={item!r}'])\n",
            filename=PY, unsafe=True, message="`client.backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (`{name}`, `{item!r}` now reach the program as (part of) one argument: a value with spaces is no longer split, nor one with shell characters refused, as the shim did at run time (usually the intent, but a change))",
        ),
        Invalid(
            _SETUP + "client.execHostCmd('kubectl logs ' + pod)\n",
            _SETUP + "client.extension.host.cli.exec('kubectl', ['logs', pod])\n",
            filename=PY, unsafe=True, message="`client.execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)` (`pod` now reaches the program as (part of) one argument: a value with spaces is no longer split, nor one with shell characters refused, as the shim did at run time (usually the intent, but a change))",
        ),
        Invalid(
            _SETUP + "client.execDockerCmd('rm', '-f', container_id)\n",
            _SETUP + "client.docker.cli.exec('rm', ['-f', container_id])\n",
            filename=PY, unsafe=True, message="`client.execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args...])` (`container_id` now reaches the program as one argument, or as written: the shim split its value at run time)",
        ),
        # A string held in a variable assigned once: its value is copied into the call.
        Invalid(
            _SETUP + "LIST = 'ls -l /data'\nclient.backend.execInVMExtension(LIST)\n",
            _SETUP + "LIST = 'ls -l /data'\nclient.extension.vm.cli.exec('ls', ['-l', '/data'])\n",
            filename=PY, unsafe=True, message="`client.backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)` (the command was read from `LIST`, whose value is copied into the call)",
        ),
        # An f-string held in a variable assigned just before the call, its fields plain names
        # or attribute reads: split like the same f-string written at the call.
        Invalid(
            _SETUP + "def status(cfg):\n    peer = cfg.peer\n    command = f'/app/tailscale status --peers {peer} --socket={cfg.socket}'\n"
            "    return client.backend.execInVMExtension(command)\n",
            _SETUP + "def status(cfg):\n    peer = cfg.peer\n    command = f'/app/tailscale status --peers {peer} --socket={cfg.socket}'\n"
            "    return client.extension.vm.cli.exec('/app/tailscale', ['status', '--peers', f'{peer}', f'--socket={cfg.socket}'])\n",
            filename=PY, unsafe=True,
        ),
        # A field that is a parameter of the function: its callers may pass several words,
        # which the shim split; the function and its callers change together, by hand. (In
        # quotes, the value was one word: that one is fixed.)
        Invalid(_SETUP + "def run(args):\n    return client.backend.execInVMExtension(f'/app/tailscale {args}')\n", filename=PY),
        Invalid(_SETUP + "def run(args):\n    command = f'/app/tailscale --flags={args}'\n"
                "    return client.backend.execInVMExtension(command)\n", filename=PY),
        Invalid(
            _SETUP + "def show(path):\n    return client.backend.execInVMExtension(f'cat \"{path}\"')\n",
            _SETUP + "def show(path):\n    return client.extension.vm.cli.exec('cat', [f'{path}'])\n",
            filename=PY, unsafe=True,
        ),
        # ... but not when another statement comes between, a field calls something, or the
        # use is inside a function of its own: the values may differ at the call.
        Invalid(_SETUP + "def status(peer):\n    command = f'tailscale ping {peer}'\n    log(peer)\n"
                "    return client.backend.execInVMExtension(command)\n", filename=PY),
        Invalid(_SETUP + "def status():\n    command = f'tailscale ping {pick()}'\n"
                "    return client.backend.execInVMExtension(command)\n", filename=PY),
        Invalid(_SETUP + "def status(peer):\n    command = f'tailscale ping {peer}'\n"
                "    return lambda: client.backend.execInVMExtension(command)\n", filename=PY),
        # What cannot be split here.
        Invalid(_SETUP + "def run(command):\n    client.backend.execInVMExtension(command)\n", filename=PY, message="`client.backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid(_SETUP + "client.execHostCmd(' '.join(parts))\n", filename=PY, message="`client.execHostCmd()` is deprecated; use `extension.host.cli.exec(cmd, args)`"),
        Invalid(_SETUP + "client.execDockerCmd('ps', *flags)\n", filename=PY, message="`client.execDockerCmd()` is deprecated; use `docker.cli.exec(cmd, [args...])`"),
        Invalid(_SETUP + "client.backend.execInVMExtension('echo \"unterminated')\n", filename=PY, message="`client.backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid(_SETUP + "client.backend.execInVMExtension('   ')\n", filename=PY, message="`client.backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
        Invalid(_SETUP + "client.backend.execInVMExtension(b'ls')\n", filename=PY, message="`client.backend.execInVMExtension()` is deprecated; use `extension.vm.cli.exec(cmd, args)`"),
    )


def arguments_region(index, call) -> tuple[tuple[int, int], str | None]:
    """The bytes from the first argument to the end of the last, and why they may not be replaced."""
    start = index.span(call.args[0])[0]
    end = index.span(call.args[-1])[1]
    if index.has_comment_between(start, end):
        return (start, end), "a comment inside the arguments would be lost; rewrite the call by hand"
    return (start, end), None
