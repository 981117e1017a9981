"""Dialogs of "Teach a pose": name the pose being taught, and browse/delete the pose library.

GUI thread only; no business rules: the panel passes the checks and the save/delete
actions in (they live in :mod:`app.practice.user_poses`). Both dialogs are opened
non-modally with ``open()``/``show()`` so the live view keeps running behind them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import FieldmatError
from app.practice.user_poses import PoseCatalog
from pose.library import PoseDefinition

PREVIEW_SIZE = 360
ERROR_STYLE = "color: #c0392b; font-weight: bold;"

#: Saves the pose named (english, sanskrit, description); raises FieldmatError to refuse.
SaveAction = Callable[[str, str, str], PoseDefinition]
#: The id a name would get; raises FieldmatError (shown as a hint) when it cannot be used.
CheckName = Callable[[str], str]


class TeachPoseDialog(QDialog):
    """Shows the body being taught (skeleton drawn) and asks for the pose's names.

    Save calls ``save``; a refusal (duplicate name, too few joints visible...) is shown in
    words and the dialog stays open. On success ``saved`` carries the new definition.
    """

    saved = Signal(object)  # PoseDefinition

    def __init__(
        self,
        image: QImage | None,
        save: SaveAction,
        check_name: CheckName,
        *,
        source: str,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teachPoseDialog")
        self.setWindowTitle("Teach a pose")
        self._save, self._check_name = save, check_name
        self.preview = QLabel()
        self.preview.setObjectName("teachPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if image is not None and not image.isNull():
            self.preview.setPixmap(
                QPixmap.fromImage(image).scaled(
                    PREVIEW_SIZE,
                    PREVIEW_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview.setText("(no picture)")
        intro = QLabel(f"Save the pose in {source} as your own. Its targets are taken from this body.")
        intro.setWordWrap(True)
        self.note = QLabel(note)
        self.note.setObjectName("teachNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.english = QLineEdit()
        self.english.setObjectName("teachEnglish")
        self.english.setPlaceholderText("e.g. My Goddess")
        self.english.setMaxLength(120)
        self.sanskrit = QLineEdit()
        self.sanskrit.setObjectName("teachSanskrit")
        self.sanskrit.setPlaceholderText("optional")
        self.description = QPlainTextEdit()
        self.description.setObjectName("teachDescription")
        self.description.setPlaceholderText("optional: how to get into the pose")
        self.description.setFixedHeight(70)
        self.hint = QLabel("")
        self.hint.setObjectName("teachHint")
        self.hint.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("teachError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save pose")

        form = QFormLayout()
        form.addRow("English name:", self.english)
        form.addRow("Sanskrit name:", self.sanskrit)
        form.addRow("Description:", self.description)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(intro)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.english.textChanged.connect(self._update_hint)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        self._update_hint()

    def try_save(self) -> PoseDefinition | None:
        """Save with the names entered; None (the reason shown in the dialog) when refused."""
        try:
            pose = self._save(self.english.text(), self.sanskrit.text(), self.description.toPlainText())
        except FieldmatError as exc:
            self.error.setText(str(exc))
            return None
        self.error.setText("")
        self.saved.emit(pose)
        self.accept()
        return pose

    def _update_hint(self) -> None:
        self.error.setText("")
        name = self.english.text().strip()
        if not name:
            self.hint.setText("Give the pose a name.")
            self.save_button.setEnabled(False)
            return
        self.save_button.setEnabled(True)
        try:
            pose_id = self._check_name(name)
        except FieldmatError as exc:
            self.hint.setText(str(exc))
            self.hint.setStyleSheet(ERROR_STYLE)
            return
        self.hint.setStyleSheet("")
        self.hint.setText(f"Saved as {pose_id}.json in your poses folder.")


class PoseLibraryDialog(QDialog):
    """Every pose (built-in and the user's) with its names and description.

    The user's own poses are marked "Yours" and can be deleted (``delete_requested``);
    built-in poses cannot. ``teach_photo_requested`` asks the panel to teach from a photo.
    The panel calls :meth:`set_catalog` after every change.
    """

    delete_requested = Signal(str)  # pose id
    teach_photo_requested = Signal()

    COLUMNS = ("Pose", "Sanskrit", "Kind", "Description")

    def __init__(self, catalog: PoseCatalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("poseLibraryDialog")
        self.setWindowTitle("Pose library")
        self.resize(760, 480)
        self.catalog = catalog
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("poseTable")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.teach_button = QPushButton("Teach from a photo…")
        self.delete_button = QPushButton("Delete pose")
        self.delete_button.setObjectName("deletePoseButton")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.teach_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.table.itemSelectionChanged.connect(self._sync_buttons)
        self.teach_button.clicked.connect(self.teach_photo_requested)
        self.delete_button.clicked.connect(self._request_delete)
        self.close_button.clicked.connect(self.close)
        self.set_catalog(catalog)

    def set_catalog(self, catalog: PoseCatalog) -> None:
        """Show ``catalog`` (keeps the selected pose selected if it still exists)."""
        selected = self.selected_pose_id()
        self.catalog = catalog
        poses = catalog.poses()
        self.table.setRowCount(len(poses))
        for row, pose in enumerate(poses):
            mine = catalog.is_user_pose(pose.id)
            cells = (pose.english, pose.sanskrit, "Yours" if mine else "Built-in", pose.description)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, pose.id)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        mine_count = sum(catalog.is_user_pose(p.id) for p in poses)
        text = f"{len(poses)} poses: {len(poses) - mine_count} built-in, {mine_count} yours."
        if catalog.errors:
            text += " Not loaded: " + "; ".join(catalog.errors)
        self.summary.setText(text)
        if selected is None or not self.select(selected):
            self.table.clearSelection()
        self._sync_buttons()

    def pose_ids(self) -> list[str]:
        """Pose ids in table order."""
        return [pose_id for row in range(self.table.rowCount()) if (pose_id := self._pose_at(row)) is not None]

    def row_texts(self, pose_id: str) -> list[str] | None:
        """The cells shown for ``pose_id`` (None when it is not listed)."""
        row = self._row_of(pose_id)
        if row is None:
            return None
        items = [self.table.item(row, c) for c in range(self.table.columnCount())]
        return [item.text() if item is not None else "" for item in items]

    def select(self, pose_id: str) -> bool:
        """Select the row of ``pose_id``; True when found."""
        row = self._row_of(pose_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _pose_at(self, row: int) -> str | None:
        item = self.table.item(row, 0)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _row_of(self, pose_id: str) -> int | None:
        return next((row for row in range(self.table.rowCount()) if self._pose_at(row) == pose_id), None)

    def selected_pose_id(self) -> str | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self._pose_at(rows[0].row()) if rows else None

    def _sync_buttons(self) -> None:
        pose_id = self.selected_pose_id()
        mine = pose_id is not None and self.catalog.is_user_pose(pose_id)
        self.delete_button.setEnabled(mine)
        if pose_id is not None and not mine:
            self.delete_button.setToolTip("Built-in poses cannot be deleted.")
        else:
            self.delete_button.setToolTip("Delete the selected pose of yours.")

    def _request_delete(self) -> None:
        pose_id = self.selected_pose_id()
        if pose_id is not None and self.catalog.is_user_pose(pose_id):
            self.delete_requested.emit(pose_id)
