"""The base of forecasters that read the last ``window`` observations: history, gaps, conformal intervals."""

from __future__ import annotations

import warnings

import numpy as np

from tsrnn.base import BaseForecaster
from tsrnn.covariates import Covariates
from tsrnn.intervals import conformal_halfwidth

__all__ = ["WindowForecaster"]

# Calibration needs a handful of errors per step; fewer gives meaningless quantiles.
_MIN_CALIBRATION_ERRORS = 5


class WindowForecaster(BaseForecaster):
    """Base of forecasters that read the most recent observations of each series.

    Subclasses implement ``_fit_model(values)`` (learn from the levels, shape
    (n_timestamps, n_series)), ``_n_outputs`` (steps one pass emits),
    ``_forecast_at`` and ``_calibration_origins``. This class keeps the level
    history ``y_``, provides ``predict``, ``update`` (append to ``y_``, no
    training) and split-conformal intervals from the errors of forecasts made
    at the calibration origins, computed once in ``fit`` from the data it
    saw. Past covariates sit beside the lags in the input window; future
    covariates of the forecast window enter at the output. Past covariates
    are unknown after the origin, so forecasts with them cannot go beyond the
    steps one pass emits.

    Missing values: windows holding one are left out of training and
    calibration; a missing value in the last context before a forecast is
    filled by the model's own one-step forecast from the observations before it.
    """

    allows_missing = True

    def get_covariates(self) -> Covariates:
        """Past covariates beside the lags, future covariates and calendar features of the forecast steps."""
        return Covariates(self.future_covariates, self.calendar, support="both")

    def _n_outputs(self) -> int:
        """Steps one forward pass (or regressor call) emits."""
        raise NotImplementedError

    def _fit_model(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _forecast_at(
        self, series: np.ndarray, ends: np.ndarray, horizon: int, future: np.ndarray, levels: np.ndarray | None = None
    ) -> np.ndarray:
        """Forecast (n, horizon) levels of series ``series[i]`` from history position ``ends[i]``.

        ``future`` holds the future covariates of each origin's forecast window,
        shape (n, horizon, n_future); ``levels`` replaces ``y_`` when given.
        """
        raise NotImplementedError

    def _calibration_origins(self) -> np.ndarray:
        """Positions, in the data seen by ``fit``, of the last observation of each calibration origin."""
        raise NotImplementedError

    def _uncalibrated(self) -> str:
        """Why there are no calibration origins, for the error of ``predict_interval``."""
        return "no calibration origins are available to build prediction intervals."

    def _fit(self, values: np.ndarray) -> None:
        self.y_ = values
        self.n_fit_ = len(values)
        self._fit_model(values)
        # Calibrated here, on the data of fit, so predicting never changes the forecaster.
        self.calibration_errors_ = self._calibration_errors(self._calibration_horizon())

    def _calibration_horizon(self) -> int:
        """Steps calibrated in ``fit``: the trained horizon, or what past covariates let one pass reach."""
        horizon = int(getattr(self, "horizon", 1))
        return min(horizon, self._n_outputs()) if self.past_.shape[1] else horizon

    def _check_reach(self, horizon: int) -> None:
        if self.past_.shape[1] and horizon > self._n_outputs():
            raise ValueError(
                f"horizon={horizon} goes beyond the {self._n_outputs()} step(s) one forward pass emits; with past "
                f"covariates {self.past_covariates_} (unknown after the origin) forecasts cannot continue "
                f"recursively. Train with strategy='direct' and horizon>={horizon}, or declare the covariates "
                f"in future_covariates if their future values are known."
            )

    def _tails(
        self, series: np.ndarray, ends: np.ndarray, length: int, levels: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The last ``length`` levels (n, length) and past covariates (n, length, p) up to each end.

        ``levels`` replaces ``y_`` (a copy with gaps filled) when given.
        """
        levels = self.y_ if levels is None else levels
        positions = ends[:, None] - length + 1 + np.arange(length)[None, :]
        return levels[positions, series[:, None]], self.past_[positions]

    def _context_length(self) -> int:
        """Levels one forecast reads."""
        return int(self.window)

    def _predict(self, horizon: int, future: np.ndarray) -> np.ndarray:
        self._check_reach(horizon)
        if horizon > len(self.y_):
            warnings.warn(
                f"horizon={horizon} reaches further ahead than the {len(self.y_)} observations of the history; "
                f"recursive forecasts that far mostly repeat the model's own output and take a while.",
                UserWarning,
                stacklevel=3,
            )
        levels = self._filled_levels()
        series = np.arange(self.n_series_)
        ends = np.full(self.n_series_, len(levels) - 1)
        forecasts = self._forecast_at(series, ends, horizon, np.repeat(future[None], self.n_series_, axis=0), levels)
        self._warn_if_far_off(forecasts)
        return forecasts.T

    def _warn_if_far_off(self, forecasts: np.ndarray) -> None:
        """Warn when forecasts leave the range of the data by more than ten times its width."""
        low, high = np.nanmin(self.y_, axis=0), np.nanmax(self.y_, axis=0)
        width = np.maximum(high - low, 1e-12 * np.maximum(np.abs(high), 1.0))
        far = (forecasts < (low - 10 * width)[:, None]) | (forecasts > (high + 10 * width)[:, None])
        if np.any(far & np.isfinite(forecasts)):
            warnings.warn(
                f"{type(self).__name__}: some forecasts lie more than ten times the range of the data outside it; "
                f"the model may have diverged (check history_ or refit with other settings).",
                UserWarning,
                stacklevel=4,
            )

    def _filled_levels(self) -> np.ndarray:
        """``y_``, or a copy whose gaps in the last context of each series are filled by one-step forecasts."""
        length, end = self._context_length(), len(self.y_) - 1
        if not np.isnan(self.y_[end - length + 1 :]).any():
            return self.y_
        levels = self.y_.copy()
        for j in range(self.n_series_):
            for p in self._gaps_to_fill(levels[:, j], end, length, j):
                ahead = self.future_[p][None, None, :]
                levels[p, j] = self._forecast_at(np.array([j]), np.array([p - 1]), 1, ahead, levels)[0, 0]
        return levels

    def _gaps_to_fill(self, column: np.ndarray, end: int, length: int, j: int) -> list[int]:
        """Missing positions the context ending at ``end`` needs, with those their own contexts need, in order."""
        needed: set[int] = set()
        pending = [p for p in range(end - length + 1, end + 1) if np.isnan(column[p])]
        while pending:
            p = pending.pop()
            if p in needed:
                continue
            if p - length < 0:
                raise ValueError(
                    f"series {self.columns_[j]!r} has a missing value at position {p} with fewer than {length} "
                    f"observations before it, so it cannot be forecast from them; fill it, e.g. with "
                    f"tsrnn.regularize(y), or start the series later."
                )
            needed.add(p)
            pending.extend(q for q in range(p - length, p) if np.isnan(column[q]) and q not in needed)
        return sorted(needed)

    def _update(self, values: np.ndarray) -> None:
        self.y_ = np.concatenate([self.y_, values])

    def _history_future(self, ends: np.ndarray, horizon: int) -> np.ndarray:
        """Future covariates after historical origins (n, horizon, f); past the data, the last row repeats."""
        future = self.future_[: self.n_fit_]
        positions = np.minimum(ends[:, None] + 1 + np.arange(horizon)[None, :], len(future) - 1)
        return future[positions]

    def _calibration_errors(self, horizon: int) -> np.ndarray | None:
        """Absolute errors (n_series * n_origins, horizon), NaN where a step lies beyond the fitted data.

        None when there are no calibration origins. Errors of the first steps do
        not depend on ``horizon`` (forecasts of one origin share their prefix).
        """
        targets = self._calibration_targets(horizon)
        if targets is None:
            return None
        series, ends, truth, complete = targets
        errors = np.full((len(ends), horizon), np.nan)
        if complete.any():
            forecasts = self._forecast_at(
                series[complete], ends[complete], horizon, self._history_future(ends[complete], horizon)
            )
            errors[complete] = np.abs(truth[complete] - forecasts)
        return errors

    def _calibration_targets(self, horizon: int) -> tuple[np.ndarray, ...] | None:
        """Series and end of every calibration origin, the ``horizon`` observations after it, and which are usable.

        Returns ``(series, ends, truth, complete)``, series after series; truth is NaN beyond the fitted data, and
        origins whose context holds a missing value are not ``complete``. None without calibration origins.
        """
        origins = self._calibration_origins()
        if len(origins) == 0:
            return None
        levels = self.y_[: self.n_fit_]
        series = np.repeat(np.arange(self.n_series_), len(origins))
        ends = np.tile(origins, self.n_series_)
        steps = ends[:, None] + 1 + np.arange(horizon)[None, :]
        truth = np.where(steps < len(levels), levels[np.minimum(steps, len(levels) - 1), series[:, None]], np.nan)
        complete = ~np.isnan(self._tails(series, ends, self._context_length())[0]).any(axis=1)
        return series, ends, truth, complete

    def _errors_for(self, horizon: int) -> list[np.ndarray]:
        """Calibration errors of each series, (n_origins, horizon) each.

        A series without errors of its own (one that ended before the
        calibration origins) borrows the others', rescaled by its spread.
        """
        errors = self.calibration_errors_
        if errors is None:
            raise ValueError(self._uncalibrated())
        if errors.shape[1] < horizon:
            errors = self._calibration_errors(horizon)  # longer than calibrated in fit: computed, not stored
        per_series = list(errors[:, :horizon].reshape(self.n_series_, -1, horizon))
        empty = [j for j, e in enumerate(per_series) if np.isnan(e[:, 0]).all()]
        if empty and len(empty) < self.n_series_:
            # The size of one-step changes measures how large forecast errors run, in any units.
            spread = np.nanmean(np.abs(np.diff(self.y_[: self.n_fit_], axis=0)), axis=0)
            spread = np.where(spread > 0, spread, 1.0)
            pooled = np.vstack([e / spread[j] for j, e in enumerate(per_series) if j not in empty])
            for j in empty:
                per_series[j] = pooled * spread[j]
        return per_series

    def _gap_lengths(self) -> np.ndarray:
        """Per series, the periods since its last observation: the forecasts of step h are then (gap + h)-step ones."""
        observed = ~np.isnan(self.y_)
        last = len(self.y_) - 1 - np.argmax(observed[::-1], axis=0)
        return (len(self.y_) - 1 - last).astype(int)

    def _errors_after_gaps(self, horizon: int) -> tuple[list[np.ndarray], np.ndarray]:
        """Each series' calibration errors, long enough for ``horizon`` steps after its gap, and the gaps."""
        gaps = self._gap_lengths()
        return self._errors_for(horizon + int(gaps.max())), gaps

    @staticmethod
    def _halfwidths(errors: list[np.ndarray], gaps: np.ndarray, horizon: int, coverage: float) -> np.ndarray:
        """Half-widths (horizon, n_series), each series' errors taken from the steps after its gap."""
        return np.column_stack(
            [conformal_halfwidth(e, coverage, _MIN_CALIBRATION_ERRORS)[g : g + horizon] for e, g in zip(errors, gaps)]
        )

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        point = self._predict(horizon, future)
        half = self._halfwidths(*self._errors_after_gaps(horizon), horizon, coverage)
        return point - half, point + half

    def _predict_quantiles(self, horizon: int, levels: np.ndarray, future: np.ndarray) -> np.ndarray:
        # The base class's reading of the intervals, with one forecast and one set of errors for every level.
        point, (errors, gaps) = self._predict(horizon, future), self._errors_after_gaps(horizon)
        out = np.repeat(point[:, :, None], len(levels), axis=2)
        for k, level in enumerate(levels):
            if level != 0.5:
                out[:, :, k] += np.sign(level - 0.5) * self._halfwidths(errors, gaps, horizon, abs(2.0 * level - 1.0))
        return out
