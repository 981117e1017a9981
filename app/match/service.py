"""MatchService: teams, players, matches, lineups, the match clock and event logging.

Contract (no Qt; safe to call from a worker thread; one instance per window/CLI run):
- Every call that changes data writes in ONE ``db.write()`` transaction together with its
  ``app.outbox.enqueue`` entries and returns once committed (durable: the DB runs
  synchronous=FULL), so an acknowledged event survives a killed process.
- The clock is derived from stored ``ClockMark`` rows (start/pause/resume/end) and the
  period_start/period_end events, never from a running timer: a new service on the same
  database shows the same clock.
- ``now`` comes from the injected ``clock`` (a callable returning an aware UTC datetime).
- Undo/redo is an in-memory stack of this instance's last ``log_event``/``edit_event``/
  ``delete_event`` calls (clock actions and roster changes are not undoable). Every undo
  and redo is itself a durable, outboxed change.
- Errors: ``NotFound`` for unknown ids, ``ValidationError`` for rejected input (nothing
  written in either case).
- Outbox entities: team, player, match, event (entity id = the record id) and lineup
  (entity id = the match id; the whole lineup is replaced, as the server's PUT does).

The service is put together from one part per responsibility:

=====================  ==========================================================
``roster.RosterOps``   teams and players
``matches.MatchOps``   matches (create, update, delete, get, list with scores)
``lineups.LineupOps``  lineups and the shirt-number lookup
``clock_ops.ClockOps`` kick-off, pause, resume, end of period, the clock
``events.EventOps``    log, edit, delete events (``log_event`` is the hot path)
``undo.UndoOps``       undo/redo of this instance's event changes
``reading.ReadingOps`` timeline, score, minutes played, match and season stats
=====================  ==========================================================

with ``base.ServiceBase`` (db, clock, undo history), ``rules`` (vocabulary and input checks),
``records`` (row helpers), ``clock_store`` (the clock read from the database) and ``minutes``.
"""

from __future__ import annotations

from app.match.clock_ops import ClockOps
from app.match.events import EventOps
from app.match.lineups import LineupOps
from app.match.matches import MatchOps
from app.match.reading import ReadingOps
from app.match.roster import RosterOps
from app.match.rules import (
    EDITABLE_EVENT_FIELDS,
    EVENT_FIELDS,
    LOGGABLE_KINDS,
    MAX_PERIODS,
    PERIOD_KINDS,
    POSITIONS,
    SIDES,
    STAT_OF_KIND,
    assist_id_for,
    other_side,
    score_of,
)
from app.match.types import (
    Change,
    ClockState,
    LineupItem,
    MatchSummary,
    PlayerStats,
    TimelineEvent,
)
from app.match.undo import UndoOps
from app.models.base import sql_ts

__all__ = [
    "EDITABLE_EVENT_FIELDS",
    "EVENT_FIELDS",
    "LOGGABLE_KINDS",
    "MAX_PERIODS",
    "PERIOD_KINDS",
    "POSITIONS",
    "SIDES",
    "STAT_OF_KIND",
    "Change",
    "ClockState",
    "LineupItem",
    "MatchService",
    "MatchSummary",
    "PlayerStats",
    "TimelineEvent",
    "assist_id_for",
    "other_side",
    "score_of",
    "sql_ts",
]


class MatchService(RosterOps, MatchOps, LineupOps, ClockOps, EventOps, UndoOps, ReadingOps):
    """The match area's one service. See the module docstring for the contract.

    ``MatchService(db, clock=utcnow)``.
    """
