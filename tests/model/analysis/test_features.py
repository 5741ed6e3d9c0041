"""Every feature is the librosa call it wraps, to the bit, on the real recordings."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from explorer.model.analysis import FEATURES, compute_feature, feature_params
from explorer.model.analysis.features import PITCH_FMAX, PITCH_FMIN, signature_defaults, summary


@pytest.fixture(scope="module")
def speech(speech_path):
    y, sr = librosa.load(speech_path, sr=None, mono=True)
    return y[: sr * 4], sr  # pyin's HMM is slow: four seconds of speech are plenty


@pytest.fixture(scope="module")
def trumpet(trumpet_path):
    return librosa.load(trumpet_path, sr=None, mono=True)


@pytest.fixture(scope="module")
def robin(robin_path):
    return librosa.load(robin_path, sr=None, mono=True)


def same(a, b) -> None:
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    np.testing.assert_array_equal(a, b)


def test_pyin_on_speech_is_librosas(speech):
    y, sr = speech
    f0, flag, prob = librosa.pyin(y, fmin=librosa.note_to_hz("C2"), fmax=librosa.note_to_hz("C7"), sr=sr)
    res = compute_feature("pyin", y, sr)
    same(res.values, f0)
    same(res.rows["voiced_flag"], flag)
    same(res.rows["voiced_prob"], prob)
    same(res.times, librosa.times_like(f0, sr=sr, hop_length=512))
    assert list(res.rows) == ["f0", "voiced_flag", "voiced_prob"]
    assert np.isnan(f0[~flag]).all() and 20 < flag.sum() < flag.size  # speech: voiced and not
    assert 80 < np.nanmedian(res.values) < 300  # a speaking voice


def test_yin_on_speech_with_a_parameter(speech):
    y, sr = speech
    res = compute_feature("yin", y, sr, frame_length=1024, fmin=80.0, fmax=400.0)
    same(res.values, librosa.yin(y, fmin=80.0, fmax=400.0, sr=sr, frame_length=1024))
    assert res.hop_length == 256 and res.times[1] == pytest.approx(256 / sr)


def test_onsets_and_beats_on_the_trumpet(trumpet):
    y, sr = trumpet
    same(compute_feature("onset_strength", y, sr).values, librosa.onset.onset_strength(y=y, sr=sr))
    onsets = compute_feature("onsets", y, sr)
    same(onsets.values, librosa.onset.onset_detect(y=y, sr=sr, units="time"))
    assert onsets.values.size >= 3 and onsets.times is onsets.values
    tempo, beats = librosa.beat.beat_track(y=y, sr=sr, units="time")
    res = compute_feature("beats", y, sr)
    same(res.values, beats)
    assert res.tempo == pytest.approx(float(tempo[0])) and res.tempo > 0


def test_centroid_on_the_robin(robin):
    y, sr = robin
    res = compute_feature("centroid", y, sr, n_fft=1024)
    same(res.values, librosa.feature.spectral_centroid(y=y, sr=sr, n_fft=1024))
    assert list(res.rows) == ["centroid"] and np.median(res.rows["centroid"]) > 2000  # a songbird


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("bandwidth", lambda y, sr: librosa.feature.spectral_bandwidth(y=y, sr=sr)),
        ("rolloff", lambda y, sr: librosa.feature.spectral_rolloff(y=y, sr=sr)),
        ("flatness", lambda y, sr: librosa.feature.spectral_flatness(y=y)),
        ("zcr", lambda y, sr: librosa.feature.zero_crossing_rate(y)),
        ("rms", lambda y, sr: librosa.feature.rms(y=y)),
        ("mfcc", lambda y, sr: librosa.feature.mfcc(y=y, sr=sr)),
        ("chroma", lambda y, sr: librosa.feature.chroma_stft(y=y, sr=sr)),
        ("cqt", lambda y, sr: np.abs(librosa.cqt(y, sr=sr))),
    ],
)
def test_frame_and_image_features_are_librosas(trumpet, name, call):
    y, sr = trumpet
    res = compute_feature(name, y, sr)
    same(res.values, call(y, sr))
    assert res.times.size == res.values.shape[-1]
    same(res.times, librosa.times_like(res.values, sr=sr, hop_length=512))
    assert len(res.rows) == res.values.shape[0]


def test_row_labels():
    y = np.zeros(4096, np.float32)
    assert compute_feature("mfcc", y, 22050, n_mfcc=13).row_labels == tuple(str(i) for i in range(13))
    assert list(compute_feature("mfcc", y, 22050).rows)[:2] == ["mfcc_0", "mfcc_1"]
    assert compute_feature("chroma", y, 22050).row_labels[9] == "A"
    cqt = compute_feature("cqt", y, 22050)
    assert cqt.row_labels[0] == "C1" and cqt.row_labels[57] == "A5" and len(cqt.row_labels) == 84
    assert "cqt_A4" in cqt.rows


def test_params_are_librosas_names_and_defaults():
    assert set(FEATURES) == {
        "pyin",
        "yin",
        "onset_strength",
        "onsets",
        "beats",
        "centroid",
        "bandwidth",
        "rolloff",
        "flatness",
        "zcr",
        "rms",
        "mfcc",
        "chroma",
        "cqt",
    }
    for name in FEATURES:
        params = feature_params(name)
        assert params and all(p.kind in (int, float, bool, str) for p in params)
    mfcc = {p.name: p.default for p in feature_params("mfcc")}
    assert (
        mfcc["n_mfcc"] == 20 and mfcc["n_fft"] == 2048 and mfcc["hop_length"] == 512 and mfcc["n_mels"] == 128
    )
    pyin = {p.name: p.default for p in feature_params("pyin")}
    assert pyin["fmin"] == PITCH_FMIN == librosa.note_to_hz("C2")  # librosa's docs examples' range
    assert pyin["fmax"] == PITCH_FMAX == librosa.note_to_hz("C7")
    assert pyin["frame_length"] == 2048 and pyin["hop_length"] is None
    assert {p.name: p.default for p in feature_params("rolloff")}["roll_percent"] == 0.85


def test_unknown_feature_and_parameter_are_said_in_words():
    with pytest.raises(ValueError, match="unknown feature 'pitch'"):
        compute_feature("pitch", np.zeros(100), 8000)
    with pytest.raises(ValueError, match="rms takes no parameter n_mfcc"):
        compute_feature("rms", np.zeros(100), 8000, n_mfcc=3)


def test_summary():
    sr = 22050
    y = np.sin(2 * np.pi * 440 * np.arange(sr) / sr).astype(np.float32)
    s = summary(compute_feature("centroid", y, sr))
    assert s["shape"] == [1, 44] and s["dtype"] == "float64" and 400 < s["median"] < 480


@pytest.mark.parametrize("name", FEATURES)
def test_written_defaults_are_librosas_signatures(name):
    written = {p.name: p.default for p in feature_params(name)}
    assert written == signature_defaults(name)
