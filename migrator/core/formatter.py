"""The project's formatter: fixed files that were prettier-clean stay prettier-clean.

When ``node_modules/.bin/prettier`` is found walking up from a fixed file, and the file as it
was passed the project's prettier (``prettier --check``, with the project's configuration and
``.prettierignore``), the fixed text is formatted with that prettier before it is written. A
file that was not prettier-clean is never formatted: its layout is its author's. One Node
process per project formats all its files (``prettier.js``, the prettier package's own API),
within ``TIMEOUT`` seconds; if it fails, the fixes are kept unformatted and a note says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field

from migrator.core.paths import find_up

TIMEOUT = 60.0  # seconds for one project's batch


@dataclass
class Formatted:
    formatted: dict[str, bytes] = field(default_factory=dict)  # path -> formatted fixed text
    notes: list[str] = field(default_factory=list)


def prettier_package(path: str) -> str | None:
    """The prettier package behind the nearest ``node_modules/.bin/prettier`` above ``path``."""
    binary = find_up(path, os.path.join("node_modules", ".bin", "prettier"))
    if binary is None:
        return None
    package = os.path.join(os.path.dirname(os.path.dirname(binary)), "prettier")
    return os.path.realpath(package) if os.path.isdir(package) else None


def format_fixed(changed: dict[str, tuple[bytes, bytes]], node: str | None = None, timeout: float | None = None) -> Formatted:
    """Format those of ``changed`` (path -> (original, fixed)) that the project's prettier found clean."""
    result = Formatted()
    projects: dict[str, list[str]] = {}
    for path in changed:
        package = prettier_package(path)
        if package is not None:
            projects.setdefault(package, []).append(path)
    if not projects:
        return result
    node = node or shutil.which("node")
    if node is None:
        result.notes.append("format: `node` was not found, so the project's prettier was not run; fixed files are unformatted")
        return result
    script = os.path.join(os.path.dirname(__file__), "prettier.js")
    for package, paths in sorted(projects.items()):
        batch = []
        for path in paths:
            original, fixed = changed[path]
            try:
                batch.append({"path": os.path.abspath(path), "original": original.decode("utf-8"), "fixed": fixed.decode("utf-8")})
            except UnicodeDecodeError:
                continue
        where = os.path.relpath(package)
        try:
            proc = subprocess.run([node, script, package], input=json.dumps(batch).encode("utf-8"), capture_output=True,
                                  timeout=TIMEOUT if timeout is None else timeout, cwd=os.path.dirname(os.path.dirname(package)))
        except subprocess.TimeoutExpired:
            result.notes.append(f"format: prettier ({where}) did not finish within {TIMEOUT if timeout is None else timeout:.0f} s; "
                                "the fixes were kept unformatted")
            continue
        except OSError as exc:
            result.notes.append(f"format: cannot run prettier ({where}): {exc}; the fixes were kept unformatted")
            continue
        try:
            answer = json.loads(proc.stdout) if proc.returncode == 0 else None
        except ValueError:
            answer = None
        if answer is None:
            lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            error = next((line.strip() for line in lines if "Error" in line), lines[-1] if lines else f"exit status {proc.returncode}")
            result.notes.append(f"format: prettier ({where}) failed: {error}; "
                                "the fixes were kept unformatted")
            continue
        for path in paths:
            item = answer.get(os.path.abspath(path)) or {}
            if item.get("error"):
                result.notes.append(f"format: prettier failed on {path}: {item['error']}; the fix was kept unformatted")
            elif item.get("formatted") is not None:
                text = item["formatted"].encode("utf-8")
                original, fixed = changed[path]
                if original.startswith(b"\xef\xbb\xbf") and not text.startswith(b"\xef\xbb\xbf"):
                    text = b"\xef\xbb\xbf" + text
                result.formatted[path] = text
    return result
