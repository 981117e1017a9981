"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``.

Conventions: ids of records we create are client-generated UUID strings; timestamps are
timezone-aware UTC in Python and stored as ISO text by SQLAlchemy's DateTime; syncable
records carry ``updated_at`` and a soft ``deleted`` flag so that edits and deletions travel.
"""

from app.models.match import ClockMark, LineupEntry, Match, MatchEvent, Player, Team
from app.models.practice import PoseHold, PracticeSession
from app.models.providers import (
    RebootExport,
    RebootPlayer,
    RebootSession,
    WhoopCycle,
    WhoopProfile,
    WhoopRecovery,
    WhoopSleep,
    WhoopWorkout,
)
from app.models.sync import OutboxEntry, ProviderAccount, SyncConflict, SyncCursor, SyncLog

__all__ = [
    "ClockMark",
    "LineupEntry",
    "Match",
    "MatchEvent",
    "OutboxEntry",
    "Player",
    "PoseHold",
    "PracticeSession",
    "ProviderAccount",
    "RebootExport",
    "RebootPlayer",
    "RebootSession",
    "SyncConflict",
    "SyncCursor",
    "SyncLog",
    "Team",
    "WhoopCycle",
    "WhoopProfile",
    "WhoopRecovery",
    "WhoopSleep",
    "WhoopWorkout",
]
