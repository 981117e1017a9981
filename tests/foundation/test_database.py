"""The database: pragmas, migrations, refusal to touch unreadable or newer files."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import select

from app.db import DB_FILE, Database, alembic_config, known_revisions
from app.errors import DatabaseTooNew, DatabaseUnreadable
from app.models import Team


def test_pragmas_are_set(fieldmat_home: Path) -> None:
    db = Database.open(fieldmat_home)
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    db.close()


def test_write_commits_and_rolls_back(fieldmat_home: Path) -> None:
    db = Database.open(fieldmat_home)
    with db.write() as s:
        s.add(Team(name="Rovers"))
    with pytest.raises(RuntimeError), db.write() as s:
        s.add(Team(name="Ghost"))
        raise RuntimeError("boom")
    with db.session() as s:
        assert [t.name for t in s.exec(select(Team))] == ["Rovers"]
    db.close()


def test_a_bookkeeping_write_skips_the_disk_wait_and_only_that_write(fieldmat_home: Path) -> None:
    db = Database.open(fieldmat_home)

    def synchronous(s: object) -> int:
        raw = s.connection().connection.driver_connection  # type: ignore[attr-defined]
        return int(raw.execute("PRAGMA synchronous").fetchone()[0])

    with db.write(durable=False) as s:
        assert synchronous(s) == 1  # NORMAL: the commit does not wait for the disk
        s.add(Team(name="Rovers"))
    with pytest.raises(RuntimeError), db.write(durable=False) as s:
        s.add(Team(name="Ghost"))
        raise RuntimeError("boom")
    # The pool hands the same connection out again: it is back to FULL, for every write after.
    with db.write() as s:
        assert synchronous(s) == 2
        s.add(Team(name="Athletic"))
    with db.session() as s:
        assert sorted(t.name for t in s.exec(select(Team))) == ["Athletic", "Rovers"]
    db.close()


def test_timestamps_come_back_aware_utc(fieldmat_home: Path) -> None:
    db = Database.open(fieldmat_home)
    when = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    with db.write() as s:
        s.add(Team(id="t1", name="A", updated_at=when))
    with db.session() as s:
        team = s.get(Team, "t1")
        assert team is not None and team.updated_at == when and team.updated_at.tzinfo is not None
    db.close()


def test_older_database_upgrades_without_loss(fieldmat_home: Path) -> None:
    """A database at the first revision with data in it opens, upgrades, keeps the data."""
    path = fieldmat_home / DB_FILE
    old = Database(path)
    command.upgrade(alembic_config(old.engine), "0001")
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO team (id, name, updated_at, deleted) VALUES ('t-old', 'Old Boys', '2025-01-01 00:00:00', 0)"
        )
    old.close()
    db = Database.open(fieldmat_home)
    with db.session() as s:
        team = s.get(Team, "t-old")
        assert team is not None and team.name == "Old Boys"
    heads = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).get_revisions("heads")}
    assert db.current_revisions() == heads
    db.close()


def test_unreadable_file_is_refused_and_left_untouched(fieldmat_home: Path) -> None:
    path = fieldmat_home / DB_FILE
    junk = b"this is not a database" * 100
    path.write_bytes(junk)
    with pytest.raises(DatabaseUnreadable, match="not SQLite"):
        Database.open(fieldmat_home)
    assert path.read_bytes() == junk


def test_newer_database_is_refused_and_left_untouched(fieldmat_home: Path) -> None:
    path = fieldmat_home / DB_FILE
    db = Database.open(fieldmat_home)
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.execute("INSERT INTO alembic_version (version_num) VALUES ('9999_future')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer Fieldmat"):
        Database.open(fieldmat_home)
    assert path.read_bytes() == before


def test_known_revisions_match_alembic() -> None:
    """The fast start-up check reads the migration files; it must agree with alembic."""
    from app.db import known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    everything, heads = known_revisions()
    assert everything == {rev.revision for rev in script.walk_revisions()}
    assert heads == set(script.get_heads())


def test_wal_is_checkpointed_off_the_commit_path(fieldmat_home: Path) -> None:
    """Commits never checkpoint (autocheckpoint off); the background thread and close() do."""
    db = Database.open(fieldmat_home)
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    db._checkpointer.interval = 0.05
    for i in range(300):
        with db.write() as s:
            s.add(Team(name=f"T{i}"))
    wal = fieldmat_home / (DB_FILE + "-wal")
    db.close()
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(fieldmat_home / DB_FILE) as conn:
        assert conn.execute("SELECT count(*) FROM team").fetchone()[0] == 300


def test_real_upgrade_of_an_empty_file_matches_the_copied_template(tmp_path: Path, migrated_home: Path) -> None:
    """The one test that runs every migration on an empty file; ``ctx`` copies the template instead."""
    empty = tmp_path / "empty"
    empty.mkdir()
    db = Database.open(empty)
    try:
        assert db.current_revisions() == known_revisions()[1]
    finally:
        db.close()

    def contents(path: Path) -> tuple[list[tuple[str, str, str | None]], list[tuple[str]]]:
        with closing(sqlite3.connect(path)) as conn:
            tables = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
            return tables, conn.execute("SELECT version_num FROM alembic_version ORDER BY 1").fetchall()

    upgraded = contents(empty / DB_FILE)
    assert upgraded == contents(migrated_home / DB_FILE)  # what each ``ctx`` test starts from
    assert ("table", "alembic_version") in [(t, n) for t, n, _sql in upgraded[0]]
