"""Covariates: the columns of ``X`` a forecaster reads, and calendar features computed from the index.

A :class:`Covariates` object says which covariates a forecaster uses: past
covariates (known up to the forecast origin only), future covariates (known
ahead, such as planned events) and calendar features. Fitted on the ``X`` of
``fit``, it turns any ``X`` into the rows of the timestamps asked for, in
sample (the history) and out of sample (the forecast window), with one
validation of the alignment.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tsrnn._index import future_index
from tsrnn._validation import ListOf, Options, Satisfies, check_series

__all__ = ["Covariates", "calendar_features", "CALENDAR_PERIODS", "COVARIATE_CONSTRAINTS"]

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

#: The parameter rules of every forecaster that takes covariates.
COVARIATE_CONSTRAINTS = {
    "future_covariates": [None, ListOf(Satisfies(hash, "a column name"), "a list of column names of X")],
    "calendar": [
        None,
        Options("auto"),
        ListOf(Options(*CALENDAR_PERIODS), f"a list of calendar features from {list(CALENDAR_PERIODS)}"),
    ],
}


def calendar_features(index: pd.Index, names: Any) -> pd.DataFrame:
    """Deterministic calendar features of a DatetimeIndex, as sine/cosine pairs.

    Parameters
    ----------
    index : pd.DatetimeIndex or pd.PeriodIndex
        The timestamps (a period counts as its first day).
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
    original = index
    if isinstance(index, pd.PeriodIndex):
        index = index.to_timestamp(how="start")  # a period's features are those of its first day
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError("calendar features need a DatetimeIndex or a PeriodIndex; this series has an integer index.")
    columns = {}
    for name in names:
        position, period = CALENDAR_PERIODS[name](index)
        angle = 2.0 * np.pi * np.asarray(position, dtype=float) / period
        columns[f"{name}_sin"] = np.sin(angle)
        columns[f"{name}_cos"] = np.cos(angle)
    return pd.DataFrame(columns, index=original)


def _as_frame(X: Any, name: str) -> pd.DataFrame:
    """Covariates as a DataFrame (a Series becomes one column), or a TypeError naming ``name``."""
    if isinstance(X, pd.Series):
        return X.to_frame()
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame of covariates, got {type(X).__name__}.")
    return X


class Covariates:
    """The covariates of a forecaster, and their values on any index.

    Parameters
    ----------
    future : list of str, optional
        Columns of ``X`` known ahead; ``predict`` needs their values over the
        forecast window. Every other column of ``X`` is a past covariate.
    calendar : list of str or "auto", optional
        Calendar features of each timestamp (see :func:`calendar_features`),
        computed from the index: future covariates that need no ``X``.
        ``"auto"`` chooses them from the frequency of the series given to
        :meth:`fit` (:func:`tsrnn.frequency.default_calendar`: hour and day of
        week for hourly data, day of week and day of year for daily data, the
        month for monthly data, none for yearly data or an integer index).
    support : {"both", "future", "none"}, default="both"
        What the forecaster can use: past and future covariates, future ones
        only (past columns in ``X`` are refused), or none (``X`` is ignored).

    Attributes
    ----------
    past : list
        The past covariate columns (labels as in ``X``), known after :meth:`fit`.
    future : list
        The declared future covariate columns of ``X``.
    names : list of str
        Past then future covariate names after :meth:`fit`, with the calendar
        pairs (``dayofyear_sin``, ``dayofyear_cos``) after the future columns.

    Examples
    --------
    >>> import pandas as pd
    >>> index = pd.date_range("2024-01-01", periods=3, freq="D")
    >>> c = Covariates(calendar=["dayofweek"]).fit(None)
    >>> c.out_of_sample(None, index, index.freq).shape
    (3, 2)
    """

    def __init__(self, future: Any = None, calendar: Any = None, support: str = "both"):
        self.future = list(future or [])
        self.auto_calendar = isinstance(calendar, str) and calendar == "auto"
        self.calendar = [] if self.auto_calendar else list(calendar or [])
        self.support = support
        self.past: list[str] = []

    @property
    def future_names(self) -> list[str]:
        """The future covariate names: declared columns, then the calendar sine/cosine pairs."""
        return self.future + [f"{n}_{part}" for n in self.calendar for part in ("sin", "cos")]

    @property
    def names(self) -> list[str]:
        return self.past + self.future_names

    def fit(self, X: Any, name: str = "X", freq: Any = None) -> Covariates:
        """Learn the past covariate columns from ``X`` (None for no covariates); check the declared ones exist.

        ``freq`` is the frequency of the series: it chooses the features of ``calendar="auto"``.
        """
        if self.auto_calendar:
            from tsrnn.frequency import default_calendar

            self.calendar = default_calendar(freq)
        if self.support == "none":
            self.future, self.calendar, self.past = [], [], []
            return self
        if X is None:
            if self.future:
                raise ValueError(f"future_covariates={self.future} names columns of {name}, but {name} is None.")
            self.past = []
            return self
        X = _as_frame(X, name)
        missing = [c for c in self.future if c not in X.columns]
        if missing:
            raise ValueError(
                f"future_covariates names {missing}, which {name} does not have; {name} has {list(X.columns)}."
            )
        self.past = [c for c in X.columns if c not in self.future]
        if self.support == "future" and self.past:
            raise ValueError(
                f"this forecaster needs covariates known over the forecast horizon, but {name} has past-only "
                f"columns {self.past}; list them in future_covariates if their future values will be known, "
                f"or drop them."
            )
        return self

    def in_sample(self, X: Any, index: pd.Index, freq: Any, name: str = "X", y_name: str = "y") -> tuple:
        """Past and future covariate values on the history ``index``.

        Parameters
        ----------
        X : pd.DataFrame or None
            Covariates on exactly ``index`` (the index of ``y_name``).
        index : pd.DatetimeIndex or pd.RangeIndex
            The timestamps of the observations.
        freq : pd.DateOffset or int
            Their frequency.
        name, y_name : str
            The argument names for error messages.

        Returns
        -------
        past : np.ndarray of shape (len(index), len(past))
        future : np.ndarray of shape (len(index), len(future_names))
        """
        n = len(index)
        past, declared = np.zeros((n, 0)), np.zeros((n, 0))
        if X is None:
            if self.past or self.future:
                raise ValueError(
                    f"{name} is required: the forecaster was fitted with covariates {self.past + self.future}."
                )
        elif self.support != "none":
            frame = self._aligned(X, index, name, y_name)
            if self.past:
                past = check_series(frame[self.past], name, known_freq=freq).values
            if self.future:
                declared = check_series(frame[self.future], name, known_freq=freq).values
        return past, np.hstack([declared, self._calendar(index)])

    def out_of_sample(self, X: Any, index: pd.Index, freq: Any, name: str = "X") -> np.ndarray:
        """Future covariate values of the forecast periods ``index``, shape (len(index), len(future_names)).

        ``X`` must hold the declared future columns on (at least) ``index``;
        it may be None when there are none (calendar features need no ``X``).
        """
        if not self.future:
            return self._calendar(index)
        horizon = len(index)
        if X is None:
            raise ValueError(
                f"{name} is required: the forecaster uses future covariates {self.future}; pass their values for "
                f"the {horizon} periods {index[0]} .. {index[-1]}."
            )
        X = _as_frame(X, name)
        missing = [c for c in self.future if c not in X.columns]
        if missing:
            raise ValueError(f"{name} lacks the future covariates {missing}.")
        absent = index.difference(X.index)
        if len(absent):
            raise ValueError(
                f"{name} must cover the {horizon} forecast periods {index[0]} .. {index[-1]}; "
                f"it has no row for {absent[0]} ({len(absent)} missing)."
            )
        values = check_series(X.loc[index, self.future], name, known_freq=freq).values
        return np.hstack([values, self._calendar(index)])

    def ahead(self, X: Any, cutoff: Any, freq: Any, horizon: int, name: str = "X") -> np.ndarray:
        """Future covariate values of the ``horizon`` periods after ``cutoff``."""
        return self.out_of_sample(X, future_index(cutoff, freq, horizon), freq, name)

    def _aligned(self, X: Any, index: pd.Index, name: str, y_name: str) -> pd.DataFrame:
        X = _as_frame(X, name)
        if len(X) != len(index):
            raise ValueError(f"{name} has {len(X)} rows but {y_name} has {len(index)}; they must share the index.")
        if not X.index.equals(index):
            position = int(np.argmax(np.asarray(X.index) != np.asarray(index)))
            raise ValueError(
                f"{name} is not on the index of {y_name}: the first mismatch is at position {position}, "
                f"where {name} has {X.index[position]} and {y_name} has {index[position]}."
            )
        missing = [c for c in self.past + self.future if c not in X.columns]
        if missing:
            raise ValueError(f"{name} lacks the covariates {missing} seen in fit.")
        return X

    def _calendar(self, index: pd.Index) -> np.ndarray:
        if not self.calendar:
            return np.zeros((len(index), 0))
        return calendar_features(index, self.calendar).to_numpy()

    def __repr__(self) -> str:
        return f"Covariates(past={self.past}, future={self.future}, calendar={self.calendar})"
