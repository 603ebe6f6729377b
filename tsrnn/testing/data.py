"""Small synthetic series for the contract checks, and helpers shared by them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

__all__ = ["synthetic_series", "fresh", "assert_same", "N", "HORIZON"]

N = 160
HORIZON = 5


def synthetic_series(n: int = N, n_series: int = 1, freq: str = "D", seed: int = 0) -> pd.Series | pd.DataFrame:
    """A small positive series with trend, weekly season and autocorrelated noise.

    Parameters
    ----------
    n : int, default=160
        Number of observations.
    n_series : int, default=1
        1 for a Series named ``"y"``; more for a DataFrame with columns ``y0, y1, ...``.
    freq : str, default="D"
        Frequency of the DatetimeIndex, which starts on 2021-01-04 (a Monday).
    seed : int, default=0
        Seed of the noise.

    Returns
    -------
    pd.Series or pd.DataFrame
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n)[:, None]
    noise = np.zeros((n, n_series))
    shocks = rng.normal(scale=0.3, size=(n, n_series))
    for i in range(1, n):
        noise[i] = 0.6 * noise[i - 1] + shocks[i]
    scale = 1.0 + np.arange(n_series)
    values = 10.0 * scale + 0.02 * t + scale * np.sin(2 * np.pi * t / 7) + noise
    index = pd.date_range("2021-01-04", periods=n, freq=freq)
    if n_series == 1:
        return pd.Series(values[:, 0], index=index, name="y")
    return pd.DataFrame(values, index=index, columns=[f"y{j}" for j in range(n_series)])


def fresh(forecaster: Any) -> Any:
    """An unfitted copy, with every ``random_state`` left at None (its own or a wrapped one's) fixed at 0."""
    new = clone(forecaster)
    unset = {k: 0 for k, v in new.get_params().items() if k.split("__")[-1] == "random_state" and v is None}
    return new.set_params(**unset) if unset else new


def assert_same(a: Any, b: Any, what: str, exact: bool = True) -> None:
    a_values = np.asarray(a, dtype=float)
    b_values = np.asarray(b, dtype=float)
    if exact:
        np.testing.assert_array_equal(a_values, b_values, err_msg=what)
    else:
        np.testing.assert_allclose(a_values, b_values, rtol=1e-7, atol=1e-9, err_msg=what)
