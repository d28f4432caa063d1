"""The deprecated v0 names: one DeprecationWarning each, naming the replacement, then the v1 call."""

from __future__ import annotations

import json
import threading
import warnings

import pytest

from migrator.migration.shell import ChainedCommandError, ExpansionError, ShellCommandError
from migrator.shim import LegacyCommandError, ShimError

WAIT = 20


def call_warning(call):
    """Run ``call``; return its result and the one DeprecationWarning it must emit."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == 1, [str(w.message) for w in caught]
    # stacklevel points at the caller's line, here in this test module.
    assert deprecations[0].filename == __file__
    return result, str(deprecations[0].message)


@pytest.fixture
def client(backend, short_dir, ext, fake_docker):
    fake_docker.set("FAKE_DOCKER_IDS", "vm1")
    with ext.client(socket_dir=short_dir, image="myorg/my-ext:1.0", timeout=10) as built:
        yield built


SERVICE_CALLS = [
    ("get", lambda b: b.get("/json"), {"ok": True, "method": "GET"}),
    ("post", lambda b: b.post("/echo", {"a": 1})["method"], "POST"),
    ("put", lambda b: b.put("/echo", {"a": 1})["method"], "PUT"),
    ("patch", lambda b: b.patch("/echo", {"a": 1})["method"], "PATCH"),
    ("delete", lambda b: b.delete("/echo")["method"], "DELETE"),
    ("head", lambda b: b.head("/json"), ""),
    ("request", lambda b: b.request({"url": "/echo", "method": "PUT"})["method"], "PUT"),
]


@pytest.mark.parametrize("name, call, expected", SERVICE_CALLS, ids=[c[0] for c in SERVICE_CALLS])
def test_backend_service_methods(client, name, call, expected):
    result, message = call_warning(lambda: call(client.backend))
    assert result == expected
    assert f"client.backend.{name} is deprecated" in message
    assert f"client.extension.vm.service.{name}" in message


@pytest.mark.parametrize("name", ["execInVMExtension", "exec_in_vm_extension"])
def test_exec_in_vm_extension_splits_like_a_shell(client, fake_docker, name):
    result, message = call_warning(lambda: getattr(client.backend, name)("ls -l \"/my dir\" '$HOME'"))
    assert "client.extension.vm.cli.exec" in message and name in message
    assert fake_docker.calls()[-1] == ["exec", "vm1", "ls", "-l", "/my dir", "$HOME"]
    assert json.loads(result.stdout)[2:] == ["ls", "-l", "/my dir", "$HOME"]


@pytest.mark.parametrize("name", ["execInContainer", "exec_in_container"])
def test_exec_in_container(client, fake_docker, name):
    _, message = call_warning(lambda: getattr(client.backend, name)("other", "cat 'a b' c\\ d"))
    assert 'client.docker.cli.exec("exec"' in message
    assert fake_docker.calls() == [["exec", "other", "cat", "a b", "c d"]]


def test_exec_in_container_refuses_an_option_as_container(client, fake_docker):
    with pytest.raises(ValueError):
        call_warning(lambda: client.backend.execInContainer("--privileged", "ls"))
    assert fake_docker.calls() == []


@pytest.mark.parametrize("name", ["spawnInVMExtension", "spawn_in_vm_extension"])
def test_spawn_in_vm_extension_calls_back_with_v0_shapes(client, fake_docker, name):
    events, done = [], threading.Event()

    def callback(data, error):
        events.append((data, error))
        if data and "code" in data:
            done.set()

    process, message = call_warning(lambda: getattr(client.backend, name)("tail", ["-f", "/x y"], callback))
    assert "client.extension.vm.cli.exec(cmd, args, stream=...)" in message
    assert done.wait(WAIT) and process.wait(WAIT) == 0
    assert events[-1] == ({"code": 0}, None)
    stdout = "".join(data["stdout"] for data, _ in events[:-1])
    assert json.loads(stdout) == ["exec", "vm1", "tail", "-f", "/x y"]


@pytest.mark.parametrize("name", ["execHostCmd", "exec_host_cmd"])
def test_exec_host_cmd(client, ext, name):
    result, message = call_warning(lambda: getattr(client, name)("echoargs 'a b' \"c|d\" e\\ f"))
    assert f"client.{name} is deprecated" in message and "client.extension.host.cli.exec" in message
    assert json.loads(result.stdout) == ["a b", "c|d", "e f"]
    assert ext.runs() == ["echoargs"]


@pytest.mark.parametrize("name", ["spawnHostCmd", "spawn_host_cmd"])
def test_spawn_host_cmd(client, name):
    events = []
    process, message = call_warning(
        lambda: getattr(client, name)("chunks", [], lambda d, e: events.append((d, e)))
    )
    assert "client.extension.host.cli.exec(cmd, args, stream=...)" in message
    assert process.wait(WAIT) == 7
    assert events[-1] == ({"code": 7}, None)
    assert "".join(d.get("stdout", "") for d, _ in events[:-1]) == "one\ntwo\nthree\ntail-without-newline"
    assert all(error is None for _, error in events)


@pytest.mark.parametrize("name", ["execDockerCmd", "exec_docker_cmd"])
def test_exec_docker_cmd_splits_each_argument(client, fake_docker, name):
    _, message = call_warning(
        lambda: getattr(client, name)("ps", "--format", '"{{json .}}"', "-a --no-trunc")
    )
    assert "client.docker.cli.exec(cmd, [args...])" in message
    assert fake_docker.calls() == [["ps", "--format", "{{json .}}", "-a", "--no-trunc"]]


def test_exec_docker_cmd_arguments_are_words_not_assignments(client, fake_docker):
    # Each argument followed the command word in v0's shell: `label=a=b` is a plain word there.
    call_warning(lambda: client.execDockerCmd("ps", "--filter", "label=a=b", "-e A=1"))
    assert fake_docker.calls() == [["ps", "--filter", "label=a=b", "-e", "A=1"]]


@pytest.mark.parametrize("name", ["spawnDockerCmd", "spawn_docker_cmd"])
def test_spawn_docker_cmd(client, fake_docker, name):
    events = []
    process, message = call_warning(
        lambda: getattr(client, name)("logs", ["-f", "my container"], lambda d, e: events.append((d, e)))
    )
    assert "client.docker.cli.exec(cmd, args, stream=...)" in message
    assert process.wait(WAIT) == 0
    assert fake_docker.calls() == [["logs", "-f", "my container"]]
    assert events[-1] == ({"code": 0}, None)


def test_list_containers_and_images(client, fake_docker):
    fake_docker.set("FAKE_DOCKER_PS", '{"ID": "a"}\n')
    fake_docker.set("FAKE_DOCKER_IMAGES", '{"ID": "i"}\n')
    containers, message = call_warning(lambda: client.listContainers({"all": True}))
    assert containers == [{"ID": "a"}] and "client.docker.list_containers" in message
    images, message = call_warning(lambda: client.listImages())
    assert images == [{"ID": "i"}] and "client.docker.list_images" in message
    assert [call[:1] for call in fake_docker.calls()] == [["ps"], ["images"]]


REFUSED = [
    ("ls | grep x", ChainedCommandError),
    ("make && make install", ChainedCommandError),
    ("echo hi > /tmp/out", ChainedCommandError),
    ("cat $(ls)", ShellCommandError),
    ("echo $HOME", ExpansionError),
    ("ls *.json", ExpansionError),
    ("ls ~", ExpansionError),
    ("echo 'unterminated", ShellCommandError),
]


@pytest.mark.parametrize("command, cause", REFUSED)
def test_shell_only_strings_raise_and_run_nothing(client, ext, fake_docker, command, cause):
    calls = [
        lambda: client.backend.execInVMExtension(command),
        lambda: client.backend.exec_in_container("ctr", command),
        lambda: client.execHostCmd(command.replace("ls", "echoargs", 1)),
        lambda: client.execDockerCmd("run", command),
    ]
    for call in calls:
        with pytest.raises(LegacyCommandError) as caught:
            call_warning(call)
        assert isinstance(caught.value.__cause__, cause)
        assert isinstance(caught.value, ShimError) and isinstance(caught.value, ValueError)
        assert "needs a shell" in str(caught.value)
    assert fake_docker.calls() == [] and ext.runs() == []


def test_host_advice_never_suggests_sh(client):
    with pytest.raises(LegacyCommandError) as caught:
        call_warning(lambda: client.execHostCmd("echoargs a | echoargs b"))
    assert "sh" not in str(caught.value).replace("shell", "")
    with pytest.raises(LegacyCommandError) as caught:
        call_warning(lambda: client.backend.execInVMExtension("ls | wc -l"))
    assert "exec('sh', ['-c', script])" in str(caught.value)


def test_empty_command_string(client, fake_docker):
    with pytest.raises(LegacyCommandError, match="no command"):
        call_warning(lambda: client.backend.execInVMExtension("   "))
    assert fake_docker.calls() == []


def test_reading_backend_does_not_warn(client):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert client.backend is not None
        client.extension.vm.service.get("/json")  # the v1 names never warn
