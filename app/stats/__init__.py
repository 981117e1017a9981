"""Statistics over the database for the Dashboard (pure: SQL and Python, no Qt).

Modules: ``periods`` (local days, Monday weeks, ranges), ``practice`` (cards, minutes per
day, pose mix, accuracy, history), ``matches`` (results, player table, top performers),
``minutes`` (minutes played and appearances), ``match_queries`` (the match statistics' SQL),
``providers`` (WHOOP series, Reboot joint angles), ``dashboard`` (everything at once).
Deleting a practice session is ``app.practice.service.PracticeService.delete_session``.
"""

from app.stats.dashboard import DashboardData, compute_dashboard
from app.stats.periods import RANGES, Period, local_timezone, period_bounds, week_start

__all__ = ["RANGES", "DashboardData", "Period", "compute_dashboard", "local_timezone", "period_bounds", "week_start"]
