"""MASE with and without covariates on Seattle daily weather.

temp_max is the target; temp_min, precipitation and wind are past covariates
(observed up to the forecast origin); dayofyear is a calendar feature. Walk-
forward over the last year: horizon 7, 52 weekly cutoffs, refit every 13.
AR(p) takes only covariates known ahead, so it gets the calendar feature alone.
"""

from __future__ import annotations

import time

import pandas as pd

import tsrnn
from tsrnn.datasets import load_dataset


def run(refit: int = 13, epochs: int = 100) -> pd.DataFrame:
    weather = load_dataset("seattle-weather")
    y, X = weather["temp_max"], weather[["temp_min", "precipitation", "wind"]]
    neural = {"horizon": 7, "random_state": 0, "epochs": epochs}
    models = {
        "naive": tsrnn.NaiveForecaster(),
        "ar": tsrnn.ARForecaster(),
        "ar + dayofyear": tsrnn.ARForecaster(calendar=["dayofyear"]),
        "lstm": tsrnn.LSTMForecaster(**neural),
        "lstm + covariates": tsrnn.LSTMForecaster(calendar=["dayofyear"], **neural),
        "gru": tsrnn.GRUForecaster(**neural),
        "gru + covariates": tsrnn.GRUForecaster(calendar=["dayofyear"], **neural),
    }
    covariates = {"lstm + covariates": X, "gru + covariates": X}
    start = time.perf_counter()
    comparison = tsrnn.compare(models, y, covariates, horizon=7, initial=len(y) - 364, refit=refit,
                               warm_start=False, progress=False)  # fmt: skip
    print(f"{time.perf_counter() - start:.0f} s")
    return comparison.scores[["mae", "mase", "coverage", "skill", "dm_pvalue", "fit_seconds"]]


if __name__ == "__main__":
    print(run().round(3).to_string())
