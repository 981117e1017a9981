"""`fieldmat-server`: clubs and users from the command line, the database option, the password rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from server.cli import main
from tests import loopback
from tests.club_server.harness import serve


def test_club_and_user_add_then_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db = f"sqlite:///{tmp_path / 'club.db'}"
    assert main(["club", "add", "Riverside", "--db", db]) == 0
    assert main(["club", "add", "Riverside", "--db", db]) == 1
    monkeypatch.setenv("FIELDMAT_SERVER_PASSWORD", "coach-Pa55word")
    assert main(["user", "add", "--club", "Nowhere", "--email", "a@b.c", "--db", db]) == 1
    assert main(["user", "add", "--club", "Riverside", "--email", "Coach@Club.example", "--db", db]) == 0
    assert "coach-Pa55word" not in capsys.readouterr().out
    with serve(db) as server:
        r = loopback.post(
            server.url + "/api/auth/login", json={"email": "coach@club.example", "password": "coach-Pa55word"}
        )
        assert r.status_code == 200


def test_db_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDMAT_SERVER_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["club", "add", "Hillside"]) == 0
    assert (tmp_path / "env.db").exists()


@pytest.mark.subprocess  # a real process without a terminal: the server's imports cost it 1 s
def test_user_add_without_password_or_terminal_exits_2_naming_the_variable(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "user", "add", "--club", "X", "--email", "a@b.c",
         "--db", f"sqlite:///{tmp_path / 'x.db'}"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )  # fmt: skip
    assert result.returncode == 2
    assert "FIELDMAT_SERVER_PASSWORD" in result.stderr


def test_migrations_match_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from server.db import open_engine
    from server.models import Base

    engine = open_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # alembic's own bookkeeping table is the only one the models do not describe
    assert [d for d in diffs if not (d[0] == "remove_table" and d[1].name == "server_alembic_version")] == []
