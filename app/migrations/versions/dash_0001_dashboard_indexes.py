"""Dashboard: covering indexes for the pose mix, pose accuracy, history and match statistics.

Revision ID: dash_0001
Revises: 0001
Create Date: 2026-11-23 13:05:00

Without them the Dashboard's "all" range reads every (wide) pose_hold and match_event row
(~65 ms for 40,000 holds instead of ~15 ms).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "dash_0001"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("dashboard",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_practice_session_stats",
        "practice_session",
        ["deleted", "started_at", "duration_s", "avg_accuracy", "total_poses", "id"],
        unique=False,
    )
    op.create_index(
        "ix_pose_hold_pose_stats",
        "pose_hold",
        ["pose_id", "started_at", "session_id", "accuracy", "hold_s", "pose_name"],
        unique=False,
    )
    op.create_index(
        "ix_pose_hold_session_cover",
        "pose_hold",
        ["session_id", "pose_id", "pose_name", "accuracy", "hold_s", "started_at"],
        unique=False,
    )
    op.create_index("ix_lineup_entry_starting", "lineup_entry", ["match_id", "starting", "player_id"], unique=False)
    op.create_index(
        "ix_match_event_kind_stats",
        "match_event",
        ["kind", "match_id", "deleted", "team", "player_id", "related_player_id", "period", "clock_ms"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_match_event_kind_stats", table_name="match_event")
    op.drop_index("ix_lineup_entry_starting", table_name="lineup_entry")
    op.drop_index("ix_pose_hold_session_cover", table_name="pose_hold")
    op.drop_index("ix_pose_hold_pose_stats", table_name="pose_hold")
    op.drop_index("ix_practice_session_stats", table_name="practice_session")
