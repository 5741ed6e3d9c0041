"""The dataset map's model: feature vectors from the scan (and its cache), projections that keep
three clearly different sound types apart, near-duplicates of a real recording."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from explorer.model import projection
from explorer.model.scan import apply_dataset_flags, scan_dataset
from explorer.model.similarity import NEAR_DUPLICATE_DISTANCE, near_duplicate_pairs, nearest, standardise
from explorer.model.vectors import VECTOR_SIZE, clip_vector
from tests import needs
from tests.model.map_data import TYPES, write_types


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIO_EXPLORER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def types_scan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("types")
    kinds = write_types(folder)
    report = scan_dataset(sorted(kinds), root=folder, jobs=1, cache=False)
    return kinds, report


def purity(points: np.ndarray, labels: list[str]) -> float:
    """Share of points whose nearest other point has the same label."""
    d = np.linalg.norm(points[:, None] - points[None], axis=2)
    np.fill_diagonal(d, np.inf)
    return float(np.mean([labels[j] == labels[i] for i, j in enumerate(d.argmin(axis=1))]))


def clusters_match(points: np.ndarray, labels: list[str]) -> bool:
    """Three clusters found on the 2-D points (single linkage: clusters of any shape, as UMAP's
    are) are exactly the three types."""
    from sklearn.cluster import AgglomerativeClustering

    found = AgglomerativeClustering(n_clusters=3, linkage="single").fit_predict(points)
    groups = {}
    for cluster, label in zip(found, labels, strict=True):
        groups.setdefault(cluster, set()).add(label)
    return all(len(g) == 1 for g in groups.values()) and len(groups) == 3


def test_scan_gives_a_vector_per_readable_file_beside_the_19_columns(types_scan):
    kinds, report = types_scan
    assert set(report.vectors) == {str(p) for p in kinds}
    assert all(v.shape == (VECTOR_SIZE,) and v.dtype == np.float32 and np.isfinite(v).all()
               for v in report.vectors.values())
    assert len(report.rows[0].to_row()) == 19
    # the vector is the one of the decoded clip
    path = sorted(kinds)[0]
    data, rate = sf.read(path, dtype="float32")
    np.testing.assert_allclose(report.vectors[str(path)], clip_vector(data, rate), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("method", ["pca", "tsne", "umap"])
def test_the_map_puts_each_sound_type_together(types_scan, method):
    if method == "umap":
        needs.module("umap", "needs umap-learn (the `map` extra)")
    kinds, report = types_scan
    paths = sorted(kinds)
    vectors = np.stack([report.vectors[str(p)] for p in paths])
    points = projection.project(vectors, projection.ProjectionParams(method=method))
    labels = [kinds[p] for p in paths]
    assert points.shape == (30, 2) and np.isfinite(points).all()
    assert purity(points, labels) == 1.0
    assert clusters_match(points, labels)
    assert set(labels) == set(TYPES)


def test_projection_is_repeatable_and_handles_tiny_sets():
    rng = np.random.default_rng(3)
    v = rng.standard_normal((40, VECTOR_SIZE)).astype(np.float32)
    np.testing.assert_array_equal(projection.project(v), projection.project(v))
    assert projection.project(v[:1]).tolist() == [[0.0, 0.0]]
    assert projection.project(v[:2])[:, 0].tolist() == [-1.0, 1.0]
    with pytest.raises(ValueError, match="unknown projection"):
        projection.project(v, projection.ProjectionParams(method="nope"))


def test_second_scan_reads_vectors_from_the_cache_without_decoding(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    kinds = write_types(folder)
    paths = sorted(kinds)[::3]
    first = scan_dataset(paths, root=folder, jobs=1)
    assert first.cached == 0

    def no_decode(*_a, **_k):
        raise AssertionError("decoded again")

    monkeypatch.setattr("explorer.model.measure.load", no_decode)
    second = scan_dataset(paths, root=folder, jobs=1)
    assert second.cached == len(paths)
    assert set(second.vectors) == set(first.vectors)
    for p in first.vectors:
        np.testing.assert_array_equal(second.vectors[p], first.vectors[p])
    assert [r.to_row() for r in second.rows] == [r.to_row() for r in first.rows]


def test_a_copy_with_faint_noise_is_a_near_duplicate_and_other_recordings_are_not(samples_dir, tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(samples_dir, folder)
    original = folder / "speech_198-209-0000.wav"
    data, rate = sf.read(original, dtype="float64", always_2d=True)
    hiss = 10 ** (-50 / 20) * np.random.default_rng(5).standard_normal(data.shape)
    sf.write(folder / "z_noisy_copy.wav", data + hiss, rate, subtype="PCM_16")
    paths = sorted(folder.glob("*.wav"))
    report = scan_dataset(paths, root=folder, jobs=1, cache=False)
    flagged = {Path(r.path).name for r in report.rows if r.has_flag("near_duplicate")}
    assert flagged == {"z_noisy_copy.wav"}
    assert not any(r.has_flag("duplicate") for r in report.rows)  # not the same samples
    # the flag follows the threshold: 0 finds nothing
    assert not any(r.has_flag("near_duplicate")
                   for r in apply_dataset_flags(report.rows, report.vectors, near_threshold=0.0))
    # nearest neighbour of the copy is its original, closer than the threshold
    names = [r.path for r in report.rows]
    z = standardise(np.stack([report.vectors[p] for p in names]))
    (best, distance), *_ = nearest(z, names.index(str(folder / "z_noisy_copy.wav")))
    assert names[best] == str(original) and distance < NEAR_DUPLICATE_DISTANCE


def test_near_duplicate_pairs_of_a_larger_set():
    rng = np.random.default_rng(7)
    v = rng.standard_normal((500, VECTOR_SIZE))
    v[123] = v[45] + 1e-3 * rng.standard_normal(VECTOR_SIZE)
    pairs = near_duplicate_pairs(v)
    assert [(i, j) for i, j, _d in pairs] == [(45, 123)]
    assert near_duplicate_pairs(v[:2]) == []  # too few clips to standardise
