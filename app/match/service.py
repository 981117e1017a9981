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
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.match import clock as clk
from app.match.types import (
    Change,
    ClockState,
    LineupItem,
    MatchSummary,
    PlayerStats,
    TimelineEvent,
)
from app.models.base import utcnow
from app.models.match import EVENT_KINDS, ClockMark, LineupEntry, Match, MatchEvent, Player, Team
from app.models.sync import OutboxEntry
from app.outbox import enqueue

SIDES = ("home", "away")
POSITIONS = ("GK", "DF", "MF", "FW")
PERIOD_KINDS = ("period_start", "period_end")
LOGGABLE_KINDS = tuple(k for k in EVENT_KINDS if k not in PERIOD_KINDS)
MAX_PERIODS = 4
EVENT_FIELDS = ("kind", "team", "player_id", "related_player_id", "period", "clock_ms", "note", "deleted")
EDITABLE_EVENT_FIELDS = frozenset(EVENT_FIELDS) - {"deleted"}
_ASSIST_NS = uuid.UUID("6f1d3c1e-8a51-4d7e-9a3c-2f4b1f0e7a11")

STAT_OF_KIND = {
    "goal": "goals",
    "assist": "assists",
    "own_goal": "own_goals",
    "save": "saves",
    "tackle": "tackles",
    "key_pass": "key_passes",
    "interception": "interceptions",
    "foul": "fouls",
    "yellow_card": "yellow_cards",
    "red_card": "red_cards",
}


def assist_id_for(goal_id: str) -> str:
    """The id of the ``assist`` event logged automatically with goal ``goal_id`` (stable)."""
    return str(uuid.uuid5(_ASSIST_NS, goal_id))


def other_side(side: str) -> str:
    return "away" if side == "home" else "home"


def score_of(events: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """(home, away) from (kind, team) pairs of live events: goal for its team, own_goal for the other."""
    goals = {"home": 0, "away": 0}
    for kind, team in events:
        if kind == "goal" and team in goals:
            goals[team] += 1
        elif kind == "own_goal" and team in goals:
            goals[other_side(team)] += 1
    return goals["home"], goals["away"]


@dataclass
class _Action:
    """One undoable action: field snapshots of every event it touched, before and after."""

    label: str
    match_id: str
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    kinds: tuple[str, ...] = field(default=())


def _snapshot(ev: MatchEvent) -> dict[str, Any]:
    return {name: getattr(ev, name) for name in EVENT_FIELDS}


def _check_side(side: str, what: str = "team") -> None:
    if side not in SIDES:
        raise ValidationError(f"{what} must be 'home' or 'away', not {side!r}")


def _check_aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationError(f"{what} must be a timezone-aware datetime")
    return value.astimezone(UTC)


class MatchService:
    """The match area's one service. See the module docstring for the contract."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._lock = threading.Lock()
        self._undo: list[_Action] = []
        self._redo: list[_Action] = []

    def _now(self) -> datetime:
        return _check_aware(self.clock(), "clock()")

    # ----------------------------------------------------------------- teams, players
    def create_team(self, name: str) -> Team:
        """Create our team (or any team). Returns the stored row."""
        name = self._clean_name(name, "team name")
        team = Team(name=name, updated_at=self._now())
        with self.db.write() as s:
            s.add(team)
            enqueue(s, "team", team.id)
        return team

    def list_teams(self) -> list[Team]:
        """Teams that are not deleted, by name."""
        with self.db.session() as s:
            return list(s.exec(select(Team).where(col(Team.deleted).is_(False)).order_by(col(Team.name))).all())

    def add_player(
        self, team_id: str, name: str, shirt_number: int | None = None, position: str | None = None
    ) -> Player:
        """Add a player to a team. ``position``: GK | DF | MF | FW | None; shirt 0..99."""
        player = Player(
            team_id=team_id,
            name=self._clean_name(name, "player name"),
            shirt_number=self._check_shirt(shirt_number),
            position=self._check_position(position),
            updated_at=self._now(),
        )
        with self.db.write() as s:
            team = s.get(Team, team_id)
            if team is None or team.deleted:
                raise NotFound(f"team {team_id} not found")
            s.add(player)
            enqueue(s, "player", player.id)
        return player

    def update_player(self, player_id: str, **fields: Any) -> Player:
        """Change ``name``, ``shirt_number`` and/or ``position`` of a player."""
        unknown = set(fields) - {"name", "shirt_number", "position"}
        if unknown:
            raise ValidationError(f"cannot change player field(s): {', '.join(sorted(unknown))}")
        if "name" in fields:
            fields["name"] = self._clean_name(fields["name"], "player name")
        if "shirt_number" in fields:
            fields["shirt_number"] = self._check_shirt(fields["shirt_number"])
        if "position" in fields:
            fields["position"] = self._check_position(fields["position"])
        with self.db.write() as s:
            player = s.get(Player, player_id)
            if player is None or player.deleted:
                raise NotFound(f"player {player_id} not found")
            for key, value in fields.items():
                setattr(player, key, value)
            player.updated_at = self._now()
            s.add(player)
            enqueue(s, "player", player.id)
        return player

    def delete_player(self, player_id: str) -> Change:
        """Soft-delete a player (their past events and stats stay)."""
        with self.db.write() as s:
            player = s.get(Player, player_id)
            if player is None or player.deleted:
                raise NotFound(f"player {player_id} not found")
            player.deleted = True
            player.updated_at = self._now()
            s.add(player)
            enqueue(s, "player", player.id, "delete")
        return Change("player", team_ids=(player.team_id,), player_ids=(player_id,), description="Player deleted")

    def list_players(self, team_id: str) -> list[Player]:
        """Players of a team that are not deleted, by shirt number then name."""
        with self.db.session() as s:
            rows = s.exec(
                select(Player).where(Player.team_id == team_id, col(Player.deleted).is_(False))
            ).all()
        return sorted(rows, key=lambda p: (p.shirt_number is None, p.shirt_number or 0, p.name.lower()))

    # ----------------------------------------------------------------- matches
    def create_match(
        self,
        home_team: str,
        away_team: str,
        kickoff_at: datetime,
        team_id: str | None = None,
        our_side: str = "home",
        venue: str | None = None,
        period_count: int = 2,
        period_length_min: int = 45,
    ) -> Match:
        """Create a scheduled match. ``team_id`` is our team (one of the two sides)."""
        _check_side(our_side, "our_side")
        self._check_periods(period_count, period_length_min)
        match = Match(
            team_id=team_id,
            our_side=our_side,
            home_team=self._clean_name(home_team, "home team"),
            away_team=self._clean_name(away_team, "away team"),
            kickoff_at=_check_aware(kickoff_at, "kickoff_at"),
            venue=(venue or "").strip() or None,
            period_count=period_count,
            period_length_min=period_length_min,
            updated_at=self._now(),
        )
        with self.db.write() as s:
            if team_id is not None:
                team = s.get(Team, team_id)
                if team is None or team.deleted:
                    raise NotFound(f"team {team_id} not found")
            s.add(match)
            enqueue(s, "match", match.id)
        return match

    def update_match(self, match_id: str, **fields: Any) -> Match:
        """Change home_team, away_team, kickoff_at, venue, our_side, team_id, period_count, period_length_min.

        ``period_count`` cannot drop below the period the match has already reached.
        """
        allowed = {
            "home_team", "away_team", "kickoff_at", "venue", "our_side", "team_id", "period_count", "period_length_min",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise ValidationError(f"cannot change match field(s): {', '.join(sorted(unknown))}")
        for key in ("home_team", "away_team"):
            if key in fields:
                fields[key] = self._clean_name(fields[key], key.replace("_", " "))
        if "kickoff_at" in fields:
            fields["kickoff_at"] = _check_aware(fields["kickoff_at"], "kickoff_at")
        if "our_side" in fields:
            _check_side(fields["our_side"], "our_side")
        with self.db.write() as s:
            match = self._match(s, match_id)
            self._check_periods(
                fields.get("period_count", match.period_count), fields.get("period_length_min", match.period_length_min)
            )
            if fields.get("period_count", match.period_count) < match.current_period:
                raise ValidationError(
                    f"the match has already reached period {match.current_period}, "
                    f"so it needs at least {match.current_period} periods"
                )
            if fields.get("team_id") is not None and s.get(Team, fields["team_id"]) is None:
                raise NotFound(f"team {fields['team_id']} not found")
            for key, value in fields.items():
                setattr(match, key, value)
            match.updated_at = self._now()
            s.add(match)
            enqueue(s, "match", match.id)
        return match

    def delete_match(self, match_id: str) -> Change:
        """Soft-delete a match (its events stay in the database, hidden with it)."""
        with self.db.write() as s:
            match = self._match(s, match_id)
            match.deleted = True
            match.updated_at = self._now()
            s.add(match)
            enqueue(s, "match", match.id, "delete")
        return Change("match", match_ids=(match_id,), description="Match deleted")

    def get_match(self, match_id: str) -> Match:
        """The match row (raises NotFound)."""
        with self.db.session() as s:
            return self._match(s, match_id)

    def list_matches(self, team_id: str | None = None) -> list[MatchSummary]:
        """Matches that are not deleted, newest kick-off first, with their scores."""
        with self.db.session() as s:
            query = select(Match).where(col(Match.deleted).is_(False))
            if team_id is not None:
                query = query.where(Match.team_id == team_id)
            matches = list(s.exec(query.order_by(col(Match.kickoff_at).desc())).all())
            counts = s.exec(
                select(MatchEvent.match_id, MatchEvent.kind, MatchEvent.team, func.count())
                .where(col(MatchEvent.deleted).is_(False))
                .group_by(col(MatchEvent.match_id), col(MatchEvent.kind), col(MatchEvent.team))
            ).all()
        pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        totals: dict[str, int] = defaultdict(int)
        for mid, kind, team, n in counts:
            if kind in ("goal", "own_goal"):
                pairs[mid].extend([(kind, team)] * int(n))
            if kind not in PERIOD_KINDS:
                totals[mid] += int(n)
        result = []
        for m in matches:
            home, away = score_of(pairs.get(m.id, []))
            result.append(
                MatchSummary(
                    id=m.id, home_team=m.home_team, away_team=m.away_team, kickoff_at=m.kickoff_at,
                    venue=m.venue, status=m.status, current_period=m.current_period, our_side=m.our_side,
                    team_id=m.team_id, home_score=home, away_score=away, event_count=totals.get(m.id, 0),
                )
            )
        return result

    # ----------------------------------------------------------------- lineup
    def set_lineup(self, match_id: str, entries: Iterable[LineupItem]) -> Change:
        """Replace the match lineup (starting players and bench) with ``entries``.

        ``shirt_number`` is this match's number of the player (overrides the roster's); two
        players of the lineup cannot wear the same number (the shirt-number entry needs it).
        """
        items = list(entries)
        seen: set[str] = set()
        numbers: set[int] = set()
        for item in items:
            if item.player_id in seen:
                raise ValidationError(f"player {item.player_id} is in the lineup twice")
            seen.add(item.player_id)
            self._check_shirt(item.shirt_number)
            if item.shirt_number is not None:
                if item.shirt_number in numbers:
                    raise ValidationError(f"shirt #{item.shirt_number} is given to two players in the lineup")
                numbers.add(item.shirt_number)
        now = self._now()
        with self.db.write() as s:
            self._match(s, match_id)
            for item in items:
                player = s.get(Player, item.player_id)
                if player is None or player.deleted:
                    raise NotFound(f"player {item.player_id} not found")
            for old in s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all():
                s.delete(old)
            s.flush()
            for item in items:
                s.add(
                    LineupEntry(
                        match_id=match_id, player_id=item.player_id, starting=item.starting,
                        shirt_number=item.shirt_number, updated_at=now,
                    )
                )
            enqueue(s, "lineup", match_id)
        return Change("lineup", match_ids=(match_id,), player_ids=tuple(seen), description="Lineup saved")

    def lineup(self, match_id: str) -> list[LineupItem]:
        """The lineup: starters first, then bench, by shirt number."""
        with self.db.session() as s:
            rows = s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
            wanted = [r.player_id for r in rows]
            players = {p.id: p for p in s.exec(select(Player).where(col(Player.id).in_(wanted))).all()}
        items = [LineupItem(r.player_id, r.starting, r.shirt_number) for r in rows]

        def key(item: LineupItem) -> tuple[bool, int, str]:
            p = players.get(item.player_id)
            number = item.shirt_number if item.shirt_number is not None else (p.shirt_number if p else None)
            return (not item.starting, 999 if number is None else number, p.name if p else "")

        return sorted(items, key=key)

    def find_player_by_shirt(self, match_id: str, team_side: str, number: int) -> Player | None:
        """The player wearing ``number`` for ``team_side`` (home|away) in this match, or None.

        Looks at the lineup's shirt numbers first, then the team roster's. Only our side has
        players; the opponent side always gives None.
        """
        _check_side(team_side, "team_side")
        with self.db.session() as s:
            match = self._match(s, match_id)
            if match.team_id is None or team_side != match.our_side:
                return None
            entries = s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
            for entry in entries:
                if entry.shirt_number == number:
                    return s.get(Player, entry.player_id)
            overridden = {e.player_id for e in entries if e.shirt_number is not None}
            roster = s.exec(
                select(Player).where(
                    Player.team_id == match.team_id, Player.shirt_number == number, col(Player.deleted).is_(False)
                )
            ).all()
            in_lineup = [p for p in roster if p.id in {e.player_id for e in entries} and p.id not in overridden]
            candidates = in_lineup or [p for p in roster if p.id not in overridden]
            return candidates[0] if candidates else None

    # ----------------------------------------------------------------- clock
    def start_period(self, match_id: str) -> Change:
        """Kick off the next period (1, 2, ... up to 4). Logs a ``period_start`` event."""
        now = self._now()
        with self.db.write() as s:
            match = self._match(s, match_id)
            state = self._clock(s, match, now)
            if state.period > 0 and state.status in ("live", "paused"):
                raise ValidationError(f"period {state.period} is still running; end it first")
            period = match.current_period + 1
            if period > MAX_PERIODS:
                raise ValidationError(f"a match has at most {MAX_PERIODS} periods")
            s.add(ClockMark(match_id=match_id, action="start", period=period, at=now))
            event = self._new_event(s, match_id, "period_start", match.our_side, period, 0, now)
            match.current_period = period
            match.status = "live"
            match.updated_at = now
            s.add(match)
            enqueue(s, "match", match_id)
        return Change("clock", match_ids=(match_id,), event_ids=(event.id,), kinds=("period_start",),
                      description=f"Period {period} started")

    def pause(self, match_id: str) -> Change:
        """Stop the clock inside a running period (injury, water break)."""
        return self._mark(match_id, "pause", need="live", description="Clock paused")

    def resume(self, match_id: str) -> Change:
        """Restart a paused clock."""
        return self._mark(match_id, "resume", need="paused", description="Clock resumed")

    def end_period(self, match_id: str) -> Change:
        """End the running (or paused) period; logs ``period_end`` at the period's clock.

        After the last regular period (``period_count``) the match is ``finished``.
        """
        now = self._now()
        with self.db.write() as s:
            match = self._match(s, match_id)
            state = self._clock(s, match, now)
            if state.status not in ("live", "paused"):
                raise ValidationError("no period is running")
            s.add(ClockMark(match_id=match_id, action="end", period=state.period, at=now))
            event = self._new_event(s, match_id, "period_end", match.our_side, state.period, state.elapsed_ms, now)
            match.status = "finished" if state.period >= match.period_count else "live"
            match.updated_at = now
            s.add(match)
            enqueue(s, "match", match_id)
        return Change("clock", match_ids=(match_id,), event_ids=(event.id,), kinds=("period_end",),
                      description=f"Period {state.period} ended")

    def clock_state(self, match_id: str, now: datetime | None = None) -> ClockState:
        """The clock at ``now`` (default: the injected clock)."""
        at = _check_aware(now, "now") if now is not None else self._now()
        with self.db.session() as s:
            return self._clock(s, self._match(s, match_id), at)

    # ----------------------------------------------------------------- events
    def log_event(
        self,
        match_id: str,
        kind: str,
        team: str,
        player_id: str | None = None,
        related_player_id: str | None = None,
        note: str | None = None,
        *,
        period: int | None = None,
        clock_ms: int | None = None,
    ) -> Change:
        """Log one event at the current match clock; durable when this returns.

        ``team``: home | away. A goal with ``related_player_id`` also logs an ``assist``
        event for that player (``change.event_ids[1]``). Substitution: ``player_id`` goes
        off, ``related_player_id`` comes on. ``period``/``clock_ms`` override the clock
        (both needed before kick-off). period_start/period_end come from the clock calls.
        """
        if kind not in LOGGABLE_KINDS:
            if kind in PERIOD_KINDS:
                raise ValidationError(f"{kind} is logged by the clock (start_period/end_period)")
            raise ValidationError(f"unknown event kind {kind!r}")
        _check_side(team)
        note = self._check_note(note)
        if period is not None:
            self._check_period(period)
        if clock_ms is not None and clock_ms < 0:
            raise ValidationError("clock_ms must be >= 0")
        now = self._now()
        main_id = str(uuid.uuid4())
        rows: list[dict[str, Any]] = []
        try:
            with self.db.write() as s:
                # Hot path: plain DBAPI statements on the session's own connection (same
                # transaction); the ORM is only used by ``enqueue``.
                cur = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
                if period is None or clock_ms is None:
                    state = self._fast_clock(cur, match_id, now)
                    if state.period == 0:
                        raise ValidationError("the match has not kicked off: start the clock first")
                    if period is None:
                        period = state.period
                    if clock_ms is None:
                        clock_ms = state.elapsed_ms if period == state.period else 0
                last = cur.execute("SELECT max(seq) FROM match_event").fetchone()[0]
                seq = (last or 0) + 1
                rows.append({
                    "id": main_id, "seq": seq, "kind": kind, "team": team, "player_id": player_id,
                    "related_player_id": related_player_id, "period": period, "clock_ms": clock_ms,
                    "note": note, "deleted": False,
                })
                if kind == "goal" and related_player_id is not None:
                    rows.append({
                        "id": assist_id_for(main_id), "seq": seq + 1, "kind": "assist", "team": team,
                        "player_id": related_player_id, "related_player_id": player_id, "period": period,
                        "clock_ms": clock_ms, "note": None, "deleted": False,
                    })
                stamp = sql_ts(now)
                cur.executemany(
                    "INSERT INTO match_event (id, seq, match_id, kind, team, player_id, related_player_id, "
                    "period, clock_ms, note, logged_at, updated_at, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)",
                    [
                        (r["id"], r["seq"], match_id, r["kind"], r["team"], r["player_id"], r["related_player_id"],
                         r["period"], r["clock_ms"], r["note"], stamp, stamp)
                        for r in rows
                    ],
                )
                for r in rows:
                    enqueue(s, "event", r["id"])
        except (IntegrityError, sqlite3.IntegrityError) as exc:
            raise ValidationError(f"unknown match or player ({getattr(exc, 'orig', exc)})") from exc
        ids = tuple(r["id"] for r in rows)
        kinds = tuple(r["kind"] for r in rows)
        after = {r["id"]: {name: r[name] for name in EVENT_FIELDS} for r in rows}
        before = {i: {**snap, "deleted": True} for i, snap in after.items()}
        self._push(_Action(f"{kind.replace('_', ' ')} logged", match_id, before, after, kinds))
        return Change("log", match_ids=(match_id,), event_ids=ids, kinds=kinds,
                      player_ids=tuple(p for p in (player_id, related_player_id) if p),
                      description=f"{kind.replace('_', ' ').capitalize()} logged")

    def edit_event(self, event_id: str, **fields: Any) -> Change:
        """Change kind, team, player_id, related_player_id, period, clock_ms and/or note.

        Editing a goal keeps its automatic assist in step (created, moved or deleted).
        period_start/period_end events only take a new note.
        """
        unknown = set(fields) - EDITABLE_EVENT_FIELDS
        if unknown:
            raise ValidationError(f"cannot change event field(s): {', '.join(sorted(unknown))}")
        if "kind" in fields and fields["kind"] not in LOGGABLE_KINDS:
            raise ValidationError(f"cannot change an event into kind {fields['kind']!r}")
        if "team" in fields:
            _check_side(fields["team"])
        if "period" in fields:
            self._check_period(fields["period"])
        if "clock_ms" in fields and (not isinstance(fields["clock_ms"], int) or fields["clock_ms"] < 0):
            raise ValidationError("clock_ms must be an integer >= 0")
        if "note" in fields:
            fields["note"] = self._check_note(fields["note"])
        now = self._now()
        try:
            with self.db.write() as s:
                ev = self._event(s, event_id)
                if ev.deleted:
                    raise ValidationError("a deleted event cannot be edited; undo the deletion first")
                if ev.kind in PERIOD_KINDS and set(fields) - {"note"}:
                    raise ValidationError(f"{ev.kind} events take only a new note")
                before: dict[str, dict[str, Any]] = {ev.id: _snapshot(ev)}
                after_fields = {**before[ev.id], **fields}
                touched = [ev]
                self._apply(s, ev, after_fields, now)
                if ev.kind == "goal" or before[ev.id]["kind"] == "goal":
                    linked = self._sync_assist(s, ev, now, before)
                    if linked is not None:
                        touched.append(linked)
                after = {e.id: _snapshot(e) for e in touched}
        except IntegrityError as exc:
            raise ValidationError(f"unknown player ({exc.orig})") from exc
        kinds = tuple(sorted({before[ev.id]["kind"], *(e.kind for e in touched)}))
        self._push(_Action(f"{ev.kind.replace('_', ' ')} edited", ev.match_id, before, after, kinds))
        return Change("edit", match_ids=(ev.match_id,), event_ids=tuple(after), kinds=kinds,
                      description=f"{ev.kind.replace('_', ' ').capitalize()} edited")

    def delete_event(self, event_id: str) -> Change:
        """Soft-delete an event (a goal's automatic assist goes with it).

        period_start/period_end events cannot be deleted (the clock depends on them).
        """
        now = self._now()
        with self.db.write() as s:
            ev = self._event(s, event_id)
            if ev.deleted:
                raise ValidationError("the event is already deleted")
            if ev.kind in PERIOD_KINDS:
                raise ValidationError(f"{ev.kind} events cannot be deleted")
            targets = [ev]
            if ev.kind == "goal":
                assist = s.get(MatchEvent, assist_id_for(ev.id))
                if assist is not None and not assist.deleted:
                    targets.append(assist)
            before = {e.id: _snapshot(e) for e in targets}
            for e in targets:
                self._apply(s, e, {**before[e.id], "deleted": True}, now)
            after = {e.id: _snapshot(e) for e in targets}
        kinds = tuple(e.kind for e in targets)
        self._push(_Action(f"{ev.kind.replace('_', ' ')} deleted", ev.match_id, before, after, kinds))
        return Change("delete", match_ids=(ev.match_id,), event_ids=tuple(before), kinds=kinds,
                      description=f"{ev.kind.replace('_', ' ').capitalize()} deleted")

    def can_undo(self) -> bool:
        with self._lock:
            return bool(self._undo)

    def can_redo(self) -> bool:
        with self._lock:
            return bool(self._redo)

    def undo_label(self) -> str | None:
        """Short text of what ``undo`` would undo ("goal logged"), or None."""
        with self._lock:
            return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        """Short text of what ``redo`` would redo, or None."""
        with self._lock:
            return self._redo[-1].label if self._redo else None

    def undo(self) -> Change | None:
        """Undo this instance's last log/edit/delete (durable, outboxed). None when empty."""
        with self._lock:
            if not self._undo:
                return None
            action = self._undo[-1]
            self._restore(action.before)
            self._undo.pop()
            self._redo.append(action)
        return Change("undo", match_ids=(action.match_id,), event_ids=tuple(action.before), kinds=action.kinds,
                      description=f"Undo: {action.label}")

    def redo(self) -> Change | None:
        """Redo the last undone action. None when there is nothing to redo."""
        with self._lock:
            if not self._redo:
                return None
            action = self._redo[-1]
            self._restore(action.after)
            self._redo.pop()
            self._undo.append(action)
        return Change("redo", match_ids=(action.match_id,), event_ids=tuple(action.after), kinds=action.kinds,
                      description=f"Redo: {action.label}")

    # ----------------------------------------------------------------- reading
    def timeline(self, match_id: str, include_deleted: bool = False) -> list[TimelineEvent]:
        """Events in match order (period, clock, logging order), player names resolved."""
        with self.db.session() as s:
            match = self._match(s, match_id)
            # One indexed DBAPI query joining the names: no ORM objects for thousands of rows.
            cur = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
            rows = cur.execute(
                "SELECT e.id, e.seq, e.kind, e.team, e.player_id, p.name, e.related_player_id, r.name, e.period, "
                "e.clock_ms, e.note, e.logged_at, e.deleted FROM match_event e "
                "LEFT JOIN player p ON p.id = e.player_id LEFT JOIN player r ON r.id = e.related_player_id "
                "WHERE e.match_id = ?" + ("" if include_deleted else " AND e.deleted = 0"),
                (match_id,),
            ).fetchall()
        rows.sort(key=lambda r: (r[8], r[9], r[1] or 0))
        length = match.period_length_min
        return [
            TimelineEvent(
                id=r[0], seq=r[1] or 0, match_id=match_id, kind=r[2], team=r[3], player_id=r[4], player_name=r[5],
                related_player_id=r[6], related_player_name=r[7], period=r[8], clock_ms=r[9],
                minute=clk.minute_label(r[8], r[9], length), note=r[10],
                logged_at=datetime.fromisoformat(r[11]).replace(tzinfo=UTC), deleted=bool(r[12]),
            )
            for r in rows
        ]

    def score(self, match_id: str) -> tuple[int, int]:
        """(home, away): a goal counts for its team, an own_goal for the other team."""
        with self.db.session() as s:
            self._match(s, match_id)
            rows = s.exec(
                select(MatchEvent.kind, MatchEvent.team).where(
                    MatchEvent.match_id == match_id,
                    col(MatchEvent.deleted).is_(False),
                    col(MatchEvent.kind).in_(("goal", "own_goal")),
                )
            ).all()
        return score_of((k, t) for k, t in rows)

    def minutes_played(self, match_id: str, now: datetime | None = None) -> dict[str, int]:
        """Minutes on the pitch per player id: starters from kick-off, substitutes from
        their substitution, until substituted off, sent off (red card) or the end.

        Counts the periods played so far (a live period up to ``now``). Unused bench
        players get 0. Rounded to the nearest minute.
        """
        at = _check_aware(now, "now") if now is not None else self._now()
        with self.db.session() as s:
            match = self._match(s, match_id)
            state = self._clock(s, match, at)
            lineup = s.exec(select(LineupEntry).where(LineupEntry.match_id == match_id)).all()
            events = s.exec(
                select(MatchEvent).where(MatchEvent.match_id == match_id, col(MatchEvent.deleted).is_(False))
            ).all()
        return {pid: round(ms / clk.MINUTE_MS) for pid, ms in _minutes_ms(state, lineup, events).items()}

    def player_stats(self, match_id: str) -> list[PlayerStats]:
        """Per-player counts and minutes for one match (lineup players and anyone with events),
        ordered by team then shirt number."""
        now = self._now()
        with self.db.session() as s:
            match = self._match(s, match_id)
            return self._player_stats(s, match, now)

    def season_stats(self, team_id: str) -> list[PlayerStats]:
        """Per-player totals of ``team_id``'s players over every (not deleted) match of that team."""
        now = self._now()
        totals: dict[str, PlayerStats] = {}
        with self.db.session() as s:
            matches = s.exec(select(Match).where(Match.team_id == team_id, col(Match.deleted).is_(False))).all()
            for match in matches:
                for st in self._player_stats(s, match, now):
                    if st.team_id != team_id:
                        continue
                    total = totals.setdefault(
                        st.player_id, PlayerStats(st.player_id, st.name, st.team_id, st.shirt_number, st.position)
                    )
                    for name in (*STAT_OF_KIND.values(), "minutes", "matches", "starts"):
                        setattr(total, name, getattr(total, name) + getattr(st, name))
            for p in s.exec(select(Player).where(Player.team_id == team_id, col(Player.deleted).is_(False))).all():
                totals.setdefault(p.id, PlayerStats(p.id, p.name, p.team_id, p.shirt_number, p.position))
        return sorted(totals.values(), key=lambda t: (t.shirt_number is None, t.shirt_number or 0, t.name.lower()))

    # ----------------------------------------------------------------- internals
    def _player_stats(self, s: Session, match: Match, now: datetime) -> list[PlayerStats]:
        state = self._clock(s, match, now)
        lineup = s.exec(select(LineupEntry).where(LineupEntry.match_id == match.id)).all()
        events = s.exec(
            select(MatchEvent).where(MatchEvent.match_id == match.id, col(MatchEvent.deleted).is_(False))
        ).all()
        minutes = _minutes_ms(state, lineup, events)
        ids = {e.player_id for e in lineup} | {e.player_id for e in events if e.player_id}
        ids |= {e.related_player_id for e in events if e.related_player_id and e.kind == "substitution"}
        players = {p.id: p for p in s.exec(select(Player).where(col(Player.id).in_(ids))).all()} if ids else {}
        shirts = {e.player_id: e.shirt_number for e in lineup}
        starters = {e.player_id for e in lineup if e.starting}
        stats: dict[str, PlayerStats] = {}
        for pid in ids:
            p = players.get(pid)
            if p is None:
                continue
            number = shirts.get(pid)
            stats[pid] = PlayerStats(
                pid, p.name, p.team_id, number if number is not None else p.shirt_number, p.position,
                minutes=round(minutes.get(pid, 0) / clk.MINUTE_MS), starts=int(pid in starters),
            )
        for e in events:
            attr = STAT_OF_KIND.get(e.kind)
            if attr and e.player_id in stats:
                st = stats[e.player_id]
                setattr(st, attr, getattr(st, attr) + 1)
        for st in stats.values():
            st.matches = int(
                st.minutes > 0 or st.starts > 0 or any(getattr(st, a) for a in STAT_OF_KIND.values())
                or minutes.get(st.player_id, 0) > 0
            )
        return sorted(
            stats.values(), key=lambda t: (t.team_id or "", t.shirt_number is None, t.shirt_number or 0, t.name)
        )

    def _push(self, action: _Action) -> None:
        with self._lock:
            self._undo.append(action)
            del self._undo[:-200]
            self._redo.clear()

    def _restore(self, snapshots: dict[str, dict[str, Any]]) -> None:
        now = self._now()
        with self.db.write() as s:
            for event_id, fields in snapshots.items():
                ev = s.get(MatchEvent, event_id)
                if ev is None:
                    raise NotFound(f"event {event_id} not found")
                self._apply(s, ev, fields, now)

    def _apply(self, s: Session, ev: MatchEvent, fields: dict[str, Any], now: datetime) -> None:
        """Set ``fields`` on ``ev`` and queue it for sync (delete when it becomes deleted)."""
        was_deleted = ev.deleted
        changed = False
        for key, value in fields.items():
            if getattr(ev, key) != value:
                setattr(ev, key, value)
                changed = True
        if not changed:
            return
        ev.updated_at = now
        s.add(ev)
        if ev.deleted and not was_deleted:
            enqueue(s, "event", ev.id, "delete")
        else:
            self._enqueue_upsert(s, "event", ev.id)

    @staticmethod
    def _enqueue_upsert(s: Session, entity: str, entity_id: str) -> None:
        """enqueue an upsert; if a pending delete of the record is newer than the pending
        upsert the collapse rule found, queue a fresh upsert so the restore is not lost."""
        enqueue(s, entity, entity_id, "upsert")
        s.flush()
        last = s.exec(
            select(OutboxEntry.op)
            .where(OutboxEntry.entity == entity, OutboxEntry.entity_id == entity_id, OutboxEntry.status == "pending")
            .order_by(col(OutboxEntry.seq).desc())
        ).first()
        if last == "delete":
            s.add(OutboxEntry(provider="team", entity=entity, entity_id=entity_id, op="upsert"))

    def _sync_assist(
        self, s: Session, goal: MatchEvent, now: datetime, before: dict[str, dict[str, Any]]
    ) -> MatchEvent | None:
        """Keep the automatic assist of ``goal`` in step with it; returns it when it exists."""
        assist_id = assist_id_for(goal.id)
        assist = s.get(MatchEvent, assist_id)
        want = goal.kind == "goal" and goal.related_player_id is not None and not goal.deleted
        if assist is None:
            if not want:
                return None
            assist = self._new_event(
                s, goal.match_id, "assist", goal.team, goal.period, goal.clock_ms, now,
                goal.related_player_id, goal.player_id, None, event_id=assist_id,
            )
            before[assist.id] = {**_snapshot(assist), "deleted": True}
            return assist
        before[assist.id] = _snapshot(assist)
        if want:
            fields = {
                "kind": "assist", "team": goal.team, "player_id": goal.related_player_id,
                "related_player_id": goal.player_id, "period": goal.period, "clock_ms": goal.clock_ms,
                "deleted": False,
            }
        else:
            fields = {"deleted": True}
        self._apply(s, assist, fields, now)
        return assist

    def _new_event(
        self,
        s: Session,
        match_id: str,
        kind: str,
        team: str,
        period: int,
        clock_ms: int,
        now: datetime,
        player_id: str | None = None,
        related_player_id: str | None = None,
        note: str | None = None,
        *,
        event_id: str | None = None,
        seq: int | None = None,
    ) -> MatchEvent:
        if seq is None:
            last: int | None = s.exec(select(func.max(MatchEvent.seq))).one()
            seq = (last or 0) + 1
        ev = MatchEvent(
            id=event_id or str(uuid.uuid4()), seq=seq, match_id=match_id, kind=kind, team=team,
            player_id=player_id, related_player_id=related_player_id, period=period, clock_ms=clock_ms,
            note=note, logged_at=now, updated_at=now,
        )
        s.add(ev)
        enqueue(s, "event", ev.id)
        return ev

    def _mark(self, match_id: str, action: str, *, need: str, description: str) -> Change:
        now = self._now()
        with self.db.write() as s:
            match = self._match(s, match_id)
            state = self._clock(s, match, now)
            if state.status != need:
                raise ValidationError(
                    "the clock is not running" if need == "live" else "the clock is not paused"
                )
            s.add(ClockMark(match_id=match_id, action=action, period=state.period, at=now))
        return Change("clock", match_ids=(match_id,), description=description)

    def _fast_clock(self, cur: sqlite3.Cursor, match_id: str, now: datetime) -> ClockState:
        """The clock read with two indexed DBAPI queries (the logging hot path)."""
        row = cur.execute(
            "SELECT current_period, status, period_count, period_length_min, deleted FROM match WHERE id = ?",
            (match_id,),
        ).fetchone()
        if row is None or row[4]:
            raise NotFound(f"match {match_id} not found")
        marks = sorted(
            (
                clk.Mark(a, p, datetime.fromisoformat(t).replace(tzinfo=UTC))
                for a, p, t in cur.execute("SELECT action, period, at FROM clock_mark WHERE match_id = ?", (match_id,))
            ),
            key=lambda m: m.at,
        )
        if not marks and row[0] > 0:
            with self.db.session() as s:
                return self._clock(s, self._match(s, match_id), now)
        return clk.clock_state(
            current_period=row[0], match_status=row[1], period_count=row[2], period_length_min=row[3],
            marks=marks, now=now,
        )

    def _clock(self, s: Session, match: Match, now: datetime) -> ClockState:
        rows = s.exec(
            select(ClockMark.action, ClockMark.period, ClockMark.at).where(ClockMark.match_id == match.id)
        ).all()
        marks = sorted((clk.Mark(a, p, t) for a, p, t in rows), key=lambda m: m.at)
        if not marks and match.current_period > 0:
            marks = self._marks_from_events(s, match)
        return clk.clock_state(
            current_period=match.current_period, match_status=match.status, period_count=match.period_count,
            period_length_min=match.period_length_min, marks=marks, now=now,
        )

    @staticmethod
    def _marks_from_events(s: Session, match: Match) -> list[clk.Mark]:
        """Clock marks rebuilt from period_start/period_end events (an imported match)."""
        rows = s.exec(
            select(MatchEvent).where(
                MatchEvent.match_id == match.id,
                col(MatchEvent.kind).in_(PERIOD_KINDS),
                col(MatchEvent.deleted).is_(False),
            )
        ).all()
        marks: list[clk.Mark] = []
        ends = {e.period: e for e in rows if e.kind == "period_end"}
        starts = {e.period: e for e in rows if e.kind == "period_start"}
        for period in sorted(set(ends) | set(starts)):
            if period in ends:
                end = ends[period]
                marks.append(clk.Mark("start", period, end.logged_at - timedelta(milliseconds=end.clock_ms)))
                marks.append(clk.Mark("end", period, end.logged_at))
            else:
                marks.append(clk.Mark("start", period, starts[period].logged_at))
        return sorted(marks, key=lambda m: m.at)

    @staticmethod
    def _match(s: Session, match_id: str) -> Match:
        match = s.get(Match, match_id)
        if match is None or match.deleted:
            raise NotFound(f"match {match_id} not found")
        return match

    @staticmethod
    def _event(s: Session, event_id: str) -> MatchEvent:
        ev = s.get(MatchEvent, event_id)
        if ev is None:
            raise NotFound(f"event {event_id} not found")
        return ev

    @staticmethod
    def _clean_name(name: str, what: str) -> str:
        cleaned = (name or "").strip()
        if not cleaned or len(cleaned) > 120:
            raise ValidationError(f"{what} must be 1 to 120 characters")
        return cleaned

    @staticmethod
    def _check_shirt(number: int | None) -> int | None:
        if number is not None and (not isinstance(number, int) or not 0 <= number <= 99):
            raise ValidationError(f"shirt number must be 0..99, not {number!r}")
        return number

    @staticmethod
    def _check_position(position: str | None) -> str | None:
        if position in (None, ""):
            return None
        if position not in POSITIONS:
            raise ValidationError(f"position must be one of {', '.join(POSITIONS)}, not {position!r}")
        return position

    @staticmethod
    def _check_note(note: str | None) -> str | None:
        if note is None:
            return None
        note = note.strip()
        if len(note) > 500:
            raise ValidationError("a note has at most 500 characters")
        return note or None

    @staticmethod
    def _check_period(period: int) -> None:
        if not isinstance(period, int) or not 1 <= period <= MAX_PERIODS:
            raise ValidationError(f"period must be 1..{MAX_PERIODS}, not {period!r}")

    @staticmethod
    def _check_periods(period_count: int, period_length_min: int) -> None:
        if not 1 <= period_count <= MAX_PERIODS:
            raise ValidationError(f"period count must be 1..{MAX_PERIODS}")
        if not 1 <= period_length_min <= 60:
            raise ValidationError("period length must be 1..60 minutes")


def sql_ts(value: datetime) -> str:
    """A UTC datetime in the text form SQLAlchemy's DateTime stores in SQLite."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _minutes_ms(state: ClockState, lineup: Sequence[LineupEntry], events: Sequence[MatchEvent]) -> dict[str, int]:
    """Milliseconds on the pitch per player (see ``MatchService.minutes_played``)."""
    durations: dict[int, int] = {}
    for e in events:
        if e.kind == "period_end":
            durations[e.period] = e.clock_ms
    for p in range(1, state.period + 1):
        if p not in durations:
            if p == state.period:
                durations[p] = state.elapsed_ms
            else:
                durations[p] = max((e.clock_ms for e in events if e.period == p), default=0)
    offsets: dict[int, int] = {}
    total = 0
    for p in sorted(durations):
        offsets[p] = total
        total += durations[p]

    def at(e: MatchEvent) -> int:
        return offsets.get(e.period, total) + min(e.clock_ms, durations.get(e.period, e.clock_ms))

    on_since: dict[str, int] = {e.player_id: 0 for e in lineup if e.starting}
    played: dict[str, int] = {e.player_id: 0 for e in lineup}
    for e in sorted(events, key=lambda e: (e.period, e.clock_ms, e.seq or 0)):
        if e.kind == "substitution":
            t = at(e)
            if e.player_id and e.player_id in on_since:
                played[e.player_id] = played.get(e.player_id, 0) + t - on_since.pop(e.player_id)
            if e.related_player_id and e.related_player_id not in on_since:
                on_since[e.related_player_id] = t
                played.setdefault(e.related_player_id, 0)
        elif e.kind == "red_card" and e.player_id in on_since:
            pid = e.player_id
            played[pid] = played.get(pid, 0) + at(e) - on_since.pop(pid)
    for pid, since in on_since.items():
        played[pid] = played.get(pid, 0) + max(0, total - since)
    return played
