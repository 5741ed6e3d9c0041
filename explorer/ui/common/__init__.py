"""Qt helpers shared by the feature packages: background jobs, lazy panels, PySide6 fixes."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {"Jobs": "jobs", "LazyPanel": "lazy_panel"})
