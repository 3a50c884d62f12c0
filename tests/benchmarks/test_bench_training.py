"""The article's 2-3-1 XOR training: nbn's layers vs the same loop in plain NumPy.

Opt-in timing suite: ``scripts/bench`` runs it. One epoch, then the whole
5000-epoch run (seed 48, xavier, learning rate 1), each with the library and
with a plain-NumPy loop (no classes, no validation). The assertions check that
both compute the same thing, so that the timings compare like with like.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from scripts.bench_scaling import (
    EPOCHS,
    library_epoch,
    library_network,
    plain_epoch,
    plain_parameters,
    train_library,
    train_plain,
    xor_data,
)

pytestmark = pytest.mark.benchmark


@pytest.mark.benchmark(group="one 2-3-1 XOR epoch")
def test_xor_epoch_library(benchmark: BenchmarkFixture) -> None:
    X, Y = xor_data()
    net = library_network()
    first = library_epoch(net, X, Y)
    assert benchmark(library_epoch, net, X, Y) < first  # training lowers the cost


@pytest.mark.benchmark(group="one 2-3-1 XOR epoch")
def test_xor_epoch_plain_numpy(benchmark: BenchmarkFixture) -> None:
    X, Y = xor_data()
    params = plain_parameters()
    first = plain_epoch(params, X, Y)
    assert benchmark(plain_epoch, params, X, Y) < first


@pytest.mark.benchmark(group=f"{EPOCHS}-epoch XOR training")
def test_xor_training_library(benchmark: BenchmarkFixture) -> None:
    costs = benchmark.pedantic(train_library, rounds=5, iterations=1, warmup_rounds=1)
    assert costs == pytest.approx(train_plain(), rel=1e-12)


@pytest.mark.benchmark(group=f"{EPOCHS}-epoch XOR training")
def test_xor_training_plain_numpy(benchmark: BenchmarkFixture) -> None:
    costs = benchmark.pedantic(train_plain, rounds=5, iterations=1, warmup_rounds=1)
    assert costs == pytest.approx(train_library(), rel=1e-12)
