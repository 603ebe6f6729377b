"""Baseline forecasters: naive rules and statsmodels' autoregression.

A neural forecaster is only worth its training time if it beats these, so they
are implemented with the same care: textbook point forecasts and prediction
intervals, the same contract, the same validation.
"""

from __future__ import annotations

import numbers
import warnings
from typing import ClassVar

import numpy as np
from statsmodels.tsa.ar_model import AutoReg, ar_select_order

from tsrnn._index import season_length_for
from tsrnn._validation import Boolean, Interval, ListOf, Options
from tsrnn.base import BaseForecaster
from tsrnn.covariates import COVARIATE_CONSTRAINTS, Covariates
from tsrnn.frequency import default_max_lags
from tsrnn.intervals import normal_quantile

__all__ = ["NaiveForecaster", "ARForecaster"]

_TREND_TERMS = {"n": 0, "c": 1, "t": 1, "ct": 2}


class NaiveForecaster(BaseForecaster):
    """Forecasts by a simple rule on the history.

    Parameters
    ----------
    strategy : {"last", "mean", "drift", "seasonal"}, default="last"
        ``"last"`` repeats the last value (random walk); ``"mean"`` the mean of
        the history; ``"drift"`` extends the line from the first to the last
        value; ``"seasonal"`` repeats the last full season.
    season_length : int, optional
        Season length for ``"seasonal"``; inferred from the index frequency when
        omitted (7 for daily, 5 for business days, 24 for hourly, 12 for monthly).
        A naive rule uses no covariates: ``X`` is accepted and ignored.

    Attributes
    ----------
    y_ : np.ndarray of shape (n_timestamps, n_series)
        The history seen by ``fit`` and ``update``.
    sigma_ : np.ndarray of shape (n_series,)
        Standard deviation of the in-sample residuals of the rule, estimated in
        ``fit`` and kept by ``update``.
    season_length_ : int
        The season length used (1 unless ``strategy="seasonal"``).

    Notes
    -----
    Intervals are the normal ones of Hyndman & Athanasopoulos, *Forecasting:
    Principles and Practice*, section 5.5: the residual standard deviation
    scaled by ``sqrt(h)`` (last), ``sqrt(1 + 1/T)`` (mean), ``sqrt(h (1 + h / (T - 1)))``
    (drift) and ``sqrt(floor((h - 1) / m) + 1)`` (seasonal). A series of a
    DataFrame that starts late (a ragged panel) is treated from its first value.
    """

    allows_late_start = True

    _parameter_constraints: ClassVar[dict[str, list]] = {
        "strategy": [Options("last", "mean", "drift", "seasonal")],
        "season_length": [None, Interval("int", 1, None)],
    }

    def __init__(self, strategy: str = "last", season_length: int | None = None):
        self.strategy = strategy
        self.season_length = season_length

    def _min_length(self) -> int:
        # A season given up front needs two observations more than its length (checked again at fit for one inferred).
        return 3 if self.strategy != "seasonal" or self.season_length is None else int(self.season_length) + 2

    def _fit(self, values: np.ndarray) -> None:
        m = 1
        if self.strategy == "seasonal":
            m = season_length_for(self.freq_) if self.season_length is None else int(self.season_length)
            shortest = int((~np.isnan(values)).sum(axis=0).min())
            if shortest < m + 2:
                raise ValueError(
                    f"y has {shortest} observations; strategy='seasonal' with season_length={m} needs at least {m + 2}."
                )
        self.season_length_ = m
        self.y_ = values
        # Missing values can only precede a series' first value (a late start): nan-aware statistics skip them.
        self.sigma_ = np.nanstd(self._residuals(values), axis=0, ddof=1)

    def _residuals(self, values: np.ndarray) -> np.ndarray:
        if self.strategy == "mean":
            return values - np.nanmean(values, axis=0)
        if self.strategy == "drift":
            steps = np.diff(values, axis=0)
            return steps - np.nanmean(steps, axis=0)
        return values[self.season_length_ :] - values[: -self.season_length_]

    def _observed(self) -> np.ndarray:
        """Observations per series (after its first value)."""
        return (~np.isnan(self.y_)).sum(axis=0)

    def _update(self, values: np.ndarray) -> None:
        self.y_ = np.concatenate([self.y_, values])

    def _predict(self, horizon: int, future: np.ndarray | None = None) -> np.ndarray:
        y, steps = self.y_, np.arange(1, horizon + 1)[:, None]
        if self.strategy == "last":
            return np.repeat(y[-1:], horizon, axis=0)
        if self.strategy == "mean":
            return np.repeat(np.nanmean(y, axis=0, keepdims=True), horizon, axis=0)
        if self.strategy == "drift":
            first = y[np.argmax(~np.isnan(y), axis=0), np.arange(y.shape[1])]
            slope = (y[-1] - first) / (self._observed() - 1)
            return y[-1] + steps * slope
        m = self.season_length_
        return y[-m:][(steps[:, 0] - 1) % m]

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        point = self._predict(horizon)
        h, n = np.arange(1, horizon + 1, dtype=float)[:, None], self._observed()
        if self.strategy == "last":
            scale = np.sqrt(h)
        elif self.strategy == "mean":
            scale = np.ones_like(h) * np.sqrt(1.0 + 1.0 / n)
        elif self.strategy == "drift":
            scale = np.sqrt(h * (1.0 + h / (n - 1)))
        else:
            scale = np.sqrt(np.floor((h - 1) / self.season_length_) + 1.0)
        half = normal_quantile(coverage) * scale * self.sigma_
        return point - half, point + half


class ARForecaster(BaseForecaster):
    """Autoregression AR(p), fitted by statsmodels' ``AutoReg`` (conditional least squares).

    Parameters
    ----------
    lags : int, list of int, "aic" or "bic", default="aic"
        The autoregressive lags: ``p`` for lags 1..p, an explicit list, or an
        information criterion to choose the order with statsmodels'
        ``ar_select_order`` on the training data only.
    max_lags : int or "auto", default="auto"
        The largest order the criterion considers. ``"auto"`` follows the
        data (:func:`tsrnn.frequency.default_max_lags`): about two seasons of
        weekly, monthly and quarterly data, two days of hours, 30 days, a
        decade of years, at most a fifth of the training observations (on a
        corpus of 16 real series, AIC's choice within 30 lags gave 1.55 times
        the geometric-mean MASE of this rule: with 24 lags on 50 yearly
        observations it picks the model that interpolates). An int is used as
        given, lowered on a short series to the largest order every candidate
        model can be fitted with (about half the series length); the value
        used is ``max_lags_``.
    trend : {"n", "c", "t", "ct"}, default="c"
        Deterministic terms: none, constant, time trend, or both.
    seasonal : bool, default=False
        Add seasonal dummies.
    season_length : int, optional
        Season length for ``seasonal=True`` (statsmodels' ``period``); inferred
        from the index frequency when omitted.
    future_covariates : list of str, optional
        Columns of ``X`` known ahead; they enter AutoReg as ``exog`` and
        ``predict`` needs their future values. AR takes no past-only
        covariates: AutoReg needs every exogenous value over the horizon.
    calendar : list of str, optional
        Calendar features (e.g. ``["dayofyear"]``) added to ``exog``, computed
        from the index.

    Attributes
    ----------
    lags_ : list of int, or dict of column -> list of int
        The lags used (for a DataFrame, one list per column).
    result_ : AutoRegResults, or dict of column -> AutoRegResults
        The fitted statsmodels results; ``update`` appends observations to
        them without re-estimating the parameters.
    max_lags_ : int
        The largest order the criterion considered.

    Notes
    -----
    Point forecasts equal ``AutoReg(y, lags, trend=...).fit().forecast(h)``;
    intervals are statsmodels' (normal, with the forecast-error variance of
    the fitted AR). A DataFrame fits one AR per column; a column that starts
    late (missing values before its first one, as in a ragged panel) is fitted
    from its first value.
    """

    allows_late_start = True

    def __init__(
        self,
        lags: int | list[int] | str = "aic",
        max_lags: int | str = "auto",
        trend: str = "c",
        seasonal: bool = False,
        season_length: int | None = None,
        future_covariates: list[str] | None = None,
        calendar: list[str] | None = None,
    ):
        self.lags = lags
        self.max_lags = max_lags
        self.trend = trend
        self.seasonal = seasonal
        self.season_length = season_length
        self.future_covariates = future_covariates
        self.calendar = calendar

    _parameter_constraints: ClassVar[dict[str, list]] = {
        "lags": [
            Interval("int", 0, None),
            Options("aic", "bic"),
            ListOf(Interval("int", 1, None), "a non-empty list of positive ints", min_length=1),
        ],
        "max_lags": [Interval("int", 1, None), Options("auto")],
        "trend": [Options(*_TREND_TERMS)],
        "seasonal": [Boolean],
        "season_length": [None, Interval("int", 2, None)],
        **COVARIATE_CONSTRAINTS,
    }

    def get_covariates(self) -> Covariates:
        """Future covariates and calendar features only: AutoReg needs every exogenous value over the horizon."""
        return Covariates(self.future_covariates, self.calendar, support="future")

    def _exog(self, values: np.ndarray | None) -> np.ndarray | None:
        return values if values is not None and values.shape[1] else None

    def _fit(self, values: np.ndarray) -> None:
        period = None
        if self.seasonal:
            period = season_length_for(self.freq_) if self.season_length is None else int(self.season_length)
        k_fixed = _TREND_TERMS[self.trend] + (period - 1 if period else 0) + self.future_.shape[1]
        # A column of a ragged panel is fitted from its first value; the shortest one bounds the order.
        starts = [int(np.argmax(~np.isnan(values[:, j]))) for j in range(values.shape[1])]
        n = len(values) - max(starts)
        if isinstance(self.lags, str):
            limit = default_max_lags(self.freq_, n) if self.max_lags == "auto" else int(self.max_lags)
            self.max_lags_ = min(limit, (n - k_fixed - 1) // 2)
            if self.max_lags_ < 1:
                raise ValueError(
                    f"y has {n} observations; choosing the AR order needs at least {k_fixed + 3} "
                    f"with trend={self.trend!r}" + (f" and season_length={period}." if period else ".")
                )
        else:
            lags = (
                list(range(1, int(self.lags) + 1))
                if isinstance(self.lags, numbers.Integral)
                else [int(x) for x in self.lags]
            )
            needed = (max(lags) if lags else 0) + len(lags) + k_fixed + 1
            if n < needed:
                raise ValueError(f"y has {n} observations; AR with lags={self.lags!r} needs at least {needed}.")
            if not lags and k_fixed == 0:
                raise ValueError("lags=0 with trend='n' leaves no parameter to fit; use trend='c' or some lags.")
            self.max_lags_ = max(lags) if lags else 0
        chosen, results = [], []
        for j, start in enumerate(starts):
            exog = self._exog(self.future_[start:])
            lags_j = self._select_lags(values[start:, j], period, exog) if isinstance(self.lags, str) else lags
            model = AutoReg(
                # Order 0 (the mean model) is a valid choice; AutoReg takes it as 0, not as an empty list.
                values[start:, j], lags=lags_j or 0, trend=self.trend, seasonal=bool(self.seasonal), period=period,
                exog=exog,
            )  # fmt: skip
            chosen.append(list(lags_j))
            results.append(model.fit())
        self._results = results
        single = values.shape[1] == 1 and self.kind_ in ("series", "array1d")
        self.lags_ = chosen[0] if single else dict(zip(self.columns_, chosen))
        self.result_ = results[0] if single else dict(zip(self.columns_, results))
        at_limit = [c for c, lags in zip(self.columns_, chosen) if lags and max(lags) == self.max_lags_ > 1]
        if isinstance(self.lags, str) and at_limit:
            # A single series is y; a series of a frame or panel is named by its column.
            which = "" if single else f" for {at_limit[0]!r}"
            warnings.warn(
                f"ARForecaster: {self.lags.upper()} chose the largest order allowed ({self.max_lags_}){which}; "
                f"the best order may lie beyond it. Raise max_lags, or model the season "
                f"(seasonal=True) or the trend (trend='ct') instead of long lags.",
                UserWarning,
                stacklevel=4,
            )

    def _select_lags(self, y: np.ndarray, period: int | None, exog: np.ndarray | None) -> list[int]:
        with warnings.catch_warnings():
            # A constant or near-collinear window makes statsmodels warn; the choice is still valid.
            warnings.simplefilter("ignore")
            selection = ar_select_order(
                y, maxlag=self.max_lags_, ic=self.lags, trend=self.trend, seasonal=bool(self.seasonal), period=period,
                exog=exog,
            )  # fmt: skip
        lags = list(selection.ar_lags or [])
        if not lags and self.trend == "n":
            lags = [1]
        return lags

    def _update(self, values: np.ndarray) -> None:
        new_exog = self._exog(self.future_[-len(values) :])
        self._results = [r.append(values[:, j], exog=new_exog, refit=False) for j, r in enumerate(self._results)]
        self.result_ = (
            self._results[0] if not isinstance(self.result_, dict) else dict(zip(self.columns_, self._results))
        )

    def _predict(self, horizon: int, future: np.ndarray) -> np.ndarray:
        exog = self._exog(future)
        return np.column_stack([np.asarray(r.forecast(horizon, exog=exog)) for r in self._results])

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        bounds = []
        for result in self._results:
            n = result.model.endog.shape[0]
            prediction = result.get_prediction(start=n, end=n + horizon - 1, exog_oos=self._exog(future))
            bounds.append(np.asarray(prediction.conf_int(alpha=1.0 - coverage)))
        lower = np.column_stack([b[:, 0] for b in bounds])
        upper = np.column_stack([b[:, 1] for b in bounds])
        return lower, upper
