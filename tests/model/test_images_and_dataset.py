"""PNG output is a faithful picture of the array; folder scans find audio in human order."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from explorer.model import colormaps, images
from explorer.model.dataset import is_audio_path, scan_folder
from tests.pngs import decode_png


def test_png_round_trip_rgb_and_grey(tmp_path):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (7, 11, 3), dtype=np.uint8)
    grey16 = rng.integers(0, 65536, (5, 3), dtype=np.uint16)
    grey8 = rng.integers(0, 256, (4, 9), dtype=np.uint8)
    for name, pixels in [("rgb", rgb), ("g16", grey16), ("g8", grey8)]:
        path = tmp_path / f"{name}.png"
        images.write_png(path, pixels)
        for back in (decode_png(path), images.read_png(path)):  # Pillow's reader, and ours
            assert back.dtype == pixels.dtype
            np.testing.assert_array_equal(back, pixels)


@pytest.mark.parametrize("level", [1, 6, 9])
def test_pillow_decodes_our_spectrogram_pngs_to_the_same_pixels(samples_dir, level):
    """Pins the hand-written encoder (kept for speed: see explorer.model.images) to a PNG library."""
    from explorer.model import SpectrogramParams, compute, load

    values = compute(load(samples_dir / "speech_198-209-0000.wav"), SpectrogramParams(n_fft=1024)).values
    for pixels in (images.spectrogram_pixels(values, "magma"),
                   images.spectrogram_pixels(values, "gray"),
                   images.spectrogram_pixels(values, "gray", depth=16)):
        data = images.encode_png(pixels, level=level)
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # CRCs and chunk order, as Pillow checks them
        back = decode_png(io.BytesIO(data))
        assert back.dtype == pixels.dtype and back.shape == pixels.shape
        np.testing.assert_array_equal(back, pixels)


def test_spectrogram_pixels_put_low_frequencies_at_the_bottom():
    values = np.zeros((4, 6))
    values[0, :] = 10.0  # the lowest bin is the loudest
    pixels = images.spectrogram_pixels(values, "gray")
    assert pixels.shape == (4, 6)
    assert np.all(pixels[-1] == 255) and np.all(pixels[0] == 0)
    rgb = images.spectrogram_pixels(values, "magma")
    assert rgb.shape == (4, 6, 3)
    np.testing.assert_array_equal(rgb[-1, 0], colormaps.lookup_table("magma")[255])


def test_grey16_round_trips_to_the_array_within_quantisation(tmp_path):
    values = np.linspace(-80, 0, 128 * 50).reshape(128, 50)
    images.write_png(tmp_path / "g.png", images.spectrogram_pixels(values, "gray", depth=16))
    back = decode_png(tmp_path / "g.png")[::-1].astype(np.float64) / 65535 * 80 - 80
    assert np.max(np.abs(back - values)) <= 80 / 65535


def _lightness(lut: np.ndarray) -> np.ndarray:
    """CIE L* (0 black .. 100 white) of sRGB colours: the scale these maps are uniform in."""
    srgb = lut / 255.0
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    y = linear @ np.array([0.2126, 0.7152, 0.0722])
    return np.where(y > 216 / 24389, 116 * np.cbrt(y) - 16, y * 24389 / 27)


def test_colormaps_are_256_entries_and_perceptually_ordered():
    for name in colormaps.COLORMAPS:
        lut = colormaps.lookup_table(name)
        assert lut.shape == (256, 3) and lut.dtype == np.uint8
        lightness = _lightness(lut)
        # brighter at every step, to within 8-bit rounding (viridis dips 0.03 L* in four places)
        assert np.diff(lightness).min() > -0.05, name
        assert (lightness[2:] - lightness[:-2]).min() > 0.1, name  # and surely over two steps
        assert lightness[-1] - lightness[0] > 75, name
    with pytest.raises(ValueError):
        colormaps.lookup_table("jet")


def test_scan_folder_lists_audio_naturally(tmp_path):
    for name in ["clip10.wav", "clip2.wav", "Clip1.FLAC", "notes.txt", ".hidden.wav", "b.ogg"]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.wav").write_bytes(b"x")
    names = [p.name for p in scan_folder(tmp_path)]
    assert names == ["b.ogg", "Clip1.FLAC", "clip2.wav", "clip10.wav"]
    deep = [p.relative_to(tmp_path).as_posix() for p in scan_folder(tmp_path, recursive=True)]
    assert deep == ["b.ogg", "Clip1.FLAC", "clip2.wav", "clip10.wav", "sub/deep.wav"]
    assert is_audio_path("x.WAV") and not is_audio_path("x.txt")
    with pytest.raises(NotADirectoryError):
        scan_folder(tmp_path / "clip2.wav")
