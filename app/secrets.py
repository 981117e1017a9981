"""Secret store: tokens, passwords, API keys and client secrets, in the OS keychain only.

Contract:
- ``SecretStore.set/get/delete`` go to ``keyring`` under the service ``"Fieldmat"`` and the
  key ``"<provider>:<name>"``. Nothing here ever writes a secret to a file, the database or
  a log.
- Without a usable keychain (keyring's fail backend, or a backend error), secrets are kept
  in memory for this process only; ``persistent`` is then False and ``warning`` says so in
  words for the user. Thread-safe.
- The keychain is probed on first use, not at construction: importing keyring and asking
  it for a backend costs ~0.1-0.2 s, which does not belong on the path to a shown window.
"""

from __future__ import annotations

import logging
import threading
from types import ModuleType

SERVICE = "Fieldmat"
log = logging.getLogger(__name__)

NO_KEYCHAIN_WARNING = (
    "No system keychain is available, so sign-ins are kept in memory only and will be "
    "asked for again after Fieldmat restarts. Nothing was written to disk."
)


def _keyring() -> ModuleType:
    import keyring
    import keyring.errors

    return keyring


class SecretStore:
    def __init__(self) -> None:
        self._memory: dict[str, str] = {}
        self._lock = threading.RLock()
        self._persistent: bool | None = None

    @property
    def persistent(self) -> bool:
        """True when secrets reach the OS keychain (probed once, on first use)."""
        with self._lock:
            if self._persistent is None:
                from keyring.backends import fail

                backend = _keyring().get_keyring()
                self._persistent = not isinstance(backend, fail.Keyring)
                if not self._persistent:
                    log.warning("no keychain backend; secrets held in memory for this session")
            return self._persistent

    @persistent.setter
    def persistent(self, value: bool) -> None:
        with self._lock:
            self._persistent = value

    @property
    def warning(self) -> str | None:
        return None if self.persistent else NO_KEYCHAIN_WARNING

    @staticmethod
    def _key(provider: str, name: str) -> str:
        return f"{provider}:{name}"

    def get(self, provider: str, name: str) -> str | None:
        key = self._key(provider, name)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            if not self.persistent:
                return None
            keyring = _keyring()
            try:
                return keyring.get_password(SERVICE, key)  # type: ignore[no-any-return]
            except keyring.errors.KeyringError:
                log.warning("keychain read failed for %s", key)
                return None

    def set(self, provider: str, name: str, value: str) -> None:
        key = self._key(provider, name)
        with self._lock:
            if self.persistent:
                keyring = _keyring()
                try:
                    keyring.set_password(SERVICE, key, value)
                    self._memory.pop(key, None)
                    return
                except keyring.errors.KeyringError:
                    log.warning("keychain write failed for %s; keeping it in memory", key)
                    self.persistent = False
            self._memory[key] = value

    def delete(self, provider: str, name: str) -> None:
        key = self._key(provider, name)
        with self._lock:
            self._memory.pop(key, None)
            if self.persistent:
                keyring = _keyring()
                try:
                    keyring.delete_password(SERVICE, key)
                except keyring.errors.PasswordDeleteError:
                    pass
                except keyring.errors.KeyringError:
                    log.warning("keychain delete failed for %s", key)

    def delete_provider(self, provider: str, names: tuple[str, ...]) -> None:
        for name in names:
            self.delete(provider, name)
