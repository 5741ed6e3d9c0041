"""Does every control of a dock panel lie where it can be seen across? (shared by the offscreen
fit tests and the Xvfb screenshot test)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

CONTROLS = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QLabel)


def _name(w: QWidget) -> str:
    text = w.text() if hasattr(w, "text") else (w.currentText() if isinstance(w, QComboBox)
                                                 else "")
    return f"{type(w).__name__} {text[:40]!r}"


def _shown(w: QWidget, top: QWidget) -> bool:
    if not w.isVisibleTo(top):
        return False
    return not (isinstance(w, QLabel) and not w.text() and w.pixmap().isNull())


def problems(area: QAbstractScrollArea) -> list[str]:
    """What a user could not see or reach across in the dock's scroll area `area` (empty: all
    fits): a horizontal scroll range, a control outside the visible width of the dock or of a
    table it sits in, a button or field narrower than its text."""
    out: list[str] = []
    if area.horizontalScrollBar().maximum() > 0:
        out.append(f"horizontal scroll range {area.horizontalScrollBar().maximum()} px")
    panel = area.widget()
    viewport = area.viewport()
    for w in panel.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not _shown(w, panel):
            continue
        rect = QRect(w.mapTo(viewport, QPoint(0, 0)), w.size())
        if rect.left() < 0 or rect.right() > viewport.width() - 1:
            out.append(f"{_name(w)} at x {rect.left()}..{rect.right()}, the dock shows "
                       f"0..{viewport.width() - 1}")
        # inside a table (or any scrolled view) of the panel: within its visible part too
        parent = w.parentWidget()
        while parent is not None and parent is not panel:
            if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(w):
                inner = QRect(w.mapTo(parent.viewport(), QPoint(0, 0)), w.size())
                if inner.left() < 0 or inner.right() > parent.viewport().width() - 1:
                    out.append(f"{_name(w)} cut off by its {type(parent).__name__}")
                if parent.horizontalScrollBar().maximum() > 0:
                    out.append(f"{type(parent).__name__} scrolls sideways")
            parent = parent.parentWidget()
        # the text itself fits (a field or button squeezed narrower than what it shows)
        if isinstance(w, QLineEdit) and w.displayText():
            needed = w.fontMetrics().horizontalAdvance(w.displayText())
            if needed > w.width() - 2:
                out.append(f"{_name(w)}: text needs {needed} px, has {w.width()}")
        elif isinstance(w, QAbstractButton | QComboBox) and w.width() < w.minimumSizeHint().width():
            out.append(f"{_name(w)}: {w.width()} px wide, needs {w.minimumSizeHint().width()}")
        elif (isinstance(w, QLabel) and not w.wordWrap() and w.text()
              and w.width() < w.minimumSizeHint().width()):
            out.append(f"{_name(w)}: {w.width()} px wide, needs {w.minimumSizeHint().width()}")
    return sorted(set(out))
