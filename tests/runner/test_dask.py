"""The same run on a local Dask cluster: every result, failures listed, a bad address in words."""

from __future__ import annotations

import pytest

from explorer import runner
from tests import needs
from tests.cluster import local_cluster
from tests.runner.work import Plan, square


@pytest.fixture(scope="module")
def client():
    distributed = needs.module("distributed", "needs audio-explorer[cluster] (dask)")
    with local_cluster() as address, distributed.Client(address) as client:
        yield client


def test_a_local_cluster_runs_every_item_and_lists_failures(client):
    seen = []
    plan = Plan(raises=frozenset({3}), fails=frozenset({7}))
    summary = runner.run(list(range(50)), square, plan, scheduler=client, progress=seen.append)
    assert (summary.succeeded, summary.failed, summary.left) == (48, 2, 0)
    assert {r.item: r.reason for r in summary.failures} == {3: "boom 3", 7: "no square for 7"}
    values = [p.result.value for p in seen if p.result.ok]
    assert sorted(w.square for w in values) == [i * i for i in range(50) if i not in (3, 7)]
    assert {w.threads for w in values} == {1}
    assert client.status == "running"  # a Client given is left open


def test_an_unreachable_scheduler_says_so():
    needs.module("distributed", "needs audio-explorer[cluster] (dask)")
    import dask

    words = "cannot reach the Dask scheduler at tcp://127.0.0.1:9"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            pytest.raises(runner.DaskUnavailable, match=words):
        runner.connect("tcp://127.0.0.1:9")
