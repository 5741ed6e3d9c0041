"""What the main window remembers between runs: geometry and dock layout, spectrogram settings,
colour map, frequency axis, volume, the dataset table's hidden columns (and the recent folders,
kept by the File menu)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray

from explorer.ui.shell import settings as settings_mod
from explorer.ui.spectrogram.axes import AXIS_MODES


def restore_window(window) -> None:
    """Back as it was left; a first start gets the default geometry (sized when shown)."""
    st = window.settings
    geometry = st.value("geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.dock_sizes.default_geometry()
    state = st.value("windowState")
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)
    params = settings_mod.params_from_text(st.value("params", ""))
    window.controls.set_params(params)
    window.session.params = params
    colormap = str(st.value("colormap", window.spectrogram.colormap))
    if window.controls.colormap.findText(colormap) >= 0:
        window.controls.colormap.setCurrentText(colormap)
    axis = str(st.value("axisMode", "Hz"))
    if axis in AXIS_MODES:
        window.controls.axis_mode.setCurrentText(axis)
    try:
        volume = int(st.value("volume", 100))
    except (TypeError, ValueError):
        volume = 100
    window.transport.volume.setValue(max(0, min(100, volume)))
    if st.contains("datasetHiddenColumns"):  # else the table's own defaults
        hidden = str(st.value("datasetHiddenColumns", ""))
        window.dataset.view.set_hidden_columns(filter(None, hidden.split(",")))
    window.recent.rebuild()


def save_window(window) -> None:
    st = window.settings
    st.setValue("geometry", window.saveGeometry())
    st.setValue("windowState", window.saveState())
    st.setValue("params", settings_mod.params_to_text(window.session.params))
    st.setValue("colormap", window.spectrogram.colormap)
    st.setValue("axisMode", window.spectrogram.axis_mode)
    st.setValue("volume", window.transport.volume.value())
    st.setValue("datasetHiddenColumns", ",".join(window.dataset.view.hidden_columns()))
    st.sync()
