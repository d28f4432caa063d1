"""Configuration from `.ddmigrate.toml` or `[tool.ddmigrate]` in `pyproject.toml`.

Found by walking up from the first path given (or the current folder); the nearest file
that holds ddmigrate settings wins. Command-line flags win over the file. Unknown keys are
an error naming the key and the file: a typo must not silently turn a rule back on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from migrator.core.paths import absolute, relative_under

KEYS = frozenset({"select", "ignore", "exclude", "extend-exclude", "per-file-ignores", "unsafe-fixes", "markdown", "format",
                  "host-binaries-installed"})


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: str | None = None  # the file the settings came from
    root: str = "."  # patterns are relative to the folder of that file
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] | None = None  # replaces the default skipped folders
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    unsafe_fixes: bool = False
    markdown: bool = True  # false: Markdown files (.md, .mdx) are left out
    format: bool = True  # false: fixed files are never run through the project's prettier
    # Host programs installed by other means than the extension's `host.binaries` (host-binary-not-shipped).
    host_binaries_installed: list[str] = field(default_factory=list)


def find(start: str) -> str | None:
    folder = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        for name in (".ddmigrate.toml", "pyproject.toml"):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_section(candidate)):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_section(path: str) -> bool:
    """Whether a pyproject.toml configures ddmigrate. One that is not valid TOML counts, so
    that ``load`` reports it (naming the file) instead of the run silently ignoring it."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            return "ddmigrate" in tomllib.load(handle).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True
    except OSError:
        return False


def load(path: str | None) -> Config:
    if path is None:
        return Config()
    import tomllib  # only when there is a file to read

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: is not valid TOML: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("ddmigrate", {})
    config = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join(sorted(KEYS))})")
        if key in ("unsafe-fixes", "markdown", "format"):
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: {key!r} must be true or false")
            setattr(config, key.replace("-", "_"), value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict) or not all(_strings(v) for v in value.values()):
                raise ConfigError(f"{path}: {key!r} must map file patterns to lists of rules")
            config.per_file_ignores = {k: list(v) for k, v in value.items()}
        else:
            if not _strings(value):
                raise ConfigError(f"{path}: {key!r} must be a list of strings")
            setattr(config, key.replace("-", "_"), list(value))
    return config


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def has_path_rules(config: Config) -> bool:
    return bool(config.exclude is not None or config.extend_exclude or config.per_file_ignores or not config.markdown)


class PathRules:
    """Exclusions and per-file ignores, matched like .gitignore patterns from the config's folder."""

    def __init__(self, config: Config) -> None:
        import pathspec

        self.root = config.root
        self._root = os.path.abspath(config.root)
        self.replaces_defaults = config.exclude is not None
        self.markdown = config.markdown  # false: discovery leaves Markdown files out
        patterns = (config.exclude or []) + config.extend_exclude
        self.exclude = pathspec.GitIgnoreSpec.from_lines(patterns)
        self._excludes = any(p.strip() and not p.lstrip().startswith("#") for p in patterns)
        self.per_file = [(pathspec.GitIgnoreSpec.from_lines([pattern]), rules)
                         for pattern, rules in config.per_file_ignores.items()]

    def _relative(self, path: str) -> str | None:
        return relative_under(absolute(path), self._root)

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        if not self._excludes:  # `exclude = []`: every file is asked, none is excluded
            return False
        rel = self._relative(path)
        return rel is not None and self.exclude.match_file(rel + "/" if is_dir else rel)

    def ignored_rules(self, path: str) -> list[str]:
        if not self.per_file:
            return []
        rel = self._relative(path)
        if rel is None:
            return []
        return [rule for spec, rules in self.per_file if spec.match_file(rel) for rule in rules]
