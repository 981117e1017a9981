"""HTTP plumbing shared by both APIs: ``{"detail"}`` errors, rate limits, security headers, access log.

The access log names method, path, status and time only: never the query string (a live
viewer's ``?token=``), headers or bodies, so no token or password reaches a log.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = logging.getLogger("fieldmat.server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"content-security-policy", b"default-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
]


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method of every route on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**request.scope, "method": "__none__"})
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods - {"HEAD"})


def install_error_handlers(app: FastAPI) -> None:
    """Every error answers ``{"detail": "<text>"}`` (FastAPI's 422 would answer a list)."""

    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(app, request))
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)

    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_detail(exc)}, status_code=422)

    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid)  # type: ignore[arg-type]


class TokenBuckets:
    """One bucket per key: ``per_minute`` requests, refilled evenly; thread-safe."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go; else the seconds until it may."""
        if self.capacity <= 0:
            return 0.0
        now = self.clock()
        with self.lock:
            level, at = self.buckets.get(key, (self.capacity, now))
            level = min(self.capacity, level + (now - at) * self.rate)
            if level >= 1.0:
                self.buckets[key] = (level - 1.0, now)
                if len(self.buckets) > 100_000:  # forget idle keys rather than grow without bound
                    self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 120}
                return 0.0
            self.buckets[key] = (level, now)
            return (1.0 - level) / self.rate


class ServerMiddleware:
    """Rate limits (per token, per address, stricter on sign-in), security headers, access log."""

    def __init__(
        self,
        app: ASGIApp,
        per_token: int,
        per_address: int,
        login_per_address: int,
        login_paths: tuple[str, ...],
    ) -> None:
        self.app = app
        self.per_token = TokenBuckets(per_token)
        self.per_address = TokenBuckets(per_address)
        self.login = TokenBuckets(login_per_address)
        self.login_paths = login_paths

    def _wait(self, scope: Scope) -> float:
        client = scope.get("client")
        address = client[0] if client else "?"
        wait = self.per_address.take(address)
        if scope["path"] in self.login_paths:
            wait = max(wait, self.login.take(address))
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                wait = max(wait, self.per_token.take(hashlib.sha256(value).hexdigest()))
        return wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        wait = self._wait(scope)
        status = 429
        if wait > 0:
            body = b'{"detail":"too many requests, retry later"}'
            headers = [
                (b"content-type", b"application/json"),
                (b"retry-after", str(max(1, math.ceil(wait))).encode()),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ]
            await send({"type": "http.response.start", "status": 429, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        else:

            async def send_with_headers(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
                await send(message)

            await self.app(scope, receive, send_with_headers)
        log.info("%s %s %s %.1fms", scope["method"], scope["path"], status, (time.perf_counter() - started) * 1000)
