"""Settings that follow the data: a horizon for each frequency and as many cutoffs as the series holds.

A comparison on hourly data should look a day ahead, on monthly data a year;
a series of one year cannot hold 52 weekly cutoffs with a long training set
before them. :func:`default_plan` fills in whatever of horizon, step and
initial the user left out, and says in words what it chose and why, so that a
report can state it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tsrnn._validation import InvalidParameterError

__all__ = [
    "DEFAULT_HORIZONS",
    "DEFAULT_LOOKBACKS",
    "FREQUENCY_WORDS",
    "MAX_CUTOFFS",
    "Plan",
    "default_calendar",
    "default_horizon",
    "default_max_lags",
    "default_plan",
    "default_window",
    "frequency_code",
]

#: Periods forecast by default, per frequency code, with the span they cover.
DEFAULT_HORIZONS: dict[str, tuple[int, str]] = {
    "min": (60, "an hour of minutes"),
    "h": (24, "a day of hours"),
    "D": (7, "a week of days"),
    "B": (5, "a week of business days"),
    "C": (5, "a week of business days"),
    "W": (4, "four weeks"),
    "SM": (4, "two months of half-months"),
    "M": (12, "a year of months"),
    "Q": (4, "a year of quarters"),
    "Y": (5, "five years"),
}
_ALIASES = {"ME": "M", "MS": "M", "BM": "M", "BME": "M", "BMS": "M", "CBMS": "M", "QE": "Q", "QS": "Q", "BQ": "Q",
            "BQE": "Q", "BQS": "Q", "YE": "Y", "YS": "Y", "A": "Y", "AS": "Y", "BA": "Y", "BY": "Y", "BYE": "Y",
            "BYS": "Y", "H": "h", "T": "min", "SMS": "SM", "SME": "SM", "CBH": "h", "BH": "h"}  # fmt: skip

#: Past periods a model reads by default, per frequency code: about two cycles of the season where one
#: exists (two days of hours, two years of months or quarters), a month of days, a decade of years.
DEFAULT_LOOKBACKS: dict[str, int] = {"min": 120, "h": 48, "D": 30, "B": 30, "C": 30, "W": 104, "SM": 48, "M": 24,
                                     "Q": 8, "Y": 10}  # fmt: skip

#: Calendar features that describe the cycles of each frequency (their sine and cosine enter the networks).
DEFAULT_CALENDARS: dict[str, list[str]] = {"min": ["minute", "hour"], "h": ["hour", "dayofweek"],
                                           "D": ["dayofweek", "dayofyear"], "B": ["dayofweek", "dayofyear"],
                                           "C": ["dayofweek", "dayofyear"], "W": ["weekofyear"], "SM": ["month"],
                                           "M": ["month"], "Q": ["quarter"], "Y": []}  # fmt: skip

#: A frequency code in words, for the reasons a report gives.
FREQUENCY_WORDS: dict[str, str] = {"min": "minutely", "h": "hourly", "D": "daily", "B": "business-day",
                                   "C": "business-day (with holidays)", "W": "weekly", "SM": "half-monthly",
                                   "M": "monthly", "Q": "quarterly", "Y": "yearly"}  # fmt: skip

#: The most cutoffs a default plan uses (a year of weekly cutoffs).
MAX_CUTOFFS = 52


@dataclass
class Plan:
    """Horizon, step and first training length of a walk-forward backtest, and why.

    Attributes
    ----------
    horizon, step : int
        Periods forecast at each cutoff, and periods between cutoffs.
    initial : int or timestamp or None
        The first training length, as given or chosen.
    chosen : dict of str -> str
        For each setting the user left out, what was chosen and why, in words.
    """

    horizon: int
    step: int | None
    initial: Any
    chosen: dict[str, str] = field(default_factory=dict)


def frequency_code(freq: Any) -> str | None:
    """The base code of a pandas offset: ``'W-SUN'`` -> ``'W'``, ``'MS'`` -> ``'M'``, ``'YS-JAN'`` -> ``'Y'``.

    None for an integer index, for no frequency, and for multiples such as
    ``'2h'`` (whose cycles the tables here do not describe).
    """
    if freq is None or isinstance(freq, int) or getattr(freq, "n", 1) != 1:
        return None
    if isinstance(freq, str):
        try:
            freq = pd.tseries.frequencies.to_offset(freq)
        except ValueError:
            return None
        if freq.n != 1:
            return None
    code = str(getattr(freq, "rule_code", freq)).split("-")[0]
    return _ALIASES.get(code, code)


def default_window(freq: Any, n: int, default: int = 30) -> tuple[int, str]:
    """The lookback of a window forecaster for ``n`` training observations at frequency ``freq``, and why.

    The frequency's :data:`DEFAULT_LOOKBACKS` (``default`` for an integer
    index or an unusual frequency), shortened to a quarter of the training
    observations so that a short series still gives the network (and its
    linear part) enough windows to learn from: at least three quarters of
    the series are targets.

    Parameters
    ----------
    freq : pandas offset, int or None
        The index's frequency.
    n : int
        Observations of the first training set.
    default : int, default=30
        The lookback where the frequency implies none.

    Returns
    -------
    window : int
    reason : str
    """
    code = frequency_code(freq)
    base = _lookback(code, default)
    limit = max(2, n // 4)
    if base <= limit:
        why = f"the default for {_words(code)} data" if code in DEFAULT_LOOKBACKS else "the default"
        return base, f"{base} ({why})"
    return (
        limit,
        f"{limit} (a quarter of the {n} training observations; {base} is the default for {_words(code) if code else 'this'} data)",
    )


def default_max_lags(freq: Any, n: int, default: int = 30) -> int:
    """The largest order an AR order search considers for ``n`` observations at frequency ``freq``.

    The frequency's lookback (:data:`DEFAULT_LOOKBACKS`: two seasons of
    weekly, monthly and quarterly data, a decade of years), at most a fifth
    of the observations, so that the criterion compares models fitted on
    enough data (with 24 lags on 50 observations AIC prefers the model that
    interpolates).
    """
    return int(max(1, min(_lookback(frequency_code(freq), default), n // 5)))


def _lookback(code: str | None, default: int) -> int:
    """The frequency's :data:`DEFAULT_LOOKBACKS`, or ``default`` where it implies none."""
    return DEFAULT_LOOKBACKS.get(code, default)


def _words(code: str | None) -> str:
    """A frequency code in words (:data:`FREQUENCY_WORDS`), the code itself where none are written."""
    return FREQUENCY_WORDS.get(code, str(code))


def default_calendar(freq: Any) -> list[str]:
    """The calendar features of a frequency's cycles (:data:`DEFAULT_CALENDARS`); none for yearly or integer data."""
    return list(DEFAULT_CALENDARS.get(frequency_code(freq), []))


def default_horizon(freq: Any) -> tuple[int, str]:
    """The default horizon of a frequency and the span it covers, e.g. ``(7, "a week of days")``.

    Raises
    ------
    InvalidParameterError
        Naming ``horizon`` when the frequency implies none (an integer index,
        or a multiple such as ``"2h"``), so the user passes it.
    """
    code = frequency_code(freq)
    if code not in DEFAULT_HORIZONS:
        raise InvalidParameterError(
            f"pass horizon (periods forecast at each cutoff): the index's frequency {freq!r} implies no default."
        )
    return DEFAULT_HORIZONS[code]


def default_plan(
    n: int,
    freq: Any,
    horizon: int | None = None,
    step: int | None = None,
    initial: Any = None,
    shortest: int | None = None,
) -> Plan:
    """Fill in the horizon, step and first training length that were not given.

    The horizon follows the frequency (:data:`DEFAULT_HORIZONS`), the step is
    the horizon (test windows that tile the last part of the series), and
    ``initial`` is chosen so that there are as many cutoffs as fit while the
    first training set keeps at least half the series, up to
    :data:`MAX_CUTOFFS`. In a ragged panel, that is half of the shortest
    series (``shortest``), so a series that starts late is trained on at
    least half its observations too.

    Parameters
    ----------
    n : int
        Length of the series (of the index of a panel).
    freq : pandas offset, int or None
        The index's frequency (an int for an integer index).
    horizon, step, initial : optional
        What the user gave; None is filled in.
    shortest : int, optional
        Observations from the first value of the latest-starting series to
        the end; ``n`` by default.

    Returns
    -------
    Plan
    """
    chosen = {}
    if horizon is None:
        horizon, span = default_horizon(freq)
        chosen["horizon"] = f"{horizon} ({span}, the default for {_words(frequency_code(freq))} data)"
    if initial is None:
        stride = step or horizon
        span = n if shortest is None else min(int(shortest), n)
        cutoffs = max(1, min(MAX_CUTOFFS, (span - span // 2 - horizon) // stride + 1))
        initial = n - horizon - stride * (cutoffs - 1)
        whose = f"the {n} observations" if span == n else f"the {span} observations of the shortest series"
        chosen["cutoffs"] = (
            f"{cutoffs}: as many as fit every {stride} periods while the first training set keeps at least half of "
            f"{whose}, up to {MAX_CUTOFFS}"
        )
    return Plan(int(horizon), step, initial, chosen)
