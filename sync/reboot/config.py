"""Reboot Motion constants and keychain names."""

from __future__ import annotations

from app.context import AppContext
from sync.http import check_base_url

PROVIDER = "reboot"
LABEL = "Reboot Motion service"
DEFAULT_BASE_URL = "https://api.rebootmotion.com"

# Keychain names under "reboot" (the same names ``sync.accounts.disconnect`` forgets).
SECRET_API_KEY = "api_key"
SECRET_TOKEN = "token"
SECRET_EMAIL = "email"
SECRET_PASSWORD = "password"
SECRET_REFRESH_TOKEN = "refresh_token"

PAGE_LIMIT = 100  # sessions per page (offset/limit; the official toolkit uses 150)
UPDATED_OVERLAP_DAYS = 1  # re-ask a day before the cursor (clock skew, late processing)
DEFAULT_DATA_TYPE = "inverse-kinematics"
EXPORT_DIR = "reboot"  # under the data folder


def base_url(ctx: AppContext) -> str:
    return check_base_url(ctx.settings.provider(PROVIDER).base_url or DEFAULT_BASE_URL)
