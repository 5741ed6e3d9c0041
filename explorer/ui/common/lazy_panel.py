"""A dock page that builds its content when first shown, so hidden tabs cost nothing at start-up."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget


class LazyPanel(QWidget):
    """Holds a factory; `widget()` builds the real panel once."""

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._widget: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._widget is not None

    def widget(self) -> QWidget:
        if self._widget is None:
            self._widget = self._factory()
            self.layout().addWidget(self._widget)
        return self._widget

    def build_when_shown(self, dock: QDockWidget) -> None:
        """Build when the dock's tab is selected (tabified docks all report isVisible())."""
        dock.visibilityChanged.connect(lambda visible: visible and self.widget())
