"""The window's docks: how one is made, and their sizes at first start, on Reset layout and
when the window grows (each side takes its share instead of the centre taking it all)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QWidget

from explorer.ui.common.lazy_panel import LazyPanel
from explorer.ui.common.panel_scroll import PanelScrollArea


def make_dock(window: QMainWindow, title: str, name: str, widget: QWidget, area,
              scroll: bool = False) -> QDockWidget:
    """A movable, floatable, closable dock holding `widget`, added to `window` at `area`."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    if scroll:  # a tall panel scrolls; the dock is kept as wide as the panel needs
        area_widget = PanelScrollArea(widget)
        area_widget.setAcceptDrops(False)
        dock.setWidget(area_widget)
    else:
        dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(area, dock)
    return dock


class PanelDocks:
    """The tone generator and scales panels as tabs beside `beside` (the spectrogram controls),
    and the live spectrogram at the bottom, hidden (View > Live spectrogram, Ctrl+L); each panel
    is built the first time its dock is shown (or it is asked for), not at start-up."""

    def __init__(self, window, beside: QDockWidget) -> None:
        self.window = window
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.tone_page = LazyPanel(self._make_tone_panel)
        self.scales_page = LazyPanel(self._make_scales_panel)
        docks = [make_dock(window, "Tone generator", "tone-generator", self.tone_page, right,
                           scroll=True),
                 make_dock(window, "Scales", "scales", self.scales_page, right, scroll=True)]
        for dock in docks:
            window.tabifyDockWidget(beside, dock)
        beside.raise_()
        for dock, page in zip(docks, (self.tone_page, self.scales_page), strict=True):
            page.build_when_shown(dock)
        self.live_page = LazyPanel(self._make_live_view)
        self.live_dock = make_dock(window, "Live spectrogram", "live", self.live_page,
                                   Qt.DockWidgetArea.BottomDockWidgetArea)
        self.live_page.build_when_shown(self.live_dock)
        self.live_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+L"))

    def _make_live_view(self) -> QWidget:
        from explorer.ui.live.view import LiveView

        view = LiveView(player=self.window.player)
        view.openInExplorer.connect(self.window.open_clip)
        return view

    def _make_tone_panel(self) -> QWidget:
        from explorer.ui.tones.panel import ToneGeneratorPanel

        panel = ToneGeneratorPanel(player=self.window.player)
        panel.openInExplorer.connect(self.window.open_clip)
        return panel

    def _make_scales_panel(self) -> QWidget:
        from explorer.ui.scales.panel import ScalesPanel

        return ScalesPanel()


class DockSizes:
    """Sizes the main window and its docks: `files_dock` over `info_dock` on the left, the
    `controls_dock` (tabbed with the panels) on the right, the `live_dock` at the bottom."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window  # its docks are read when sizing: they are made after this
        #: Set when the window got its default geometry: the docks are sized once it is shown.
        self.needs_sizes = False

    def default_geometry(self) -> None:
        window = self.window
        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry() if screen else None
        width, height = 1280, 800
        if avail is not None:  # 1280x800 or 80% of a bigger screen, never more than the screen
            width = min(max(width, int(avail.width() * 0.8)), avail.width())
            height = min(max(height, int(avail.height() * 0.8)), avail.height())
        window.resize(width, height)
        if avail is not None:
            window.move(avail.x() + (avail.width() - width) // 2,
                        avail.y() + (avail.height() - height) // 2)
        self.needs_sizes = True

    def size_docks(self) -> None:
        window = self.window
        width, height = window.width(), window.height()
        grow = max(0, width - 1280) // 4  # a wider window widens both docks, not just the centre
        left = 340 + grow if width >= 1200 else 290
        right = 340 + grow if width >= 1200 else 300  # the tone/scales panels need ~320 px
        files, info = window.files_dock, window.info_dock
        window.resizeDocks([files, window.controls_dock], [left, right],
                           Qt.Orientation.Horizontal)
        window.resizeDocks([files, info], [int(height * 0.5), int(height * 0.5)],
                           Qt.Orientation.Vertical)

    def size_live_dock(self, visible: bool) -> None:
        """Opened at the bottom, the live view gets a readable height (about a third)."""
        window = self.window
        dock = window.live_dock
        if visible and not dock.isFloating() and dock.height() < 260:
            window.resizeDocks([dock], [max(260, window.height() // 3)], Qt.Orientation.Vertical)

    def share_growth(self, old: int, new: int) -> None:
        """A window made wider (maximised, say) widens each side dock by a quarter of the gain, as
        the first layout does, instead of giving it all to the centre (narrowing is Qt's own)."""
        window = self.window
        if not window.isVisible() or old <= 0 or new <= old or self.needs_sizes:
            return
        share = (new - old) // 4
        docks = [d for d in window.findChildren(QDockWidget)
                 if d.isVisible() and not d.isFloating() and window.dockWidgetArea(d) in (
                     Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)]
        # one dock per side is enough: stacked and tabbed docks share their side's width
        sides = {window.dockWidgetArea(d): d for d in docks}
        if sides:
            targets = list(sides.values())
            window.resizeDocks(targets, [d.width() + share for d in targets],
                               Qt.Orientation.Horizontal)
