"""Windows over a series: zero-copy views for models, lag matrices for scikit-learn.

A window is ``window`` consecutive observations; its target is the ``horizon``
observations that follow. Window ``i`` (with ``step=1``) covers positions
``i .. i + window - 1`` and its target ``i + window .. i + window + horizon - 1``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from tsrnn._validation import Interval, check_positive_int, validate_params
from tsrnn.covariates import COVARIATE_CONSTRAINTS, calendar_features

__all__ = ["make_windows", "SlidingWindowTransformer", "recursive_forecast", "future_block"]


def make_windows(values: np.ndarray, window: int, horizon: int, step: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Input windows and their targets, as read-only views of ``values`` (no copy).

    Parameters
    ----------
    values : np.ndarray of shape (n_timestamps,) or (n_timestamps, n_features)
        The series, oldest first.
    window : int
        Length of each input window.
    horizon : int
        Number of observations after each window that form its target.
    step : int, default=1
        Distance between the starts of consecutive windows.

    Returns
    -------
    inputs : np.ndarray of shape (n_windows, window, n_features)
        ``inputs[i]`` is ``values[i * step : i * step + window]``.
    targets : np.ndarray of shape (n_windows, horizon, n_features)
        ``targets[i]`` is ``values[i * step + window : i * step + window + horizon]``.

    Notes
    -----
    ``n_windows = (n_timestamps - window - horizon) // step + 1``. Both arrays
    share memory with ``values``: memory stays O(n_timestamps) whatever the window.
    """
    window, horizon, step = (
        check_positive_int(v, n) for v, n in ((window, "window"), (horizon, "horizon"), (step, "step"))
    )
    values = np.asarray(values)
    if values.ndim not in (1, 2):
        raise ValueError(f"values must have shape (n_timestamps,) or (n_timestamps, n_features), got {values.shape}.")
    if values.ndim == 1:
        values = values[:, None]
    if len(values) < window + horizon:
        raise ValueError(
            f"values has {len(values)} timestamps; window={window} and horizon={horizon} need at least {window + horizon}."
        )
    n_windows = (len(values) - window - horizon) // step + 1
    # sliding_window_view puts the window axis last: (n, n_features, window) -> (n, window, n_features).
    inputs = sliding_window_view(values[: len(values) - horizon], window, axis=0)[::step][:n_windows]
    targets = sliding_window_view(values[window:], horizon, axis=0)[::step][:n_windows]
    return inputs.transpose(0, 2, 1), targets.transpose(0, 2, 1)


def future_block(future: np.ndarray, done: int, size: int) -> np.ndarray:
    """Future covariates (n, size, f) of steps ``done + 1 .. done + size``; the last row repeats past the end."""
    positions = np.minimum(done + np.arange(size), future.shape[1] - 1)
    return future[:, positions]


def recursive_forecast(step: Callable[[np.ndarray, int], np.ndarray], contexts: np.ndarray, horizon: int) -> np.ndarray:
    """Forecast ``horizon`` steps for many contexts by feeding forecasts back as inputs.

    Parameters
    ----------
    step : callable
        ``step(contexts, done)`` maps contexts of shape (n, window) to the next
        ``k >= 1`` values, shape (n, k); ``done`` is the number of steps
        already forecast (to pick the matching future covariates).
    contexts : np.ndarray of shape (n, window)
        The most recent ``window`` observations of each forecast origin.
    horizon : int
        Number of steps to forecast.

    Returns
    -------
    np.ndarray of shape (n, horizon)
    """
    window = contexts.shape[1]
    produced: list[np.ndarray] = []
    done = 0
    current = contexts
    while done < horizon:
        block = np.asarray(step(current, done))
        produced.append(block)
        done += block.shape[1]
        current = np.concatenate([current, block], axis=1)[:, -window:]
    return np.concatenate(produced, axis=1)[:, :horizon]


class SlidingWindowTransformer(TransformerMixin, BaseEstimator):
    """Lag matrix of a series, for scikit-learn regressors on past values.

    Row ``t`` holds the ``window`` observations before ``t`` (``column_lag_1`` is
    the value at ``t - 1``), so it can be used to predict ``y[t]`` without
    leaking ``y[t]`` itself. The first ``window`` timestamps have no complete
    row and are not returned; pass the target as ``y.loc[lags.index]``.

    Parameters
    ----------
    window : int
        Number of lags per column.
    step : int, default=1
        Keep every ``step``-th row.
    calendar : list of str, optional
        Calendar features of each row's own timestamp (known in advance, so
        no leak), e.g. ``["dayofweek", "dayofyear"]``, appended as sine/cosine
        columns. Needs a DatetimeIndex.

    Attributes
    ----------
    feature_names_in_ : np.ndarray of str
        Column names seen in ``fit``.
    n_features_in_ : int
        Number of columns seen in ``fit``.
    """

    _parameter_constraints: ClassVar[dict[str, list]] = {
        "window": [Interval("int", 1, None)],
        "step": [Interval("int", 1, None)],
        "calendar": COVARIATE_CONSTRAINTS["calendar"],
    }

    def __init__(self, window: int = 30, step: int = 1, calendar: list[str] | None = None):
        self.window = window
        self.step = step
        self.calendar = calendar

    def fit(self, X: Any, y: Any = None) -> SlidingWindowTransformer:
        """Learn the column names; nothing else is estimated."""
        validate_params(self._parameter_constraints, self.get_params(), type(self).__name__)
        frame = self._as_frame(X)
        self.feature_names_in_ = np.asarray([str(c) for c in frame.columns], dtype=object)
        self.n_features_in_ = frame.shape[1]
        return self

    def transform(self, X: Any) -> pd.DataFrame:
        """Return the lag matrix, one row per timestamp from ``window`` on.

        Returns
        -------
        pd.DataFrame of shape (ceil((n_timestamps - window) / step), n_features * window)
        """
        check_is_fitted(self)
        frame = self._as_frame(X)
        if [str(c) for c in frame.columns] != list(self.feature_names_in_):
            raise ValueError(
                f"X has columns {list(frame.columns)}; the transformer was fitted on {list(self.feature_names_in_)}."
            )
        if len(frame) <= self.window:
            raise ValueError(f"X has {len(frame)} rows; window={self.window} needs at least {self.window + 1}.")
        values = frame.to_numpy(dtype=np.float64)
        views = sliding_window_view(values[:-1], int(self.window), axis=0)[:: int(self.step)]  # (n, features, window)
        lags = views[:, :, ::-1].reshape(len(views), -1)
        index = frame.index[int(self.window) :][:: int(self.step)]
        if self.calendar:
            lags = np.hstack([lags, calendar_features(index, self.calendar).to_numpy()])
        return pd.DataFrame(lags, index=index, columns=self.get_feature_names_out())

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names ``{column}_lag_{k}`` for every column and lag ``k = 1 .. window``, then the calendar columns."""
        check_is_fitted(self)
        names = [f"{c}_lag_{k}" for c in self.feature_names_in_ for k in range(1, self.window + 1)]
        names += [f"{n}_{part}" for n in (self.calendar or []) for part in ("sin", "cos")]
        return np.asarray(names, dtype=object)

    @staticmethod
    def _as_frame(X: Any) -> pd.DataFrame:
        if isinstance(X, pd.Series):
            return X.to_frame(name=X.name if X.name is not None else "y")
        if isinstance(X, pd.DataFrame):
            return X
        array = np.asarray(X)
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2:
            raise ValueError(
                f"X must be a Series, a DataFrame or an array of 1 or 2 dimensions, got shape {array.shape}."
            )
        return pd.DataFrame(array, columns=[f"x{j}" for j in range(array.shape[1])])
