"""Feature vectors -> 2-D points for the dataset map: standardised first (no feature outweighs
the others by its unit), then PCA (default: fast, stable), UMAP (the `map` extra: keeps clusters
apart) or t-SNE (scikit-learn's, when UMAP is not installed). No Qt: the window runs it in a job."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import numpy as np

from explorer.model.similarity import standardise

#: The methods, in the order the map offers them.
METHODS = ("pca", "umap", "tsne")
#: What the map's menu says for each.
METHOD_NAMES = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE"}
#: Fixed seed: the same vectors give the same map every time (UMAP, t-SNE are randomised).
SEED = 18
#: From this many clips UMAP runs unseeded on every core (a seed makes it single-threaded) and
#: with 200 epochs (umap-learn's own choice above 10,000): 10,000 clips in ~30 s on 2 cores.
UMAP_LARGE = 5000


@dataclass(frozen=True)
class ProjectionParams:
    """How to project: the method, UMAP/t-SNE neighbourhood size (clamped to the clip count)."""

    method: str = "pca"
    neighbours: int = 15


def umap_available() -> bool:
    """UMAP needs the `map` extra (`pip install audio-explorer[map]`: umap-learn)."""
    return importlib.util.find_spec("umap") is not None


def available_methods() -> tuple[str, ...]:
    """PCA and t-SNE always (scikit-learn); UMAP when installed."""
    return tuple(m for m in METHODS if m != "umap" or umap_available())


def second_method() -> str:
    """The non-linear method to offer: UMAP when installed, t-SNE otherwise."""
    return "umap" if umap_available() else "tsne"


def project(vectors: np.ndarray, params: ProjectionParams = ProjectionParams()) -> np.ndarray:
    """(n, 2) float32 points of `vectors` (n, features); fewer than 3 clips lie on a line."""
    x = standardise(np.asarray(vectors, dtype=np.float64))
    n = len(x)
    out = np.zeros((n, 2), np.float32)
    if n < 2 or x.shape[1] == 0:
        return out
    if n < 3:
        out[:, 0] = [-1.0, 1.0]
        return out
    method = params.method
    if method == "umap" and not umap_available():
        raise ValueError("UMAP is not installed: pip install 'audio-explorer[map]'")
    if method == "pca":
        from sklearn.decomposition import PCA

        points = PCA(n_components=2, random_state=SEED).fit_transform(x)
    elif method == "umap":
        import umap

        large = n >= UMAP_LARGE
        reducer = umap.UMAP(n_components=2, n_neighbors=max(2, min(params.neighbours, n - 1)),
                            random_state=None if large else SEED, n_jobs=-1 if large else 1,
                            n_epochs=200 if large else None)
        points = reducer.fit_transform(x)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = float(max(1.0, min(30.0, (n - 1) / 3.0)))
        points = TSNE(n_components=2, perplexity=perplexity, random_state=SEED,
                      init="pca").fit_transform(x)
    else:
        raise ValueError(f"unknown projection {method!r}: one of {', '.join(METHODS)}")
    out[:, :points.shape[1]] = points
    return out


def layout(vectors: np.ndarray, params: ProjectionParams = ProjectionParams()):
    """What the map needs of a projection, in one call (the window runs it in a child process):
    the standardised vectors (distances), the 2-D points and their KD-tree (the point under the
    mouse)."""
    from scipy.spatial import cKDTree

    points = project(vectors, params)
    return standardise(vectors), points, cKDTree(points)
