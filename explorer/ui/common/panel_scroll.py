"""The scroll area of a dock panel: scrolls up and down, not sideways.

It asks for the width its panel needs (the panel's minimum width), so the dock cannot be made
narrower than that: no control of a panel hides behind a horizontal scrollbar. (The widest
panel state, ~330 px, still leaves the window no wider than its toolbar already makes it, ~1090
px; should the docks' minimums ever not fit, the panel scrolls sideways rather than being cut.)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class PanelScrollArea(QScrollArea):
    """A scroll area as wide as its content's minimum width (plus the vertical scrollbar): it
    scrolls up and down only."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidget(widget)
        self._asked = -1  # the content width last reported to the dock
        widget.installEventFilter(self)

    def content_width(self) -> int:
        """The narrowest the content can be without cutting a control off."""
        widget = self.widget()
        if widget is None:
            return 0
        return max(widget.minimumSizeHint().width(), widget.minimumWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().minimumSizeHint()
        # room for the vertical scrollbar too: a tall panel must not lose width to it
        need = (self.content_width() + self.verticalScrollBar().sizeHint().width()
                + 2 * self.frameWidth())
        return QSize(max(hint.width(), need), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.minimumSizeHint().width()), hint.height())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # the content's minimum width changed (a panel built, a column shown): tell the dock,
        # and only then (a relayout of the main window for every label change would be waste)
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            width = self.content_width()
            if width != self._asked:
                self._asked = width
                self.updateGeometry()
        return super().eventFilter(obj, event)
