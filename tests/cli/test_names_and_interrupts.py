"""File names as the disk has them (not UTF-8, control characters) and Ctrl+C at any moment."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

import numpy as np
import pytest

from explorer.model import info, load
from tests.cli.test_cli import COMMAND

LATIN1 = b"caf\xe9.wav"  # 'café.wav' in Latin-1: not valid UTF-8


def run_bytes(*args, env=None) -> subprocess.CompletedProcess:
    """Run the command; stdout and stderr as bytes (they may hold what is not UTF-8)."""
    return subprocess.run([*COMMAND, *args], capture_output=True, timeout=120, env=env)


@pytest.fixture
def latin1_file(tmp_path, speech_path) -> str:
    folder = os.fsencode(tmp_path / "names")
    os.mkdir(folder)
    target = os.path.join(folder, LATIN1)
    shutil.copyfile(speech_path, target)
    return os.fsdecode(target)  # a str path with a lone surrogate, as os.listdir gives it


def test_the_model_opens_a_name_that_is_not_utf8(latin1_file, speech_path):
    assert info(latin1_file).frames == 222561
    clip = load(latin1_file)
    np.testing.assert_array_equal(clip.samples, load(speech_path).samples)
    assert clip.name == "caf\ufffd.wav"


def test_info_and_export_of_a_name_that_is_not_utf8(latin1_file, tmp_path):
    folder = os.path.dirname(latin1_file)
    text = run_bytes("info", os.fsencode(latin1_file))
    assert text.returncode == 0, text.stderr
    assert text.stdout.decode("utf-8").startswith(f"{os.path.dirname(latin1_file)}/caf\ufffd.wav:")
    assert b"16000 Hz" in text.stdout
    as_json = run_bytes("info", "--json", os.fsencode(latin1_file))
    assert json.loads(as_json.stdout)["frames"] == 222561
    out = tmp_path / "out"
    export = run_bytes("export", os.fsencode(folder), "-o", str(out), "--format", "npy")
    assert export.returncode == 0, export.stderr
    assert os.listdir(os.fsencode(out)) and b"caf\xe9.npy" in os.listdir(os.fsencode(out))


def test_info_escapes_control_characters_in_names(tmp_path, speech_path):
    name = "two\nlines\r\tand \x1b[31mred.wav"
    shutil.copyfile(speech_path, tmp_path / name)
    shutil.copyfile(speech_path, tmp_path / "plain.wav")
    result = run_bytes("info", str(tmp_path / name), str(tmp_path / "plain.wav"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2 and b"\x1b" not in result.stdout and b"\r" not in result.stdout
    assert lines[0].startswith(f"{tmp_path}/two\\nlines\\r\\tand \\x1b[31mred.wav: 16000 Hz")
    missing = run_bytes("info", str(tmp_path / "gone\x1b[2J.wav"))
    assert missing.returncode == 2 and b"\x1b" not in missing.stderr
    assert b"gone\\x1b[2J.wav" in missing.stderr
    as_json = run_bytes("info", "--json", str(tmp_path / name))
    assert json.loads(as_json.stdout)["path"] == str(tmp_path / name)  # JSON keeps it exact


# ---- Ctrl+C ------------------------------------------------------------------------------------


@pytest.fixture
def started_marker(tmp_path):
    """A sitecustomize that tells (by creating a file) when the interpreter is up: Ctrl+C before
    that is Python's own start-up (killed by SIGINT, or its fatal-error report during `site`),
    and for a few ms after it (runpy finding the package) still Python's default handler."""
    hook = tmp_path / "hook"
    hook.mkdir()
    marker = tmp_path / "started"
    (hook / "sitecustomize.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(hook), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    return marker, env


COMMANDS = {
    "spectrogram": lambda tmp, speech: ["spectrogram", str(speech), "-o", str(tmp / "s.npy")],
    "tone": lambda tmp, speech: ["tone", "440", "--duration", "60", "-o", str(tmp / "t.wav")],
    "info": lambda tmp, speech: ["info", str(speech)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("delay", [0.02, 0.05, 0.1])
def test_ctrl_c_early_is_one_line_and_130(tmp_path, speech_path, started_marker, command, delay):
    marker, env = started_marker
    proc = subprocess.Popen([*COMMAND, *COMMANDS[command](tmp_path, speech_path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.001)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:  # only a command that had finished may ignore it
        pytest.fail(f"the command ended before Ctrl+C at {delay} s: make it longer")
    assert proc.returncode == 130, stderr
    assert stderr.strip() == "audio-explorer: interrupted", stderr
    assert not (tmp_path / "s.npy").exists() and not (tmp_path / "t.wav").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_ctrl_c_before_python_starts_is_a_plain_sigint(speech_path):
    proc = subprocess.Popen([*COMMAND, "info", str(speech_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.send_signal(signal.SIGINT)  # at once: the interpreter has not installed its handler
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode in (-signal.SIGINT, 130), stderr  # a shell shows both as 130
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) <= 1


def test_ctrl_c_while_writing_a_long_tone_leaves_no_file(tmp_path, started_marker):
    marker, env = started_marker
    out = tmp_path / "long.wav"
    proc = subprocess.Popen([*COMMAND, "tone", "440", "--duration", "600", "--sr", "48000",
                             "-o", str(out)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):  # writing now
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and stderr.strip() == "audio-explorer: interrupted", stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hook", "started"]
