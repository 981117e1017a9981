"""Match statistics from the event log: results, the per-player season table, top performers.

Facts (team server model):
- Score: a ``goal`` counts for its ``team``; an ``own_goal`` counts for the other team.
- ``substitution``: ``player_id`` goes off, ``related_player_id`` comes on. A ``red_card``
  sends ``player_id`` off for the rest of the match.
- Minutes: starters (lineup ``starting``) are on from the start of period 1. A period runs
  from its ``period_start`` event (``clock_ms`` from the period's kick-off; 0 when absent) to
  its ``period_end`` event; without one, a period that is over lasts the regulation length
  (or up to its last event, if later) and the period being played lasts up to its last event.
- Assists: a goal's ``related_player_id`` is the assist provider; a separate ``assist`` event
  counts too, unless it repeats a goal's assist (same match and period, within 60 s).
- Appearances: started, or came on, in a match that has begun. Cards = yellow + red.
Soft-deleted matches and events never count.
The minutes rules are computed in ``app.stats.minutes``; the statements and reads are in
``app.stats.match_queries``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.stats._sql import Source, connect, fetch_all
from app.stats.match_queries import Codes, match_arrays, results_queries, table_queries
from app.stats.minutes import minutes_arrays
from app.stats.periods import Period


@dataclass(frozen=True)
class MatchResult:
    match_id: str
    kickoff: float  # UNIX seconds
    home_team: str
    away_team: str
    our_side: str
    status: str
    home_goals: int
    away_goals: int

    @property
    def outcome(self) -> str:
        """W, D or L from our side's point of view; empty until the match has begun."""
        if self.status == "scheduled":
            return ""
        ours, theirs = (
            (self.home_goals, self.away_goals) if self.our_side == "home" else (self.away_goals, self.home_goals)
        )
        return "W" if ours > theirs else "L" if ours < theirs else "D"


@dataclass(frozen=True)
class PlayerLine:
    player_id: str
    name: str
    team: str
    appearances: int
    minutes: int
    goals: int
    assists: int
    saves: int
    tackles: int
    yellow_cards: int
    red_cards: int

    @property
    def cards(self) -> int:
        return self.yellow_cards + self.red_cards


@dataclass(frozen=True)
class Performer:
    category: str
    player_id: str
    name: str
    value: int


def match_results(source: Source, period: Period) -> list[MatchResult]:
    """Matches kicking off in ``period``, newest first, with the score from their events."""
    matches_query, goals_query = results_queries(period)
    with connect(source) as conn:
        matches = fetch_all(conn, matches_query)
        goals = fetch_all(conn, goals_query)
    score = {str(m): (int(h), int(a)) for m, h, a in goals}
    return [
        MatchResult(str(i), float(k), str(h), str(a), str(side), str(status), *score.get(str(i), (0, 0)))
        for i, k, h, a, side, status in matches
    ]


def player_table(source: Source, period: Period, now: datetime | None = None) -> list[PlayerLine]:
    """Per player, over matches kicking off in ``period``: appearances, minutes and counts.

    Players without an appearance or any counted event are left out. Sorted by goals,
    assists, minutes, name. Minutes and appearances: ``minutes_arrays`` (the rules of
    ``minutes_played``, vectorised over every match); a live period runs to its clock at
    ``now`` (without ``now``, to its latest event).
    """
    q = table_queries(period)
    with connect(source) as conn:
        players = fetch_all(conn, q.players)
        player_code = Codes((str(r[0]), i) for i, r in enumerate(players))
        arrays = match_arrays(conn, period, player_code, now)
        counts = fetch_all(conn, q.counts)
        goal_assists = fetch_all(conn, q.goal_assists)
        own_assists = fetch_all(conn, q.own_assists)
    minutes_ms, appearances = minutes_arrays(arrays)
    minutes_list, appearances_list = minutes_ms.tolist(), appearances.tolist()

    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pid, kind, n in counts:
        tally[pid][kind] += int(n)
    for pid, n in goal_assists:
        tally[pid]["assist"] += int(n)
    for pid, n in own_assists:
        tally[pid]["assist"] += int(n)

    lines = []
    for i, (pid, name, team) in enumerate(players):
        t = tally.get(pid, {})
        line = PlayerLine(
            player_id=str(pid),
            name=str(name),
            team=str(team),
            appearances=int(appearances_list[i]),
            minutes=round(minutes_list[i] / 60_000),
            goals=t.get("goal", 0),
            assists=t.get("assist", 0),
            saves=t.get("save", 0),
            tackles=t.get("tackle", 0),
            yellow_cards=t.get("yellow_card", 0),
            red_cards=t.get("red_card", 0),
        )
        if line.appearances or any(t.values()):
            lines.append(line)
    lines.sort(key=lambda x: (-x.goals, -x.assists, -x.minutes, x.name))
    return lines


CATEGORIES = (
    ("Goals", "goals"),
    ("Assists", "assists"),
    ("Saves", "saves"),
    ("Tackles", "tackles"),
    ("Minutes", "minutes"),
)


def top_performers(lines: Sequence[PlayerLine], n: int = 3) -> list[Performer]:
    """The best ``n`` players per category (goals, assists, saves, tackles, minutes); zeros left out."""
    out: list[Performer] = []
    for title, attr in CATEGORIES:
        ranked = sorted(lines, key=lambda x, a=attr: (-int(getattr(x, a)), x.name))  # type: ignore[misc]
        out.extend(
            Performer(title, line.player_id, line.name, int(getattr(line, attr)))
            for line in ranked[:n]
            if getattr(line, attr) > 0
        )
    return out
