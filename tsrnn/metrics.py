"""Point and interval forecast metrics, and the Diebold-Mariano test.

Every metric takes aligned arrays or pandas objects. Pandas inputs must share
their index (a forecast scored against the wrong dates is a silent bug), and
arrays must have the same shape. Values of several series are pooled.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from tsrnn._validation import InvalidParameterError, check_coverage, check_positive_int, check_quantiles

__all__ = [
    "mae",
    "rmse",
    "mape",
    "smape",
    "mase",
    "coverage",
    "interval_score",
    "pinball_loss",
    "crps",
    "calibration",
    "diebold_mariano",
    "METRICS",
]


def _as_array(values: Any, name: str) -> np.ndarray:
    if isinstance(values, (pd.Series, pd.DataFrame)):
        values = values.to_numpy()
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must hold numbers: {error}") from None
    if array.ndim == 0:
        raise ValueError(f"{name} must be a sequence of values, got a scalar.")
    if array.size == 0:
        raise ValueError(f"{name} is empty.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return array


def _aligned(**named: Any) -> list[np.ndarray]:
    """Convert the arguments to arrays, checking that shapes and pandas indexes agree."""
    names = list(named)
    indexed = [(n, v.index) for n, v in named.items() if isinstance(v, (pd.Series, pd.DataFrame))]
    for other, index in indexed[1:]:
        first, first_index = indexed[0]
        if not index.equals(first_index):
            raise ValueError(f"{other} and {first} have different indexes; align them first.")
    arrays = [_as_array(v, n) for n, v in named.items()]
    for n, a in zip(names[1:], arrays[1:]):
        if a.shape != arrays[0].shape:
            raise ValueError(f"{n} has shape {a.shape} but {names[0]} has shape {arrays[0].shape}.")
    return arrays


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error."""
    y_true, y_pred = _aligned(y_true=y_true, y_pred=y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error."""
    y_true, y_pred = _aligned(y_true=y_true, y_pred=y_pred)
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def mape(y_true: Any, y_pred: Any) -> float:
    """Mean absolute percentage error, in percent: ``100 * mean(|y - f| / |y|)``.

    Raises a ValueError when ``y_true`` holds a zero, where the metric is undefined.
    """
    y_true, y_pred = _aligned(y_true=y_true, y_pred=y_pred)
    if np.any(y_true == 0):
        raise ValueError("y_true contains zeros, where MAPE is undefined; use mae, smape or mase.")
    return float(100.0 * np.mean(np.abs(y_true - y_pred) / np.abs(y_true)))


def smape(y_true: Any, y_pred: Any) -> float:
    """Symmetric MAPE, in percent (0 to 200): ``100 * mean(2 |y - f| / (|y| + |f|))``.

    Terms where both the actual and the forecast are zero count as zero error.
    """
    y_true, y_pred = _aligned(y_true=y_true, y_pred=y_pred)
    denominator = np.abs(y_true) + np.abs(y_pred)
    ratio = np.divide(2.0 * np.abs(y_true - y_pred), denominator, out=np.zeros_like(denominator), where=denominator > 0)
    return float(100.0 * np.mean(ratio))


def naive_scale(y_train: Any, season_length: int = 1) -> float:
    """In-sample MAE of the (seasonal) naive forecast on ``y_train``: the denominator of MASE."""
    y_train = _as_array(y_train, "y_train")
    season_length = check_positive_int(season_length, "season_length")
    if len(y_train) <= season_length:
        raise ValueError(f"y_train has {len(y_train)} values; season_length={season_length} needs more than that.")
    scale = float(np.mean(np.abs(y_train[season_length:] - y_train[:-season_length])))
    if scale == 0:
        raise ValueError("y_train is constant at the season length, so the naive error that scales MASE is zero.")
    return scale


def mase(y_true: Any, y_pred: Any, y_train: Any, season_length: int = 1) -> float:
    """Mean absolute scaled error (Hyndman & Koehler, 2006).

    The MAE of the forecast divided by the in-sample MAE of the naive
    (``season_length=1``) or seasonal naive forecast on ``y_train``. Below 1,
    the forecast beats the in-sample naive forecast.
    """
    return mae(y_true, y_pred) / naive_scale(y_train, season_length)


def coverage(y_true: Any, lower: Any, upper: Any) -> float:
    """Fraction of observations inside ``[lower, upper]``."""
    y_true, lower, upper = _aligned(y_true=y_true, lower=lower, upper=upper)
    return float(np.mean((y_true >= lower) & (y_true <= upper)))


def interval_score(y_true: Any, lower: Any, upper: Any, coverage: float) -> float:
    """Mean interval (Winkler) score of central intervals with nominal ``coverage``.

    ``(u - l) + (2 / a) (l - y) 1{y < l} + (2 / a) (y - u) 1{y > u}`` with
    ``a = 1 - coverage`` (Gneiting & Raftery, 2007); lower is better.
    """
    coverage = check_coverage(coverage)
    y_true, lower, upper = _aligned(y_true=y_true, lower=lower, upper=upper)
    alpha = 1.0 - coverage
    below = (lower - y_true) * (y_true < lower)
    above = (y_true - upper) * (y_true > upper)
    return float(np.mean((upper - lower) + 2.0 / alpha * (below + above)))


def _quantile_inputs(y_true: Any, y_quantiles: Any, quantiles: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observations (n,), quantile forecasts (n, k) and their levels (k,), checked against each other."""
    levels = np.asarray(check_quantiles(quantiles) if np.ndim(quantiles) == 0 else quantiles, dtype=float)
    if levels.ndim != 1 or not np.all((levels > 0) & (levels < 1)) or np.any(np.diff(levels) <= 0):
        raise InvalidParameterError(f"quantiles must be increasing levels in (0, 1); got {quantiles!r}.")
    y = _as_array(y_true, "y_true").reshape(-1)
    forecasts = _as_array(y_quantiles, "y_quantiles")
    forecasts = forecasts.reshape(len(y), -1) if forecasts.size == len(y) * len(levels) else forecasts
    if forecasts.shape != (len(y), len(levels)):
        raise ValueError(
            f"y_quantiles has shape {forecasts.shape}; it needs one row per observation and one column per "
            f"level: ({len(y)}, {len(levels)})."
        )
    return y, forecasts, levels


def pinball_loss(y_true: Any, y_quantiles: Any, quantiles: Any) -> float:
    """Mean pinball (quantile) loss over observations and levels.

    ``max(q (y - f_q), (q - 1) (y - f_q))`` for each level ``q``; lower is better.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        The observations.
    y_quantiles : array-like of shape (n, k)
        The forecast quantiles, one column per level.
    quantiles : array-like of shape (k,)
        The increasing levels in (0, 1).
    """
    y, forecasts, levels = _quantile_inputs(y_true, y_quantiles, quantiles)
    difference = y[:, None] - forecasts
    return float(np.mean(np.maximum(levels * difference, (levels - 1.0) * difference)))


def crps(y_true: Any, y_quantiles: Any, quantiles: Any) -> float:
    """Continuous ranked probability score from forecast quantiles, averaged over observations.

    Twice the mean pinball loss over the levels: the quantile form of the
    CRPS (Gneiting & Raftery, 2007), which approximates the integral over all
    levels when they are evenly spread (e.g. 0.05, 0.10, ..., 0.95). It is the
    score ``scoringrules.crps_quantile`` computes, and has the units of ``y``;
    lower is better.
    """
    return 2.0 * pinball_loss(y_true, y_quantiles, quantiles)


def calibration(y_true: Any, y_quantiles: Any, quantiles: Any) -> pd.DataFrame:
    """Empirical against nominal: the fraction of observations at or below each forecast quantile.

    Returns
    -------
    pd.DataFrame
        Indexed by ``quantile`` (the nominal level), with ``empirical`` (the
        observed fraction below) and ``gap`` (empirical minus nominal). A
        calibrated forecast has gaps near zero at every level.
    """
    y, forecasts, levels = _quantile_inputs(y_true, y_quantiles, quantiles)
    empirical = np.mean(y[:, None] <= forecasts, axis=0)
    return pd.DataFrame({"empirical": empirical, "gap": empirical - levels}, index=pd.Index(levels, name="quantile"))


def diebold_mariano(errors_a: Any, errors_b: Any, horizon: int = 1, power: int = 2) -> tuple[float, float]:
    """Diebold-Mariano test that two forecasts are equally accurate.

    Uses the small-sample correction of Harvey, Leybourne & Newbold (1997) and
    a Student t distribution with ``n - 1`` degrees of freedom. The long-run
    variance sums the autocovariances up to lag ``horizon - 1``; when that sum
    is not positive (possible for long horizons) Bartlett weights are used.

    Parameters
    ----------
    errors_a, errors_b : array-like of shape (n,)
        Forecast errors of the two forecasts, on the same targets, in time order.
    horizon : int, default=1
        The forecast horizon; the loss differential's autocovariances up to
        lag ``horizon - 1`` enter the variance.
    power : int, default=2
        Loss ``|e| ** power``: 2 for squared, 1 for absolute error.

    Returns
    -------
    statistic : float
        Negative when forecast A has the smaller loss.
    p_value : float
        Two-sided p-value. NaN when the loss differential is constant.
    """
    a, b = _aligned(errors_a=errors_a, errors_b=errors_b)
    d = np.abs(a.ravel()) ** power - np.abs(b.ravel()) ** power
    n = len(d)
    if n < 3:
        raise ValueError(f"the Diebold-Mariano test needs at least 3 errors, got {n}.")
    mean = d.mean()
    centred = d - mean
    autocovariances = [np.dot(centred[lag:], centred[: n - lag]) / n for lag in range(min(horizon, n))]
    variance = autocovariances[0] + 2.0 * sum(autocovariances[1:])
    if variance <= 0:
        # The truncated sum can turn negative for long horizons; Bartlett weights
        # (Newey-West) keep the long-run variance positive.
        variance = autocovariances[0] + 2.0 * sum(
            (1.0 - lag / horizon) * gamma for lag, gamma in enumerate(autocovariances[1:], start=1)
        )
    if variance <= 0:
        return math.nan, math.nan
    statistic = mean / math.sqrt(variance / n)
    correction = math.sqrt((n + 1 - 2 * horizon + horizon * (horizon - 1) / n) / n)
    statistic *= correction
    p_value = 2.0 * stats.t.sf(abs(statistic), df=n - 1)
    return float(statistic), float(p_value)


#: Point metrics by name, as used by ``backtest`` and ``compare``.
METRICS = {"mae": mae, "rmse": rmse, "mape": mape, "smape": smape}
