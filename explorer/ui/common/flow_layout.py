"""A layout that places its items left to right and wraps onto new lines when the width runs out.

Narrow docks (the right-hand panels at 1280x800) then show every control without a horizontal
scrollbar, and a wider dock puts more of them on one line (Qt's own flow layout example).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items in reading order, wrapped to the width; its height follows the width (heightForWidth)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6,
                 line_spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    # ---- QLayout interface ----
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Everything on one line."""
        visible = self._visible()
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((i.sizeHint().height() for i in visible), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        """The widest single item: narrower than that, something would be cut off."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # ---- placement ----
    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Place (or only measure) the items in `rect`; returns the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        line: list[tuple[QLayoutItem, int, QSize]] = []

        def finish_line() -> None:
            for item, left, size in line:
                # items of one line are centred on it vertically
                top = y + (line_height - size.height()) // 2
                item.setGeometry(QRect(QPoint(left, top), size))

        for item in self._visible():
            size = item.sizeHint().expandedTo(item.minimumSize())
            size.setWidth(min(size.width(), max(area.width(), item.minimumSize().width())))
            if line and x + size.width() > area.right() + 1:
                if apply:
                    finish_line()
                line = []
                x = area.x()
                y += line_height + self._line_spacing
                line_height = 0
            line.append((item, x, size))
            x += size.width() + self._spacing
            line_height = max(line_height, size.height())
        if apply:
            finish_line()
        return y + line_height - rect.y() + m.bottom()


def flow_row(*widgets: QWidget, spacing: int = 6) -> QWidget:
    """A widget holding `widgets` in a wrapping row (its height follows its width)."""
    holder = QWidget()
    layout = FlowLayout(holder, spacing=spacing)
    for w in widgets:
        layout.addWidget(w)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder


def group(*widgets: QWidget, spacing: int = 4) -> QWidget:
    """Widgets kept together on one line (a label and its field), for a FlowLayout."""
    from PySide6.QtWidgets import QHBoxLayout

    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for w in widgets:
        layout.addWidget(w)
    return holder
