"""Validating SARIF with Microsoft's own validator, ``sarif-multitool validate``.

The npm package is installed once per pinned version into a cache folder
(``$DDMIGRATE_TEST_CACHE``, default ``~/.cache/ddmigrate-tests``), as ``typecheck.py`` does for
the TypeScript packages. It ships a self-contained native program per platform, which is run
directly (the package's node wrapper runs it through a shell, which would split the
``;``-separated rule kinds).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

VERSION = "5.7.0"
PACKAGES = {"@microsoft/sarif-multitool": VERSION}
# The platform packages are optional dependencies with a caret range: pin them too.
OVERRIDES = {f"@microsoft/sarif-multitool-{p}": VERSION for p in ("linux", "darwin", "win32")}

# The standard SARIF rules (SARIF1xxx, SARIF2xxx, the JSON schema) and GitHub code scanning's
# ingestion rules (GH1xxx, GH2xxx).
RULE_KINDS = "Sarif;Ghas"
# SARIF2006 fetches every URI in the log over HTTP: no network requests from the test suite.
CONFIG = {"SARIF2006.UrisShouldBeReachable.Options": {"RuleEnabled": "Disabled"}}


def cache_dir() -> Path:
    base = Path(os.environ.get("DDMIGRATE_TEST_CACHE", Path.home() / ".cache" / "ddmigrate-tests"))
    digest = hashlib.sha256(json.dumps([PACKAGES, OVERRIDES], sort_keys=True).encode()).hexdigest()[:12]
    return base / f"sarif-{digest}"


def ensure_tool() -> Path:
    """The validator program, installed on first use."""
    target = cache_dir()
    marker = target / "installed.json"
    if not marker.exists():
        if shutil.which("npm") is None:
            raise RuntimeError("npm is needed to install the SARIF validator")
        target.mkdir(parents=True, exist_ok=True)
        (target / "package.json").write_text(json.dumps(
            {"private": True, "dependencies": PACKAGES, "overrides": OVERRIDES}))
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
                              cwd=target, capture_output=True, timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"npm install failed: {proc.stderr.decode()[-2000:]}")
        marker.write_text(json.dumps(PACKAGES))
    # The package's index.js names the program for this platform.
    proc = subprocess.run(["node", "-e", "process.stdout.write(require('@microsoft/sarif-multitool'))"],
                          cwd=target, capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"cannot locate the SARIF validator: {proc.stderr.decode()[-2000:]}")
    program = Path(proc.stdout.decode())
    # Its postinstall script (skipped with --ignore-scripts) only sets the execute bit.
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    (target / "validate-config.json").write_text(json.dumps(CONFIG))
    return program


def validate(sarif_file: Path) -> tuple[list[dict], str]:
    """Run the validator on one file: its results (level, ruleId, message arguments) and console text."""
    program = ensure_tool()
    report = sarif_file.with_name(sarif_file.name + ".validation.sarif")
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    proc = subprocess.run(
        [str(program), "validate", str(sarif_file), "--rule-kind", RULE_KINDS, "--level", "Error;Warning;Note",
         "-c", str(cache_dir() / "validate-config.json"), "-o", str(report), "--log", "ForceOverwrite"],
        capture_output=True, timeout=300, env=env,
    )
    console = proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")
    if proc.returncode != 0 or not report.exists():
        raise RuntimeError(f"the SARIF validator failed (exit {proc.returncode}):\n{console[-4000:]}")
    log = json.loads(report.read_text(encoding="utf-8-sig"))
    run = log["runs"][0]
    for invocation in run.get("invocations", []):
        problems = [n for n in invocation.get("toolExecutionNotifications", []) if n.get("level") == "error"]
        if problems or invocation.get("executionSuccessful") is False:
            raise RuntimeError(f"the SARIF validator could not analyse the file:\n{console[-4000:]}")
    results = [
        {"level": r.get("level", "warning"), "ruleId": r.get("ruleId"),
         "arguments": r.get("message", {}).get("arguments", [])}
        for r in run.get("results", [])
    ]
    return results, console


def errors(results: list[dict]) -> list[dict]:
    return [r for r in results if r["level"] == "error"]
