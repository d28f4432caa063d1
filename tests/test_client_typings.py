"""v0-client-typings on a real extension project: `ddmigrate fix` replaces the hand-written
client types, and the project's own build (tsc against Docker's v1 types) passes afterwards."""

import json
import subprocess

import pytest

from tests.conftest import run_cli
from tests.typecheck import ensure_packages

TYPES = "@docker/extension-api-client-types"

TSCONFIG = {
    "compilerOptions": {
        "strict": True, "noEmit": True, "target": "es2022", "module": "es2022", "moduleResolution": "bundler",
        "jsx": "preserve", "skipLibCheck": True, "lib": ["es2022", "dom"], "types": [],
    },
    "include": ["src"],
}

# As on the public Tailscale extension: the client typed by hand in globals.d.ts.
GLOBALS = """// Types of the client Docker Desktop injects.
declare global {
  interface Window {
    ddClient: {
      backend: {
        get(url: string): Promise<unknown>;
        execInVMExtension(cmd: string): Promise<any>;
      };
      execHostCmd(cmd: string): Promise<any>;
      toastError(msg: string): void;
    };
  }
}

export {};
"""

GLOBALS_FIXED = """// Types of the client Docker Desktop injects.
import type { DockerDesktopClient } from "@docker/extension-api-client-types/dist/v1";

declare global {
  interface Window {
    ddClient: DockerDesktopClient;
  }
}

export {};
"""

APP = """export async function refresh(): Promise<string> {
  const status = await window.ddClient.backend.get("/status");
  const listing = await window.ddClient.backend.execInVMExtension("ls -la /data");
  const version = await window.ddClient.execHostCmd("tailscale version");
  if (!listing.stdout) {
    window.ddClient.toastError("no data");
  }
  return `${JSON.stringify(status)} ${version.stdout}`;
}
"""

# A script-style declaration file: it also declares modules, which must stay global.
SCRIPT_GLOBALS = """/// <reference lib="dom" />
interface Window {
  ddClient: { backend: { get(url: string): Promise<unknown> }; toastError(msg: string): void };
}
declare module "*.svg" {
  const src: string;
  export default src;
}
"""

SCRIPT_GLOBALS_FIXED = """/// <reference lib="dom" />
interface Window {
  ddClient: import("@docker/extension-api-client-types/dist/v1").DockerDesktopClient;
}
declare module "*.svg" {
  const src: string;
  export default src;
}
"""

SCRIPT_APP = """import logo from "./logo.svg";

export async function load(): Promise<string> {
  const hello = await window.ddClient.backend.get("/hello");
  window.ddClient.toastError("failed");
  return logo + JSON.stringify(hello);
}
"""

# A named interface used as the client's type in a module of its own.
NAMED = """import { useMemo } from "./hooks";

export interface LegacyClient {
  backend: { get(url: string): Promise<unknown> };
  listContainers(options?: unknown): Promise<unknown>;
}

export function useStatus() {
  const ddClient = useMemo(() => (window as any).ddClient as LegacyClient);
  return ddClient.backend.get("/status");
}

export function containers(ddClient: LegacyClient): Promise<unknown> {
  return ddClient.listContainers({ all: true });
}
"""

NAMED_FIXED = """import { useMemo } from "./hooks";
import type { DockerDesktopClient } from "@docker/extension-api-client-types/dist/v1";

export type LegacyClient = DockerDesktopClient;
"""

HOOKS = "export function useMemo<T>(make: () => T): T {\n  return make();\n}\n"


def make_project(root, files, *, dependency=True):
    root.mkdir(parents=True, exist_ok=True)
    dev = {"typescript": "5.9.3", **({TYPES: "0.4.2"} if dependency else {})}
    (root / "package.json").write_text(json.dumps({"name": "ui", "private": True, "devDependencies": dev}, indent=2))
    (root / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2))
    for name, code in files.items():
        path = root / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
    return root


def build(root) -> list[str]:
    """The project's build: tsc over src/ against the real v1 types; its error lines."""
    modules = ensure_packages()
    link = root / "node_modules"
    if not link.exists():
        link.symlink_to(modules, target_is_directory=True)
    proc = subprocess.run([str(modules / ".bin" / "tsc"), "-p", ".", "--pretty", "false"], cwd=root,
                          capture_output=True, timeout=600)
    errors = [line for line in proc.stdout.decode().splitlines() if "error TS" in line]
    assert proc.returncode == 0 or errors, proc.stdout.decode() + proc.stderr.decode()
    return errors


@pytest.fixture
def tailscale(tmp_path):
    return make_project(tmp_path / "ui", {"globals.d.ts": GLOBALS, "App.tsx": APP})


def test_the_hand_written_global_is_reported(tailscale):
    proc = run_cli("check", "--no-cache", "--format", "json", "--select", "v0-client-typings", "src", cwd=tailscale)
    report = json.loads(proc.stdout)
    [finding] = report["findings"]
    assert (finding["path"], finding["line"], finding["fix"]) == ("src/globals.d.ts", 4, "safe")
    assert "`backend`, `execHostCmd`, `toastError`" in finding["message"]


def test_without_the_typings_rule_the_fixed_calls_break_the_build(tailscale):
    """The bug: the calls move to v1, the hand-written type keeps only v0 members."""
    assert build(tailscale) == []
    proc = run_cli("fix", "--no-cache", "--ignore", "v0-client-typings", "src", cwd=tailscale)
    assert proc.returncode == 0, proc.stdout.decode()
    errors = build(tailscale)
    assert len(errors) >= 4 and all("App.tsx" in e for e in errors), errors


def test_fix_replaces_the_hand_written_global_and_the_build_passes(tailscale):
    proc = run_cli("fix", "--no-cache", "src", cwd=tailscale)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert (tailscale / "src" / "globals.d.ts").read_text() == GLOBALS_FIXED
    assert "window.ddClient.extension.vm?.service?.get(" in (tailscale / "src" / "App.tsx").read_text()
    assert build(tailscale) == []
    again = run_cli("fix", "--check", "--no-cache", "src", cwd=tailscale)
    assert again.returncode == 0, again.stdout.decode()


def test_a_script_style_declaration_file_stays_a_script(tmp_path):
    """An import would make the file a module, and its `interface Window` and `declare module`
    local: the v1 type is named with an import type instead."""
    root = make_project(tmp_path / "ui", {"globals.d.ts": SCRIPT_GLOBALS, "App.ts": SCRIPT_APP})
    proc = run_cli("fix", "--no-cache", "src", cwd=root)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert (root / "src" / "globals.d.ts").read_text() == SCRIPT_GLOBALS_FIXED
    assert build(root) == []


def test_a_named_client_interface_becomes_an_alias_of_the_v1_client(tmp_path):
    root = make_project(tmp_path / "ui", {"client.ts": NAMED, "hooks.ts": HOOKS})
    proc = run_cli("fix", "--no-cache", "src", cwd=root)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    fixed = (root / "src" / "client.ts").read_text()
    assert fixed.startswith(NAMED_FIXED), fixed
    assert "ddClient.docker.listContainers({ all: true })" in fixed
    assert build(root) == []


def test_without_the_types_dependency_there_is_no_fix_and_the_reason_says_why(tmp_path):
    root = make_project(tmp_path / "ui", {"globals.d.ts": GLOBALS, "App.tsx": APP}, dependency=False)
    proc = run_cli("check", "--no-cache", "--format", "json", "--select", "v0-client-typings", "src", cwd=root)
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["fix"] == "none"
    assert finding["no_fix_reason"].startswith(f"`{TYPES}` is not a dependency of package.json; add it")
    proc = run_cli("fix", "--no-cache", "src", cwd=root)
    assert proc.returncode == 1
    assert (root / "src" / "globals.d.ts").read_text() == GLOBALS
    assert "is not a dependency of package.json" in proc.stdout.decode()


def test_the_nearest_package_json_decides(tmp_path):
    """A monorepo root that has the package does not count for a workspace that lacks it."""
    make_project(tmp_path, {})
    root = make_project(tmp_path / "ui", {"globals.d.ts": GLOBALS}, dependency=False)
    proc = run_cli("check", "--no-cache", "--format", "json", "--select", "v0-client-typings", "src", cwd=root)
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["fix"] == "none" and "not a dependency" in finding["no_fix_reason"]


def test_adding_the_dependency_is_seen_through_the_cache(tmp_path):
    root = make_project(tmp_path / "ui", {"globals.d.ts": GLOBALS}, dependency=False)

    def fix_label():
        proc = run_cli("check", "--format", "json", "--select", "v0-client-typings", "src", cwd=root)
        [finding] = json.loads(proc.stdout)["findings"]
        return finding["fix"]

    assert fix_label() == "none"
    assert fix_label() == "none"  # from the cache
    make_project(root, {}, dependency=True)  # package.json now lists the types package
    assert fix_label() == "safe"
