"""``outbox.revision``: how many times a record changed again while its entry waited.

A push closes an event's entry after the server stored the batch only if the entry still has
the revision read with the batch (sync.team.batches): one look at the entry itself, where it
compared the event's stored ``updated_at`` (a lookup in ``match_event`` per event). Existing
entries start at 0: an entry read after this upgrade is read with its revision.

Revision ID: match_0007
Revises: match_0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "match_0007"
down_revision: str | Sequence[str] | None = "match_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("outbox", "revision")
