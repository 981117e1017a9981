"""Share a synced match: the team server's read-only link, as text, a QR code and a Copy button.

For the match area: ``ShareDialog(ctx, match_id, parent).show()`` (or ``open_share_dialog``).
The link is fetched from the team server in a worker (``sync.sharing.share_link``); the dialog
shows the core's words when the match is not synced yet or the server cannot be reached.
"""

from __future__ import annotations

import io

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from sync.sharing import ShareLink, share_link
from ui.ops import CancelToken, Op, close_ops, error_words, run_op


def qr_png(text: str, scale: int = 6) -> bytes:
    """A QR code of ``text`` as PNG bytes (segno, error correction M, quiet zone 4)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_pixmap(text: str, scale: int = 6) -> QPixmap:
    pixmap = QPixmap()
    if not pixmap.loadFromData(qr_png(text, scale)):  # PNG, detected from the header
        raise ValueError("the QR code image could not be read")
    return pixmap


class ShareDialog(QDialog):
    def __init__(self, ctx: AppContext, match_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.setWindowTitle("Share this match")
        self.ctx = ctx
        self.match_id = match_id
        self.url = ""
        self.note = QLabel("Getting a read-only link from the team server…")
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.link = QLineEdit()
        self.link.setObjectName("link")
        self.link.setReadOnly(True)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName("copy")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy)
        self.qr = QLabel()
        self.qr.setObjectName("qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(200, 200)
        self.expires = QLabel()
        self.expires.setObjectName("expires")
        row = QHBoxLayout()
        row.addWidget(self.link, 1)
        row.addWidget(self.copy_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(row)
        layout.addWidget(self.qr, 1)
        layout.addWidget(self.expires)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: close_ops(self))
        self.op: Op[ShareLink] = self._fetch()

    def _fetch(self) -> Op[ShareLink]:
        ctx, match_id = self.ctx, self.match_id

        def work(token: CancelToken) -> ShareLink:
            return share_link(ctx, match_id)

        return run_op(self, work, on_success=self._show_link, on_failure=self._show_error)

    def _show_link(self, link: ShareLink) -> None:
        self.url = link.url
        self.link.setText(self.url)
        self.qr.setPixmap(qr_pixmap(self.url))
        self.copy_button.setEnabled(bool(self.url))
        self.note.setText("Anyone with this link can follow the match (read only). Scan the code or copy the link.")
        if link.expires_at is not None:
            self.expires.setText(f"The link works until {link.expires_at.astimezone().strftime('%Y-%m-%d %H:%M')}.")

    def _show_error(self, exc: BaseException) -> None:
        self.note.setStyleSheet("color: #b00020;")
        self.note.setText(error_words(exc))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.url)
        self.copy_button.setText("Copied")


def open_share_dialog(ctx: AppContext, match_id: str, parent: QWidget | None = None) -> ShareDialog:
    """Open the (non-modal) share dialog for ``match_id``."""
    dialog = ShareDialog(ctx, match_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
