"""A stable colour per label value: the same word is the same colour in every view, file and
session (a hash of the text, not the order labels were met), so a tier reads at a glance."""

from __future__ import annotations

import zlib

from PySide6.QtGui import QColor

#: Hues far enough apart to tell on a dark background and on the magma spectrogram.
PALETTE = ("#4fc3f7", "#ffb74d", "#aed581", "#f06292", "#ba68c8", "#fff176", "#4db6ac",
           "#ff8a65", "#9fa8da", "#ffd54f", "#81c784", "#ce93d8")


def label_colour(text: str) -> QColor:
    """The colour of a label value: a palette entry picked by a CRC of its (stripped) text."""
    key = text.strip()
    return QColor(PALETTE[zlib.crc32(key.encode("utf-8")) % len(PALETTE)])


def with_alpha(colour: QColor, alpha: int) -> QColor:
    out = QColor(colour)
    out.setAlpha(alpha)
    return out
