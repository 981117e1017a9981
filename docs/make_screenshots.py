"""Make the README's pictures of the real window, under Xvfb.

Fills a throw-away data folder through the app's own services (five weeks of practice, a
logged match, a month of WHOOP recovery), then runs ``python -m app gui --screenshot`` on a
virtual X screen once per tab. Needs ``xvfb-run`` (apt-get install xvfb).

    .venv/bin/python docs/make_screenshots.py
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TABS = {"screenshot.png": 2, "matches.png": 1, "practice.png": 0, "sync.png": 3}
LIVE_SIZES = ((1024, 768), (1200, 800))  # the live view of a cup match, at the sizes the issue names
POSES = [("warrior_ii", "Warrior II"), ("tree", "Tree"), ("triangle", "Triangle"), ("downward_dog", "Downward Dog")]


def seed(home: Path) -> None:
    from app.context import AppContext
    from app.match.service import MatchService
    from app.models import WhoopRecovery
    from app.practice.service import NewHold, PracticeService

    ctx = AppContext.create(home)
    rng = random.Random(7)
    now = datetime.now(UTC).replace(microsecond=0)
    practice = PracticeService(ctx)
    for day in range(35, -1, -1):
        if rng.random() < 0.25:
            continue
        start = (now - timedelta(days=day)).replace(hour=7, minute=30, second=0)
        session = practice.start_session(started_at=start).session
        t = start
        for pose_id, name in rng.sample(POSES, 3):
            hold = rng.uniform(20, 60)
            accuracy = min(99.0, 70 + (35 - day) * 0.6 + rng.uniform(-6, 6))
            practice.record_hold(
                session.id,
                NewHold(pose_id, name, t, t + timedelta(seconds=hold), hold, accuracy, min(100.0, accuracy + 4)),
            )
            t += timedelta(seconds=hold + 30)
        practice.stop_session(session.id, ended_at=t)

    matches = MatchService(ctx.db, clock=lambda: now)
    team = matches.create_team("Lakeside Colts U12")
    players = [
        matches.add_player(team.id, name, number, position)
        for name, number, position in [
            ("Sam Okafor", 1, "GK"),
            ("Ria Patel", 4, "DF"),
            ("Leo Brandt", 7, "MF"),
            ("Maya Chen", 9, "FW"),
            ("Tom Ekberg", 11, "FW"),
            ("Ada Novak", 14, "MF"),
        ]
    ]
    from app.match.service import LineupItem

    match = matches.create_match(
        "Lakeside Colts U12",
        "Hill Rovers",
        now - timedelta(hours=2),
        team_id=team.id,
        venue="Lakeside Park, pitch 2",
        period_count=2,
        period_length_min=30,
    )
    matches.set_lineup(match.id, [LineupItem(p.id, starting=i < 5) for i, p in enumerate(players)])
    matches.start_period(match.id)
    events = [
        ("goal", "home", players[3].id, players[2].id, 1, 6 * 60_000),
        ("save", "home", players[0].id, None, 1, 11 * 60_000),
        ("tackle", "home", players[1].id, None, 1, 14 * 60_000),
        ("goal", "away", None, None, 1, 22 * 60_000),
        ("substitution", "home", players[4].id, players[5].id, 2, 5 * 60_000),
        ("goal", "home", players[5].id, players[3].id, 2, 19 * 60_000),
        ("yellow_card", "home", players[1].id, None, 2, 25 * 60_000),
    ]
    for kind, side, player, related, period, clock_ms in events:
        matches.log_event(match.id, kind, side, player, related, period=period, clock_ms=clock_ms)

    seed_cup_match(matches, now)

    with ctx.db.write() as s:
        for day in range(30):
            when = now - timedelta(days=day)
            s.add(
                WhoopRecovery(
                    cycle_id=10_000 + day,
                    sleep_id=None,
                    score_state="SCORED",
                    recovery_score=55 + 30 * rng.random(),
                    resting_heart_rate=52 + 4 * rng.random(),
                    hrv_rmssd_milli=60 + 20 * rng.random(),
                    created_at=when,
                    updated_at=when,
                )
            )
    ctx.close()


def seed_cup_match(matches: Any, now: datetime) -> str:
    """A cup match with both squads kept, played to a shoot-out (the live view's pictures)."""
    from app.match.service import LineupItem

    home = matches.create_team("Riverside U12")
    away = matches.create_team("Hillside Rovers U12")
    ours = [
        matches.add_player(home.id, n, k)
        for n, k in [
            ("Alex Goalkeeper", 1),
            ("Ben Adeyemi", 4),
            ("Dan Kowalski", 9),
            ("Eve Larsen", 10),
            ("Finn O'Brien", 12),
            ("Gus Moreau", 13),
        ]
    ]
    theirs = [
        matches.add_player(away.id, n, k)
        for n, k in [("Hal Jensen", 1), ("Ivo Petrov", 5), ("Jon Silva", 10), ("Kit Yamada", 14)]
    ]
    clock = {"now": now - timedelta(minutes=95)}
    svc = type(matches)(matches.db, clock=lambda: clock["now"])
    match = svc.create_match(
        "Riverside U12",
        "Hillside Rovers U12",
        clock["now"],
        team_id=home.id,
        away_team_id=away.id,
        venue="Riverside Rec, pitch 1",
        period_count=2,
        period_length_min=20,
        extra_time_length_min=5,
    )
    svc.set_lineup(
        match.id,
        [LineupItem(p.id, p not in (ours[4], ours[5])) for p in ours]
        + [LineupItem(p.id, p is not theirs[3]) for p in theirs],
    )

    def at(minutes: float) -> None:
        clock["now"] += timedelta(minutes=minutes)

    mid = match.id
    svc.start_period(mid)
    at(3)
    svc.log_event(mid, "shot_on_target", "home", ours[3].id)
    svc.log_event(mid, "corner", "home", ours[1].id)
    at(2)
    svc.log_event(mid, "goal", "home", ours[3].id, ours[2].id)
    svc.log_event(mid, "offside", "away", theirs[2].id)
    svc.log_event(mid, "yellow_card", "away", theirs[1].id)
    at(6)
    svc.log_event(mid, "yellow_card", "away", theirs[1].id)
    at(9)
    svc.end_period(mid)
    svc.start_period(mid)
    at(5)
    svc.log_event(mid, "substitution", "home", ours[4].id, ours[2].id)
    svc.log_event(mid, "shot_off_target", "away", theirs[2].id)
    at(10)
    svc.log_event(mid, "goal", "away", theirs[2].id)
    at(5)
    svc.end_period(mid)
    for _ in range(2):
        svc.start_period(mid)
        at(5)
        svc.end_period(mid)
    svc.start_period(mid)
    for kind, side, pid in [
        ("shootout_goal", "home", ours[3].id),
        ("shootout_miss", "away", theirs[2].id),
        ("shootout_goal", "home", ours[0].id),
        ("shootout_goal", "away", theirs[0].id),
        ("shootout_goal", "home", ours[1].id),
    ]:
        at(1)
        svc.log_event(mid, kind, side, pid)
    at(1)
    svc.end_period(mid)
    return str(match.id)


def grab_live(home: Path, out: Path, width: int, height: int) -> None:
    """In-process (under xvfb-run): the main window at ``width`` x ``height`` on the cup
    match's live view, saved to ``out``."""
    from PySide6.QtWidgets import QApplication

    from app.context import AppContext
    from app.match.service import MatchService
    from ui.main_window import MainWindow

    app = QApplication([])
    ctx = AppContext.create(home)
    window = MainWindow(ctx)
    window.resize(width, height)
    window.show()
    window.tabs.setCurrentIndex(1)
    panel: Any = window.matches.panel()
    cup = next(m for m in MatchService(ctx.db).list_matches() if m.home_team == "Riverside U12")
    panel.show_live(cup.id)
    for _ in range(20):
        app.processEvents()
    window.grab().save(str(out))
    window.close()
    ctx.close()


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--live":
        grab_live(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        raise SystemExit("xvfb-run is needed: apt-get install xvfb")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        seed(home)
        for name, tab in TABS.items():
            (home / "window.ini").write_text(f"[General]\ntab={tab}\n")
            env = {**os.environ, "FIELDMAT_HOME": str(home), "QT_QPA_PLATFORM": "xcb"}
            subprocess.run(
                [
                    xvfb,
                    "-a",
                    "-s",
                    "-screen 0 1280x860x24",
                    sys.executable,
                    "-m",
                    "app",
                    "gui",
                    "--screenshot",
                    str(REPO / "docs" / name),
                ],
                env=env,
                cwd=REPO,
                check=True,
                timeout=120,
            )
            print(f"docs/{name}")
        for width, height in LIVE_SIZES:
            name = f"match-live-{width}x{height}.png"
            env = {**os.environ, "FIELDMAT_HOME": str(home), "QT_QPA_PLATFORM": "xcb"}
            subprocess.run(
                [
                    xvfb,
                    "-a",
                    "-s",
                    "-screen 0 1280x860x24",
                    sys.executable,
                    __file__,
                    "--live",
                    str(home),
                    str(REPO / "docs" / name),
                    str(width),
                    str(height),
                ],
                env=env,
                cwd=REPO,
                check=True,
                timeout=120,
            )
            print(f"docs/{name}")


if __name__ == "__main__":
    main()
