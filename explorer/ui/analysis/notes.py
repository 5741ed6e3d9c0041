"""Note names (A4 = 440 Hz, equal temperament) as tick labels of a frequency axis."""

from __future__ import annotations

import numpy as np

from explorer.ui.spectrogram.axes import axis_coordinates

NAMES = ("C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B")
#: Which notes get a label first when there is no room for all: A4 (the reference), the C of
#: each octave, the other As, then E and G, then the other naturals, then the sharps.
PRIORITY = {0: 0, 9: 1, 4: 2, 7: 2, 2: 3, 5: 3, 11: 3}
MIN_PIXELS = 15  # between two labels


def midi_hz(midi):
    return 440.0 * 2.0 ** ((np.asarray(midi, dtype=np.float64) - 69) / 12)


def note_name(midi: int) -> str:
    """`A4` for MIDI 69 (librosa's `midi_to_note` spelling, with ♯)."""
    return f"{NAMES[midi % 12]}{midi // 12 - 1}"


class NoteLabeller:
    """The labeller a FrequencyAxis asks for ticks: as many notes as fit, C and A first."""

    def ticks(self, lo_hz: float, hi_hz: float, mode: str, size: float) -> list[tuple[float, str]]:
        lo_hz, hi_hz = max(lo_hz, 8.0), max(hi_hz, 8.0)
        if hi_hz <= lo_hz:
            return []
        first = int(np.ceil(69 + 12 * np.log2(lo_hz / 440.0)))
        last = int(np.floor(69 + 12 * np.log2(hi_hz / 440.0)))
        midis = np.arange(first, last + 1)
        if not len(midis):
            return []
        coords = axis_coordinates(midi_hz(midis), mode)
        c_lo, c_hi = axis_coordinates([lo_hz, hi_hz], mode)
        pixels = (coords - c_lo) / max(c_hi - c_lo, 1e-12) * max(size, 1.0)
        order = sorted(range(len(midis)), key=lambda i: (
            -1 if midis[i] == 69 else PRIORITY.get(midis[i] % 12, 4), -midis[i]))
        kept: list[int] = []
        for i in order:
            if all(abs(pixels[i] - pixels[j]) >= MIN_PIXELS for j in kept):
                kept.append(i)
        return [(float(coords[i]), note_name(int(midis[i]))) for i in sorted(kept)]
