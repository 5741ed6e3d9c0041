"""The current file's transcript, shown under the waveform when the dataset has one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class TranscriptLabel(QLabel):
    """Hidden when the file has no transcript; selectable, wrapped, at most a few lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("color: #e6e6e6; background: #262a30; padding: 3px 8px;"
                           " font-size: 11pt;")
        self.setToolTip("The transcript that goes with this file in the dataset")
        self.setMaximumHeight(64)
        self.set_transcript("")

    def set_transcript(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
