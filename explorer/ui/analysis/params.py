"""Editors of one layer's librosa parameters (librosa's names and defaults, from the model's
feature_params): a line per parameter; an empty field means librosa's default."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget

from explorer.ui.analysis.layers import HIDDEN_PARAMS


def parse(text: str, kind: type, default):
    """The value a field holds, or raises ValueError saying what is expected."""
    text = text.strip()
    if not text:
        return default
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise ValueError("a whole number") from None
    if kind is float:
        try:
            return float(text)
        except ValueError:
            raise ValueError("a number") from None
    return text


def shown(value) -> str:
    return "" if value is None else f"{value:.6g}" if isinstance(value, float) else str(value)


class ParamsEditor(QWidget):
    """Emits `edited(name, value)` when a field is changed to a valid value."""

    edited = Signal(str, object)

    def __init__(self, params: tuple, values: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.params = {p.name: p for p in params if p.name not in HIDDEN_PARAMS}
        form = QFormLayout(self)
        form.setContentsMargins(18, 0, 0, 4)
        form.setVerticalSpacing(2)
        for name, p in self.params.items():
            value = values.get(name, p.default)
            if p.kind is bool:
                field = QCheckBox()
                field.setChecked(bool(value))
                field.toggled.connect(lambda on, n=name: self.edited.emit(n, bool(on)))
            else:
                field = QLineEdit(shown(value))
                field.setPlaceholderText("librosa's default" if p.default is None else shown(p.default))
                field.setToolTip(f"librosa's {name} ({p.kind.__name__}); default "
                                 f"{shown(p.default) or 'None (computed by librosa)'}")
                field.editingFinished.connect(lambda n=name: self._finished(n))
            self.fields[name] = field
            form.addRow(name, field)

    def _finished(self, name: str) -> None:
        field = self.fields[name]
        p = self.params[name]
        try:
            value = parse(field.text(), p.kind, p.default)
        except ValueError as exc:
            field.setStyleSheet("border: 1px solid #ff5252;")
            field.setToolTip(f"{name}: expected {exc}")
            return
        field.setStyleSheet("")
        self.edited.emit(name, value)

    def set_text(self, name: str, text: str) -> None:
        """Types into a field and finishes it, as a user does (tests)."""
        self.fields[name].setText(text)
        self._finished(name)
