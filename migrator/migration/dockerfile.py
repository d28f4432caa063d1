"""The extension's backend image as its Dockerfile builds it: which paths it may contain.

Pure functions over the Dockerfile's text, read once per path and modification time. Only
the stage that is the image counts (the last one, or the compose file's `build.target`),
with the earlier stages it is built `FROM`; `COPY --from=...` into it counts like any copy.

What the image is taken to contain, generously:

- every path at or under a `COPY`/`ADD` destination (a relative one is under the `WORKDIR`);
  copied into a folder, a source that looks like one file (`metadata.json`) is
  ``folder/name``, and any other source (a folder, a glob, a URL, an archive) may have put
  anything in it;
- each `WORKDIR` and `VOLUME` folder itself;
- a path a `RUN` (or its here-document) names, or whose folder it names as a whole word
  (`mv helm /usr/local/bin`, `tar -xzf tool.tgz -C /opt/tool`);
- anything under `/bin`, `/usr/bin`, `/sbin`, `/usr/sbin`, `/lib` and `/etc`, which the
  base image supplies; and under `/usr/local` and `/opt` too, unless the image starts from a
  bare distribution (`scratch`, `alpine`, `busybox`, `debian`, `ubuntu`): a language image
  (`node`, `python`, `golang`) or any other installs its programs there.

A Dockerfile this module cannot follow says so (``Image.unknown``) and then may contain
anything: `ONBUILD`, an instruction it does not know, a variable in a destination or a
`WORKDIR`, a base image given by a variable, a relative destination before any `WORKDIR`
(unless the base image is one known to set none, such as `alpine`: it may have set one), an
unterminated here-document.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

SYSTEM_FOLDERS = ("/bin", "/usr/bin", "/sbin", "/usr/sbin", "/lib", "/etc")
# Instructions that create no file in the image (ARG and ENV values are not followed: a
# path that depends on them is not known).
HARMLESS = frozenset({"ARG", "ENV", "LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "USER", "SHELL", "HEALTHCHECK",
                      "STOPSIGNAL", "MAINTAINER"})
# Base images known to set no WORKDIR, so that a relative destination is under `/` (Docker's
# default) until the Dockerfile sets one; any other base image may have set its own.
NO_WORKDIR = frozenset({"scratch", "alpine", "busybox", "debian", "ubuntu"})
# Where any other base image may have installed programs (`FROM node`: /usr/local/bin/node).
BASE_IMAGE_FOLDERS = ("/usr/local", "/opt")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_DIRECTIVE = re.compile(r"#\s*([A-Za-z]+)\s*=\s*(\S*)\s*$")
_PATH_CHARS = r"[\w.\-]"


@dataclass(frozen=True)
class Image:
    """What the image built by one Dockerfile may contain."""

    path: str  # the Dockerfile
    destinations: tuple[str, ...] = ()  # COPY/ADD destinations, absolute and normalised, in order
    folders: tuple[str, ...] = ()  # WORKDIR and VOLUME folders
    scripts: tuple[str, ...] = ()  # the text of each RUN, with its here-documents
    stage: str | None = None  # the build target, when it is not the last stage
    unknown: str | None = None  # why what it creates cannot be followed
    bare: bool = True  # it starts from a bare distribution, which installs nothing in BASE_IMAGE_FOLDERS

    def may_contain(self, path: str) -> bool:
        """Whether the absolute ``path`` may be in the image (always, when it cannot be followed)."""
        if self.unknown is not None:
            return True
        path = posixpath.normpath(path)
        supplied = SYSTEM_FOLDERS if self.bare else SYSTEM_FOLDERS + BASE_IMAGE_FOLDERS
        if any(_under(path, folder) for folder in supplied + self.destinations):
            return True
        return path in self.folders or any(_mentions(script, path) for script in self.scripts)


def _under(path: str, folder: str) -> bool:
    return folder == "/" or path == folder or path.startswith(folder + "/")


def _mentions(script: str, path: str) -> bool:
    """``path`` itself, or one of its folders as a whole word (not a longer path in it)."""
    if re.search(rf"(?<![\w.\-}}]){re.escape(path)}(?!{_PATH_CHARS})", script):
        return True
    folder = posixpath.dirname(path)
    while folder != "/":
        if re.search(rf"(?<![\w.\-}}]){re.escape(folder)}/?(?![\w.\-/])", script):
            return True
        folder = posixpath.dirname(folder)
    return False


def read(path: str, stamp: str, target: str | None = None) -> Image | None:
    """The image the Dockerfile ``path`` builds (its stage ``target``, else the last); None
    when the file is missing or cannot be read. ``stamp`` (its size and modification time,
    "" when it is missing) keys the cache of what was read."""
    return _read(path, stamp, target)


@lru_cache(maxsize=64)
def _read(path: str, _stamp: str, target: str | None) -> Image | None:
    if not _stamp:
        return None
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    return parse(text, path, target)


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case
    arguments: str  # continuation lines joined
    heredocs: tuple[str, ...] = ()  # bodies of its here-documents


class _Unknown(Exception):
    pass


def instructions(text: str) -> list[Instruction]:
    """The Dockerfile's instructions, comments and line continuations taken out; raise
    ``_Unknown`` for an unterminated here-document."""
    lines = text.splitlines()
    escape = "\\"
    index = 0
    while index < len(lines):  # parser directives (`# escape=``), before anything else
        directive = _DIRECTIVE.match(lines[index].strip())
        if not directive:
            break
        if directive.group(1).lower() == "escape" and directive.group(2) in ("\\", "`"):
            escape = directive.group(2)
        index += 1
    found = []
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        logical = ""
        while True:
            stripped = line.rstrip()
            if not stripped.endswith(escape) or index >= len(lines):
                logical += stripped.removesuffix(escape) if stripped.endswith(escape) else stripped
                break
            logical += stripped[:-1]
            # The next lines continue it; comment and empty lines in between are dropped.
            while index < len(lines) and (not lines[index].strip() or lines[index].strip().startswith("#")):
                index += 1
            if index >= len(lines):
                break
            line = lines[index]
            index += 1
        keyword, arguments = (logical.split(None, 1) + ["", ""])[:2]
        keyword, arguments = keyword.upper(), arguments.strip()
        bodies = []
        if keyword in ("RUN", "COPY", "ADD"):
            for match in _HEREDOC.finditer(arguments):
                body = []
                while index < len(lines) and lines[index].strip() != match.group(3):
                    body.append(lines[index])
                    index += 1
                if index >= len(lines):
                    raise _Unknown(f"its here-document `{match.group(3)}` is not terminated")
                index += 1
                bodies.append("\n".join(body))
        found.append(Instruction(keyword, arguments, tuple(bodies)))
    return found


def parse(text: str, path: str = "Dockerfile", target: str | None = None) -> Image:
    """What the image built from the Dockerfile ``text`` may contain."""
    try:
        stages = _stages(instructions(text))
        chain = _chain(stages, target)
        return _image(path, chain, target if target and target.lower() != stages[-1][0] else None)
    except _Unknown as unknown:
        return Image(path, unknown=str(unknown))


def _stages(found: list[Instruction]) -> list[tuple[str | None, str, list[Instruction]]]:
    """``(name, base, instructions)`` of each stage, in order."""
    stages: list[tuple[str | None, str, list[Instruction]]] = []
    for instruction in found:
        if instruction.keyword == "FROM":
            words = [w for w in instruction.arguments.split() if not w.startswith("--")]
            if not words:
                raise _Unknown("a FROM names no image")
            name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append((name, words[0], []))
        elif not stages:
            if instruction.keyword != "ARG":
                raise _Unknown(f"`{instruction.keyword}` comes before any FROM")
        else:
            stages[-1][2].append(instruction)
    if not stages:
        raise _Unknown("it has no FROM")
    return stages


def _chain(stages, target: str | None) -> list[tuple[str, list[Instruction]]]:
    """The stages the image is made of, oldest first: its own, after those it is built FROM."""
    index = len(stages) - 1
    if target:
        index = next((i for i, (name, _, _) in enumerate(stages) if name == target.lower()), None)
        if index is None:
            raise _Unknown(f"it has no stage `{target}`")
    chain = []
    while True:
        _, base, body = stages[index]
        chain.append((base, body))
        if "$" in base:
            raise _Unknown(f"an image it is built from is given by a variable (`{base}`)")
        earlier = [i for i, (name, _, _) in enumerate(stages[:index]) if name == base.lower()]
        if not earlier:
            return chain[::-1]
        index = earlier[-1]


def _image(path: str, chain, stage: str | None) -> Image:
    destinations: list[str] = []
    folders: list[str] = []
    scripts: list[str] = []
    workdir: str | None = None
    bare = True
    for position, (base, body) in enumerate(chain):
        if position == 0:  # the first stage starts from an outside image, which may set a WORKDIR
            bare = _image_name(base) in NO_WORKDIR
            workdir = "/" if bare else None
        for instruction in body:
            keyword, arguments = instruction.keyword, instruction.arguments
            if keyword in ("COPY", "ADD"):
                destinations.extend(_copied(arguments, keyword, workdir))
            elif keyword == "WORKDIR":
                if "$" in arguments:
                    raise _Unknown(f"its WORKDIR `{arguments}` depends on a variable")
                workdir = _absolute(arguments, workdir, f"the WORKDIR `{arguments}`")
                folders.append(workdir)
            elif keyword == "VOLUME":
                folders.extend(posixpath.normpath(v) for v in _words(arguments) if v.startswith("/") and "$" not in v)
            elif keyword == "RUN":
                scripts.append("\n".join((arguments, *instruction.heredocs)))
            elif keyword == "ONBUILD":
                raise _Unknown("it has an ONBUILD instruction")
            elif keyword not in HARMLESS:
                raise _Unknown(f"`{keyword}` is not an instruction ddmigrate follows")
    return Image(path, tuple(dict.fromkeys(destinations)), tuple(folders), tuple(scripts), stage, bare=bare)


def _image_name(reference: str) -> str:
    """`alpine` for `alpine:3.19`, `docker.io/library/alpine@sha256:...`; other names as written."""
    name = reference.lower().split("@", 1)[0]
    head, _, tag = name.rpartition(":")
    if head and "/" not in tag:
        name = head
    return name.removeprefix("docker.io/").removeprefix("library/")


def _copied(arguments: str, keyword: str, workdir: str | None) -> list[str]:
    """The paths a COPY or ADD creates, each standing for itself and everything under it.

    Into a folder (a destination ending in `/`, several sources, `.` or the WORKDIR), a source
    that looks like a file (`metadata.json`, a here-document) lands as ``folder/name``; any
    other source (a folder, whose contents are copied, a glob, a URL, an archive ADD
    unpacks) may put anything in the folder. Else the destination is the copy itself."""
    while arguments.startswith("--"):  # --from=, --chown=, --chmod=, --link, ...
        arguments = (arguments.split(None, 1) + [""])[1]
    words = _words(arguments)
    if len(words) < 2:
        raise _Unknown(f"a {keyword} has no destination")
    sources, written = words[:-1], words[-1]
    if "$" in written:
        raise _Unknown(f"the {keyword} destination `{written}` depends on a variable")
    destination = _absolute(written, workdir, f"the {keyword} destination `{written}`")
    into = written.endswith("/") or len(sources) > 1 or written in (".", "./") or destination in ("/", workdir)
    if not into:
        return [destination]
    return [posixpath.join(destination, name) if name else destination for name in map(_file_name, sources)]


_ARCHIVES = (".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst", ".tbz2", ".txz")


def _file_name(source: str) -> str:
    """The name a source copied into a folder gets when it is one file; "" when it may be
    anything else."""
    heredoc = _HEREDOC.fullmatch(source)
    if heredoc:
        return heredoc.group(3)
    name = source.rstrip("/").rsplit("/", 1)[-1]
    if (source.endswith("/") or "://" in source or any(c in source for c in "*?[$")
            or name in ("", ".", "..") or name.lower().endswith(_ARCHIVES)):
        return ""
    stem, dot, suffix = name.lstrip(".").rpartition(".")
    return name if dot and stem and suffix else ""


def _words(arguments: str) -> list[str]:
    """The JSON array form (`["a", "b"]`), else the words between blanks."""
    if arguments.startswith("["):
        try:
            value = json.loads(arguments)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
    return arguments.split()


def _absolute(path: str, workdir: str | None, what: str) -> str:
    if path.startswith("/"):
        return posixpath.normpath(path)
    if workdir is None:
        raise _Unknown(f"{what} is relative to a working folder the base image may have set")
    return posixpath.normpath(posixpath.join(workdir, path))
