import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None, input=None, env=None):
    """Run the real command in a subprocess, as users and CI do."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "migrator", *map(str, args)],
        cwd=cwd, input=input, capture_output=True, env=full_env, timeout=120,
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def write(tmp_path):
    """Write files under tmp_path: write({"a.ts": "..."}) -> tmp_path."""

    def _write(files: dict, base: Path | None = None) -> Path:
        base = base or tmp_path
        for name, content in files.items():
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return base

    return _write
