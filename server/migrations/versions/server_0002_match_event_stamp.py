"""events are stamped per match: matches.last_event_stamp

Revision ID: server_0002
Revises: server_0001
Create Date: 2026-12-06 03:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "server_0002"
down_revision: str | Sequence[str] | None = "server_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_event_stamp", sa.BigInteger(), nullable=False, server_default="0"))
    # Start each match's counter where its club's was, so no event stamp goes backwards.
    op.execute("UPDATE matches SET last_event_stamp = (SELECT last_stamp FROM clubs WHERE clubs.id = matches.club_id)")


def downgrade() -> None:
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_column("last_event_stamp")
