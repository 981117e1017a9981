"""WHOOP series and Reboot Motion joint angles (from a CSV the test writes)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from app.context import AppContext
from app.stats.periods import period_bounds
from app.stats.providers import latest_joint_angles, parse_joint_angles, read_joint_angles, whoop_series
from tests.dashboard.conftest import NEW_YORK, NOW, REBOOT_CSV, add_reboot_export, add_whoop_day, local


def test_whoop_series_in_range_oldest_first(ctx: AppContext) -> None:
    for n in range(3):
        add_whoop_day(ctx.db, local(2026, 11, 25 - n, 0), 40 + n, 80 - n, 12 + n, n + 1)
    add_whoop_day(ctx.db, local(2026, 10, 1, 0), 99, 99, 20, 9)  # last month
    w = whoop_series(ctx.db, period_bounds("month", NOW, NEW_YORK))
    assert w.connected
    assert w.recovery.y == [42.0, 41.0, 40.0]
    assert w.sleep.y == [78.0, 79.0, 80.0]
    assert w.strain.y == [14.0, 13.0, 12.0]
    assert w.recovery.x == sorted(w.recovery.x)
    assert w.recovery.x[-1] == local(2026, 11, 25, 0).timestamp()


def test_whoop_not_connected_is_empty(ctx: AppContext) -> None:
    assert not whoop_series(ctx.db, period_bounds("all", NOW, NEW_YORK)).connected


def test_parse_picks_joint_columns_and_frame_axis() -> None:
    angles = parse_joint_angles(REBOOT_CSV, "t")
    assert angles is not None
    assert angles.frame_label == "rel_frame"
    assert angles.frames == [0.0, 1.0, 2.0, 3.0]
    assert list(angles.columns) == ["pelvis_rot", "torso_rot", "left_knee_angle", "right_elbow_x"]
    knee = angles.columns["left_knee_angle"]
    assert knee[0] == 30.0 and math.isnan(knee[1]) and knee[3] == 33.0


def test_parse_is_robust() -> None:
    assert parse_joint_angles("") is None
    assert parse_joint_angles("a,b\n1,2\n") is None  # no joint-like column
    assert parse_joint_angles("hip_flexion\n") is None  # header only
    short = parse_joint_angles("hip_flexion,knee_angle\n1\n2,3\n")
    assert short is not None and short.frames == [0.0, 1.0]
    assert math.isnan(short.columns["knee_angle"][0])
    text = parse_joint_angles("knee_angle,elbow\n1,left\n2,right\n")  # a text column is no joint
    assert text is not None and list(text.columns) == ["knee_angle"]


def test_latest_readable_export_wins_and_bad_files_are_skipped(ctx: AppContext) -> None:
    assert latest_joint_angles(ctx.db, ctx.home) is None
    add_reboot_export(ctx.db, ctx.home, name="old.csv.gz", fetched=NOW - timedelta(days=2))
    add_reboot_export(ctx.db, ctx.home, text="not,a,joint\n1,2,3\n", name="junk.csv", fetched=NOW - timedelta(days=1))
    path = add_reboot_export(ctx.db, ctx.home, name="gone.csv", fetched=NOW)
    path.unlink()  # the newest file was removed from the disk
    angles = latest_joint_angles(ctx.db, ctx.home)
    assert angles is not None and angles.title.startswith("Bullpen 2026-11-20")
    assert len(angles.columns) == 4
    assert read_joint_angles(ctx.home / "reboot" / "missing.csv") is None


def test_export_outside_the_data_folder_is_ignored(ctx: AppContext, tmp_path: Any) -> None:
    from app.models import RebootExport

    outside = tmp_path / "outside.csv"
    outside.write_text(REBOOT_CSV, encoding="utf-8")
    with ctx.db.write() as s:
        s.add(RebootExport(session_id="x", path="../../" + outside.name, fetched_at=NOW))
        s.add(RebootExport(session_id="y", path=str(outside), fetched_at=NOW))
    assert latest_joint_angles(ctx.db, ctx.home) is None
