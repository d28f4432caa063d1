"""``ddmigrate shim``: write the legacy-client runtime shim into an extension's frontend.

The shim is one dependency-free module (TypeScript, or JavaScript with JSDoc types) that puts
the deprecated v0 client API back on top of v1 for code that cannot be migrated yet. Its source
ships in ``migrator/shim_js`` as package data. The written file starts with a header naming the
ddmigrate version and a marker line with a checksum of the module below it, so that running the
command again can tell its own, unedited files (and update them in place) from anything else
(which it refuses to overwrite without ``--force``). ``ddmigrate check`` and ``fix`` skip any
file whose first bytes hold that marker line (:mod:`migrator.shim_js.marker`), so a ``fix`` run
never edits the shim and the command can still update it afterwards.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from importlib import resources
from pathlib import Path

import click

from migrator import __version__
from migrator.shim_js.marker import MARKER

LANGS = ("ts", "js")
FILE_STEM = "legacy-client"
SUFFIX_LANG = {".ts": "ts", ".mts": "ts", ".tsx": "ts", ".js": "js", ".mjs": "js", ".jsx": "js"}
COMMONJS_SUFFIXES = (".cjs", ".cts")
EXIT_REFUSED = 2

_MARKER_LINE = re.compile(
    r"^// @ddmigrate-shim version=(?P<version>\S+) lang=(?P<lang>ts|js) sha256=(?P<digest>[0-9a-f]{64})\r?\n",
    re.M,
)
_HEADER_LINES = 8  # the marker must sit in the first lines of the file


class ShimError(click.ClickException):
    """The shim cannot be written (a file ddmigrate did not write, a bad path or language)."""

    exit_code = EXIT_REFUSED


def shim_source(lang: str) -> str:
    """The module's source as shipped in the package (without the header)."""
    if lang not in LANGS:
        raise ShimError(f"unknown shim language {lang!r}: choose one of {', '.join(LANGS)}")
    return resources.files("migrator.shim_js").joinpath(f"{FILE_STEM}.{lang}").read_text(encoding="utf-8")


def _digest(body: str) -> str:
    return hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def render(lang: str) -> str:
    """The whole file ``ddmigrate shim`` writes for ``lang``: header, marker line, module."""
    body = shim_source(lang)
    return (
        "// The deprecated Docker Desktop extension client API (v0) on top of v1: see installLegacyClient.\n"
        f"// Written by ddmigrate {__version__} (`ddmigrate shim`); run it again to update this file in place.\n"
        "// Do not edit: an edited file is no longer updated. Migrate callers with `ddmigrate fix`.\n"
        "/* eslint-disable */\n"
        f"// {MARKER} version={__version__} lang={lang} sha256={_digest(body)}\n"
        + body
    )


def read_marker(text: str) -> tuple[str, str, bool] | None:
    """``(version, lang, unedited)`` for a file ``ddmigrate shim`` wrote, else None."""
    head_end = 0
    for _ in range(_HEADER_LINES):
        nxt = text.find("\n", head_end)
        if nxt < 0:
            break
        head_end = nxt + 1
    match = _MARKER_LINE.search(text, 0, head_end)
    if match is None:
        return None
    body = text[match.end():]
    return match["version"], match["lang"], _digest(body) == match["digest"]


def _lang_for(path: Path, lang: str | None) -> str:
    suffix = path.suffix.lower()
    if suffix in COMMONJS_SUFFIXES:
        ext = lang or ("js" if suffix == ".cjs" else "ts")
        raise ShimError(f"{path}: the shim is an ES module (import/export), so it cannot be a CommonJS "
                        f"{suffix} file; name it .{ext} or .m{ext}")
    inferred = SUFFIX_LANG.get(suffix)
    if lang is None:
        return inferred or "ts"
    if lang not in LANGS:
        raise ShimError(f"unknown shim language {lang!r}: choose one of {', '.join(LANGS)}")
    if inferred is not None and inferred != lang:
        language = "TypeScript" if lang == "ts" else "JavaScript"
        raise ShimError(f"{path}: a {suffix} file cannot hold the {language} shim; "
                        f"pass --lang {inferred} or name the file .{lang}")
    return lang


def _target(out: str, lang: str | None) -> tuple[Path, str]:
    path = Path(out)
    if path.is_dir() or out.endswith(("/", os.sep)):
        chosen = lang or "ts"
        return path / f"{FILE_STEM}.{chosen}", _lang_for(path / f"{FILE_STEM}.{chosen}", chosen)
    return path, _lang_for(path, lang)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and os.replace, keeping the old file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_shim(out: str, lang: str | None = "ts", force: bool = False) -> str:
    """Write (or update) the legacy-client shim at ``out``; return a one-line status.

    ``out`` is a file path, or an existing folder (the file is then ``legacy-client.<lang>``
    in it). ``lang`` is ``"ts"`` or ``"js"``; None picks it from the file extension (else ts).
    An existing file is only replaced when ``ddmigrate shim`` wrote it and it was not edited
    since, unless ``force``; otherwise :class:`ShimError` (exit code 2) names the file.
    """
    path, lang = _target(out, lang)
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file():
        raise ShimError(f"refusing to write {path}: it exists and is not a regular file")
    new = render(lang)
    if not path.exists():
        _atomic_write(path, new.encode("utf-8"))
        return f"wrote {path} (legacy-client shim, {lang}, ddmigrate {__version__})"
    old = path.read_bytes().decode("utf-8", errors="replace")
    marker = read_marker(old)
    newline = "\r\n" if "\r\n" in old else "\n"
    if marker is None:
        if not force:
            raise ShimError(f"refusing to overwrite {path}: ddmigrate did not write it (it has no "
                            f"{MARKER} marker line); choose another --out path, or pass --force to replace it")
        _atomic_write(path, new.replace("\n", newline).encode("utf-8"))
        return (f"wrote {path} (legacy-client shim, {lang}, ddmigrate {__version__}), "
                "replacing a file ddmigrate did not write")
    old_version, _, unedited = marker
    if not unedited and not force:
        raise ShimError(f"refusing to overwrite {path}: ddmigrate {old_version} wrote it, but it was edited since; "
                        "move your changes out of it (or pass --force to discard them)")
    if old.replace("\r\n", "\n") == new:
        return f"already up to date: {path} (ddmigrate {__version__})"
    _atomic_write(path, new.replace("\n", newline).encode("utf-8"))
    note = "" if unedited else " (local edits discarded)"
    return f"updated {path} from version {old_version} to {__version__}{note}"


def _usage(path: Path) -> str:
    """How to import the written file from a module next to it."""
    suffix = path.suffix.lower()
    if suffix in (".ts", ".tsx"):
        specifier = f"./{path.stem}"
    elif suffix == ".mts":
        specifier = f"./{path.stem}.mjs"
    else:
        specifier = f"./{path.name}"
    return ("use it once, before any code that still calls v0:\n"
            f'  import {{ installLegacyClient }} from "{specifier}";\n'
            "  installLegacyClient();")


@click.command("shim", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--out", "out", required=True, metavar="PATH",
              help="File to write (.ts/.mts/.tsx or .js/.mjs/.jsx), or an existing folder for legacy-client.<lang>.")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="TypeScript or JavaScript with JSDoc types  [default: from the --out extension, else ts]")
@click.option("--force", is_flag=True, help="Also replace a file ddmigrate did not write, or one edited since.")
def shim_command(out: str, lang: str | None, force: bool) -> None:
    """Write the legacy-client runtime shim: the deprecated v0 API on top of v1, in one module.

    For code that cannot be migrated yet: installLegacyClient() adds every missing v0 member,
    each calling its v1 replacement and warning once. Running the command again updates the
    file in place; a file it did not write is never overwritten (exit 2) unless --force.
    """
    status = write_shim(out, lang, force)
    click.echo(status)
    if status.startswith("wrote "):
        click.echo(_usage(_target(out, lang)[0]))
