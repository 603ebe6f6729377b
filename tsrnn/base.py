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
    "check_positive_int",
    "check_coverage",
    "future_index",
    "season_length_for",
    "conformal_halfwidth",
    "calendar_features",
    "CALENDAR_PERIODS",
]

#: Calendar features and their cycle: each becomes a sine/cosine pair of the position in the cycle.
CALENDAR_PERIODS = {
    "minute": lambda i: (i.minute, 60.0),
    "hour": lambda i: (i.hour + i.minute / 60.0, 24.0),
    "dayofweek": lambda i: (i.day_of_week, 7.0),
    "dayofmonth": lambda i: (i.day - 1, i.days_in_month.to_numpy(dtype=float)),
    "dayofyear": lambda i: (i.day_of_year - 1, np.where(i.is_leap_year, 366.0, 365.0)),
    "weekofyear": lambda i: (i.isocalendar().week.to_numpy(dtype=float) - 1, 52.0),
    "month": lambda i: (i.month - 1, 12.0),
    "quarter": lambda i: (i.quarter - 1, 4.0),
}

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


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int, or raise naming ``name`` if it is not a positive integer."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r} of type {type(value).__name__}.")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, got {value}.")
    return int(value)


def check_horizon(horizon: Any, name: str = "horizon") -> int:
    """Return ``horizon`` as an int, or raise if it is not a positive integer."""
    return check_positive_int(horizon, name)


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


def calendar_features(index: pd.Index, names: Any) -> pd.DataFrame:
    """Deterministic calendar features of a DatetimeIndex, as sine/cosine pairs.

    Parameters
    ----------
    index : pd.DatetimeIndex
        The timestamps.
    names : list of str
        Any of ``"minute"``, ``"hour"``, ``"dayofweek"``, ``"dayofmonth"``,
        ``"dayofyear"``, ``"weekofyear"``, ``"month"``, ``"quarter"``.

    Returns
    -------
    pd.DataFrame of shape (len(index), 2 * len(names))
        Columns ``{name}_sin`` and ``{name}_cos``: the position in the cycle
        (e.g. day 0..364 of 365) mapped to the unit circle, so the end of a
        cycle lies next to its start.
    """
    if isinstance(names, str) or not isinstance(names, (list, tuple)):
        raise TypeError(f"calendar must be a list of feature names such as ['dayofyear'], got {names!r}.")
    unknown = [n for n in names if n not in CALENDAR_PERIODS]
    if unknown:
        raise ValueError(f"unknown calendar feature {unknown[0]!r}; choose from {list(CALENDAR_PERIODS)}.")
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError("calendar features need a DatetimeIndex; this series has an integer index.")
    columns = {}
    for name in names:
        position, period = CALENDAR_PERIODS[name](index)
        angle = 2.0 * np.pi * np.asarray(position, dtype=float) / period
        columns[f"{name}_sin"] = np.sin(angle)
        columns[f"{name}_cos"] = np.cos(angle)
    return pd.DataFrame(columns, index=index)


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


def _covariate_frame(X: Any, name: str) -> pd.DataFrame:
    """Covariates as a DataFrame (a Series becomes one column), or a TypeError naming ``name``."""
    if isinstance(X, pd.Series):
        return X.to_frame()
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame of covariates, got {type(X).__name__}.")
    return X


class BaseForecaster(BaseEstimator):
    """Base class of every tsrnn forecaster.

    Subclasses implement four hooks on float arrays of shape
    (n_timestamps, n_series): ``_fit(values)``, ``_update(values)``,
    ``_predict(horizon, future)`` returning (horizon, n_series) and
    ``_predict_interval(horizon, coverage, future)`` returning ``(lower, upper)``.
    The public methods validate inputs and put outputs on the future index.

    Covariates: the base validates ``X`` and keeps the covariate history in
    ``past_`` and ``future_`` (rows aligned with the history) for the hooks;
    ``future`` holds the future covariates of the forecast window. The class
    attribute ``covariate_support`` says what a forecaster does with ``X``:
    ``"ignore"`` (accepted, unused), ``"future"`` (future covariates only) or
    ``"both"`` (past and future covariates).

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
    past_covariates_, future_covariates_ : list of str
        Covariate columns known only up to the forecast origin, and those known
        ahead (``future_covariates`` plus the ``calendar`` features).
    past_, future_ : np.ndarray of shape (n_timestamps, n_past) and (n_timestamps, n_future)
        Their values over the history.
    """

    covariate_support = "ignore"

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
            Covariates on the same index as ``y``, shared by all its series.
            Columns named in ``future_covariates`` are known ahead and needed
            again by ``predict``; the others are past covariates, known up to
            the forecast origin only.

        Returns
        -------
        self
        """
        data = check_series(y, "y", min_length=self._min_length())
        self.kind_ = data.kind
        self.columns_ = data.columns
        self.n_series_ = len(data.columns)
        self.freq_ = data.freq
        self.past_covariates_, self.future_covariates_ = self._covariate_names(X)
        self.past_, self.future_ = self._covariate_values(X, data.index, "X", y_name="y")
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
            Covariates of the new observations (required when ``fit`` had ``X``).

        Returns
        -------
        self
        """
        check_is_fitted(self)
        data = check_series(y_new, "y_new", known_freq=self.freq_)
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
        past, future = self._covariate_values(X_new, new_index, "X_new", y_name="y_new")
        self.past_ = np.concatenate([self.past_, past])
        self.future_ = np.concatenate([self.future_, future])
        self._update(data.values)
        self.cutoff_ = new_index[-1]
        return self

    def predict(self, horizon: int, X: Any = None) -> Any:
        """Forecast the ``horizon`` periods after ``cutoff_``.

        Parameters
        ----------
        horizon : int
            Number of periods to forecast.
        X : pd.DataFrame, optional
            The future covariates for (at least) the ``horizon`` periods after
            ``cutoff_``; required when the forecaster has ``future_covariates``.
            Calendar features are computed, never needed here.

        Returns
        -------
        pd.Series, pd.DataFrame or np.ndarray
            The same kind as ``y`` in ``fit``, indexed by the future periods.
        """
        check_is_fitted(self)
        horizon = check_horizon(horizon)
        values = self._predict(horizon, self._future_ahead(X, horizon))
        return self._wrap(values, horizon)

    def predict_interval(self, horizon: int, coverage: float = 0.9, X: Any = None) -> pd.DataFrame:
        """Prediction intervals for the ``horizon`` periods after ``cutoff_``.

        Parameters
        ----------
        horizon : int
            Number of periods to forecast.
        coverage : float, default=0.9
            The nominal probability that the interval holds the observation.
        X : pd.DataFrame, optional
            Future covariates, as for ``predict``.

        Returns
        -------
        pd.DataFrame
            Columns ``lower`` and ``upper`` for one series; for several, a
            column MultiIndex ``(series, lower|upper)``. Indexed like ``predict``.
        """
        check_is_fitted(self)
        horizon = check_horizon(horizon)
        coverage = check_coverage(coverage)
        lower, upper = self._predict_interval(horizon, coverage, self._future_ahead(X, horizon))
        index = future_index(self.cutoff_, self.freq_, horizon)
        if self.kind_ in ("series", "array1d"):
            return pd.DataFrame({"lower": lower[:, 0], "upper": upper[:, 0]}, index=index)
        columns = pd.MultiIndex.from_product([self.columns_, ["lower", "upper"]])
        stacked = np.stack([lower, upper], axis=2).reshape(horizon, -1)
        return pd.DataFrame(stacked, index=index, columns=columns)

    # -- covariates ---------------------------------------------------------
    def _covariate_names(self, X: Any) -> tuple[list, list]:
        """Split the columns of ``X`` into past and future covariates; add the calendar features."""
        if self.covariate_support == "ignore":
            return [], []
        params = self.get_params()
        declared = params.get("future_covariates")
        calendar = params.get("calendar")
        declared = [] if declared is None else declared
        if isinstance(declared, str) or not isinstance(declared, (list, tuple)):
            raise TypeError(f"future_covariates must be a list of column names or None, got {declared!r}.")
        if calendar is not None:
            calendar_features(pd.DatetimeIndex([]), calendar)  # validates the names
        if X is None:
            if declared:
                raise ValueError(f"future_covariates={list(declared)} names columns of X, but X is None.")
            past, future = [], []
        else:
            X = _covariate_frame(X, "X")
            missing = [c for c in declared if c not in X.columns]
            if missing:
                raise ValueError(f"future_covariates names {missing}, which X does not have; X has {list(X.columns)}.")
            past = [str(c) for c in X.columns if c not in declared]
            future = [str(c) for c in declared]
        future += [] if calendar is None else [f"{n}_{f}" for n in calendar for f in ("sin", "cos")]
        if self.covariate_support == "future" and past:
            raise ValueError(
                f"{type(self).__name__} needs covariates known over the forecast horizon, but X has past-only "
                f"columns {past}; list them in future_covariates if their future values will be known, or drop them."
            )
        return past, future

    def _covariate_values(self, X: Any, index: pd.Index, name: str, y_name: str) -> tuple[np.ndarray, np.ndarray]:
        """Past and future covariate values on ``index``, from ``X`` and the calendar."""
        n = len(index)
        if self.covariate_support == "ignore":
            return np.zeros((n, 0)), np.zeros((n, 0))
        user = self._declared_future()
        past, user_future = np.zeros((n, 0)), np.zeros((n, 0))
        if X is None:
            if self.past_covariates_ or user:
                raise ValueError(
                    f"{name} is required: the forecaster was fitted with covariates {self.past_covariates_ + user}."
                )
        else:
            frame = self._aligned_X(X, index, name, y_name)
            if self.past_covariates_:
                past = check_series(frame[self.past_covariates_], name, known_freq=self.freq_).values
            if user:
                user_future = check_series(frame[user], name, known_freq=self.freq_).values
        return past, np.hstack([user_future, self._calendar(index)])

    def _future_ahead(self, X: Any, horizon: int) -> np.ndarray:
        """The future covariates of the ``horizon`` periods after ``cutoff_``, shape (horizon, n_future)."""
        if self.covariate_support == "ignore":
            return np.zeros((horizon, 0))
        index = future_index(self.cutoff_, self.freq_, horizon)
        user = self._declared_future()
        if not user:
            return self._calendar(index)
        if X is None:
            raise ValueError(
                f"X is required: the forecaster uses future covariates {user}; pass their values for the "
                f"{horizon} periods {index[0]} .. {index[-1]}."
            )
        X = _covariate_frame(X, "X")
        missing = [c for c in user if c not in X.columns]
        if missing:
            raise ValueError(f"X lacks the future covariates {missing}.")
        absent = index.difference(X.index)
        if len(absent):
            raise ValueError(
                f"X must cover the {horizon} forecast periods {index[0]} .. {index[-1]}; "
                f"it has no row for {absent[0]} ({len(absent)} missing)."
            )
        values = check_series(X.loc[index, user], "X", known_freq=self.freq_).values
        return np.hstack([values, self._calendar(index)])

    def _aligned_X(self, X: Any, index: pd.Index, name: str, y_name: str) -> pd.DataFrame:
        X = _covariate_frame(X, name)
        if len(X) != len(index):
            raise ValueError(f"{name} has {len(X)} rows but {y_name} has {len(index)}; they must share the index.")
        if not X.index.equals(index):
            position = int(np.argmax(np.asarray(X.index) != np.asarray(index)))
            raise ValueError(
                f"{name} is not on the index of {y_name}: the first mismatch is at position {position}, "
                f"where {name} has {X.index[position]} and {y_name} has {index[position]}."
            )
        missing = [c for c in self.past_covariates_ + self._declared_future() if c not in X.columns]
        if missing:
            raise ValueError(f"{name} lacks the covariates {missing} seen in fit.")
        return X

    def _declared_future(self) -> list:
        """The future covariates that come from X: ``future_covariates_`` lists them before the calendar pairs."""
        n_calendar = 2 * len(self.get_params().get("calendar") or [])
        return self.future_covariates_[: len(self.future_covariates_) - n_calendar]

    def _calendar(self, index: pd.Index) -> np.ndarray:
        calendar = self.get_params().get("calendar")
        if not calendar:
            return np.zeros((len(index), 0))
        return calendar_features(index, calendar).to_numpy()

    # -- helpers for subclasses ------------------------------------------
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

    def _predict(self, horizon: int, future: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError
