"""Initial schema: practice, match, sync bookkeeping and provider tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 12:49:17.535269
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("op", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_provider"), ["provider"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    op.create_table(
        "practice_session",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("avg_accuracy", sa.Float(), nullable=False),
        sa.Column("total_poses", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("sequence_name", sa.String(), nullable=True),
        sa.Column("remote_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("practice_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_session_remote_id"), ["remote_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_session_started_at"), ["started_at"], unique=False)

    op.create_table(
        "provider_account",
        sa.Column("provider", sa.String(), nullable=False),
        sa.Column("account", sa.String(), nullable=False),
        sa.Column("connected_at", sa.DateTime(), nullable=False),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("needs_reconnect", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("provider"),
    )
    op.create_table(
        "reboot_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("org_player_id", sa.String(), nullable=False),
        sa.Column("movement_type_id", sa.Integer(), nullable=False),
        sa.Column("data_type", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reboot_export", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reboot_export_session_id"), ["session_id"], unique=False)

    op.create_table(
        "reboot_player",
        sa.Column("org_player_id", sa.String(), nullable=False),
        sa.Column("first_name", sa.String(), nullable=False),
        sa.Column("last_name", sa.String(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("org_player_id"),
    )
    op.create_table(
        "reboot_session",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("session_date", sa.String(), nullable=True),
        sa.Column("session_name", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reboot_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reboot_session_session_date"), ["session_date"], unique=False)

    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("winner", sa.String(), nullable=False),
        sa.Column("kept_version", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_cursor",
        sa.Column("provider", sa.String(), nullable=False),
        sa.Column("resource", sa.String(), nullable=False),
        sa.Column("cursor", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("provider", "resource"),
    )
    op.create_table(
        "sync_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(), nullable=False),
        sa.Column("sync_type", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("records_pushed", sa.Integer(), nullable=False),
        sa.Column("records_pulled", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_log_provider"), ["provider"], unique=False)

    op.create_table(
        "team",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "whoop_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=True),
        sa.Column("timezone_offset", sa.String(), nullable=False),
        sa.Column("score_state", sa.String(), nullable=False),
        sa.Column("strain", sa.Float(), nullable=True),
        sa.Column("kilojoule", sa.Float(), nullable=True),
        sa.Column("average_heart_rate", sa.Integer(), nullable=True),
        sa.Column("max_heart_rate", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("whoop_cycle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_whoop_cycle_start"), ["start"], unique=False)

    op.create_table(
        "whoop_profile",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("first_name", sa.String(), nullable=False),
        sa.Column("last_name", sa.String(), nullable=False),
        sa.Column("height_meter", sa.Float(), nullable=True),
        sa.Column("weight_kilogram", sa.Float(), nullable=True),
        sa.Column("max_heart_rate", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "whoop_recovery",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("sleep_id", sa.String(), nullable=True),
        sa.Column("score_state", sa.String(), nullable=False),
        sa.Column("recovery_score", sa.Float(), nullable=True),
        sa.Column("resting_heart_rate", sa.Float(), nullable=True),
        sa.Column("hrv_rmssd_milli", sa.Float(), nullable=True),
        sa.Column("spo2_percentage", sa.Float(), nullable=True),
        sa.Column("skin_temp_celsius", sa.Float(), nullable=True),
        sa.Column("user_calibrating", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("cycle_id"),
    )
    with op.batch_alter_table("whoop_recovery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_whoop_recovery_created_at"), ["created_at"], unique=False)

    op.create_table(
        "whoop_sleep",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("timezone_offset", sa.String(), nullable=False),
        sa.Column("nap", sa.Boolean(), nullable=False),
        sa.Column("score_state", sa.String(), nullable=False),
        sa.Column("sleep_performance_percentage", sa.Float(), nullable=True),
        sa.Column("sleep_efficiency_percentage", sa.Float(), nullable=True),
        sa.Column("sleep_consistency_percentage", sa.Float(), nullable=True),
        sa.Column("respiratory_rate", sa.Float(), nullable=True),
        sa.Column("total_in_bed_time_milli", sa.Integer(), nullable=True),
        sa.Column("total_awake_time_milli", sa.Integer(), nullable=True),
        sa.Column("total_light_sleep_time_milli", sa.Integer(), nullable=True),
        sa.Column("total_slow_wave_sleep_time_milli", sa.Integer(), nullable=True),
        sa.Column("total_rem_sleep_time_milli", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("whoop_sleep", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_whoop_sleep_start"), ["start"], unique=False)

    op.create_table(
        "whoop_workout",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("timezone_offset", sa.String(), nullable=False),
        sa.Column("sport_name", sa.String(), nullable=False),
        sa.Column("score_state", sa.String(), nullable=False),
        sa.Column("strain", sa.Float(), nullable=True),
        sa.Column("average_heart_rate", sa.Integer(), nullable=True),
        sa.Column("max_heart_rate", sa.Integer(), nullable=True),
        sa.Column("kilojoule", sa.Float(), nullable=True),
        sa.Column("distance_meter", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("whoop_workout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_whoop_workout_start"), ["start"], unique=False)

    op.create_table(
        "match",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=True),
        sa.Column("our_side", sa.String(), nullable=False),
        sa.Column("home_team", sa.String(), nullable=False),
        sa.Column("away_team", sa.String(), nullable=False),
        sa.Column("kickoff_at", sa.DateTime(), nullable=False),
        sa.Column("venue", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("current_period", sa.Integer(), nullable=False),
        sa.Column("period_count", sa.Integer(), nullable=False),
        sa.Column("period_length_min", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_kickoff_at"), ["kickoff_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_team_id"), ["team_id"], unique=False)

    op.create_table(
        "player",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("shirt_number", sa.Integer(), nullable=True),
        sa.Column("position", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("player", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_player_team_id"), ["team_id"], unique=False)

    op.create_table(
        "pose_hold",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("pose_id", sa.String(), nullable=False),
        sa.Column("pose_name", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("hold_s", sa.Float(), nullable=False),
        sa.Column("accuracy", sa.Float(), nullable=False),
        sa.Column("best_accuracy", sa.Float(), nullable=False),
        sa.Column("feedback", sa.JSON(), nullable=False),
        sa.Column("improvements", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["practice_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pose_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pose_hold_pose_id"), ["pose_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pose_hold_session_id"), ["session_id"], unique=False)

    op.create_table(
        "clock_mark",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("match_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["match.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clock_mark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clock_mark_match_id"), ["match_id"], unique=False)

    op.create_table(
        "lineup_entry",
        sa.Column("match_id", sa.String(), nullable=False),
        sa.Column("player_id", sa.String(), nullable=False),
        sa.Column("starting", sa.Boolean(), nullable=False),
        sa.Column("shirt_number", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["match.id"],
        ),
        sa.ForeignKeyConstraint(
            ["player_id"],
            ["player.id"],
        ),
        sa.PrimaryKeyConstraint("match_id", "player_id"),
    )
    op.create_table(
        "match_event",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("match_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("player_id", sa.String(), nullable=True),
        sa.Column("related_player_id", sa.String(), nullable=True),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("clock_ms", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("logged_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["match.id"],
        ),
        sa.ForeignKeyConstraint(
            ["player_id"],
            ["player.id"],
        ),
        sa.ForeignKeyConstraint(
            ["related_player_id"],
            ["player.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("match_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_event_match_id"), ["match_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_event_seq"), ["seq"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("match_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_event_seq"))
        batch_op.drop_index(batch_op.f("ix_match_event_match_id"))

    op.drop_table("match_event")
    op.drop_table("lineup_entry")
    with op.batch_alter_table("clock_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clock_mark_match_id"))

    op.drop_table("clock_mark")
    with op.batch_alter_table("pose_hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pose_hold_session_id"))
        batch_op.drop_index(batch_op.f("ix_pose_hold_pose_id"))

    op.drop_table("pose_hold")
    with op.batch_alter_table("player", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_player_team_id"))

    op.drop_table("player")
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_team_id"))
        batch_op.drop_index(batch_op.f("ix_match_kickoff_at"))

    op.drop_table("match")
    with op.batch_alter_table("whoop_workout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whoop_workout_start"))

    op.drop_table("whoop_workout")
    with op.batch_alter_table("whoop_sleep", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whoop_sleep_start"))

    op.drop_table("whoop_sleep")
    with op.batch_alter_table("whoop_recovery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whoop_recovery_created_at"))

    op.drop_table("whoop_recovery")
    op.drop_table("whoop_profile")
    with op.batch_alter_table("whoop_cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whoop_cycle_start"))

    op.drop_table("whoop_cycle")
    op.drop_table("team")
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_log_provider"))

    op.drop_table("sync_log")
    op.drop_table("sync_cursor")
    op.drop_table("sync_conflict")
    with op.batch_alter_table("reboot_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reboot_session_session_date"))

    op.drop_table("reboot_session")
    op.drop_table("reboot_player")
    with op.batch_alter_table("reboot_export", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reboot_export_session_id"))

    op.drop_table("reboot_export")
    op.drop_table("provider_account")
    with op.batch_alter_table("practice_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_session_started_at"))
        batch_op.drop_index(batch_op.f("ix_practice_session_remote_id"))

    op.drop_table("practice_session")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_provider"))
        batch_op.drop_index(batch_op.f("ix_outbox_entity_id"))

    op.drop_table("outbox")
