"""Sync bookkeeping: the outbox, pull cursors, the sync log, conflicts and accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import json_field, ts_field


class OutboxEntry(SQLModel, table=True):
    """A local change waiting to be pushed; written in the same transaction as the change.

    ``status``: pending | done | rejected (the server refused it; ``last_error`` says why).
    """

    __tablename__ = "outbox"
    # Two indexes only (each is a write on the match-logging hot path): one finds a record's
    # entries (without status, which closing an entry changes: a push would move every key),
    # the other serves the queue (pending/rejected per provider, in order).
    __table_args__ = (
        Index("ix_outbox_record", "entity_id", "entity", "provider"),
        Index("ix_outbox_queue", "status", "provider", "seq"),
    )

    seq: int | None = Field(default=None, primary_key=True)
    provider: str  # team | yoga
    entity: str  # team | player | match | lineup | event | practice_session
    entity_id: str
    op: str  # upsert | delete
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime = ts_field(default_now=True)
    done_at: datetime | None = ts_field(nullable=True)
    # How many times the record changed again while this entry waited (``app.outbox.enqueue``):
    # a push closes the entry only if what it sent was read at the revision the entry still has.
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SyncCursor(SQLModel, table=True):
    __tablename__ = "sync_cursor"

    provider: str = Field(primary_key=True)
    resource: str = Field(primary_key=True)
    cursor: str
    updated_at: datetime = ts_field(default_now=True)


class SyncLog(SQLModel, table=True):
    """One provider's part of one sync run (as the Reboot backend's SyncLog)."""

    __tablename__ = "sync_log"

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(index=True)
    sync_type: str  # push | pull | both
    status: str  # running | success | partial | failed | cancelled
    records_pushed: int = 0
    records_pulled: int = 0
    error: str | None = None
    details: dict[str, Any] = json_field(dict)
    started_at: datetime = ts_field(default_now=True)
    completed_at: datetime | None = ts_field(nullable=True)


class SyncConflict(SQLModel, table=True):
    """Both sides changed a record; the loser's version is kept here and shown to the user."""

    __tablename__ = "sync_conflict"

    id: int | None = Field(default=None, primary_key=True)
    provider: str
    entity: str
    entity_id: str
    winner: str  # local | remote
    kept_version: dict[str, Any] = json_field(dict)
    created_at: datetime = ts_field(default_now=True)
    dismissed: bool = False


class ProviderAccount(SQLModel, table=True):
    """A connected provider. Never holds a secret (those live in the keychain)."""

    __tablename__ = "provider_account"

    provider: str = Field(primary_key=True)
    account: str = ""
    connected_at: datetime = ts_field(default_now=True)
    last_success_at: datetime | None = ts_field(nullable=True)
    needs_reconnect: bool = False
