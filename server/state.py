"""What every request handler of one server process shares (kept on ``app.state.server``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import Request, WebSocket
from sqlalchemy import Engine

from server.live import Live
from server.security import Tokens
from server.settings import Settings


@dataclass
class ServerState:
    settings: Settings
    engine: Engine
    tokens: Tokens
    live: Live
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @property
    def read_engine(self) -> Engine:
        """Reads take no write lock (SQLite begins them DEFERRED)."""
        return self.engine.execution_options(fieldmat_read=True)


def server_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def ws_state(ws: WebSocket) -> ServerState:
    state: ServerState = ws.app.state.server
    return state
