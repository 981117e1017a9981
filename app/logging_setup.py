"""Logging to a rotating file in the data folder, with secrets scrubbed from every record."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE = "fieldmat.log"

# Anything that looks like a credential is replaced before a record is written: bearer
# tokens, JSON/form fields named like secrets, and api keys in headers.
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(
        r"(?i)([\"']?(?:access_token|refresh_token|id_token|password|client_secret|api_key|x-api-key|code|token)"
        r"[\"']?\s*[:=]\s*[\"']?)[^\"'&\s,}]+"
    ),
    # Pre-signed download URLs (Reboot Motion's data exports) are credentials until they expire.
    re.compile(r"(?i)((?:X-Amz-(?:Signature|Credential|Security-Token)|Signature|sig)=)[^&\s\"']+"),
]


def scrub(text: str) -> str:
    """Return ``text`` with credential-looking values replaced by ``***``."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text


class SecretFilter(logging.Filter):
    """Scrubs the fully formatted message, so secrets in args are caught too."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Attach a rotating file handler (1 MiB x 5) under ``folder``; idempotent per folder."""
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1 << 20, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler.addFilter(SecretFilter())
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    # httpx logs every request at INFO: a line (scrubbed, written, flushed) per request of a
    # sync, thousands for a long pull. The sync code logs its retries and outcomes itself.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, level))
    return path
