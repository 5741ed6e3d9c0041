"""The file browser: the folder tree and the table of audio files with their facts."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "FileBrowser": "browser",
    "FileTableModel": "browser",
})
