"""extension.host.cli with real binaries in a temporary host folder."""

from __future__ import annotations

import json
import os
import signal
import threading

import pytest

from migrator.shim import (
    BinaryNotFoundError,
    CommandFailedError,
    ConfigurationError,
    DockerDesktopClient,
    ExecResult,
    ExecStartError,
    ExecTimeoutError,
    HostBinaryRefusedError,
    ProcessKilledError,
    StreamHandlers,
)

WAIT = 20  # an upper bound for waiting on background work, never a timing assertion


def test_argv_is_passed_exactly(ext):
    args = ["a b", "'quoted'", '"double"', "|", "grep", "&&", "$HOME", "*", "~", "x;y", "", "é"]
    result = ext.client().extension.host.cli.exec("echoargs", args)
    assert isinstance(result, ExecResult)
    assert json.loads(result.stdout) == args
    assert result.code == 0 and result.stderr == "" and not result.killed and result.signal is None
    assert ext.runs() == ["echoargs"]


def test_result_helpers(ext):
    result = ext.client().extension.host.cli.exec("echoargs", ["x"])
    assert result.lines() == ['["x"]']
    assert result.parse_json_object() == ["x"]
    assert result.parse_json_lines() == [["x"]]


def test_cwd_and_env(ext, tmp_path):
    result = ext.client().extension.host.cli.exec(
        "envcwd", [], cwd=tmp_path, env={"DDM_TEST_VAR": "from test"}
    )
    assert result.lines() == ["from test", str(tmp_path)]


@pytest.mark.parametrize(
    "name",
    [
        "../host/echoargs",
        "./echoargs",
        "sub/echoargs",
        "..",
        "..echoargs",
        "echoargs/..",
        "/bin/sh",
        "C:echoargs",
        "a\\b",
        "",
    ],
)
def test_names_with_paths_are_refused_before_running(ext, name):
    with pytest.raises((HostBinaryRefusedError, TypeError)):
        ext.client().extension.host.cli.exec(name, [])
    assert ext.runs() == []


def test_symlink_leaving_the_host_folder_is_refused(ext):
    with pytest.raises(HostBinaryRefusedError, match="outside"):
        ext.client().extension.host.cli.exec("escape", [])
    assert ext.runs() == []


def test_binary_not_listed_for_this_platform_is_refused(ext):
    with pytest.raises(HostBinaryRefusedError, match=r"not listed in host\.binaries for linux"):
        ext.client().extension.host.cli.exec("darwinonly", [])
    assert ext.runs() == []


def test_refusal_also_applies_to_streams(ext):
    seen = []
    with pytest.raises(HostBinaryRefusedError):
        ext.client().extension.host.cli.exec("darwinonly", [], stream={"on_output": seen.append})
    assert ext.runs() == [] and seen == []


def test_windows_name_maps_to_exe(ext):
    client = ext.client(platform="windows")
    assert client.extension.host.cli.exec("tool", []).stdout == "windows tool\n"
    with pytest.raises(HostBinaryRefusedError):
        client.extension.host.cli.exec("echoargs", [])


def test_windows_batch_files_are_refused(tmp_path):
    (tmp_path / "metadata.json").write_text(
        json.dumps({"host": {"binaries": [{"windows": [{"path": "/windows/setup.cmd"}]}]}})
    )
    client = DockerDesktopClient.from_metadata(tmp_path, host_dir=tmp_path, platform="windows")
    with pytest.raises(HostBinaryRefusedError, match=r"cmd\.exe"):
        client.extension.host.cli.exec("setup.cmd", [])


def test_listed_but_missing_binary(ext):
    with pytest.raises(BinaryNotFoundError) as caught:
        ext.client().extension.host.cli.exec("missing", [])
    assert str(ext.host / "missing") in str(caught.value)
    assert isinstance(caught.value, FileNotFoundError)


def test_missing_host_folder(ext, tmp_path):
    client = ext.client(host_dir=tmp_path / "nope")
    with pytest.raises(BinaryNotFoundError, match="nope"):
        client.extension.host.cli.exec("echoargs", [])


def test_missing_working_directory(ext, tmp_path):
    with pytest.raises(ExecStartError, match="working directory"):
        ext.client().extension.host.cli.exec("echoargs", [], cwd=tmp_path / "gone")


def test_binary_that_is_not_executable(ext):
    with pytest.raises(ExecStartError, match="notexec"):
        ext.client().extension.host.cli.exec("notexec", [])


def test_installed_host_folder_is_found_from_image(ext, tmp_path):
    installed = tmp_path / "exts" / "myorg_my-ext" / "host"
    installed.parent.mkdir(parents=True)
    ext.host.rename(installed)
    client = DockerDesktopClient.from_metadata(
        ext.metadata_path, image="myorg/my-ext:1.2", extensions_dir=tmp_path / "exts", platform="linux"
    )
    assert json.loads(client.extension.host.cli.exec("echoargs", ["ok"]).stdout) == ["ok"]


def test_no_host_folder_known(ext):
    client = DockerDesktopClient.from_metadata(ext.metadata_path, platform="linux")
    with pytest.raises(ConfigurationError, match="host_dir"):
        client.extension.host.cli.exec("echoargs", [])


def test_args_must_be_a_list(ext):
    with pytest.raises(TypeError):
        ext.client().extension.host.cli.exec("echoargs", "-l")
    assert ext.runs() == []


def test_non_zero_exit_raises_with_the_output(ext):
    with pytest.raises(CommandFailedError) as caught:
        ext.client().extension.host.cli.exec("fail", [])
    assert caught.value.code == 3
    assert caught.value.stderr == "it broke\n"
    assert "fail" in str(caught.value) and "it broke" in str(caught.value)


def test_check_false_returns_the_failed_result(ext):
    result = ext.client().extension.host.cli.exec("fail", [], check=False)
    assert result.code == 3


def test_process_killed_by_a_signal(ext):
    with pytest.raises(ProcessKilledError) as caught:
        ext.client().extension.host.cli.exec("selfkill", [])
    assert caught.value.result.signal == "SIGTERM"
    assert caught.value.result.code is None and not caught.value.result.killed
    assert "selfkill" in str(caught.value)


def test_timeout_kills_the_process(ext):
    with pytest.raises(ExecTimeoutError) as caught:
        ext.client().extension.host.cli.exec("slow", [], timeout=0.2)
    result = caught.value.result
    assert result.killed and result.signal == "SIGKILL"
    assert "end" not in result.stdout
    assert "slow" in str(caught.value)
    assert isinstance(caught.value, TimeoutError)


def test_client_default_timeout(ext):
    with pytest.raises(ExecTimeoutError):
        ext.client(timeout=0.2).extension.host.cli.exec("slow", [])


class Recorder:
    """Stream handlers as an object with methods, recording every call in order."""

    def __init__(self, split_output_lines=False):
        self.split_output_lines = split_output_lines
        self.events = []
        self.closed = threading.Event()
        self.started = threading.Event()

    def on_output(self, data):
        self.events.append(("output", data))
        self.started.set()

    def on_error(self, error):
        self.events.append(("error", error))

    def on_close(self, code):
        self.events.append(("close", code))
        self.closed.set()

    def text(self, key):
        return "".join(data.get(key, "") for kind, data in self.events if kind == "output")


def test_stream_delivers_output_then_exit_code(ext):
    recorder = Recorder()
    process = ext.client().extension.host.cli.exec("chunks", [], stream=recorder)
    assert process.wait(WAIT) == 7
    assert recorder.text("stdout") == "one\ntwo\nthree\ntail-without-newline"
    assert recorder.text("stderr") == "warn\n"
    assert recorder.events[-1] == ("close", 7)
    assert [kind for kind, _ in recorder.events].count("close") == 1
    for kind, data in recorder.events[:-1]:
        assert kind == "output" and len(data) == 1 and set(data) <= {"stdout", "stderr"}


def test_stream_split_into_lines(ext):
    recorder = Recorder(split_output_lines=True)
    ext.client().extension.host.cli.exec("chunks", [], stream=recorder).wait(WAIT)
    stdout = [data["stdout"] for kind, data in recorder.events if kind == "output" and "stdout" in data]
    assert stdout == ["one", "two", "three", "tail-without-newline"]
    assert ("output", {"stderr": "warn"}) in recorder.events


def test_stream_as_a_mapping(ext):
    chunks, codes = [], []
    process = ext.client().extension.host.cli.exec(
        "echoargs", ["m"], stream={"on_output": chunks.append, "on_close": codes.append}
    )
    assert process.wait(WAIT) == 0
    # Chunk boundaries are the operating system's business: compare the joined text.
    assert "".join(chunk["stdout"] for chunk in chunks) == '["m"]\n' and codes == [0]


def test_stream_mapping_with_unknown_keys_is_refused(ext):
    with pytest.raises(ValueError, match="onOutput"):
        ext.client().extension.host.cli.exec("echoargs", [], stream={"onOutput": print})
    assert ext.runs() == []


def test_close_kills_a_long_running_process(ext):
    recorder = Recorder()
    process = ext.client().extension.host.cli.exec("slow", [], stream=recorder)
    assert recorder.started.wait(WAIT)
    process.close()
    assert recorder.closed.wait(WAIT)
    assert process.killed
    assert recorder.events[-1] == ("close", -signal.SIGTERM)
    assert "end" not in recorder.text("stdout")
    process.close()  # closing again is harmless


def test_stream_timeout_reports_an_error_then_closes(ext):
    recorder = Recorder()
    process = ext.client().extension.host.cli.exec("slow", [], stream=recorder, timeout=0.2)
    assert process.wait(WAIT) == -signal.SIGKILL
    errors = [data for kind, data in recorder.events if kind == "error"]
    assert len(errors) == 1 and isinstance(errors[0], ExecTimeoutError)
    assert recorder.events[-1][0] == "close"


def test_a_failing_output_handler_is_reported_and_reading_goes_on(ext):
    errors, codes = [], []

    def explode(data):
        raise RuntimeError("handler bug")

    handlers = StreamHandlers(on_output=explode, on_error=errors.append, on_close=codes.append)
    process = ext.client().extension.host.cli.exec("chunks", [], stream=handlers)
    assert process.wait(WAIT) == 7
    assert errors and all(isinstance(error, RuntimeError) for error in errors)
    assert codes == [7]


def test_no_shell_anywhere_in_the_package():
    import migrator.shim as shim

    folder = os.path.dirname(shim.__file__)
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as source:
                text = source.read()
            assert "shell=True" not in text and "os.system" not in text and "os.popen" not in text, name
