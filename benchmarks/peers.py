"""The same walk-forward task with darts, when it is installed in the benchmark environment.

darts is not a dependency of tsrnn. To include it: ``pip install darts`` in a
separate environment (darts 0.48 needs pandas < 3 and pytorch-lightning), plus
``pip install -e .`` for tsrnn, and run ``python benchmarks/run.py`` there.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from tsrnn.datasets import load_dataset


def available() -> bool:
    try:
        import darts  # noqa: F401
    except ImportError:
        return False
    return True


def _model(epochs: int = 30, cell: str = "LSTM"):
    from darts.models import RNNModel

    return RNNModel(
        model=cell, hidden_dim=32, n_rnn_layers=1, input_chunk_length=30, training_length=37, batch_size=32,
        n_epochs=epochs, optimizer_kwargs={"lr": 1e-3}, random_state=0,
        pl_trainer_kwargs={"accelerator": "cpu", "enable_progress_bar": False, "enable_model_summary": False,
                           "logger": False, "enable_checkpointing": False},
    )  # fmt: skip


def darts_backtests(retrain_policies=(False, 13, True), cell: str = "LSTM") -> pd.DataFrame:
    """darts RNNModel(``cell``) historical_forecasts on the Seattle task: seconds and MASE per retrain policy."""
    from darts import TimeSeries
    from darts.dataprocessing.transformers import Scaler

    y = load_dataset("seattle-weather")["temp_max"]
    series = TimeSeries.from_series(y.astype("float32"))
    initial = len(y) - 364
    values = y.to_numpy()
    rows = []
    for retrain in retrain_policies:
        model = _model(cell=cell)
        start = time.perf_counter()
        # The scaler is fitted per fold on the training data only (a whole-series scaler leaks).
        scaler = Scaler()
        if retrain is False:
            # Fit once on the data before the first cutoff, as tsrnn's refit=False does.
            scaler.fit(series[:initial])
            model.fit(scaler.transform(series[:initial]))
        forecasts = model.historical_forecasts(
            series, start=initial, forecast_horizon=7, stride=7, retrain=retrain, last_points_only=False,
            verbose=False, data_transformers={"series": scaler},
        )  # fmt: skip
        seconds = time.perf_counter() - start
        errors = []
        for forecast in forecasts:
            origin = y.index.get_loc(forecast.start_time()) - 1
            scale = np.mean(np.abs(np.diff(values[: origin + 1])))
            truth = values[origin + 1 : origin + 1 + len(forecast)]
            errors.append(np.abs(forecast.values()[:, 0] - truth) / scale)
        rows.append({"policy": f"darts {cell} retrain={retrain}", "seconds": seconds, "mase": float(np.mean(np.concatenate(errors))),
                     "cutoffs": len(forecasts)})  # fmt: skip
    return pd.DataFrame(rows).set_index("policy")


def darts_fit_throughput(repeats: int = 3) -> dict:
    """Windows per second of one darts fit on the Seattle series (30 epochs)."""
    from darts import TimeSeries
    from darts.dataprocessing.transformers import Scaler

    y = load_dataset("seattle-weather")["temp_max"]
    series = Scaler().fit_transform(TimeSeries.from_series(y.astype("float32")))
    times = []
    for _ in range(repeats):
        model = _model()
        start = time.perf_counter()
        model.fit(series)
        times.append(time.perf_counter() - start)
    n_windows = len(y) - 37 + 1
    return {"seconds": float(np.median(times)), "windows_per_s": n_windows * 30 / float(np.median(times))}
