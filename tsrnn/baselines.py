"""Baseline forecasters: naive rules and statsmodels' autoregression.

A neural forecaster is only worth its training time if it beats these, so they
are implemented with the same care: textbook point forecasts and prediction
intervals, the same contract, the same validation.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
from scipy import stats
from sklearn.base import clone, is_regressor
from statsmodels.tsa.ar_model import AutoReg, ar_select_order

from tsrnn.base import BaseForecaster, check_positive_int, season_length_for
from tsrnn.windowing import WindowForecaster, future_block, make_windows, recursive_forecast

__all__ = ["NaiveForecaster", "ARForecaster", "RegressionForecaster"]

_NAIVE_STRATEGIES = ("last", "mean", "drift", "seasonal")
_TREND_TERMS = {"n": 0, "c": 1, "t": 1, "ct": 2}
_MIN_ORIGINS = 10


def _normal_quantile(coverage: float) -> float:
    return float(stats.norm.ppf(0.5 + coverage / 2.0))


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
    future_covariates, calendar : ignored
        Accepted so every forecaster takes the same arguments: a naive rule
        uses no covariates, and ``X`` is accepted and ignored everywhere.

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
    (drift) and ``sqrt(floor((h - 1) / m) + 1)`` (seasonal).
    """

    def __init__(
        self,
        strategy: str = "last",
        season_length: int | None = None,
        future_covariates: list[str] | None = None,
        calendar: list[str] | None = None,
    ):
        self.strategy = strategy
        self.season_length = season_length
        self.future_covariates = future_covariates
        self.calendar = calendar

    def _min_length(self) -> int:
        return 3

    def _fit(self, values: np.ndarray) -> None:
        if self.strategy not in _NAIVE_STRATEGIES:
            raise ValueError(f"strategy must be one of {_NAIVE_STRATEGIES}, got {self.strategy!r}.")
        m = 1
        if self.strategy == "seasonal":
            if self.season_length is None:
                m = season_length_for(self.freq_)
            elif isinstance(self.season_length, bool) or not isinstance(self.season_length, numbers.Integral):
                raise TypeError(f"season_length must be a positive int or None, got {self.season_length!r}.")
            elif self.season_length < 1:
                raise ValueError(f"season_length must be a positive int, got {self.season_length}.")
            else:
                m = int(self.season_length)
            if len(values) < m + 2:
                raise ValueError(
                    f"y has {len(values)} observations; strategy='seasonal' with season_length={m} "
                    f"needs at least {m + 2}."
                )
        self.season_length_ = m
        self.y_ = values
        self.sigma_ = np.std(self._residuals(values), axis=0, ddof=1)

    def _residuals(self, values: np.ndarray) -> np.ndarray:
        if self.strategy == "mean":
            return values - values.mean(axis=0)
        if self.strategy == "drift":
            steps = np.diff(values, axis=0)
            return steps - steps.mean(axis=0)
        return values[self.season_length_ :] - values[: -self.season_length_]

    def _update(self, values: np.ndarray) -> None:
        self.y_ = np.concatenate([self.y_, values])

    def _predict(self, horizon: int, future: np.ndarray | None = None) -> np.ndarray:
        y, steps = self.y_, np.arange(1, horizon + 1)[:, None]
        if self.strategy == "last":
            return np.repeat(y[-1:], horizon, axis=0)
        if self.strategy == "mean":
            return np.repeat(y.mean(axis=0, keepdims=True), horizon, axis=0)
        if self.strategy == "drift":
            slope = (y[-1] - y[0]) / (len(y) - 1)
            return y[-1] + steps * slope
        m = self.season_length_
        return y[-m:][(steps[:, 0] - 1) % m]

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        point = self._predict(horizon)
        h, n = np.arange(1, horizon + 1, dtype=float)[:, None], len(self.y_)
        if self.strategy == "last":
            scale = np.sqrt(h)
        elif self.strategy == "mean":
            scale = np.full_like(h, np.sqrt(1.0 + 1.0 / n))
        elif self.strategy == "drift":
            scale = np.sqrt(h * (1.0 + h / (n - 1)))
        else:
            scale = np.sqrt(np.floor((h - 1) / self.season_length_) + 1.0)
        half = _normal_quantile(coverage) * scale * self.sigma_
        return point - half, point + half


class ARForecaster(BaseForecaster):
    """Autoregression AR(p), fitted by statsmodels' ``AutoReg`` (conditional least squares).

    Parameters
    ----------
    lags : int, list of int, "aic" or "bic", default="aic"
        The autoregressive lags: ``p`` for lags 1..p, an explicit list, or an
        information criterion to choose the order with statsmodels'
        ``ar_select_order`` on the training data only.
    max_lags : int, default=30
        The largest order the criterion considers. On a short series it is
        lowered to the largest order every candidate model can be fitted with
        (about half the series length); the value used is ``max_lags_``.
    trend : {"n", "c", "t", "ct"}, default="c"
        Deterministic terms: none, constant, time trend, or both.
    seasonal : bool, default=False
        Add seasonal dummies.
    period : int, optional
        Season length for ``seasonal=True``; inferred from the index frequency
        when omitted.
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
    the fitted AR). A DataFrame fits one AR per column.
    """

    def __init__(
        self,
        lags: int | list[int] | str = "aic",
        max_lags: int = 30,
        trend: str = "c",
        seasonal: bool = False,
        period: int | None = None,
        future_covariates: list[str] | None = None,
        calendar: list[str] | None = None,
    ):
        self.lags = lags
        self.max_lags = max_lags
        self.trend = trend
        self.seasonal = seasonal
        self.period = period
        self.future_covariates = future_covariates
        self.calendar = calendar

    covariate_support = "future"

    def _exog(self, values: np.ndarray | None) -> np.ndarray | None:
        return values if values is not None and values.shape[1] else None

    def _check_params(self) -> None:
        if self.trend not in _TREND_TERMS:
            raise ValueError(f"trend must be one of {tuple(_TREND_TERMS)}, got {self.trend!r}.")
        if isinstance(self.lags, str):
            if self.lags not in ("aic", "bic"):
                raise ValueError(f"lags must be an int, a list of ints, 'aic' or 'bic', got {self.lags!r}.")
            check_positive_int(self.max_lags, "max_lags")
        elif isinstance(self.lags, numbers.Integral) and not isinstance(self.lags, bool):
            if self.lags < 0:
                raise ValueError(f"lags must be a non-negative int, got {self.lags}.")
        elif isinstance(self.lags, (list, tuple)):
            if not self.lags or not all(
                isinstance(lag, numbers.Integral) and not isinstance(lag, bool) and lag >= 1 for lag in self.lags
            ):
                raise ValueError(f"lags as a list must hold positive ints, got {self.lags!r}.")
        else:
            raise TypeError(f"lags must be an int, a list of ints, 'aic' or 'bic', got {self.lags!r}.")

    def _fit(self, values: np.ndarray) -> None:
        self._check_params()
        period = None
        if self.seasonal:
            period = season_length_for(self.freq_, "period") if self.period is None else int(self.period)
        k_fixed = _TREND_TERMS[self.trend] + (period - 1 if period else 0) + self.future_.shape[1]
        n = len(values)
        if isinstance(self.lags, str):
            self.max_lags_ = min(int(self.max_lags), (n - k_fixed - 1) // 2)
            if self.max_lags_ < 1:
                raise ValueError(
                    f"y has {n} observations; choosing the AR order needs at least {k_fixed + 3} "
                    f"with trend={self.trend!r}" + (f" and period={period}." if period else ".")
                )
        else:
            lags = list(range(1, int(self.lags) + 1)) if isinstance(self.lags, numbers.Integral) else list(self.lags)
            needed = (max(lags) if lags else 0) + len(lags) + k_fixed + 1
            if n < needed:
                raise ValueError(f"y has {n} observations; AR with lags={self.lags!r} needs at least {needed}.")
            if not lags and k_fixed == 0:
                raise ValueError("lags=0 with trend='n' leaves no parameter to fit; use trend='c' or some lags.")
            self.max_lags_ = max(lags) if lags else 0
        chosen, results = [], []
        for j in range(values.shape[1]):
            lags_j = self._select_lags(values[:, j], period) if isinstance(self.lags, str) else lags
            model = AutoReg(
                values[:, j], lags=lags_j, trend=self.trend, seasonal=self.seasonal, period=period,
                exog=self._exog(self.future_),
            )  # fmt: skip
            chosen.append(list(lags_j))
            results.append(model.fit())
        self._results = results
        single = values.shape[1] == 1 and self.kind_ in ("series", "array1d")
        self.lags_ = chosen[0] if single else dict(zip(self.columns_, chosen))
        self.result_ = results[0] if single else dict(zip(self.columns_, results))

    def _select_lags(self, y: np.ndarray, period: int | None) -> list[int]:
        with warnings.catch_warnings():
            # A constant or near-collinear window makes statsmodels warn; the choice is still valid.
            warnings.simplefilter("ignore")
            selection = ar_select_order(
                y, maxlag=self.max_lags_, ic=self.lags, trend=self.trend, seasonal=self.seasonal, period=period,
                exog=self._exog(self.future_),
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
        future_covariates: list[str] | None = None,
        calendar: list[str] | None = None,
    ):
        self.estimator = estimator
        self.window = window
        self.strategy = strategy
        self.horizon = horizon
        self.calibration_fraction = calibration_fraction
        self.future_covariates = future_covariates
        self.calendar = calendar

    def _outputs(self) -> int:
        return self.horizon if self.strategy == "direct" else 1

    def _min_length(self) -> int:
        for name in ("window", "horizon"):
            check_positive_int(getattr(self, name), name)
        if self.strategy not in ("recursive", "direct"):
            raise ValueError(f"strategy must be 'recursive' or 'direct', got {self.strategy!r}.")
        return self.window + self._outputs() + 1

    def _fit(self, values: np.ndarray) -> None:
        if not is_regressor(self.estimator) and not hasattr(self.estimator, "predict"):
            raise TypeError(f"estimator must be a scikit-learn regressor, got {self.estimator!r}.")
        if not 0.0 < self.calibration_fraction < 1.0:
            raise ValueError(f"calibration_fraction must be in (0, 1), got {self.calibration_fraction!r}.")
        outputs = self._outputs()
        inputs, targets = make_windows(values, self.window, outputs)
        n = len(inputs)
        # One row per (series, window): lags, then past covariate lags, then future covariates of the targets.
        shared = [make_windows(self.past_, self.window, outputs)[0].reshape(n, -1)]
        shared.append(make_windows(self.future_, self.window, outputs)[1].reshape(n, -1))
        X = np.vstack([np.hstack([inputs[:, :, j], *shared]) for j in range(values.shape[1])])
        Y = targets.transpose(2, 0, 1).reshape(-1, outputs)
        self.estimators_ = [clone(self.estimator).fit(X, Y[:, k]) for k in range(outputs)]
        self.y_ = values
        self.n_fit_ = len(values)
        self._n_windows = n
        self._calibration = None

    def _forecast_at(self, series: np.ndarray, ends: np.ndarray, horizon: int, future: np.ndarray) -> np.ndarray:
        contexts, past = self._tails(series, ends, self.window)
        past = past.reshape(len(series), -1)
        outputs = self._outputs()

        def step(current: np.ndarray, done: int) -> np.ndarray:
            ahead = future_block(future, done, outputs).reshape(len(current), -1)
            features = np.hstack([current, past, ahead])
            return np.column_stack([np.asarray(e.predict(features), dtype=float) for e in self.estimators_])

        return recursive_forecast(step, contexts, horizon)

    def _calibration_origins(self) -> np.ndarray:
        n_origins = max(_MIN_ORIGINS, int(round(self.calibration_fraction * self._n_windows)))
        n_origins = min(n_origins, self._n_windows)
        return np.arange(self._n_windows - n_origins, self._n_windows) + self.window - 1
