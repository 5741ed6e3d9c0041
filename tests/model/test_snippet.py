"""The 'Copy as Python' code, executed, gives the array the app shows."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from explorer.model import SpectrogramParams, compute, load
from explorer.model.snippet import python_snippet


def run_snippet(code: str) -> dict:
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<snippet>", "exec"), namespace)  # noqa: S102  (our own generated code)
    return namespace


@pytest.mark.parametrize("params", [
    SpectrogramParams(),
    SpectrogramParams.notebook(),
    SpectrogramParams(kind="mel", n_mels=64, fmin=50.0, fmax=7000.0, db_ref=1.0, top_db=None),
    SpectrogramParams(n_fft=1024, hop_length=256, win_length=800, window="hamming", db=False),
])
def test_snippet_reproduces_the_array_exactly(speech_path, params):
    code = python_snippet(speech_path, params, 16000)
    ns = run_snippet(code)
    result = ns["S_db"] if params.db else ns["S"]
    expected = compute(load(speech_path), params).values
    np.testing.assert_allclose(result, expected, rtol=1e-6, atol=1e-4)


def test_snippet_for_one_channel_and_a_resampled_clip(robin_path):
    params = SpectrogramParams(kind="mel")
    ns = run_snippet(python_snippet(robin_path, params, 44100, channel=1))
    np.testing.assert_allclose(ns["S_db"], compute(load(robin_path), params, channel=1).values,
                               atol=1e-4)
    ns = run_snippet(python_snippet(robin_path, params, 16000, resampled=True))
    ours = compute(load(robin_path, sr=16000), params).values
    # librosa mixes to mono then resamples; we resample each channel then mix: equal to ~1e-6
    np.testing.assert_allclose(ns["S_db"], ours, atol=0.05)
    assert "sr=16000" in python_snippet(robin_path, params, 16000, resampled=True)
