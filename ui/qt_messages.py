"""Qt's own warnings (plug-ins that fail to load, such as the "speechd" text-to-speech engine)
go to Fieldmat's log, not to the terminal.

The log's records reach the terminal only with ``--verbose`` (``app.terminal``), so the user
sees Qt's chatter only when asking for it, and the log file keeps it with a time stamp.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _forward(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "qt"
    log.log(_LEVELS.get(kind, logging.WARNING), "[%s] %s", category, message)


def route_qt_messages_to_log() -> None:
    """Install the handler for the whole process (Qt keeps one; the last installed wins)."""
    qInstallMessageHandler(_forward)
