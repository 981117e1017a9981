"""Builds the ASGI application of one API (``team`` or ``yoga``) on one database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from sqlalchemy import Engine

from server.db import is_postgres, open_engine
from server.http import ServerMiddleware, install_error_handlers
from server.live import Live, PgListener
from server.security import Tokens, signing_key
from server.settings import Settings
from server.state import ServerState

STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"share.js": "text/javascript", "share.css": "text/css"}


def _pg_conninfo(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The app; ``engine`` (already upgraded) is for tests, else ``settings.db_url`` is opened."""
    if settings.api not in ("team", "yoga"):
        raise ValueError(f"unknown API {settings.api!r}: team or yoga")
    engine = engine if engine is not None else open_engine(settings.db_url)
    state = ServerState(
        settings=settings,
        engine=engine,
        tokens=Tokens(signing_key(engine), f"fieldmat-{settings.api}", settings.token_ttl_s),
        live=Live(),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import asyncio

        state.live.attach(asyncio.get_running_loop())
        listener = None
        if settings.api == "team" and is_postgres(engine):
            listener = PgListener(_pg_conninfo(engine), state.live.notify)
            await asyncio.get_running_loop().run_in_executor(None, listener.start)
        try:
            yield
        finally:
            if listener is not None:
                await asyncio.get_running_loop().run_in_executor(None, listener.stop)

    title = "Fieldmat club server: team API" if settings.api == "team" else "Fieldmat club server: yoga API"
    app = FastAPI(title=title, lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.server = state
    install_error_handlers(app)

    @app.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    if settings.api == "team":
        from server.team import auth, routes, share

        app.include_router(auth.router)
        app.include_router(routes.router)
        app.include_router(share.router)

        @app.get("/static/{name}", include_in_schema=False)
        def static(name: str) -> FileResponse:
            from fastapi import HTTPException

            if name not in STATIC_FILES:
                raise HTTPException(404, "not found")
            return FileResponse(STATIC / name, media_type=STATIC_FILES[name])

        login_paths: tuple[str, ...] = ("/api/auth/login",)
    else:
        from server.yoga import routes as yoga_routes

        app.include_router(yoga_routes.router)
        login_paths = ("/auth/login", "/auth/signup")

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
        )
    app.add_middleware(
        ServerMiddleware,
        per_token=settings.rate_per_token,
        per_address=settings.rate_per_address,
        login_per_address=settings.login_rate_per_address,
        login_paths=login_paths,
    )
    return app
