"""Prediction intervals: split-conformal half-widths, normal quantiles, quantiles between trained levels."""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["conformal_halfwidth", "normal_quantile", "interpolate_quantiles"]


def normal_quantile(coverage: float) -> float:
    """The standard normal quantile that bounds a central interval of ``coverage``."""
    return float(stats.norm.ppf(0.5 + coverage / 2.0))


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


def interpolate_quantiles(values: np.ndarray, known: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Quantiles at ``levels`` from quantiles at the ``known`` levels, monotone in the level.

    Between two known levels the quantile is linear in the normal score
    ``Phi^-1(level)``, exact for a normal distribution and for any location
    and scale family at the known levels; beyond the outermost known levels
    the outermost segment continues (normal tails at the scale of the
    outermost known quantiles). Known levels are returned unchanged.

    Parameters
    ----------
    values : np.ndarray of shape (..., n_known)
        Quantiles at the known levels, non-decreasing along the last axis.
    known : np.ndarray of shape (n_known,)
        At least two increasing levels in (0, 1).
    levels : np.ndarray of shape (n_levels,)
        The wanted levels in (0, 1).

    Returns
    -------
    np.ndarray of shape (..., n_levels)
    """
    known, levels = np.asarray(known, dtype=float), np.asarray(levels, dtype=float)
    if len(known) < 2:
        raise ValueError(f"interpolating quantiles needs at least two known levels; got {known.tolist()}.")
    z_known, z = stats.norm.ppf(known), stats.norm.ppf(levels)
    left = np.clip(np.searchsorted(z_known, z, side="right") - 1, 0, len(known) - 2)
    weight = (z - z_known[left]) / (z_known[left + 1] - z_known[left])
    out = values[..., left] + weight * (values[..., left + 1] - values[..., left])
    # A level within rounding of a known one ((1 - 0.8) / 2 is not 0.1 in floating point) takes its value.
    nearest = np.abs(levels[:, None] - known[None, :]).argmin(axis=1)
    exact = np.abs(known[nearest] - levels) <= 1e-12
    out[..., exact] = values[..., nearest[exact]]
    return out
