"""Shared test set-up: Qt offscreen, bundled samples, and the virtual sound card fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.soundcard"]

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def speech_path() -> Path:
    return SAMPLES / "speech_198-209-0000.wav"


@pytest.fixture(scope="session")
def robin_path() -> Path:
    return SAMPLES / "robin_44k_stereo.wav"


@pytest.fixture(scope="session")
def trumpet_path() -> Path:
    return SAMPLES / "trumpet_44k_stereo_24bit.wav"
