"""Local days, Monday weeks, ranges and the vectorised zone conversion."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from app.stats.periods import (
    local_date,
    local_day_numbers,
    local_midnights,
    period_bounds,
    utc_offsets,
    week_start,
)
from tests.dashboard.conftest import BERLIN, NEW_YORK


def test_week_starts_on_monday_sunday_belongs_to_previous_week() -> None:
    sunday = date(2026, 11, 22)
    monday = date(2026, 11, 23)
    assert week_start(sunday) == date(2026, 11, 16)
    assert week_start(monday) == monday
    assert week_start(date(2026, 11, 29)) == monday  # the following Sunday


def test_week_range_starts_monday_midnight_local() -> None:
    now = datetime(2026, 11, 23, 0, 5, tzinfo=NEW_YORK)  # five past midnight on Monday
    period = period_bounds("week", now.astimezone(UTC), NEW_YORK)
    assert period.start == datetime(2026, 11, 23, 0, 0, tzinfo=NEW_YORK).astimezone(UTC)
    assert period.end == datetime(2026, 11, 24, 0, 0, tzinfo=NEW_YORK).astimezone(UTC)


def test_month_season_and_all_ranges() -> None:
    now = datetime(2026, 3, 10, 12, tzinfo=BERLIN).astimezone(UTC)
    assert period_bounds("month", now, BERLIN).start == datetime(2026, 3, 1, tzinfo=BERLIN).astimezone(UTC)
    assert period_bounds("season", now, BERLIN).start == datetime(2025, 8, 1, tzinfo=BERLIN).astimezone(UTC)
    autumn = datetime(2026, 9, 2, 12, tzinfo=BERLIN).astimezone(UTC)
    assert period_bounds("season", autumn, BERLIN).start == datetime(2026, 8, 1, tzinfo=BERLIN).astimezone(UTC)
    assert period_bounds("all", now, BERLIN).start is None
    with pytest.raises(ValueError, match="unknown range"):
        period_bounds("year", now, BERLIN)


def test_session_at_2330_local_is_that_local_day_not_the_utc_day() -> None:
    late = datetime(2026, 11, 22, 23, 30, tzinfo=NEW_YORK)  # 04:30 UTC on the 23rd
    assert late.astimezone(UTC).date() == date(2026, 11, 23)
    assert local_date(late.timestamp(), NEW_YORK) == date(2026, 11, 22)
    early = datetime(2026, 11, 23, 0, 30, tzinfo=BERLIN)  # 23:30 UTC on the 22nd
    assert local_date(early.timestamp(), BERLIN) == date(2026, 11, 23)


@pytest.mark.parametrize("tz", [NEW_YORK, BERLIN, UTC])
def test_vectorised_offsets_match_the_zone_across_dst_changes(tz: object) -> None:
    rng = random.Random(3)
    start = datetime(2016, 1, 1, tzinfo=UTC).timestamp()
    stamps = np.sort(np.array([start + rng.uniform(0, 10 * 365 * 86400) for _ in range(3000)]))
    # and the seconds right around a DST change
    change = datetime(2026, 3, 8, 7, 0, tzinfo=UTC).timestamp()  # 02:00 EST -> 03:00 EDT
    stamps = np.sort(np.concatenate([stamps, [change - 1.5, change - 0.5, change, change + 0.5]]))
    offsets = utc_offsets(stamps, tz)  # type: ignore[arg-type]
    expected = [datetime.fromtimestamp(s, tz).utcoffset().total_seconds() for s in stamps]  # type: ignore[arg-type, union-attr]
    assert offsets.tolist() == expected
    days = local_day_numbers(stamps, tz)  # type: ignore[arg-type]
    assert [date(1970, 1, 1) + timedelta(days=int(d)) for d in days] == [
        datetime.fromtimestamp(s, tz).date()
        for s in stamps  # type: ignore[arg-type]
    ]


def test_local_midnights_across_the_spring_change() -> None:
    days = np.array([(date(2026, 3, d) - date(1970, 1, 1)).days for d in (7, 8, 9)], dtype=np.int64)
    mids = local_midnights(days, NEW_YORK)
    assert mids.tolist() == [datetime(2026, 3, d, tzinfo=NEW_YORK).timestamp() for d in (7, 8, 9)]


def test_local_timezone_follows_tz_and_the_os_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    from zoneinfo import ZoneInfo

    from app.stats.periods import SystemLocalTimezone, local_timezone

    monkeypatch.setenv("TZ", "America/New_York")
    assert local_timezone() == ZoneInfo("America/New_York")
    system = SystemLocalTimezone()
    moment = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert moment.astimezone(system).utcoffset() is not None
    assert moment.astimezone(system).astimezone(UTC) == moment
