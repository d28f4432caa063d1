"""Type-checking code with the real TypeScript compiler against Docker's own client types.

The npm packages are installed once per pinned version set into a cache folder
(``$DDMIGRATE_TEST_CACHE``, default ``~/.cache/ddmigrate-tests``) and reused across runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

PACKAGES = {
    "@docker/extension-api-client-types": "0.4.2",
    "@docker/extension-api-client": "0.4.2",
    "typescript": "5.9.3",
}

# Diagnostics that mean "this code does not use the client API correctly": a missing member
# (a deprecated one left behind), a possibly-undefined optional member (`vm`, `service`,
# `host`), a call with the wrong arguments. Other diagnostics (unknown names in snippets,
# implicit any) say nothing about the migration and are ignored.
API_ERRORS = frozenset({2339, 2551, 2532, 2533, 18047, 18048, 2722, 2349, 2345, 2554, 2555, 2769, 2322})

ENV_V1 = """import type { v1 } from "@docker/extension-api-client-types";
declare global {
  var ddClient: v1.DockerDesktopClient;
}
export {};
"""

TSCONFIG = {
    "compilerOptions": {
        "strict": True, "noEmit": True, "target": "es2022", "module": "es2022",
        "moduleResolution": "bundler", "allowJs": True, "checkJs": True, "jsx": "preserve",
        "skipLibCheck": True, "lib": ["es2022", "dom"], "types": [],
    },
    "include": ["**/*.ts", "**/*.tsx", "**/*.js", "**/*.jsx", "**/*.mts", "**/*.cts", "**/*.mjs", "**/*.cjs"],
}

# Legacy code was written against the hybrid client (v0 and v1 members together) without
# strict null checks; createDockerDesktopClient() is given the hybrid type for it too.
ENV_HYBRID = """import type { v1Hybrid } from "@docker/extension-api-client-types";
declare global {
  var ddClient: v1Hybrid.DockerDesktopClient;
}
export {};
"""
HYBRID_FACTORY = """import type { v1Hybrid } from "@docker/extension-api-client-types";
export declare function createDockerDesktopClient(): v1Hybrid.DockerDesktopClient;
"""

_DIAGNOSTIC = re.compile(r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): error TS(?P<code>\d+): (?P<message>.*)$")


def cache_dir() -> Path:
    base = Path(os.environ.get("DDMIGRATE_TEST_CACHE", Path.home() / ".cache" / "ddmigrate-tests"))
    digest = hashlib.sha256(json.dumps(PACKAGES, sort_keys=True).encode()).hexdigest()[:12]
    return base / f"ts-{digest}"


def ensure_packages() -> Path:
    """node_modules with the pinned packages, installed on first use."""
    target = cache_dir()
    marker = target / "installed.json"
    if marker.exists():
        return target / "node_modules"
    if shutil.which("npm") is None:
        raise RuntimeError("npm is needed for the type-check tests")
    target.mkdir(parents=True, exist_ok=True)
    (target / "package.json").write_text(json.dumps({"private": True, "dependencies": PACKAGES}))
    proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
                          cwd=target, capture_output=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"npm install failed: {proc.stderr.decode()[-2000:]}")
    marker.write_text(json.dumps(PACKAGES))
    return target / "node_modules"


def typecheck(files: dict[str, str], folder: Path, env: str = ENV_V1, *, legacy: bool = False,
              compiler_options: dict | None = None) -> list[dict]:
    """Run ``tsc --noEmit`` over ``files`` (name -> code); return the diagnostics.

    By default with ``--strict`` against the v1 client. ``legacy`` checks as legacy code
    was written: against the hybrid client, without strict null checks. ``compiler_options``
    adds to the configuration (a fixture project's ``baseUrl`` and ``paths``).
    """
    modules = ensure_packages()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "node_modules").symlink_to(modules, target_is_directory=True)
    config = json.loads(json.dumps(TSCONFIG))
    config["compilerOptions"].update(compiler_options or {})
    if legacy:
        env = ENV_HYBRID
        config["compilerOptions"].update(strict=False, strictNullChecks=False, noImplicitAny=False)
        config["compilerOptions"]["paths"] = {"@docker/extension-api-client": ["./hybrid-factory.d.ts"]}
        (folder / "hybrid-factory.d.ts").write_text(HYBRID_FACTORY)
    (folder / "tsconfig.json").write_text(json.dumps(config))
    (folder / "ddclient-env.d.ts").write_text(env)
    for name, code in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
    tsc = modules / ".bin" / "tsc"
    proc = subprocess.run([str(tsc), "-p", ".", "--pretty", "false"], cwd=folder, capture_output=True, timeout=600)
    diagnostics = []
    for line in proc.stdout.decode().splitlines():
        match = _DIAGNOSTIC.match(line)
        if match:
            diagnostics.append({**match.groupdict(), "line": int(match["line"]), "code": int(match["code"])})
    if proc.returncode not in (0, 1, 2) or (proc.returncode and not diagnostics):
        raise RuntimeError(f"tsc failed: {proc.stdout.decode()[-2000:]}{proc.stderr.decode()[-2000:]}")
    return diagnostics


def api_errors(diagnostics: list[dict]) -> list[dict]:
    return [d for d in diagnostics if d["code"] in API_ERRORS]


def typecheck_all(files: dict[str, str], folder: Path, **options) -> list[dict]:
    """Like ``typecheck``, but a file that declares globals is compiled in a project of its
    own, so its `declare global` cannot change the types the other files see."""
    shared = {name: code for name, code in files.items() if "declare global" not in code}
    diagnostics = typecheck(shared, folder / "shared", **options) if shared else []
    for index, (name, code) in enumerate(sorted(files.items())):
        if name not in shared:
            diagnostics += typecheck({name: code}, folder / f"alone-{index}", **options)
    return diagnostics
