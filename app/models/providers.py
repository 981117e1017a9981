"""Pulled provider data (WHOOP v2, Reboot Motion), upserted by the provider's own ids."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import json_field, ts_field


def raw_field() -> Any:
    """The record as the provider sent it. NULL only for WHOOP rows pulled before migration
    prov_0001 (filled by the next pull that covers them)."""
    return Field(default=None, sa_column=Column(JSON, nullable=True))


class WhoopProfile(SQLModel, table=True):
    __tablename__ = "whoop_profile"

    user_id: int = Field(primary_key=True)
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    height_meter: float | None = None
    weight_kilogram: float | None = None
    max_heart_rate: int | None = None
    raw: dict[str, Any] | None = raw_field()


class WhoopCycle(SQLModel, table=True):
    __tablename__ = "whoop_cycle"

    id: int = Field(primary_key=True)
    start: datetime = ts_field(index=True)
    end: datetime | None = ts_field(nullable=True)
    timezone_offset: str = "Z"
    score_state: str
    strain: float | None = None
    kilojoule: float | None = None
    average_heart_rate: int | None = None
    max_heart_rate: int | None = None
    updated_at: datetime = ts_field()
    raw: dict[str, Any] | None = raw_field()


class WhoopRecovery(SQLModel, table=True):
    __tablename__ = "whoop_recovery"

    cycle_id: int = Field(primary_key=True)
    sleep_id: str | None = None
    score_state: str
    recovery_score: float | None = None
    resting_heart_rate: float | None = None
    hrv_rmssd_milli: float | None = None
    spo2_percentage: float | None = None
    skin_temp_celsius: float | None = None
    user_calibrating: bool | None = None
    created_at: datetime = ts_field(index=True)
    updated_at: datetime = ts_field()
    raw: dict[str, Any] | None = raw_field()


class WhoopSleep(SQLModel, table=True):
    __tablename__ = "whoop_sleep"

    id: str = Field(primary_key=True)
    cycle_id: int | None = None
    start: datetime = ts_field(index=True)
    end: datetime = ts_field()
    timezone_offset: str = "Z"
    nap: bool = False
    score_state: str
    sleep_performance_percentage: float | None = None
    sleep_efficiency_percentage: float | None = None
    sleep_consistency_percentage: float | None = None
    respiratory_rate: float | None = None
    total_in_bed_time_milli: int | None = None
    total_awake_time_milli: int | None = None
    total_light_sleep_time_milli: int | None = None
    total_slow_wave_sleep_time_milli: int | None = None
    total_rem_sleep_time_milli: int | None = None
    updated_at: datetime = ts_field()
    raw: dict[str, Any] | None = raw_field()


class WhoopWorkout(SQLModel, table=True):
    __tablename__ = "whoop_workout"

    id: str = Field(primary_key=True)
    start: datetime = ts_field(index=True)
    end: datetime = ts_field()
    timezone_offset: str = "Z"
    sport_name: str = ""
    score_state: str
    strain: float | None = None
    average_heart_rate: int | None = None
    max_heart_rate: int | None = None
    kilojoule: float | None = None
    distance_meter: float | None = None
    updated_at: datetime = ts_field()
    raw: dict[str, Any] | None = raw_field()


class RebootPlayer(SQLModel, table=True):
    __tablename__ = "reboot_player"

    org_player_id: str = Field(primary_key=True)
    first_name: str = ""
    last_name: str = ""
    raw: dict[str, Any] = json_field(dict)


class RebootSession(SQLModel, table=True):
    __tablename__ = "reboot_session"

    id: str = Field(primary_key=True)
    session_date: str | None = Field(default=None, index=True)  # YYYY-MM-DD
    session_name: str = ""
    status: str = ""
    updated_at: datetime | None = ts_field(nullable=True)
    raw: dict[str, Any] = json_field(dict)


class RebootExport(SQLModel, table=True):
    """A downloaded ``/data_export`` file (cached under the data folder; URLs expire)."""

    __tablename__ = "reboot_export"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(index=True)
    org_player_id: str = ""
    movement_type_id: int = 0
    data_type: str = "inverse-kinematics"
    path: str  # relative to the data folder
    fetched_at: datetime = ts_field(default_now=True)
