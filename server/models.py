"""The server's tables (SQLAlchemy 2 typed ORM; one metadata shared by alembic and the code).

Record times are integers (microseconds since the epoch, UTC): exact on SQLite and PostgreSQL
alike, so ``If-Match`` and cursors compare them without rounding or time-zone drift.
Client-given instants (``kickoff_at``, ``logged_at``) are kept as the validated text the client
sent, so a round trip returns them unchanged.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Server-wide values shared by every process (the JWT signing key)."""

    __tablename__ = "server_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Club(Base):
    __tablename__ = "clubs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # The last record stamp given in this club: writes lock this row, so stamps follow commit order.
    last_stamp: Mapped[int] = mapped_column(BigInteger, default=0)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))


class Record:
    """Columns every synced record has."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id"))
    updated_at: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class TeamRow(Record, Base):
    __tablename__ = "teams"
    __table_args__ = (Index("ix_teams_club_updated", "club_id", "updated_at", "id"),)
    name: Mapped[str] = mapped_column(String(120))


class PlayerRow(Record, Base):
    __tablename__ = "players"
    __table_args__ = (Index("ix_players_team_updated", "team_id", "updated_at", "id"),)
    team_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(120))
    shirt_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    position: Mapped[str | None] = mapped_column(String(2), nullable=True)


class MatchRow(Record, Base):
    __tablename__ = "matches"
    __table_args__ = (Index("ix_matches_club_updated", "club_id", "updated_at", "id"),)
    team_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    home_team: Mapped[str] = mapped_column(Text)
    away_team: Mapped[str] = mapped_column(Text)
    home_team_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    away_team_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    regular_periods: Mapped[int] = mapped_column(Integer, default=2)
    extra_time_length_min: Mapped[int] = mapped_column(Integer, default=15)
    kickoff_at: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    current_period: Mapped[int] = mapped_column(Integer, default=0)
    period_length_min: Mapped[int] = mapped_column(Integer, default=45)
    # The live channel's sequence: the seq of the last change broadcast for this match.
    live_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class EventRow(Record, Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_match_updated", "match_id", "updated_at", "id"),)
    match_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    team: Mapped[str] = mapped_column(String(4))
    player_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    related_player_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    period: Mapped[int] = mapped_column(Integer)
    clock_ms: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    logged_at: Mapped[str | None] = mapped_column(String(64), nullable=True)


class LineupRow(Base):
    __tablename__ = "lineup_entries"
    match_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    player_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    starting: Mapped[bool] = mapped_column(Boolean)
    shirt_number: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ShareToken(Base):
    __tablename__ = "share_tokens"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    match_id: Mapped[str] = mapped_column(String(36), index=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id"))
    expires_at: Mapped[int] = mapped_column(BigInteger)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LiveChange(Base):
    """Every message of a match's live channel, so a viewer that reconnects gets what it missed."""

    __tablename__ = "live_changes"
    match_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message: Mapped[str] = mapped_column(Text)


class YogaUser(Base):
    __tablename__ = "yoga_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fullname: Mapped[str] = mapped_column(Text)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    sex: Mapped[str] = mapped_column(String(32))
    dob: Mapped[str] = mapped_column(String(10))


class YogaSession(Base):
    __tablename__ = "yoga_sessions"
    __table_args__ = (UniqueConstraint("user_id", "client_id", name="uq_yoga_sessions_client"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("yoga_users.id"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    date: Mapped[int] = mapped_column(BigInteger)
    duration: Mapped[int] = mapped_column(Integer)
    avg_accuracy: Mapped[float] = mapped_column()
    poses: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)
