"""Tone generator panel: the notebook's experiments, warnings, saving and handing over a clip."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from explorer.model import AudioClip
from explorer.model.tones import ToneSpec, make_tone
from explorer.ui.tones.describe import PRESETS, alias_warnings
from explorer.ui.tones.panel import ToneGeneratorPanel
from explorer.ui.tones.preview import minmax_envelope
from explorer.ui.tones.table import COL_END, COL_FREQ, COL_WAVE


class FakePlayer:
    """Records what the panel asks of a player."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[tuple[np.ndarray, int, float]] = []
        self.state = "stopped"
        self.error = error
        self.stopped = 0

    def play(self, samples, sample_rate, rate=1.0):
        if self.error is not None:
            raise self.error
        self.calls.append((np.asarray(samples), sample_rate, rate))
        self.state = "playing"

    def stop(self):
        self.stopped += 1
        self.state = "stopped"


@pytest.fixture
def panel(qtbot):
    p = ToneGeneratorPanel(player=FakePlayer())
    qtbot.addWidget(p)
    p.resize(800, 760)
    return p


def test_default_is_one_500_hz_tone(panel):
    assert panel.tones() == [ToneSpec(500)]
    assert panel.sample_rate() == 16000
    assert np.array_equal(panel.result(), make_tone(500))


@pytest.mark.parametrize("name, expected, combine", [
    ("500 Hz", lambda: make_tone(500), "mix"),
    ("5000 Hz", lambda: make_tone(5000), "mix"),
    ("500 + 5000 Hz mixed", lambda: make_tone(500) + make_tone(5000), "mix"),
    ("500 then 1000 Hz", lambda: np.concatenate([make_tone(500), make_tone(1000)]), "sequence"),
    ("5000 then 5500 Hz", lambda: np.concatenate([make_tone(5000), make_tone(5500)]),
     "sequence"),
])
def test_presets_equal_the_notebook_sample_for_sample(panel, name, expected, combine):
    panel.set_sample_rate(44100)  # a preset brings back 16 kHz
    panel.apply_preset(name)
    assert panel.sample_rate() == 16000
    assert panel.combine() == combine
    assert np.array_equal(panel.result(), expected())


def test_every_preset_is_listed_in_the_combo(panel, qtbot):
    combo = panel.preset_combo
    names = [combo.itemText(i) for i in range(1, combo.count())]
    assert names == list(PRESETS)
    # choosing one from the combo loads it and puts the combo back on its hint
    combo.activated.emit(names.index("500 + 5000 Hz mixed") + 1)
    assert np.array_equal(panel.result(), make_tone(500) + make_tone(5000))
    assert combo.currentIndex() == 0


def test_mix_and_sequence_through_the_combine_box(panel):
    panel.set_tones([ToneSpec(440), ToneSpec(660, duration=0.5)])
    panel.combine_combo.setCurrentIndex(panel.combine_combo.findData("mix"))
    a, b = make_tone(440), make_tone(660, 0.5)
    padded = np.concatenate([b, np.zeros(len(a) - len(b))])
    assert np.array_equal(panel.result(), a + padded)
    panel.combine_combo.setCurrentIndex(panel.combine_combo.findData("sequence"))
    assert panel.combine() == "sequence"
    assert np.array_equal(panel.result(), np.concatenate([a, b]))


def test_editing_the_table_changes_the_result(panel, qtbot):
    spin = panel.table.cellWidget(0, COL_FREQ)
    spin.selectAll()
    qtbot.keyClicks(spin, "1000")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert panel.tones()[0].frequency == 1000
    assert np.array_equal(panel.result(), make_tone(1000))
    wave = panel.table.cellWidget(0, COL_WAVE)
    wave.setCurrentIndex(wave.findData("square"))
    assert panel.tones()[0].wave == "square"
    assert np.array_equal(panel.result(), make_tone(1000, wave="square"))


def test_add_remove_and_reorder(panel, qtbot):
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert [t.frequency for t in panel.tones()] == [500, 1000]  # a copy an octave up
    panel.add_tone(ToneSpec(3000, wave="triangle"))
    assert panel.table.rowCount() == 3
    assert panel.table.currentRow() == 2
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert [t.frequency for t in panel.tones()] == [500, 3000, 1000]
    assert panel.table.currentRow() == 1
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.down_button, Qt.MouseButton.LeftButton)
    assert [t.frequency for t in panel.tones()] == [3000, 500, 1000]
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert [t.frequency for t in panel.tones()] == [3000, 1000]
    panel.set_combine("sequence")
    assert np.array_equal(panel.result(), np.concatenate(
        [make_tone(3000, wave="triangle"), make_tone(1000)]))


def test_chirp_and_noise_cells(panel):
    from scipy.signal import stft, welch

    from explorer.ui.tones.panel import COL_END

    panel.set_tones([ToneSpec(200, wave="chirp_log", end_frequency=4000),
                     ToneSpec(0, wave="pink_noise")])
    assert panel.table.cellWidget(0, COL_END).value() == 4000  # chirps have an end frequency
    assert not panel.table.isColumnHidden(COL_END)
    assert panel.table.cellWidget(1, COL_FREQ) is None         # noise has no frequency: blank
    assert panel.table.item(1, COL_FREQ).text() == ""
    assert panel.table.cellWidget(1, COL_END) is None
    mixed = panel.result()
    assert mixed.shape == (16000,)
    # the chirp: the loudest frequency (above the noise's rumble) of each 64 ms frame is 200 * 20**t
    f, t, z = stft(mixed, fs=16000, nperseg=1024, boundary=None)
    inside, band = (t > 0.05) & (t < 0.95), f > 150
    peak = f[band][np.argmax(np.abs(z[band][:, inside]), axis=0)]
    np.testing.assert_allclose(peak, 200 * 20 ** t[inside], rtol=0.1, atol=16)
    # the noise: pink, so its power density falls as 1/f (about 16x from 150 to 2400 Hz)
    panel.set_tones([ToneSpec(0, wave="pink_noise")])
    f, density = welch(panel.result(), fs=16000, nperseg=2048)
    low, high = density[(f > 100) & (f < 200)].mean(), density[(f > 1600) & (f < 3200)].mean()
    assert 8 < low / high < 32


def test_no_stale_end_frequency(panel, qtbot):
    """A tone that is not a chirp shows no end frequency at all (not a greyed old number)."""
    panel.set_tones([ToneSpec(500)])
    assert panel.table.isColumnHidden(COL_END)  # no chirp, no End column
    assert panel.table.cellWidget(0, COL_END) is None
    wave = panel.table.cellWidget(0, COL_WAVE)
    wave.setCurrentIndex(wave.findData("chirp_linear"))  # a new chirp sweeps an octave up
    assert not panel.table.isColumnHidden(COL_END)
    assert panel.table.cellWidget(0, COL_END).value() == 1000
    assert panel.tones()[0].end_frequency == 1000
    panel.add_tone(ToneSpec(300))
    assert panel.table.cellWidget(1, COL_END) is None  # the sine row beside it: blank
    assert "Only chirps" in panel.table.item(1, COL_END).toolTip()
    # back to a sine: the end frequency leaves the table, and with it the column
    wave = panel.table.cellWidget(0, COL_WAVE)
    wave.setCurrentIndex(wave.findData("sine"))
    assert panel.table.cellWidget(0, COL_END) is None
    assert panel.table.item(0, COL_END).text() == ""
    assert panel.table.isColumnHidden(COL_END)
    # the frequency of a noise row is blank too, and comes back with its value
    wave.setCurrentIndex(wave.findData("white_noise"))
    assert panel.table.cellWidget(0, COL_FREQ) is None
    wave = panel.table.cellWidget(0, COL_WAVE)
    wave.setCurrentIndex(wave.findData("square"))
    assert panel.table.cellWidget(0, COL_FREQ).value() == 500


def test_aliasing_warning_names_what_you_will_hear(panel, qtbot):
    panel.set_tones([ToneSpec(9000)])
    expected = "9000 Hz is above Nyquist (8000 Hz) at 16000 Hz: you will hear 7000 Hz"
    assert expected in panel.warnings()
    qtbot.waitUntil(lambda: expected in panel.warning_label.text())
    assert not panel.warning_frame.isHidden()
    assert panel.normalise_button.isHidden()  # no clipping, no button
    # the samples are those of a 7000 Hz tone (with its phase inverted)
    assert np.allclose(panel.result(), -make_tone(7000), atol=1e-9)
    # at 44.1 kHz, 9000 Hz is fine
    panel.set_sample_rate(44100)
    assert panel.warnings() == []
    qtbot.waitUntil(lambda: panel.warning_frame.isHidden())


def test_alias_warnings_cover_nyquist_chirps_and_harmonics():
    at = alias_warnings([ToneSpec(8000)], 16000)
    assert len(at) == 1 and "at Nyquist" in at[0] and "silence" in at[0]
    chirp = alias_warnings([ToneSpec(1000, wave="chirp_linear", end_frequency=12000)], 16000)
    assert chirp == ["12000 Hz is above Nyquist (8000 Hz) at 16000 Hz: you will hear 4000 Hz"]
    square = alias_warnings([ToneSpec(5000, wave="square")], 16000)
    assert "harmonics from 15000 Hz" in square[0]
    assert alias_warnings([ToneSpec(50000, wave="white_noise")], 16000) == []


def test_clipping_warning_and_normalise(panel, qtbot):
    panel.set_tones([ToneSpec(500, amplitude=0.8), ToneSpec(1000, amplitude=0.8)])
    assert panel.peak() > 1.0
    assert any("clip" in w for w in panel.warnings())
    qtbot.waitUntil(lambda: not panel.normalise_button.isHidden())
    before = panel.result().copy()
    qtbot.mouseClick(panel.normalise_button, Qt.MouseButton.LeftButton)
    assert panel.peak() == pytest.approx(0.99)
    assert np.allclose(panel.result(), before * 0.99 / np.max(np.abs(before)))
    assert not any("clip" in w for w in panel.warnings())
    qtbot.waitUntil(lambda: panel.normalise_button.isHidden())
    # the table shows the new amplitudes
    assert panel.table.cellWidget(0, 3).value() == pytest.approx(panel.tones()[0].amplitude,
                                                                  abs=1e-4)


def test_open_in_explorer_emits_the_result(panel, qtbot):
    panel.apply_preset("500 + 5000 Hz mixed")
    with qtbot.waitSignal(panel.openInExplorer, timeout=1000) as blocker:
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    clip = blocker.args[0]
    assert isinstance(clip, AudioClip)
    assert clip.sample_rate == 16000
    assert clip.name == "tone 500 Hz + 5000 Hz"
    assert np.array_equal(clip.samples[:, 0], panel.result().astype(np.float32))
    panel.apply_preset("500 Hz")
    assert panel.clip().name == "tone 500 Hz"
    panel.apply_preset("500 then 1000 Hz")
    assert panel.clip().name == "tone 500 Hz then 1000 Hz"


@pytest.mark.parametrize("subtype, atol", [("PCM_16", 1 / 32768), ("FLOAT", 0.0)])
def test_save_wav(panel, tmp_path, subtype, atol):
    panel.apply_preset("500 then 1000 Hz")
    written = panel.save_wav(tmp_path / "tone", subtype)
    assert written == tmp_path / "tone.wav"
    data, sr = sf.read(written, dtype="float64")
    assert sr == 16000
    assert sf.info(written).subtype == subtype
    expected = panel.result().astype(np.float32) if subtype == "FLOAT" else panel.result()
    assert np.allclose(data, expected, atol=atol, rtol=0)
    assert "Saved tone.wav" in panel.status_text()


def test_save_dialog_cancel_and_choice(panel, tmp_path, monkeypatch):
    from explorer.ui.tones import panel as tone_panel

    chosen = {"path": "", "filter": ""}
    monkeypatch.setattr(tone_panel.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (chosen["path"], chosen["filter"])))
    panel.save_button.click()  # cancelled: nothing happens
    assert panel.status_text() == ""
    chosen.update(path=str(tmp_path / "x.wav"), filter="WAV, 32-bit float (*.wav)")
    panel.save_button.click()
    assert sf.info(tmp_path / "x.wav").subtype == "FLOAT"


def test_playback_rate_buttons_and_typed_rate(panel, qtbot):
    player = panel.player()
    qtbot.mouseClick(panel.speed_buttons[2.0], Qt.MouseButton.LeftButton)
    assert panel.playback_rate() == 2.0
    assert panel.play_rate_spin.value() == 32000
    assert player.calls[-1][1:] == (16000, 2.0)  # the rate button played at once
    qtbot.mouseClick(panel.play_button, Qt.MouseButton.LeftButton)  # Play: the chosen rate
    assert len(player.calls) == 2
    samples, sr, rate = player.calls[-1]
    assert (sr, rate) == (16000, 2.0)
    assert np.array_equal(samples, panel.result().astype(np.float32))
    assert panel.stop_button.isEnabled()
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert player.stopped == 1 and not panel.stop_button.isEnabled()

    qtbot.mouseClick(panel.speed_buttons[0.5], Qt.MouseButton.LeftButton)
    assert panel.play_rate_spin.value() == 8000
    assert player.calls[-1][1:] == (16000, 0.5)
    # typed: the notebook's Audio(y, rate=sr*2) at 16 kHz is 32000
    panel.play_rate_spin.setValue(24000)
    assert panel.playback_rate() == pytest.approx(1.5)
    assert not any(b.isChecked() for b in panel.speed_buttons.values())
    panel.play()
    assert player.calls[-1][2] == pytest.approx(1.5)
    # a new sample rate keeps the factor
    panel.set_sample_rate(8000)
    assert panel.playback_rate() == pytest.approx(1.5)
    assert panel.play_rate_spin.value() == 12000


def test_no_sound_device_shows_a_message(qtbot):
    from explorer.audio.devices import AudioUnavailable

    panel = ToneGeneratorPanel(player=FakePlayer(AudioUnavailable("no output device found")))
    qtbot.addWidget(panel)
    assert panel.play() is False
    assert "no output device found" in panel.status_text()
    assert not panel.stop_button.isEnabled()


def test_player_state_is_followed(panel, qtbot):
    with qtbot.waitSignal(panel.playingChanged) as blocker:
        panel.play()
    assert blocker.args == [True]
    with qtbot.waitSignal(panel.playingChanged, timeout=2000) as blocker:
        panel.player().state = "stopped"  # the sound ended by itself
    assert blocker.args == [False]
    assert not panel.stop_button.isEnabled()


def test_plots_show_first_samples_and_whole_result(panel, qtbot):
    panel.apply_preset("500 then 1000 Hz")
    panel.refresh()
    x, y = panel.samples_curve.getData()
    assert len(x) == 64 and np.array_equal(y, make_tone(500)[:64])
    panel.first_n_spin.setValue(32)
    qtbot.waitUntil(lambda: len(panel.samples_curve.getData()[0]) == 32)
    t, v = panel.wave_curve.getData()
    assert len(t) <= 4000
    assert v.max() == pytest.approx(panel.result().max())
    assert t[-1] < 2.0


def test_minmax_envelope_keeps_the_peaks():
    y = np.zeros(100_001)
    y[12345] = 1.0
    y[99999] = -0.5
    t, v = minmax_envelope(y, 1000, max_points=1000)
    assert 900 <= len(v) <= 1.5 * 1000 + 4  # about one min/max pair per column
    assert v.max() == 1.0 and v.min() == -0.5
    t, v = minmax_envelope(y[:10], 1000)
    assert np.array_equal(v, y[:10])


def test_renders_without_clipping_its_widgets(panel, tmp_path):
    panel.set_tones([ToneSpec(9000, amplitude=0.8), ToneSpec(500, amplitude=0.8)])
    panel.show()
    panel.refresh()
    image = panel.grab()
    assert image.width() == 800 and image.height() == 760
    assert image.save(str(tmp_path / "tone_panel.png"))
    for w in (panel.play_button, panel.save_button, panel.open_button, panel.normalise_button):
        assert w.isVisible() and w.width() >= w.minimumSizeHint().width()


@pytest.mark.parametrize("combine", ["mix", "sequence"])
def test_continuous_wave_passes_through_the_samples(panel, combine):
    panel.set_tones([ToneSpec(9000, duration=0.002), ToneSpec(700, duration=0.01, wave="square")])
    panel.set_combine(combine)
    x, fine = panel.continuous_wave(64)
    assert x[-1] == 63
    # at the sample instants the continuous wave is the result (square edges may differ by
    # the rounding of the phase, so compare the sines alone)
    if combine == "sequence":
        assert np.allclose(fine[: 32 * 16: 16], panel.result()[:32], atol=1e-9)
    else:
        panel.set_tones([ToneSpec(9000, duration=0.002), ToneSpec(700, duration=0.01)])
        x, fine = panel.continuous_wave(64)
        assert np.allclose(fine[::16], panel.result()[:64], atol=1e-9)
    # between the samples it wiggles at 9000 Hz, not at the 7000 Hz alias the samples trace
    panel.continuous_check.setChecked(False)
    assert panel.continuous_wave(64) is None


def test_no_continuous_wave_for_noise_and_chirps(panel):
    panel.set_tones([ToneSpec(500), ToneSpec(0, wave="white_noise")])
    assert panel.continuous_wave(64) is None
    panel.set_tones([ToneSpec(500, wave="chirp_linear", end_frequency=900)])
    assert panel.continuous_wave(64) is None


def test_clicking_into_a_row_selects_it(panel, qtbot):
    panel.set_tones([ToneSpec(500), ToneSpec(600), ToneSpec(700)])
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.table.selectRow(0)
    assert not panel.up_button.isEnabled()
    spin = panel.table.cellWidget(2, COL_FREQ)
    spin.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: panel.table.currentRow() == 2)
    assert panel.up_button.isEnabled() and not panel.down_button.isEnabled()
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert [t.frequency for t in panel.tones()] == [500, 700, 600]


def test_save_on_a_full_disk_says_why_and_keeps_the_old_file(panel, small_disk, save_dialog):
    from explorer.ui.tones import panel as tone_panel

    path = small_disk.root / "tone.wav"
    path.write_bytes(b"old tone")
    small_disk.fill()
    warnings = save_dialog(tone_panel, path, "WAV, 16-bit PCM (*.wav)")
    panel.save_button.click()
    assert warnings == [f"cannot write {path}: disk full"]
    assert warnings[0] in panel.status_text()
    assert small_disk.files() == {"tone.wav": b"old tone"}


def test_rate_buttons_play_and_show_the_chosen_rate(panel, qtbot):
    """Each rate button plays at its rate at once, and stays visibly chosen (checked, coloured)."""
    player = panel.player()
    for factor, hz in ((0.5, 8000), (2.0, 32000), (1.0, 16000)):
        qtbot.mouseClick(panel.speed_buttons[factor], Qt.MouseButton.LeftButton)
        samples, sr, rate = player.calls[-1]
        assert (sr, rate) == (16000, factor)
        assert np.array_equal(samples, panel.result().astype(np.float32))
        assert [f for f, b in panel.speed_buttons.items() if b.isChecked()] == [factor]
        assert panel.status_text() == f"Playing at {hz} Hz (x{factor:g})."
        assert panel.stop_button.isEnabled()
    assert len(player.calls) == 3
    # the chosen one is drawn differently from the others (not just a slightly sunken bevel)
    chosen = panel.speed_buttons[1.0]
    panel.show()
    qtbot.waitExposed(panel)
    on = chosen.grab().toImage()
    off = panel.speed_buttons[2.0].grab().toImage()
    colour_on = on.pixelColor(on.width() // 2, 3)
    colour_off = off.pixelColor(off.width() // 2, 3)
    assert colour_on.blue() - colour_on.red() > 80  # blue
    assert abs(colour_off.blue() - colour_off.red()) < 20  # grey


def test_enter_in_the_typed_rate_plays_at_it(panel, qtbot):
    player = panel.player()
    panel.show()
    qtbot.waitExposed(panel)
    spin = panel.play_rate_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "12000")
    assert not player.calls  # typing alone does not play
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    samples, sr, rate = player.calls[-1]
    assert (sr, rate) == (16000, pytest.approx(0.75))
    assert len(player.calls) == 1
    assert panel.playback_rate_hz() == 12000
    assert not any(b.isChecked() for b in panel.speed_buttons.values())  # no preset rate chosen
    assert panel.status_text() == "Playing at 12000 Hz (x0.75)."


def _positions(panel) -> dict[str, tuple[int, int, int, int]]:
    """Where every visible button, field and combo of the panel (outside the table) is."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QWidget

    out = {}
    for w in panel.findChildren(QWidget):
        if (isinstance(w, QAbstractButton | QAbstractSpinBox | QComboBox)
                and w.isVisibleTo(panel) and not panel.table.isAncestorOf(w)):
            top_left = w.mapTo(panel, QPoint(0, 0))
            name = w.text() if isinstance(w, QAbstractButton) else type(w).__name__
            out[f"{name}@{id(w)}"] = (top_left.x(), top_left.y(), w.width(), w.height())
    return out


def test_messages_and_warnings_do_not_move_the_controls(panel, qtbot):
    """Playing, an error and warnings appear below the buttons, in room kept for them: no
    button or field moves under the mouse."""
    panel.resize(330, 900)  # a narrow dock: the longest messages wrap
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(50)
    before = _positions(panel)
    assert any("x0.5" in k for k in before) and any("Save" in k for k in before)
    qtbot.mouseClick(panel.speed_buttons[0.5], Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert panel.status_text() == "Playing at 8000 Hz (x0.5)."
    assert _positions(panel) == before
    panel.player().error = RuntimeError("the output device went away while playing")
    panel.play()
    assert "went away" in panel.status_text()
    qtbot.wait(50)
    assert _positions(panel) == before
    # an alias and clipping warning (and the Normalise button) appear below everything else
    spin = panel.table.cellWidget(0, COL_FREQ)
    spin.setValue(9000)
    panel.table.cellWidget(0, 3).setValue(1.5)
    qtbot.waitUntil(lambda: not panel.warning_frame.isHidden())
    qtbot.wait(50)
    after = _positions(panel)
    assert {k: v for k, v in after.items() if k in before} == before
    normalise = panel.normalise_button.mapTo(panel, panel.normalise_button.rect().topLeft())
    assert normalise.y() > max(y + h for _x, y, _w, h in before.values())  # below them all


def test_half_rate_comes_out_at_half_the_sample_rate(qtbot, monkeypatch):
    """Through the real Player and a scripted sound device: x0.5 opens the stream at 8000 Hz and
    sends the tone's own samples, so it sounds an octave lower and twice as long."""
    from explorer.audio import Player
    from explorer.audio import devices as devices_module
    from tests.audio.test_player_logic import BLOCK, FakeSD

    sd = FakeSD()
    monkeypatch.setattr(devices_module, "_sd", sd)
    panel = ToneGeneratorPanel(player=Player(blocksize=BLOCK))
    qtbot.addWidget(panel)
    panel.set_tones([ToneSpec(500, duration=0.05)])
    qtbot.mouseClick(panel.speed_buttons[0.5], Qt.MouseButton.LeftButton)
    stream = sd.stream
    assert stream.kwargs["samplerate"] == 8000
    while stream.pump():
        pass
    out = stream.output()[:, 0]
    expected = panel.result().astype(np.float32)
    np.testing.assert_allclose(out[: len(expected)], expected, atol=1e-6)
    # what was heard: 500 Hz samples at 8000 Hz a second are a 250 Hz tone
    spectrum = np.abs(np.fft.rfft(out[: len(expected)]))
    assert np.fft.rfftfreq(len(expected), 1 / 8000)[spectrum.argmax()] == pytest.approx(250, abs=10)
    panel.stop()


@pytest.mark.parametrize("language, shown", [("C", ["500", "0.1", "123456.78"]),
                                             ("German", ["500", "0,1", "123456,78"])])
def test_table_numbers_have_no_trailing_zeros_and_read_back(qtbot, language, shown):
    """'500' not '500.00' (narrow columns), in the locale's own notation so typing works."""
    from PySide6.QtCore import QLocale

    from explorer.ui.tones.table import _CompactSpin

    locale = QLocale.c() if language == "C" else QLocale(QLocale.Language.German)
    spin = _CompactSpin()
    qtbot.addWidget(spin)
    spin.setLocale(locale)
    spin.setRange(0, 400000)
    spin.setDecimals(2)
    for value, text in zip((500, 0.1, 123456.78), shown, strict=True):
        spin.setValue(value)
        assert spin.text() == text
        assert spin.valueFromText(text) == pytest.approx(value)
