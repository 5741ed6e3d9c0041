"""Cutting the items into chunks of about equal work: the unit a worker process or a Dask task gets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def chunks(items: Sequence[Any], parts: int, max_items: int = 64,
           weight: Callable[[Any], int] | None = None) -> list[list[Any]]:
    """Consecutive runs of items of about total weight / parts each (a heavy item alone), at most
    max_items long. `weight`: an item's cost (export: the file's size); 1 each without it."""
    weights = [1] * len(items) if weight is None else [weight(item) for item in items]
    target = max(1, sum(weights) // max(1, parts))
    out: list[list[Any]] = []
    current: list[Any] = []
    acc = 0
    for item, size in zip(items, weights, strict=True):
        current.append(item)
        acc += size
        if acc >= target or len(current) >= max_items:
            out.append(current)
            current, acc = [], 0
    if current:
        out.append(current)
    return out
