"""Panels of many series: the long format (one row per series and timestamp) and the wide one tsrnn fits.

Forecasters take a wide DataFrame, one column per series; series may start
late or end early (leading and trailing missing values), which the recurrent
and regression forecasters train around. ``from_long`` turns the long format
of the Nixtla and darts world (``unique_id``, ``ds``, ``y``) into that shape;
``to_long`` turns forecasts, intervals and quantiles back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["from_long", "to_long"]


def from_long(df: pd.DataFrame, id_col: str = "unique_id", time_col: str = "ds", value_col: str = "y") -> pd.DataFrame:
    """A long table of many series as a wide DataFrame, one column per series.

    Parameters
    ----------
    df : pd.DataFrame
        One row per series and timestamp.
    id_col, time_col, value_col : str
        The columns naming the series, the timestamp (dates, periods or
        integer steps) and the value.

    Returns
    -------
    pd.DataFrame
        Indexed by every timestamp of any series (sorted), one column per
        series (in order of first appearance); NaN where a series has no row,
        e.g. before it starts or after it ends. ``attrs["long"]`` keeps the
        column names for :func:`to_long`.

    Raises
    ------
    ValueError
        For a missing column or a series with the same timestamp twice.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame in long format, got {type(df).__name__}.")
    missing = [c for c in (id_col, time_col, value_col) if c not in df.columns]
    if missing:
        raise ValueError(
            f"df has no column {missing[0]!r}; it has {list(df.columns)} (set id_col, time_col and value_col)."
        )
    twice = df.duplicated(subset=[id_col, time_col])
    if twice.any():
        row = df.loc[twice].iloc[0]
        raise ValueError(
            f"series {row[id_col]!r} has the timestamp {row[time_col]} more than once; aggregate it first, "
            f"e.g. df.groupby([{id_col!r}, {time_col!r}], as_index=False)[{value_col!r}].mean()."
        )
    times = df[time_col]
    # Dates read from a file are text: object dtype, or pandas' string dtype since pandas 3.
    if times.dtype == object or pd.api.types.is_string_dtype(times.dtype):
        try:
            times = pd.to_datetime(times)
        except (ValueError, TypeError):
            bad = times[pd.to_datetime(times, errors="coerce", format="mixed").isna() & times.notna()]
            example = f" (e.g. {bad.iloc[0]!r}, row {bad.index[0]})" if len(bad) else ""
            raise ValueError(f"column {time_col!r} of df holds text that does not read as dates{example}.") from None
    order = list(pd.unique(df[id_col]))
    wide = pd.DataFrame(
        {time_col: times.to_numpy(), id_col: df[id_col].to_numpy(), value_col: df[value_col].to_numpy()}
    )
    wide = wide.pivot(index=time_col, columns=id_col, values=value_col).sort_index()[order]
    wide.columns.name = None
    index = wide.index
    if isinstance(index, pd.DatetimeIndex) and len(index) >= 3:
        inferred = pd.DatetimeIndex(index, freq="infer").freq
        wide.index = pd.DatetimeIndex(index, freq=inferred) if inferred is not None else index
    wide.attrs["long"] = {"id_col": id_col, "time_col": time_col, "value_col": value_col}
    return wide


def to_long(wide: Any, id_col: str = "unique_id", time_col: str = "ds", value_col: str = "y") -> pd.DataFrame:
    """A wide table of many series (values, forecasts, intervals or quantiles) in long format.

    Parameters
    ----------
    wide : pd.DataFrame or pd.Series
        One column per series (a Series is one series, named by its name), or
        the column MultiIndex ``(series, field)`` that ``predict_interval``
        and ``predict_quantiles`` return for several series.
    id_col, time_col, value_col : str
        Names of the output columns. With a column MultiIndex, the fields
        (``lower``/``upper``, or the quantile levels) become columns instead
        of ``value_col``.

    Returns
    -------
    pd.DataFrame
        One row per series and timestamp, ordered by series then time.
        Rows where every value is missing (the padding of ragged series) are
        left out, so a panel read with :func:`from_long` comes back as it was.
    """
    if isinstance(wide, pd.Series):
        wide = wide.to_frame(name=wide.name if wide.name is not None else value_col)
    if not isinstance(wide, pd.DataFrame):
        raise TypeError(f"wide must be a pandas DataFrame or Series, got {type(wide).__name__}.")
    frame = wide.copy()
    frame.index.name = time_col
    if isinstance(frame.columns, pd.MultiIndex):
        stacked = frame.stack(level=0, future_stack=True)
        stacked.index.names = [time_col, id_col]
        stacked.columns = [str(c) if not isinstance(c, float) else c for c in stacked.columns]
        long = stacked.dropna(how="all").reset_index()
    else:
        long = frame.melt(ignore_index=False, var_name=id_col, value_name=value_col).dropna(subset=[value_col])
        long = long.reset_index()
    order = {name: k for k, name in enumerate(dict.fromkeys(wide.columns.get_level_values(0)))}
    long = long.sort_values([id_col, time_col], key=lambda c: c.map(order) if c.name == id_col else c, kind="stable")
    return long[[id_col, time_col, *[c for c in long.columns if c not in (id_col, time_col)]]].reset_index(drop=True)
