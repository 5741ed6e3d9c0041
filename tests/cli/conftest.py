"""Fixtures of the command-line tests."""

from __future__ import annotations

import pytest

from tests.model.test_export import write_clips


@pytest.fixture
def tree(tmp_path, speech_path):
    src = tmp_path / "src"
    write_clips(src, speech_path, 3)
    write_clips(src / "a" / "b", speech_path, 2)
    return src
