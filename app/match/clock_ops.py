"""The clock actions: kick off a period, pause, resume, end it, and read the clock.

The clock is derived from stored ``ClockMark`` rows and period events (``app.match.clock_store``),
never from a running timer. Clock actions are not undoable.
"""

from __future__ import annotations

from datetime import datetime

from app.errors import ValidationError
from app.match import clock_flow as flow
from app.match.base import ServiceBase
from app.match.clock_store import clock_of
from app.match.records import match_row, new_event
from app.match.rules import LAST_PLAYED_PERIOD, SHOOTOUT_PERIOD, is_extra_time
from app.match.types import Change, ClockState
from app.models.match import ClockMark
from app.outbox import enqueue


class ClockOps(ServiceBase):
    """start_period, pause, resume, end_period, clock_state."""

    def start_period(self, match_id: str, *, shootout: bool = False) -> Change:
        """Kick off the next period: the regular ones (``period_count``), then extra time up to
        period 4, then the penalty shoot-out (period 5). ``shootout=True`` goes straight from
        the end of the regular periods (or of extra time) to the shoot-out. Starting extra time
        or the shoot-out after full time makes a finished match live again. Logs ``period_start``."""
        now = self._now()
        with self.db.write() as s:
            match = match_row(s, match_id)
            state = clock_of(s, match, now)
            if state.period > 0 and state.status in ("live", "paused"):
                raise ValidationError(f"period {state.period} is still running; end it first")
            period = SHOOTOUT_PERIOD if shootout else match.current_period + 1
            if period > SHOOTOUT_PERIOD or match.current_period >= SHOOTOUT_PERIOD:
                raise ValidationError("the penalty shoot-out was the last period")
            if (shootout or period > LAST_PLAYED_PERIOD or is_extra_time(period, match.period_count)) and (
                match.current_period < match.period_count
            ):
                raise ValidationError("extra time and the shoot-out come after the regular periods")
            s.add(ClockMark(match_id=match_id, action="start", period=period, at=now))
            event = new_event(s, match_id, "period_start", match.our_side, period, 0, now)
            match.current_period = period
            match.status = "live"
            match.updated_at = now
            s.add(match)
            enqueue(s, "match", match_id)
        return Change(
            "clock",
            match_ids=(match_id,),
            event_ids=(event.id,),
            kinds=("period_start",),
            description=f"Period {period} started",
        )

    def clock_step(self, match_id: str, action: str) -> Change:
        """Run one action of ``app.match.clock_flow`` (start, pause, resume, extra_time,
        shootout), checked against the state the clock is in now."""
        state = self.clock_state(match_id)
        allowed = {flow.primary_action(state), *flow.cup_actions(state)} - {flow.SUMMARY, None}
        if action not in allowed:
            raise ValidationError(f"the clock cannot {action.replace('_', ' ')} now ({state.status})")
        if action == flow.PAUSE:
            return self.pause(match_id)
        if action == flow.RESUME:
            return self.resume(match_id)
        return self.start_period(match_id, shootout=action == flow.SHOOTOUT)

    def pause(self, match_id: str) -> Change:
        """Stop the clock inside a running period (injury, water break)."""
        return self._mark(match_id, "pause", need="live", description="Clock paused")

    def resume(self, match_id: str) -> Change:
        """Restart a paused clock."""
        return self._mark(match_id, "resume", need="paused", description="Clock resumed")

    def end_period(self, match_id: str) -> Change:
        """End the running (or paused) period; logs ``period_end`` at the period's clock.

        After the last regular period (``period_count``), and after every period of extra time
        or the shoot-out, the match is ``finished`` (a cup match may then go on: ``start_period``).
        """
        now = self._now()
        with self.db.write() as s:
            match = match_row(s, match_id)
            state = clock_of(s, match, now)
            if state.status not in ("live", "paused"):
                raise ValidationError("no period is running")
            s.add(ClockMark(match_id=match_id, action="end", period=state.period, at=now))
            event = new_event(s, match_id, "period_end", match.our_side, state.period, state.elapsed_ms, now)
            match.status = "finished" if state.period >= match.period_count else "live"
            match.updated_at = now
            s.add(match)
            enqueue(s, "match", match_id)
        return Change(
            "clock",
            match_ids=(match_id,),
            event_ids=(event.id,),
            kinds=("period_end",),
            description=f"Period {state.period} ended",
        )

    def clock_state(self, match_id: str, now: datetime | None = None) -> ClockState:
        """The clock at ``now`` (default: the injected clock)."""
        at = self._at(now)
        with self.db.session() as s:
            return clock_of(s, match_row(s, match_id), at)

    def _mark(self, match_id: str, action: str, *, need: str, description: str) -> Change:
        now = self._now()
        with self.db.write() as s:
            match = match_row(s, match_id)
            state = clock_of(s, match, now)
            if state.status != need:
                raise ValidationError("the clock is not running" if need == "live" else "the clock is not paused")
            s.add(ClockMark(match_id=match_id, action=action, period=state.period, at=now))
        return Change("clock", match_ids=(match_id,), description=description)
