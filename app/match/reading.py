"""Reading a match: timeline, score, minutes played, per-player stats of a match and a season."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.db import sqlite_cursor
from app.match import clock as clk
from app.match.base import ServiceBase
from app.match.clock_store import clock_of
from app.match.minutes import TIMING_KINDS, minutes_played
from app.match.pitch import read_pitch_status
from app.match.records import match_row
from app.match.rules import STAT_OF_KIND, event_side, score_of, score_with_shootout
from app.match.types import ClockState, PlayerStats, Score, TimelineEvent
from app.models.match import LineupEntry, Match, MatchEvent, Player

_TIMELINE_SQL = (
    "SELECT e.id, e.seq, e.kind, e.team, e.player_id, p.name, e.related_player_id, r.name, e.period, "
    "e.clock_ms, e.note, e.logged_at, e.deleted, e.reason FROM match_event e "
    "LEFT JOIN player p ON p.id = e.player_id LEFT JOIN player r ON r.id = e.related_player_id "
    "WHERE e.match_id = ?"
)


class ReadingOps(ServiceBase):
    """timeline, score, minutes_played, player_stats, season_stats."""

    def timeline(self, match_id: str, include_deleted: bool = False) -> list[TimelineEvent]:
        """Events in match order (period, clock, logging order), player names resolved."""
        with self.db.session() as s:
            match = match_row(s, match_id)
            # One indexed DBAPI query joining the names: no ORM objects for thousands of rows.
            cur = sqlite_cursor(s)
            rows = cur.execute(
                _TIMELINE_SQL + ("" if include_deleted else " AND e.deleted = 0"), (match_id,)
            ).fetchall()
        rows.sort(key=lambda r: (r[8], r[9], r[1] or 0))
        label = clk.minute_labeler(match.period_length_min, match.period_count, match.extra_time_length_min)
        return [
            TimelineEvent(
                id=r[0],
                seq=r[1] or 0,
                match_id=match_id,
                kind=r[2],
                team=event_side(r[2], r[3]),
                player_id=r[4],
                player_name=r[5],
                related_player_id=r[6],
                related_player_name=r[7],
                period=r[8],
                clock_ms=r[9],
                minute=label(r[8], r[9]),
                note=r[10],
                logged_at=datetime.fromisoformat(r[11]).replace(tzinfo=UTC),
                deleted=bool(r[12]),
                reason=r[13],
            )
            for r in rows
        ]

    def score(self, match_id: str) -> tuple[int, int]:
        """(home, away): a goal counts for its team, an own_goal for the other team."""
        with self.db.session() as s:
            match_row(s, match_id)
            rows = s.exec(
                select(MatchEvent.kind, MatchEvent.team).where(
                    MatchEvent.match_id == match_id,
                    col(MatchEvent.deleted).is_(False),
                    col(MatchEvent.kind).in_(("goal", "own_goal")),
                )
            ).all()
        return score_of((k, t) for k, t in rows)

    def match_score(self, match_id: str) -> Score:
        """The score with the shoot-out's (``Score``)."""
        with self.db.session() as s:
            match = match_row(s, match_id)
            rows = s.exec(
                select(MatchEvent.kind, MatchEvent.team).where(
                    MatchEvent.match_id == match_id,
                    col(MatchEvent.deleted).is_(False),
                    col(MatchEvent.kind).in_(("goal", "own_goal", "shootout_goal")),
                )
            ).all()
        return score_with_shootout(match.current_period, [(k, t) for k, t in rows])

    def pitch_status(self, match_id: str) -> dict[str, str]:
        """Per lineup player: on | bench | subbed_off | sent_off (``app.match.pitch``)."""
        with self.db.session() as s:
            match_row(s, match_id)
            return read_pitch_status(sqlite_cursor(s), match_id)

    def minutes_played(self, match_id: str, now: datetime | None = None) -> dict[str, int]:
        """Minutes on the pitch per player id: starters from kick-off, substitutes from
        their substitution, until substituted off, sent off (red card) or the end.

        Counts the periods played so far (a live period up to ``now``). Unused bench
        players get 0. Rounded to the nearest minute.
        """
        at = self._at(now)
        with self.db.session() as s:
            _lineup, _events, minutes = _on_pitch(s, match_row(s, match_id), at)
        return {pid: round(ms / clk.MINUTE_MS) for pid, ms in minutes.items()}

    def player_stats(self, match_id: str) -> list[PlayerStats]:
        """Per-player counts and minutes for one match (lineup players and anyone with events),
        ordered by team then shirt number."""
        now = self._now()
        with self.db.session() as s:
            return _player_stats(s, match_row(s, match_id), now)

    def season_stats(self, team_id: str) -> list[PlayerStats]:
        """Per-player totals of ``team_id``'s players over every (not deleted) match of that team."""
        now = self._now()
        totals: dict[str, PlayerStats] = {}
        with self.db.session() as s:
            matches = s.exec(select(Match).where(Match.team_id == team_id, col(Match.deleted).is_(False))).all()
            for match in matches:
                for st in _player_stats(s, match, now):
                    if st.team_id != team_id:
                        continue
                    total = totals.setdefault(
                        st.player_id, PlayerStats(st.player_id, st.name, st.team_id, st.shirt_number, st.position)
                    )
                    for name in (*STAT_OF_KIND.values(), "minutes", "minutes_ms", "matches", "starts"):
                        setattr(total, name, getattr(total, name) + getattr(st, name))
            for p in s.exec(select(Player).where(Player.team_id == team_id, col(Player.deleted).is_(False))).all():
                totals.setdefault(p.id, PlayerStats(p.id, p.name, p.team_id, p.shirt_number, p.position))
        return sorted(totals.values(), key=lambda t: (t.shirt_number is None, t.shirt_number or 0, t.name.lower()))


def _on_pitch(
    s: Session, match: Match, now: datetime
) -> tuple[Sequence[LineupEntry], Sequence[MatchEvent], dict[str, int]]:
    """The lineup and live events of ``match``, and the milliseconds each player has played by ``now``."""
    state = clock_of(s, match, now)
    lineup = s.exec(select(LineupEntry).where(LineupEntry.match_id == match.id)).all()
    events = s.exec(select(MatchEvent).where(MatchEvent.match_id == match.id, col(MatchEvent.deleted).is_(False))).all()
    return lineup, events, minutes_of(match, state, lineup, events)


def minutes_of(
    match: Match, state: ClockState, lineup: Sequence[LineupEntry], events: Sequence[MatchEvent]
) -> dict[str, int]:
    """Milliseconds on the pitch per lineup player (0 for the unused bench): the reference
    rules (``app.match.minutes``) with the live period up to the clock."""
    timing = [
        (e.kind, e.period, e.clock_ms, e.player_id, e.related_player_id)
        for e in sorted(events, key=lambda e: e.seq or 0)
        if e.kind in TIMING_KINDS
    ]
    played, _appeared = minutes_played(
        [e.player_id for e in lineup if e.starting],
        timing,
        status=match.status,
        current_period=match.current_period,
        period_count=match.period_count,
        period_length_min=match.period_length_min,
        extra_time_length_min=match.extra_time_length_min,
        live_elapsed_ms=state.elapsed_ms if state.status in ("live", "paused") else None,
    )
    return {**{e.player_id: 0 for e in lineup}, **played}


def _player_stats(s: Session, match: Match, now: datetime) -> list[PlayerStats]:
    lineup, events, minutes = _on_pitch(s, match, now)
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
            pid,
            p.name,
            p.team_id,
            number if number is not None else p.shirt_number,
            p.position,
            minutes=round(minutes.get(pid, 0) / clk.MINUTE_MS),
            minutes_ms=minutes.get(pid, 0),
            starts=int(pid in starters),
        )
    for e in events:
        attr = STAT_OF_KIND.get(e.kind)
        if attr and e.player_id in stats:
            st = stats[e.player_id]
            setattr(st, attr, getattr(st, attr) + 1)
    for st in stats.values():
        st.matches = int(
            st.minutes > 0
            or st.starts > 0
            or any(getattr(st, a) for a in STAT_OF_KIND.values())
            or minutes.get(st.player_id, 0) > 0
        )
    return sorted(stats.values(), key=lambda t: (t.team_id or "", t.shirt_number is None, t.shirt_number or 0, t.name))
