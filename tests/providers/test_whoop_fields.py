"""Every WHOOP field is kept: walk the official spec's schemas, pull, find each value stored.

For cycles, recovery, sleep, workouts, the basic profile and body measurements, a record is
built from ``../shared/providers/whoop/openapi.json`` with EVERY documented property (nested
objects through ``$ref``), each leaf a distinct value. After one pull through the emulator
(real HTTP, real SQLite) each leaf's value must be found at its path in the stored row.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import SQLModel, select

from app.context import AppContext
from app.models.providers import WhoopCycle, WhoopProfile, WhoopRecovery, WhoopSleep, WhoopWorkout
from sync.http import no_sleep_policy
from sync.provider import SyncRun
from sync.whoop.provider import WhoopProvider
from sync.whoop.ratelimit import TokenBucket
from tests import loopback
from tests.emulators.server import LocalServer
from tests.emulators.whoop import WhoopData, WhoopEmulator, z
from tests.providers.helpers import NOW, FakeClock, connect_whoop

# spec schema -> (where the emulator serves it, the table that must keep it)
RESOURCES = {
    "Cycle": ("cycles", WhoopCycle),
    "Recovery": ("recoveries", WhoopRecovery),
    "Sleep": ("sleeps", WhoopSleep),
    "WorkoutV2": ("workouts", WhoopWorkout),
    "UserBasicProfile": ("profile", WhoopProfile),
    "UserBodyMeasurement": ("body", WhoopProfile),
}
WHEN = z(NOW - timedelta(days=2))


class Values:
    """Distinct, type-correct values for the leaves of a schema."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.counter = itertools.count(1)

    def build(self, schema: dict[str, Any], name: str) -> Any:
        if "$ref" in schema:
            return self.build(self.schemas[schema["$ref"].rsplit("/", 1)[-1]], name)
        kind, fmt, n = schema.get("type"), schema.get("format"), next(self.counter)
        if kind == "object" or "properties" in schema:
            return {key: self.build(sub, key) for key, sub in schema.get("properties", {}).items()}
        if name == "score_state":
            return "SCORED"  # the state in which WHOOP sends every score field
        if "enum" in schema:
            return schema["enum"][n % len(schema["enum"])]
        if kind == "integer":
            return 1000 + n
        if kind == "number":
            return 10.25 + n
        if kind == "boolean":
            return n % 2 == 0
        if fmt == "date-time":
            return WHEN
        if fmt == "uuid":
            return f"00000000-0000-4000-8000-{n:012d}"
        if name == "timezone_offset":
            return "+02:00"
        return f"{name}-{n}"


def leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from leaves(sub, (*path, key))
    else:
        yield path, value


def at(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return KeyError(".".join(path))
        value = value[key]
    return value


@pytest.fixture
def spec_schemas(shared_dir: Path) -> dict[str, Any]:
    spec = json.loads((shared_dir / "providers" / "whoop" / "openapi.json").read_text(encoding="utf-8"))
    return dict(spec["components"]["schemas"])


def test_every_documented_field_survives_a_pull(ctx: AppContext, spec_schemas: dict[str, Any]) -> None:
    values = Values(spec_schemas)
    records = {name: values.build(spec_schemas[name], name) for name in RESOURCES}
    records["Recovery"]["cycle_id"] = records["Cycle"]["id"]
    records["Recovery"]["sleep_id"] = records["Sleep"]["id"]
    records["Sleep"]["cycle_id"] = records["Cycle"]["id"]
    data = WhoopData(user_id=records["UserBasicProfile"]["user_id"])
    for name, (where, _table) in RESOURCES.items():
        if where in ("profile", "body"):
            setattr(data, where, records[name])
        else:
            getattr(data, where).append(records[name])
    emu = WhoopEmulator(data)
    with LocalServer(emu) as server, loopback.client(timeout=10.0) as http:
        ctx.clock = lambda: NOW
        connect_whoop(ctx, emu, server, http)
        clock = FakeClock()
        run = SyncRun(ctx=ctx, client=http, provider="whoop", retry=no_sleep_policy(), phase="pull")
        WhoopProvider(ctx, http, bucket=TokenBucket(600, burst=50, clock=clock, sleep=clock.sleep)).pull(run)

    with ctx.db.session() as s:
        stored: dict[type[SQLModel], list[Any]] = {
            t: list(s.exec(select(t)).all()) for t in {t for _w, t in RESOURCES.values()}
        }
    checked = 0
    lost: list[str] = []
    for name, (where, table) in RESOURCES.items():
        (row,) = stored[table]
        raw = row.raw if where not in ("profile", "body") else row.raw[where]
        for path, value in leaves(records[name]):
            checked += 1
            if at(raw, path) != value:
                lost.append(f"{name}.{'.'.join(path)}: sent {value!r}, stored {at(raw, path)!r}")
    assert not lost, "WHOOP fields not kept:\n" + "\n".join(lost)
    # The walk reached the nested schemas too (sleep_needed, stage_summary, zone_durations).
    assert checked >= 60, checked
    assert ("score", "zone_durations", "zone_five_milli") in dict(leaves(records["WorkoutV2"]))
    assert ("score", "sleep_needed", "baseline_milli") in dict(leaves(records["Sleep"]))
