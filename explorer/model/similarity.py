"""Distances between clips' feature vectors (`explorer.model.vectors`): standardised so that no
feature outweighs the others by its unit, then near-duplicates and nearest neighbours."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Near-duplicates: two clips whose standardised vectors differ by less than this RMS z-score
#: (distance / sqrt(features)). A speech recording and its copy with -50 dB hiss measure
#: 0.07-0.11; two different utterances of LibriSpeech 0.7, two noises of other colour 0.16+.
NEAR_DUPLICATE_DISTANCE = 0.15
#: Fewer clips than this have no spread to standardise by: no near-duplicates are looked for.
MIN_CLIPS = 3


def standardise(vectors: np.ndarray) -> np.ndarray:
    """Each feature to zero mean and unit standard deviation over the clips (a feature that does
    not vary is left out: dividing rounding noise by ~0 would make it the loudest)."""
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0:
        return np.zeros((len(x), 0))
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    varies = std > 1e-9 + 1e-6 * np.abs(mean)
    z = np.zeros_like(x)
    z[:, varies] = (x[:, varies] - mean[varies]) / std[varies]
    return z


def scaled_distance(z: np.ndarray) -> float:
    """What turns a Euclidean distance of standardised vectors into an RMS z-score."""
    return float(np.sqrt(max(1, z.shape[1])))


def near_duplicate_pairs(vectors: np.ndarray, threshold: float = NEAR_DUPLICATE_DISTANCE
                         ) -> list[tuple[int, int, float]]:
    """(i, j, distance) with i < j for every pair closer than `threshold` (RMS z-score), by a
    KD-tree: only close pairs are visited, so 10,000 clips cost milliseconds, not 50 M distances."""
    if len(vectors) < MIN_CLIPS or threshold <= 0:
        return []
    from scipy.spatial import cKDTree

    z = standardise(vectors)
    scale = scaled_distance(z)
    tree = cKDTree(z)
    pairs = tree.query_pairs(threshold * scale, output_type="ndarray")
    if len(pairs) == 0:
        return []
    d = np.linalg.norm(z[pairs[:, 0]] - z[pairs[:, 1]], axis=1) / scale
    return [(int(i), int(j), float(x)) for (i, j), x in zip(pairs, d, strict=True)]


def near_duplicates_of(paths: Sequence[str], vectors: dict[str, np.ndarray],
                       threshold: float = NEAR_DUPLICATE_DISTANCE,
                       exact: dict[str, str] | None = None) -> dict[str, str]:
    """{later path: earlier path} for each path with a near-duplicate before it in `paths` (the
    first of a group stays unflagged, as with exact duplicates). Paths without a vector are left
    out; `exact` ({path: audio hash}) pairs of identical audio are `duplicate`s instead."""
    named = [p for p in paths if vectors.get(p) is not None]
    if len(named) < MIN_CLIPS:
        return {}
    stack = np.stack([vectors[p] for p in named])
    out: dict[str, str] = {}
    for i, j, _d in sorted(near_duplicate_pairs(stack, threshold), key=lambda t: (t[1], t[0])):
        a, b = named[i], named[j]
        if exact and exact.get(a) and exact.get(a) == exact.get(b):
            continue
        if b not in out:
            out[b] = a
    return out


def nearest(z: np.ndarray, index: int, count: int = 10) -> list[tuple[int, float]]:
    """The `count` clips nearest clip `index` in standardised space: (index, RMS z-score), nearest first."""
    if len(z) < 2:
        return []
    d = np.linalg.norm(z - z[index], axis=1) / scaled_distance(z)
    d[index] = np.inf
    order = np.argsort(d, kind="stable")[:count]
    return [(int(i), float(d[i])) for i in order if np.isfinite(d[i])]
