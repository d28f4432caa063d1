"""`ddmigrate shim`: writing, updating in place, refusing foreign files; the result type-checks."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import migrator.shim_js.install as jsshim
from migrator import __version__
from migrator.shim_js.install import ShimError, read_marker, render, shim_command, shim_source, write_shim
from tests.typecheck import typecheck

REPO = Path(__file__).resolve().parents[2]


def body_of(text: str) -> str:
    return text.split("\n", 5)[5]


def test_writes_a_new_file_with_header_and_marker(tmp_path):
    out = tmp_path / "src" / "legacy-client.ts"
    status = write_shim(str(out))
    assert status == f"wrote {out} (legacy-client shim, ts, ddmigrate {__version__})"
    text = out.read_text(encoding="utf-8")
    assert f"Written by ddmigrate {__version__}" in text.splitlines()[1]
    assert read_marker(text) == (__version__, "ts", True)
    assert body_of(text) == shim_source("ts")
    assert text == render("ts")
    assert sorted(p.name for p in out.parent.iterdir()) == ["legacy-client.ts"]  # no temp file left


def test_running_again_is_a_no_op(tmp_path):
    out = tmp_path / "legacy-client.ts"
    write_shim(str(out))
    before = out.read_bytes()
    assert write_shim(str(out)) == f"already up to date: {out} (ddmigrate {__version__})"
    assert out.read_bytes() == before


def test_a_new_version_updates_in_place_and_says_so(tmp_path, monkeypatch):
    out = tmp_path / "legacy-client.js"
    monkeypatch.setattr(jsshim, "__version__", "0.0.9")
    monkeypatch.setattr(jsshim, "shim_source", lambda lang: "// an older shim\nexport {};\n")
    write_shim(str(out), "js")
    assert read_marker(out.read_text()) == ("0.0.9", "js", True)
    monkeypatch.undo()
    status = write_shim(str(out), "js")
    assert status == f"updated {out} from version 0.0.9 to {__version__}"
    assert out.read_text(encoding="utf-8") == render("js")
    assert write_shim(str(out), "js").startswith("already up to date")


def test_a_version_bump_alone_rewrites_the_header(tmp_path, monkeypatch):
    out = tmp_path / "legacy-client.ts"
    write_shim(str(out))
    monkeypatch.setattr(jsshim, "__version__", "9.9.9")
    assert write_shim(str(out)) == f"updated {out} from version {__version__} to 9.9.9"
    assert read_marker(out.read_text()) == ("9.9.9", "ts", True)
    assert "Written by ddmigrate 9.9.9" in out.read_text()


def test_refuses_a_file_it_did_not_write(tmp_path):
    out = tmp_path / "legacy-client.ts"
    out.write_text("export const mine = 1;\n")
    with pytest.raises(ShimError) as info:
        write_shim(str(out))
    assert info.value.exit_code == 2
    assert str(out) in info.value.message and "did not write" in info.value.message
    assert out.read_text() == "export const mine = 1;\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["legacy-client.ts"]


def test_refuses_a_file_edited_since(tmp_path):
    out = tmp_path / "legacy-client.ts"
    write_shim(str(out))
    edited = out.read_text().replace("installLegacyClient(client", "installLegacyClient(theClient", 1)
    out.write_text(edited)
    assert read_marker(edited)[2] is False
    with pytest.raises(ShimError) as info:
        write_shim(str(out))
    assert str(out) in info.value.message and "edited" in info.value.message
    assert out.read_text() == edited
    status = write_shim(str(out), force=True)
    assert status == f"updated {out} from version {__version__} to {__version__} (local edits discarded)"
    assert out.read_text() == render("ts")


def test_force_replaces_a_foreign_file(tmp_path):
    out = tmp_path / "shim.js"
    out.write_text("console.log('hand written');\n")
    assert write_shim(str(out), "js", force=True).startswith(f"wrote {out} ")
    assert out.read_text() == render("js")


def test_a_marker_must_be_in_the_header(tmp_path):
    out = tmp_path / "legacy-client.ts"
    out.write_text("\n" * 20 + render("ts"))
    with pytest.raises(ShimError):
        write_shim(str(out))


def test_windows_line_endings_are_kept(tmp_path, monkeypatch):
    out = tmp_path / "legacy-client.ts"
    write_shim(str(out))
    out.write_bytes(out.read_bytes().replace(b"\n", b"\r\n"))  # as git's autocrlf would
    assert write_shim(str(out)).startswith("already up to date")
    monkeypatch.setattr(jsshim, "__version__", "9.9.9")
    assert write_shim(str(out)).startswith("updated ")
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert read_marker(raw.decode()) == ("9.9.9", "ts", True)


def test_keeps_the_file_mode_and_follows_a_symlink(tmp_path, monkeypatch):
    real = tmp_path / "real" / "legacy-client.ts"
    write_shim(str(real))
    os.chmod(real, 0o640)
    link = tmp_path / "link.ts"
    link.symlink_to(real)
    monkeypatch.setattr(jsshim, "__version__", "9.9.9")
    assert write_shim(str(link)) == f"updated {real} from version {__version__} to 9.9.9"
    assert link.is_symlink() and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["legacy-client.ts"]


def test_new_files_get_the_usual_mode(tmp_path):
    out = tmp_path / "legacy-client.js"
    write_shim(str(out), "js")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("name, lang, expected", [
    ("shim.ts", None, "ts"), ("shim.mts", None, "ts"), ("shim.tsx", None, "ts"),
    ("shim.js", None, "js"), ("shim.mjs", None, "js"), ("shim.jsx", None, "js"),
    ("shim", None, "ts"), ("shim.txt", None, "ts"), ("shim.txt", "js", "js"), ("shim.ts", "ts", "ts"),
])
def test_language_from_the_extension(tmp_path, name, lang, expected):
    out = tmp_path / name
    write_shim(str(out), lang)
    assert read_marker(out.read_text())[1] == expected


@pytest.mark.parametrize("name, lang, says", [
    ("shim.js", "ts", "--lang js"), ("shim.ts", "js", "--lang ts"),
    ("shim.cjs", None, "ES module"), ("shim.cts", "ts", "ES module"), ("shim.ts", "py", "unknown"),
])
def test_language_mismatch_is_refused(tmp_path, name, lang, says):
    with pytest.raises(ShimError) as info:
        write_shim(str(tmp_path / name), lang)
    assert says in info.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_folder_gets_legacy_client_inside(tmp_path):
    assert write_shim(str(tmp_path)).startswith(f"wrote {tmp_path / 'legacy-client.ts'} ")
    assert write_shim(str(tmp_path), "js").startswith(f"wrote {tmp_path / 'legacy-client.js'} ")
    assert write_shim(str(tmp_path / "new") + os.sep).startswith(f"wrote {tmp_path / 'new' / 'legacy-client.ts'} ")


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def invoke(*args):
    return CliRunner().invoke(shim_command, list(args), catch_exceptions=False)


def test_command_writes_then_updates(tmp_path, monkeypatch):
    out = tmp_path / "ui" / "src" / "legacy-client.ts"
    result = invoke("--out", str(out))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"wrote {out} (legacy-client shim, ts, ddmigrate {__version__})"
    assert 'import { installLegacyClient } from "./legacy-client";' in result.output
    result = invoke("--out", str(out))
    assert result.exit_code == 0 and result.output == f"already up to date: {out} (ddmigrate {__version__})\n"
    monkeypatch.setattr(jsshim, "__version__", "9.9.9")
    result = invoke("--out", str(out))
    assert result.output == f"updated {out} from version {__version__} to 9.9.9\n"


def test_command_language_defaults(tmp_path):
    assert invoke("--out", str(tmp_path / "a.mjs")).exit_code == 0
    assert read_marker((tmp_path / "a.mjs").read_text())[1] == "js"
    result = invoke("--out", str(tmp_path), "--lang", "js")
    assert result.exit_code == 0 and (tmp_path / "legacy-client.js").exists()
    assert 'from "./legacy-client.js"' in result.output


def test_command_refuses_with_exit_2_naming_the_file(tmp_path):
    out = tmp_path / "api.ts"
    out.write_text("export {};\n")
    result = CliRunner().invoke(shim_command, ["--out", str(out)])
    assert result.exit_code == 2
    assert f"refusing to overwrite {out}" in result.output
    assert out.read_text() == "export {};\n"
    result = CliRunner().invoke(shim_command, ["--out", str(out), "--force"])
    assert result.exit_code == 0 and read_marker(out.read_text()) is not None


def test_command_usage_errors(tmp_path):
    assert CliRunner().invoke(shim_command, []).exit_code == 2  # --out is required
    assert CliRunner().invoke(shim_command, ["--out", str(tmp_path / "x.ts"), "--lang", "py"]).exit_code == 2
    result = CliRunner().invoke(shim_command, ["--out", str(tmp_path / "x.js"), "--lang", "ts"])
    assert result.exit_code == 2 and "x.js" in result.output


# ---------------------------------------------------------------------------------------------
# The written files type-check in a project, with their header
# ---------------------------------------------------------------------------------------------

APP = {
    "ts": ('import { installLegacyClient } from "./legacy-client";\n'
           'const client = installLegacyClient();\n'
           'export const got = client.backend.get("/x");\n'
           'client.navigateToContainer("abc").then(() => client.toastSuccess("shown"));\n'),
    "js": ('import { installLegacyClient } from "./legacy-client.js";\n'
           'const client = installLegacyClient(ddClient, { silent: true });\n'
           'export const got = client.backend.get("/x");\n'
           'client.navigateToContainer("abc").then(() => client.toastSuccess("shown"));\n'),
}


@pytest.mark.parametrize("lang", ["ts", "js"])
def test_the_written_file_type_checks(lang, tmp_path):
    project = tmp_path / "project"
    out = project / "src" / f"legacy-client.{lang}"
    write_shim(str(out), lang)
    files = {f"src/legacy-client.{lang}": out.read_text(encoding="utf-8"), f"src/app.{lang}": APP[lang]}
    assert typecheck(files, tmp_path / "check") == []


# ---------------------------------------------------------------------------------------------
# Packaging: the sources must ship in the wheel (pyproject: package migrator.shim_js, its data)
# ---------------------------------------------------------------------------------------------


def test_the_wheel_ships_the_shim_sources(tmp_path):
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)]
    proc = subprocess.run(command, capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    [wheel] = tmp_path.glob("ddmigrate-*.whl")
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    for name in ("__init__.py", "legacy-client.ts", "legacy-client.js"):
        assert f"migrator/shim_js/{name}" in names, (
            "pyproject.toml must list migrator.shim_js in packages and ship its *.ts and *.js as package-data")
    assert "migrator/shim_js/install.py" in names
    for lang in ("ts", "js"):
        assert archive.read(f"migrator/shim_js/legacy-client.{lang}").decode() == shim_source(lang)
