"""Providers: keep whole WHOOP records (the raw JSON beside the mapped columns).

Revision ID: prov_0001
Revises: 0001
Create Date: 2026-12-06 02:30:00

WHOOP records were stored as the handful of columns the Dashboard reads; 23 documented
fields were dropped. ``raw`` keeps each record as WHOOP sent it (as Reboot's rows do). Rows
pulled before this revision keep ``raw`` NULL until the next pull's trailing window rewrites
them (WHOOP has no updated-since filter, so older records are not fetched again).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "prov_0001"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("providers",)
depends_on: str | Sequence[str] | None = None

TABLES = ("whoop_profile", "whoop_cycle", "whoop_recovery", "whoop_sleep", "whoop_workout")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("raw", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("raw")
