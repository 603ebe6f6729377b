"""Any scikit-learn regressor on lag windows, as a forecaster."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone, is_regressor

from tsrnn._validation import Interval, Options, Satisfies
from tsrnn.covariates import COVARIATE_CONSTRAINTS
from tsrnn.transforms import Scaler
from tsrnn.window_forecaster import WindowForecaster
from tsrnn.windowing import future_block, make_windows, recursive_forecast

__all__ = ["RegressionForecaster"]

# Calibrating on fewer origins than this gives meaningless quantiles.
_MIN_ORIGINS = 10


class RegressionForecaster(WindowForecaster):
    """Any scikit-learn regressor on lag windows, as a forecaster.

    Parameters
    ----------
    estimator : scikit-learn regressor
        Cloned and fitted on windows of ``window`` lags (oldest first) of every
        series of ``y`` pooled together (one global model for a DataFrame).
    window : int, default=30
        Number of lags the regressor reads.
    strategy : {"recursive", "direct"}, default="recursive"
        ``"recursive"``: one regressor for the next step, fed its own forecasts.
        ``"direct"``: one regressor per step ``1 .. horizon``. Beyond
        ``horizon`` both continue recursively.
    horizon : int, default=1
        Steps with a dedicated regressor under ``strategy="direct"``.
    calibration_fraction : float, default=0.2
        The most recent fraction of the training windows whose (in-sample)
        multi-step errors calibrate the prediction intervals.
    scaler : {"standard", None}, default="standard"
        Standardise each series (and each covariate) with the mean and
        standard deviation of its training data before the regressor sees it,
        so penalised regressors behave the same at any scale of the data
        (a ridge on values near 1e-12 would otherwise forecast the mean).
        None gives the regressor the raw values.
    future_covariates : list of str, optional
        Columns of ``X`` known ahead: their values at the target step(s) are
        features. The other columns of ``X`` are past covariates: their last
        ``window`` values are features beside the lags.
    calendar : list of str, optional
        Calendar features of the target step(s), e.g. ``["dayofweek"]``.

    Attributes
    ----------
    estimators_ : list of fitted regressors
        One (recursive) or ``horizon`` (direct) fitted clones of ``estimator``.
    y_ : np.ndarray of shape (n_timestamps, n_series)
        The history seen by ``fit`` and ``update``.
    scaler_ : Scaler
        The per-series scaling fitted on the training data.
    n_windows_ : int
        Training windows per series.
    n_incomplete_windows_ : int
        Windows (over all series) left out of training because they hold a missing value.
    calibration_errors_ : np.ndarray of shape (n_series * n_origins, horizon)
        Absolute errors of the forecasts made from the calibration origins in
        ``fit`` (NaN where a step lies beyond the data).

    Notes
    -----
    Intervals are conformal, but on errors from the training data itself: the
    regressor has seen those windows, so for flexible regressors (e.g. forests)
    the intervals are too narrow. Linear models on long series are barely affected.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> RegressionForecaster(Ridge(), window=30)
    RegressionForecaster(estimator=Ridge())
    """

    def __init__(
        self,
        estimator: Any,
        window: int = 30,
        strategy: str = "recursive",
        horizon: int = 1,
        calibration_fraction: float = 0.2,
        scaler: str | None = "standard",
        future_covariates: list[str] | None = None,
        calendar: list[str] | None = None,
    ):
        self.estimator = estimator
        self.window = window
        self.strategy = strategy
        self.horizon = horizon
        self.calibration_fraction = calibration_fraction
        self.scaler = scaler
        self.future_covariates = future_covariates
        self.calendar = calendar

    _parameter_constraints: ClassVar[dict[str, list]] = {
        "estimator": [Satisfies(lambda e: is_regressor(e) or hasattr(e, "predict"), "a scikit-learn regressor")],
        "window": [Interval("int", 1, None)],
        "strategy": [Options("recursive", "direct")],
        "horizon": [Interval("int", 1, None)],
        "calibration_fraction": [Interval("real", 0, 1, closed="neither")],
        "scaler": [Options("standard"), None],
        **COVARIATE_CONSTRAINTS,
    }

    def _n_outputs(self) -> int:
        return int(self.horizon) if self.strategy == "direct" else 1

    def _min_length(self) -> int:
        return int(self.window) + self._n_outputs() + 1

    def _fit_model(self, values: np.ndarray) -> None:
        outputs = self._n_outputs()
        self.scaler_ = Scaler(self.scaler, constant="relative").fit(values)
        self.covariate_scalers_ = {
            "past": Scaler(self.scaler).fit(self.past_),
            "future": Scaler(self.scaler).fit(self.future_),
        }
        inputs, targets = make_windows(self.scaler_.transform(values), int(self.window), outputs)
        n = len(inputs)
        # One row per (series, window): lags, then past covariate lags, then future covariates of the targets.
        past = self.covariate_scalers_["past"].transform(self.past_)
        future = self.covariate_scalers_["future"].transform(self.future_)
        shared = [make_windows(past, int(self.window), outputs)[0].reshape(n, -1)]
        shared.append(make_windows(future, int(self.window), outputs)[1].reshape(n, -1))
        X = np.vstack([np.hstack([inputs[:, :, j], *shared]) for j in range(values.shape[1])])
        Y = targets.transpose(2, 0, 1).reshape(-1, outputs)
        complete = ~(np.isnan(X).any(axis=1) | np.isnan(Y).any(axis=1))
        self.n_incomplete_windows_ = int((~complete).sum())
        if not complete.any():
            raise ValueError(
                f"y has no window of {int(self.window)} observations followed by {outputs} more without a missing "
                f"value; fill the gaps (tsrnn.regularize) or lower window."
            )
        if not complete.all():
            X, Y = X[complete], Y[complete]
        self.estimators_ = [clone(self.estimator).fit(X, Y[:, k]) for k in range(outputs)]
        self.n_windows_ = n

    def _forecast_at(
        self, series: np.ndarray, ends: np.ndarray, horizon: int, future: np.ndarray, levels: np.ndarray | None = None
    ) -> np.ndarray:
        contexts, past = self._tails(series, ends, int(self.window), levels)
        contexts = self.scaler_.transform(contexts, series)
        past = self.covariate_scalers_["past"].transform(past).reshape(len(series), -1)
        future = self.covariate_scalers_["future"].transform(future)
        outputs = self._n_outputs()

        def step(current: np.ndarray, done: int) -> np.ndarray:
            ahead = future_block(future, done, outputs).reshape(len(current), -1)
            features = np.hstack([current, past, ahead])
            return np.column_stack([np.asarray(e.predict(features), dtype=float) for e in self.estimators_])

        return self.scaler_.inverse_transform(recursive_forecast(step, contexts, horizon), series)

    def _calibration_origins(self) -> np.ndarray:
        n_origins = max(_MIN_ORIGINS, int(round(self.calibration_fraction * self.n_windows_)))
        n_origins = min(n_origins, self.n_windows_)
        return np.arange(self.n_windows_ - n_origins, self.n_windows_) + int(self.window) - 1
