"""The outbox's record index without ``status`` and ``op``: (entity_id, entity, provider).

Closing an entry changed its status, so every push moved each entry's key in this index (two
random-page writes per event, the largest part of marking a batch done). The lookups it
serves (a record's pending entry, when an event is logged or edited) find the record's
handful of entries by the remaining columns and read status and op from the row.

Revision ID: match_0005
Revises: match_0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "match_0005"
down_revision: str | Sequence[str] | None = "match_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_outbox_record_pending", table_name="outbox")
    op.create_index("ix_outbox_record", "outbox", ["entity_id", "entity", "provider"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_record", table_name="outbox")
    op.create_index(
        "ix_outbox_record_pending", "outbox", ["entity_id", "entity", "provider", "status", "op"], unique=False
    )
