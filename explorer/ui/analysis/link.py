"""Wires the analysis layers into the main window: the Layers dock (tabbed beside the
spectrogram settings, built when first shown), the overlays on the spectrogram, the feature
strip and image views under it (linked time axis), the time-frequency box, Measure (Ctrl+Shift+M)
and the Measurements dock."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSplitter, QWidget

from explorer.ui.analysis.box import TimeFrequencyBox
from explorer.ui.analysis.compute import measure_job
from explorer.ui.analysis.controller import AnalysisLayers, error_text
from explorer.ui.analysis.images import ImageView
from explorer.ui.analysis.layers import BY_KEY
from explorer.ui.analysis.measurements import MeasurementsTable
from explorer.ui.analysis.notes import NoteLabeller
from explorer.ui.analysis.overlay import Overlay
from explorer.ui.analysis.strip import FeatureStrip
from explorer.ui.common.lazy_panel import LazyPanel

#: The views under the spectrogram, top to bottom.
VIEW_ORDER = ("strip", "mfcc", "chroma", "cqt")


class AnalysisLink(QObject):
    """Made by the main window before its menus (so View lists the docks)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        session, spectrogram = window.session, window.spectrogram
        self.layers = AnalysisLayers(session, self)
        self.overlay = Overlay(spectrogram.plot, lambda: spectrogram.axis_mode)
        self.box = TimeFrequencyBox(spectrogram, session, self)
        # the spectrogram and the views under it share a splitter of their own, in the place the
        # spectrogram had: the window's splitter keeps its two parts (waveform, spectrogram)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        window.splitter.replaceWidget(window.splitter.indexOf(spectrogram), self.splitter)
        self.splitter.addWidget(spectrogram)
        # the strip and the image views are made when first shown (they cost the start ~0.1 s)
        self._strip: FeatureStrip | None = None
        self.images: dict[str, ImageView] = {}
        self._measured = 0

        self.page = LazyPanel(self._make_panel)
        self.dock = window._dock("Layers", "analysis-layers", self.page,
                                 Qt.DockWidgetArea.RightDockWidgetArea, scroll=True)
        window.tabifyDockWidget(window.controls_dock, self.dock)
        window.controls_dock.raise_()
        self.page.build_when_shown(self.dock)
        self.table = MeasurementsTable()
        self.table.measureRequested.connect(self.measure)
        self.measurements_dock = window._dock("Measurements", "measurements", self.table,
                                              Qt.DockWidgetArea.BottomDockWidgetArea)
        self.measurements_dock.hide()
        self.measure_action = QAction("&Measure selection", window)
        self.measure_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.measure_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.measure_action.triggered.connect(lambda _checked=False: self.measure())
        window.addAction(self.measure_action)

        # the views re-render on these first; the overlays and the box follow them
        self._redraw_timer = QTimer(self, singleShot=True, interval=0)
        self._redraw_timer.timeout.connect(self._redraw)
        window.controls.axisModeChanged.connect(lambda *_: self._redraw_timer.start())
        window.controls.arrayModeChanged.connect(lambda *_: self._redraw_timer.start())
        window.controls.colormapChanged.connect(self._colormap)
        session.spectrogramChanged.connect(lambda *_: self._redraw_timer.start())
        window.waveform.viewbox.sigXRangeChanged.connect(self._view_moved)
        self.layers.layerChanged.connect(self._layer_changed)

    # ---- the views under the spectrogram, made on first use -----------------------------------
    @property
    def strip(self) -> FeatureStrip:
        if self._strip is None:
            self._strip = FeatureStrip()
            self._add_view(self._strip, "strip")
        return self._strip

    def image(self, key: str) -> ImageView:
        if key not in self.images:
            view = self.images[key] = ImageView(key)
            view.set_colormap(self.window.spectrogram.colormap)
            self._add_view(view, key)
            if view.overlay is not None:  # the pitch and markers shown already
                for other, data in self.overlay.data.items():
                    view.overlay.set_layer(other, data)
        return self.images[key]

    def _add_view(self, view: QWidget, name: str) -> None:
        """Under the spectrogram in the order strip, MFCC, chroma, CQT."""
        order = VIEW_ORDER.index(name)
        after = [w for w in (self._strip, *self.images.values()) if w is not None
                 and w is not view and VIEW_ORDER.index(getattr(w, "key", "strip")) < order]
        view.hide()
        self.splitter.insertWidget(1 + len(after), view)
        window, session = self.window, self.window.session
        view.link_x(window.waveform.plot)
        view.seekRequested.connect(window.playback.seek)
        view.selectionChanged.connect(session.set_selection)
        session.selectionChanged.connect(view.set_selection)
        view.set_selection(session.selection)

    def _make_panel(self) -> QWidget:
        from explorer.ui.analysis.panel import LayersPanel

        panel = LayersPanel(self.layers)
        panel.noteNamesToggled.connect(self.set_note_names)
        panel.measureRequested.connect(self.measure)
        return panel

    @property
    def panel(self):
        return self.page.widget()

    def add_menu(self) -> None:
        """An Analysis menu before Help: Measure, the Layers and Measurements docks."""
        window = self.window
        bar = window.menuBar()
        help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        menu = bar.addMenu("&Analysis") if help_action is None else None
        if menu is None:
            from PySide6.QtWidgets import QMenu

            menu = QMenu("&Analysis", window)
            bar.insertMenu(help_action, menu)
        menu.addAction(self.measure_action)
        menu.addSeparator()
        layers = menu.addAction("&Layers…")
        layers.triggered.connect(self.show_layers)
        table = menu.addAction("Measurements &table")
        table.triggered.connect(self.show_measurements)
        self.menu = menu

    def show_layers(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def show_measurements(self) -> None:
        dock = self.measurements_dock
        if not dock.isVisible():
            dock.show()
            window = self.window
            window.resizeDocks([dock], [max(180, window.height() // 4)], Qt.Orientation.Vertical)
        dock.raise_()

    # ---- drawing -----------------------------------------------------------------------------------
    def _layer_changed(self, key: str) -> None:
        spec = BY_KEY[key]
        shown = self.layers.visible[key]
        data = self.layers.data[key] if shown else None
        if spec.place in ("over", "markers"):
            self.overlay.set_layer(key, data)
            if "cqt" in self.images:
                self.images["cqt"].overlay.set_layer(key, data)
        elif spec.place == "strip":
            if self._strip is None and not shown:
                return
            rows = len(self.strip.plots)
            self.strip.set_layer(key, data, shown)
            if len(self.strip.plots) != rows:
                self._arrange()
        else:
            if key not in self.images and not shown:
                return
            view = self.image(key)
            view.set_data(data)
            if view.isVisibleTo(self.window) != shown:
                view.setVisible(shown)
                self._arrange()

    def _arrange(self) -> None:
        """Heights in the splitter when a view comes or goes: the strip its rows, an image
        view 220 px, the rest to the waveform (2/5) and the spectrogram (3/5), as at start."""
        outer = self.window.splitter
        total = sum(outer.sizes())
        views = [self.splitter.widget(i) for i in range(1, self.splitter.count())]
        wanted = [(v.wanted_height() if v is self._strip else 220)
                  if v.isVisibleTo(self.window) else 0 for v in views]
        rest = max(total - sum(wanted), 340)
        outer.setSizes([rest * 2 // 5, total - rest * 2 // 5])
        self.splitter.setSizes([rest - rest * 2 // 5, *wanted])

    def _redraw(self) -> None:
        spectrogram = self.window.spectrogram
        self.overlay.set_enabled(not spectrogram.array_mode)
        self.box.redraw()

    def _colormap(self, name: str) -> None:
        for view in self.images.values():
            view.set_colormap(name)

    def set_note_names(self, on: bool) -> None:
        axis = self.window.spectrogram.freq_axis
        axis.labeller = NoteLabeller() if on else None
        axis.picture = None
        axis.update()

    def _view_moved(self, *_args) -> None:
        (x0, x1), _ = self.window.waveform.viewbox.viewRange()
        self.layers.set_view_span(x0, x1)

    # ---- measuring -----------------------------------------------------------------------------
    def measure(self) -> None:
        """Measures the box (or the selection) off the GUI thread; the row arrives after."""
        session = self.window.session
        clip = session.clip
        chosen = self.box.selection()
        if clip is None or chosen is None:
            self._say("Nothing to measure: drag a time selection, or Ctrl+drag a box on the "
                      "spectrogram")
            return
        start, end, low, high = chosen
        self._measured += 1
        name = clip.name
        self.show_measurements()
        self.table.set_status("measuring…")
        self.layers.jobs.submit(
            f"measure:{self._measured}", measure_job, clip, start, end, low, high,
            on_done=lambda m, s: self._measured_row(name, m),
            on_error=lambda exc, s: self._say(f"Measure failed: {error_text(exc)}"))

    def _measured_row(self, name: str, measurement) -> None:
        self.table.add_row(name, measurement.to_row())
        count = len(self.table.rows)
        self.table.set_status(f"{count} row{'s' * (count != 1)}")

    def _say(self, text: str) -> None:
        self.table.set_status(text)
        self.window.statusBar().showMessage(text, 8000)

    def shutdown(self) -> None:
        self.layers.shutdown()
