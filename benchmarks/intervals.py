"""Calibration of prediction intervals in walk-forward backtests: adaptive conformal against each model's own.

Tasks: S&P 500 and WTI prices (last 1,000 business days, horizon 5, 50 cutoffs
every 5 days) and Seattle daily temp_max (horizon 7, 52 weekly cutoffs over
the last year). Each model is fitted once at the first cutoff and updated with
the new observations at every later one (``refit=False``), so what the
intervals learn after the first cutoff comes from the errors they see online.
For every nominal level, the table gives the empirical coverage and the
interval score (lower is better) of the model's own intervals and of
``AdaptiveConformal`` around it, and the CRPS of both from 19 quantiles.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from tsrnn import AdaptiveConformal, ARForecaster, GRUForecaster, LSTMForecaster, NaiveForecaster, backtest
from tsrnn.datasets import load_dataset

LEVELS = (0.8, 0.9, 0.95)
QUANTILES = [round(q, 2) for q in np.arange(0.05, 0.96, 0.05)]


def tasks() -> dict[str, tuple[pd.Series, int, int, int]]:
    """Name -> (series, horizon, step, initial)."""
    prices = {
        name: load_dataset(name)[column].iloc[-1000:] for name, column in (("sp500", "adj_close"), ("wti", "price"))
    }
    out = {name: (y, 5, 5, len(y) - 5 - 5 * 49) for name, y in prices.items()}
    weather = load_dataset("seattle-weather")["temp_max"]
    out["seattle temp_max"] = (weather, 7, 7, len(weather) - 364)
    return out


def models(horizon: int, quick: bool) -> dict[str, object]:
    neural = {"horizon": horizon, "random_state": 0, **({"epochs": 5} if quick else {})}
    return {
        "naive": NaiveForecaster(),
        "AR(AIC)": ARForecaster(),
        "LSTM": LSTMForecaster(**neural),
        "GRU": GRUForecaster(**neural),
    }


def _scores(result) -> dict[str, float]:
    score = result.score(["coverage", "interval_score", "crps"]).iloc[0]
    return {"coverage": score["coverage"], "interval_score": score["interval_score"], "crps": score["crps"]}


def run(quick: bool = False) -> pd.DataFrame:
    rows = []
    for task, (y, horizon, step, initial) in tasks().items():
        for name, model in models(horizon, quick).items():
            for level in LEVELS:
                plan = {"horizon": horizon, "step": step, "initial": initial, "refit": False, "progress": False}
                start = time.perf_counter()
                own = backtest(model, y, coverage=level, quantiles=QUANTILES, **plan)
                middle = time.perf_counter()
                wrapped = AdaptiveConformal(model, coverage=level, horizon=horizon, refit=False)
                adaptive = backtest(wrapped, y, coverage=level, quantiles=QUANTILES, **plan)
                end = time.perf_counter()
                own_scores, adaptive_scores = _scores(own), _scores(adaptive)
                rows.append(
                    {
                        "task": task, "model": name, "nominal": level,
                        "own coverage": own_scores["coverage"], "adaptive coverage": adaptive_scores["coverage"],
                        "own interval score": own_scores["interval_score"],
                        "adaptive interval score": adaptive_scores["interval_score"],
                        "own CRPS": own_scores["crps"], "adaptive CRPS": adaptive_scores["crps"],
                        "own s": middle - start, "adaptive s": end - middle,
                    }
                )  # fmt: skip
    return pd.DataFrame(rows)


if __name__ == "__main__":
    import sys

    table = run(quick="--quick" in sys.argv)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.round(3).to_string(index=False))
    table.to_csv(sys.argv[-1] if sys.argv[-1].endswith(".csv") else "intervals.csv", index=False)
