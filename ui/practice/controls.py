"""Practice controls: the source picker and the mode picker.

GUI thread only. None of them opens a camera: the source picker only describes a source
(``spec()``); the worker opens it when the user presses Start.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.practice.sequences import Sequence, single_pose
from pose.library import PoseLibrary

WEBCAM, VIDEO, FOLDER = "webcam", "video", "folder"
VIDEO_FILTER = "Videos (*.mp4 *.avi *.mov *.mkv *.webm);;All files (*)"


class SourcePicker(QWidget):
    """Webcam index / video file / image folder → a source spec string for ``open_source``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.setObjectName("sourceKind")
        self.kind.addItem("Webcam", WEBCAM)
        self.kind.addItem("Video file", VIDEO)
        self.kind.addItem("Image folder", FOLDER)
        self.index = QSpinBox()
        self.index.setRange(0, 9)
        self.index.setPrefix("Camera ")
        self.path = QLineEdit()
        self.path.setPlaceholderText("Choose a video file or image folder…")
        self.path.setMinimumWidth(80)
        self.browse = QPushButton("Browse…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Source:"))
        for widget in (self.kind, self.index, self.path, self.browse):
            layout.addWidget(widget)
        self.kind.currentIndexChanged.connect(self._sync)
        self.browse.clicked.connect(self._browse)
        self._sync()

    def spec(self) -> str | None:
        """ "0"-style index or a path; None when a file/folder kind has no path yet."""
        if self.kind.currentData() == WEBCAM:
            return str(self.index.value())
        text = self.path.text().strip()
        return text or None

    def set_spec(self, spec: str) -> None:
        spec = spec.strip()
        if spec.isdigit():
            self.kind.setCurrentIndex(self.kind.findData(WEBCAM))
            self.index.setValue(int(spec))
        elif spec:
            kind = FOLDER if Path(spec).expanduser().is_dir() else VIDEO
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.path.setText(spec)
        self._sync()

    def _sync(self) -> None:
        webcam = self.kind.currentData() == WEBCAM
        self.index.setVisible(webcam)
        self.path.setVisible(not webcam)
        self.browse.setVisible(not webcam)

    def _browse(self) -> None:
        if self.kind.currentData() == FOLDER:
            chosen = QFileDialog.getExistingDirectory(self, "Image folder", self.path.text())
        else:
            chosen, _ = QFileDialog.getOpenFileName(self, "Video file", self.path.text(), VIDEO_FILTER)
        if chosen:
            self.path.setText(chosen)


class ModePicker(QWidget):
    """Free practice, one pose with a target hold time, or a sequence."""

    def __init__(self, library: PoseLibrary, sequences: list[Sequence], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.combo = QComboBox()
        self.combo.setObjectName("practiceMode")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(14)
        self.hold = QDoubleSpinBox()
        self.hold.setRange(5, 600)
        self.hold.setValue(30)
        self.hold.setSuffix(" s hold")
        self.set_choices(library, sequences)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Mode:"))
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.hold)
        self.combo.currentIndexChanged.connect(self._sync)

    def set_choices(self, library: PoseLibrary, sequences: list[Sequence]) -> None:
        """(Re)fill the picker from ``library`` and ``sequences``, keeping the choice if it still exists."""
        current = self._key(self.combo.currentIndex()) if self.combo.count() else None
        self.library = library
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            self.combo.addItem("Free practice (recognise any pose)", ("free", None))
            for seq in sequences:
                suffix = "" if seq.builtin else " (yours)"
                self.combo.addItem(f"Sequence: {seq.name}{suffix} · {len(seq.steps)} poses", ("sequence", seq))
            for pose in sorted(library.all(), key=lambda p: not p.builtin):  # built-ins first
                suffix = "" if pose.builtin else " (yours)"
                self.combo.addItem(f"Pose: {pose.name}{suffix}", ("pose", pose.id))
        finally:
            self.combo.blockSignals(False)
        if current is None or not self.select(*current):
            self.combo.setCurrentIndex(0)
        self._sync()

    def pose_ids(self) -> list[str]:
        """The pose ids offered for guided single-pose practice, in order."""
        return [str(value) for kind, value in map(self._item, range(self.combo.count())) if kind == "pose"]

    def _item(self, index: int) -> tuple[str, object]:
        kind, value = self.combo.itemData(index)
        return str(kind), value

    def _key(self, index: int) -> tuple[str, str] | None:
        kind, value = self._item(index)
        if kind == "free":
            return None
        return kind, value.name if isinstance(value, Sequence) else str(value)

    def select(self, kind: str, key: str) -> bool:
        """Select the pose id or sequence name ``key``; True when found."""
        for i in range(self.combo.count()):
            k, value = self.combo.itemData(i)
            name = value.name if isinstance(value, Sequence) else value
            if k == kind and name == key:
                self.combo.setCurrentIndex(i)
                return True
        return False

    def sequence(self) -> Sequence | None:
        """The guided sequence to run, or None for free practice."""
        kind, value = self.combo.currentData()
        if kind == "sequence":
            assert isinstance(value, Sequence)
            return value
        if kind == "pose":
            pose = self.library.get(str(value))
            return single_pose(pose.id, pose.english, self.hold.value())
        return None

    def _sync(self) -> None:
        self.hold.setEnabled(self.combo.currentData()[0] == "pose")
