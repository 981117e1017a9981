"""Team server contract 1.1: a match's extra-time length and the Team of each side, and an
event's reason (a red card given for a second yellow). New event kinds need no schema change.

Existing matches keep everything: extra time defaults to 15 minutes, the side of our team gets
``team_id`` so its squad stays linked, and existing events have no reason.

Revision ID: match_0004
Revises: match_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "match_0004"
down_revision: str | Sequence[str] | None = "match_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild: a batch copy of ``match`` would trip the foreign
    # keys of its events and lineups, and costs a copy of every row).
    op.add_column("match", sa.Column("extra_time_length_min", sa.Integer(), nullable=False, server_default="15"))
    # SQLite adds a referencing column in place when it defaults to NULL (alembic's add_column
    # would ask for a batch rebuild because of the constraint).
    op.execute("ALTER TABLE match ADD COLUMN home_team_id VARCHAR REFERENCES team (id)")
    op.execute("ALTER TABLE match ADD COLUMN away_team_id VARCHAR REFERENCES team (id)")
    op.execute("UPDATE match SET home_team_id = team_id WHERE team_id IS NOT NULL AND our_side = 'home'")
    op.execute("UPDATE match SET away_team_id = team_id WHERE team_id IS NOT NULL AND our_side = 'away'")
    op.add_column("match_event", sa.Column("reason", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("match_event", "reason")
    op.execute("PRAGMA foreign_keys = OFF")
    with op.batch_alter_table("match") as batch:
        batch.drop_column("away_team_id")
        batch.drop_column("home_team_id")
        batch.drop_column("extra_time_length_min")
    op.execute("PRAGMA foreign_keys = ON")
