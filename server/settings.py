"""The server's settings: command-line values first, then ``FIELDMAT_SERVER_*`` variables, then defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from exc


@dataclass(frozen=True)
class Settings:
    """What one server process runs with.

    Rates are requests per minute, counted apart for each bearer token and for each client
    address; 0 turns that limit off. ``cors_origins`` empty (the default) sends no CORS headers.
    """

    db_url: str | None = None
    api: str = "team"
    token_ttl_s: int = 3600
    share_ttl_h: int = 48
    rate_per_token: int = 600
    rate_per_address: int = 1200
    login_rate_per_address: int = 30
    cors_origins: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        origins = tuple(o.strip() for o in env.get("FIELDMAT_SERVER_CORS_ORIGINS", "").split(",") if o.strip())
        values: dict[str, object] = {
            "db_url": env.get("FIELDMAT_SERVER_DB") or None,
            "api": env.get("FIELDMAT_SERVER_API", "team"),
            "token_ttl_s": _int(env, "FIELDMAT_SERVER_TOKEN_TTL", 3600),
            "share_ttl_h": _int(env, "FIELDMAT_SERVER_SHARE_TTL_HOURS", 48),
            "rate_per_token": _int(env, "FIELDMAT_SERVER_RATE_PER_TOKEN", 600),
            "rate_per_address": _int(env, "FIELDMAT_SERVER_RATE_PER_ADDRESS", 1200),
            "login_rate_per_address": _int(env, "FIELDMAT_SERVER_LOGIN_RATE", 30),
            "cors_origins": origins,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
