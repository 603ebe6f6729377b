"""Index arithmetic: the periods after a cutoff, and the season a frequency implies."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["future_index", "season_length_for"]

# Seasonal period implied by a frequency: the cycle users of that frequency mean.
_SEASON_BY_FREQ = {"h": 24, "D": 7, "B": 5, "W": 52, "M": 12, "MS": 12, "ME": 12, "Q": 4, "QS": 4, "QE": 4}


def future_index(last: Any, freq: Any, horizon: int) -> pd.Index:
    """The ``horizon`` timestamps that follow ``last`` at frequency ``freq``.

    Parameters
    ----------
    last : pd.Timestamp or int
        The last observed timestamp (or integer position).
    freq : pd.DateOffset or int
        An offset for timestamps, an integer step for integer indexes.
    horizon : int
        How many periods to return.

    Returns
    -------
    pd.DatetimeIndex or pd.RangeIndex
    """
    if isinstance(last, pd.Timestamp):
        return pd.date_range(last, periods=horizon + 1, freq=freq)[1:]
    return pd.RangeIndex(last + freq, last + freq * (horizon + 1), freq)


def season_length_for(freq: Any, name: str = "season_length") -> int:
    """The usual seasonal period of a frequency: 24 for hourly, 7 for daily, 5 for business days...

    Raises a ValueError naming ``name`` when no period is implied (an integer
    index or an unusual offset), so the user can pass it explicitly.
    """
    if not isinstance(freq, int):
        code = freq.rule_code.split("-")[0]
        if code in _SEASON_BY_FREQ and getattr(freq, "n", 1) == 1:
            return _SEASON_BY_FREQ[code]
    raise ValueError(f"cannot infer {name} from the index frequency {freq!r}; pass {name} as an int.")
