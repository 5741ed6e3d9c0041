"""A drag source like a file manager's: `python drag_source.py PATH...` shows a small window;
pressing the mouse in it starts a drag of the paths as file URLs (Copy or Move allowed, Move
proposed) and prints the action the drop target chose ("CopyAction", "IgnoreAction"...)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QApplication, QLabel

TITLE = "Drag source"


class Source(QLabel):
    def __init__(self, paths: list[str]) -> None:
        super().__init__("drag me")
        self.paths = paths
        self.setWindowTitle(TITLE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.resize(160, 100)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(p) for p in self.paths])
        drag = QDrag(self)
        drag.setMimeData(mime)
        action = drag.exec(Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
                           Qt.DropAction.MoveAction)
        print(action.name, flush=True)
        # the target reads the URLs from this process after the drop: stay a moment
        QTimer.singleShot(3000, QApplication.quit)


def main() -> int:
    app = QApplication(sys.argv[:1])
    source = Source(sys.argv[1:])
    source.show()
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
