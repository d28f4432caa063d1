"""extension.vm.service against a real HTTP server on a unix socket (and one on loopback TCP)."""

from __future__ import annotations

import gc
import json
import socket

import pytest

from migrator.shim import (
    ConfigurationError,
    DockerDesktopClient,
    HttpService,
    InvalidServiceURLError,
    ServiceError,
    ServiceTimeoutError,
    ServiceUnavailableError,
    ShimError,
)


@pytest.fixture
def service(backend, short_dir):
    client = DockerDesktopClient(socket_path=short_dir / "backend.sock", timeout=5)
    yield client.extension.vm.service
    client.close()


def test_get_returns_parsed_json(service):
    assert service.get("/json") == {"ok": True, "method": "GET"}


def test_get_returns_text_when_body_is_not_json(service):
    assert service.get("/text") == "hello from the backend"


def test_untyped_body_that_parses_as_json_is_parsed(service):
    assert service.get("/untyped-json") == [1, 2, 3]


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_methods_with_a_body_send_json(service, method):
    echo = getattr(service, method)("/echo", {"name": "x", "n": 1})
    assert echo["method"] == method.upper()
    assert json.loads(echo["body"]) == {"name": "x", "n": 1}
    assert echo["content_type"] == "application/json"


def test_text_and_bytes_bodies_are_sent_as_is(service):
    assert service.post("/echo", "a=1&b=2")["body"] == "a=1&b=2"
    assert service.put("/echo", b"\x00raw")["body"] == "\x00raw"


def test_delete_and_head(service, backend):
    assert service.delete("/echo/item/3")["method"] == "DELETE"
    assert service.head("/json") == ""
    assert ("HEAD", "/json") in backend.seen


def test_request_with_a_config_dict(service):
    echo = service.request(
        {"url": "/echo/cfg", "method": "put", "headers": {"X-Test": "yes"}, "data": {"a": [1]}}
    )
    assert echo["method"] == "PUT"
    assert echo["path"] == "/echo/cfg"
    assert echo["x_test"] == "yes"
    assert json.loads(echo["body"]) == {"a": [1]}


def test_request_defaults_to_get(service):
    assert service.request({"url": "/json"}) == {"ok": True, "method": "GET"}


@pytest.mark.parametrize(
    "config", [{"method": "GET"}, {"url": "/json", "methd": "GET"}, {"url": "/json", "method": "G T"}]
)
def test_request_rejects_bad_configs(service, config, backend):
    with pytest.raises(ValueError):
        service.request(config)
    assert backend.seen == []


@pytest.mark.parametrize("status", [400, 404, 409, 500, 503])
def test_error_status_raises_service_error_with_body(service, status):
    with pytest.raises(ServiceError) as caught:
        service.get(f"/status/{status}")
    error = caught.value
    assert error.status_code == status
    assert error.body == {"message": f"backend says {status}"}
    assert f"backend says {status}" in error.message
    assert f"/status/{status}" in str(error)


def test_error_with_text_body(service):
    with pytest.raises(ServiceError) as caught:
        service.post("/status/500/text", {"x": 1})
    assert caught.value.status_code == 500
    assert caught.value.body == "plain failure text"
    assert caught.value.method == "POST"


# httpcore does not close the socket of a failed unix connect; the collector does (see collect()).
leaky_connect = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def collect():
    """Let the garbage collector close httpcore's leaked socket while this test's filter applies."""
    gc.collect()


@leaky_connect
def test_missing_socket_is_a_specific_error(short_dir):
    path = short_dir / "nobody-here.sock"
    with (
        HttpService(socket_path=str(path), timeout=2) as service,
        pytest.raises(ServiceUnavailableError) as caught,
    ):
        service.get("/json")
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, ConnectionError)
    collect()


@leaky_connect
def test_dead_socket_file_is_a_specific_error(short_dir):
    path = short_dir / "dead.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.close()  # the file stays, nobody listens
    with (
        HttpService(socket_path=str(path), timeout=2) as service,
        pytest.raises(ServiceUnavailableError, match=r"dead\.sock"),
    ):
        service.get("/json")
    collect()


def test_timeout_per_call(service):
    with pytest.raises(ServiceTimeoutError) as caught:
        service.get("/slow", timeout=0.2)
    assert "/slow" in str(caught.value)
    assert isinstance(caught.value, TimeoutError)


def test_timeout_per_client(backend, short_dir):
    with DockerDesktopClient(socket_path=short_dir / "backend.sock", timeout=0.2) as client:
        with pytest.raises(ServiceTimeoutError):
            client.extension.vm.service.get("/slow")


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/x",
        "//evil.example/x",
        "json",
        "",
        "/a b",
        "/a\\b",
        "/x\r\nHost: evil",
        "https:/x",
        42,
        None,
    ],
)
def test_urls_that_are_not_backend_paths_are_refused(service, backend, url):
    with pytest.raises(InvalidServiceURLError):
        service.get(url)
    assert backend.seen == []


def test_from_metadata_uses_socket_dir(backend, short_dir, ext):
    client = ext.client(socket_dir=short_dir)
    assert client.extension.vm.service.get("/json")["ok"] is True


def test_from_metadata_default_socket_location(ext):
    service = ext.client().extension.vm.service
    assert service.socket_path == "/run/guest-services/backend.sock"


def test_base_url_reaches_a_local_tcp_backend(tcp_backend, ext):
    host, port = tcp_backend.server_address[:2]
    client = ext.client(base_url=f"http://{host}:{port}")
    assert client.extension.vm.service.get("/json") == {"ok": True, "method": "GET"}
    with pytest.raises(InvalidServiceURLError):
        client.extension.vm.service.get("//other-host/json")


def test_base_url_with_a_path_prefix(tcp_backend):
    host, port = tcp_backend.server_address[:2]
    with HttpService(base_url=f"http://{host}:{port}/echo/prefix", timeout=5) as service:
        assert service.get("/inner")["path"] == "/echo/prefix/inner"


def test_refused_tcp_port_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    with HttpService(base_url=f"http://127.0.0.1:{port}", timeout=2) as service:
        with pytest.raises(ServiceUnavailableError, match=str(port)):
            service.get("/json")


def test_no_exposed_socket_is_a_configuration_error(tmp_path):
    (tmp_path / "metadata.json").write_text(json.dumps({"vm": {"image": "x/y:1"}}))
    client = DockerDesktopClient.from_metadata(tmp_path)
    with pytest.raises(ConfigurationError, match="exposes no backend socket"):
        client.extension.vm.service.get("/json")


def test_base_url_must_be_http():
    with pytest.raises(ConfigurationError):
        HttpService(base_url="file:///etc/passwd")


def test_every_error_is_a_shim_error():
    for cls in (
        ServiceError,
        ServiceTimeoutError,
        ServiceUnavailableError,
        InvalidServiceURLError,
        ConfigurationError,
    ):
        assert issubclass(cls, ShimError)
