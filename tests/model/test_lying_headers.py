"""Files whose header promises more (or less) than they hold open with the frames libsndfile
decodes and a warning; NaN/inf come out as 0 from every reader; nothing is allocated from an
unchecked header number."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest
import soundfile as sf

from explorer.model import info, load
from explorer.model.overview import OverviewBuilder
from explorer.model.spectrogram import SpectrogramParams, SpectrogramStats, compute, compute_file
from explorer.model.stft import FileSource, frame_count
from explorer.model.tiles import TileSource
from tests.limits import last_json, run_limited
from tests.model.mutants import set_data_size, set_flac_total

SMALL = SpectrogramParams(n_fft=512, hop_length=256)
#: libsndfile's frame count of a FLAC file whose STREAMINFO leaves the length open
UNKNOWN_FRAMES = 2**63 - 1


def _decoded(path) -> np.ndarray:
    """What soundfile decodes (the oracle), NaN/inf as 0."""
    data, _ = sf.read(path, dtype="float32", always_2d=True)
    return np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)


@pytest.fixture(scope="module")
def trumpet_flac(tmp_path_factory, trumpet_path) -> bytes:
    data, rate = sf.read(trumpet_path, dtype="int32")
    path = tmp_path_factory.mktemp("flac") / "trumpet.flac"
    sf.write(path, data, rate, subtype="PCM_24")
    return path.read_bytes()


@pytest.mark.parametrize("missing", [1, 2, 3, 4, 5])
def test_wav_a_few_bytes_short_opens_with_the_frames_libsndfile_reads(tmp_path, trumpet_path, missing):
    path = tmp_path / "short.wav"
    path.write_bytes(trumpet_path.read_bytes()[:-missing])  # 24-bit stereo: 6 bytes a frame
    expected = _decoded(path)
    assert len(expected) == 235200  # libsndfile reads 235,200 of the 235,201 frames
    facts = info(path)
    assert facts.frames == 235200
    assert facts.warning == (f"the header promises 1,411,206 bytes of audio, the file holds "
                             f"{1411206 - missing:,}: showing the 235,200 frames present")
    clip = load(path)
    np.testing.assert_array_equal(clip.samples, expected)
    assert clip.warning == facts.warning
    assert facts.to_dict()["warning"] == facts.warning


@pytest.mark.parametrize("size", [0x7FFFFFFF, 0xFFFFFFFE, 0x80000000])
def test_wav_data_size_from_a_crashed_recorder_opens(tmp_path, speech_path, size):
    path = tmp_path / "crashed.wav"
    path.write_bytes(set_data_size(speech_path.read_bytes()[:1044], size))
    expected = _decoded(path)
    assert len(expected) == 500
    facts = info(path)
    assert facts.frames == 500
    assert facts.warning == (f"the header promises {size:,} bytes of audio, the file holds 1,000: "
                             f"showing the 500 frames present")
    np.testing.assert_array_equal(load(path).samples, expected)
    spec = compute_file(path, SMALL)
    assert spec.values.shape[1] == frame_count(500, 512, 256)
    assert spec.warning == facts.warning


def test_wav_cut_in_half_opens(tmp_path, speech_path):
    path = tmp_path / "half.wav"
    data = speech_path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    expected = _decoded(path)
    clip = load(path)
    assert clip.frames == info(path).frames == len(expected) > 100000
    np.testing.assert_array_equal(clip.samples, expected)
    np.testing.assert_array_equal(compute_file(path, SMALL).values, compute(clip, SMALL).values)


def test_streaming_size_opens_without_a_warning(tmp_path, speech_path):
    path = tmp_path / "stream.wav"
    path.write_bytes(set_data_size(speech_path.read_bytes(), 0xFFFFFFFF))
    facts = info(path)
    assert facts.frames == 222561 and facts.warning is None


def test_flac_of_unknown_length_is_counted(tmp_path, trumpet_flac, trumpet_path):
    path = tmp_path / "unknown.flac"
    path.write_bytes(set_flac_total(trumpet_flac, 0))
    assert sf.info(path).frames == UNKNOWN_FRAMES  # what libsndfile's header facts say
    facts = info(path)
    assert facts.frames == 235201
    assert facts.warning == "the header does not give the length: counted 235,201 frames"
    reference = load(trumpet_path)
    clip = load(path)
    np.testing.assert_array_equal(clip.samples, reference.samples)
    spec = compute_file(path, SMALL)
    np.testing.assert_array_equal(spec.values, compute(reference, SMALL).values)
    # the long-file readers size their arrays from the counted length too
    assert OverviewBuilder.for_file(path).frames == 235201
    assert TileSource(path, SMALL).frames == 235201
    with FileSource(path) as source:
        np.testing.assert_array_equal(source.read(235000, 235300)[:201], reference.mono()[235000:])


def test_flac_of_unknown_length_never_allocates_from_the_header(tmp_path, trumpet_flac):
    """In a child limited to 2 GB and 60 s: the old code asked for 512 GiB here."""
    path = tmp_path / "unknown.flac"
    path.write_bytes(set_flac_total(trumpet_flac, 0))
    code = textwrap.dedent(f"""
        import json
        from explorer.model import info, load
        from explorer.model.spectrogram import SpectrogramParams, compute_file
        from explorer.model.overview import Overview
        spec = compute_file({str(path)!r}, SpectrogramParams())
        print(json.dumps([info({str(path)!r}).frames, load({str(path)!r}).frames,
                          spec.values.shape[1], Overview.from_file({str(path)!r}).frames_done]))
    """)
    assert last_json(run_limited(code, timeout=60)) == [235201, 235201, frame_count(235201, 2048, 512),
                                                       235201]


@pytest.mark.parametrize("total", [300000, (1 << 36) - 1])
def test_flac_promising_more_than_it_holds(tmp_path, trumpet_flac, total):
    path = tmp_path / "more.flac"
    path.write_bytes(set_flac_total(trumpet_flac, total))
    facts = info(path)
    assert facts.frames == 235201
    assert facts.warning == (f"the header promises {total:,} frames, the file holds 235,201: "
                             f"showing the 235,201 frames present")
    assert load(path).frames == 235201


def test_cut_flac_opens_with_what_decodes(tmp_path, trumpet_flac, trumpet_path):
    """soundfile refuses it (the decoder loses sync at the cut); libsndfile decodes every whole
    FLAC frame before it, and those open."""
    path = tmp_path / "cut.flac"
    path.write_bytes(trumpet_flac[:-1000])
    with pytest.raises(sf.LibsndfileError):
        sf.read(path)
    from explorer.model.decode import Decoder

    facts = info(path)
    with Decoder(path) as d:
        count = len(d.read(10**6))
    assert facts.frames == count and 200000 < count < 235201
    assert facts.warning.startswith(f"decoding stopped after {count:,} frames of the 235,201 the "
                                    f"header promises (")
    clip = load(path)
    np.testing.assert_array_equal(clip.samples, load(trumpet_path).samples[:count])


@pytest.fixture
def nan_wav(tmp_path):
    x = 0.1 * np.sin(np.arange(20000, dtype=np.float32) * 0.05)
    x[100], x[5000], x[12345] = np.nan, np.inf, -np.inf
    path = tmp_path / "nan.wav"
    sf.write(path, x, 16000, subtype="FLOAT")
    return path


def test_every_reader_replaces_nan_and_inf(nan_wav, recwarn):
    clip = load(nan_wav)
    assert clip.non_finite == 3 and clip.warning == "3 NaN/inf samples replaced by 0"
    spec = compute_file(nan_wav, SMALL)  # the block reader behind `spectrogram`
    assert np.all(np.isfinite(spec.values))
    np.testing.assert_array_equal(spec.values, compute(clip, SMALL).values)
    assert spec.warning == "3 NaN/inf samples replaced by 0"  # each sample once, reads overlap
    json.dumps(spec.stats.to_dict(), allow_nan=False)
    with FileSource(nan_wav) as source:
        assert source.read(0, 20000)[[100, 5000, 12345]].tolist() == [0.0, 0.0, 0.0]
    builder = OverviewBuilder.for_file(nan_wav)
    overview = builder.read_file()
    assert overview.non_finite == 3
    assert np.all(np.isfinite(overview.levels[0].mins)) and np.all(np.isfinite(overview.levels[0].maxs))
    assert np.all(np.isfinite(overview.samples(0, 20000)))
    tiles = TileSource(nan_wav, SMALL)
    assert np.all(np.isfinite(tiles.linear_columns(np.arange(tiles.total))))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_stats_of_nothing_are_valid_json():
    stats = SpectrogramStats.of(np.zeros((3, 0), np.float32))
    assert json.loads(json.dumps(stats.to_dict(), allow_nan=False)) == {
        "shape": [3, 0], "min": None, "max": None, "mean": None}
