"""Accuracy of the default recurrent forecasters against naive and AR(p), on weather and prices.

Walk-forward settings of the accuracy issue: Seattle daily temp_max, horizon 7,
52 weekly cutoffs; S&P 500 adjusted close, last 1000 business days, horizon 5,
50 cutoffs every 5 days. Settings are searched on a tuning period that ends
where the held-out period used for the reported table starts.

    python benchmarks/accuracy.py search [--tasks weather sp500] [--cells lstm gru] [--seeds 3]
    python benchmarks/accuracy.py held-out
    python benchmarks/accuracy.py ensembles [--cells rnn lstm gru] [--seeds 2]

Each prints a Markdown table. Every backtest refits every 13 cutoffs and
updates in between (``refit=13``); MASE is scaled by each fold's own training
data.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import tsrnn
from tsrnn.datasets import load_dataset
from tsrnn.metrics import diebold_mariano

TASKS = {
    # name: (series, horizon, cutoffs); the held-out period is the last horizon * cutoffs points.
    "weather": (lambda: load_dataset("seattle-weather")["temp_max"], 7, 52),
    "sp500": (lambda: load_dataset("sp500")["adj_close"].iloc[-1000:], 5, 50),
}

# One setting changed at a time from the defaults (window 30, hidden 64, learning rate 1e-3, batch 64, linear skip,
# early stopping with patience 10 on the last 10% of the windows, difference="auto").
SEARCH = {
    "default": {},
    "window 14": {"window": 14},
    "window 60": {"window": 60},
    "hidden 32": {"hidden_size": 32},
    "hidden 128": {"hidden_size": 128},
    "learning rate 3e-4": {"learning_rate": 3e-4},
    "learning rate 3e-3": {"learning_rate": 3e-3},
    "batch 32": {"batch_size": 32},
    "batch 128": {"batch_size": 128},
    "patience 20": {"patience": 20},
    "validation 20%": {"validation_fraction": 0.2},
    "20 epochs, no early stopping": {"validation_fraction": 0.0, "epochs": 20, "patience": None},
    "40 epochs, no early stopping": {"validation_fraction": 0.0, "epochs": 40, "patience": None},
    "dropout 0.2": {"dropout": 0.2},
    "weight decay 1e-3": {"weight_decay": 1e-3},
    "loss mae": {"loss": "mae"},
    "loss huber": {"loss": "huber"},
    "weight averaging 0.9": {"weight_averaging": 0.9},
    "weight averaging 0.98": {"weight_averaging": 0.98},
    "residual": {"residual": True},
    "no linear skip": {"linear_skip": False},
    "no differencing": {"difference": False},
}


def _periods(task: str, held_out: bool) -> tuple[pd.Series, int, int]:
    load, horizon, cutoffs = TASKS[task]
    y = load()
    span = horizon * cutoffs
    if not held_out:
        # Tuning ends where the held-out period starts: it never sees those observations.
        y = y.iloc[:-span]
    return y, horizon, len(y) - span


def _mase(forecaster, task: str, held_out: bool, refit: int = 13) -> tuple[float, tsrnn.BacktestResult]:
    y, horizon, initial = _periods(task, held_out)
    result = tsrnn.backtest(forecaster, y, horizon=horizon, initial=initial, refit=refit, progress=False)
    return float(result.score(["mase"]).iloc[0, 0]), result


def search(
    tasks=tuple(TASKS), cells=("lstm", "gru"), seeds=(0, 1, 2), variants: dict | None = None, refit: int = 13
) -> pd.DataFrame:
    """MASE on the tuning period of each setting, mean and range over seeds, with naive and AR for reference."""
    rows = []
    for task in tasks:
        horizon = TASKS[task][1]
        for name, baseline in (("naive", tsrnn.NaiveForecaster()), ("ar", tsrnn.ARForecaster(lags="aic"))):
            score, _ = _mase(baseline, task, held_out=False, refit=refit)
            rows.append({"task": task, "cell": name, "setting": "", "mase": score, "min": score, "max": score})
        for name, params in (variants or SEARCH).items():
            for cell in cells:
                start = time.perf_counter()
                scores = [
                    _mase(
                        tsrnn.RecurrentForecaster(cell=cell, horizon=horizon, random_state=seed, **params),
                        task,
                        held_out=False,
                        refit=refit,
                    )[0]
                    for seed in seeds
                ]
                rows.append({"task": task, "cell": cell, "setting": name, "mase": np.mean(scores),
                             "min": min(scores), "max": max(scores),
                             "seconds_per_backtest": (time.perf_counter() - start) / len(seeds)})  # fmt: skip
                print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def held_out(refit: int = 13, **neural) -> pd.DataFrame:
    """MASE of naive, AR(AIC), RNN, LSTM, GRU with defaults on the held-out periods, with DM p-values.

    A last row is the defaults' linear skip alone, to show what the recurrent part adds.
    """
    rows = []
    for task in TASKS:
        y, horizon, initial = _periods(task, held_out=True)
        models = {
            "naive": tsrnn.NaiveForecaster(),
            "ar": tsrnn.ARForecaster(lags="aic"),
            "rnn": tsrnn.RNNForecaster(horizon=horizon, random_state=0, **neural),
            "lstm": tsrnn.LSTMForecaster(horizon=horizon, random_state=0, **neural),
            "gru": tsrnn.GRUForecaster(horizon=horizon, random_state=0, **neural),
            # The defaults' linear skip on its own: one epoch at a negligible learning rate leaves the
            # silent recurrent part silent, so this is the closed-form ridge autoregression.
            "linear part": tsrnn.GRUForecaster(horizon=horizon, random_state=0, epochs=1, learning_rate=1e-12),
        }
        comparison = tsrnn.compare(models, y, horizon=horizon, initial=initial, refit=refit,
                                   warm_start=False, progress=False)  # fmt: skip
        errors = {
            name: (g["y_pred"] - g["y_true"]).to_numpy()
            for name, g in comparison.forecasts.sort_values(["model", "cutoff", "step"]).groupby("model")
        }
        for name in models:
            row = comparison.scores.loc[name]
            dm_naive = (
                diebold_mariano(errors[name], errors["naive"], horizon=horizon, power=1)
                if name != "naive"
                else (np.nan, np.nan)
            )
            dm_ar = (
                diebold_mariano(errors[name], errors["ar"], horizon=horizon, power=1)
                if name != "ar"
                else (np.nan, np.nan)
            )
            rows.append({"task": task, "model": name, "mase": row["mase"], "dm_stat_vs_naive": dm_naive[0],
                         "p_vs_naive": dm_naive[1], "dm_stat_vs_ar": dm_ar[0], "p_vs_ar": dm_ar[1],
                         "fit_seconds": row["fit_seconds"]})  # fmt: skip
    return pd.DataFrame(rows).set_index(["task", "model"])


def ensembles(
    sizes=(1, 5), seeds=(0, 1), refit: int = 13, task: str = "weather", cells=("rnn", "lstm", "gru")
) -> pd.DataFrame:
    """Held-out MASE of ``n_ensemble`` members, mean and range over seeds, and the fit time it costs."""
    rows = []
    horizon = TASKS[task][1]
    for cell in cells:
        for size in sizes:
            scores, seconds = [], []
            for seed in seeds:
                forecaster = tsrnn.RecurrentForecaster(cell=cell, horizon=horizon, n_ensemble=size, random_state=seed)
                score, result = _mase(forecaster, task, held_out=True, refit=refit)
                scores.append(score)
                seconds.append(result.fit_seconds.sum())
            rows.append({"task": task, "cell": cell, "n_ensemble": size, "mase": np.mean(scores),
                         "min": min(scores), "max": max(scores), "fit_seconds": np.mean(seconds)})  # fmt: skip
            print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("search", "held-out", "ensembles"))
    parser.add_argument("--tasks", nargs="+", default=list(TASKS))
    parser.add_argument("--cells", nargs="+", default=["lstm", "gru"])
    parser.add_argument("--seeds", type=int, default=None, help="seeds 0..N-1 (search: 3, ensembles: 2)")
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    if args.what == "search":
        table = search(tuple(args.tasks), tuple(args.cells), tuple(range(args.seeds or 3)))
    elif args.what == "held-out":
        table = held_out().reset_index()
    else:
        table = ensembles(seeds=tuple(range(args.seeds or 2)), cells=tuple(args.cells))
    from run import _table

    print(_table(table))


if __name__ == "__main__":
    main()
