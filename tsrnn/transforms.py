"""Fitted, invertible transforms of series: differencing and scaling.

Both follow scikit-learn's fit / transform / inverse pattern on arrays of
shape (n_timestamps, n_series), fitted on training data only. They keep the
length of what they transform: a differenced series has NaN at its first
position, like statsmodels' and skforecast's differencing. During recursive
forecasting they also work row-wise, on windows of many origins, each row
belonging to the series given by ``series``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

__all__ = ["Differencer", "Scaler", "UNIT_ROOT_MAX_LENGTH"]

#: Observations (the most recent) the unit-root tests of ``difference="auto"`` read.
UNIT_ROOT_MAX_LENGTH = 5_000


def _per_row(values: np.ndarray, series: np.ndarray | None) -> np.ndarray:
    """A per-series array laid out to broadcast against ``values``: by column, or by row when ``series`` is given."""
    return values[None, :] if series is None else values[series][:, None]


class Differencer:
    """First differences of the series that need them.

    Parameters
    ----------
    difference : bool or "auto", default="auto"
        True differences every series, False none. ``"auto"`` decides per
        series on the data given to ``fit`` (its most recent 5,000
        observations): differences when the ADF test does not reject a unit
        root (p > 0.05) and the KPSS test rejects stationarity (p < 0.05).

    Attributes
    ----------
    differenced_ : np.ndarray of bool, shape (n_series,)
        Whether each series is differenced.
    n_lost_ : int
        Leading positions without a value after ``transform``: 1 when any
        series is differenced, else 0.

    Examples
    --------
    >>> d = Differencer(True).fit(np.array([[1.0], [3.0], [6.0]]))
    >>> d.transform(np.array([[1.0], [3.0], [6.0]]))[:, 0].tolist()
    [nan, 2.0, 3.0]
    >>> d.inverse_next(np.array([[4.0, 5.0]]), np.array([6.0]), series=np.array([0])).tolist()
    [[10.0, 15.0]]
    """

    def __init__(self, difference: bool | str = "auto"):
        self.difference = difference

    def fit(self, values: np.ndarray, decisions: np.ndarray | None = None) -> Differencer:
        """Decide, per column of ``values`` (n_timestamps, n_series), whether to difference it.

        ``decisions`` (bool per series) are decisions made elsewhere (a forecaster's
        ``difference="validation"``); they replace the rule of ``difference``.
        """
        if decisions is not None:
            self.differenced_ = np.asarray(decisions, dtype=bool).reshape(values.shape[1])
        elif isinstance(self.difference, (bool, np.bool_)):
            self.differenced_ = np.full(values.shape[1], bool(self.difference))
        else:
            self.differenced_ = np.asarray([_has_unit_root(column) for column in values[-UNIT_ROOT_MAX_LENGTH:].T])
        self.n_lost_ = int(self.differenced_.any())
        return self

    def transform(self, values: np.ndarray, series: np.ndarray | None = None) -> np.ndarray:
        """Differences where decided (NaN at the first position), the values elsewhere; same shape.

        Columns are series; with ``series``, rows are windows of those series instead.
        """
        axis = 0 if series is None else 1
        differences = np.diff(values, axis=axis, prepend=np.nan)
        return np.where(_per_row(self.differenced_, series), differences, values)

    def inverse_next(self, forecasts: np.ndarray, last: np.ndarray, series: np.ndarray) -> np.ndarray:
        """Levels of forecasts (n, h) made in the transformed space after the last levels ``last`` (n,)."""
        differenced = self.differenced_[series][:, None]
        return np.where(differenced, last[:, None] + np.cumsum(forecasts, axis=1), forecasts)


def _has_unit_root(column: np.ndarray) -> bool:
    """ADF does not reject a unit root and KPSS rejects stationarity, both at 5%."""
    from statsmodels.tsa.stattools import adfuller, kpss

    column = column[~np.isnan(column)]  # the tests read the observed values, gaps closed
    if len(column) < 8 or np.ptp(column) == 0:
        return False
    with warnings.catch_warnings():
        # KPSS warns when its p-value lies outside its table; the bound it returns is still the answer.
        warnings.simplefilter("ignore")
        adf_p = adfuller(column, autolag="AIC")[1]
        kpss_p = kpss(column, regression="c", nlags="auto")[1]
    return bool(adf_p > 0.05 and kpss_p < 0.05)


class Scaler:
    """Standardisation of each series with the mean and standard deviation of its training data.

    Parameters
    ----------
    method : {"standard", None}, default="standard"
        None leaves the values as they are (mean 0, scale 1).
    constant : {"relative", "unit"}, default="unit"
        The scale of a constant column: 1 (``"unit"``, for covariates, whose
        future values may differ from a constant past), or a millionth of its
        magnitude (``"relative"``, for targets: whatever a model outputs for a
        constant series then moves its forecasts by a negligible fraction of
        its level, in any units).

    Attributes
    ----------
    mean_, scale_ : np.ndarray of shape (n_series,)
        The statistics of each column seen in ``fit``.
    """

    def __init__(self, method: Any = "standard", constant: str = "unit"):
        self.method = method
        self.constant = constant

    def _fallback(self, mean: np.ndarray) -> np.ndarray:
        return 1e-6 * np.maximum(np.abs(mean), 1.0) if self.constant == "relative" else np.ones_like(mean)

    def fit(self, values: np.ndarray) -> Scaler:
        """Learn the mean and standard deviation of each column of ``values`` (n_timestamps, n_series), NaN left out."""
        if self.method is None:
            self.mean_, self.scale_ = np.zeros(values.shape[1]), np.ones(values.shape[1])
        elif np.isnan(values).any():
            std, self.mean_ = np.nanstd(values, axis=0), np.nanmean(values, axis=0)
            self.scale_ = np.where(std > 0, std, self._fallback(self.mean_))
        else:
            std, self.mean_ = values.std(axis=0), values.mean(axis=0)
            self.scale_ = np.where(std > 0, std, self._fallback(self.mean_))
        return self

    def transform(self, values: np.ndarray, series: np.ndarray | None = None) -> np.ndarray:
        """Standardised values; columns are series, or rows are of ``series`` when given."""
        return (values - _per_row(self.mean_, series)) / _per_row(self.scale_, series)

    def inverse_transform(self, values: np.ndarray, series: np.ndarray | None = None) -> np.ndarray:
        """Values back in the original units."""
        return values * _per_row(self.scale_, series) + _per_row(self.mean_, series)
