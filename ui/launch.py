"""Start the GUI: QApplication, the AppContext, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.context import AppContext
from app.errors import FieldmatError
from ui.main_window import MainWindow
from ui.qt_messages import route_qt_messages_to_log

SCREENSHOT_DELAY_MS = 1500


def run_gui(screenshot: Path | None = None) -> int:
    """Open the window and run the event loop; returns the exit status.

    With ``screenshot``, the window is grabbed from the screen once shown and the app quits.
    """
    route_qt_messages_to_log()  # before QApplication: platform plug-ins warn while it starts
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Fieldmat")
    qt_app.setOrganizationName("Fieldmat")
    try:
        ctx = AppContext.create()
    except FieldmatError as exc:
        QMessageBox.critical(None, "Fieldmat cannot open its data", str(exc))
        return 2
    window = MainWindow(ctx)
    window.show()
    if screenshot is not None:

        def grab() -> None:
            screen = window.screen()
            # Grab from the screen (not QWidget.grab) so the picture is what a person sees,
            # window frame and all, where a window manager draws one.
            frame = window.frameGeometry()
            if qt_app.platformName() == "xcb":
                picture = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
            else:
                picture = window.grab()
            picture.save(str(screenshot))
            window.close()

        QTimer.singleShot(SCREENSHOT_DELAY_MS, grab)
    try:
        return qt_app.exec()
    finally:
        ctx.close()
