"""A one-shot OAuth redirect listener on the loopback interface (RFC 8252 §7.3).

Contract:
- Listens on ``127.0.0.1`` only (never on all interfaces), on a random free port or on the
  port the user registered with the provider, at one path (default ``/callback``).
- Accepts exactly one redirect whose ``state`` equals the expected one (compared in constant
  time). A redirect with a wrong or missing ``state`` is answered 400 and ignored (so a
  stray or forged request cannot end the wait); other paths get 404.
- ``wait(timeout)`` returns the accepted redirect's query parameters and shuts the listener
  down; it raises ``OAuthTimeout`` after ``timeout`` seconds and ``OAuthCancelled`` after
  ``cancel()``. The listener is always closed afterwards.
- ``new_state()`` gives a random URL-safe state of 32 characters (providers such as WHOOP
  refuse a state shorter than 8).
"""

from __future__ import annotations

import hmac
import html
import logging
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.errors import FieldmatError

log = logging.getLogger(__name__)

LOOPBACK_HOST = "127.0.0.1"


class OAuthError(FieldmatError):
    """The browser sign-in did not complete; the message says why in words for the user."""


class OAuthTimeout(OAuthError):
    pass


class OAuthCancelled(OAuthError):
    pass


class OAuthDenied(OAuthError):
    """The provider redirected back with ``error=...`` (the user said no, or a bad request)."""


def new_state() -> str:
    """A random ``state`` of 32 URL-safe characters."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class RedirectResult:
    """The query parameters of the accepted redirect (``code``, ``state``, maybe ``error``)."""

    params: dict[str, str]

    @property
    def code(self) -> str | None:
        return self.params.get("code")

    @property
    def error(self) -> str | None:
        return self.params.get("error")


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Fieldmat</title></head>
<body style="font-family:sans-serif;margin:3em"><h1>{title}</h1><p>{body}</p></body></html>"""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False


class LoopbackRedirectListener:
    """Waits for one OAuth redirect on ``http://127.0.0.1:<port><path>``."""

    def __init__(self, expected_state: str, *, port: int = 0, path: str = "/callback") -> None:
        if len(expected_state) < 8:
            raise ValueError("state must be at least 8 characters")
        self._expected_state = expected_state
        self._path = path
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._result: RedirectResult | None = None
        self._cancelled = False
        self._closed = False
        self.rejected = 0  # redirects refused for a wrong state
        try:
            self._server = _Server((LOOPBACK_HOST, port), self._handler_class())
        except OSError as exc:
            raise OAuthError(
                f"Cannot listen for the sign-in redirect on {LOOPBACK_HOST}:{port} ({exc.strerror or exc}). "
                "Close the program using that port or choose another port."
            ) from exc
        self.port: int = int(self._server.server_address[1])
        self.redirect_uri = f"http://{LOOPBACK_HOST}:{self.port}{path}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="oauth-loopback", daemon=True
        )
        self._thread.start()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # never log codes or states
                return

        return Handler

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        if parts.path != self._path:
            self._reply(request, 404, "Not found", "This address is not used by Fieldmat.")
            return
        params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        state = params.get("state", "")
        if not hmac.compare_digest(state.encode(), self._expected_state.encode()):
            with self._lock:
                self.rejected += 1
            log.warning("OAuth redirect with a wrong state was refused")
            self._reply(request, 400, "Sign-in refused", "This sign-in link does not belong to this Fieldmat window.")
            return
        with self._lock:
            if self._result is not None:
                self._reply(request, 410, "Already done", "This sign-in was already completed.")
                return
            self._result = RedirectResult(params)
        if "error" in params:
            self._reply(request, 200, "Sign-in not completed", "You can close this tab and return to Fieldmat.")
        else:
            self._reply(request, 200, "Signed in", "Fieldmat received the sign-in. You can close this tab.")
        self._done.set()

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, title: str, body: str) -> None:
        data = _PAGE.format(title=html.escape(title), body=html.escape(body)).encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        request.send_header("Cache-Control", "no-store")
        request.end_headers()
        request.wfile.write(data)

    def wait(self, timeout: float) -> RedirectResult:
        """The accepted redirect; raises OAuthTimeout or OAuthCancelled. Always closes the listener."""
        try:
            self._done.wait(timeout)
            with self._lock:
                result, cancelled = self._result, self._cancelled
            if cancelled:
                raise OAuthCancelled("The sign-in was cancelled.")
            if result is None:
                extra = " (a redirect with a wrong state was refused)" if self.rejected else ""
                raise OAuthTimeout(f"No sign-in arrived from the browser within {int(timeout)} seconds{extra}.")
            return result
        finally:
            self.close()

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
        self._done.set()
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._server.shutdown()
        self._server.server_close()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)
