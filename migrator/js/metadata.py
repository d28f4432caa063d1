"""What the JavaScript rules ask of the extension's metadata.json (``migrator.migration.metadata``)
about the code in front of them: is this container the extension's own backend, is this host
program shipped. Every answer is None (nothing to say) when the file belongs to no extension."""

from __future__ import annotations

from migrator.core.lazy import LazyModule
from migrator.migration import metadata

jscommand = LazyModule("migrator.js.command")  # with the shell analyser: only for files that ask


def extension_of(ctx) -> metadata.Extension | None:
    path = getattr(ctx.source, "path", None)
    return metadata.find(path) if path else None


def static_text(ctx, node) -> str | None:
    """The value of a string literal (or a `const` holding one), or None."""
    try:
        command = jscommand.read_command(ctx, node)
    except jscommand.Unknown:
        return None
    return "".join(command.segments) if command.is_static else None


def program_of(ctx, node) -> str | None:
    """The first word of a static command (the program an exec runs), or None."""
    try:
        command = jscommand.read_command(ctx, node)
    except jscommand.Unknown:
        return None
    words = command.analysis.words
    return words[0].text if words and words[0].is_static else None


def backend_container(ctx, node) -> tuple[tuple[str, str] | None, str | None]:
    """``((name, why), None)`` when the container argument ``node`` names the extension's own
    backend; else ``(None, why not)``, or ``(None, None)`` when there is no metadata to ask."""
    extension = extension_of(ctx)
    if extension is None or not extension.has_vm:
        return None, None
    name = static_text(ctx, node)
    if name is None:
        return None, (f"`{ctx.text(node)}` is not a string literal, so it is not compared with this extension's "
                      "backend container (metadata.json)")
    why = extension.backend_container(name)
    if why is not None:
        return (name, why), None
    if extension.image_only:
        return None, (f"metadata.json gives the backend only as `vm.image`, so `{name}` is taken to be another "
                      "container")
    if not extension.containers:
        return None, None
    known = ", ".join(f"`{c}`" for c in extension.containers)
    return None, (f"`{name}` is not this extension's own backend container, which `{extension.compose}` names "
                  f"{known}: `docker exec` reaches it by name")


PLATFORM_NAMES = {"darwin": "darwin (macOS)", "windows": "windows", "linux": "linux"}


def unshipped_host_program(ctx, program: str | None) -> tuple[str, list[str]] | None:
    """``(program, platforms)`` when the host program is not shipped in metadata.json's
    `host.binaries` for those platforms; None when it is, or nothing is known."""
    if not program:
        return None
    extension = extension_of(ctx)
    if extension is None:
        return None
    platforms = extension.unshipped(program)
    return (program, platforms) if platforms else None


def shown_platforms(platforms: list[str]) -> str:
    return ", ".join(PLATFORM_NAMES[p] for p in platforms)


def unshipped_note(ctx, program: str | None) -> str | None:
    """The note an exec fix carries when its host program is not shipped (the fix is then unsafe)."""
    found = unshipped_host_program(ctx, program)
    if found is None:
        return None
    return (f"`{found[0]}` is not shipped in metadata.json `host.binaries` for {shown_platforms(found[1])}: "
            "it must already be installed on every user's machine (host-binary-not-shipped)")
