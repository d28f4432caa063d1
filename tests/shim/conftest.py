"""Real parts for the shim tests: an HTTP server on a unix socket, host binaries, a fake docker CLI."""

from __future__ import annotations

import json
import os
import shutil
import socketserver
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from migrator.shim import DockerDesktopClient


class BackendHandler(BaseHTTPRequestHandler):
    """A tiny extension backend: /json, /text, /echo, /status/<code>[/text], /slow."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's parameter name
        pass  # keep test output clean; also client_address is '' on a unix socket

    def address_string(self):
        return "unix"

    def _reply(self, status, body, content_type):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self):
        self.server.seen.append((self.command, self.path))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path == "/json":
            return self._reply(200, json.dumps({"ok": True, "method": self.command}), "application/json")
        if self.path == "/text":
            return self._reply(200, "hello from the backend", "text/plain; charset=utf-8")
        if self.path == "/untyped-json":
            return self._reply(200, "[1, 2, 3]", None)
        if self.path.startswith("/echo"):
            echo = {
                "method": self.command,
                "path": self.path,
                "body": raw.decode(),
                "content_type": self.headers.get("Content-Type"),
                "x_test": self.headers.get("X-Test"),
            }
            return self._reply(200, json.dumps(echo), "application/json")
        if self.path.startswith("/status/"):
            parts = self.path.split("/")
            code = int(parts[2])
            if parts[-1] == "text":
                return self._reply(code, "plain failure text", "text/plain")
            return self._reply(code, json.dumps({"message": f"backend says {code}"}), "application/json")
        if self.path == "/slow":
            time.sleep(3)
            return self._reply(200, "late", "text/plain")
        return self._reply(404, json.dumps({"message": "no such route"}), "application/json")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    block_on_close = False  # the /slow handler must not hold up teardown


def _serve(server):
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def short_dir():
    """A temporary folder with a short path: unix socket paths are limited to about 100 bytes."""
    path = Path(tempfile.mkdtemp(prefix="ddm-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def backend(short_dir):
    """A real HTTP server listening on ``<short_dir>/backend.sock``; ``.seen`` lists the requests."""
    server = UnixHTTPServer(str(short_dir / "backend.sock"), BackendHandler)
    _serve(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def tcp_backend():
    """The same backend on a loopback TCP port, for ``base_url``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BackendHandler)
    server.block_on_close = False
    _serve(server)
    yield server
    server.shutdown()
    server.server_close()


def write_script(path: Path, body: str, *, python: bool = False) -> Path:
    """An executable script; ``python=True`` runs it with this interpreter."""
    shebang = f"#!{sys.executable}\n" if python else "#!/bin/sh\n"
    path.write_text(shebang + body)
    path.chmod(0o755)
    return path


class HostExtension:
    """An installed extension: metadata.json plus a host folder of small real binaries.

    Every binary appends its name to ``ran`` when it runs, so a test can prove nothing ran.
    """

    def __init__(self, root: Path):
        self.root = root
        self.clients: list[DockerDesktopClient] = []
        self.host = root / "host"
        self.ran = root / "ran.log"
        self.host.mkdir()
        (root / "outside").mkdir()
        mark = f'printf "%s\\n" "$(basename "$0")" >> "{self.ran}"\n'
        pymark = f"open({str(self.ran)!r}, 'a').write(__import__('os').path.basename(__file__) + '\\n')\n"
        write_script(
            self.host / "echoargs",
            pymark + "import json, sys\nprint(json.dumps(sys.argv[1:]))\n",
            python=True,
        )
        write_script(
            self.host / "chunks",
            pymark
            + "import sys\n"
            + "for word in ('one', 'two', 'three'):\n"
            + "    sys.stdout.write(word + '\\n'); sys.stdout.flush()\n"
            + "sys.stderr.write('warn\\n'); sys.stderr.flush()\n"
            + "sys.stdout.write('tail-without-newline'); sys.stdout.flush()\n"
            + "sys.exit(7)\n",
            python=True,
        )
        write_script(self.host / "fail", mark + 'echo "it broke" >&2\nexit 3\n')
        write_script(self.host / "slow", mark + "echo start\nsleep 5\necho end\n")
        write_script(self.host / "selfkill", mark + "kill -TERM $$\n")
        write_script(self.host / "envcwd", mark + 'echo "$DDM_TEST_VAR"\npwd\n')
        write_script(self.host / "darwinonly", mark + "echo darwin\n")
        write_script(self.host / "tool.exe", mark + "echo windows tool\n")
        write_script(root / "outside" / "evil", mark + "echo escaped\n")
        (self.host / "escape").symlink_to(root / "outside" / "evil")
        (self.host / "notexec").write_text("#!/bin/sh\necho never\n")
        listed = ["echoargs", "chunks", "fail", "slow", "selfkill", "envcwd", "escape", "missing", "notexec"]
        self.metadata = {
            "vm": {"image": "${DESKTOP_PLUGIN_IMAGE}", "exposes": {"socket": "backend.sock"}},
            "host": {
                "binaries": [
                    {
                        "linux": [{"path": f"/linux/{name}"} for name in listed],
                        "darwin": [{"path": "/darwin/darwinonly"}],
                        "windows": [{"path": "/windows/tool.exe"}],
                    }
                ]
            },
            "ui": {"dashboard-tab": {"title": "Test", "root": "/ui", "src": "index.html"}},
        }
        self.metadata_path = root / "metadata.json"
        self.metadata_path.write_text(json.dumps(self.metadata))

    def runs(self) -> list[str]:
        """Names of the binaries that ran, in order."""
        return self.ran.read_text().split() if self.ran.exists() else []

    def client(self, **options) -> DockerDesktopClient:
        options.setdefault("host_dir", self.host)
        options.setdefault("platform", "linux")
        client = DockerDesktopClient.from_metadata(self.metadata_path, **options)
        self.clients.append(client)
        return client


@pytest.fixture
def ext(tmp_path):
    extension = HostExtension(tmp_path)
    yield extension
    for client in extension.clients:
        client.close()


FAKE_DOCKER = """
import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_DOCKER_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
def out(name):
    sys.stdout.write(os.environ.get(name, ""))
if args[:1] == ["ps"] and "{{.ID}}" in args:
    ids = os.environ.get("FAKE_DOCKER_IDS", "")
    sys.stdout.write("".join(i + "\\n" for i in ids.split(",") if i))
elif args[:1] == ["ps"]:
    out("FAKE_DOCKER_PS")
elif args[:1] == ["images"]:
    out("FAKE_DOCKER_IMAGES")
elif args[:1] == ["exec"]:
    print(json.dumps(args))
elif args[:1] == ["fail"]:
    sys.stderr.write("Error: no such thing\\n")
    sys.exit(1)
else:
    print(json.dumps(args))
"""


class FakeDocker:
    """A ``docker`` executable first on PATH that records each argv as a JSON line."""

    def __init__(self, root: Path, monkeypatch):
        self.bin = root / "fakebin"
        self.bin.mkdir()
        self.log = root / "docker-argv.log"
        write_script(self.bin / "docker", FAKE_DOCKER, python=True)
        monkeypatch.setenv("PATH", f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}")
        monkeypatch.setenv("FAKE_DOCKER_LOG", str(self.log))
        self._monkeypatch = monkeypatch

    def calls(self) -> list[list[str]]:
        """Every argv docker was called with, in order (without the leading ``docker``)."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def set(self, name: str, value: str) -> None:
        self._monkeypatch.setenv(name, value)


@pytest.fixture
def fake_docker(tmp_path, monkeypatch):
    return FakeDocker(tmp_path, monkeypatch)
