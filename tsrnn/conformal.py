"""Adaptive conformal intervals around any forecaster: calibrated on its recent out-of-sample errors, online.

``AdaptiveConformal`` wraps a forecaster. It keeps the absolute errors of the
forecasts the wrapped forecaster made from past origins, per horizon step, and
takes its interval half-width as a quantile of the recent ones. The quantile
level adapts at every new observation by adaptive conformal inference (Gibbs
and Candès, 2021): after a miss the level rises, after a hit it falls, so that
the long-run coverage holds even when the scale of the errors drifts.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone

from tsrnn._index import take_rows
from tsrnn._validation import Interval, Options, Satisfies, SeriesData
from tsrnn.base import BaseForecaster

__all__ = ["AdaptiveConformal"]

# Steps with fewer scores than this issue no adaptive interval yet (the level does not adapt on them).
_MIN_SCORES = 5


def point_forecaster(model: Any) -> Any:
    """The forecaster whose point forecasts ``model`` gives: the one inside an ``AdaptiveConformal``, else itself."""
    return model.forecaster if isinstance(model, AdaptiveConformal) else model


def _is_forecaster(value: Any) -> bool:
    # A class has the methods too, unbound: only an instance is a forecaster.
    return not isinstance(value, type) and all(
        hasattr(value, name) for name in ("fit", "predict", "update", "get_params")
    )


class AdaptiveConformal(BaseForecaster):
    """Prediction intervals that adapt online to a forecaster's recent out-of-sample errors.

    Parameters
    ----------
    forecaster : forecaster
        Any forecaster on the contract (``fit``, ``predict``, ``update``),
        including a user's own; it is cloned. Its point forecasts are the
        wrapper's. Forecasters that need future covariates in ``X`` are not
        supported (calendar features are).
    coverage : float, default=0.9
        The coverage the intervals adapt to.
    method : {"aci"}, default="aci"
        Adaptive conformal inference: the miscoverage level ``a`` of each
        horizon step and series moves by ``learning_rate * (1 - coverage - miss)``
        after every forecast of that step is scored.
    learning_rate : float, default=0.02
        The step of that update; 0 gives split-conformal intervals on a
        rolling calibration set.
    horizon : int, default=1
        Steps calibrated one by one; longer horizons grow from the last
        calibrated step as ``sqrt(step)``.
    n_calibration : int, optional
        Origins at the end of ``y`` from which ``fit`` collects out-of-sample
        errors: the wrapped forecaster is fitted on the data before them and
        updated through them. Defaults to a quarter of ``y``, at most 200.
    window : int, optional
        Keep only the most recent ``window`` errors per step (None keeps all).
    refit : bool, default=True
        After calibration, refit the wrapped forecaster on all of ``y``
        (False keeps the one fitted before the calibration origins, updated
        through them: one fit instead of two).

    Attributes
    ----------
    forecaster_ : forecaster
        The fitted wrapped forecaster, updated with every new observation.
    scores_ : list of np.ndarray
        Per step, the absolute errors (n_scores, n_series) of past forecasts.
    alphas_ : np.ndarray of shape (horizon, n_series)
        The current miscoverage level of each step and series.
    n_scored_ : int
        Forecast steps scored so far (in ``fit`` and ``update``).

    Notes
    -----
    Every score comes from a forecast made before its observation, so the
    calibration at a cutoff uses only errors observed up to that cutoff. The
    half-width of step ``h`` is the ``ceil((n + 1)(1 - a)) / n`` empirical
    quantile of its ``n`` scores (the largest score when ``a <= 0``).
    Intervals at another coverage ``c`` use the level ``a - (c - coverage)``.

    Examples
    --------
    >>> from tsrnn import ARForecaster
    >>> AdaptiveConformal(ARForecaster(), coverage=0.9, horizon=7)
    AdaptiveConformal(forecaster=ARForecaster(), horizon=7)
    """

    _parameter_constraints: ClassVar[dict[str, list]] = {
        "forecaster": [Satisfies(_is_forecaster, "a forecaster with fit, predict and update")],
        "coverage": [Interval("real", 0, 1, closed="neither")],
        "method": [Options("aci")],
        "learning_rate": [Interval("real", 0, 1, closed="left")],
        "horizon": [Interval("int", 1, None)],
        "n_calibration": [None, Interval("int", 1, None)],
        "window": [None, Interval("int", _MIN_SCORES, None)],
        "refit": [Satisfies(lambda v: isinstance(v, (bool, np.bool_)), "True or False")],
    }

    def __init__(
        self,
        forecaster: Any,
        coverage: float = 0.9,
        method: str = "aci",
        learning_rate: float = 0.02,
        horizon: int = 1,
        n_calibration: int | None = None,
        window: int | None = None,
        refit: bool = True,
    ):
        self.forecaster = forecaster
        self.coverage = coverage
        self.method = method
        self.learning_rate = learning_rate
        self.horizon = horizon
        self.n_calibration = n_calibration
        self.window = window
        self.refit = refit

    def _check_params(self) -> None:
        covariates = getattr(self.forecaster, "get_covariates", None)
        if covariates is not None and covariates().future:
            raise ValueError(
                "AdaptiveConformal cannot score forecasts that need future covariates in X; declare them as "
                "calendar features, or drop future_covariates from the wrapped forecaster."
            )

    def get_covariates(self) -> Any:
        """The wrapped forecaster's covariates: ``X`` is checked here and passed on to it."""
        covariates = getattr(self.forecaster, "get_covariates", None)
        return super().get_covariates() if covariates is None else covariates()

    def _min_length(self) -> int:
        # The wrapped forecaster is fitted on the data before the calibration origins: it needs its own length there.
        H = int(self.horizon)
        inner = getattr(self.forecaster, "_min_length", None)
        try:
            m = int(inner()) if callable(inner) else 1
        except (TypeError, ValueError):  # parameters its own fit will name
            m = 1
        if self.n_calibration is not None:
            return max(2 * _MIN_SCORES + H, m + int(self.n_calibration))
        # The default calibration takes a quarter of y, and at least _MIN_SCORES + horizon origins: the shortest
        # length that leaves the wrapped forecaster its m observations before them.
        n = max(2 * _MIN_SCORES + H, m + _MIN_SCORES + H)
        while n - max(_MIN_SCORES + H, min(200, n // 4)) < m:
            n += 1
        return n

    # -- fit and update ------------------------------------------------------
    def _fit_inputs(self, data: SeriesData, y: Any, X: Any) -> None:
        n = len(data.values)
        # A quarter of the shortest series (a panel's late starter), so the wrapped fit keeps three quarters of it.
        shortest = int((~np.isnan(data.values)).sum(axis=0).min())
        n_calibration = self.n_calibration or min(200, max(_MIN_SCORES + int(self.horizon), shortest // 4))
        if n_calibration >= n - 1:
            raise ValueError(
                f"n_calibration={n_calibration} leaves {n - n_calibration} observations to fit the wrapped "
                f"forecaster on; lower it or pass a longer y."
            )
        start = n - n_calibration
        H = int(self.horizon)
        self.scores_ = [np.zeros((0, self.n_series_)) for _ in range(H)]
        self.alphas_ = np.full((H, self.n_series_), 1.0 - float(self.coverage))
        self.n_scored_ = 0
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self.forecaster_ = clone(self.forecaster).fit(take_rows(y, slice(0, start)), take_rows(X, slice(0, start)))
        self._issue()
        self._walk(data.values[start:], take_rows(y, slice(start, n)), take_rows(X, slice(start, n)))
        if self.refit:
            self.forecaster_ = clone(self.forecaster).fit(y, X)
            # The refitted model forecasts from the same origin: reissue the forecasts still pending.
            self._pending = self._pending[:-1]
            self._issue()

    @property
    def allows_missing(self) -> bool:  # type: ignore[override]
        """Missing values are accepted when the wrapped forecaster accepts them."""
        return bool(getattr(self.forecaster, "allows_missing", False))

    @property
    def allows_late_start(self) -> bool:  # type: ignore[override]
        """Series of a panel that start late are accepted when the wrapped forecaster accepts them."""
        return bool(getattr(self.forecaster, "allows_late_start", False))

    def _update_inputs(self, data: SeriesData, y_new: Any, X_new: Any) -> None:
        # The walk changes these in place: work on copies, so a failed update leaves the originals as they were.
        for name in ("forecaster_", "_pending", "alphas_", "scores_"):
            setattr(self, name, copy.deepcopy(getattr(self, name)))
        self._walk(data.values, y_new, X_new)

    def _walk(self, values: np.ndarray, y: Any, X: Any) -> None:
        """Score the pending forecasts against each new observation, adapt, move the origin, forecast again."""
        for i in range(len(values)):
            self._score(values[i])
            self.forecaster_.update(take_rows(y, slice(i, i + 1)), take_rows(X, slice(i, i + 1)))
            self._issue()

    def _issue(self) -> None:
        """Forecast the next ``horizon`` steps from the current origin, with the half-widths in force now."""
        H = int(self.horizon)
        point = np.asarray(self.forecaster_.predict(H), dtype=float).reshape(H, self.n_series_)
        self._pending.append((point, self._halfwidths(self.alphas_)))
        self._pending = self._pending[-H:]

    def _score(self, observed: np.ndarray) -> None:
        """Score every pending forecast of this observation: the one made h steps ago, for h = 1 .. horizon."""
        rate, target = float(self.learning_rate), 1.0 - float(self.coverage)
        for h, (point, half) in enumerate(reversed(self._pending), start=1):
            error = np.abs(observed - point[h - 1])
            known = ~np.isnan(error)
            ready = known & ~np.isnan(half[h - 1])
            miss = (error > half[h - 1]).astype(float)
            self.alphas_[h - 1] = np.where(ready, self.alphas_[h - 1] + rate * (target - miss), self.alphas_[h - 1])
            scores = np.vstack([self.scores_[h - 1], np.where(known, error, np.nan)[None]])
            self.scores_[h - 1] = scores if self.window is None else scores[-int(self.window) :]
            self.n_scored_ += int(known.sum())

    # -- forecasting ---------------------------------------------------------
    def _halfwidths(self, alphas: np.ndarray) -> np.ndarray:
        """Half-widths (horizon, n_series) at miscoverage ``alphas``; NaN where a step has too few scores."""
        half = np.full(alphas.shape, np.nan)
        for h, scores in enumerate(self.scores_):
            for j in range(scores.shape[1]):
                column = scores[:, j][~np.isnan(scores[:, j])]
                if len(column) >= _MIN_SCORES:
                    level = min(1.0, np.ceil((len(column) + 1) * (1.0 - alphas[h, j])) / len(column))
                    half[h, j] = np.quantile(column, max(level, 0.0), method="higher") if level > 0 else 0.0
        return half

    def _predict(self, horizon: int, future: np.ndarray) -> np.ndarray:
        return np.asarray(self.forecaster_.predict(horizon), dtype=float).reshape(horizon, self.n_series_)

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        point = self._predict(horizon, future)
        half = self._halfwidths(self.alphas_ - (coverage - float(self.coverage)))
        if np.isnan(half[0]).any():
            raise ValueError(
                f"too few scored forecasts ({len(self.scores_[0])}) to build intervals; raise n_calibration."
            )
        widths, last = np.empty((horizon, self.n_series_)), 0
        for k in range(horizon):
            if k < len(half) and not np.isnan(half[k]).any():
                widths[k], last = half[k], k
            else:  # beyond the calibrated steps: grow from the last one, as a random walk's errors do
                widths[k] = half[last] * np.sqrt((k + 1) / (last + 1))
        return point - widths, point + widths
