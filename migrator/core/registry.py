"""Finding the rules: every Rule subclass in a module of ``migrator.rules`` (or a subfolder) is one."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from migrator.core.rule import Rule


class CatalogueError(Exception):
    """The rule catalogue itself is inconsistent (a bug in ddmigrate, not in user code)."""


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    package = importlib.import_module("migrator.rules")
    found: list[type[Rule]] = []
    # The catalogue is grouped in subfolders (common/, js/, python/): walk them all.
    for info in sorted(pkgutil.walk_packages(package.__path__, f"{package.__name__}."), key=lambda i: i.name):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Rule) and value is not Rule
                    and value.__module__ == module.__name__ and value.code):
                found.append(value)
    check_unique(found)
    return tuple(cls() for cls in sorted(found, key=lambda c: c.code))


def check_unique(classes) -> None:
    seen: dict[str, str] = {}
    for cls in classes:
        if not cls.name or not cls.summary:
            raise CatalogueError(f"rule {cls.code} needs a name and a summary")
        for ident in (cls.code, cls.name, *cls.aliases):
            if ident in seen:
                raise CatalogueError(f"{ident!r} is used by both {seen[ident]} and {cls.__name__}")
            seen[ident] = cls.__name__
    codes = {cls.code for cls in classes}
    for cls in classes:
        unknown = sorted(set(cls.emits) - codes)
        if unknown:
            raise CatalogueError(f"rule {cls.code} says it reports {', '.join(unknown)}, which no rule has")


def find_rule(ident: str) -> Rule | None:
    """A rule by code, name or former name (case-insensitive for codes)."""
    for rule in all_rules():
        if ident == rule.name or ident.upper() == rule.code or ident in rule.aliases:
            return rule
    return None


def matches(rule: Rule, ident: str) -> bool:
    """Whether ``ident`` (a name, former name, code or code prefix) names ``rule``."""
    return ident in (rule.name, *rule.aliases) or rule.code.startswith(ident.upper())


def select_rules(select: list[str] | None = None, ignore: list[str] | None = None,
                 per_file_ignores: dict[str, list[str]] | None = None) -> tuple[Rule, ...]:
    """Rules filtered by code, code prefix (``DD1``) or name; unknown identifiers, here or in
    the rules ``per_file_ignores`` names, are an error."""
    rules = all_rules()

    named = [ident for idents in (per_file_ignores or {}).values() for ident in idents]
    for ident in (select or []) + (ignore or []) + named:
        if ident.upper() != "ALL" and not any(matches(r, ident) for r in rules):
            raise CatalogueError(f"unknown rule {ident!r} (see `ddmigrate rules`)")
    if select:
        rules = tuple(r for r in rules if any(i.upper() == "ALL" or matches(r, i) for i in select))
    if ignore:
        rules = tuple(r for r in rules if not any(matches(r, i) for i in ignore))
    return rules
