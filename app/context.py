"""AppContext: the one object built in ``main()`` and passed down to every service and panel."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.config import Settings, data_dir, load_settings, save_settings
from app.db import Database
from app.logging_setup import setup_logging
from app.secrets import SecretStore

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    """Everything a service needs. Build it with ``AppContext.create()``; no globals.

    ``clock`` is the wall clock (injectable in tests). Thread-safe parts: ``db``, ``secrets``
    and ``save_settings`` (serialized). ``settings`` is changed on the GUI thread where the app
    can arrange it; a worker that must record a connected account's address may assign a
    field and call ``save_settings`` (single assignments are atomic; saves are serialized).
    """

    home: Path
    settings: Settings
    db: Database
    secrets: SecretStore
    clock: Callable[[], datetime] = field(default=_utc_now)
    _settings_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def create(cls, home: Path | None = None) -> AppContext:
        """Open the data folder: logging, settings, database (migrated). Raises FieldmatError."""
        home = home or data_dir()
        setup_logging(home)
        settings = load_settings(home)
        db = Database.open(home)
        log.info("Fieldmat opened data folder %s", home)
        return cls(home=home, settings=settings, db=db, secrets=SecretStore())

    def save_settings(self) -> None:
        with self._settings_lock:
            save_settings(self.settings, self.home)

    def close(self) -> None:
        self.db.close()
