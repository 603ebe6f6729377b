"""Putting a user's series on a regular time axis, with its gaps filled or marked."""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd
from pandas.tseries.holiday import AbstractHolidayCalendar

from tsrnn._index import likely_freq, missing_weekdays
from tsrnn._validation import InvalidParameterError, Options

__all__ = ["regularize"]

_FILLS = Options("interpolate", "ffill", None)


def _holiday_grid(index: pd.Index, freq: Any, holidays: Any, name: str) -> tuple[pd.DatetimeIndex, Any]:
    """Business days from the first to the last date that skip ``holidays``, and the custom business day."""
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"holidays needs {name} on a DatetimeIndex of days, got {type(index).__name__}.")
    offset = None if freq is None else pd.tseries.frequencies.to_offset(freq)
    if offset is not None and (offset.rule_code not in ("B", "C") or offset.n != 1):
        raise InvalidParameterError(
            f"holidays are skipped on business days; freq must be None, 'B' or 'C' with holidays, got {freq!r}."
        )
    if (index != index.normalize()).any():
        first = index[index != index.normalize()][0]
        raise ValueError(f"holidays needs {name} on whole days; it has the time {first}.")
    weekend = index[index.day_of_week >= 5]
    if len(weekend):
        raise ValueError(
            f"holidays needs {name} on weekdays only (business days); it has {len(weekend)} date(s) on a weekend, "
            f"the first {weekend[0]:%Y-%m-%d} (a {weekend[0]:%A}). Use freq='D' for data every day."
        )
    if isinstance(holidays, str) and holidays == "missing":
        missing, longest, holiday_like = missing_weekdays(index)
        if not holiday_like:
            warnings.warn(
                f"regularize({name}): {len(missing)} weekday(s) missing, up to {longest} in a row, are more than a "
                f"market's holidays; they are skipped as holidays all the same (freq='B' with fill='ffill' carries "
                "the values over them instead).",
                UserWarning,
                stacklevel=3,
            )
        offset = pd.offsets.CustomBusinessDay(holidays=list(missing))
    elif isinstance(holidays, AbstractHolidayCalendar):
        offset = pd.offsets.CustomBusinessDay(calendar=holidays)
    else:
        one = isinstance(holidays, str | pd.Timestamp) or hasattr(holidays, "year") and not hasattr(holidays, "__len__")
        try:
            days = pd.DatetimeIndex(pd.to_datetime([holidays] if one else list(holidays)))
        except (TypeError, ValueError) as error:
            raise InvalidParameterError(
                "holidays must be 'missing', a list of dates or a pandas holiday calendar (e.g. "
                f"pandas.tseries.holiday.USFederalHolidayCalendar()); got {holidays!r} ({error})."
            ) from None
        offset = pd.offsets.CustomBusinessDay(holidays=list(days.normalize()))
    grid = pd.date_range(index[0], index[-1], freq=offset)
    return grid, grid.freq


def _grid(index: pd.Index, freq: Any, name: str) -> tuple[pd.Index, Any]:
    """The regular index from the first to the last timestamp, and the frequency it uses."""
    if isinstance(index, pd.PeriodIndex):
        freq = index.freq if freq is None else freq
        return pd.period_range(index[0], index[-1], freq=freq), freq
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(
            f"{name} must have a DatetimeIndex or a PeriodIndex to be regularised, got {type(index).__name__}; "
            f"convert dates with {name}.index = pd.to_datetime({name}.index)."
        )
    if freq is None:
        inferred = pd.DatetimeIndex(index, freq="infer").freq if len(index) >= 3 else None
        freq = index.freq or inferred or likely_freq(index)
    if freq is None:
        raise ValueError(
            f"cannot infer the frequency of {name} from {len(index)} timestamps; pass freq, e.g. freq='D'."
        )
    try:
        grid = pd.date_range(index[0], index[-1], freq=freq)
    except (ValueError, TypeError) as error:
        raise InvalidParameterError(
            f"freq must be a pandas frequency such as 'D', 'W-SUN' or 'MS'; got {freq!r} ({error})."
        ) from None
    return grid, grid.freq


def regularize(
    y: Any, freq: Any = None, fill: str | None = "interpolate", *, holidays: Any = None, name: str = "y"
) -> Any:
    """Put a series on a regular frequency and fill (or mark) the periods it lacks.

    Parameters
    ----------
    y : pd.Series or pd.DataFrame
        Observations on a DatetimeIndex (or a PeriodIndex with gaps), possibly
        unsorted, with missing timestamps or missing values.
    freq : str or pd.DateOffset, optional
        The frequency of the result. Inferred when omitted: the index's own,
        else the one pandas infers, else the most common step between
        timestamps (a weekly series with a few missing weeks stays weekly).
    fill : {"interpolate", "ffill", None}, default="interpolate"
        How to fill missing values (added periods and NaN already there):
        linear interpolation in time, the last observed value carried forward
        (both only between observed values: a series of a panel that starts
        late or ends early is not extended),
        or None to leave NaN for a forecaster that handles missing values (the
        recurrent and regression forecasters train around them).
    holidays : "missing", list of dates or pandas holiday calendar, optional
        Put daily data of weekdays (prices) on business days that skip
        holidays: the result's frequency is a ``CustomBusinessDay``, so
        nothing is filled on those days and forecasts step over them.
        ``"missing"`` takes the weekdays ``y`` lacks as its holidays (nothing
        is added; forecasts beyond the last date know no future holidays); a
        list of dates or a calendar such as
        ``pandas.tseries.holiday.USFederalHolidayCalendar()`` names them,
        the future ones included, and other weekdays ``y`` lacks are added
        and filled. ``freq`` must then be None, ``"B"`` or ``"C"``.
    name : str, default="y"
        The argument name used in messages.

    Returns
    -------
    pd.Series or pd.DataFrame
        A new object on the regular index; ``result.attrs["regularize"]``
        records the frequency, the periods added, the values filled and
        whether the index was sorted. A warning says the same when anything
        was added or filled. ``y`` itself is never changed.

    Raises
    ------
    ValueError
        For duplicated timestamps (aggregate them first), or timestamps that
        fall between the periods of ``freq`` (resample instead).

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.Series([1.0, 2.0, 4.0], index=pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-04"]))
    >>> regularize(y).tolist()  # doctest: +SKIP
    [1.0, 2.0, 3.0, 4.0]

    Prices on weekdays, closed on some of them:

    >>> days = pd.bdate_range("2024-12-02", "2025-01-31").drop(pd.to_datetime(["2024-12-25", "2025-01-01"]))
    >>> prices = pd.Series(range(len(days)), index=days, dtype=float)
    >>> regularize(prices, holidays="missing").index.freqstr
    'C'
    """
    if not isinstance(y, (pd.Series, pd.DataFrame)):
        raise TypeError(f"{name} must be a pandas Series or DataFrame, got {type(y).__name__}.")
    if not _FILLS(fill):
        raise InvalidParameterError(f"fill must be 'interpolate', 'ffill' or None; got {fill!r}.")
    if len(y) == 0:
        raise ValueError(f"{name} is empty.")
    frame = y.to_frame() if isinstance(y, pd.Series) else y
    for column, dtype in frame.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise TypeError(f"{name} must hold numbers; column {column!r} has dtype {dtype}.")
    if y.index.has_duplicates:
        first = y.index[y.index.duplicated()][0]
        raise ValueError(
            f"{name} has the timestamp {first} more than once; aggregate first, e.g. {name}.groupby(level=0).mean()."
        )
    was_sorted = y.index.is_monotonic_increasing
    ordered = y if was_sorted else y.sort_index()
    if holidays is None:
        grid, used = _grid(ordered.index, freq, name)
    else:
        grid, used = _holiday_grid(ordered.index, freq, holidays, name)
    off_grid = ordered.index.difference(grid)
    if len(off_grid) and holidays is not None:
        raise ValueError(
            f"{len(off_grid)} date(s) of {name} fall on the holidays given (first {off_grid[0]:%Y-%m-%d}): {name} "
            "has values on them, so they are not its holidays. Give only the days it is closed (a country's public "
            "holidays are not a market's: US markets trade on Columbus and Veterans Day), or holidays='missing'."
        )
    if len(off_grid):
        raise ValueError(
            f"{len(off_grid)} timestamp(s) of {name} fall between the periods of freq={getattr(used, 'freqstr', used)!r} "
            f"(first {off_grid[0]}); aggregate to that frequency instead, e.g. {name}.resample('{getattr(used, 'freqstr', used)}').mean()."
        )
    result = ordered.reindex(grid)
    added = len(grid) - len(ordered)
    missing = int(result.isna().to_numpy().sum())
    if fill == "interpolate":
        method = "time" if isinstance(grid, pd.DatetimeIndex) else "linear"
        result = result.interpolate(method=method, limit_area="inside")
    elif fill == "ffill":  # not past a series' last value: a panel's series that ends early stays ended
        result = result.ffill(limit_area="inside")
    filled = missing - int(result.isna().to_numpy().sum())
    report = {"freq": grid.freqstr, "added": added, "filled": filled, "sorted": not was_sorted}
    if holidays is not None:
        report["holidays"] = len(pd.bdate_range(grid[0], grid[-1])) - len(grid)
    result.attrs = {**y.attrs, "regularize": report}
    if added or filled or not was_sorted:
        what = f"{added} missing period(s) added at frequency {report['freq']!r}"
        what += f", {filled} value(s) filled by {fill}" if fill else f", {missing} value(s) left missing"
        what += ", the index sorted" if not was_sorted else ""
        warnings.warn(f"regularize({name}): {what}.", UserWarning, stacklevel=2)
    return result
