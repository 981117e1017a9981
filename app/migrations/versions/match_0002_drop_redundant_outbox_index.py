"""Drop ix_outbox_entity_id: ix_outbox_record_pending starts with entity_id and serves every
lookup it served, and each index costs a write on the match-logging hot path.

Revision ID: match_0002
Revises: match_0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "match_0002"
down_revision: str | Sequence[str] | None = "match_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_outbox_entity_id", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_entity_id", "outbox", ["entity_id"], unique=False)
