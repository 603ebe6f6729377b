"""Calibration of prediction intervals in walk-forward backtests: adaptive conformal against each model's own.

Tasks: S&P 500 and WTI prices (last 1,000 business days, horizon 5, 50 cutoffs
every 5 days) and Seattle daily temp_max (horizon 7, 52 weekly cutoffs over
the last year). Each model is fitted once at the first cutoff and updated with
the new observations at every later one (``refit=False``), so what the
intervals learn after the first cutoff comes from the errors they see online.
For every nominal level, the table gives the empirical coverage and the
interval score (lower is better) of the model's own intervals and of
``AdaptiveConformal`` around it, and the CRPS of both from 19 quantiles.

``quantile_head`` compares, on the weather task with a refit every 13 cutoffs
and updates in between, the networks' quantile head (``loss="quantile"``)
with the same networks' default split-conformal intervals.

    python benchmarks/intervals.py [--quick] [out.csv]
    python benchmarks/intervals.py quantile-head [--quick] [--task sp500|wti] [--seeds 0,1,2] [out.csv]
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


def _share_inside(rows: pd.DataFrame, low: float, high: float) -> float:
    return float(np.mean((rows["y_true"] >= rows[low]) & (rows["y_true"] <= rows[high])))


#: The intervals compared by ``quantile_head``: label -> the network's settings.
HEADS = {
    "conformal": {"loss": "mse"},
    "quantile head": {"loss": "quantile"},
    "quantile head, conformalised": {"loss": "quantile", "conformal_quantiles": True},
}


def quantile_head(
    quick: bool = False, seeds: tuple[int, ...] = (0, 1, 2), task: str = "seattle temp_max"
) -> pd.DataFrame:
    """CRPS, coverage and fit time of the quantile head against the default conformal intervals.

    ``task`` is one of :func:`tasks` (by default Seattle temp_max, horizon 7,
    52 weekly cutoffs over the last 364 days; the prices: horizon 5, 50
    cutoffs 5 days apart over their last 1,000 business days), refit every
    13 cutoffs and updates in between. CRPS from the 19 levels
    0.05 .. 0.95; the 80% and 90% coverage of the intervals that are the
    0.1/0.9 and 0.05/0.95 quantiles (``predict_interval`` gives the same
    bounds); the 90% interval score; MAE of the point forecast (the mean
    for ``mse``, the median for ``quantile``); fit seconds of all folds.
    """
    y, horizon, step, initial = tasks()[task]
    plan = {"horizon": horizon, "step": step, "initial": initial, "refit": 13, "progress": False}
    rows = []
    for name, cls in (("LSTM", LSTMForecaster), ("GRU", GRUForecaster)):
        for intervals, params in HEADS.items():
            for seed in seeds:
                model = cls(horizon=horizon, random_state=seed, **params, **({"epochs": 5} if quick else {}))
                result = backtest(model, y, coverage=0.9, quantiles=QUANTILES, **plan)
                scored = result.forecasts.dropna(subset=["y_true"])
                score = result.score(["mae", "crps", "interval_score"]).iloc[0]
                rows.append(
                    {
                        "task": task, "model": name, "intervals": intervals, "seed": seed,
                        "CRPS": score["crps"], "coverage 80%": _share_inside(scored, 0.1, 0.9),
                        "coverage 90%": _share_inside(scored, 0.05, 0.95), "interval score 90%": score["interval_score"],
                        "MAE": score["mae"], "fit s": float(result.fit_seconds.sum()),
                    }
                )  # fmt: skip
    return pd.DataFrame(rows)


if __name__ == "__main__":
    import sys

    if "quantile-head" in sys.argv:
        chosen = sys.argv[sys.argv.index("--task") + 1] if "--task" in sys.argv else "seattle temp_max"
        seeds = (
            tuple(int(v) for v in sys.argv[sys.argv.index("--seeds") + 1].split(","))
            if "--seeds" in sys.argv
            else (0, 1, 2)
        )
        table = quantile_head(quick="--quick" in sys.argv, seeds=seeds, task=chosen)
        print(table.round(3).to_string(index=False))
        table.to_csv(sys.argv[-1] if sys.argv[-1].endswith(".csv") else "quantile_head.csv", index=False)
        sys.exit()
    table = run(quick="--quick" in sys.argv)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.round(3).to_string(index=False))
    table.to_csv(sys.argv[-1] if sys.argv[-1].endswith(".csv") else "intervals.csv", index=False)
