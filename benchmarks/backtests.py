"""Walk-forward backtest policies on Seattle daily temp_max: wall time and MASE.

The task of the benchmarks issue: horizon 7, 52 weekly cutoffs over the last
364 days, lookback 30, LSTM hidden 32, one layer, batch 32, 30 epochs, Adam 1e-3.
"""

from __future__ import annotations

import time

import pandas as pd

from tsrnn import ARForecaster, LSTMForecaster, NaiveForecaster, backtest
from tsrnn.datasets import load_dataset


def lstm(**overrides) -> LSTMForecaster:
    params = {"window": 30, "horizon": 7, "hidden_size": 32, "batch_size": 32, "epochs": 30, "random_state": 0}
    return LSTMForecaster(**{**params, **overrides})


def policies(quick: bool = False) -> list[tuple[str, object, dict]]:
    rows = [
        ("naive", NaiveForecaster(), {"refit": True}),
        ("AR(AIC)", ARForecaster(lags="aic"), {"refit": True}),
        ("LSTM refit=False", lstm(), {"refit": False}),
        ("LSTM refit every 13", lstm(), {"refit": 13}),
        ("LSTM warm start, 5 epochs/refit", lstm(), {"refit": True, "warm_start": 5}),
        ("LSTM refit every cutoff, 2 jobs", lstm(), {"refit": True, "n_jobs": 2}),
    ]
    if not quick:
        rows.append(("LSTM refit every cutoff", lstm(), {"refit": True}))
    return rows


def run(quick: bool = False) -> pd.DataFrame:
    y = load_dataset("seattle-weather")["temp_max"]
    initial = len(y) - 364
    table = []
    for name, forecaster, options in policies(quick):
        start = time.perf_counter()
        result = backtest(forecaster, y, horizon=7, step=7, initial=initial, progress=False, **options)
        seconds = time.perf_counter() - start
        score = result.score(["mae", "mase"]).iloc[0]
        table.append({"policy": name, "seconds": seconds, "mae": score["mae"], "mase": score["mase"],
                      "cutoffs": len(result.cutoffs)})  # fmt: skip
    return pd.DataFrame(table).set_index("policy")


if __name__ == "__main__":
    import sys

    print(run(quick="--quick" in sys.argv).round(3).to_string())
