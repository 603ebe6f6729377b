"""The quantile head of the recurrent forecasters (``loss="quantile"``): its levels and its forecasts.

The network emits, for every output step, the quantiles of the step's target
at the trained levels (a median and cumulated positive increments, see
``network``). For a differenced series the target of step k is the change
over k steps from the last observation, so its quantiles are those of the
level after integration. Here: which levels are trained, the median steps
fed back by recursive forecasts, and the spread of the quantiles around the
median at any step (beyond the trained horizon it grows like ``sqrt(step)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tsrnn._validation import Satisfies, is_real

__all__ = [
    "DEFAULT_QUANTILES",
    "LEVELS_RULE",
    "are_levels",
    "head_levels",
    "median_steps",
    "around_median",
    "spread_at",
]

#: The levels a quantile head trains when ``quantiles`` is None: the bounds of the central 50, 80, 90 and 95%
#: intervals and the median.
DEFAULT_QUANTILES = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.975)


def are_levels(value: Any) -> bool:
    """Whether ``value`` is a sequence of strictly increasing levels in (0, 1) with one besides 0.5."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        return False
    levels = list(value)
    if not levels or not all(is_real(q) and 0.0 < float(q) < 1.0 for q in levels):
        return False
    return bool(np.all(np.diff(np.asarray(levels, dtype=float)) > 0)) and any(float(q) != 0.5 for q in levels)


#: The parameter rule of ``quantiles``.
LEVELS_RULE = Satisfies(are_levels, "a sequence of strictly increasing levels in (0, 1), e.g. (0.1, 0.5, 0.9)")


def head_levels(quantiles: Any) -> tuple[float, ...]:
    """The levels a head trains: ``quantiles`` (or the defaults) with the median added, ascending."""
    given = DEFAULT_QUANTILES if quantiles is None else quantiles
    return tuple(sorted({float(q) for q in given} | {0.5}))


def median_steps(outputs: np.ndarray, median: int, cumulative: np.ndarray) -> np.ndarray:
    """The median of each step (n, steps) from a head's outputs (n, steps, n_levels), as model values.

    Rows flagged ``cumulative`` hold changes over 1 .. k steps; their
    per-step values (what differencing undoes, what recursion feeds back)
    are the differences of consecutive medians.
    """
    centre = outputs[:, :, median]
    steps = np.diff(centre, axis=1, prepend=0.0)
    return np.where(np.asarray(cumulative, dtype=bool)[:, None], steps, centre)


def spread_at(spread: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """The quantiles' distance from the median at the 0-based ``steps`` (n, h) of each row.

    Parameters
    ----------
    spread : np.ndarray of shape (n, outputs, n_levels)
        Quantile minus median at each trained step.
    steps : np.ndarray of int, shape (n, h)
        The steps wanted per row.

    Returns
    -------
    np.ndarray of shape (n, h, n_levels)
        The trained spread for steps within the trained horizon; beyond it
        the last trained step's, times ``sqrt((step + 1) / outputs)``, the
        growth of a random walk's quantiles (the rule conformal half-widths
        follow beyond their calibrated steps).
    """
    outputs = spread.shape[1]
    rows = np.arange(len(spread))[:, None]
    base = spread[rows, np.minimum(steps, outputs - 1)]
    growth = np.sqrt(np.maximum(steps + 1, outputs) / outputs)
    return base * growth[:, :, None]


def around_median(
    point: np.ndarray, outputs: np.ndarray, median: int, scale: np.ndarray, gaps: np.ndarray
) -> np.ndarray:
    """Quantiles (horizon, n_series, n_levels): the median forecasts plus the head's spread in the original units.

    Parameters
    ----------
    point : np.ndarray of shape (horizon, n_series)
        The median forecasts (what ``predict`` returns).
    outputs : np.ndarray of shape (n_series, steps, n_levels)
        One forward pass of the head at each series' last observation, scaled.
    median : int
        The position of 0.5 among the levels.
    scale : np.ndarray of shape (n_series,)
        The scaler's standard deviations: differences of scaled quantiles
        times the scale are differences in the original units, for levels
        and for changes alike.
    gaps : np.ndarray of int, shape (n_series,)
        Periods since each series' last observation: the forecast steps are
        steps ``gap + 1 .. gap + horizon`` after it.
    """
    spread = (outputs - outputs[:, :, median, None]) * scale[:, None, None]
    offsets = spread_at(spread, gaps[:, None] + np.arange(len(point))[None, :])
    return point[:, :, None] + offsets.transpose(1, 0, 2)
