"""Live columns: equal to the offline STFT of the same samples, whatever the chunking; circular."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from explorer.model import SpectrogramParams, make_tone
from explorer.model.live import FLOOR_DB, LiveSpectrogram


def _offline_db(y, params, full_scale):
    S = np.abs(librosa.stft(y, n_fft=params.n_fft, hop_length=params.hop_length, center=False))
    S = S / full_scale
    return 20 * np.log10(np.maximum(S, 1e-20))


@pytest.mark.parametrize("chunk", [1, 100, 512, 4096, 50000])
def test_columns_equal_the_offline_stft_whatever_the_chunking(speech_path, chunk):
    y = librosa.load(speech_path, sr=None)[0][:48000]
    params = SpectrogramParams(power=1.0)
    live = LiveSpectrogram(16000, params, seconds=60.0)
    for start in range(0, len(y), chunk):
        live.push(y[start:start + chunk])
    expected = _offline_db(y, params, live._full_scale)
    got = live.ordered()[:, -expected.shape[1]:]
    assert live.total_columns == expected.shape[1] == 1 + (len(y) - 2048) // 512
    np.testing.assert_allclose(np.maximum(got, -150), np.maximum(expected, -150), atol=1e-3)


def test_full_scale_sine_reads_zero_db_at_its_frequency():
    sr = 48000
    live = LiveSpectrogram(sr, SpectrogramParams(power=2.0, n_fft=2048), seconds=2.0)
    live.push(np.sin(2 * np.pi * 3000 * np.arange(sr // 2) / sr))
    freq, level = live.peak()
    assert freq == pytest.approx(3000, abs=sr / 2048)
    assert level == pytest.approx(0.0, abs=1.5)  # between bins the Hann main lobe loses < 1.5 dB
    assert live.peak_dbfs == pytest.approx(0.0, abs=0.01)
    assert live.rms_dbfs == pytest.approx(-3.01, abs=0.01)


def test_peak_moves_from_1k_to_3k_and_the_image_scrolls():
    sr = 48000
    live = LiveSpectrogram(sr, SpectrogramParams(), seconds=1.0)
    live.push(make_tone(1000, 1.0, sr))
    assert live.peak()[0] == pytest.approx(1000, abs=24)
    live.push(make_tone(3000, 0.5, sr))
    assert live.peak()[0] == pytest.approx(3000, abs=24)
    image = live.ordered()
    rows = np.argmax(image, axis=0)
    f = live.frequencies[rows]
    assert np.all(np.abs(f[:20] - 1000) < 50) and np.all(np.abs(f[-20:] - 3000) < 50)
    assert live.image.shape[1] == live.columns  # circular: never grows


def test_mel_kind_and_silence_floor():
    live = LiveSpectrogram(16000, SpectrogramParams(kind="mel", n_mels=40), seconds=1.0)
    assert live.image.shape == (40, live.columns)
    live.push(np.zeros(8000, dtype=np.float32))
    assert np.all(np.isfinite(live.image)) and live.image.min() == FLOOR_DB
    assert live.peak_dbfs == FLOOR_DB
