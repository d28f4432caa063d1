"""`ddmigrate server` end to end: a real LSP client of the suite's own (JSON-RPC with
Content-Length framing) talking to the server process over its standard input and output."""

from __future__ import annotations

import json
import os
import pathlib
import queue
import subprocess
import sys
import textwrap
import threading

import pytest

# Long enough for a loaded CI machine; a test waiting this long has failed.
TIMEOUT = 60

LEGACY = "window.ddClient.backend.get('/hello');\n"
FIXED = "window.ddClient.extension.vm?.service?.get('/hello');\n"


class Client:
    """A minimal LSP client: requests with ids, notifications, and a queue of what the server says."""

    def __init__(self, cwd: pathlib.Path, bootstrap: str | None = None) -> None:
        args = [sys.executable, "-c", bootstrap] if bootstrap else [sys.executable, "-m", "migrator", "server"]
        env = {**os.environ, "PYTHONPATH": str(pathlib.Path(__file__).resolve().parent.parent)}
        self.process = subprocess.Popen(args, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env)
        self.messages: queue.Queue = queue.Queue()
        self.responses: dict[int, dict] = {}
        self.notifications: list[dict] = []
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.versions: dict[str, int] = {}

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict | None = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict | None = None) -> dict:
        """The whole response (``result`` or ``error``)."""
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m)

    def wait(self, accept) -> dict:
        """The next message ``accept`` takes; requests from the server are answered on the way."""
        while True:
            try:
                message = self.messages.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError("the server said nothing in time") from None
            if message is None:
                raise AssertionError(f"the server closed its output: {self.process.stderr.read().decode()}")
            if "method" in message and "id" in message:  # a request from the server (registerCapability)
                self.send({"id": message["id"], "result": None})
            if accept(message):
                return message
            if "method" in message:
                self.notifications.append(message)

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict]:
        """The diagnostics published for ``uri`` at ``version`` (the latest one sent by default)."""
        version = self.versions.get(uri) if version is None else version

        def accept(m):
            return (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                    and m["params"].get("version") == version)

        return self.wait(accept)["params"]["diagnostics"]

    def initialize(self, root: pathlib.Path, capabilities: dict | None = None) -> dict:
        response = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": capabilities or {},
        })
        self.notify("initialized", {})
        return response["result"]

    def open(self, path: pathlib.Path, text: str, language: str = "typescript") -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1,
                                                              "text": text}})
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                               "contentChanges": [{"text": text}]})

    def code_actions(self, uri: str, diagnostics: list[dict], only: list[str] | None = None) -> list[dict]:
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 10_000, "character": 0}}
        rng = diagnostics[0]["range"] if diagnostics else whole
        context = {"diagnostics": diagnostics, **({"only": only} if only else {})}
        response = self.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng,
                                                             "context": context})
        assert "error" not in response, response
        return response["result"] or []

    def close(self) -> int:
        """shutdown, exit: the exit status."""
        response = self.request("shutdown")
        assert "error" not in response, response
        self.notify("exit")
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            stream.close()


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "extension"
    root.mkdir()
    return root


@pytest.fixture
def client(workspace):
    started = Client(workspace)
    yield started
    started.kill()


def apply_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP text edits (UTF-16 positions, ranges in the original text) as a client does."""
    units = text.encode("utf-16-le")
    lines = [0]
    for index in range(0, len(units), 2):
        if units[index:index + 2] == b"\n\x00":
            lines.append(index // 2 + 1)

    def offset(position):
        return lines[position["line"]] + position["character"] if position["line"] < len(lines) else len(units) // 2

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits), reverse=True)
    for start, end, new in spans:
        units = units[:start * 2] + new.encode("utf-16-le") + units[end * 2:]
    return units.decode("utf-16-le")


def edits_of(action: dict, uri: str) -> list[dict]:
    changes = action["edit"].get("documentChanges")
    if changes:
        return [e for change in changes if change["textDocument"]["uri"] == uri for e in change["edits"]]
    return action["edit"]["changes"][uri]


def cli_fix(workspace: pathlib.Path, name: str, text: str) -> str:
    done = subprocess.run([sys.executable, "-m", "migrator", "fix", "-", "--stdin-filename", name, "--no-cache"],
                          input=text.encode(), cwd=workspace, capture_output=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.decode()


def test_initialize_diagnostics_on_open(client, workspace):
    result = client.initialize(workspace)
    capabilities = result["capabilities"]
    assert capabilities["codeActionProvider"]["codeActionKinds"]
    assert capabilities["hoverProvider"]
    assert result["serverInfo"]["name"] == "ddmigrate"
    uri = client.open(workspace / "App.ts", "const a = 1;\n" + LEGACY)
    [diagnostic] = client.diagnostics(uri)
    assert diagnostic["code"] == "DD101"
    assert diagnostic["source"] == "ddmigrate"
    assert diagnostic["severity"] == 2  # warning
    assert diagnostic["codeDescription"]["href"].startswith("https://")
    assert diagnostic["range"]["start"] == {"line": 1, "character": 0}
    assert client.close() == 0


def test_change_updates_and_clears(client, workspace):
    client.initialize(workspace)
    uri = client.open(workspace / "App.ts", "const a = 1;\n")
    assert client.diagnostics(uri) == []
    client.change(uri, LEGACY + LEGACY)
    assert [d["range"]["start"]["line"] for d in client.diagnostics(uri)] == [0, 1]
    client.change(uri, "window.ddClient.backend.get('/x');\n")
    client.change(uri, FIXED)  # the last version wins: only its diagnostics are published
    assert client.diagnostics(uri) == []
    assert client.close() == 0


def test_every_language(client, workspace):
    client.initialize(workspace)
    samples = {
        "a.js": ("javascript", LEGACY),
        "b.tsx": ("typescriptreact", "export const A = () => <b>{String(window.ddClient.backend.get('/x'))}</b>;\n"),
        "c.html": ("html", f"<script>\n{LEGACY}</script>\n"),
        "d.vue": ("vue", f"<template><p/></template>\n<script>\n{LEGACY}</script>\n"),
        "g.svelte": ("svelte", f"<script>\n{LEGACY}</script>\n<p>{{x}}</p>\n"),
        "e.md": ("markdown", f"# Notes\n\n```js\n{LEGACY}```\n"),
        "f.py": ("python", "from migrator.shim import DockerDesktopClient\n\n"
                           "client = DockerDesktopClient.from_metadata('metadata.json')\nclient.backend.get('/items')\n"),
    }
    for name, (language, text) in samples.items():
        uri = client.open(workspace / name, text, language)
        expected = subprocess.run([sys.executable, "-m", "migrator", "check", "-", "--stdin-filename", name,
                                   "--format", "json", "--no-cache"], input=text.encode(), cwd=workspace,
                                  capture_output=True, check=False)
        codes = [f["code"] for f in json.loads(expected.stdout)["findings"]]
        assert [d["code"] for d in client.diagnostics(uri)] == codes, name
        assert codes, name
    assert client.close() == 0


def test_quick_fix_applied(client, workspace):
    client.initialize(workspace)
    text = "const a = 1;\n" + LEGACY
    uri = client.open(workspace / "App.ts", text)
    diagnostics = client.diagnostics(uri)
    actions = client.code_actions(uri, diagnostics, only=["quickfix"])
    [fix] = [a for a in actions if a.get("isPreferred")]
    assert fix["kind"] == "quickfix" and "DD101" in fix["title"] and "(unsafe)" not in fix["title"]
    assert fix["diagnostics"][0]["code"] == "DD101"
    fixed = apply_edits(text, edits_of(fix, uri))
    assert fixed == "const a = 1;\n" + FIXED
    client.change(uri, fixed)
    assert client.diagnostics(uri) == []
    assert client.close() == 0


def test_unsafe_fix_labelled_and_left_out_of_fix_all(client, workspace):
    client.initialize(workspace)
    text = "window.ddClient.backend('my-extension').get('/x');\n" + LEGACY
    uri = client.open(workspace / "App.ts", text)
    diagnostics = client.diagnostics(uri)
    first = [d for d in diagnostics if d["range"]["start"]["line"] == 0]
    [unsafe] = [a for a in client.code_actions(uri, first, only=["quickfix"]) if "suppress" not in a["title"]]
    assert unsafe["title"].endswith("(unsafe)") and not unsafe.get("isPreferred")
    assert apply_edits(text, edits_of(unsafe, uri)).startswith("window.ddClient.extension.vm?.service?.get('/x');\n")
    [fix_all] = client.code_actions(uri, [], only=["source.fixAll.ddmigrate"])
    fixed = apply_edits(text, edits_of(fix_all, uri))
    assert fixed == cli_fix(workspace, "App.ts", text)
    assert fixed.startswith("window.ddClient.backend('my-extension')")  # the unsafe fix is not applied
    assert client.close() == 0


def test_suppress_action(client, workspace):
    client.initialize(workspace)
    text = "const v = await ddClient.backend.get('/a');\n"
    uri = client.open(workspace / "App.ts", text)
    diagnostics = client.diagnostics(uri)
    assert diagnostics
    [suppress] = [a for a in client.code_actions(uri, diagnostics) if "suppress" in a["title"]]
    suppressed = apply_edits(text, edits_of(suppress, uri))
    assert "ddmigrate: ignore[DD101]" in suppressed
    client.change(uri, suppressed)
    assert client.diagnostics(uri) == []
    check = subprocess.run([sys.executable, "-m", "migrator", "check", "-", "--stdin-filename", "App.ts"],
                           input=suppressed.encode(), cwd=workspace, capture_output=True, check=False)
    assert check.returncode == 0, check.stdout  # the CLI understands the comment too
    assert client.close() == 0


def test_fix_all_is_the_cli_fix(client, workspace):
    client.initialize(workspace)
    text = textwrap.dedent("""\
        // héllo ünïcode 🐳
        window.ddClient.backend.get('/hello');
        const out = await window.ddClient.execHostCmd('ls -l');
        window.ddClient.toastSuccess('done 🐳');
        window.ddClient.backend.post("/items", { name: 'a' });
        """)
    uri = client.open(workspace / "App.ts", text)
    diagnostics = client.diagnostics(uri)
    assert len(diagnostics) >= 3
    actions = client.code_actions(uri, [], only=["source.fixAll"])
    [fix_all] = actions
    assert fix_all["kind"] == "source.fixAll.ddmigrate"
    fixed = apply_edits(text, edits_of(fix_all, uri))
    expected = cli_fix(workspace, "App.ts", text)
    assert expected != text
    assert fixed == expected
    assert client.close() == 0


def test_non_ascii_positions_are_utf16(client, workspace):
    client.initialize(workspace)
    prefix = "const s = '🐳é'; "  # the whale is 2 UTF-16 code units, 4 UTF-8 bytes; é is 1 and 2
    text = "// ✓\n" + prefix + LEGACY
    uri = client.open(workspace / "App.ts", text)
    [diagnostic] = client.diagnostics(uri)
    expected = len(prefix.encode("utf-16-le")) // 2
    assert diagnostic["range"]["start"] == {"line": 1, "character": expected}
    end = diagnostic["range"]["end"]
    line = text.splitlines()[1].encode("utf-16-le")
    assert line[diagnostic["range"]["start"]["character"] * 2:end["character"] * 2].decode("utf-16-le").startswith(
        "window.ddClient.backend")
    # The quick fix's edits are in the same units.
    [fix] = [a for a in client.code_actions(uri, [diagnostic]) if a.get("isPreferred")]
    assert apply_edits(text, edits_of(fix, uri)) == "// ✓\n" + prefix + FIXED
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {
        "line": 1, "character": expected + 3}})["result"]
    assert "backend-http" in hover["contents"]["value"]
    assert client.close() == 0


def test_configuration_honoured(client, workspace):
    (workspace / ".ddmigrate.toml").write_text(textwrap.dedent("""\
        ignore = ["DD302"]
        extend-exclude = ["generated/"]

        [per-file-ignores]
        "legacy/*.ts" = ["DD101"]
        """))
    client.initialize(workspace)
    text = LEGACY + "window.ddClient.toastSuccess('done');\n"
    uri = client.open(workspace / "App.ts", text)
    assert [d["code"] for d in client.diagnostics(uri)] == ["DD101"]  # DD302 ignored
    (workspace / "legacy").mkdir()
    uri = client.open(workspace / "legacy" / "old.ts", text)
    assert client.diagnostics(uri) == []
    (workspace / "generated").mkdir()
    uri = client.open(workspace / "generated" / "api.ts", text)
    assert client.diagnostics(uri) == []
    uri = client.open(workspace / "comment.ts", "window.ddClient.backend.get('/a'); // ddmigrate: ignore[DD101]\n")
    assert client.diagnostics(uri) == []
    assert client.close() == 0


def test_bulk_suppressions_hide_findings_but_fix_all_still_fixes(client, workspace):
    (workspace / "ddmigrate-suppressions.json").write_text(json.dumps(
        {"version": 1, "suppressions": {"bulk.ts": {"backend-http": {"count": 1}}}}))
    client.initialize(workspace)
    uri = client.open(workspace / "bulk.ts", LEGACY)
    assert client.diagnostics(uri) == []
    [fix_all] = client.code_actions(uri, [], only=["source.fixAll"])
    assert apply_edits(LEGACY, edits_of(fix_all, uri)) == FIXED == cli_fix(workspace, "bulk.ts", LEGACY)
    assert client.close() == 0


def test_client_imported_from_another_module(client, workspace):
    lib = workspace / "lib"
    lib.mkdir()
    (lib / "client.ts").write_text(textwrap.dedent("""\
        import { createDockerDesktopClient } from "@docker/extension-api-client";

        export const ddClient = createDockerDesktopClient();
        """))
    user = textwrap.dedent("""\
        import { ddClient } from "./lib/client";

        export async function load() {
          return ddClient.backend.get("/items");
        }
        """)
    (workspace / "App.ts").write_text(user)
    client.initialize(workspace)
    uri = client.open(workspace / "App.ts", user)
    [diagnostic] = client.diagnostics(uri)
    assert diagnostic["code"] == "DD101"
    cli = subprocess.run([sys.executable, "-m", "migrator", "check", "App.ts", "--format", "json", "--no-cache"],
                         cwd=workspace, capture_output=True, check=False)
    assert [f["code"] for f in json.loads(cli.stdout)["findings"]] == ["DD101"]
    # The module, open with changed (unsaved) text, no longer exports the client: the importer is analysed again.
    lib_uri = client.open(lib / "client.ts", "export const ddClient = { backend: { get() {} } };\n")
    assert client.diagnostics(lib_uri) == []
    client.change(lib_uri, "export const ddClient = null;\n")
    assert client.diagnostics(uri, version=1) == []
    assert client.close() == 0


def test_crash_in_a_request_is_answered_and_the_server_stays_up(workspace):
    bootstrap = textwrap.dedent("""\
        import sys
        import migrator.server as server

        def broken(finding):
            raise RuntimeError("a bug in hover")

        server.hover_text = broken
        sys.exit(server.main())
        """)
    client = Client(workspace, bootstrap)
    try:
        client.initialize(workspace)
        uri = client.open(workspace / "App.ts", LEGACY)
        assert client.diagnostics(uri)
        response = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                         "position": {"line": 0, "character": 2}})
        assert "a bug in hover" in response["error"]["message"]
        logged = [m for m in client.notifications if m["method"] == "window/logMessage"]
        logged = logged or [client.wait(lambda m: m.get("method") == "window/logMessage")]
        assert "a bug in hover" in logged[0]["params"]["message"]
        client.change(uri, FIXED)
        assert client.diagnostics(uri) == []  # still serving
        assert client.close() == 0
    finally:
        client.kill()


def test_exit_without_shutdown_is_status_1(client, workspace):
    client.initialize(workspace)
    client.notify("exit")
    assert client.process.wait(timeout=TIMEOUT) == 1


def test_a_slow_analysis_does_not_block_the_server(workspace):
    # The analysis of slow.ts holds the analysis thread until the server is asked to shut down.
    bootstrap = textwrap.dedent("""\
        import sys
        import threading
        import migrator.server as server

        release = threading.Event()
        analyse, stop_work, create = server.analyse, server.Server.stop_work, server.create_server
        made = []

        def capture(*args):
            made.append(create(*args))
            return made[0]

        def slow(job):
            if job.path.endswith("slow.ts"):
                made[0].window_log_message(server.types.LogMessageParams(type=server.types.MessageType.Info,
                                                                         message="slow analysis started"))
                release.wait(120)
            return analyse(job)

        def stop(self):
            release.set()
            stop_work(self)

        server.analyse, server.Server.stop_work, server.create_server = slow, stop, capture
        sys.exit(server.main())
        """)
    client = Client(workspace, bootstrap)
    try:
        client.initialize(workspace)
        fast = client.open(workspace / "fast.ts", LEGACY)
        assert client.diagnostics(fast)
        client.open(workspace / "slow.ts", LEGACY)
        client.wait(lambda m: m.get("method") == "window/logMessage" and m["params"]["message"] == "slow analysis started")
        response = client.request("textDocument/hover", {"textDocument": {"uri": fast},
                                                         "position": {"line": 0, "character": 2}})
        assert "backend-http" in response["result"]["contents"]["value"]
        assert client.close() == 0
    finally:
        client.kill()
