"""Perceptual scales: Hz <-> mel (HTK and Slaney, as librosa) and ratios <-> decibels.

The conversions equal `librosa.hz_to_mel` / `mel_to_hz` (rtol 1e-12, pinned by
tests/model/test_scales.py) but are written out here: the Scales panel and the spectrogram's mel
axis are drawn at start-up, and the first `librosa.hz_to_mel` call imports ~0.45 s of librosa.
"""

from __future__ import annotations

import numpy as np

# Slaney's mel scale: linear below 1 kHz, logarithmic above (librosa's default, htk=False).
_F_SP = 200.0 / 3
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0

#: The notebook's perceptual table of pitch: (Hz, mel) pairs.
PERCEPTUAL_TABLE = (
    (20, 0), (160, 250), (394, 500), (670, 750), (1000, 1000), (1420, 1250), (1900, 1500),
    (2450, 1750), (3120, 2000), (4000, 2250), (5100, 2500), (6600, 2750), (9000, 3000),
    (14000, 3250),
)

#: The notebook's decibel examples: (dB, energy ratio).
DB_EXAMPLES = ((10.0, 10.0), (20.0, 100.0), (25.0, 316.23))


def hz_to_mel(frequencies, htk: bool = False):
    """Hz to mels, equal to `librosa.hz_to_mel`."""
    f = np.asanyarray(frequencies, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    mels = f / _F_SP
    log_part = _MIN_LOG_MEL + np.log(np.maximum(f, _MIN_LOG_HZ) / _MIN_LOG_HZ) / _LOGSTEP
    mels = np.where(f >= _MIN_LOG_HZ, log_part, mels)
    return mels if mels.ndim else float(mels)


def mel_to_hz(mels, htk: bool = False):
    """Mels to Hz, equal to `librosa.mel_to_hz`."""
    m = np.asanyarray(mels, dtype=np.float64)
    if htk:
        out = 700.0 * (10.0 ** (m / 2595.0) - 1.0)
        return out if out.ndim else float(out)
    freqs = _F_SP * m
    log_part = _MIN_LOG_HZ * np.exp(_LOGSTEP * (np.maximum(m, _MIN_LOG_MEL) - _MIN_LOG_MEL))
    freqs = np.where(m >= _MIN_LOG_MEL, log_part, freqs)
    return freqs if freqs.ndim else float(freqs)


def amplitude_ratio_to_db(ratio):
    """20 log10: a ratio of amplitudes (pressure, voltage, sample values) in dB."""
    return 20.0 * np.log10(ratio)


def db_to_amplitude_ratio(db):
    return 10.0 ** (np.asanyarray(db, dtype=np.float64) / 20.0)


def power_ratio_to_db(ratio):
    """10 log10: a ratio of powers or energies in dB (+10 dB is 10x the energy)."""
    return 10.0 * np.log10(ratio)


def db_to_power_ratio(db):
    return 10.0 ** (np.asanyarray(db, dtype=np.float64) / 10.0)
