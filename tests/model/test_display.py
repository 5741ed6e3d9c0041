"""Row groups for display equal numpy's reduceat (the reference) in every shape they come in."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.model.display import max_over_row_groups


@pytest.mark.parametrize("rows, display", [(1025, 600), (1025, 2048), (128, 256), (1025, 300),
                                           (7, 3), (1, 1)])
def test_equals_reduceat(rows, display):
    rng = np.random.default_rng(rows + display)
    values = rng.standard_normal((rows, 333)).astype(np.float32)
    # evenly spaced, log-like (wide groups at the top) and repeated starts, as the views make
    for edges in (np.linspace(0, rows, display, endpoint=False),
                  rows * (np.geomspace(1, 101, display) - 1) / 100):
        starts = np.clip(np.floor(edges).astype(np.intp), 0, rows - 1)
        np.testing.assert_array_equal(max_over_row_groups(values, starts),
                                      np.maximum.reduceat(values, starts, axis=0))


def test_nan_rows_and_one_group():
    values = np.array([[1.0, np.nan], [3.0, 2.0], [0.0, 5.0]], np.float32)
    np.testing.assert_array_equal(max_over_row_groups(values, np.array([0])),
                                  np.maximum.reduceat(values, [0], axis=0))
