"""The window shell: the application, the main window, single instance and settings."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "MainWindow": "main_window",
    "InstanceServer": "single_instance",
    "run": "app",
})
