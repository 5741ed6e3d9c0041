"""Fixtures of the audio tests."""

from __future__ import annotations

import pytest

from explorer.audio import devices as devices_module
from tests.audio.test_player_logic import FakeSD


@pytest.fixture()
def fake_sd(monkeypatch: pytest.MonkeyPatch) -> FakeSD:
    """sounddevice replaced by the scripted fake device of test_player_logic."""
    sd = FakeSD()
    monkeypatch.setattr(devices_module, "_sd", sd)
    return sd
