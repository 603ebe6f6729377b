"""The forecasting contract shared by every tsrnn forecaster.

A forecaster is fitted on a history ``y`` and forecasts the periods that follow
its end. Input validation and the conversion between pandas objects and the
float arrays the models work on happen here, once, at the public boundary.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

__all__ = [
    "BaseForecaster",
    "SeriesData",
    "check_series",
    "check_horizon",
    "check_coverage",
    "future_index",
    "season_length_for",
    "conformal_halfwidth",
]

# Seasonal period implied by a frequency: the cycle users of that frequency mean.
_SEASON_BY_FREQ = {"h": 24, "D": 7, "B": 5, "W": 52, "M": 12, "MS": 12, "ME": 12, "Q": 4, "QS": 4, "QE": 4}


@dataclass(frozen=True)
class SeriesData:
    """A validated series: float values on a regular index.

    Attributes
    ----------
    values : np.ndarray of shape (n_timestamps, n_series)
        A float64 copy of the observations, never the caller's buffer.
    index : pd.DatetimeIndex or pd.RangeIndex
        The regular index of the observations.
    freq : pd.DateOffset or int
        The step between two timestamps: an offset for a DatetimeIndex,
        an integer step for an integer index.
    kind : {"series", "frame", "array1d", "array2d"}
        What the caller passed, so outputs can be returned in the same form.
    columns : list
        Series names: the DataFrame columns, ``[name]`` for a Series.
    """

    values: np.ndarray
    index: pd.Index
    freq: Any
    kind: str
    columns: list

    @property
    def name(self) -> Any:
        return self.columns[0] if self.kind == "series" else None


def _check_index(index: pd.Index, name: str, known_freq: Any = None) -> tuple[pd.Index, Any]:
    """Return ``index`` with its regular frequency, or raise naming ``name``.

    ``known_freq`` skips frequency inference (new observations for ``update``
    may be too few to infer one; their continuity is checked by the caller).
    """
    if isinstance(index, pd.DatetimeIndex):
        if index.has_duplicates:
            first = index[index.duplicated()][0]
            raise ValueError(
                f"{name} has a duplicated timestamp in its index ({first}); aggregate or drop duplicates first."
            )
        if not index.is_monotonic_increasing:
            raise ValueError(f"{name} has an unsorted index; sort it with {name}.sort_index() first.")
        if known_freq is not None:
            return index, known_freq
        freq = index.freq
        if freq is None and len(index) >= 3:
            freq = pd.DatetimeIndex(index, freq="infer").freq
        if freq is None:
            raise ValueError(
                f"{name} has a DatetimeIndex with no regular frequency; make it regular, "
                f"e.g. {name}.asfreq('D') (then fill the gaps) or {name}.resample('D').mean()."
            )
        return pd.DatetimeIndex(index, freq=freq), freq
    if isinstance(index, pd.RangeIndex):
        return index, index.step
    if pd.api.types.is_integer_dtype(index.dtype):
        if index.has_duplicates:
            raise ValueError(f"{name} has a duplicated value in its index; drop duplicates first.")
        if not index.is_monotonic_increasing:
            raise ValueError(f"{name} has an unsorted index; sort it with {name}.sort_index() first.")
        steps = np.diff(index.to_numpy())
        step = int(steps[0]) if len(steps) else 1
        if len(steps) and not np.all(steps == step):
            raise ValueError(f"{name} has an integer index with unequal steps; it must be regular.")
        return pd.RangeIndex(int(index[0]), int(index[0]) + step * len(index), step), step
    raise TypeError(
        f"{name} must be indexed by a DatetimeIndex or an integer index, got {type(index).__name__} "
        f"of dtype {index.dtype}."
    )


def _is_number_dtype(dtype: Any) -> bool:
    return (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not (pd.api.types.is_complex_dtype(dtype))
    )


def _check_values(y: Any, columns: list, name: str) -> np.ndarray:
    """Return the values of ``y`` as a (n_timestamps, n_series) float64 copy."""
    dtypes = y.dtypes.tolist() if isinstance(y, pd.DataFrame) else [y.dtype] * len(columns)
    for column, dtype in zip(columns, dtypes):
        if not _is_number_dtype(dtype):
            where = f"column {column!r} has" if isinstance(y, pd.DataFrame) else "got"
            raise TypeError(f"{name} must hold real numbers; {where} dtype {dtype}.")
    values = np.array(y.to_numpy() if isinstance(y, (pd.Series, pd.DataFrame)) else y, dtype=np.float64, copy=True)
    values = values.reshape(len(values), len(columns))
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} contains {int(bad.sum())} NaN or infinite value(s) (first at position {row}, "
            f"column {columns[col]!r}); fill them (e.g. {name}.interpolate()) or drop them first."
        )
    return values


def check_series(y: Any, name: str = "y", min_length: int = 1, known_freq: Any = None) -> SeriesData:
    """Validate a series and convert it to float values on a regular index.

    Parameters
    ----------
    y : pd.Series, pd.DataFrame or np.ndarray
        One series (Series or 1-D array) or several (DataFrame, one column per
        series, or 2-D array of shape (n_timestamps, n_series)).
    name : str, default="y"
        The argument name used in error messages.
    min_length : int, default=1
        The fewest observations accepted.
    known_freq : pd.DateOffset or int, optional
        The frequency already known for this series (when appending to it);
        the caller then checks that the index continues at it.

    Returns
    -------
    SeriesData
        The values as a (n_timestamps, n_series) float64 copy, with the index.

    Raises
    ------
    TypeError
        For an unsupported container, index type or non-numeric dtype.
    ValueError
        For an empty or too short series, NaN or inf values, an unsorted,
        duplicated or irregular index.
    """
    if isinstance(y, pd.Series):
        kind, columns, index = "series", [y.name], y.index
    elif isinstance(y, pd.DataFrame):
        if y.shape[1] == 0:
            raise ValueError(f"{name} is a DataFrame with no columns.")
        kind, columns, index = "frame", list(y.columns), y.index
    elif isinstance(y, np.ndarray):
        if y.ndim not in (1, 2):
            raise ValueError(f"{name} must be a 1-D or 2-D array, got {y.ndim} dimensions.")
        kind = "array1d" if y.ndim == 1 else "array2d"
        columns = [0] if y.ndim == 1 else list(range(y.shape[1]))
        index = pd.RangeIndex(len(y))
    else:
        raise TypeError(f"{name} must be a pandas Series, DataFrame or numpy array, got {type(y).__name__}.")
    if len(index) == 0:
        raise ValueError(f"{name} is empty; it needs at least {min_length} observations.")
    if len(index) < min_length:
        raise ValueError(f"{name} has {len(index)} observations; at least {min_length} are needed.")
    values = _check_values(y, columns, name)
    index, freq = _check_index(index, name, known_freq)
    return SeriesData(values=values, index=index, freq=freq, kind=kind, columns=columns)


def check_horizon(horizon: Any, name: str = "horizon") -> int:
    """Return ``horizon`` as an int, or raise if it is not a positive integer."""
    if isinstance(horizon, bool) or not isinstance(horizon, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {horizon!r} of type {type(horizon).__name__}.")
    if horizon < 1:
        raise ValueError(f"{name} must be a positive int, got {horizon}.")
    return int(horizon)


def check_coverage(coverage: Any, name: str = "coverage") -> float:
    """Return ``coverage`` as a float strictly between 0 and 1, or raise."""
    if isinstance(coverage, bool) or not isinstance(coverage, numbers.Real):
        raise TypeError(f"{name} must be a float in (0, 1), got {coverage!r}.")
    if not 0.0 < float(coverage) < 1.0:
        raise ValueError(f"{name} must be in (0, 1), e.g. 0.9 for a 90% interval, got {coverage}.")
    return float(coverage)


def future_index(last: Any, freq: Any, horizon: int) -> pd.Index:
    """The ``horizon`` timestamps that follow ``last`` at frequency ``freq``.

    Parameters
    ----------
    last : pd.Timestamp or int
        The last observed timestamp (or integer position).
    freq : pd.DateOffset or int
        An offset for timestamps, an integer step for integer indexes.
    horizon : int
        How many periods to return.

    Returns
    -------
    pd.DatetimeIndex or pd.RangeIndex
    """
    if isinstance(last, pd.Timestamp):
        return pd.date_range(last, periods=horizon + 1, freq=freq)[1:]
    return pd.RangeIndex(last + freq, last + freq * (horizon + 1), freq)


def season_length_for(freq: Any, name: str = "season_length") -> int:
    """The usual seasonal period of a frequency: 24 for hourly, 7 for daily, 5 for business days...

    Raises a ValueError naming ``name`` when no period is implied (an integer
    index or an unusual offset), so the user can pass it explicitly.
    """
    if not isinstance(freq, int):
        code = freq.rule_code.split("-")[0]
        if code in _SEASON_BY_FREQ and getattr(freq, "n", 1) == 1:
            return _SEASON_BY_FREQ[code]
    raise ValueError(f"cannot infer {name} from the index frequency {freq!r}; pass {name} as an int.")


def conformal_halfwidth(errors: np.ndarray, coverage: float, min_count: int = 5) -> np.ndarray:
    """Split-conformal half-widths per horizon step from held-out absolute errors.

    Parameters
    ----------
    errors : np.ndarray of shape (n_origins, horizon)
        Absolute forecast errors on calibration data; NaN where a step had no
        observation to compare with.
    coverage : float
        Nominal coverage in (0, 1).
    min_count : int, default=5
        Steps with fewer errors than this (or than step 1 has, if fewer) are
        not calibrated directly: they grow from the last calibrated step as
        ``sqrt(step)``.

    Returns
    -------
    np.ndarray of shape (horizon,)
        The ``ceil((n + 1) * coverage) / n`` empirical quantile of each step's
        errors (the largest error when that level exceeds 1).
    """
    counts = np.sum(~np.isnan(errors), axis=0)
    if counts[0] == 0:
        raise ValueError("no calibration errors are available to build prediction intervals.")
    threshold = min(min_count, int(counts[0]))
    half = np.empty(errors.shape[1])
    last = 0
    for k in range(errors.shape[1]):
        if counts[k] >= threshold:
            e = errors[:, k][~np.isnan(errors[:, k])]
            level = min(1.0, np.ceil((len(e) + 1) * coverage) / len(e))
            half[k] = np.quantile(e, level, method="higher")
            last = k
        else:
            half[k] = half[last] * np.sqrt((k + 1) / (last + 1))
    return half


class BaseForecaster(BaseEstimator):
    """Base class of every tsrnn forecaster.

    Subclasses implement four hooks on float arrays of shape
    (n_timestamps, n_series): ``_fit(values, X)``, ``_update(values, X)``,
    ``_predict(horizon)`` returning (horizon, n_series) and
    ``_predict_interval(horizon, coverage)`` returning ``(lower, upper)``.
    The public methods validate inputs and put outputs on the future index.

    Attributes
    ----------
    cutoff_ : pd.Timestamp or int
        The last timestamp seen by ``fit`` or ``update``; forecasts start after it.
    freq_ : pd.DateOffset or int
        The frequency of the training index.
    columns_ : list
        The series names seen in ``fit``.
    n_series_ : int
        The number of series seen in ``fit``.
    """

    def _min_length(self) -> int:
        """The fewest observations ``fit`` accepts; subclasses compute theirs."""
        return 1

    # -- public contract -------------------------------------------------
    def fit(self, y: Any, X: Any = None) -> BaseForecaster:
        """Fit the forecaster on the history ``y``.

        Parameters
        ----------
        y : pd.Series, pd.DataFrame or np.ndarray
            The history, on a regular DatetimeIndex or an integer index.
            A DataFrame holds one series per column.
        X : pd.DataFrame, optional
            Exogenous covariates on the index of ``y``.

        Returns
        -------
        self
        """
        data = check_series(y, "y", min_length=self._min_length())
        self._check_X(X)
        self.kind_ = data.kind
        self.columns_ = data.columns
        self.n_series_ = len(data.columns)
        self.freq_ = data.freq
        self._fit(data.values)
        self.cutoff_ = data.index[-1]
        return self

    def update(self, y_new: Any, X_new: Any = None) -> BaseForecaster:
        """Append observations that directly follow the history, without re-estimating.

        The next ``predict`` forecasts from the new end of the history with the
        parameters learned in ``fit``.

        Parameters
        ----------
        y_new : pd.Series, pd.DataFrame or np.ndarray
            New observations, of the same kind and columns as ``y`` in ``fit``,
            starting at the period right after ``cutoff_``.
        X_new : pd.DataFrame, optional
            Covariates of the new observations.

        Returns
        -------
        self
        """
        check_is_fitted(self)
        data = check_series(y_new, "y_new", known_freq=self.freq_)
        self._check_X(X_new)
        if data.kind == "frame" and data.columns != self.columns_:
            raise ValueError(f"y_new has columns {data.columns}; the forecaster was fitted on {self.columns_}.")
        if len(data.columns) != self.n_series_:
            raise ValueError(f"y_new has {len(data.columns)} series; the forecaster was fitted on {self.n_series_}.")
        expected = future_index(self.cutoff_, self.freq_, len(data.index))
        if data.kind in ("array1d", "array2d"):
            new_index = expected
        else:
            new_index = data.index
            if not new_index.equals(expected):
                first = new_index[0]
                what = "overlaps" if first <= self.cutoff_ else "leaves a gap after"
                if first == expected[0]:
                    what = "does not continue at the frequency of"
                raise ValueError(
                    f"y_new starts at {first} and {what} the history, which ends at {self.cutoff_}; "
                    f"it must start at {expected[0]} and continue every {self.freq_}."
                )
        self._update(data.values)
        self.cutoff_ = new_index[-1]
        return self

    def predict(self, horizon: int) -> Any:
        """Forecast the ``horizon`` periods after ``cutoff_``.

        Parameters
        ----------
        horizon : int
            Number of periods to forecast.

        Returns
        -------
        pd.Series, pd.DataFrame or np.ndarray
            The same kind as ``y`` in ``fit``, indexed by the future periods.
        """
        check_is_fitted(self)
        horizon = check_horizon(horizon)
        values = self._predict(horizon)
        return self._wrap(values, horizon)

    def predict_interval(self, horizon: int, coverage: float = 0.9) -> pd.DataFrame:
        """Prediction intervals for the ``horizon`` periods after ``cutoff_``.

        Parameters
        ----------
        horizon : int
            Number of periods to forecast.
        coverage : float, default=0.9
            The nominal probability that the interval holds the observation.

        Returns
        -------
        pd.DataFrame
            Columns ``lower`` and ``upper`` for one series; for several, a
            column MultiIndex ``(series, lower|upper)``. Indexed like ``predict``.
        """
        check_is_fitted(self)
        horizon = check_horizon(horizon)
        coverage = check_coverage(coverage)
        lower, upper = self._predict_interval(horizon, coverage)
        index = future_index(self.cutoff_, self.freq_, horizon)
        if self.kind_ in ("series", "array1d"):
            return pd.DataFrame({"lower": lower[:, 0], "upper": upper[:, 0]}, index=index)
        columns = pd.MultiIndex.from_product([self.columns_, ["lower", "upper"]])
        stacked = np.stack([lower, upper], axis=2).reshape(horizon, -1)
        return pd.DataFrame(stacked, index=index, columns=columns)

    # -- helpers for subclasses ------------------------------------------
    def _check_X(self, X: Any) -> None:
        if X is not None:
            raise ValueError(f"{type(self).__name__} does not support exogenous covariates X; pass X=None.")

    def _wrap(self, values: np.ndarray, horizon: int) -> Any:
        if self.kind_ == "array1d":
            return values[:, 0].copy()
        if self.kind_ == "array2d":
            return values.copy()
        index = future_index(self.cutoff_, self.freq_, horizon)
        if self.kind_ == "series":
            return pd.Series(values[:, 0], index=index, name=self.columns_[0])
        return pd.DataFrame(values, index=index, columns=self.columns_)

    # -- hooks ------------------------------------------------------------
    def _fit(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _update(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _predict(self, horizon: int) -> np.ndarray:
        raise NotImplementedError

    def _predict_interval(self, horizon: int, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError
