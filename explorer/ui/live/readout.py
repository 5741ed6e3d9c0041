"""The live spectrum curve and the peak, level and status read-outs (a mixin of LiveView)."""

from __future__ import annotations

import numpy as np

from explorer.ui.live.level_meter import _db1

#: At or below this level (dBFS) the input reads as silent: no level, no peak frequency.
SILENT_DBFS = -120.0


class LiveReadout:
    """What the live view reads out besides its picture: spectrum, peak, level, state."""

    def _draw_spectrum(self) -> None:
        live = self.live
        # one point per display row (the strongest bin in it), as the image shows it
        values = np.maximum.reduceat(live.spectrum, self._starts)
        self.spectrum_curve.setData(np.maximum(values, self.levels[0] - 20), self._row_coords)

    def _update_status(self, force: bool = False) -> None:
        live, inp = self.live, self.input
        silent = False
        if live is not None and live.total_columns:
            hz, db = live.peak()
            silent = live.peak_dbfs <= SILENT_DBFS
            if silent or db <= SILENT_DBFS:  # no "-200.0 dBFS", no "peak 0 Hz" of nothing
                self.peak_label.setText("peak        —           ")
                self.peak_marker.setData([], [])
            else:
                self.peak_label.setText(f"peak {hz:7.0f} Hz {_db1(db)} dBFS")
                if self.spectrum_widget.isVisible():
                    self.peak_marker.setData([db], [float(self._coord(np.array([hz]))[0])])
            self.level_label.setText(
                "level: silent" if silent else
                f"level peak {_db1(live.peak_dbfs)}  RMS {_db1(live.rms_dbfs)} dBFS")
        xruns = inp.xruns
        if xruns != self._last_xruns or force:
            self._last_xruns = xruns
            colour = "#e05050" if xruns else "#40b060"
            self.xrun_label.setText(f"<span style='color:{colour}'>● {xruns} xruns</span>")
            self.xrun_label.setToolTip(
                f"input overflows {inp.input_overflows}, player underflows {inp.underflows}, "
                f"ring overruns {inp.overruns}")
        state = inp.state
        if state == "failed":
            text = inp.message
            if self._timer.isActive():
                self._timer.stop()  # a stopped view; choosing a source again restarts it
                self._running = False
            self._show_message(text)
        elif state == "opening":
            text = inp.message
        elif state == "stopped":
            text = "stopped"
        else:
            text = inp.message + ("  (frozen)" if self.frozen else "")
            shown = f"silent: no sound above {SILENT_DBFS:.0f} dBFS" if silent else ""
            if self.message.toPlainText() != shown:
                self._show_message(shown)
        if self.status_label.text() != text:
            self.status_label.setText(text)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        self.message.setPos((x0 + x1) / 2, (y0 + y1) / 2)
