"""A clip -> one feature vector (mean and spread of MFCCs and spectral features, by librosa), so
that the dataset map can put similar clips together. Computed by the scan from the samples it
has already decoded (no second pass over the audio) and cached with its row."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Frame length (s): ~32 ms, the usual speech/music analysis frame, the same at every rate (so a
#: clip stored at 16 and at 44.1 kHz gives the same frames).
FRAME_SECONDS = 0.032
#: MFCCs kept: the first 13 describe the spectral envelope (timbre); the rest is pitch detail.
N_MFCC = 13
#: Mel bands under the MFCCs: 40 is librosa's and HTK's speech default.
N_MELS = 40
#: Top of the mel bands (Hz): speech and most timbre lie below; the same band at every rate >= 16 kHz.
MEL_FMAX = 8000.0
#: A longer file is described by FEATURE_PIECES excerpts spread over it, FEATURE_PIECE_SECONDS
#: each: a map needs what a file sounds like, and an hour must cost what a clip does.
FEATURE_MAX_SECONDS = 30.0
FEATURE_PIECES = 10
FEATURE_PIECE_SECONDS = 3.0
#: Spectrogram bins further than this (dB) below the clip's loudest bin are raised to that floor:
#: the features describe what is heard, not the hiss under it (faint noise added to a copy, or
#: another dither, must not move its vector).
FLOOR_DB = 40.0
#: Each frame weighs in the statistics by its level to this power (1: amplitude): loud frames
#: are the sound, quiet ones the room between sounds.
WEIGHT_POWER = 2.0
#: Floor of the dB features (rms, flatness): digital silence must not give -inf.
DB_FLOOR = -120.0
#: Bump when the vector changes: cached vectors of older versions are computed again.
VECTOR_VERSION = 1

_FRAME_FEATURES = ([f"mfcc{i}" for i in range(1, N_MFCC + 1)]
                   + ["centroid_khz", "bandwidth_khz", "rolloff_khz", "flatness_db", "zcr", "rms_db"])
#: What each entry of a vector is: the mean of every frame feature, then its standard deviation.
FEATURE_NAMES: tuple[str, ...] = tuple([f"{n}_mean" for n in _FRAME_FEATURES]
                                       + [f"{n}_std" for n in _FRAME_FEATURES])
VECTOR_SIZE = len(FEATURE_NAMES)


def frame_size(sample_rate: int) -> tuple[int, int]:
    """(n_fft, hop) of FRAME_SECONDS at this rate: frames back to back (the vector is statistics
    over frames, not detail in time: overlap would double the cost and change little)."""
    n_fft = max(64, 2 * int(round(FRAME_SECONDS * sample_rate / 2)))
    return n_fft, n_fft


@lru_cache(maxsize=16)
def _mel_basis(sample_rate: int, n_fft: int) -> np.ndarray:
    import librosa

    fmax = min(MEL_FMAX, sample_rate / 2)
    return librosa.filters.mel(sr=sample_rate, n_fft=n_fft, n_mels=N_MELS, fmax=fmax).astype(np.float32)


def _pieces(mono: np.ndarray, sample_rate: int) -> list[np.ndarray]:
    """The whole clip, or FEATURE_PIECES excerpts spread over a longer one."""
    if len(mono) <= FEATURE_MAX_SECONDS * sample_rate:
        return [mono]
    size = int(FEATURE_PIECE_SECONDS * sample_rate)
    starts = np.linspace(0, len(mono) - size, FEATURE_PIECES).astype(np.int64)
    return [mono[s:s + size] for s in starts]


def frame_features(mono: np.ndarray, sample_rate: int) -> np.ndarray:
    """Per-frame features (len(_FRAME_FEATURES) x frames) with librosa's own feature functions,
    all from one magnitude STFT."""
    import librosa

    n_fft, hop = frame_size(sample_rate)
    spectra, zcrs = [], []
    for piece in _pieces(np.ascontiguousarray(mono, dtype=np.float32), sample_rate):
        if len(piece) < n_fft:
            piece = np.pad(piece, (0, n_fft - len(piece)))
        spectra.append(np.abs(librosa.stft(piece, n_fft=n_fft, hop_length=hop)))
        zcrs.append(librosa.feature.zero_crossing_rate(piece, frame_length=n_fft, hop_length=hop))
    S = np.concatenate(spectra, axis=1)
    S = np.maximum(S, float(S.max()) * 10.0 ** (-FLOOR_DB / 20.0))
    zcr = np.concatenate(zcrs, axis=1)[:, :S.shape[1]]
    # einsum, not BLAS: a product this small costs more in OpenBLAS's threads than it saves (a
    # scan with --jobs 1 took 4x longer on a busy 2-core machine)
    mel = np.einsum("mf,ft->mt", _mel_basis(sample_rate, n_fft), S * S)
    mel_db = librosa.power_to_db(mel, top_db=None)
    mfcc = librosa.feature.mfcc(S=mel_db, n_mfcc=N_MFCC)
    centroid = librosa.feature.spectral_centroid(S=S, sr=sample_rate, n_fft=n_fft)
    bandwidth = librosa.feature.spectral_bandwidth(S=S, sr=sample_rate, n_fft=n_fft)
    rolloff = librosa.feature.spectral_rolloff(S=S, sr=sample_rate, n_fft=n_fft)
    flatness = librosa.feature.spectral_flatness(S=S)
    rms = librosa.feature.rms(S=S, frame_length=n_fft)
    with np.errstate(divide="ignore"):
        flat_db = np.maximum(10.0 * np.log10(flatness), DB_FLOOR)
        rms_db = np.maximum(20.0 * np.log10(rms), DB_FLOOR)
    return np.vstack([mfcc, centroid / 1000.0, bandwidth / 1000.0, rolloff / 1000.0, flat_db, zcr,
                      rms_db])


def clip_vector(mono: np.ndarray, sample_rate: int) -> np.ndarray:
    """The clip's vector (VECTOR_SIZE float32: FEATURE_NAMES): each frame feature's mean and
    standard deviation over the clip, each frame weighted by its level (WEIGHT_POWER)."""
    frames = frame_features(mono, sample_rate).astype(np.float64)
    weight = 10.0 ** (WEIGHT_POWER * (frames[-1] - frames[-1].max()) / 20.0)
    weight /= weight.sum()
    mean = np.einsum("ft,t->f", frames, weight)
    std = np.sqrt(np.maximum(np.einsum("ft,t->f", (frames - mean[:, None]) ** 2, weight), 0.0))
    vector = np.concatenate([mean, std])
    return np.nan_to_num(vector, nan=0.0, posinf=0.0, neginf=DB_FLOOR).astype(np.float32)


def preload() -> None:
    """Import librosa's feature modules now (~1 s), so forked scan workers inherit them instead
    of each importing them on its first file."""
    import librosa
    import librosa.feature  # noqa: F401

    _mel_basis(16000, frame_size(16000)[0])
