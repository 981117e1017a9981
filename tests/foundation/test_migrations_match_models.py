"""The migrations build exactly the schema the models declare (nothing missing, nothing extra)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from app.db import Database


def test_migrated_database_matches_the_models(fieldmat_home: Path) -> None:
    db = Database.open(fieldmat_home)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    db.close()
    assert diff == []
