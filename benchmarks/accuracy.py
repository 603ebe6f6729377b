"""Accuracy of the default recurrent forecasters against naive and AR(p), on weather and prices.

Walk-forward settings of the accuracy issue: Seattle daily temp_max, horizon 7,
52 weekly cutoffs; S&P 500 adjusted close, last 1000 business days, horizon 5,
50 cutoffs every 5 days. Settings are searched on a tuning period that ends
before the held-out period used for the reported table.
"""

from __future__ import annotations

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

VARIANTS = {
    "default": {},
    "residual": {"residual": True},
    "window 60": {"window": 60},
    "hidden 32": {"hidden_size": 32},
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


def tuning(refit: int = 13, cells=("lstm", "gru")) -> pd.DataFrame:
    """MASE of each setting variant on the tuning period of each task."""
    rows = []
    for task in TASKS:
        y, horizon, initial = _periods(task, held_out=False)
        models = {}
        for cell in cells:
            for variant, params in VARIANTS.items():
                models[f"{cell} {variant}"] = tsrnn.RecurrentForecaster(
                    cell=cell, horizon=horizon, random_state=0, **params
                )
        start = time.perf_counter()
        comparison = tsrnn.compare(models, y, horizon=horizon, initial=initial, refit=refit, progress=False)
        scores = comparison.scores
        for name, row in scores.iterrows():
            rows.append({"task": task, "model": name, "mase": row["mase"], "fit_seconds": row["fit_seconds"]})
        print(f"tuning {task}: {time.perf_counter() - start:.0f} s")
    return pd.DataFrame(rows).pivot(index="model", columns="task", values="mase")


def held_out(refit: int = 13, **neural) -> pd.DataFrame:
    """MASE of naive, AR(AIC), RNN, LSTM, GRU with defaults on the held-out periods, with DM p-values."""
    rows = []
    for task in TASKS:
        y, horizon, initial = _periods(task, held_out=True)
        models = {
            "naive": tsrnn.NaiveForecaster(),
            "ar": tsrnn.ARForecaster(lags="aic"),
            "rnn": tsrnn.RNNForecaster(horizon=horizon, random_state=0, **neural),
            "lstm": tsrnn.LSTMForecaster(horizon=horizon, random_state=0, **neural),
            "gru": tsrnn.GRUForecaster(horizon=horizon, random_state=0, **neural),
        }
        comparison = tsrnn.compare(models, y, horizon=horizon, initial=initial, refit=refit, progress=False)
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


def ensembles(seeds: int = 5, refit: int = 13) -> pd.DataFrame:
    """Weather held-out MASE of single seeds and of the average of the first 3 and 5 seeds."""
    y, horizon, initial = _periods("weather", held_out=True)
    rows = []
    for cell in ("lstm", "gru"):
        runs = [
            tsrnn.backtest(tsrnn.RecurrentForecaster(cell=cell, horizon=horizon, random_state=seed), y,
                           horizon=horizon, initial=initial, refit=refit, progress=False)
            for seed in range(seeds)
        ]  # fmt: skip
        scored = runs[0]._scored_rows()
        singles = [r.score(["mase"]).iloc[0, 0] for r in runs]
        row = {"cell": cell, "single seeds (min..max)": f"{min(singles):.3f}..{max(singles):.3f}"}
        for k in (3, seeds):
            average = np.mean([r.forecasts["y_pred"].to_numpy() for r in runs[:k]], axis=0)
            row[f"mean of {k} seeds"] = float(np.mean(np.abs(average - scored["y_true"]) / scored["scale"]))
        rows.append(row)
    return pd.DataFrame(rows).set_index("cell")


if __name__ == "__main__":
    import sys

    pd.set_option("display.width", 200)
    if "--held-out-only" not in sys.argv:
        print(tuning().round(3).to_string())
    print(held_out().round(3).to_string())
