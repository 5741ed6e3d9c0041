"""Facts about the current clip (and its resampled twin): rate, length, format, levels, array."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtWidgets import QTextEdit, QVBoxLayout, QWidget

from explorer.model import AudioClip, AudioInfo


def array_text(clip: AudioClip) -> str:
    """The signal as numpy prints it (default summarisation, `[0. 0. ... 0.00048828]`), on one
    logical line: the panel wraps it to its own width instead of numpy's 75 columns."""
    return np.array2string(clip.mono(), max_line_width=1_000_000)


def format_dbfs(value: float) -> str:
    """A level to 0.01 dB; a full-scale level a hair below 0 reads "0.00", never "-0.00"."""
    if not np.isfinite(value):
        return "-inf dBFS (silent)"
    return f"{round(float(value), 2) + 0.0:.2f} dBFS"  # + 0.0 turns -0.0 into 0.0


def clip_rows(clip: AudioClip) -> list[tuple[str, str]]:
    fmt = "/".join(x for x in (clip.format, clip.subtype) if x) or "in memory"
    rows = [("Warning", clip.warning)] if clip.warning else []
    rows += [
        ("Sample rate", f"{clip.sample_rate} Hz"),
        ("Length", f"{clip.frames} samples"),
        ("Duration", f"{clip.duration:.3f} s"),
        ("Channels", str(clip.channels)),
        ("Format", fmt),
        ("dtype", str(clip.dtype)),
        ("Peak", format_dbfs(clip.peak_dbfs())),
        ("RMS", format_dbfs(clip.rms_dbfs())),
    ]
    return rows


def info_rows(facts: AudioInfo) -> list[tuple[str, str]]:
    rows = [("Warning", facts.warning)] if facts.warning else []
    return rows + [
        ("Sample rate", f"{facts.sample_rate} Hz"),
        ("Length", f"{facts.frames} samples"),
        ("Duration", f"{facts.duration:.3f} s"),
        ("Channels", str(facts.channels)),
        ("Format", f"{facts.format}/{facts.subtype}"),
    ]


class InfoPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QTextEdit()
        self.view.setReadOnly(True)
        self.view.setAcceptDrops(False)
        self.view.viewport().setAcceptDrops(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._body = ""
        self._dataset = ""
        self.clear()

    def text(self) -> str:
        return self.view.toPlainText()

    def _show(self, body: str) -> None:
        self._body = body
        self.view.setHtml(body + self._dataset)

    def clear(self) -> None:
        self._dataset = ""
        self._show("<p style='color:#888'>No clip loaded.</p>")

    def set_dataset_facts(self, flags: list[str], error: str = "", status: str = "") -> None:
        """The current file's dataset flags (from the Dataset scan) under its facts; `status`
        instead when it is not measured (yet)."""
        if status:
            rows = [("Flags", status)]
        else:
            rows = [("Flags", ", ".join(flags) if flags else "none")]
            if error:
                rows.append(("Error", error))
        self._dataset = self._table("Dataset", rows)
        self.view.setHtml(self._body + self._dataset)

    def clear_dataset_facts(self) -> None:
        self._dataset = ""
        self.view.setHtml(self._body)

    @staticmethod
    def _table(title: str, rows: list[tuple[str, str]]) -> str:
        out = [f"<p style='margin:6px 0 2px 0'><b>{html.escape(title)}</b></p>",
               "<table cellspacing='0' cellpadding='1'>"]
        for key, value in rows:
            style = " style='color:#ffb347'" if key == "Warning" else ""
            out.append(f"<tr><td style='color:#9a9a9a; padding-right:10px' valign='top'>"
                       f"{html.escape(key)}</td><td{style}>{html.escape(value)}</td></tr>")
        out.append("</table>")
        return "".join(out)

    @staticmethod
    def _array(clip: AudioClip, text: str | None = None) -> str:
        label = "y (mono mix of the channels)" if clip.channels > 1 else "y"
        text = array_text(clip) if text is None else text
        return (f"<p style='margin:4px 0 0 0; color:#9a9a9a'>{label}</p>"
                f"<pre style='margin:0; white-space:pre-wrap'>{html.escape(text)}</pre>")

    def _section(self, title: str, clip: AudioClip, summary: dict | None) -> str:
        rows, text = (summary or {}).get(id(clip)) or (clip_rows(clip), array_text(clip))
        return self._table(title, rows) + self._array(clip, text)

    def show_loading(self, name: str, facts: AudioInfo | None = None) -> None:
        body = self._table(name, info_rows(facts)) if facts else f"<p><b>{html.escape(name)}</b></p>"
        self._show(body + "<p style='color:#888'>Decoding…</p>")

    def show_clip(self, original: AudioClip, resampled: AudioClip | None = None,
                  summary: dict | None = None) -> None:
        """The facts of a clip (and its resampled twin); `summary` holds them precomputed."""
        body = self._section(original.name, original, summary)
        if resampled is not None and resampled is not original:
            body += self._section(f"Resampled to {resampled.sample_rate} Hz (shown and played)",
                                  resampled, summary)
        self._show(body)

    def show_error(self, name: str, message: str) -> None:
        self._show(f"<p><b>{html.escape(name)}</b></p>"
                   f"<p style='color:#ff6e6e'>Cannot open: {html.escape(message)}</p>")
