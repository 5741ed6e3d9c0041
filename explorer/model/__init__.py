"""The numeric core: pure numpy/librosa/soundfile, importable without Qt or a sound card."""

from explorer.model.clip import AudioClip, AudioInfo, from_array, info, load
from explorer.model.errors import AudioFileError
from explorer.model.spectrogram import Spectrogram, SpectrogramParams, SpectrogramStats, compute
from explorer.model.tones import ToneSpec, make_tone, mix, sequence, synthesize

__all__ = [
    "AudioClip",
    "AudioFileError",
    "AudioInfo",
    "Spectrogram",
    "SpectrogramParams",
    "SpectrogramStats",
    "ToneSpec",
    "compute",
    "from_array",
    "info",
    "load",
    "make_tone",
    "mix",
    "sequence",
    "synthesize",
]
