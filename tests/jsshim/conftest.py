"""Fixtures for the legacy-client shim tests: node, the pinned npm packages, runnable modules."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from migrator.shim_js.install import write_shim
from tests.typecheck import ensure_packages

HERE = Path(__file__).parent
SHIM_DIR = Path(__file__).resolve().parents[2] / "migrator" / "shim_js"
TRANSPILE = """
const ts = require(process.argv[1]);
const fs = require("fs");
const out = ts.transpileModule(fs.readFileSync(process.argv[2], "utf8"), {
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
  reportDiagnostics: true,
});
if (out.diagnostics.length) {
  console.error(JSON.stringify(out.diagnostics.map((d) => d.messageText)));
  process.exit(1);
}
fs.writeFileSync(process.argv[3], out.outputText);
"""


def run_node(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["node", *args], capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("node is needed to run the JavaScript shim")
    return found


@pytest.fixture(scope="session")
def node_modules() -> Path:
    return ensure_packages()


@pytest.fixture(scope="session")
def typescript(node_modules) -> Path:
    return node_modules / "typescript"


@pytest.fixture(scope="session")
def shim_modules(node, typescript, tmp_path_factory) -> dict[str, Path]:
    """lang -> an ES module (.js in a "type": "module" folder) to run under node.

    "js" is the file `ddmigrate shim --lang js` writes, as is; "ts" is the file
    `ddmigrate shim --lang ts` writes, with its types stripped by TypeScript.
    """
    modules = {}
    for lang in ("js", "ts"):
        folder = tmp_path_factory.mktemp(f"shim-{lang}")
        (folder / "package.json").write_text('{"type": "module"}\n')
        written = folder / f"legacy-client.{lang}"
        write_shim(str(written), lang)
        if lang == "ts":
            done = run_node(["-e", TRANSPILE, str(typescript), str(written), str(folder / "legacy-client.js")])
            assert done.returncode == 0, done.stderr
        modules[lang] = folder / "legacy-client.js"
    return modules


@pytest.fixture(scope="session")
def v0_members(node_modules) -> dict[str, list[str]]:
    """Every @deprecated member of the v0 types, by owner: the client itself, and its backend."""
    members: dict[str, list[str]] = {"client": [], "backend": []}
    owners = {"DockerDesktopClient": "client", "Backend": "backend"}
    folder = node_modules / "@docker/extension-api-client-types/dist/v0"
    for path in sorted(folder.glob("*.d.ts")):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"/\*\*((?:(?!\*/).)*?)\*/\s*(?:readonly\s+)?(\w+)\??\s*[(:]", source, re.S):
            if "@deprecated" in match[1]:
                owner = source[:match.start()].rsplit("export interface ", 1)[1].split()[0]
                members[owners[owner]].append(match[2])
    assert len(members["client"]) >= 19 and len(members["backend"]) >= 10, members
    return members


def tap_summary(output: str) -> dict[str, int]:
    """The counts at the end of node's TAP report: tests, pass, fail, cancelled, skipped, todo."""
    return {m[1]: int(m[2]) for m in re.finditer(r"^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$", output, re.M)}


def run_node_tests(module: Path, v0_members: dict, test_file: Path = HERE / "legacy_client.test.mjs"):
    env = {**os.environ, "LEGACY_CLIENT_MODULE": str(module), "V0_MEMBERS": json.dumps(v0_members)}
    env.pop("NODE_OPTIONS", None)
    return run_node(["--test", "--test-reporter=tap", str(test_file)], env=env)
