"""Sharing a synced match: read-only link, QR code, Copy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import segno
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.match.service import MatchService
from tests.sync_ui.helpers import fast_engine
from ui.sync.panel import SyncPanel
from ui.sync.share_dialog import ShareDialog, qr_pixmap


def test_qr_code_is_the_link(qtbot: QtBot) -> None:
    url = "https://team.example.org/m/abc123"
    pixmap = qr_pixmap(url, scale=4)
    width, height = segno.make(url, error="m", micro=False).symbol_size(scale=4, border=4)
    assert (pixmap.width(), pixmap.height()) == (width, height)
    assert qr_pixmap(url, scale=4).toImage() == pixmap.toImage()
    assert qr_pixmap(url + "x", scale=4).toImage() != pixmap.toImage()


def test_share_a_synced_match(
    qtbot: QtBot, team_connected: Any, team_app: Any, team_url: str, make_panel: Callable[..., SyncPanel]
) -> None:
    ctx = team_connected
    service = MatchService(ctx.db)
    team = service.create_team("Riverside U12")
    match = service.create_match("Riverside U12", "Hillside", datetime(2026, 5, 2, 10, tzinfo=UTC), team_id=team.id)
    panel = make_panel(engine_factory=fast_engine)
    with qtbot.waitSignal(panel.controller.finished, timeout=20_000):
        panel.sync_action().trigger()

    dialog = ShareDialog(ctx, match.id, panel)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.url != "", timeout=10_000)
    assert dialog.url.startswith(team_url + "/m/")
    assert dialog.link.text() == dialog.url
    assert dialog.qr.pixmap().toImage() == qr_pixmap(dialog.url).toImage()
    assert dialog.expires.text().startswith("The link works until ")
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.url
    dialog.close()


def test_share_an_unsynced_match_says_why(qtbot: QtBot, ctx: AppContext) -> None:
    match = MatchService(ctx.db).create_match("A", "B", datetime(2026, 5, 2, 10, tzinfo=UTC))
    dialog = ShareDialog(ctx, match.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.note.styleSheet() != "", timeout=10_000)
    assert dialog.url == ""
    assert not dialog.copy_button.isEnabled()
    assert dialog.note.text() == "Connect the team server (Accounts) to share matches."
