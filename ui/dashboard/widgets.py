"""Dashboard building blocks: a number card, a chart box (PNG export), a table box (CSV export)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

SORT_ROLE = Qt.ItemDataRole.UserRole
MIN_PNG_WIDTH = 1000

Cell = tuple[str, Any]  # (display text, sort key)


class Card(QFrame):
    """A big number with a caption ("12" / "mindful minutes")."""

    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"card_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.value = QLabel("–")
        self.value.setObjectName(f"card_{key}_value")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, text: str, tooltip: str = "") -> None:
        self.value.setText(text)
        self.setToolTip(tooltip)


class RowsModel(QAbstractTableModel):
    """Read-only rows of (display, sort key) cells; ``row_ids`` tie rows to records."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[Cell]] = []
        self.row_ids: list[str] = []

    def set_rows(self, rows: list[list[Cell]], row_ids: list[str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.row_ids = row_ids if row_ids is not None else [""] * len(rows)
        self.endResetModel()

    def append_rows(self, rows: list[list[Cell]], row_ids: list[str]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.row_ids.extend(row_ids)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text, key = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == SORT_ROLE:
            return key
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(key, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def text_rows(self) -> list[list[str]]:
        return [[text for text, _key in row] for row in self.rows]


class ChartBox(QFrame):
    """A titled pyqtgraph plot with "Export PNG…"; shows ``empty_text`` while it has no data."""

    def __init__(
        self,
        key: str,
        title: str,
        empty_text: str,
        *,
        date_axis: pg.AxisItem | None = None,
        left_axis: pg.AxisItem | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"chart_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        self.title = QLabel(f"<b>{title}</b>")
        header.addWidget(self.title)
        header.addStretch(1)
        self.tools = QHBoxLayout()
        header.addLayout(self.tools)
        self.export_button = QPushButton("Export PNG…")
        self.export_button.setObjectName(f"export_png_{key}")
        self.export_button.clicked.connect(self._ask_export)
        header.addWidget(self.export_button)
        layout.addLayout(header)
        axes: dict[str, pg.AxisItem] = {}
        if date_axis is not None:
            axes["bottom"] = date_axis
        if left_axis is not None:
            axes["left"] = left_axis
        self.plot = pg.PlotWidget(axisItems=axes or None)
        self.plot.setBackground("w")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMinimumHeight(180)
        self.empty = QLabel(empty_text)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.plot)
        layout.addWidget(self.stack, 1)
        self.set_has_data(False)

    @property
    def plot_item(self) -> pg.PlotItem:
        return self.plot.getPlotItem()

    def set_has_data(self, has: bool) -> None:
        self.stack.setCurrentWidget(self.plot if has else self.empty)
        self.export_button.setEnabled(has)

    def has_data(self) -> bool:
        return self.stack.currentWidget() is self.plot

    def export_png(self, path: Path) -> Path:
        """Render the plot to a PNG file (GUI thread: it paints the scene)."""
        exporter = ImageExporter(self.plot_item)
        params = exporter.parameters()
        width = max(MIN_PNG_WIDTH, int(self.plot.width()))
        params["width"] = width
        exporter.export(str(path))
        return path

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export chart", f"{self.key}.png", "PNG image (*.png)")
        if name:
            self.export_png(Path(name))


class TableBox(QFrame):
    """A titled, sortable table with "Export CSV…" and room for more buttons."""

    csv_requested = Signal(Path)

    def __init__(self, key: str, title: str, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"table_{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        self.title = QLabel(f"<b>{title}</b>")
        self.note = QLabel("")
        header.addWidget(self.title)
        header.addWidget(self.note)
        header.addStretch(1)
        self.tools = QHBoxLayout()
        header.addLayout(self.tools)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName(f"export_csv_{key}")
        self.export_button.clicked.connect(self._ask_export)
        header.addWidget(self.export_button)
        layout.addLayout(header)
        self.model = RowsModel(headers, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # keep the given order
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAlternatingRowColors(True)
        layout.addWidget(self.view, 1)

    def selected_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.row_ids[source.row()] or None

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export table", f"{self.key}.csv", "CSV (*.csv)")
        if name:
            self.csv_requested.emit(Path(name))


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    """Write a table as UTF-8 CSV (with a BOM, so spreadsheet apps detect the encoding)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def add_tool(layout: QHBoxLayout, widget: QWidget, on: Callable[[], None] | None = None) -> None:
    if on is not None and isinstance(widget, QPushButton):
        widget.clicked.connect(on)
    layout.addWidget(widget)
