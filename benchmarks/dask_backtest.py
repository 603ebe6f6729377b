"""A long hourly backtest on a Dask LocalCluster of two single-thread workers against one: speed-up and identity.

The series is 100,000 hourly points (about 11 years), synthetic on purpose so
that its length can be chosen: a daily and a weekly cycle, a slow trend and
AR(1) noise. The backtest: 100 cutoffs a day apart over the last 100 days,
horizon 24, a refit every 10 cutoffs and updates in between, so the folds form
10 chains (a refit and its 9 updates), each an independent job. The model is
an LSTM with lookback 48, hidden size 16, batch 256 and 2 epochs, small enough
that a fit takes seconds on a laptop core. Every process (each worker, and this
one before the serial run) first makes one tiny fit, so that the one-time
imports of a process's first fit (``warm_up_seconds``) stay out of the timings,
as on a cluster that is already running.

Run ``python benchmarks/dask_backtest.py`` (needs ``tsrnn[distributed]``).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import torch

from tsrnn import LSTMForecaster, backtest

N_POINTS = 100_000
CUTOFFS, HORIZON, STEP, REFIT = 100, 24, 24, 10


def hourly_series(n: int = N_POINTS, seed: int = 0) -> pd.Series:
    """``n`` hourly values: daily and weekly cycles, a slow trend and AR(1) noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    noise = np.zeros(n)
    shocks = rng.normal(scale=0.6, size=n)
    for i in range(1, n):
        noise[i] = 0.8 * noise[i - 1] + shocks[i]
    values = 10 + 4 * np.sin(2 * np.pi * t / 24) + 1.5 * np.sin(2 * np.pi * t / 168) + t / 20_000 + noise
    return pd.Series(values, index=pd.date_range("2015-01-01", periods=n, freq="h"), name="load")


def model() -> LSTMForecaster:
    return LSTMForecaster(window=48, horizon=HORIZON, hidden_size=16, batch_size=256, epochs=2, random_state=0)


def warm_up() -> float:
    """One tiny fit: a process's first optimiser step imports ``torch._dynamo`` (about 2.5 s), once per process."""
    start = time.perf_counter()
    LSTMForecaster(window=8, hidden_size=4, epochs=1, random_state=0).fit(hourly_series(200))
    return time.perf_counter() - start


def _run(y: pd.Series, **options) -> tuple[float, pd.DataFrame]:
    initial = len(y) - HORIZON - STEP * (CUTOFFS - 1)
    start = time.perf_counter()
    result = backtest(model(), y, horizon=HORIZON, step=STEP, initial=initial, refit=REFIT, progress=False, **options)
    return time.perf_counter() - start, result.forecasts


def run() -> pd.DataFrame:
    """Seconds on one and on two single-thread Dask workers (and serially at one thread), and whether they agree."""
    from distributed import Client, LocalCluster

    y = hourly_series()
    rows, forecasts = [], {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                # Each worker's one-time imports are paid before the clock starts, as on a long-lived cluster.
                first = max(client.run(warm_up).values())
                seconds, forecasts[workers] = _run(y, backend="dask")
        rows.append({"run": f"Dask LocalCluster, {workers} single-thread worker(s)", "seconds": seconds,
                     "warm_up_seconds": first})  # fmt: skip
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        first = warm_up()
        seconds, forecasts["serial"] = _run(y)
    finally:
        torch.set_num_threads(threads)
    rows.append({"run": "serial in this process, 1 torch thread", "seconds": seconds, "warm_up_seconds": first})
    table = pd.DataFrame(rows).set_index("run")
    table["speed_up_vs_1_worker"] = table["seconds"].iloc[0] / table["seconds"]
    table["identical_to_1_worker"] = [forecasts[1].equals(forecasts[k]) for k in (1, 2, "serial")]
    return table


if __name__ == "__main__":
    print(
        f"{N_POINTS} hourly points, {CUTOFFS} cutoffs, horizon {HORIZON}, refit every {REFIT} ({CUTOFFS // REFIT} chains)"
    )
    print(run().round(3).to_string())
