"""Practice stats as the Yoga Assistant backend defines them.

- ``sessions_this_week``: sessions dated from Monday 00:00 (UTC) of the current week;
- ``mindful_minutes``: the minutes of those same sessions;
- ``current_streak``: consecutive days with a session, ending today (or yesterday, when today
  has none yet);
- ``avg_accuracy``: the mean of every session's ``avg_accuracy``, rounded to one decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta


def week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def streak(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def practice_stats(sessions: Sequence[tuple[datetime, int, float]], now: datetime) -> dict[str, int | float]:
    """``sessions`` are (date in UTC, minutes, average accuracy)."""
    monday = week_start(now.date())
    this_week = [(d, minutes) for d, minutes, _ in sessions if monday <= d.date() <= now.date()]
    accuracies = [acc for _, _, acc in sessions]
    return {
        "sessions_this_week": len(this_week),
        "mindful_minutes": sum(minutes for _, minutes in this_week),
        "current_streak": streak({d.date() for d, _, _ in sessions}, now.date()),
        "avg_accuracy": round(sum(accuracies) / len(accuracies), 1) if accuracies else 0.0,
    }
