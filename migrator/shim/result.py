"""What an exec call gives back: the captured output and how the process ended."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_NEWLINE = re.compile(r"\r?\n")


@dataclass(frozen=True)
class ExecResult:
    """The output of a finished command, shaped like the JS client's ``ExecResult``.

    ``code`` is the exit code (None when a signal ended the process), ``killed`` tells whether the
    shim killed it (timeout, ``close()``), ``signal`` names the signal that ended it, if any.
    """

    cmd: tuple[str, ...]
    stdout: str
    stderr: str
    code: int | None
    killed: bool = False
    signal: str | None = None

    def lines(self) -> list[str]:
        """Standard output split into lines, without line ends or a final empty line."""
        if not self.stdout:
            return []
        parts = _NEWLINE.split(self.stdout)
        if parts[-1] == "":
            parts.pop()
        return parts

    def parse_json_lines(self) -> list[Any]:
        """Parse each non-blank line of standard output as JSON (``docker ... --format '{{json .}}'``)."""
        return [json.loads(line) for line in self.lines() if line.strip()]

    def parse_json_object(self) -> Any:
        """Parse the whole of standard output as one JSON document."""
        return json.loads(self.stdout)
