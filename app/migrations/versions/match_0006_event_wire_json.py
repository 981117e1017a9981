"""Each event keeps its team-server body: ``match_event.wire_json``, a STORED generated column.

A push sends each event batch as the stored texts joined (sync.team.batches), instead of
building every body again on every push. SQLite adds a stored generated column only by
rebuilding the table (nothing references ``match_event``): a copy of every row, which computes
the body of every existing event, and its indexes made again as they were. The table is spelled
out (not reflected, as a batch copy would) so every database gets the same schema text.

The expression is frozen here as ``app.models.match.EVENT_WIRE_JSON`` was for contract 1.1.

Revision ID: match_0006
Revises: match_0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "match_0006"
down_revision: str | Sequence[str] | None = "match_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WIRE_JSON = (
    "json_object('id', id, 'match_id', match_id, 'kind', kind, 'team', team, "
    "'player_id', player_id, 'related_player_id', related_player_id, 'reason', reason, "
    "'period', period, 'clock_ms', clock_ms, 'note', note, 'logged_at', "
    "CASE WHEN logged_at IS NULL THEN NULL ELSE replace(substr(logged_at, 1, 19), ' ', 'T') || "
    "CASE WHEN substr(logged_at, 20) IN ('', '.000000') THEN '' ELSE substr(logged_at, 20) END || 'Z' END)"
)


_COLUMNS = (
    "id, seq, match_id, kind, team, player_id, related_player_id, period, clock_ms, note, logged_at, updated_at, "
    "deleted, reason"
)
_TABLE = """CREATE TABLE {name} (
\tid VARCHAR NOT NULL,
\tseq INTEGER,
\tmatch_id VARCHAR NOT NULL,
\tkind VARCHAR NOT NULL,
\tteam VARCHAR NOT NULL,
\tplayer_id VARCHAR,
\trelated_player_id VARCHAR,
\tperiod INTEGER NOT NULL,
\tclock_ms INTEGER NOT NULL,
\tnote VARCHAR,
\tlogged_at DATETIME NOT NULL,
\tupdated_at DATETIME NOT NULL,
\tdeleted BOOLEAN NOT NULL,
\treason VARCHAR,{wire}
\tPRIMARY KEY (id),
\tFOREIGN KEY(match_id) REFERENCES "match" (id),
\tFOREIGN KEY(player_id) REFERENCES player (id),
\tFOREIGN KEY(related_player_id) REFERENCES player (id)
)"""


def _rebuild(wire: str) -> None:
    """``match_event`` again with ``wire`` among its columns; rows and indexes kept."""
    conn = op.get_bind()
    indexes = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'match_event' AND sql IS NOT NULL"
    ).all()
    conn.exec_driver_sql(_TABLE.format(name="_match_event_new", wire=wire))
    conn.exec_driver_sql(f"INSERT INTO _match_event_new ({_COLUMNS}) SELECT {_COLUMNS} FROM match_event")
    conn.exec_driver_sql("DROP TABLE match_event")
    conn.exec_driver_sql('ALTER TABLE _match_event_new RENAME TO "match_event"')
    for (sql,) in indexes:
        conn.exec_driver_sql(sql)


def upgrade() -> None:
    _rebuild(f"\n\twire_json TEXT GENERATED ALWAYS AS ({WIRE_JSON}) STORED,")


def downgrade() -> None:
    _rebuild("")
