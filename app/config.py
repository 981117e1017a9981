"""Settings: where data lives and the user's choices, persisted as JSON in the data folder.

The data folder comes from platformdirs, or from ``FIELDMAT_HOME`` (tests, portable
installs). Settings never hold secrets: tokens and passwords live in the keychain
(``app.secrets``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import platformdirs
from pydantic import BaseModel, Field, ValidationError

from app.errors import ConfigError

APP_NAME = "Fieldmat"
SETTINGS_FILE = "settings.json"


def data_dir() -> Path:
    """The folder that holds the database, logs and settings; created if missing."""
    override = os.environ.get("FIELDMAT_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


class ProviderSettings(BaseModel):
    """Where a provider lives. Secrets are not here: see ``app.secrets``."""

    base_url: str = ""
    account: str = ""
    client_id: str = ""  # WHOOP: the user's own OAuth client id (the secret is in the keychain)


def _default_providers() -> dict[str, ProviderSettings]:
    return {
        "team": ProviderSettings(),
        "yoga": ProviderSettings(),
        "whoop": ProviderSettings(base_url="https://api.prod.whoop.com"),
        "reboot": ProviderSettings(base_url="https://api.rebootmotion.com"),
    }


class Settings(BaseModel):
    """The user's settings. Unknown keys from newer versions are kept out, not fatal."""

    hold_seconds: float = Field(default=2.0, ge=0.5, le=30.0)
    auto_start_session: bool = True
    camera_source: str = "0"
    mirror_camera: bool = True
    pose_task_file: str = ""  # optional user-supplied MediaPipe PoseLandmarker .task file
    speech_enabled: bool = True
    speech_cooldown_s: float = Field(default=6.0, ge=1.0, le=60.0)
    auto_sync_on_reconnect: bool = False
    backfill_days: int = Field(default=90, ge=1, le=365)
    # Seconds a provider may stay silent mid-answer before the request is retried (sync.http).
    sync_read_timeout_s: float = Field(default=30.0, ge=0.5, le=300.0)
    providers: dict[str, ProviderSettings] = Field(default_factory=_default_providers)

    def provider(self, name: str) -> ProviderSettings:
        if name not in self.providers:
            self.providers[name] = ProviderSettings()
        return self.providers[name]


def load_settings(folder: Path | None = None) -> Settings:
    """Read settings from ``folder`` (default: the data folder); defaults when absent.

    Raises ConfigError when the file exists but cannot be parsed; the file is not touched.
    """
    path = (folder or data_dir()) / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        defaults = _default_providers()
        providers = {**{k: v.model_dump() for k, v in defaults.items()}, **raw.get("providers", {})}
        raw["providers"] = providers
        return Settings.model_validate(raw)
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigError(f"Settings file {path} is unreadable: {exc}") from exc


def save_settings(settings: Settings, folder: Path | None = None) -> None:
    """Write settings atomically (temp file + rename), so a crash never leaves half a file."""
    folder = folder or data_dir()
    path = folder / SETTINGS_FILE
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".settings-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(settings.model_dump_json(indent=2))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
