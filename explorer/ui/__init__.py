"""The desktop GUI (PySide6 + pyqtgraph). Only this package imports Qt."""

from explorer.ui.common import qtfix as _qtfix

_qtfix.apply()  # PySide6 6.12.0 refcount bug: see qtfix.py
