"""Rows for the Dashboard's tables, built from the statistics (pure; runs in the worker)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from app.stats.matches import MatchResult, Performer, PlayerLine
from app.stats.practice import HistoryRow, HoldRow

Cell = tuple[str, object]

HISTORY_HEADERS = ("Date", "Minutes", "Holds", "Avg accuracy", "Mode", "Poses")
RESULTS_HEADERS = ("Kick-off", "Home", "Score", "Away", "Result", "Status")
PLAYERS_HEADERS = ("Player", "Team", "Apps", "Minutes", "Goals", "Assists", "Saves", "Tackles", "Cards", "Y", "R")
TOP_HEADERS = ("Category", "Player", "Value")
HOLDS_HEADERS = ("Time", "Pose", "Hold (s)", "Accuracy", "Best", "Feedback")


def when(stamp: float, tz: tzinfo, fmt: str = "%a %d %b %Y %H:%M") -> str:
    return datetime.fromtimestamp(stamp, tz).strftime(fmt)


def history_rows(rows: Sequence[HistoryRow], tz: tzinfo) -> tuple[list[list[Cell]], list[str]]:
    out: list[list[Cell]] = []
    for r in rows:
        mode = r.mode if not r.sequence_name else f"{r.mode}: {r.sequence_name}"
        out.append(
            [
                (when(r.started, tz), r.started),
                (f"{r.duration_s / 60:.1f}", r.duration_s),
                (str(r.total_poses), r.total_poses),
                (f"{r.avg_accuracy:.1f} %", r.avg_accuracy),
                (mode, mode),
                (", ".join(r.poses), ", ".join(r.poses)),
            ]
        )
    return out, [r.session_id for r in rows]


def result_rows(rows: Sequence[MatchResult], tz: tzinfo) -> tuple[list[list[Cell]], list[str]]:
    out: list[list[Cell]] = []
    for m in rows:
        score = "–" if m.status == "scheduled" else f"{m.home_goals} – {m.away_goals}"
        out.append(
            [
                (when(m.kickoff, tz), m.kickoff),
                (m.home_team, m.home_team),
                (score, (m.home_goals, m.away_goals)),
                (m.away_team, m.away_team),
                (m.outcome, m.outcome),
                (m.status, m.status),
            ]
        )
    return out, [m.match_id for m in rows]


def player_rows(rows: Sequence[PlayerLine]) -> tuple[list[list[Cell]], list[str]]:
    out: list[list[Cell]] = []
    for p in rows:
        numbers = (
            p.appearances,
            p.minutes,
            p.goals,
            p.assists,
            p.saves,
            p.tackles,
            p.cards,
            p.yellow_cards,
            p.red_cards,
        )
        out.append([(p.name, p.name), (p.team, p.team), *((str(n), n) for n in numbers)])
    return out, [p.player_id for p in rows]


def top_rows(rows: Sequence[Performer]) -> tuple[list[list[Cell]], list[str]]:
    out: list[list[Cell]] = [[(t.category, t.category), (t.name, t.name), (str(t.value), t.value)] for t in rows]
    return out, [t.player_id for t in rows]


def hold_rows(rows: Sequence[HoldRow], tz: tzinfo) -> list[list[Cell]]:
    return [
        [
            (when(h.started, tz, "%H:%M:%S"), h.started),
            (h.pose_name, h.pose_name),
            (f"{h.hold_s:.1f}", h.hold_s),
            (f"{h.accuracy:.1f} %", h.accuracy),
            (f"{h.best_accuracy:.1f} %", h.best_accuracy),
            ("; ".join([*h.feedback, *h.improvements]), ""),
        ]
        for h in rows
    ]
