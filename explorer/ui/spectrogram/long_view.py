"""A long file's spectrogram: the whole-file overview and the tiles of what is visible.

A mixin of SpectrogramView (its plot, image, axes and stats line): the drawing of a file too long
to hold as one array, apart from the view of a clip in memory.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer

from explorer.model.display import max_over_row_groups
from explorer.model.spectrogram import SpectrogramStats
from explorer.model.tiles import POOL_FRAMES, TILE_COLUMNS, column_step
from explorer.ui.common.time_axis import format_clock
from explorer.ui.spectrogram.tile_loader import TileLoader


class LongFileTiles:
    """The long-file half of SpectrogramView: overview columns, visible tiles, their stats."""

    def _init_long_file(self) -> None:
        """The state of a long file shown (none yet) and the timers that draw it."""
        # ---- long files: tiles of what is visible (see explorer.ui.state.long_file) ----
        self.long_spec = None  # LongSpectrogram while a long file is shown
        self.tiles = TileLoader(self)
        self.tiles.tileReady.connect(self._tile_arrived)
        self.tiles.failed.connect(lambda msg: self.set_message(
            f"tile failed: {msg.splitlines()[0]}"))
        self.long_step = 0  # column step (hops) of what is drawn now
        self.overview_step = 0
        self._ov: np.ndarray | None = None  # whole-file overview columns (NaN: not yet)
        # overview tiles drawn in, each with its (count, min, max, sum) of finite values
        self._ov_tiles: dict[int, tuple[int, float, float, float]] = {}
        self._ov_dirty = False
        self._ov_text = self._ov_tip = ""  # the whole file's stats line, and what it means
        self._levels = (0.0, 1.0)
        self._long_frames = np.zeros(0, np.int64)  # frame index of each drawn column
        self._long_values = np.zeros((0, 0), np.float32)
        self._long_col_s = 1.0
        self._long_timer = QTimer(self, singleShot=True, interval=15)
        self._long_timer.timeout.connect(self._update_long)
        self._draw_timer = QTimer(self, singleShot=True, interval=40)
        self._draw_timer.timeout.connect(self._draw_long)

    # ---- long files: tiles of what is visible -----------------------------------------------
    def _set_long(self, spec) -> None:
        """Show a long file's LongSpectrogram: the whole-file overview columns (one per pixel
        or so) first, then finer tiles wherever the view is zoomed in."""
        self.long_spec = spec
        self.spec = spec
        source = spec.source
        self.tiles.set_source(source)
        width = max(400, int(self.viewbox.width()))
        self.overview_step = column_step(source.total, width)
        self._ov = np.full((source.rows, source.columns(self.overview_step)), np.nan, np.float32)
        self._ov_tiles = {}
        self._ov_dirty = True
        self._ov_text = self._ov_tip = ""
        self._levels = (0.0, 1.0)
        self.long_step = 0
        self._set_stats("long file: computing the overview…")
        self.set_message("")
        self._setup_long_axes()
        self._update_long()

    def _leave_long(self) -> None:
        if self.long_spec is None:
            return
        self.long_spec = None
        self.tiles.set_source(None)
        self._ov = None
        self._ov_tiles = {}
        self._long_frames = np.zeros(0, np.int64)
        self._long_values = np.zeros((0, 0), np.float32)
        self._long_timer.stop()
        self._draw_timer.stop()

    def overview_complete(self) -> bool:
        spec = self.long_spec
        return spec is not None and len(self._ov_tiles) == spec.source.tile_count(
            self.overview_step)

    def _setup_long_axes(self) -> None:
        spec = self.long_spec
        self.plot.setXLink(getattr(self, "_x_partner", None))
        self.freq_axis.mode = self.axis_mode
        self.time_axis.mode = "time"
        self.plot.setLabel("bottom", "time", units=None)
        self.plot.setLabel("left", {"Hz": "frequency (Hz)", "mel": "frequency (Hz, mel scale)",
                                    "log": "frequency (Hz, log scale)"}[self.axis_mode])
        rows = len(spec.frequencies)
        index = np.arange(rows)[:, np.newaxis]
        _, c_lo, c_hi, edges = self._display_rows_of(spec.frequencies, index)
        self._edges_c = edges
        self._c_range = (c_lo, c_hi)
        # the first array row of each displayed row (evenly spaced on the axis), computed once:
        # a displayed row shows the max of the rows it covers, so no narrow line is skipped
        # (about two displayed rows per pixel of height, not 2048)
        n = int(np.clip(2 * self.viewbox.height(), 256, 2048))
        lower = c_lo + np.arange(n) * (c_hi - c_lo) / n
        self._long_rows = np.clip(np.searchsorted(edges, lower, side="right") - 1, 0, rows - 1)
        self.viewbox.setLimits(xMin=None, xMax=None, minXRange=None, yMin=c_lo, yMax=c_hi)
        self.viewbox.setYRange(c_lo, c_hi, padding=0)
        self.freq_axis.picture = None
        self.freq_axis.update()
        if self.array_mode:
            self.set_message("array mode: not for long files (no whole array is computed)")
        elif self.message.toPlainText().startswith("array mode"):
            self.set_message("")

    def _view_moved(self, *_) -> None:
        if self.long_spec is not None:
            self._refine_overview()
            self._long_timer.start()

    def _refine_overview(self) -> None:
        """A wider view (the first layout, a maximised window) gets an overview of one column
        per pixel again: the coarser columns stand in, repeated, until the finer ones arrive."""
        source = self.long_spec.source
        step = column_step(source.total, max(400, int(self.viewbox.width())))
        if step >= self.overview_step:
            return
        factor = self.overview_step // step
        self.overview_step = step
        columns = source.columns(step)
        self._ov = np.ascontiguousarray(np.repeat(self._ov, factor, axis=1)[:, :columns])
        if self._ov.shape[1] < columns:
            pad = np.full((source.rows, columns - self._ov.shape[1]), np.nan, np.float32)
            self._ov = np.concatenate([self._ov, pad], axis=1)
        self._ov_tiles = {}

    def _visible_columns(self):
        """(step, first column, last column + 1) drawn for the visible time range."""
        source = self.long_spec.source
        (x0, x1), _ = self.viewbox.viewRange()
        hop_s = source.hop_seconds
        x0, x1 = max(0.0, x0), min(source.total * hop_s, x1)
        width = max(50, int(self.viewbox.width()))
        step = min(column_step(max(1.0, (x1 - x0) / hop_s), width), self.overview_step)
        col_s = step * hop_s
        columns = source.columns(step)
        first = max(0, int(np.floor(x0 / col_s)) - 2)
        last = min(columns, int(np.ceil(x1 / col_s)) + 3)
        return step, first, max(first, last)

    def _update_long(self) -> None:
        """Asks for the tiles of the visible range (first) and of the overview (then)."""
        spec = self.long_spec
        if spec is None:
            return
        source = spec.source
        step, first, last = self._visible_columns()
        self.long_step = step
        keys = [source.key(step, i) for i in range(first // TILE_COLUMNS,
                                                   -(-last // TILE_COLUMNS))]
        ov_count = source.tile_count(self.overview_step)
        centre = (first + last) / 2 * step / (self.overview_step * TILE_COLUMNS)
        order = sorted((i for i in range(ov_count) if i not in self._ov_tiles),
                       key=lambda i: abs(i + 0.5 - centre))
        keys += [source.key(self.overview_step, i) for i in order]
        self.tiles.request(keys)
        self._draw_long()

    def _tile_arrived(self, key) -> None:
        spec = self.long_spec
        if spec is None or key.params != spec.params:
            return
        if key.step == self.overview_step and key.index not in self._ov_tiles:
            tile = self.tiles.get(key)
            a = key.index * TILE_COLUMNS
            self._ov[:, a:a + tile.shape[1]] = tile
            self._ov_tiles[key.index] = _finite_sums(tile)
            self._ov_dirty = True
            if self.overview_complete():  # the last one: show it and the final stats now
                self._draw_timer.stop()
                self._draw_long()
                return
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def _refresh_overview_stats(self) -> None:
        """Colour levels and the stats line from the overview columns computed so far (from
        each tile's sums, kept as it arrived: no pass over the whole overview)."""
        self._ov_dirty = False
        spec = self.long_spec
        sums = list(self._ov_tiles.values())
        count = sum(c for c, _, _, _ in sums)
        if not count:
            return
        vmin = min(lo for c, lo, _, _ in sums if c)
        vmax = max(hi for c, _, hi, _ in sums if c)
        mean = sum(t for _, _, _, t in sums) / count
        columns = sum(min(TILE_COLUMNS, self._ov.shape[1] - i * TILE_COLUMNS)
                      for i in self._ov_tiles)
        self.colour_bar.set_range(vmin, vmax, spec.unit)  # vmin == vmax: "constant"
        if vmax <= vmin:
            vmax = vmin + 1e-6
        self._levels = (vmin, vmax)
        stats = SpectrogramStats((self._ov.shape[0], columns), vmin, vmax, mean)
        spec.stats = stats
        done = "complete" if self.overview_complete() else "so far"
        pooled = min(self.overview_step, POOL_FRAMES)
        self._ov_text = (f"whole file, overview ({done}: {stats.shape[1]} columns)"
                         f"{_stats_numbers(stats.min, stats.max, stats.mean)}  "
                         f"[{spec.ref_text}]")
        self._ov_tip = (f"Whole file: {stats.shape[1]} overview columns ({done}), one every "
                        f"{self.overview_step} hops, each the peak of {pooled} of its frames; "
                        "its min and max set the colour scale.")

    def _show_long_stats(self, visible: tuple | None) -> None:
        """The stats line says what its numbers describe: the whole file's overview when the
        view shows all of it, else the visible columns (`visible`: their span and sums)."""
        if not self._ov_text:
            return
        if visible is None:
            text = self._ov_text
        else:
            (a, b), (count, columns, lo, hi, total), stand_in = visible
            span = b - a
            decimals = 0 if span >= 60 else 1 if span >= 1 else 3
            hours = self.long_spec.source.total * self.long_spec.source.hop_seconds >= 3600
            text = (f"visible {format_clock(a, decimals, hours)}–{format_clock(b, decimals, hours)}"
                    f" ({columns} columns{', overview until its tiles come' if stand_in else ''})"
                    f"{_stats_numbers(lo, hi, total / count) if count else ': no values'}  "
                    f"[{self.long_spec.ref_text}]")
        self._set_stats(text, self._ov_tip + ("" if visible is None else "\n" + self._ov_text))

    def _draw_long(self) -> None:
        """Composes the visible columns: finest tiles where cached, else the nearest overview
        column, and draws them (on the GUI thread: a copy and a colour lookup, no FFT)."""
        spec = self.long_spec
        if spec is None:
            return
        if self._ov_dirty:
            self._refresh_overview_stats()
        source = spec.source
        step, first, last = self._visible_columns()
        frames = np.arange(first, last, dtype=np.int64) * step
        if not len(frames):
            self.image.clear()
            return
        ov_index = np.clip(np.rint(frames / self.overview_step).astype(np.int64), 0,
                           self._ov.shape[1] - 1)
        image = self._ov[:, ov_index]
        stand_in = False  # overview columns stand in for finer ones not computed yet
        if step != self.overview_step:
            for index in range(first // TILE_COLUMNS, -(-last // TILE_COLUMNS)):
                tile = self.tiles.cache.get(source.key(step, index))
                if tile is None:
                    stand_in = True
                    continue
                a = index * TILE_COLUMNS
                lo, hi = max(a, first), min(a + tile.shape[1], last)
                if hi > lo:
                    image[:, lo - first:hi - first] = tile[:, lo - a:hi - a]
        hop_s = source.hop_seconds
        col_s = step * hop_s
        self._show_long_stats(self._visible_stats(image, frames * hop_s, stand_in))
        if not self.overview_complete():  # columns not computed yet show as the floor
            image[np.isnan(image)] = self._levels[0]
        self._long_frames, self._long_values, self._long_col_s = frames, image, col_s
        spec.values, spec.times = image, frames * hop_s
        if self.array_mode:
            return
        c_lo, c_hi = self._c_range
        shown = max_over_row_groups(image, self._long_rows)
        self.image.setImage(shown, levels=self._levels, autoLevels=False)
        self.image.setRect(frames[0] * hop_s - col_s / 2, c_lo, len(frames) * col_s, c_hi - c_lo)

    def _visible_stats(self, image: np.ndarray, times: np.ndarray, stand_in: bool):
        """None when the whole file is in view (the overview's stats say it), else the visible
        span and the (count, min, max, sum) of its finite values and its column count: three
        passes over the visible columns (~1 M values, ~1-2 ms)."""
        source = self.long_spec.source
        duration = source.total * source.hop_seconds
        (x0, x1), _ = self.viewbox.viewRange()
        a, b = max(0.0, x0), min(duration, x1)
        if b - a >= 0.99 * duration or not len(times):
            return None
        i, j = np.searchsorted(times, a), np.searchsorted(times, b, side="right")
        if j <= i:  # zoomed into less than one column: the nearest one
            i = int(np.clip(np.searchsorted(times, (a + b) / 2), 0, len(times) - 1))
            j = i + 1
        values = image[:, i:j]  # a view: no copy
        count, lo, hi, total = values.size, float(values.min()), float(values.max()), float(
            values.sum(dtype=np.float64))
        if not np.isfinite(total):  # columns not computed yet (NaN): count the others only
            count, lo, hi, total = _finite_sums(values)
        return (a, b), (count, j - i, lo, hi, total), stand_in

    def _long_value_at(self, x: float, y: float):
        frames, values = self._long_frames, self._long_values
        if not len(frames) or self._edges_c is None or self.array_mode:
            return None
        hop_s = self.long_spec.source.hop_seconds
        col = int(np.floor((x - frames[0] * hop_s) / self._long_col_s + 0.5))
        row = int(np.searchsorted(self._edges_c, y, side="right") - 1)
        if y == self._edges_c[-1]:
            row = values.shape[0] - 1
        if not (0 <= row < values.shape[0] and 0 <= col < values.shape[1]):
            return None
        return (row, int(frames[col]), float(values[row, col]), float(frames[col] * hop_s),
                float(self.long_spec.frequencies[row]))


def _stats_numbers(lo: float, hi: float, mean: float) -> str:
    return f": min {lo:.2f}  max {hi:.2f}  mean {mean:.2f}"


def _finite_sums(values: np.ndarray) -> tuple[int, float, float, float]:
    """(count, min, max, sum) of the finite values: a tile's share of the overview's stats."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0, 0.0, 0.0, 0.0
    return (int(finite.size), float(finite.min()), float(finite.max()),
            float(np.sum(finite, dtype=np.float64)))
