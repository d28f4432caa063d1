"""docker.cli, extension.vm.cli and the listings, through a fake ``docker`` first on PATH."""

from __future__ import annotations

import json

import pytest

from migrator.shim import (
    BinaryNotFoundError,
    CommandFailedError,
    ConfigurationError,
    ContainerNotFoundError,
    DockerDesktopClient,
)

WAIT = 20
FORMAT = ["--format", "{{.ID}}"]


def test_docker_cli_exec_passes_argv_exactly(fake_docker):
    args = ["--format", "{{json .}}", "a b", "|", "$X"]
    result = DockerDesktopClient().docker.cli.exec("info", args)
    assert fake_docker.calls() == [["info", *args]]
    assert json.loads(result.stdout) == ["info", *args]


def test_vm_exec_with_a_given_container(fake_docker, ext):
    client = ext.client(container="backend-1")
    client.extension.vm.cli.exec("ls", ["-l", "/my dir", "|", "grep", "x"])
    assert fake_docker.calls() == [["exec", "backend-1", "ls", "-l", "/my dir", "|", "grep", "x"]]


def test_vm_container_found_by_image(fake_docker, ext):
    fake_docker.set("FAKE_DOCKER_IDS", "abc123")
    client = ext.client(image="myorg/my-ext:1.0")
    result = client.extension.vm.cli.exec("cat", ["/etc/hostname"])
    assert fake_docker.calls() == [
        ["ps", "--filter", "ancestor=myorg/my-ext:1.0", *FORMAT],
        ["exec", "abc123", "cat", "/etc/hostname"],
    ]
    assert json.loads(result.stdout)[1] == "abc123"


def test_literal_vm_image_is_used_for_discovery(fake_docker, tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps({"vm": {"image": "myorg/backend:2"}}))
    fake_docker.set("FAKE_DOCKER_IDS", "c1")
    DockerDesktopClient.from_metadata(tmp_path / "metadata.json").extension.vm.cli.exec("true", [])
    assert fake_docker.calls()[0] == ["ps", "--filter", "ancestor=myorg/backend:2", *FORMAT]


def test_vm_container_found_by_compose_project(fake_docker, tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps({"vm": {"composefile": "compose.yaml"}}))
    fake_docker.set("FAKE_DOCKER_IDS", "c9")
    client = DockerDesktopClient.from_metadata(tmp_path, compose_project="my-ext-project")
    client.extension.vm.cli.exec("id", [])
    assert fake_docker.calls() == [
        ["ps", "--filter", "label=com.docker.compose.project=my-ext-project", *FORMAT],
        ["exec", "c9", "id"],
    ]


@pytest.mark.parametrize("ids, found", [("", "no running container"), ("a1,b2", "2 running containers")])
def test_no_single_container_is_an_error(fake_docker, ext, ids, found):
    fake_docker.set("FAKE_DOCKER_IDS", ids)
    with pytest.raises(ContainerNotFoundError, match=found):
        ext.client(image="myorg/my-ext:1.0").extension.vm.cli.exec("ls", [])
    assert [call[0] for call in fake_docker.calls()] == ["ps"]


def test_nothing_identifies_the_container(fake_docker, ext):
    with pytest.raises(ConfigurationError, match="container="):
        ext.client().extension.vm.cli.exec("ls", [])
    assert fake_docker.calls() == []


def test_vm_exec_cwd_and_env_apply_inside_the_container(fake_docker):
    client = DockerDesktopClient(container="ctr")
    client.extension.vm.cli.exec("env", [], cwd="/data", env={"A": "1 2", "B": "$x"})
    assert fake_docker.calls() == [
        ["exec", "--workdir", "/data", "--env", "A=1 2", "--env", "B=$x", "ctr", "env"]
    ]


def test_vm_exec_streams(fake_docker):
    chunks, codes = [], []
    process = DockerDesktopClient(container="ctr").extension.vm.cli.exec(
        "tail", ["-f", "/log"], stream={"on_output": chunks.append, "on_close": codes.append}
    )
    assert process.wait(WAIT) == 0
    assert json.loads("".join(chunk["stdout"] for chunk in chunks)) == ["exec", "ctr", "tail", "-f", "/log"]
    assert codes == [0]


def test_docker_failure_raises_with_stderr(fake_docker):
    with pytest.raises(CommandFailedError, match="no such thing") as caught:
        DockerDesktopClient().docker.cli.exec("fail", [])
    assert caught.value.code == 1


def test_missing_docker_executable(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BinaryNotFoundError, match="'docker' not found on PATH"):
        DockerDesktopClient().docker.cli.exec("ps", [])


def test_custom_docker_executable(fake_docker):
    client = DockerDesktopClient(docker=str(fake_docker.bin / "docker"))
    client.docker.cli.exec("version", [])
    assert fake_docker.calls() == [["version"]]


CONTAINERS = [
    {"ID": "abc", "Names": "web", "Image": "nginx:1", "State": "running"},
    {"ID": "def", "Names": "db", "Image": "postgres:16", "State": "exited"},
]


def test_list_containers(fake_docker):
    fake_docker.set("FAKE_DOCKER_PS", "".join(json.dumps(c) + "\n" for c in CONTAINERS))
    assert DockerDesktopClient().docker.list_containers() == CONTAINERS
    assert fake_docker.calls() == [["ps", "--no-trunc", "--format", "{{json .}}"]]


def test_list_containers_options(fake_docker):
    options = {
        "all": True,
        "size": True,
        "limit": 3,
        "filters": {"status": ["exited", "dead"], "label": "app=x"},
    }
    assert DockerDesktopClient().docker.list_containers(options) == []
    flags = ["--all", "--size", "--last", "3", "--filter", "status=exited", "--filter", "status=dead"]
    assert fake_docker.calls() == [
        ["ps", "--no-trunc", "--format", "{{json .}}", *flags, "--filter", "label=app=x"]
    ]


def test_list_containers_filters_as_json_text(fake_docker):
    DockerDesktopClient().docker.list_containers({"filters": json.dumps({"dangling": {"true": True}})})
    assert fake_docker.calls()[0][-2:] == ["--filter", "dangling=true"]


def test_list_images(fake_docker):
    images = [{"Repository": "nginx", "Tag": "1", "ID": "sha256:1"}]
    fake_docker.set("FAKE_DOCKER_IMAGES", json.dumps(images[0]) + "\n\n")
    assert DockerDesktopClient().docker.list_images({"all": True, "digests": False}) == images
    assert fake_docker.calls() == [["images", "--no-trunc", "--format", "{{json .}}", "--all"]]


def test_unknown_listing_option_is_refused(fake_docker):
    with pytest.raises(ValueError, match="quiet"):
        DockerDesktopClient().docker.list_images({"quiet": True})
    assert fake_docker.calls() == []
