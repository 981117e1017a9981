"""Event logging and correction: log (the pitch-side hot path), edit, delete. Each call is
one durable, outboxed transaction and pushes an undoable action (``app.match.undo``)."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import sqlite_cursor
from app.errors import ValidationError
from app.match.base import ServiceBase
from app.match.clock_store import fast_clock
from app.match.history import Action
from app.match.pitch import orient_substitution, read_pitch_status
from app.match.records import apply_fields, event_row, new_event, snapshot
from app.match.rules import (
    EDITABLE_EVENT_FIELDS,
    EVENT_FIELDS,
    LOGGABLE_KINDS,
    PERIOD_KINDS,
    SECOND_YELLOW,
    assist_id_for,
    check_fields,
    check_note,
    check_period,
    check_side,
)
from app.match.types import Change
from app.models.base import sql_ts
from app.models.match import MatchEvent
from app.outbox import enqueue

_INSERT_EVENT = (
    "INSERT INTO match_event (id, seq, match_id, kind, team, player_id, related_player_id, reason, "
    "period, clock_ms, note, logged_at, updated_at, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0)"
)


class EventOps(ServiceBase):
    """log_event, edit_event, delete_event."""

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
        event for that player (``change.event_ids[1]``). Substitution: of the two players,
        the one on the pitch goes off (``player_id``) and the other comes on, in whichever
        order they are given. A player's second yellow card also logs a ``red_card`` with
        reason ``second_yellow`` (``change.event_ids[1]``); one undo takes back both.
        ``period``/``clock_ms`` override the clock (both needed before kick-off).
        period_start/period_end come from the clock calls.
        """
        if kind not in LOGGABLE_KINDS:
            if kind in PERIOD_KINDS:
                raise ValidationError(f"{kind} is logged by the clock (start_period/end_period)")
            raise ValidationError(f"unknown event kind {kind!r}")
        check_side(team)
        note = check_note(note)
        if period is not None:
            check_period(period)
        if clock_ms is not None and clock_ms < 0:
            raise ValidationError("clock_ms must be >= 0")
        now = self._now()
        main_id = str(uuid.uuid4())
        rows: list[dict[str, Any]] = []
        try:
            with self.db.write() as s:
                # Hot path: plain DBAPI statements on the session's own connection (same
                # transaction); the ORM is only used by ``enqueue``.
                cur = sqlite_cursor(s)
                if period is None or clock_ms is None:
                    state = fast_clock(self.db, cur, match_id, now)
                    if state.period == 0:
                        raise ValidationError("the match has not kicked off: start the clock first")
                    if period is None:
                        period = state.period
                    if clock_ms is None:
                        clock_ms = state.elapsed_ms if period == state.period else 0
                if kind == "substitution":
                    player_id, related_player_id = orient_substitution(
                        read_pitch_status(cur, match_id), player_id, related_player_id
                    )
                last = cur.execute("SELECT max(seq) FROM match_event").fetchone()[0]
                seq = (last or 0) + 1
                rows.append(
                    {
                        "id": main_id,
                        "seq": seq,
                        "kind": kind,
                        "team": team,
                        "player_id": player_id,
                        "related_player_id": related_player_id,
                        "reason": None,
                        "period": period,
                        "clock_ms": clock_ms,
                        "note": note,
                        "deleted": False,
                    }
                )
                if kind == "goal" and related_player_id is not None:
                    rows.append(
                        {
                            "id": assist_id_for(main_id),
                            "seq": seq + 1,
                            "kind": "assist",
                            "team": team,
                            "player_id": related_player_id,
                            "related_player_id": player_id,
                            "reason": None,
                            "period": period,
                            "clock_ms": clock_ms,
                            "note": None,
                            "deleted": False,
                        }
                    )
                if kind == "yellow_card" and player_id is not None and _booked(cur, match_id, player_id):
                    rows.append(
                        {
                            "id": str(uuid.uuid4()),
                            "seq": seq + 1,
                            "kind": "red_card",
                            "team": team,
                            "player_id": player_id,
                            "related_player_id": None,
                            "reason": SECOND_YELLOW,
                            "period": period,
                            "clock_ms": clock_ms,
                            "note": None,
                            "deleted": False,
                        }
                    )
                stamp = sql_ts(now)
                cur.executemany(
                    _INSERT_EVENT,
                    [
                        (
                            r["id"],
                            r["seq"],
                            match_id,
                            r["kind"],
                            r["team"],
                            r["player_id"],
                            r["related_player_id"],
                            r["reason"],
                            r["period"],
                            r["clock_ms"],
                            r["note"],
                            stamp,
                            stamp,
                        )
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
        what = "second yellow and red card" if "red_card" in kinds and kind == "yellow_card" else kind.replace("_", " ")
        self._history.push(Action(what, match_id, before, after, kinds))
        return Change(
            "log",
            match_ids=(match_id,),
            event_ids=ids,
            kinds=kinds,
            player_ids=tuple(p for p in (player_id, related_player_id) if p),
            description=f"{what.capitalize()} logged",
        )

    def edit_event(self, event_id: str, **fields: Any) -> Change:
        """Change kind, team, player_id, related_player_id, period, clock_ms and/or note.

        Editing a goal keeps its automatic assist in step (created, moved or deleted).
        period_start/period_end events only take a new note.
        """
        check_fields(fields, EDITABLE_EVENT_FIELDS, "event")
        if "kind" in fields and fields["kind"] not in LOGGABLE_KINDS:
            raise ValidationError(f"cannot change an event into kind {fields['kind']!r}")
        if "team" in fields:
            check_side(fields["team"])
        if "period" in fields:
            check_period(fields["period"])
        if "clock_ms" in fields and (not isinstance(fields["clock_ms"], int) or fields["clock_ms"] < 0):
            raise ValidationError("clock_ms must be an integer >= 0")
        if "note" in fields:
            fields["note"] = check_note(fields["note"])
        now = self._now()
        try:
            with self.db.write() as s:
                ev = event_row(s, event_id)
                if ev.deleted:
                    raise ValidationError("a deleted event cannot be edited; undo the deletion first")
                if ev.kind in PERIOD_KINDS and set(fields) - {"note"}:
                    raise ValidationError(f"{ev.kind} events take only a new note")
                before: dict[str, dict[str, Any]] = {ev.id: snapshot(ev)}
                after_fields = {**before[ev.id], **fields}
                touched = [ev]
                apply_fields(s, ev, after_fields, now)
                if ev.kind == "goal" or before[ev.id]["kind"] == "goal":
                    linked = _sync_assist(s, ev, now, before)
                    if linked is not None:
                        touched.append(linked)
                after = {e.id: snapshot(e) for e in touched}
        except IntegrityError as exc:
            raise ValidationError(f"unknown player ({exc.orig})") from exc
        kinds = tuple(sorted({before[ev.id]["kind"], *(e.kind for e in touched)}))
        what = ev.kind.replace("_", " ")
        self._history.push(Action(f"{what} edit", ev.match_id, before, after, kinds))
        return Change(
            "edit",
            match_ids=(ev.match_id,),
            event_ids=tuple(after),
            kinds=kinds,
            description=f"{what.capitalize()} edited",
        )

    def delete_event(self, event_id: str) -> Change:
        """Soft-delete an event (a goal's automatic assist goes with it).

        period_start/period_end events cannot be deleted (the clock depends on them).
        """
        now = self._now()
        with self.db.write() as s:
            ev = event_row(s, event_id)
            if ev.deleted:
                raise ValidationError("the event is already deleted")
            if ev.kind in PERIOD_KINDS:
                raise ValidationError(f"{ev.kind} events cannot be deleted")
            targets = [ev]
            if ev.kind == "goal":
                assist = s.get(MatchEvent, assist_id_for(ev.id))
                if assist is not None and not assist.deleted:
                    targets.append(assist)
            before = {e.id: snapshot(e) for e in targets}
            for e in targets:
                apply_fields(s, e, {**before[e.id], "deleted": True}, now)
            after = {e.id: snapshot(e) for e in targets}
        kinds = tuple(e.kind for e in targets)
        what = ev.kind.replace("_", " ")
        self._history.push(Action(f"{what} deletion", ev.match_id, before, after, kinds))
        return Change(
            "delete",
            match_ids=(ev.match_id,),
            event_ids=tuple(before),
            kinds=kinds,
            description=f"{what.capitalize()} deleted",
        )


def _booked(cur: sqlite3.Cursor, match_id: str, player_id: str) -> bool:
    """The player already has a yellow card in this match and has not been sent off."""
    yellows, reds = cur.execute(
        "SELECT count(*) FILTER (WHERE kind = 'yellow_card'), count(*) FILTER (WHERE kind = 'red_card') "
        "FROM match_event WHERE match_id = ? AND player_id = ? AND deleted = 0",
        (match_id, player_id),
    ).fetchone()
    return bool(yellows) and not reds


def _sync_assist(s: Session, goal: MatchEvent, now: datetime, before: dict[str, dict[str, Any]]) -> MatchEvent | None:
    """Keep the automatic assist of ``goal`` in step with it; returns it when it exists."""
    assist_id = assist_id_for(goal.id)
    assist = s.get(MatchEvent, assist_id)
    want = goal.kind == "goal" and goal.related_player_id is not None and not goal.deleted
    if assist is None:
        if not want:
            return None
        assist = new_event(
            s,
            goal.match_id,
            "assist",
            goal.team,
            goal.period,
            goal.clock_ms,
            now,
            goal.related_player_id,
            goal.player_id,
            None,
            event_id=assist_id,
        )
        before[assist.id] = {**snapshot(assist), "deleted": True}
        return assist
    before[assist.id] = snapshot(assist)
    if want:
        fields = {
            "kind": "assist",
            "team": goal.team,
            "player_id": goal.related_player_id,
            "related_player_id": goal.player_id,
            "period": goal.period,
            "clock_ms": goal.clock_ms,
            "deleted": False,
        }
    else:
        fields = {"deleted": True}
    apply_fields(s, assist, fields, now)
    return assist
