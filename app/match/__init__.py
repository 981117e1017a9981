"""The match area's core: service, clock, exports (no Qt)."""

from app.match.service import MatchService
from app.match.types import (
    Change,
    ClockState,
    ImportResult,
    LineupItem,
    MatchSummary,
    PlayerStats,
    TimelineEvent,
)

__all__ = [
    "Change",
    "ClockState",
    "ImportResult",
    "LineupItem",
    "MatchService",
    "MatchSummary",
    "PlayerStats",
    "TimelineEvent",
]
