"""The reusable loopback server helper: WSGI apps, handler classes, JSON apps with faults."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import pytest

from tests import loopback
from tests.emulators.server import FaultyApp, LocalServer, Request, Response


def wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    body = environ["wsgi.input"].read()
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Path", environ["PATH_INFO"])])
    return [b"got:" + body + b":" + environ["QUERY_STRING"].encode()]


class Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Echo(FaultyApp):
    def route(self, request: Request) -> Response:
        return Response(200, {"path": request.path, "q": request.arg("q"), "body": request.json()})


def test_wsgi_app() -> None:
    with LocalServer(wsgi_app) as server:
        r = loopback.post(server.url + "/x?y=1", content=b"abc")
        assert (r.status_code, r.text, r.headers["x-path"]) == (201, "got:abc:y=1", "/x")
        assert server.url.startswith("http://127.0.0.1:") and server.requests == 1


def test_handler_class() -> None:
    with LocalServer(Hello) as server:
        assert loopback.get(server.url).text == "hello"


def test_json_app_with_faults() -> None:
    app = Echo()
    with LocalServer(app) as server, loopback.client(timeout=0.5) as client:
        assert client.post(server.url + "/a?q=1", json={"k": 2}).json() == {"path": "/a", "q": "1", "body": {"k": 2}}
        app.inject("drop_after", path="/a")
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(server.url + "/a")
        app.inject("malformed")
        with pytest.raises(json.JSONDecodeError):
            client.get(server.url + "/a").json()
        app.inject("rate_limit", retry_after=3)
        r = client.get(server.url + "/a")
        assert r.status_code == 429 and r.headers["retry-after"] == "3"
        app.inject("slow", delay=1.0)
        with pytest.raises(httpx.ReadTimeout):
            client.get(server.url + "/a")
        assert client.get(server.url + "/a").status_code == 200
    assert [h[2] for h in app.hits] == [200, 0, 200, 429, 200, 200]
