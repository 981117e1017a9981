"""A fault-injecting HTTP proxy in front of a real server, with the emulators' fault kinds.

``FaultProxy(upstream)`` is a ``FaultyApp``: every request is forwarded to the real server,
and ``inject("drop_after" | "error" | "slow" | ...)`` breaks the matching ones exactly as the
emulators do (``drop_after`` forwards, so the server commits, then closes without answering).
"""

from __future__ import annotations

from tests import loopback
from tests.emulators.server import FaultyApp, Request, Response

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


class FaultProxy(FaultyApp):
    def __init__(self, upstream: str) -> None:
        super().__init__()
        self.client = loopback.client(base_url=upstream, timeout=30)

    def route(self, request: Request) -> Response:
        upstream = self.client.request(
            request.method,
            request.path,
            params={k: v for k, v in request.query.items()},
            content=request.body,
            headers={k: v for k, v in request.headers.items() if k not in _HOP},
        )
        headers = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP | {"content-type"}}
        return Response(upstream.status_code, raw=upstream.content, headers=headers)

    def close(self) -> None:
        self.client.close()
