"""Serve an app on 127.0.0.1 at a random port in a background thread (real HTTP, keep-alive).

Three kinds of app are accepted by ``LocalServer(app)``:

- a ``JsonApp``: any object with ``handle(request: Request) -> Response`` (the emulators here);
  ``Response`` can also delay its answer (``delay``), drop the connection without answering
  (``drop=True``, e.g. after the server committed) or send raw bytes (``raw``: malformed JSON);
- a WSGI callable ``app(environ, start_response)``;
- a ``http.server.BaseHTTPRequestHandler`` subclass.

Usage::

    with LocalServer(app) as server:      # or server = LocalServer(app).start(); server.stop()
        httpx.get(server.url + "/api/health")

``server.requests`` counts requests handled. ``FaultyApp`` is a base for JSON emulators with
fault injection:

``server.inject(kind, path=..., method=..., times=1, ...)`` queues a fault for the next
matching requests. Kinds:

- ``drop_before``   close the connection without processing (nothing committed)
- ``drop_after``    process and commit, then close without answering (the answer is lost)
- ``error``         answer ``status`` (default 500) without processing
- ``rate_limit``    answer 429 with ``Retry-After: retry_after`` without processing
- ``slow``          process, then wait ``delay`` seconds (``STALL_S``) before answering (client timeout)
- ``malformed``     process, then answer 200 with a body that is not JSON

``app.hits`` lists (method, path, status) of every request (0 = dropped). Thread-safe; stops
cleanly (connection handler threads are daemons that end with their sockets).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self) -> Any:
        if not self.body:
            return None
        return json.loads(self.body)


@dataclass
class Response:
    status: int = 200
    body: Any = None  # JSON-serialised unless ``raw`` is given
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    drop: bool = False  # close the connection without answering


@runtime_checkable
class JsonApp(Protocol):
    def handle(self, request: Request) -> Response: ...


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr: tuple[str, int], handler: type[BaseHTTPRequestHandler], app: Any) -> None:
        super().__init__(addr, handler)
        self.app = app
        self.count = 0
        self.count_lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    # TCP_NODELAY: the headers and the body go out in two writes, and with Nagle's algorithm
    # the body waited for the client's delayed ACK, 40 ms per request on keep-alive.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        with self.server.count_lock:
            self.server.count += 1
        body = self._read_body()
        app = self.server.app
        if isinstance(app, JsonApp):
            self._json_app(app, body)
        else:
            self._wsgi(app, body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch  # noqa: N815

    def _json_app(self, app: JsonApp, body: bytes) -> None:
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = app.handle(request)
        except Exception as exc:  # noqa: BLE001 - an emulator bug becomes a 500, visibly
            print(f"emulator error: {exc!r}", file=sys.stderr)
            response = Response(500, {"detail": f"emulator error: {exc}"})
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if response.raw is not None:
            payload = response.raw
        elif response.body is None and response.status == 204:
            payload = b""
        else:
            payload = json.dumps(response.body).encode()
        try:
            self.send_response(response.status)
            if response.status != 204:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:  # the client gave up (timeout): nothing to do
            self.close_connection = True

    def _wsgi(self, app: WSGIApp, body: bytes) -> None:
        parts = urlsplit(self.path)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for key, value in self.headers.items():
            name = "HTTP_" + key.upper().replace("-", "_")
            if name not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[name] = value
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"] = status
            captured["headers"] = headers

        chunks = app(environ, start_response)
        try:
            payload = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        code, _, reason = captured["status"].partition(" ")
        self.send_response(int(code), reason or None)
        names = set()
        for name, value in captured["headers"]:
            names.add(name.lower())
            self.send_header(name, value)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class LocalServer:
    """An app served on 127.0.0.1 (random port) from a background thread."""

    def __init__(self, app: JsonApp | WSGIApp | type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        self.app = app
        self.host = host
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> int:
        return self._server.count if self._server else 0

    def start(self) -> LocalServer:
        if isinstance(self.app, type) and issubclass(self.app, BaseHTTPRequestHandler):
            handler: type[BaseHTTPRequestHandler] = self.app
        else:
            handler = _Handler
        self._server = _Server((self.host, 0), handler, self.app)
        # stop() waits for the serving loop to see the request, which it checks every poll_interval
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# ---------------------------------------------------------------------- fault injection
KINDS = ("drop_before", "drop_after", "error", "rate_limit", "slow", "malformed")

# A ``slow`` fault holds its answer STALL_S; a test that wants its client to time out gives it
# a read timeout of STALL_READ_TIMEOUT_S (``stall_timeout()`` in the sync tests), so that each
# timed-out attempt costs a quarter of a second rather than the seconds of a real stall. The
# stall is 4x the timeout: a thread descheduled on a loaded machine cannot answer in time.
STALL_S = 1.0
STALL_READ_TIMEOUT_S = 0.25


@dataclass
class Fault:
    kind: str
    path: str | None = None  # regex searched in the request path
    method: str | None = None
    times: int = 1
    status: int = 500
    retry_after: float = 1.0
    delay: float = STALL_S

    def matches(self, request: Request) -> bool:
        if self.method and self.method.upper() != request.method:
            return False
        return not (self.path and not re.search(self.path, request.path))


class FaultyApp:
    """Base for emulators: ``route(request)`` does the work; faults wrap it."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self.fault_lock = threading.Lock()
        self.hits: list[tuple[str, str, int]] = []  # (method, path, status or 0 for dropped)
        self.lock = threading.RLock()

    def inject(
        self,
        kind: str,
        path: str | None = None,
        method: str | None = None,
        times: int = 1,
        status: int = 500,
        retry_after: float = 1.0,
        delay: float = STALL_S,
    ) -> Fault:
        if kind not in KINDS:
            raise ValueError(kind)
        fault = Fault(kind, path, method, times, status, retry_after, delay)
        with self.fault_lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.fault_lock:
            self.faults.clear()

    def _take(self, request: Request) -> Fault | None:
        with self.fault_lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(request):
                    fault.times -= 1
                    return fault
        return None

    def route(self, request: Request) -> Response:
        raise NotImplementedError

    def handle(self, request: Request) -> Response:
        fault = self._take(request)
        response = self._handle(request, fault)
        self.hits.append((request.method, request.path, 0 if response.drop else response.status))
        return response

    def _handle(self, request: Request, fault: Fault | None) -> Response:
        if fault is not None:
            if fault.kind == "drop_before":
                return Response(drop=True)
            if fault.kind == "error":
                return Response(fault.status, {"detail": "injected server error"})
            if fault.kind == "rate_limit":
                return Response(429, {"detail": "slow down"}, headers={"Retry-After": f"{fault.retry_after:g}"})
        with self.lock:
            response = self.route(request)
        if fault is not None:
            if fault.kind == "drop_after":
                return Response(drop=True)
            if fault.kind == "slow":
                response.delay = fault.delay
            if fault.kind == "malformed":
                response.status = 200
                response.raw = b'{"results": [{"id": tru'
        return response


class FaultWrapper(FaultyApp):
    """Fault injection (``inject``) in front of any ``JsonApp``, e.g. the WHOOP and Reboot
    emulators: ``LocalServer(FaultWrapper(WhoopEmulator(...)))``."""

    def __init__(self, inner: JsonApp) -> None:
        super().__init__()
        self.inner = inner

    def route(self, request: Request) -> Response:
        return self.inner.handle(request)
