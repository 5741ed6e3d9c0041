"""Export: the spectrogram array, images, figures, WAV, Copy as Python, and whole folders."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "ExportMenu": "menu",
    "FolderExportDialog": "menu",
})
