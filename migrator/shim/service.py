"""``extension.vm.service``: HTTP calls to the extension's backend, over its unix socket or local TCP."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from migrator.shim.errors import (
    ConfigurationError,
    InvalidServiceURLError,
    ServiceError,
    ServiceTimeoutError,
    ServiceUnavailableError,
)

# The host name is only used for the Host header: over a unix socket there is no host to reach.
_SOCKET_BASE_URL = "http://localhost"
_METHOD = re.compile(r"[A-Z]+")
_FORBIDDEN_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")
_REQUEST_KEYS = {"url", "method", "headers", "data"}


def check_service_url(url: Any) -> str:
    """Return ``url`` if it is a path on the backend (``/...``); raise ``InvalidServiceURLError`` otherwise.

    Scheme-relative (``//host``) and absolute URLs are refused so a call can never leave the backend.
    """
    if not isinstance(url, str):
        raise InvalidServiceURLError(
            f"service URL must be a string path like '/items', not {type(url).__name__}"
        )
    if not url.startswith("/") or url.startswith("//"):
        raise InvalidServiceURLError(
            f"service URL {url!r} must be a path on the backend starting with a single '/'"
        )
    if _FORBIDDEN_IN_PATH.search(url):
        raise InvalidServiceURLError(f"service URL {url!r} holds a space, a backslash or a control character")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        raise InvalidServiceURLError(
            f"service URL {url!r} names a host; only paths on the backend are allowed"
        )
    return url


class HttpService:
    """The backend service, with the JS client's methods; each returns the parsed response body.

    The body comes back parsed as JSON when it is JSON, as text otherwise. An HTTP error status
    raises ``ServiceError``; an unreachable backend ``ServiceUnavailableError``; a slow one
    ``ServiceTimeoutError``. ``timeout`` (seconds) is the default for every call.
    """

    def __init__(self, *, socket_path: str | None = None, base_url: str | None = None, timeout: float = 30.0):
        if socket_path is not None and base_url is not None:
            raise ConfigurationError(
                "give one of socket_path (unix socket) and base_url (local TCP backend), not both"
            )
        if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
            raise ConfigurationError(f"base_url {base_url!r} must be an http:// or https:// URL")
        self.socket_path = socket_path
        self.base_url = base_url
        self.timeout = timeout
        self._client: httpx.Client | None = None

    def get(self, url: str, *, timeout: float | None = None) -> Any:
        """GET ``url`` and return the body."""
        return self._send("GET", url, timeout=timeout)

    def post(self, url: str, data: Any = None, *, timeout: float | None = None) -> Any:
        """POST ``data`` (JSON-encoded unless str or bytes) to ``url`` and return the body."""
        return self._send("POST", url, data=data, timeout=timeout)

    def put(self, url: str, data: Any = None, *, timeout: float | None = None) -> Any:
        """PUT ``data`` to ``url`` and return the body."""
        return self._send("PUT", url, data=data, timeout=timeout)

    def patch(self, url: str, data: Any = None, *, timeout: float | None = None) -> Any:
        """PATCH ``data`` to ``url`` and return the body."""
        return self._send("PATCH", url, data=data, timeout=timeout)

    def delete(self, url: str, *, timeout: float | None = None) -> Any:
        """DELETE ``url`` and return the body."""
        return self._send("DELETE", url, timeout=timeout)

    def head(self, url: str, *, timeout: float | None = None) -> Any:
        """HEAD ``url``; returns the (empty) body, so mostly useful for its errors."""
        return self._send("HEAD", url, timeout=timeout)

    def request(self, config: Mapping[str, Any], *, timeout: float | None = None) -> Any:
        """Send a request shaped like the JS ``RequestConfig``: ``url``, ``method``, ``headers``, ``data``."""
        unknown = sorted(set(config) - _REQUEST_KEYS)
        if unknown:
            raise ValueError(
                f"unknown request config key(s) {unknown}; expected some of {sorted(_REQUEST_KEYS)}"
            )
        if "url" not in config:
            raise ValueError("request config needs a 'url'")
        method = str(config.get("method") or "GET").upper()
        if not _METHOD.fullmatch(method):
            raise ValueError(f"request method {config.get('method')!r} is not an HTTP method name")
        return self._send(
            method, config["url"], data=config.get("data"), headers=config.get("headers"), timeout=timeout
        )

    def close(self) -> None:
        """Close the connection pool; the service reopens one on the next call."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> HttpService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _where(self) -> str:
        return f"unix socket {self.socket_path}" if self.socket_path else f"{self.base_url}"

    def _http(self) -> httpx.Client:
        if self.socket_path is None and self.base_url is None:
            raise ConfigurationError(
                "this extension exposes no backend socket (vm.exposes.socket); "
                "pass base_url= to reach a local backend"
            )
        if self._client is None:
            if self.socket_path is not None:
                transport = httpx.HTTPTransport(uds=self.socket_path)
                self._client = httpx.Client(transport=transport, base_url=_SOCKET_BASE_URL)
            else:
                self._client = httpx.Client(base_url=self.base_url)
        return self._client

    def _send(
        self,
        method: str,
        url: str,
        *,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None,
    ) -> Any:
        path = check_service_url(url)
        seconds = self.timeout if timeout is None else timeout
        where = f"{method} {path} on {self._where()}"
        http = self._http()
        try:
            response = http.request(
                method,
                path,
                headers=dict(headers or {}),
                timeout=seconds,
                follow_redirects=False,
                **_body(data),
            )
        except httpx.TimeoutException as err:
            raise ServiceTimeoutError(f"{where} did not answer within {seconds:g} s") from err
        except httpx.TransportError as err:
            raise ServiceUnavailableError(
                f"{where} failed: backend unreachable ({err or type(err).__name__})"
            ) from err
        body = parse_body(response)
        if response.is_error:
            raise ServiceError(
                _error_message(where, response, body),
                status_code=response.status_code,
                body=body,
                method=method,
                url=path,
            )
        return body


def _body(data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if isinstance(data, bytes | bytearray):
        return {"content": bytes(data)}
    if isinstance(data, str):
        # Sent as is: a caller passing text already chose its encoding (form data, plain text).
        return {"content": data.encode()}
    return {"json": data}


def parse_body(response: httpx.Response) -> Any:
    """The body as JSON when the server says it is JSON (or says nothing and it parses), else text."""
    text = response.text
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    if (is_json or not content_type) and text.strip():
        try:
            return json.loads(text)
        except ValueError:
            pass  # a server that mislabels its body: give the text rather than fail
    return text


def _error_message(where: str, response: httpx.Response, body: Any) -> str:
    detail = ""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        detail = body["message"]
    elif isinstance(body, str) and body.strip():
        detail = body.strip().splitlines()[0][:200]
    summary = f"{where} failed with HTTP {response.status_code} {response.reason_phrase}".rstrip()
    return f"{summary}: {detail}" if detail else summary
