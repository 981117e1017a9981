"""Alembic environment: runs on the engine handed in by ``app.db`` (never from a URL in a file)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata

engine = config.attributes.get("engine")
if engine is None:  # `alembic revision --autogenerate` from the command line, on a scratch db
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///:memory:")

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
