"""The shim type-checks under `tsc --strict` against Docker's v1 types, and the .js is the .ts.

The .js (JavaScript with JSDoc types) is not generated at run time: both files ship. The
TypeScript compiler proves they are the same program: it emits JavaScript from each, and the
two outputs are compared node by node (comments, hence JSDoc types, and parentheses aside).
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from migrator.shim_js.install import shim_source
from tests.jsshim.conftest import HERE, SHIM_DIR, run_node
from tests.typecheck import TSCONFIG

# Beyond --strict: the flags strict projects add, so that the shim never breaks their build.
EXTRA_STRICT = {
    "noUncheckedIndexedAccess": True, "exactOptionalPropertyTypes": True, "noImplicitReturns": True,
    "noUnusedLocals": True, "noUnusedParameters": True, "noPropertyAccessFromIndexSignature": True,
    "noImplicitOverride": True, "useUnknownInCatchVariables": True, "noFallthroughCasesInSwitch": True,
    "isolatedModules": True,
}

USAGE_TS = """import { installLegacyClient, splitCommand, streamFromCallback } from "./legacy-client";
import { ShellCommandError } from "./legacy-client";
import type { LegacyCallback, LegacyClient, LegacyClientOptions, ShellAnalysis } from "./legacy-client";

const options: LegacyClientOptions = { silent: true };
const client: LegacyClient = installLegacyClient(ddClient, options);
installLegacyClient();
client.toastSuccess("saved");
export const hello: Promise<unknown> = client.backend.get("/hello");
export const rows = client.execDockerCmd("ps", "--format", '"{{json .}}"').then((r) => r.parseJsonLines());
const callback: LegacyCallback = (data, error) => console.log(data, error);
const proc = ddClient.docker.cli.exec("logs", ["-f", "web"], { stream: streamFromCallback(callback) });
proc.close();
export const argv: string[] = splitCommand("ls -l");
try {
  splitCommand("ls | wc");
} catch (error) {
  if (error instanceof ShellCommandError) {
    const problems: ShellAnalysis["problems"] = error.problems;
    console.log(error.command, problems[0]?.kind);
  }
}
"""

USAGE_JS = """// @ts-check
import { installLegacyClient, splitCommand, streamFromCallback, ShellCommandError } from "./legacy-client.js";

const client = installLegacyClient(ddClient, { silent: true });
client.toastSuccess("saved");
export const hello = client.backend.get("/hello");
export const rows = client.execDockerCmd("ps", "--format", '"{{json .}}"').then((r) => r.parseJsonLines());
const stream = streamFromCallback((data, error) => console.log(data, error));
const proc = ddClient.docker.cli.exec("logs", ["-f"], { stream });
proc.close();
/** @type {string[]} */
export const argv = splitCommand("ls -l");
try {
  splitCommand("ls | wc");
} catch (error) {
  if (error instanceof ShellCommandError) {
    console.log(error.command, error.problems.length);
  }
}
"""

ENV = """import type { v1 } from "@docker/extension-api-client-types";
declare global {
  var ddClient: v1.DockerDesktopClient;
}
export {};
"""


def tsc(folder, node_modules, files: dict[str, str], extra: dict | None = None) -> subprocess.CompletedProcess:
    (folder / "node_modules").symlink_to(node_modules, target_is_directory=True)
    config = json.loads(json.dumps(TSCONFIG))
    config["compilerOptions"].update(extra or {})
    (folder / "tsconfig.json").write_text(json.dumps(config))
    (folder / "env.d.ts").write_text(ENV)
    for name, code in files.items():
        (folder / name).write_text(code, encoding="utf-8")
    return subprocess.run([str(node_modules / ".bin" / "tsc"), "-p", ".", "--pretty", "false"], cwd=folder,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("strictness", ["strict", "strictest"])
@pytest.mark.parametrize("lang", ["ts", "js"])
def test_shim_type_checks(lang, strictness, node_modules, tmp_path):
    usage = USAGE_TS if lang == "ts" else USAGE_JS
    extra = EXTRA_STRICT if strictness == "strictest" else {}
    if lang == "js":
        extra = {**extra, "isolatedModules": False}
    done = tsc(tmp_path, node_modules, {f"legacy-client.{lang}": shim_source(lang), f"app.{lang}": usage}, extra)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_misuse_is_caught_by_the_types(node_modules, tmp_path):
    # The check above would pass vacuously if the module's types were all `any`.
    misuse = ('import { installLegacyClient, streamFromCallback } from "./legacy-client";\n'
              'installLegacyClient(ddClient, { silnt: true });\n'
              'installLegacyClient(ddClient).toastSuccess(42);\n'
              'streamFromCallback((a: string, b: string, c: string) => {});\n')
    done = tsc(tmp_path, node_modules, {"legacy-client.ts": shim_source("ts"), "app.ts": misuse})
    errors = [line for line in done.stdout.splitlines() if line.startswith("app.ts(")]
    assert [line.split("(")[1].split(",")[0] for line in errors] == ["2", "3", "4"], done.stdout


def test_emitted_javascript_has_no_runtime_import(shim_modules):
    # The node tests also run both modules from folders without any node_modules.
    for module in shim_modules.values():
        code = re.sub(r"/\*.*?\*/", "", module.read_text(encoding="utf-8"), flags=re.S)
        code = re.sub(r"^\s*//.*$", "", code, flags=re.M)
        assert "installLegacyClient" in code
        assert not re.search(r"^\s*(import\b|export\b.*\bfrom\b)|\brequire\(|\bimport\(\s*[\"']", code, re.M), module


def test_js_is_what_tsc_emits_from_the_ts(typescript):
    done = run_node([str(HERE / "same_code.cjs"), str(typescript), str(SHIM_DIR / "legacy-client.ts"),
                     str(SHIM_DIR / "legacy-client.js")])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("SAME ")
    assert int(done.stdout.split()[1]) > 5000


def test_the_comparison_sees_a_difference(typescript, tmp_path):
    changed = shim_source("js").replace('"extension.vm.service.get(url)"', '"extension.vm.service.got(url)"')
    assert changed != shim_source("js")
    (tmp_path / "legacy-client.js").write_text(changed, encoding="utf-8")
    done = run_node([str(HERE / "same_code.cjs"), str(typescript), str(SHIM_DIR / "legacy-client.ts"),
                     str(tmp_path / "legacy-client.js")])
    assert done.returncode == 1
    assert "DIFFERENT" in done.stdout and "service.got(url)" in done.stdout


def test_the_shipped_sources_are_plain_text():
    for lang in ("ts", "js"):
        raw = (SHIM_DIR / f"legacy-client.{lang}").read_bytes()
        assert b"\r\n" not in raw and raw.endswith(b"\n") and not raw.startswith(b"\xef\xbb\xbf")
        assert raw.decode("utf-8") == shim_source(lang)
