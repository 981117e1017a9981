"""The main window: composes the four areas, the toolbar and the menus. No business rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QToolBar,
    QWidget,
)

from app import __version__
from app.context import AppContext
from ui.bus import ChangeBus
from ui.lazy_panel import LazyPanel
from ui.settings_dialog import SettingsDialog
from ui.sync.badge import make_sync_action
from ui.theme import apply_outdoor_theme, is_outdoor

if TYPE_CHECKING:
    from ui.match.panel import MatchSharing
    from ui.sync.panel import SyncPanel  # built after the first paint (httpx, providers)

WINDOW_STATE_FILE = "window.ini"
WARMUP_DELAY_MS = 100


def _scrollable(panel: QWidget) -> QScrollArea:
    """Panels keep their own minimum sizes; on a small screen the tab scrolls instead of the
    window growing past the screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    return area


def match_sharing(ctx: AppContext) -> MatchSharing:
    """The sync area's "share this match", handed to the match area (which does not import
    the sync area). The sync modules are imported when first used, not at start-up."""
    from app.errors import FieldmatError
    from ui.match.panel import MatchSharing

    def shareable(match_id: str) -> bool:
        from sync.sharing import is_shareable

        try:
            return is_shareable(ctx, match_id)
        except FieldmatError:
            return False

    def open_dialog(match_id: str, parent: QWidget) -> QDialog:
        from ui.sync.share_dialog import ShareDialog

        return ShareDialog(ctx, match_id, parent)

    return MatchSharing(shareable=shareable, open=open_dialog)


class MainWindow(QMainWindow):
    """Tabs for Practice, Matches, Dashboard and Sync; geometry and last tab persist."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.bus = ChangeBus(self)
        self.setWindowTitle("Fieldmat")
        self._warmup_started = False
        self._state = QSettings(str(ctx.home / WINDOW_STATE_FILE), QSettings.Format.IniFormat)

        # Areas are built when first shown, or one per event-loop turn once the window is up
        # (see showEvent): the window appears before pose, match, sync and chart code (and the
        # keychain probe) is loaded. Sync goes first in that warm-up: its badge is on the toolbar.
        self.sync_area = LazyPanel(self._make_sync)
        self.practice = LazyPanel(self._make_practice)
        self.matches = LazyPanel(self._make_matches)
        self.dashboard = LazyPanel(self._make_dashboard)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for panel, title in (
            (self.practice, "&Practice"),
            (self.matches, "&Matches"),
            (self.dashboard, "&Dashboard"),
            (self.sync_area, "S&ync"),
        ):
            self.tabs.addTab(_scrollable(panel), title)
        self.setCentralWidget(self.tabs)

        # The window owns the button so that it exists (and works) before the Sync panel does.
        self.sync_action = make_sync_action(self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.triggered.connect(lambda _checked=False: self.sync.start_sync())
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.sync_action)
        self.addToolBar(toolbar)
        self._build_menus()
        self.statusBar().showMessage(f"Data folder: {ctx.home}")
        self._restore_state()

    @property
    def sync(self) -> SyncPanel:
        """The Sync panel (built now if the warm-up has not reached it yet)."""
        from ui.sync.panel import SyncPanel

        panel = self.sync_area.panel()
        assert isinstance(panel, SyncPanel)
        return panel

    def _make_sync(self) -> QWidget:
        from ui.sync.panel import SyncPanel

        panel = SyncPanel(self.ctx, self.bus, action=self.sync_action)
        # The keychain is probed here, after the window is up; its warning goes to the status bar.
        if self.ctx.secrets.warning:
            self.statusBar().showMessage(self.ctx.secrets.warning)
        return panel

    def _make_practice(self) -> QWidget:
        from ui.practice.panel import PracticePanel

        return PracticePanel(self.ctx, self.bus)

    def _make_matches(self) -> QWidget:
        from ui.match.panel import MatchPanel

        return MatchPanel(self.ctx, self.bus, sharing=match_sharing(self.ctx))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._warmup_started:
            self._warmup_started = True
            # A short delay lets the first paint happen before the other areas are built.
            QTimer.singleShot(WARMUP_DELAY_MS, self, self._build_next_area)

    def _build_next_area(self) -> None:
        """Build one not-yet-built area, then yield to the event loop before the next."""
        for lazy in (self.sync_area, self.practice, self.matches, self.dashboard):
            if not lazy.built:
                lazy.panel()
                QTimer.singleShot(0, self, self._build_next_area)
                return

    def _make_dashboard(self) -> QWidget:
        from ui.dashboard.panel import DashboardPanel

        return DashboardPanel(self.ctx, self.bus)

    @property
    def panels(self) -> list[QWidget]:
        return [self.practice, self.matches, self.dashboard, self.sync_area]

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new_match = QAction("&New match…", self)
        new_match.setShortcut(QKeySequence("Ctrl+N"))
        new_match.triggered.connect(self.new_match)
        file_menu.addAction(new_match)
        self.addAction(new_match)
        prefs = QAction("&Preferences…", self)
        # Ctrl+, everywhere (the README's key), plus the platform's own when it has another
        standard = [
            k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) if k.toString() != "Ctrl+,"
        ]
        prefs.setShortcuts([QKeySequence("Ctrl+,"), *standard])
        prefs.triggered.connect(self._preferences)
        file_menu.addAction(prefs)
        self.addAction(prefs)  # works while the menu bar is hidden (full screen), as the tab keys do
        self.new_match_action, self.preferences_action = new_match, prefs
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        for index, name in enumerate(("Practice", "Matches", "Dashboard", "Sync")):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
            self.addAction(action)  # shortcuts work even while the menu bar is hidden (full screen)
        view_menu.addSeparator()
        full = QAction("&Full screen", self)
        full.setShortcut(QKeySequence.StandardKey.FullScreen)
        full.setCheckable(True)
        full.toggled.connect(self._set_full_screen)
        view_menu.addAction(full)
        self.full_screen_action = full
        outdoor = QAction("&Outdoor theme (high contrast)", self)
        outdoor.setShortcut(QKeySequence("Ctrl+Shift+O"))
        outdoor.setCheckable(True)
        outdoor.toggled.connect(self._set_outdoor)
        view_menu.addAction(outdoor)
        self.addAction(outdoor)
        self.outdoor_action = outdoor
        # The match view has its own sunlight toggle; keep this check mark truthful.
        view_menu.aboutToShow.connect(self._sync_outdoor_check)

        sync_menu = self.menuBar().addMenu("&Sync")
        sync_menu.addAction(self.sync_action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Fieldmat", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _sync_outdoor_check(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.outdoor_action.blockSignals(True)
            self.outdoor_action.setChecked(is_outdoor(app))
            self.outdoor_action.blockSignals(False)

    def _set_outdoor(self, on: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_outdoor_theme(app, on)
        self._state.setValue("outdoor", on)
        self.bus.announce_topic("settings")

    def new_match(self) -> None:
        """Ctrl+N: the Matches area's new-match dialog."""
        self.tabs.setCurrentIndex(self.panels.index(self.matches))
        panel = self.matches.panel()
        new = getattr(panel, "new_match", None)
        if callable(new):
            new()

    def _preferences(self) -> None:
        if SettingsDialog(self.ctx, self).exec():
            self.bus.announce_topic("settings")

    def _set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Fieldmat",
            f"<b>Fieldmat {__version__}</b><p>Yoga practice coaching and pitch-side match logging, "
            f"offline first.</p><p>Data folder: {self.ctx.home}</p>",
        )

    def _restore_state(self) -> None:
        geometry = self._state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 800)
        if str(self._state.value("outdoor", "false")).lower() == "true":
            self.outdoor_action.setChecked(True)
        tab = self._state.value("tab", 0)
        self.tabs.setCurrentIndex(int(tab))  # type: ignore[call-overload]

    def save_state(self) -> None:
        self._state.setValue("geometry", self.saveGeometry())
        self._state.setValue("tab", self.tabs.currentIndex())
        self._state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_state()
        for panel in self.panels:
            shutdown = getattr(panel, "shutdown", None)
            if callable(shutdown):
                shutdown()
        super().closeEvent(event)
