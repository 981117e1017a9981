"""Match: index for the outbox collapse check on the event-logging hot path.

Revision ID: match_0001
Revises: 0001
Create Date: 2026-11-23 13:20:00

``app.outbox.enqueue`` looks for a pending upsert of the same record. Without statistics
SQLite answers that query through ``ix_outbox_status`` and so reads EVERY pending entry:
logging slowed down linearly while offline (about 10 ms per event with 10,000 pending). This
index covers the lookup (entity_id first: one or two rows per record) and SQLite prefers it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "match_0001"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("match",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_record_pending", "outbox", ["entity_id", "entity", "provider", "status", "op"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_record_pending", table_name="outbox")
