"""Dashboard benchmark: 10 years of daily practice, 500 matches and a year of WHOOP data.

Seeds a fresh data folder with bulk inserts (executemany), then measures, for EVERY range
(week, month, season, all = 10 years):
- ``stats_ms``: ``app.stats.compute_dashboard`` (every number the Dashboard shows: cards,
  charts, tables), always a real computation (no cache), the median of RUNS runs; the first
  (cold) run, the worst run and the CPU time (of both threads it runs on) are printed too;
- ``shown_ms``: from ``DashboardPanel`` construction (offscreen QApplication already up) to
  every chart and table populated AND painted (the events queued by the new data processed),
  the median of SHOWN_RUNS fresh panels (each with its own, empty cache); the first is printed.
  Each panel is shut down, closed and deleted (its deferred delete delivered, as an event loop
  would) before the next; the widgets still alive afterwards are printed (0: nothing piles up
  from one panel to the next).
The last line is the WORST range (the maximum over ranges of each median):
``stats_ms <x> shown_ms <y>``. Targets: stats <= 100 ms, shown <= 500 ms.
Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/dashboard.py``.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlmodel import SQLModel

from app.context import AppContext
from app.db import Database

POSES = [
    "Mountain Pose",
    "Tree Pose",
    "Warrior I",
    "Warrior II",
    "Warrior III",
    "Triangle Pose",
    "Downward Dog",
    "Upward Dog",
    "Cobra Pose",
    "Child's Pose",
    "Chair Pose",
    "Boat Pose",
    "Bridge Pose",
    "Camel Pose",
    "Crow Pose",
    "Plank Pose",
    "Side Plank",
    "Pigeon Pose",
    "Lotus Pose",
    "Corpse Pose",
]
SESSIONS = 3650
HOLDS = 40_000
MATCHES = 500
WHOOP_DAYS = 365
RUNS = 9  # compute_dashboard runs per range (median reported)
SHOWN_RUNS = 3  # fresh panels per range (median reported)


def _table(name: str) -> Any:
    return SQLModel.metadata.tables[name]


def seed(db: Database, now: datetime, tz: ZoneInfo, rng: random.Random) -> dict[str, int]:
    """Fill ``db`` with the benchmark data set; returns row counts."""
    today = now.astimezone(tz).date()
    sessions: list[dict[str, Any]] = []
    holds: list[dict[str, Any]] = []
    per_session = [HOLDS // SESSIONS + (1 if i < HOLDS % SESSIONS else 0) for i in range(SESSIONS)]
    for i in range(SESSIONS):
        day = today - timedelta(days=i)
        start = datetime(day.year, day.month, day.day, 6, 30, tzinfo=tz).astimezone(UTC)
        start += timedelta(minutes=rng.randint(0, 600))
        sid = str(uuid.uuid4())
        t = start
        accs = []
        for _ in range(per_session[i]):
            pose = rng.randrange(len(POSES))
            hold_s = rng.uniform(10, 60)
            acc = min(100.0, max(0.0, rng.gauss(70 + pose, 10)))
            accs.append(acc)
            holds.append(
                {
                    "id": str(uuid.uuid4()),
                    "session_id": sid,
                    "pose_id": f"pose-{pose}",
                    "pose_name": POSES[pose],
                    "started_at": t,
                    "ended_at": t + timedelta(seconds=hold_s),
                    "hold_s": hold_s,
                    "accuracy": acc,
                    "best_accuracy": min(100.0, acc + 5),
                    "feedback": [],
                    "improvements": [],
                }
            )
            t += timedelta(seconds=hold_s + 20)
        duration = (t - start).total_seconds()
        sessions.append(
            {
                "id": sid,
                "started_at": start,
                "ended_at": t,
                "duration_s": duration,
                "avg_accuracy": sum(accs) / len(accs),
                "total_poses": len(accs),
                "mode": "free",
                "sequence_name": None,
                "remote_id": None,
                "updated_at": t,
                "deleted": False,
            }
        )

    team_id = str(uuid.uuid4())
    players = [
        {
            "id": str(uuid.uuid4()),
            "team_id": team_id,
            "name": f"Player {n + 1}",
            "shirt_number": n + 1,
            "position": "GK" if n == 0 else "DF" if n < 6 else "MF" if n < 12 else "FW",
            "updated_at": now,
            "deleted": False,
        }
        for n in range(20)
    ]
    matches: list[dict[str, Any]] = []
    lineups: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    seq = 0
    for m in range(MATCHES):
        mid = str(uuid.uuid4())
        kickoff = now - timedelta(days=7 * m + 1, hours=rng.randint(0, 6))
        side = "home" if m % 2 == 0 else "away"
        matches.append(
            {
                "id": mid,
                "team_id": team_id,
                "our_side": side,
                "home_team": "Fieldmat FC" if side == "home" else f"Rivals {m % 17}",
                "away_team": f"Rivals {m % 17}" if side == "home" else "Fieldmat FC",
                "kickoff_at": kickoff,
                "venue": None,
                "status": "finished",
                "current_period": 2,
                "period_count": 2,
                "period_length_min": 45,
                "updated_at": now,
                "deleted": False,
            }
        )
        squad = rng.sample(players, 16)
        starters, bench = squad[:11], squad[11:]
        lineups.extend(
            {
                "match_id": mid,
                "player_id": p["id"],
                "starting": k < 11,
                "shirt_number": p["shirt_number"],
                "updated_at": now,
            }
            for k, p in enumerate(squad)
        )

        def event(
            kind: str,
            period: int,
            clock: int,
            team: str,
            pid: str | None = None,
            rid: str | None = None,
            mid: str = mid,
            kickoff: datetime = kickoff,
        ) -> None:
            nonlocal seq
            seq += 1
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "seq": seq,
                    "match_id": mid,
                    "kind": kind,
                    "team": team,
                    "player_id": pid,
                    "related_player_id": rid,
                    "period": period,
                    "clock_ms": clock,
                    "note": None,
                    "logged_at": kickoff,
                    "updated_at": kickoff,
                    "deleted": False,
                }
            )

        other = "away" if side == "home" else "home"
        on = [p["id"] for p in starters]
        for period in (1, 2):
            event("period_start", period, 0, side)
            for _ in range(14):
                kind = rng.choice(
                    [
                        "goal",
                        "save",
                        "tackle",
                        "tackle",
                        "foul",
                        "key_pass",
                        "interception",
                        "yellow_card",
                        "goal",
                        "own_goal",
                        "free_kick",
                        "ball_out",
                    ]
                )
                clock = rng.randint(0, 45 * 60_000)
                if kind == "own_goal" and rng.random() < 0.7:
                    continue
                scorer = rng.choice(on)
                assist = rng.choice(on) if kind == "goal" and rng.random() < 0.6 else None
                team = side if rng.random() < 0.65 else other
                event(kind, period, clock, team, scorer if team == side else None, assist if team == side else None)
            if period == 2:
                for k in range(3):
                    off, come = on[10 - k], bench[k]["id"]
                    event("substitution", 2, 20 * 60_000 + k * 5 * 60_000, side, off, come)
                    on[10 - k] = come
            event("period_end", period, 45 * 60_000 + rng.randint(0, 300_000), side)

    whoop_cycles: list[dict[str, Any]] = []
    recoveries: list[dict[str, Any]] = []
    sleeps: list[dict[str, Any]] = []
    for d in range(WHOOP_DAYS):
        day = today - timedelta(days=d)
        bed = datetime(day.year, day.month, day.day, 23, 0, tzinfo=tz).astimezone(UTC) - timedelta(days=1)
        wake = bed + timedelta(hours=rng.uniform(6, 9))
        cid = 100_000 + d
        whoop_cycles.append(
            {
                "id": cid,
                "start": bed,
                "end": bed + timedelta(days=1),
                "timezone_offset": "+00:00",
                "score_state": "SCORED",
                "strain": rng.uniform(4, 19),
                "kilojoule": rng.uniform(6000, 14000),
                "average_heart_rate": 65,
                "max_heart_rate": 170,
                "updated_at": wake,
            }
        )
        sleep_id = str(uuid.uuid4())
        sleeps.append(
            {
                "id": sleep_id,
                "cycle_id": cid,
                "start": bed,
                "end": wake,
                "timezone_offset": "+00:00",
                "nap": False,
                "score_state": "SCORED",
                "sleep_performance_percentage": rng.uniform(50, 100),
                "sleep_efficiency_percentage": 90.0,
                "sleep_consistency_percentage": 80.0,
                "respiratory_rate": 15.0,
                "total_in_bed_time_milli": 8 * 3_600_000,
                "total_awake_time_milli": 1_800_000,
                "total_light_sleep_time_milli": 3 * 3_600_000,
                "total_slow_wave_sleep_time_milli": 2 * 3_600_000,
                "total_rem_sleep_time_milli": 2 * 3_600_000,
                "updated_at": wake,
            }
        )
        recoveries.append(
            {
                "cycle_id": cid,
                "sleep_id": sleep_id,
                "score_state": "SCORED",
                "recovery_score": rng.uniform(20, 99),
                "resting_heart_rate": 50.0,
                "hrv_rmssd_milli": 60.0,
                "spo2_percentage": 96.0,
                "skin_temp_celsius": 33.5,
                "user_calibrating": False,
                "created_at": wake,
                "updated_at": wake,
            }
        )

    with db.write() as s:
        conn = s.connection()
        conn.execute(_table("practice_session").insert(), sessions)
        conn.execute(_table("pose_hold").insert(), holds)
        conn.execute(
            _table("team").insert(), [{"id": team_id, "name": "Fieldmat FC", "updated_at": now, "deleted": False}]
        )
        conn.execute(_table("player").insert(), players)
        conn.execute(_table("match").insert(), matches)
        conn.execute(_table("lineup_entry").insert(), lineups)
        conn.execute(_table("match_event").insert(), events)
        conn.execute(_table("whoop_cycle").insert(), whoop_cycles)
        conn.execute(_table("whoop_sleep").insert(), sleeps)
        conn.execute(_table("whoop_recovery").insert(), recoveries)
    # fold the big seeding transaction into the database file, as SQLite's auto-checkpoint does in use
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "sessions": len(sessions),
        "holds": len(holds),
        "matches": len(matches),
        "events": len(events),
        "lineups": len(lineups),
        "whoop_days": len(whoop_cycles),
    }


def main() -> int:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from app.stats import RANGES, compute_dashboard

    tz = ZoneInfo("Europe/Berlin")
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="fieldmat-bench-") as tmp:
        home = Path(tmp)
        os.environ["FIELDMAT_HOME"] = str(home)
        ctx = AppContext.create(home)
        ctx.clock = lambda: now
        t0 = time.perf_counter()
        counts = seed(ctx.db, now, tz, random.Random(7))
        print(f"seeded {counts} in {(time.perf_counter() - t0) * 1000:.0f} ms")
        gc.collect()  # the seeding's garbage is not the Dashboard's

        def load() -> str:
            return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"

        print(f"machine {load()} (wall times grow with it)")

        stats: dict[str, float] = {}
        for name in RANGES:
            runs, cpu = [], []
            for _ in range(RUNS):
                t0, c0 = time.perf_counter(), time.process_time()  # CPU of every thread (it uses two)
                data = compute_dashboard(ctx.db, home, now, tz, name)
                runs.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            stats[name] = statistics.median(runs)
            parts = ", ".join(f"{k} {v:.1f}" for k, v in data.timings_ms.items())
            print(
                f"range {name:6s}: stats first (cold) {runs[0]:.1f} ms, median {stats[name]:.1f} ms, "
                f"worst {max(runs):.1f} ms; cpu median {statistics.median(cpu):.1f} ms; {load()}  "
                f"(last run: {parts})"
            )

        app = QApplication.instance() or QApplication(sys.argv)
        from ui.bus import ChangeBus
        from ui.dashboard.panel import DashboardPanel

        bus = ChangeBus()
        shown: dict[str, float] = {}
        for range_name in RANGES:
            times: list[float] = []
            populated: list[float] = []
            for _ in range(SHOWN_RUNS):
                gc.collect()
                t0 = time.perf_counter()
                panel = DashboardPanel(ctx, bus, tz=tz, initial_range=range_name)
                panel.resize(1400, 900)
                panel.show()
                deadline = time.perf_counter() + 30
                while not panel.charts_populated() and time.perf_counter() < deadline:
                    app.processEvents()
                    time.sleep(0.001)
                if not panel.charts_populated():
                    print(f"dashboard ({range_name}) never populated")
                    return 1
                populated.append((time.perf_counter() - t0) * 1000)
                app.processEvents()  # paint what the new data changed
                times.append((time.perf_counter() - t0) * 1000)
                panel.shutdown()
                panel.close()
                panel.deleteLater()
                app.processEvents()
                # no event loop runs here: deliver the deferred delete as QApplication.exec() would
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                del panel
            shown[range_name] = statistics.median(times)
            gc.collect()
            print(
                f"range {range_name:6s}: shown first {times[0]:.0f} ms, median {shown[range_name]:.0f} ms, "
                f"worst {max(times):.0f} ms (runs {', '.join(f'{t:.0f}' for t in times)}; populated, before "
                f"the paint: median {statistics.median(populated):.0f} ms); widgets alive after "
                f"{len(app.allWidgets())}; {load()}"
            )
        ctx.close()
        worst_stats = max(stats, key=lambda k: stats[k])
        worst_shown = max(shown, key=lambda k: shown[k])
        print(f"worst range: stats {worst_stats}, shown {worst_shown}")
        print(f"stats_ms {stats[worst_stats]:.1f} shown_ms {shown[worst_shown]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
