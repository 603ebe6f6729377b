"""Index arithmetic: which indexes are regular, the periods after a cutoff, the season a frequency implies.

Three index forms hold a regular series: a DatetimeIndex with a frequency
(time-zone aware or not, business days with holidays through a custom
business-day frequency), a PeriodIndex (annual, quarterly, monthly data as
pandas holds them) and an integer index with a constant step.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["check_index", "future_index", "season_length_for", "likely_freq", "take_rows"]

# Seasonal period implied by a frequency: the cycle users of that frequency mean.
_SEASON_BY_FREQ = {"h": 24, "D": 7, "B": 5, "C": 5, "W": 52, "M": 12, "MS": 12, "ME": 12, "Q": 4, "QS": 4, "QE": 4}


def future_index(last: Any, freq: Any, horizon: int) -> pd.Index:
    """The ``horizon`` timestamps that follow ``last`` at frequency ``freq``.

    Parameters
    ----------
    last : pd.Timestamp, pd.Period or int
        The last observed timestamp, period or integer position.
    freq : pd.DateOffset or int
        An offset for timestamps, an integer step for integer indexes.
    horizon : int
        How many periods to return.

    Returns
    -------
    pd.DatetimeIndex, pd.PeriodIndex or pd.RangeIndex
    """
    if isinstance(last, pd.Timestamp):
        return pd.date_range(last, periods=horizon + 1, freq=freq)[1:]
    if isinstance(last, pd.Period):
        return pd.period_range(last + 1, periods=horizon, freq=freq)
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


#: Beyond these, the weekdays a series lacks look like gaps rather than a market's holidays: a sixteenth of the
#: weekdays (about 16 a year, more than the markets that close most), or a run longer than a working week.
HOLIDAY_SHARE, HOLIDAY_RUN = 1 / 16, 5


def missing_weekdays(index: pd.DatetimeIndex) -> tuple[pd.DatetimeIndex, int, bool]:
    """The weekdays between the first and last date that ``index`` lacks, the longest run of them, and whether
    they are few and short enough (:data:`HOLIDAY_SHARE`, :data:`HOLIDAY_RUN`) to be a market's holidays."""
    weekdays = pd.bdate_range(index[0], index[-1])
    present = pd.Series(weekdays.isin(index))
    runs = (~present).groupby(present.cumsum()).sum()
    missing, longest = weekdays[~present.to_numpy()], int(runs.max()) if len(runs) else 0
    return missing, longest, len(missing) <= HOLIDAY_SHARE * len(weekdays) and longest <= HOLIDAY_RUN


def market_holidays(index: pd.DatetimeIndex) -> pd.DatetimeIndex | None:
    """The weekdays a series of whole weekdays lacks, where they can be a market's holidays; None otherwise
    (times of day, weekend dates, or more or longer gaps than holidays make)."""
    if (index != index.normalize()).any() or (index.day_of_week >= 5).any():
        return None
    missing, _, holiday_like = missing_weekdays(index)
    return missing if holiday_like else None


def likely_freq(index: pd.DatetimeIndex) -> str | None:
    """The frequency most runs of three consecutive timestamps follow, or None if none does.

    A weekly series with a few missing weeks is still weekly ('W-SUN'), a
    monthly one 'MS' or 'ME': the answer pandas gives where the data are regular.
    """
    if len(index) < 3:
        return None
    starts = np.unique(np.linspace(0, len(index) - 3, num=min(len(index) - 2, 400)).astype(int))
    answers = [pd.DatetimeIndex(index[i : i + 3], freq="infer").freq for i in starts]
    answers = pd.Series([a.freqstr for a in answers if a is not None], dtype=object)
    if not answers.empty:
        best = str(answers.value_counts().index[0])
        if best == "D" and not (index.day_of_week >= 5).any() and len(index) >= 10:
            return "B"  # weekdays only: business days with holidays, not days with missing weekends
        return best
    step = pd.Series(index[1:] - index[:-1]).mode()[0]  # no regular run: the most common step
    if step % pd.Timedelta(days=1) == pd.Timedelta(0):
        return f"{step.days}D" if step.days > 1 else "D"
    return pd.tseries.frequencies.to_offset(step).freqstr


def _check_order(index: pd.Index, name: str) -> None:
    if index.has_duplicates:
        first = index[index.duplicated()][0]
        raise ValueError(f"{name} has a duplicated value in its index ({first}); aggregate or drop duplicates first.")
    if not index.is_monotonic_increasing:
        raise ValueError(f"{name} has an unsorted index; sort it with {name}.sort_index() first.")


def _datetime_freq(index: pd.DatetimeIndex, name: str) -> Any:
    freq = index.freq
    if freq is None and len(index) >= 3:
        freq = pd.DatetimeIndex(index, freq="infer").freq
    if freq is None:
        guess = likely_freq(index)
        if guess == "B" and market_holidays(index) is not None:  # weekdays only, a few missing: holidays
            raise ValueError(
                f"{name} has weekday dates with some weekdays missing, so no regular frequency; if those are "
                f"holidays (a market closed), tsrnn.regularize({name}, holidays='missing') puts it on business days "
                f"that skip them (or pass the market's closing days as holidays, so the forecasts skip future ones too); "
                f"tsrnn.regularize({name}, freq='B', fill='ffill') carries the values over them instead."
            )
        hint = f"tsrnn.regularize({name}, freq={guess!r})" if guess else f"tsrnn.regularize({name}, freq=...)"
        raise ValueError(
            f"{name} has a DatetimeIndex with no regular frequency (gaps, or uneven steps); put it on one with "
            f"{hint}, which also fills the gaps, or aggregate it to a coarser frequency with {name}.resample(...).mean()."
        )
    return freq


def check_index(index: pd.Index, name: str, known_freq: Any = None) -> tuple[pd.Index, Any]:
    """Return ``index`` with its regular frequency, or raise naming ``name`` and saying how to fix it.

    ``known_freq`` skips frequency inference (new observations for ``update``
    may be too few to infer one; their continuity is checked by the caller).

    Returns
    -------
    index : pd.DatetimeIndex, pd.PeriodIndex or pd.RangeIndex
        The index with its frequency set.
    freq : pd.DateOffset or int
        The frequency: an offset for dates and periods, an integer step otherwise.
    """
    if isinstance(index, pd.DatetimeIndex):
        _check_order(index, name)
        if known_freq is not None:
            return index, known_freq
        freq = _datetime_freq(index, name)
        return pd.DatetimeIndex(index, freq=freq), freq
    if isinstance(index, pd.PeriodIndex):
        _check_order(index, name)
        if len(index) and not index.equals(pd.period_range(index[0], periods=len(index), freq=index.freq)):
            raise ValueError(
                f"{name} has a PeriodIndex with gaps; fill them first, e.g. "
                f"{name}.reindex(pd.period_range({name}.index[0], {name}.index[-1], freq='{index.freqstr}'))."
            )
        return index, index.freq
    if isinstance(index, pd.RangeIndex):
        return index, index.step
    if pd.api.types.is_integer_dtype(index.dtype) and not pd.api.types.is_bool_dtype(index.dtype):
        _check_order(index, name)
        steps = np.diff(index.to_numpy())
        step = int(steps[0]) if len(steps) else 1
        if len(steps) and not np.all(steps == step):
            raise ValueError(f"{name} has an integer index with unequal steps; it must be regular.")
        return pd.RangeIndex(int(index[0]), int(index[0]) + step * len(index), step), step
    raise TypeError(_index_advice(index, name))


def _index_advice(index: pd.Index, name: str) -> str:
    """What to do with an index that holds no regular time axis."""
    kind = f"{type(index).__name__} of dtype {index.dtype}"
    allowed = "a DatetimeIndex, a PeriodIndex or an integer index"
    if pd.api.types.is_float_dtype(index.dtype):
        return (
            f"{name} must be indexed by {allowed}, got a {kind}; if the values are whole numbers (years, steps), "
            f"use {name}.index = {name}.index.astype(int)."
        )
    if pd.api.types.is_object_dtype(index.dtype) or pd.api.types.is_string_dtype(index.dtype):
        return (
            f"{name} must be indexed by {allowed}, got a {kind}; if it holds dates, convert it with "
            f"{name}.index = pd.to_datetime({name}.index) (add dayfirst=True for dd/mm/yyyy)."
        )
    return f"{name} must be indexed by {allowed}, got a {kind}."


def take_rows(data: Any, positions: np.ndarray | slice) -> Any:
    """Rows of a series or covariates (pandas or numpy) by position; None stays None."""
    if data is None:
        return None
    if isinstance(data, (pd.Series, pd.DataFrame)):
        return data.iloc[positions]
    return np.asarray(data)[positions]
