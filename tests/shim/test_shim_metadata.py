"""metadata.json parsing, client construction, ExecResult helpers, and the import contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.shim import ConfigurationError, DockerDesktopClient, ExecResult, ExtensionMetadata
from migrator.shim.metadata import extension_dir_name


def write(tmp_path, data) -> Path:
    path = tmp_path / "metadata.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_reads_the_parts_the_shim_uses(ext):
    meta = ExtensionMetadata.load(ext.root)  # a folder works as well as the file
    assert meta.socket == "backend.sock"
    assert meta.vm_image == "${DESKTOP_PLUGIN_IMAGE}" and meta.has_vm
    assert meta.binaries_for("darwin") == ("darwinonly",)
    assert meta.binaries_for("windows") == ("tool.exe",)
    assert "echoargs" in meta.binaries_for("linux")


def test_extension_without_backend_or_binaries(tmp_path):
    meta = ExtensionMetadata.load(write(tmp_path, {"ui": {}}))
    assert meta.socket is None and not meta.has_vm and meta.binaries_for("linux") == ()


@pytest.mark.parametrize(
    "data, problem",
    [
        ("{not json", "not valid JSON"),
        ([], "JSON object"),
        ({"vm": {"exposes": {"socket": "../../var/run/docker.sock"}}}, "plain file name"),
        ({"vm": {"exposes": {"socket": "/abs.sock"}}}, "plain file name"),
        ({"vm": {"image": 3}}, "vm.image"),
        ({"host": {"binaries": [{"plan9": [{"path": "/x"}]}]}}, "plan9"),
        ({"host": {"binaries": [{"linux": [{"file": "/x"}]}]}}, "'path'"),
        ({"host": {"binaries": "x"}}, "must be a list"),
        ({"vm": "image"}, "'vm' must be an object"),
    ],
)
def test_malformed_metadata_is_a_configuration_error(tmp_path, data, problem):
    path = write(tmp_path, data)
    with pytest.raises(ConfigurationError, match=problem) as caught:
        DockerDesktopClient.from_metadata(path)
    assert str(path) in str(caught.value)


def test_missing_metadata_file(tmp_path):
    with pytest.raises(ConfigurationError, match="cannot read"):
        DockerDesktopClient.from_metadata(tmp_path / "nope.json")


@pytest.mark.parametrize(
    "image, name",
    [
        ("docker/disk-usage-extension:0.2.1", "docker_disk-usage-extension"),
        ("myext", "myext"),
        ("localhost:5000/team/ext:dev", "localhost:5000_team_ext"),
        ("org/ext@sha256:abcd", "org_ext"),
    ],
)
def test_extension_folder_name(image, name):
    assert extension_dir_name(image) == name


def test_extension_name_must_be_a_plain_folder(ext):
    with pytest.raises(ConfigurationError, match="extension_name"):
        DockerDesktopClient.from_metadata(ext.metadata_path, extension_name="../x", platform="linux")


def test_extension_image_is_exposed(ext):
    assert ext.client(image="org/ext:1").extension.image == "org/ext:1"


def test_result_lines_and_json():
    result = ExecResult(cmd=("x",), stdout='{"a": 1}\r\n\n{"b": 2}\n', stderr="", code=0)
    assert result.lines() == ['{"a": 1}', "", '{"b": 2}']
    assert result.parse_json_lines() == [{"a": 1}, {"b": 2}]
    assert ExecResult(cmd=("x",), stdout="", stderr="", code=0).lines() == []
    assert ExecResult(cmd=("x",), stdout=' {"k": [1]} ', stderr="", code=0).parse_json_object() == {"k": [1]}
    with pytest.raises(ValueError):
        ExecResult(cmd=("x",), stdout="nope", stderr="", code=0).parse_json_object()


def test_importable_without_the_cli_dependencies():
    # Block the CLI's heavy dependencies: the shim needs only the standard library and httpx.
    script = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'click', 'libcst', 'tree_sitter', 'tree_sitter_javascript',
                                  'tree_sitter_typescript', 'pathspec'}:
            raise ImportError('blocked ' + name)
sys.meta_path.insert(0, Block())
import migrator.shim
print(sorted(m for m in sys.modules if m.startswith('migrator.') and not m.startswith('migrator.shim')))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
