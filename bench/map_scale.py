"""Benchmark of the dataset map at scale (issue 18's figures).

- projecting 10,000 synthetic feature vectors: PCA (target <= 2 s), UMAP (<= 30 s on 2 cores,
  when the `map` extra is installed) and t-SNE (no target: the fallback);
- the scatter with 100,000 points: frames per second while panning and zooming (target >= 30),
  counted as real repaints of the plot (run it under Xvfb: `xvfb-run -a python bench/map_scale.py`).

    .venv/bin/python bench/map_scale.py [--vectors 10000] [--points 100000] [--seconds 3] [--no-umap]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def synthetic_vectors(count: int, seed: int = 18) -> np.ndarray:
    """Clusters of clips (20 'sound types') in the vector space, as a real dataset has."""
    from explorer.model.vectors import VECTOR_SIZE

    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, VECTOR_SIZE)) * 3
    which = rng.integers(0, 20, count)
    return (centres[which] + rng.standard_normal((count, VECTOR_SIZE))).astype(np.float32)


def projections(count: int, umap_too: bool, tsne_too: bool) -> None:
    from explorer.model.projection import ProjectionParams, project, umap_available

    v = synthetic_vectors(count)
    methods = ["pca"] + (["umap"] if umap_too and umap_available() else []) + (["tsne"] if tsne_too else [])
    if umap_too and not umap_available():
        print("UMAP: umap-learn is not installed (pip install '.[map]')")
    targets = {"pca": 2.0, "umap": 30.0}
    for method in methods:
        for run in ("first (imports, compiles)", "again"):
            start = time.perf_counter()
            points = project(v, ProjectionParams(method=method))
            seconds = time.perf_counter() - start
            target = f" (target <= {targets[method]:.0f} s)" if method in targets else ""
            print(f"{method:5s} {count} vectors, {run:26s}: {seconds:7.2f} s{target}  {points.shape}",
                  flush=True)


def scatter_fps(points: int, seconds: float) -> float:
    """Pans and zooms the map's plot step by step, letting Qt repaint each step; counts paints."""
    from PySide6.QtWidgets import QApplication

    from explorer.ui.map.colours import numeric_colours
    from explorer.ui.map.plot import MapPlot

    app = QApplication.instance() or QApplication([])
    plot = MapPlot()
    plot.resize(1200, 800)
    plot.show()
    rng = np.random.default_rng(1)
    xy = rng.standard_normal((points, 2)).astype(np.float32)
    brushes, _ = numeric_colours(xy[:, 0])
    plot.set_points(xy, brushes)
    for _ in range(20):
        app.processEvents()
    box = plot.box
    (x0, x1), (y0, y1) = box.viewRange()
    plot.paints = 0
    frames = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = frames / 30.0
        zoom = 1.0 + 0.5 * np.sin(t)
        cx, cy = np.sin(0.7 * t), np.cos(0.5 * t)
        w, h = (x1 - x0) * zoom / 2, (y1 - y0) * zoom / 2
        box.setRange(xRange=(cx - w, cx + w), yRange=(cy - h, cy + h), padding=0)
        app.processEvents()  # the event loop repaints what changed
        frames += 1
    elapsed = time.perf_counter() - start
    fps = min(plot.paints, frames) / elapsed  # a step shown is a frame (never more than one each)
    print(f"scatter {points} points ({'raster' if plot.rastered else 'symbols'}): {frames} pan/zoom "
          f"steps, {plot.paints} paints in {elapsed:.2f} s = {fps:.1f} frames/s (target >= 30)",
          flush=True)
    plot.close()
    return fps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=10000)
    parser.add_argument("--points", type=int, default=100000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-umap", action="store_true")
    parser.add_argument("--tsne", action="store_true", help="time t-SNE too (slow: no target)")
    parser.add_argument("--no-scatter", action="store_true")
    parser.add_argument("--no-projection", action="store_true")
    args = parser.parse_args()
    import os

    print(f"{os.cpu_count()} cores")
    if not args.no_projection:
        projections(args.vectors, not args.no_umap, args.tsne)
    if not args.no_scatter:
        scatter_fps(args.points, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
