"""``docker``: the docker CLI plus the two listing helpers of the JS client."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from migrator.shim.commands import DockerCli

# Engine API option name -> docker CLI flag, for the options the JS client passes through.
_CONTAINER_FLAGS = {"all": "--all", "size": "--size"}
_IMAGE_FLAGS = {"all": "--all", "digests": "--digests"}


class Docker:
    """``client.docker``: ``cli.exec`` and ``list_containers`` / ``list_images``.

    The listings run ``docker ps`` / ``docker images`` with ``--format '{{json .}}'`` and return one
    dict per line in the docker CLI's JSON shape (``ID``, ``Names``, ``Image``, ...), which differs
    from the Engine API shape (``Id``, ``Names`` as a list) that Docker Desktop's JS client returns.
    """

    def __init__(self, cli: DockerCli):
        self.cli = cli

    def list_containers(
        self, options: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[dict]:
        """Containers, like ``docker ps``; Engine API options ``all``, ``limit``, ``size``, ``filters``."""
        args = ["ps", "--no-trunc", "--format", "{{json .}}"]
        args += _flags(options, _CONTAINER_FLAGS, extra={"limit"})
        return self.cli.exec(args[0], args[1:], timeout=timeout).parse_json_lines()

    def list_images(
        self, options: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[dict]:
        """Images, like ``docker images``; options ``all``, ``digests``, ``filters`` as in the Engine API."""
        args = ["images", "--no-trunc", "--format", "{{json .}}"]
        args += _flags(options, _IMAGE_FLAGS, extra=set())
        return self.cli.exec(args[0], args[1:], timeout=timeout).parse_json_lines()


def _flags(options: Mapping[str, Any] | None, switches: dict[str, str], *, extra: set[str]) -> list[str]:
    options = dict(options or {})
    known = set(switches) | extra | {"filters"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ValueError(f"unsupported listing option(s) {unknown}; supported: {sorted(known)}")
    flags = [flag for key, flag in switches.items() if options.get(key)]
    if options.get("limit") is not None:
        flags += ["--last", str(int(options["limit"]))]
    for key, value in _filters(options.get("filters")):
        flags += ["--filter", f"{key}={value}"]
    return flags


def _filters(filters: Any) -> list[tuple[str, str]]:
    """Engine API filters (a dict, or its JSON text) as ``(key, value)`` pairs; list values repeat the key."""
    if filters is None:
        return []
    if isinstance(filters, str):
        filters = json.loads(filters)
    if not isinstance(filters, Mapping):
        raise ValueError(f"filters must be a mapping of name to value(s), not {filters!r}")
    pairs = []
    for key, values in filters.items():
        if isinstance(values, Mapping):  # the Engine API's {"value": true} form
            values = [name for name, on in values.items() if on]
        elif isinstance(values, str | int | bool):
            values = [values]
        pairs += [(str(key), _filter_value(value)) for value in values]
    return pairs


def _filter_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
