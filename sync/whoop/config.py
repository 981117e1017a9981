"""WHOOP endpoints, scopes and keychain names (one place; URLs derive from one base URL setting)."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import AppContext
from sync.http import check_base_url

PROVIDER = "whoop"
LABEL = "WHOOP service"
DEFAULT_BASE_URL = "https://api.prod.whoop.com"

SCOPES = (
    "offline",
    "read:recovery",
    "read:cycles",
    "read:workout",
    "read:sleep",
    "read:profile",
    "read:body_measurement",
)

# Keychain names under the provider "whoop" (never in settings, the database or logs).
SECRET_CLIENT_SECRET = "client_secret"
SECRET_REFRESH_TOKEN = "refresh_token"
SECRET_ACCESS_TOKEN = "access_token"
SECRET_ACCESS_EXPIRES = "access_expires_at"  # epoch seconds, kept with the token it describes
ALL_SECRETS = (SECRET_CLIENT_SECRET, SECRET_REFRESH_TOKEN, SECRET_ACCESS_TOKEN, SECRET_ACCESS_EXPIRES)

PAGE_LIMIT = 25  # the spec's maximum for collection endpoints
TRAILING_WINDOW_DAYS = 14  # re-fetched on every sync: WHOOP has no updated-since filter
REQUESTS_PER_MINUTE = 90  # WHOOP allows 100/min per client; keep a margin
TOKEN_EARLY_REFRESH_S = 120  # refresh this long before the access token expires


@dataclass(frozen=True)
class WhoopEndpoints:
    """Where WHOOP lives. ``from_base`` derives all three from the one ``base_url`` setting."""

    api_base: str  # e.g. https://api.prod.whoop.com/developer  (paths below start with /v2/)
    authorize_url: str
    token_url: str

    @classmethod
    def from_base(cls, base_url: str) -> WhoopEndpoints:
        base = check_base_url(base_url or DEFAULT_BASE_URL)
        return cls(
            api_base=f"{base}/developer",
            authorize_url=f"{base}/oauth/oauth2/auth",
            token_url=f"{base}/oauth/oauth2/token",
        )

    @classmethod
    def from_context(cls, ctx: AppContext) -> WhoopEndpoints:
        return cls.from_base(ctx.settings.provider(PROVIDER).base_url)
