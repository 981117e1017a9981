"""Alembic environment: runs on the connection handed in by ``server.db.upgrade``."""

from __future__ import annotations

from alembic import context

from server.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` from the command line, on a scratch db
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///:memory:").connect()

context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=True, version_table="server_alembic_version"
)
with context.begin_transaction():
    context.run_migrations()
