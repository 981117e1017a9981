"""Start the GUI: QApplication, the AppContext, the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from app.context import AppContext
from app.errors import FieldmatError
from ui.main_window import MainWindow


def run_gui() -> int:
    """Open the window and run the event loop; returns the exit status."""
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
    try:
        return qt_app.exec()
    finally:
        ctx.close()
