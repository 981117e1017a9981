"""WHOOP v2 records (spec ``components.schemas``) and their mapping to our tables.

The mapped columns are the ones the Dashboard reads; every row also keeps the record as WHOOP
sent it (``raw``), so no field is lost, including ones WHOOP adds later (``Cycle.step_count``). ``score`` is read
only when ``score_state == "SCORED"``; otherwise every score column is stored as NULL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import ValidationError as PydanticValidationError
from sqlmodel import SQLModel

from app.models.providers import WhoopCycle, WhoopProfile, WhoopRecovery, WhoopSleep, WhoopWorkout
from sync.errors import ProtocolError

SCORED = "SCORED"


class _Api(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _Timed(_Api):
    updated_at: datetime

    @field_validator("updated_at", "start", "end", "created_at", mode="after", check_fields=False)
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _utc(value)


class CycleScore(_Api):
    strain: float | None = None
    kilojoule: float | None = None
    average_heart_rate: int | None = None
    max_heart_rate: int | None = None


class Cycle(_Timed):
    id: int
    start: datetime
    end: datetime | None = None
    timezone_offset: str = "Z"
    score_state: str
    score: CycleScore | None = None


class RecoveryScore(_Api):
    user_calibrating: bool | None = None
    recovery_score: float | None = None
    resting_heart_rate: float | None = None
    hrv_rmssd_milli: float | None = None
    spo2_percentage: float | None = None
    skin_temp_celsius: float | None = None


class Recovery(_Timed):
    cycle_id: int
    sleep_id: str | None = None
    created_at: datetime
    score_state: str
    score: RecoveryScore | None = None


class StageSummary(_Api):
    total_in_bed_time_milli: int | None = None
    total_awake_time_milli: int | None = None
    total_light_sleep_time_milli: int | None = None
    total_slow_wave_sleep_time_milli: int | None = None
    total_rem_sleep_time_milli: int | None = None


class SleepScore(_Api):
    stage_summary: StageSummary | None = None
    respiratory_rate: float | None = None
    sleep_performance_percentage: float | None = None
    sleep_consistency_percentage: float | None = None
    sleep_efficiency_percentage: float | None = None


class Sleep(_Timed):
    id: str
    cycle_id: int | None = None
    start: datetime
    end: datetime
    timezone_offset: str = "Z"
    nap: bool = False
    score_state: str
    score: SleepScore | None = None


class WorkoutScore(_Api):
    strain: float | None = None
    average_heart_rate: int | None = None
    max_heart_rate: int | None = None
    kilojoule: float | None = None
    distance_meter: float | None = None


class Workout(_Timed):
    id: str
    start: datetime
    end: datetime
    timezone_offset: str = "Z"
    sport_name: str = ""
    score_state: str
    score: WorkoutScore | None = None


class Profile(_Api):
    user_id: int
    email: str = ""
    first_name: str = ""
    last_name: str = ""


class Body(_Api):
    height_meter: float | None = None
    weight_kilogram: float | None = None
    max_heart_rate: int | None = None


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], raw: Any, what: str) -> M:
    try:
        return model.model_validate(raw)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ProtocolError(f"WHOOP sent a {what} Fieldmat cannot read ({where}: {first.get('msg')}).") from exc


def _scored(state: str, score: Any) -> Any:
    return score if state == SCORED else None


def cycle_row(c: Cycle, raw: dict[str, Any] | None = None) -> WhoopCycle:
    s = _scored(c.score_state, c.score) or CycleScore()
    return WhoopCycle(
        id=c.id,
        start=c.start,
        end=c.end,
        timezone_offset=c.timezone_offset,
        score_state=c.score_state,
        strain=s.strain,
        kilojoule=s.kilojoule,
        average_heart_rate=s.average_heart_rate,
        max_heart_rate=s.max_heart_rate,
        updated_at=c.updated_at,
        raw=raw,
    )


def recovery_row(r: Recovery, raw: dict[str, Any] | None = None) -> WhoopRecovery:
    s = _scored(r.score_state, r.score) or RecoveryScore()
    return WhoopRecovery(
        cycle_id=r.cycle_id,
        sleep_id=r.sleep_id,
        score_state=r.score_state,
        recovery_score=s.recovery_score,
        resting_heart_rate=s.resting_heart_rate,
        hrv_rmssd_milli=s.hrv_rmssd_milli,
        spo2_percentage=s.spo2_percentage,
        skin_temp_celsius=s.skin_temp_celsius,
        user_calibrating=s.user_calibrating,
        created_at=r.created_at,
        updated_at=r.updated_at,
        raw=raw,
    )


def sleep_row(x: Sleep, raw: dict[str, Any] | None = None) -> WhoopSleep:
    s = _scored(x.score_state, x.score) or SleepScore()
    st = s.stage_summary or StageSummary()
    return WhoopSleep(
        id=x.id,
        cycle_id=x.cycle_id,
        start=x.start,
        end=x.end,
        timezone_offset=x.timezone_offset,
        nap=x.nap,
        score_state=x.score_state,
        sleep_performance_percentage=s.sleep_performance_percentage,
        sleep_efficiency_percentage=s.sleep_efficiency_percentage,
        sleep_consistency_percentage=s.sleep_consistency_percentage,
        respiratory_rate=s.respiratory_rate,
        total_in_bed_time_milli=st.total_in_bed_time_milli,
        total_awake_time_milli=st.total_awake_time_milli,
        total_light_sleep_time_milli=st.total_light_sleep_time_milli,
        total_slow_wave_sleep_time_milli=st.total_slow_wave_sleep_time_milli,
        total_rem_sleep_time_milli=st.total_rem_sleep_time_milli,
        updated_at=x.updated_at,
        raw=raw,
    )


def workout_row(w: Workout, raw: dict[str, Any] | None = None) -> WhoopWorkout:
    s = _scored(w.score_state, w.score) or WorkoutScore()
    return WhoopWorkout(
        id=w.id,
        start=w.start,
        end=w.end,
        timezone_offset=w.timezone_offset,
        sport_name=w.sport_name,
        score_state=w.score_state,
        strain=s.strain,
        average_heart_rate=s.average_heart_rate,
        max_heart_rate=s.max_heart_rate,
        kilojoule=s.kilojoule,
        distance_meter=s.distance_meter,
        updated_at=w.updated_at,
        raw=raw,
    )


def profile_row(p: Profile, b: Body | None, raw: dict[str, Any] | None = None) -> WhoopProfile:
    body = b or Body()
    return WhoopProfile(
        user_id=p.user_id,
        email=p.email,
        first_name=p.first_name,
        last_name=p.last_name,
        height_meter=body.height_meter,
        weight_kilogram=body.weight_kilogram,
        max_heart_rate=body.max_heart_rate,
        raw=raw,
    )


def record_start(row: SQLModel) -> datetime | None:
    value = getattr(row, "start", None) or getattr(row, "created_at", None)
    return value if isinstance(value, datetime) else None
