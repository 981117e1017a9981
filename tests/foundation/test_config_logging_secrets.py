"""Settings, the log scrubber and the secret store."""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.config import Settings, data_dir, load_settings, save_settings
from app.errors import ConfigError
from app.logging_setup import LOG_FILE, scrub, setup_logging
from app.secrets import SecretStore


def test_data_dir_follows_fieldmat_home(fieldmat_home: Path) -> None:
    assert data_dir() == fieldmat_home


def test_settings_round_trip(fieldmat_home: Path) -> None:
    settings = Settings(hold_seconds=3.0)
    settings.provider("team").base_url = "http://127.0.0.1:9000"
    save_settings(settings)
    loaded = load_settings()
    assert loaded.hold_seconds == 3.0
    assert loaded.provider("team").base_url == "http://127.0.0.1:9000"
    assert loaded.provider("whoop").base_url.startswith("https://")


def test_broken_settings_file_is_a_clear_error(fieldmat_home: Path) -> None:
    (fieldmat_home / "settings.json").write_text("{not json")
    with pytest.raises(ConfigError, match="unreadable"):
        load_settings()


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ('{"access_token": "tok123", "x": 1}', "tok123"),
        ("grant_type=refresh_token&refresh_token=rt-999&client_secret=shh", "rt-999"),
        ("password=hunter2", "hunter2"),
        ("GET https://s3.example/x.csv?X-Amz-Credential=AKIA123&X-Amz-Signature=deadbeef", "deadbeef"),
        ("GET https://s3.example/x.csv?X-Amz-Credential=AKIA123&X-Amz-Signature=deadbeef", "AKIA123"),
    ],
)
def test_scrub_removes_secrets(text: str, secret: str) -> None:
    assert secret not in scrub(text)


def test_log_file_never_holds_a_secret(fieldmat_home: Path) -> None:
    path = setup_logging(fieldmat_home)
    logging.getLogger("fieldmat.test").warning("token response %s", {"refresh_token": "RT-SECRET-1"})
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert path.name == LOG_FILE
    assert "RT-SECRET-1" not in path.read_text()


def test_the_log_file_holds_no_line_per_http_request(fieldmat_home: Path) -> None:
    path = setup_logging(fieldmat_home)
    logging.getLogger("httpx").info('HTTP Request: POST https://team.example/api/sync/events "HTTP/1.1 200 OK"')
    logging.getLogger("httpx").warning("a warning from httpx still counts")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text()
    assert "HTTP Request" not in text and "a warning from httpx still counts" in text


def test_secret_store_uses_keychain() -> None:
    store = SecretStore()
    assert store.persistent and store.warning is None
    store.set("team", "token", "t-1")
    assert keyring.get_password("Fieldmat", "team:token") == "t-1"
    assert store.get("team", "token") == "t-1"
    store.delete("team", "token")
    assert store.get("team", "token") is None


def test_secret_store_without_keychain_keeps_memory_only(fieldmat_home: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    store = SecretStore()
    assert not store.persistent
    assert store.warning is not None and "memory" in store.warning
    store.set("yoga", "token", "SECRET-IN-MEMORY")
    assert store.get("yoga", "token") == "SECRET-IN-MEMORY"
    for path in fieldmat_home.rglob("*"):
        if path.is_file():
            assert b"SECRET-IN-MEMORY" not in path.read_bytes()
