"""Walk-forward backtest policies on Seattle daily temp_max: wall time, MASE and cores, beside darts.

The weather task: horizon 7, 52 weekly cutoffs over the last 364 days, lookback
30, one layer of hidden size 32, batch 32, at most 30 epochs, Adam 1e-3. Each
policy runs in this process, one after another, so its seconds compare with
the others of the same run only.

- ``cold``: a fit from scratch at every cutoff (the reference for accuracy).
- ``default``: what ``tsrnn.compare`` and the command line do when told
  nothing: warm refits (``warm_start="auto"``) validated on windows no earlier
  fit trained on, chains of them run on every core.
- darts ``RNNModel`` ``historical_forecasts(retrain=True)`` with the same
  settings, when darts is importable (see ``peers.py``; darts 0.48 needs
  pandas < 3 and pytorch-lightning, so it lives in an environment of its own).

Run ``python benchmarks/backtests.py`` (``--quick`` leaves out the slow
policies, ``--no-darts`` leaves darts out). The table is written to
``benchmarks/backtests_results.csv``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd
import torch

import tsrnn
from tsrnn import ARForecaster, GRUForecaster, LSTMForecaster, NaiveForecaster, backtest
from tsrnn.chains import AUTO_WARM_START
from tsrnn.datasets import load_dataset

TITLE = "Backtests: warm refits that validate honestly, on every core, against darts"
TEXT = (
    "Seattle temp_max, horizon 7, 52 weekly cutoffs over the last 364 days, lookback 30, one layer of hidden size "
    "32, batch 32, at most 30 epochs with early stopping (patience 10) on the most recent 10% of the windows, seed "
    '0. `default` is `tsrnn.compare` told only the folds: a refit at every cutoff, warm (`warm_start="auto"`: '
    "a fit from scratch, then refits of at most 3 epochs with patience 2 continuing from the last weights, "
    "validated on windows no earlier fit trained on, from scratch again every 26 refits), its chains and the "
    "naive baseline's folds run on every core. `cold` fits from scratch at every cutoff. darts `RNNModel` "
    "`historical_forecasts(retrain=True)` with the same settings (30 epochs, no early stopping, a scaler fitted per "
    "fold) runs in the same script when darts is importable. `darts_seconds_ratio` is darts' seconds over the "
    "row's; `mase_vs_cold` is the row's MASE over tsrnn's cold refits at every cutoff. MASE is scaled by each "
    "fold's in-sample one-step naive MAE."
)
CELLS = {"LSTM": LSTMForecaster, "GRU": GRUForecaster}
TASK = {"window": 30, "horizon": 7, "hidden_size": 32, "batch_size": 32, "epochs": 30, "random_state": 0}
HERE = Path(__file__).resolve().parent


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _timed_backtest(name: str, forecaster, y, initial: int, cores: str, **options) -> dict:
    start = time.perf_counter()
    result = backtest(forecaster, y, horizon=7, step=7, initial=initial, progress=False, **options)
    seconds = time.perf_counter() - start
    score = result.score(["mae", "mase"]).iloc[0]
    return {"policy": name, "seconds": seconds, "mae": score["mae"], "mase": score["mase"],
            "cutoffs": len(result.cutoffs), "cores": cores}  # fmt: skip


def _timed_compare(name: str, cell: str, y, initial: int) -> dict:
    """The default path: ``compare`` told only the folds (it adds the naive baseline, a few ms)."""
    start = time.perf_counter()
    comparison = tsrnn.compare({cell: CELLS[cell](**TASK)}, y, horizon=7, step=7, initial=initial, coverage=None,
                               progress=False)  # fmt: skip
    seconds = time.perf_counter() - start
    score = comparison.results[cell].score(["mae", "mase"]).iloc[0]
    return {"policy": name, "seconds": seconds, "mae": score["mae"], "mase": score["mase"],
            "cutoffs": len(comparison.results[cell].cutoffs), "cores": f"{_cores()} ({comparison.settings['execution']})"}  # fmt: skip


def run(quick: bool = False, darts: bool = True, cells=("LSTM", "GRU")) -> pd.DataFrame:
    """The policies table, darts' rows included when darts is importable and ``darts`` is True."""
    y = load_dataset("seattle-weather")["temp_max"]
    initial = len(y) - 364
    threads = torch.get_num_threads()
    rows = [
        _timed_backtest("naive", NaiveForecaster(), y, initial, "1"),
        _timed_backtest("AR(AIC)", ARForecaster(lags="aic"), y, initial, "1"),
    ]
    for cell in cells:
        model = CELLS[cell](**TASK)
        rows.append(_timed_compare(f"{cell} default: compare, warm refits 'auto', every core", cell, y, initial))
        rows.append(_timed_backtest(f"{cell} warm refits 'auto', 1 worker", model, y, initial, f"1 ({threads} torch threads)",
                                    warm_start="auto"))  # fmt: skip
        rows.append(_timed_backtest(f"{cell} refit every 13, cold, 1 worker", model, y, initial, f"1 ({threads} torch threads)",
                                    refit=13))  # fmt: skip
        if not quick:
            rows.append(_timed_backtest(f"{cell} cold refit every cutoff, every core", model, y, initial,
                                        f"{_cores()} (1 torch thread each)", n_jobs=-1))  # fmt: skip
    if darts:
        rows.extend(_darts_rows(cells, quick))
    table = pd.DataFrame(rows).set_index("policy")
    return _with_ratios(table, cells)


def _darts_rows(cells, quick: bool) -> list[dict]:
    sys.path.insert(0, str(HERE))
    import peers

    if not peers.available():
        print(
            "darts is not importable here: its rows are left out. " + peers.__doc__.split("\n\n")[1].replace("\n", " ")
        )
        return []
    rows = []
    for cell in cells:
        table = peers.darts_backtests(retrain_policies=(False,) if quick else (True,), cell=cell)
        for policy, row in table.iterrows():
            rows.append({"policy": policy, "seconds": row["seconds"], "mae": float("nan"), "mase": row["mase"],
                         "cutoffs": row["cutoffs"], "cores": f"1 ({torch.get_num_threads()} torch threads)"})  # fmt: skip
    return rows


def _with_ratios(table: pd.DataFrame, cells) -> pd.DataFrame:
    """Each network row's speed-up over darts' retrain-every-cutoff run and MASE against tsrnn's cold refits."""
    table = table.copy()
    table["darts_seconds_ratio"] = float("nan")
    table["mase_vs_cold"] = float("nan")
    for cell in cells:
        rows = [name for name in table.index if name.startswith(f"{cell} ")]
        darts_name, cold_name = f"darts {cell} retrain=True", f"{cell} cold refit every cutoff, every core"
        for name in rows:
            if darts_name in table.index:
                table.loc[name, "darts_seconds_ratio"] = table.loc[darts_name, "seconds"] / table.loc[name, "seconds"]
            if cold_name in table.index:
                table.loc[name, "mase_vs_cold"] = table.loc[name, "mase"] / table.loc[cold_name, "mase"]
    return table


if __name__ == "__main__":
    table = run(quick="--quick" in sys.argv, darts="--no-darts" not in sys.argv)
    print(f"warm_start='auto' is {AUTO_WARM_START}; {_cores()} cores, torch {torch.__version__}")
    print(table.round(4).to_string())
    if "--quick" not in sys.argv:
        table.to_csv(HERE / "backtests_results.csv")
