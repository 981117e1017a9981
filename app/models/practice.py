"""Practice sessions and the poses held in them (yoga cloud model: SessionIn / PoseRecord)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import json_field, new_id, ts_field


class PracticeSession(SQLModel, table=True):
    """One practice. ``id`` is the client UUID sent as the cloud's ``client_id``.

    ``ended_at`` is None while the session runs (or after a crash: closed on next start).
    ``remote_id`` is the integer id the yoga cloud assigned, once pushed or pulled.
    """

    __tablename__ = "practice_session"
    __table_args__ = (
        Index("ix_practice_session_stats", "deleted", "started_at", "duration_s", "avg_accuracy", "total_poses", "id"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    started_at: datetime = ts_field(index=True)
    ended_at: datetime | None = ts_field(nullable=True)
    duration_s: float = 0.0
    avg_accuracy: float = 0.0
    total_poses: int = 0
    mode: str = "free"  # free | guided
    sequence_name: str | None = None
    remote_id: int | None = Field(default=None, index=True)
    updated_at: datetime = ts_field(default_now=True)
    deleted: bool = False


class PoseHold(SQLModel, table=True):
    """A pose held during a session, written when the hold ends."""

    __tablename__ = "pose_hold"
    __table_args__ = (
        Index("ix_pose_hold_pose_stats", "pose_id", "started_at", "session_id", "accuracy", "hold_s", "pose_name"),
        Index("ix_pose_hold_session_cover", "session_id", "pose_id", "pose_name", "accuracy", "hold_s", "started_at"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    session_id: str = Field(foreign_key="practice_session.id", index=True)
    pose_id: str = Field(index=True)
    pose_name: str
    started_at: datetime = ts_field()
    ended_at: datetime = ts_field()
    hold_s: float
    accuracy: float  # mean accuracy over the hold, 0-100
    best_accuracy: float
    feedback: list[str] = json_field()
    improvements: list[str] = json_field()
