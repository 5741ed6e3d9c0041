"""Scales equal librosa's Hz/mel conversions; dB helpers give the notebook's examples."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from explorer.model import scales

FREQS = np.array([0.0, 20, 160, 394, 670, 999.9, 1000, 1000.1, 1420, 4000, 9000, 14000, 22050])


@pytest.mark.parametrize("htk", [False, True])
def test_hz_to_mel_and_back_equal_librosa(htk):
    np.testing.assert_allclose(scales.hz_to_mel(FREQS, htk=htk), librosa.hz_to_mel(FREQS, htk=htk),
                               rtol=1e-12, atol=1e-9)
    mels = np.linspace(0, 4000, 41)
    np.testing.assert_allclose(scales.mel_to_hz(mels, htk=htk), librosa.mel_to_hz(mels, htk=htk),
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(scales.mel_to_hz(scales.hz_to_mel(FREQS, htk), htk), FREQS, atol=1e-6)


def test_scalars_stay_scalars():
    assert isinstance(scales.hz_to_mel(1000.0), float)
    assert scales.hz_to_mel(1000.0, htk=True) == pytest.approx(999.9855, abs=1e-3)
    assert scales.hz_to_mel(1000.0) == pytest.approx(15.0)


def test_perceptual_table_is_close_to_htk():
    errors = [abs(scales.hz_to_mel(hz, htk=True) - mel) / mel for hz, mel in scales.PERCEPTUAL_TABLE[1:]]
    assert max(errors) < 0.075  # the notebook's rounded table: worst 7.2%, at 9000 Hz


def test_decibel_examples_from_the_notebook():
    for db, ratio in scales.DB_EXAMPLES:
        assert scales.db_to_power_ratio(db) == pytest.approx(ratio, rel=1e-4)
        assert scales.power_ratio_to_db(ratio) == pytest.approx(db, abs=1e-4)
    assert scales.amplitude_ratio_to_db(10.0) == pytest.approx(20.0)
    assert scales.amplitude_ratio_to_db(2.0) == pytest.approx(6.0206, abs=1e-4)
    assert scales.db_to_amplitude_ratio(-6.0206) == pytest.approx(0.5, abs=1e-4)
