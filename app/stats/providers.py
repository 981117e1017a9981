"""Provider data for the Dashboard: WHOOP recovery, sleep and strain; Reboot joint angles.

WHOOP points are placed on the practice time axis (UNIX seconds): recovery at its cycle's
start (or its creation when the cycle is unknown), sleep performance at the end of the
sleep (naps left out), strain at the cycle's start. Only scored values (not null) count.

Reboot: the newest downloaded ``RebootExport`` whose file is a readable CSV (``.csv`` or
``.csv.gz``) under the data folder. Its joint-angle columns are the numeric columns whose
names say ``angle``, end in ``_x``/``_y``/``_z``, or name a joint (hip, knee, elbow, ...);
ids and the frame/time axis are not joints. Parquet exports are not read (no pyarrow).
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select

from app.models import RebootExport, RebootSession, WhoopCycle, WhoopRecovery, WhoopSleep
from app.stats._sql import Source, connect, epoch, fetch_all, table_of, within
from app.stats.periods import Period
from app.stats.practice import Series

RECOVERY = table_of(WhoopRecovery)
CYCLE = table_of(WhoopCycle)
SLEEP = table_of(WhoopSleep)
EXPORT = table_of(RebootExport)
RSESSION = table_of(RebootSession)

FRAME_COLUMNS = ("frame", "frame_number", "frame_index", "rel_frame", "time", "time_s", "timestamp", "norm_time")
JOINT_WORDS = (
    "angle",
    "pelvis",
    "torso",
    "trunk",
    "thorax",
    "spine",
    "lumbar",
    "neck",
    "head",
    "hip",
    "knee",
    "ankle",
    "foot",
    "shoulder",
    "elbow",
    "wrist",
    "hand",
    "arm",
    "leg",
    "clavicle",
    "scap",
)
MAX_CSV_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class WhoopSeries:
    recovery: Series = field(default_factory=Series)
    sleep: Series = field(default_factory=Series)
    strain: Series = field(default_factory=Series)

    @property
    def connected(self) -> bool:
        return bool(self.recovery.x or self.sleep.x or self.strain.x)


@dataclass(frozen=True)
class JointAngles:
    """Joint angles per frame from one Reboot export."""

    title: str
    frame_label: str
    frames: list[float]
    columns: dict[str, list[float]]  # name -> one value per frame (NaN when missing)


@lru_cache(maxsize=16)
def _whoop_queries(period: Period) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """(recovery, sleep, strain) of ``period``; built once per period and reused."""
    when = func.coalesce(CYCLE.c.start, RECOVERY.c.created_at)
    recovery = (
        select(epoch(when), RECOVERY.c.recovery_score)
        .select_from(RECOVERY.outerjoin(CYCLE, CYCLE.c.id == RECOVERY.c.cycle_id))
        .where(RECOVERY.c.recovery_score.is_not(None), within(RECOVERY.c.created_at, period))
        .order_by(epoch(when))
    )
    sleep = (
        select(epoch(SLEEP.c.end), SLEEP.c.sleep_performance_percentage)
        .where(
            SLEEP.c.nap.is_(False),
            SLEEP.c.sleep_performance_percentage.is_not(None),
            within(SLEEP.c.end, period),
        )
        .order_by(SLEEP.c.end)
    )
    strain = (
        select(epoch(CYCLE.c.start), CYCLE.c.strain)
        .where(CYCLE.c.strain.is_not(None), within(CYCLE.c.start, period))
        .order_by(CYCLE.c.start)
    )
    return recovery, sleep, strain


def whoop_series(source: Source, period: Period) -> WhoopSeries:
    """Recovery %, sleep performance % and day strain in ``period``, oldest first."""
    recovery_query, sleep_query, strain_query = _whoop_queries(period)
    with connect(source) as conn:
        recovery = fetch_all(conn, recovery_query)
        sleep = fetch_all(conn, sleep_query)
        strain = fetch_all(conn, strain_query)

    def series(rows: list[tuple[Any, ...]]) -> Series:
        return Series(x=[float(r[0]) for r in rows], y=[float(r[1]) for r in rows])

    return WhoopSeries(recovery=series(recovery), sleep=series(sleep), strain=series(strain))


def _number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return None
    return value


def _is_joint(name: str) -> bool:
    low = name.strip().lower()
    if not low or low == "id" or low.endswith("_id") or low in FRAME_COLUMNS:
        return False
    if "angle" in low or re.search(r"_[xyz]$", low):
        return True
    return any(word in low for word in JOINT_WORDS)


def parse_joint_angles(text: str, title: str = "") -> JointAngles | None:
    """Joint-angle columns of a Reboot CSV (see the module docstring); None when it has none.

    Robust to a BOM, blank or short rows, missing values (NaN) and text columns.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        return None
    names = [h.strip() for h in header]
    width = len(names)
    values: list[list[float]] = [[] for _ in names]
    bad = [0] * width
    for row in reader:
        if not row or all(not cell.strip() for cell in row):
            continue
        for i in range(width):
            number = _number(row[i]) if i < len(row) else math.nan
            if number is None:
                bad[i] += 1
                number = math.nan
            values[i].append(number)
    n_rows = len(values[0]) if values else 0
    if n_rows == 0:
        return None

    def numeric(i: int) -> bool:
        good = sum(1 for v in values[i] if not math.isnan(v))
        return bad[i] == 0 and good >= max(1, n_rows // 2)

    lowered = [n.lower() for n in names]
    frame_index = next((lowered.index(c) for c in FRAME_COLUMNS if c in lowered and numeric(lowered.index(c))), None)
    columns = {names[i]: values[i] for i in range(width) if i != frame_index and _is_joint(names[i]) and numeric(i)}
    if not columns:
        return None
    if frame_index is None:
        frames, label = [float(i) for i in range(n_rows)], "frame"
    else:
        frames, label = values[frame_index], names[frame_index]
    return JointAngles(title=title, frame_label=label, frames=frames, columns=columns)


def read_joint_angles(path: Path, title: str = "") -> JointAngles | None:
    """Read a ``.csv`` or ``.csv.gz`` export; None when unreadable or without joint angles."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            return None
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", errors="replace")
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    return parse_joint_angles(text, title or path.name)


def latest_joint_angles(source: Source, home: Path) -> JointAngles | None:
    """Joint angles of the newest readable Reboot CSV export under ``home``; None without one."""
    with connect(source) as conn:
        rows = conn.execute(
            select(EXPORT.c.path, EXPORT.c.data_type, RSESSION.c.session_name, RSESSION.c.session_date)
            .select_from(EXPORT.outerjoin(RSESSION, RSESSION.c.id == EXPORT.c.session_id))
            .order_by(EXPORT.c.fetched_at.desc(), EXPORT.c.id.desc())
        ).all()
    root = home.resolve()
    for rel, data_type, name, day in rows:
        path = (root / str(rel)).resolve()
        if root not in path.parents or not path.name.lower().endswith((".csv", ".csv.gz")):
            continue
        title = " ".join(str(p) for p in (name, day, f"({data_type})") if p)
        angles = read_joint_angles(path, title)
        if angles is not None:
            return angles
    return None
