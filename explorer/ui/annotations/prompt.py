"""The line where a label's text is typed: a small field over the plot, Enter (or clicking away
after typing) keeps the text, Escape drops it; names a new label and renames one inline."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QWidget


class LabelPrompt(QLineEdit):
    """One prompt at a time per window; `ask` shows it at a point and calls back with the text."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setPlaceholderText("label, Enter to keep, Escape to cancel")
        self.setStyleSheet("QLineEdit { background: #2b2b2b; color: #f0f0f0; "
                           "border: 1px solid #ffb74d; padding: 2px; }")
        self.setMinimumWidth(220)
        self.hide()
        self._done: Callable[[str], None] | None = None
        self.returnPressed.connect(self._accept)

    def ask(self, at: QPoint, text: str, done: Callable[[str], None]) -> None:
        """Show the field at `at` (in the parent's coordinates) holding `text`, selected."""
        self._done = done
        self.setText(text)
        self.selectAll()
        self.adjustSize()
        parent = self.parentWidget()
        x = min(max(0, at.x()), max(0, parent.width() - self.width()))
        y = min(max(0, at.y()), max(0, parent.height() - self.height()))
        self.move(x, y)
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def asking(self) -> bool:
        return self.isVisible() and self._done is not None

    def _accept(self) -> None:
        done, self._done = self._done, None
        self.hide()
        if done is not None:
            done(self.text())

    def cancel(self) -> None:
        self._done = None
        self.hide()

    def event(self, event) -> bool:
        """Escape is the prompt's (not the window's "clear selection") while it is shown."""
        if event.type() == QEvent.Type.ShortcutOverride and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if self._done is not None and event.reason() != Qt.FocusReason.PopupFocusReason:
            if self.isModified():  # typed, then clicked away: what was typed is kept
                self._accept()
            else:
                self.cancel()
