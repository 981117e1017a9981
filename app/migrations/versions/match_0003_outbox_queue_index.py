"""Replace the outbox's two single-column indexes (provider, status) with one composite
queue index (status, provider, seq): the queue queries filter on both and read in seq order,
and one index less is one write less per logged event.

Revision ID: match_0003
Revises: match_0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "match_0003"
down_revision: str | Sequence[str] | None = "match_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_queue", "outbox", ["status", "provider", "seq"], unique=False)
    op.drop_index("ix_outbox_provider", table_name="outbox")
    op.drop_index("ix_outbox_status", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_status", "outbox", ["status"], unique=False)
    op.create_index("ix_outbox_provider", "outbox", ["provider"], unique=False)
    op.drop_index("ix_outbox_queue", table_name="outbox")
