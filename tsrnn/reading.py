"""Reading a user's CSV file into a series on a time index: separators, date forms, gaps.

``read_series`` is what the command line uses for ``--csv``; it is public so
a notebook can read a file the same way. Dates may be full dates or times
(day-first or not, with time-zone offsets that change with daylight saving
time), years, year-months (``2020-01``, ``2020M01``), year-quarters
(``2020Q1``, ``2020 Q1``, ``Q1 2020``), ISO weeks (``2020-W05``) and R's
fractional years (``1949.083``, the time of a monthly ``ts``) as periods,
separate year and month (or quarter, or month and day) columns, a date and a
time-of-day column, or plain integer steps. Files that are not UTF-8 are read
as Windows-1252, the encoding spreadsheets on Windows write. A file in long
format (a column naming the series) is read as a panel.
"""

from __future__ import annotations

import csv
import itertools
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from tsrnn._index import likely_freq, market_holidays
from tsrnn._validation import InvalidParameterError
from tsrnn.panels import from_long
from tsrnn.regularize import regularize

__all__ = ["read_series"]

_SEPARATORS = ",;\t|"
# Periods as text, each with its year and its month, quarter or week: 2020-01 and 2020M01 (as statistics offices
# write months), 2020Q1, 2020 Q1, 2020:Q1 and Q1 2020, and ISO weeks 2020-W05.
_PERIOD_FORMS = (
    (re.compile(r"^(?P<year>\d{4})(?:-|M)(?P<number>\d{1,2})$", re.IGNORECASE), "M"),
    (re.compile(r"^(?P<year>\d{4})[-\s:]?Q(?P<number>[1-4])$", re.IGNORECASE), "Q"),
    (re.compile(r"^Q(?P<number>[1-4])[-\s]?(?P<year>\d{4})$", re.IGNORECASE), "Q"),
    (re.compile(r"^(?P<year>\d{4})-?W(?P<number>\d{2})$", re.IGNORECASE), "W-SUN"),
)
_YEAR = re.compile(r"^\d{4}(\.0*)?$")  # "1700.0" too: pandas writes a float column of years that way
# Names a date column goes by, matched without regard to case when no date column is named.
_DATE_NAMES = ("date", "datetime", "time", "timestamp", "ds", "year", "month", "week", "quarter", "period")


def _option(name: str, cli: bool) -> str:
    return f"--{name.replace('_', '-')}" if cli else f"{name}="


def _sniff(path: Path) -> str:
    """The separator of a CSV file, from its first lines; a comma when nothing else stands out."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        sample = handle.read(8192)
    try:
        return csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        return ","


def _time_index(column: pd.Series, dayfirst: bool, name: str, cli: bool) -> pd.Index:
    """The column as a time index: periods for years, quarters and months, timestamps otherwise."""
    if pd.api.types.is_float_dtype(column.dtype) and (column % 1 == 0).all():
        column = column.astype("int64")  # whole numbers read as floats: years or steps as they were written
    if pd.api.types.is_float_dtype(column.dtype) and (periods := _fractional_years(column)) is not None:
        return periods
    if pd.api.types.is_integer_dtype(column.dtype):
        if column.between(1000, 2999).all():  # four-digit years; other integers are plain steps
            return pd.PeriodIndex(pd.to_datetime(column.astype(str), format="%Y"), freq="Y")
        return pd.Index(column.to_numpy(), name=column.name)
    text = column.astype(str).str.strip()
    if text.str.fullmatch(_YEAR).all():
        return pd.PeriodIndex(pd.to_datetime(text.str[:4], format="%Y"), freq="Y")
    periods = _periods(text)
    if periods is not None:
        return periods
    try:
        stamps = pd.to_datetime(text, dayfirst=dayfirst, format="mixed")
    except (ValueError, TypeError, OverflowError):
        stamps = None
    if stamps is None or stamps.dtype == object:
        # Offsets that change with daylight saving time: one instant each, kept in UTC.
        try:
            stamps = pd.to_datetime(text, dayfirst=dayfirst, format="mixed", utc=True)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(_unreadable_dates(text, name, dayfirst, cli)) from None
    if not dayfirst and _day_first_likely(text):
        raise ValueError(
            f"column {name!r} holds dates like {text.iloc[0]!r} that read differently day-first; pass "
            f"{_option('dayfirst', cli)}{'' if cli else 'True'} if they are dd/mm/yyyy, or write them as YYYY-MM-DD."
        )
    return pd.DatetimeIndex(stamps, name=column.name)


def _fractional_years(column: pd.Series) -> pd.PeriodIndex | None:
    """Years with the month or quarter as a fraction (1949.0, 1949.0833, ...), as R writes the time of a ``ts``:
    monthly or quarterly periods. None for other numbers."""
    values = column.to_numpy(dtype=float)
    if len(values) < 3 or not ((values >= 1000) & (values < 3000)).all():
        return None
    for per_year, freq in ((12, "M"), (4, "Q")):
        steps = np.round(values * per_year)
        if np.allclose(values * per_year, steps, atol=1e-4) and np.all(np.diff(steps) == 1):
            year, part = np.divmod(steps.astype(int), per_year)
            fields = {"year": year, ("month" if freq == "M" else "quarter"): part + 1}
            return pd.PeriodIndex.from_fields(**fields, freq=freq)
    return None


def _periods(text: pd.Series) -> pd.PeriodIndex | None:
    """Months, quarters and ISO weeks written as :data:`_PERIOD_FORMS`, as periods; None for other text."""
    for pattern, freq in _PERIOD_FORMS:
        parts = text.str.extract(pattern)
        if parts.isna().any().any():
            continue
        year, number = parts["year"].astype(int), parts["number"].astype(int)
        if freq == "M" and number.between(1, 12).all():
            return pd.PeriodIndex.from_fields(year=year, month=number, freq="M")
        if freq == "Q":
            return pd.PeriodIndex.from_fields(year=year, quarter=number, freq="Q")
        if freq == "W-SUN":
            try:  # ISO weeks run Monday to Sunday: the period of weeks ending on Sunday
                mondays = pd.to_datetime(year.astype(str) + "-" + number.astype(str) + "-1", format="%G-%V-%u")
            except ValueError:
                return None
            return pd.PeriodIndex(mondays, freq="W-SUN")
    return None


def _unreadable_dates(text: pd.Series, name: str, dayfirst: bool, cli: bool) -> str:
    """The error for a column of dates with entries that are not dates: it names the first such entry and its row,
    since a note below the data (``Source: ...``) is the usual cause."""
    advice = f"write dates as YYYY-MM-DD (or pass {_option('dayfirst', cli)} for dd/mm/yyyy)"
    for position, (label, value) in enumerate(text.items(), start=1):
        # The file's data row: read_csv numbers them from 0, and rows dropped before (empty ones) keep their number.
        row = int(label) + 1 if isinstance(label, int | np.integer) else position
        try:
            pd.to_datetime(value, dayfirst=dayfirst, format="mixed", utc=True)
        except (ValueError, TypeError, OverflowError):
            if position > 1:
                return (
                    f"column {name!r} holds an entry that is not a date in data row {row}: {value!r} (the rows "
                    f"before it read as dates, e.g. {text.iloc[0]!r}); remove such lines from the file, or {advice}."
                )
            break
    return f"column {name!r} does not hold dates this reader understands (first value {text.iloc[0]!r}); {advice}."


#: Separate columns of a date's parts, as a spreadsheet or a statistics office writes them, and the period or
#: date they make together; the largest value of each part but the year.
_DATE_PARTS = ({"year", "month", "day", "hour"}, {"year", "month", "day"}, {"year", "quarter"}, {"year", "month"})
_PART_LIMITS = {"quarter": (1, 4), "month": (1, 12), "day": (1, 31), "hour": (0, 24)}


#: A time of day as loggers and energy exports write it beside the date: 13:00, 13:00:00, or the hour alone.
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
# An interval of the day (00:00 - 01:00, as grid operators export load) is read as its start.
_CLOCK_END = re.compile(r"\s*[-\u2013]\s*\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp]\.?[Mm]\.?)?$")
_CLOCK_12 = re.compile(r"^\d{1,2}(:\d{2}){0,2}\s*[AaPp]\.?[Mm]\.?$")


def _clock_text(column: pd.Series) -> pd.Series:
    """Times of day as text, an interval read as its start."""
    return column.astype(str).str.strip().str.replace(_CLOCK_END, "", regex=True)


def _is_clock(text: pd.Series) -> pd.Series:
    """Which entries of :func:`_clock_text` are times of day, on a 24-hour or a 12-hour clock."""
    return text.str.fullmatch(_CLOCK) | text.str.fullmatch(_CLOCK_12)


def _date_and_time(frame: pd.DataFrame, names: dict) -> list | None:
    """A column of days and a column of times of day (``time`` or ``hour``), when they are the file's only
    date-like columns: read together as timestamps. None otherwise."""
    dated = [n for n in names if n in (*_DATE_NAMES, "day", "hour")]
    clock = [n for n in dated if n in ("time", "hour")]
    days = [n for n in dated if n in ("date", "day")]
    if len(dated) != 2 or len(clock) != 1 or len(days) != 1:
        return None
    times = frame[names[clock[0]]].dropna()
    if pd.api.types.is_numeric_dtype(times.dtype):
        fits = bool(len(times)) and (times % 1 == 0).all() and times.between(0, 24).all()
    else:
        fits = bool(len(times)) and _is_clock(_clock_text(times)).all()
    return [names[days[0]], names[clock[0]]] if fits else None


def _date_parts(frame: pd.DataFrame) -> list | None:
    """The columns of a date's parts (year and month, year and quarter, year, month and day, a date and a time
    of day) when they are the file's only date-like columns and hold whole numbers in range; None otherwise."""
    names = {str(c).strip().lower(): c for c in frame.columns}
    if len(names) == len(frame.columns) and (clock := _date_and_time(frame, names)) is not None:
        return clock
    parts = {n for n in names if n in (*_DATE_NAMES, "day", "hour")}
    if parts not in _DATE_PARTS or len(names) != len(frame.columns):
        return None
    columns = [names[p] for p in ("year", "quarter", "month", "day", "hour") if p in parts]
    values = frame[columns].dropna()
    if len(values) == 0 or not all(pd.api.types.is_numeric_dtype(values[c].dtype) for c in columns):
        return None
    if not (values % 1 == 0).all().all() or not values[columns[0]].between(1000, 2999).all():
        return None
    in_range = all(values[names[p]].between(*_PART_LIMITS[p]).all() for p in parts - {"year"})
    return columns if in_range else None


def _parts_index(frame: pd.DataFrame, columns: list, dayfirst: bool = False) -> pd.Index:
    """The periods (year and month or quarter), dates (year, month and day) or timestamps (a date and a time of
    day) of the date-part columns."""
    if str(columns[-1]).strip().lower() in ("time", "hour") and len(columns) == 2:
        days = _time_index(frame[columns[0]], dayfirst, str(columns[0]), cli=False)
        if not isinstance(days, pd.DatetimeIndex) or (days != days.normalize()).any():
            raise ValueError(f"column {columns[0]!r} holds no days to add the times of {columns[1]!r} to.")
        clock = frame[columns[1]]
        # An hour alone counts whole hours; "24" (an hour ending at midnight) is the next day's first instant.
        text = _clock_text(clock)
        if pd.api.types.is_numeric_dtype(clock.dtype):
            offsets = pd.to_timedelta(clock.to_numpy(), unit="h")
        elif text.str.fullmatch(_CLOCK).all():  # 24:00 included, which clock readers refuse
            offsets = pd.to_timedelta(text.where(text.str.count(":") >= 2, text + ":00"))
        else:  # 1:00 PM: as a time of day, whatever the day
            moments = pd.to_datetime(text.str.replace(".", "", regex=False).str.upper(), format="mixed")
            offsets = pd.to_timedelta(moments - moments.dt.normalize())
        return pd.DatetimeIndex(days + offsets)
    fields = {str(c).strip().lower(): frame[c].astype("int64").to_numpy() for c in columns}
    if "day" in fields:
        stamps = pd.to_datetime(pd.DataFrame(fields)[["year", "month", "day"]], errors="coerce")
        if stamps.isna().any():
            bad = frame.loc[stamps.isna().to_numpy(), columns].iloc[0].astype(int).tolist()
            raise ValueError(f"columns {', '.join(map(repr, columns))} hold a day that does not exist: {bad}.")
        if "hour" in fields:  # 0-23, or 1-24 for hours ending at that time: 24 is the next day's first instant
            stamps = stamps + pd.to_timedelta(fields["hour"], unit="h")
        return pd.DatetimeIndex(stamps)
    freq = "Q" if "quarter" in fields else "M"
    return pd.PeriodIndex.from_fields(**fields, freq=freq)


def _business_days(index: pd.DatetimeIndex, name: str) -> pd.DatetimeIndex:
    """Weekday dates with a few weekdays missing (a market's holidays) on business days that skip those weekdays.

    The index is returned as it is when it has a frequency already or is not of that kind. Nothing is filled: the
    missing weekdays become the holidays of a ``CustomBusinessDay``, so the series is regular as it stands, and the
    forecasts continue on weekdays.
    """
    if len(index) < 10 or index.tz is not None or index.has_duplicates or not index.is_monotonic_increasing:
        return index
    if pd.DatetimeIndex(index, freq="infer").freq is not None:  # as _index infers it, without pandas' notice
        return index
    # As many weekdays as a market's holidays at most; more are gaps to fill.
    missing = market_holidays(index)
    if missing is None or len(missing) == 0:
        return index
    shown = ", ".join(f"{d:%Y-%m-%d}" for d in missing[:3]) + (", ..." if len(missing) > 3 else "")
    warnings.warn(
        f"{name}: weekdays only, with {len(missing)} weekday(s) missing ({shown}); read as business days with "
        "those as holidays, so nothing is filled and the forecasts continue on weekdays (pass --freq B with --fill "
        "ffill to carry prices over the holidays instead).",
        UserWarning,
        stacklevel=3,
    )
    return pd.DatetimeIndex(index, freq=pd.offsets.CustomBusinessDay(holidays=list(missing)))


def _find_date_column(frame: pd.DataFrame, path: Path, separator: str, cli: bool) -> str:
    """The date column when none is named: ``date``, else the one column with a date-like name, else the first
    column when it holds times."""
    columns = ", ".join(map(str, frame.columns))
    if "date" in frame.columns:
        return "date"
    named = [c for c in frame.columns if str(c).strip().lower() in _DATE_NAMES]
    if len(named) == 1:
        return named[0]
    first = frame.columns[0]
    if len(named) == 0 and frame.shape[1] > 1:
        column = frame[first].dropna()
        numbers = pd.api.types.is_numeric_dtype(column.dtype)
        # A numeric first column counts only as years; any other number column is a value, not a time.
        if len(column) and (not numbers or (column % 1 == 0).all() and column.between(1000, 2999).all()):
            # A note of a line or three below the data (a source, a licence) does not hide the dates above it:
            # the column is found here, and reading it names the note.
            bodies = [column] + ([column.iloc[:-k] for k in (1, 2, 3)] if len(column) >= 10 and not numbers else [])
            for body, dayfirst in itertools.product(bodies, (False, True)):  # dd.mm.yyyy reads only day-first
                try:
                    _time_index(body, dayfirst, str(first), cli)
                    return first
                except ValueError:
                    pass
    hint = ""
    if frame.shape[1] == 1 and any(s in str(frame.columns[0]) for s in _SEPARATORS if s != separator):
        hint = f" The file reads as one column: pass its separator with {_option('sep', cli)}."
    which = (
        f"several columns named like dates ({', '.join(map(repr, named))})"
        if named
        else "no other column that holds dates"
    )
    raise ValueError(
        f"{path} has no column 'date' and {which}; name the date column with {_option('date_column', cli)}. "
        f"Columns: {columns}.{hint}"
    )


def _find_target(
    frame: pd.DataFrame, path: Path, exclude: list, cli: bool, decimal_comma: bool = False, dates: list | None = None
) -> str:
    """The one column that can be forecast when none is named: not the dates, not a covariate, holding numbers."""
    candidates = [c for c in frame.columns if c not in exclude]
    values = [
        c
        for c in candidates
        if pd.api.types.is_numeric_dtype(frame[c].dtype)
        and frame[c].notna().any()
        or not pd.api.types.is_numeric_dtype(frame[c].dtype)
        and _as_numbers(frame[c].astype(object), decimal_comma).notna().any()
    ]
    if len(values) == 1:
        return values[0]
    listed = ", ".join(map(repr, values or candidates)) or "none"
    option = "--target COLUMN" if cli else "target='COLUMN'"
    count = f"{len(values)} columns of values" if values else "no column of numbers"
    repeated = ""
    if dates and frame[dates].duplicated().any() and len(values) > 1:
        # Numbered series in long format: their id column holds numbers too.
        repeated = (
            f" Its dates in {', '.join(map(repr, dates))} repeat: if one of these columns numbers the series, name it "
            f"with {_option('id_column', cli)}; if they are only part of the date (a month without its year), give "
            f"the full dates with {_option('date_column', cli)}."
        )
    raise ValueError(f"{path} has {count} ({listed}); choose the one to forecast with {option}.{repeated}")


def _day_first_likely(text: pd.Series) -> bool:
    """Slash or dot dates whose first field exceeds 12 somewhere: they cannot be month-first."""
    parts = text.str.extract(r"^(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}")
    if parts.isna().any().any():
        return False
    return bool((parts[0].astype(int) > 12).any())


# Thousands separators between digits other than the comma: spaces (plain, no-break and narrow no-break, as French
# and Scandinavian exports write them) and the apostrophe (Swiss).
_DIGIT_GROUPS = re.compile(r"(?<=\d)[ \u00a0\u202f'](?=\d{3}(?!\d))")


def _as_numbers(column: pd.Series, decimal_comma: bool = False) -> pd.Series:
    """A text column as numbers, NaN where an entry is not one (see :func:`_numbers`)."""
    text = column.astype(str).str.strip().str.replace(_DIGIT_GROUPS, "", regex=True)
    if decimal_comma:
        # Decided for the whole column: with decimal commas anywhere in it, dots group thousands (1.234,5); without,
        # dots are decimal points (0.125), unless an entry has several (1.234.567).
        european = text.str.contains(",", regex=False).any() or text.str.count(r"\.").gt(1).any()
        if european:
            text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        text = text.str.replace(",", "", regex=False)
    return pd.to_numeric(text.where(column.notna()), errors="coerce")


def _numbers(column: pd.Series, name: str, decimal_comma: bool = False) -> pd.Series:
    """A text column as numbers; entries that are not numbers become missing values, with a warning.

    A comma is a decimal mark in files separated by semicolons, a thousands separator otherwise; spaces and
    apostrophes between groups of three digits are thousands separators.
    """
    numbers = _as_numbers(column, decimal_comma)
    unreadable = numbers.isna() & column.notna()
    if unreadable.any():
        warnings.warn(
            f"column {name!r}: {int(unreadable.sum())} entr(y/ies) that are not numbers (first "
            f"{column[unreadable].iloc[0]!r}) read as missing values.",
            UserWarning,
            stacklevel=3,
        )
    return numbers


def read_series(
    path: str | Path,
    target: str | list[str] | None = None,
    *,
    date_column: str | None = None,
    covariates: list[str] | None = None,
    sep: str | None = None,
    dayfirst: bool = False,
    freq: str | None = None,
    fill: str | None = None,
    id_column: str | None = None,
    cli: bool = False,
) -> tuple[pd.Series | pd.DataFrame, pd.DataFrame | None]:
    """Read one series (and optional covariate columns), or a panel of many, from a CSV file.

    Parameters
    ----------
    path : str or Path
        The file.
    target : str or list of str, optional
        The column to forecast; by default the file's one column of values
        besides the dates and ``covariates`` (an error names the candidates
        when there are several). A list of columns reads a panel: one series
        per column.
    date_column : str, optional
        The column of dates (or years, year-months, year-quarters, integer
        steps). By default ``date``, else ``year`` with ``month`` or
        ``quarter`` (or ``month`` and ``day``) columns of whole numbers,
        read together, else ``date`` (or ``day``) with ``time`` (``13:00``)
        or ``hour`` (0-24) columns, read together as timestamps, else the
        one column named like a date
        (``Date``, ``time``, ``timestamp``, ``ds``, ``year``, ``month``, ...,
        in any case), else the first column when it holds dates or years.
    covariates : list of str, optional
        Further columns to return as ``X``.
    sep : str, optional
        The separator; sniffed from the first lines when omitted (``,``,
        ``;``, tab or ``|``).
    dayfirst : bool, default=False
        Read 01/02/2024 as 1 February.
    freq : str, optional
        Put the series on this frequency (see :func:`tsrnn.regularize`).
    fill : {"interpolate", "ffill", "none"}, optional
        Fill missing periods and values this way (``"none"`` leaves NaN for
        the forecasters that train around them). Without ``freq`` or
        ``fill`` the series is returned as read, except that weekday dates
        lacking a few weekdays (holidays) get a ``CustomBusinessDay``
        frequency with those weekdays as its holidays, with a warning.
    id_column : str, optional
        The column naming the series of a file in long format (one row per
        series and date, as databases and ``to_long`` write panels): the
        result is a panel, one column per series in order of first
        appearance, NaN where a series has no row (a late start). By default
        a file whose dates repeat is read this way when exactly one column
        holds text that is not numbers and names each date once per series.
    cli : bool, default=False
        Word the errors with command-line options (``--sep``) instead of
        Python arguments (``sep=``).

    Returns
    -------
    y : pd.Series or pd.DataFrame
        The target on a DatetimeIndex, PeriodIndex or integer index, sorted;
        a DataFrame with a column per series for a panel (a list of targets,
        or a long file).
    X : pd.DataFrame or None
        The covariate columns on the same index (a single series only).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"cannot read {path}: no such file")
    separator = _sniff(path) if sep is None else sep
    encoding = "utf-8"
    try:
        try:
            frame = pd.read_csv(path, sep=separator)
        except UnicodeDecodeError:
            # Not UTF-8: Windows-1252 (a superset of Latin-1 for text) is what spreadsheets export there.
            encoding = "cp1252"
            frame = pd.read_csv(path, sep=separator, encoding=encoding)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise ValueError(f"cannot read {path} as CSV: {error}") from None
    # Spreadsheets export separators past the last column and lines of separators alone: columns without a name
    # or a value, and rows without any value, hold nothing to read.
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed: ") and frame[c].isna().all()]
    # Leading columns that count the rows (0, 1, 2 ... or 1, 2, 3 ...) are the row index that pandas' to_csv and
    # R's write.csv add (unnamed, or "rownames" as in the Rdatasets files), not values: dropped where the file has
    # a column named like a date beside them, so that a file of steps and values keeps its steps.
    dated = any(str(c).strip().lower() in _DATE_NAMES for c in frame.columns) or any(
        _reads_as_times(frame[c]) for c in frame.columns[1:3] if not pd.api.types.is_numeric_dtype(frame[c])
    )
    for column in list(frame.columns[:2]) if dated else []:
        name = str(column).strip().lower()
        if not (name.startswith("unnamed: ") or name in ("rownames", "x")):
            continue
        if pd.api.types.is_integer_dtype(frame[column]):
            counted = frame[column].to_numpy()
            if len(counted) and counted[0] in (0, 1) and (np.diff(counted) == 1).all():
                unnamed.append(column)
    frame = frame.drop(columns=unnamed)
    frame = frame[frame.notna().any(axis=1)]
    columns = ", ".join(map(str, frame.columns))
    parts = _date_parts(frame) if date_column is None else None
    if parts is None and date_column is None:
        date_column = _find_date_column(frame, path, separator, cli)
    elif parts is None and date_column not in frame.columns:
        hint = ""
        if frame.shape[1] == 1 and any(s in str(frame.columns[0]) for s in _SEPARATORS if s != separator):
            hint = f" The file reads as one column: pass its separator with {_option('sep', cli)}."
        raise ValueError(
            f"{path} has no column {date_column!r} (set {_option('date_column', cli)}); columns: {columns}.{hint}"
        )
    dates = parts or [date_column]
    if cli and isinstance(target, str) and target not in frame.columns and "," in target:
        target = [part.strip() for part in target.split(",") if part.strip()]  # --target high,low: a panel
        target = target[0] if len(target) == 1 else target
    if id_column is None and (target is None or isinstance(target, str)):
        id_column = _find_id_column(frame, dates, covariates or [])
    if id_column is not None and id_column not in frame.columns:
        raise ValueError(f"{path} has no column {id_column!r} (set {_option('id_column', cli)}); columns: {columns}.")
    if id_column is not None and (covariates or not isinstance(target, str | None)):
        what = f"{_option('covariates', cli)} are" if covariates else "several targets are"
        raise InvalidParameterError(
            f"{path.name} is read in long format, its series named by column {id_column!r}, and {what} not read "
            "from such a file: give one target column (the value of every series) and no covariates."
        )
    if target is None:
        exclude = [*dates, *([id_column] if id_column else []), *(covariates or [])]
        target = _find_target(frame, path, exclude, cli, decimal_comma=separator == ";", dates=dates)
    targets = [target] if isinstance(target, str) else list(target)
    if not targets or len(set(targets)) < len(targets):
        raise InvalidParameterError(f"target must name one column, or several once each; got {target!r}.")
    wanted = [*targets, *(covariates or [])]
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(f"{path} has no column {missing[0]!r}; columns: {columns}.")
    if set(targets) & set(covariates or []):
        raise InvalidParameterError(
            f"covariates must not include the target {sorted(set(targets) & set(covariates))[0]!r}."
        )
    if covariates and len(targets) > 1:
        raise InvalidParameterError("covariates are read for a single target column; pass one target.")
    undated = frame[dates].isna().any(axis=1)
    if undated.any():
        warnings.warn(
            f"{path.name}: {int(undated.sum())} row(s) without a date in {', '.join(map(repr, dates))} left out "
            f"(the first is data row {int(undated.index[undated.to_numpy().argmax()]) + 1}).",
            UserWarning,
            stacklevel=2,
        )
        frame = frame[~undated]
    ids = None if id_column is None else _series_names(frame[id_column], path, separator, encoding)
    if parts is not None:
        frame.index = _parts_index(frame, parts, dayfirst)
    else:
        frame.index = _time_index(frame[date_column], dayfirst, date_column, cli)
    if ids is None and frame.index.has_duplicates:
        repeated = frame.index.duplicated()
        first = frame.index[repeated][0]
        if repeated.mean() < 0.1:  # a few repeats: the same series measured twice, not several series
            clock = isinstance(frame.index, pd.DatetimeIndex) and (frame.index != frame.index.normalize()).any()
            why = (
                ", as local clock times do when daylight saving time ends; write the times with their UTC offset, or"
                if clock
                else ";"
            )
            labels = _find_id_column(frame, dates, wanted, few_rows=True) if not clock else None
            hint = (
                f" If column {labels!r} names series of a panel, some with few rows, name it with "
                f"{_option('id_column', cli)}."
                if labels
                else ""
            )
            raise ValueError(
                f"{path.name}: {int(repeated.sum())} date(s) in {', '.join(map(repr, dates))} appear more than once "
                f"(first {first}){why} aggregate the rows of each date first.{hint}"
            )
        others = [str(c) for c in frame.columns if c not in (*dates, *wanted)]
        timed = [c for c in others if _reads_as_times(frame[c])]
        if timed:
            raise ValueError(
                f"{path.name}: the date {first} appears {int((frame.index == first).sum())} times in "
                f"{', '.join(map(repr, dates))}, and column {timed[0]!r} holds dates or times too; if it holds the "
                f"full timestamps, pass {'--date-column ' + str(timed[0]) if cli else f'date_column={timed[0]!r}'}."
            )
        raise ValueError(
            f"{path.name}: the date {first} appears {int((frame.index == first).sum())} times in "
            f"{', '.join(map(repr, dates))}. If the file holds several series in long format, name the column that "
            f"tells them apart with {_option('id_column', cli)}"
            + (f" (columns besides the dates and {target!r}: {', '.join(others)})" if others else "")
            + "; if it is one series, aggregate the rows of each date first."
        )
    frame = frame[wanted]
    for column in wanted:
        if not pd.api.types.is_numeric_dtype(frame[column].dtype):
            frame[column] = _numbers(frame[column].astype(object), column, decimal_comma=separator == ";")
    if ids is not None:
        frame = _wide(frame[targets[0]], ids, id_column)
        empty = [str(c) for c in frame.columns if frame[c].isna().all()]
        if empty:
            raise ValueError(f"series {empty[0]!r} of column {id_column!r} has no value in {targets[0]!r}.")
        _check_one_frequency(frame, id_column)
    frame = frame.sort_index()
    if freq is None and fill is None and isinstance(frame.index, pd.DatetimeIndex):
        frame.index = _business_days(frame.index, str(path.name))
    if freq is not None or fill is not None:
        fill_method = None if fill in (None, "none") else fill
        if isinstance(frame.index, pd.DatetimeIndex | pd.PeriodIndex):
            frame = regularize(frame, freq=freq, fill=fill_method, name=str(path.name))
        elif fill_method is not None:
            frame = frame.interpolate() if fill_method == "interpolate" else frame.ffill()
    y = frame if ids is not None else frame[targets[0]] if isinstance(target, str) else frame[targets]
    y.attrs = dict(frame.attrs)
    X = frame[covariates] if covariates else None
    return y, X


def _find_id_column(frame: pd.DataFrame, dates: list, exclude: list, few_rows: bool = False) -> str | None:
    """The column naming the series of a long file: dates repeat, and exactly one text column (not numbers
    written as text) names each date once per series. None for a file of one series."""
    if not frame[dates].duplicated().any():
        return None
    candidates = []
    for column in frame.columns:
        if column in dates or column in exclude or pd.api.types.is_numeric_dtype(frame[column].dtype):
            continue
        if str(column).strip().lower() in (*_DATE_NAMES, "day", "hour") or _reads_as_times(frame[column]):
            continue  # times of day or dates the reader could not pair with the dates: never series names
        text = frame[column].dropna().astype(str)
        if len(text) and _as_numbers(text).notna().mean() < 0.5 and text.nunique() >= 2:
            candidates.append(column)
    if len(candidates) != 1 or frame[[*dates, candidates[0]]].duplicated().any():
        return None
    # Series of a panel each cover a good part of the dates; a label on a few rows (provisional, revised) is not
    # a series of its own, and the error for repeated dates asks which column names the series.
    rows = frame[candidates[0]].value_counts()
    return candidates[0] if few_rows or rows.min() >= max(3, 0.1 * rows.max()) else None


def _reads_as_times(column: pd.Series) -> bool:
    """Whether most entries of a text column read as dates or times of day."""
    text = column.dropna().astype(str).str.strip().head(200)
    if text.empty:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' notice that it guessed a format
        stamps = pd.to_datetime(text, errors="coerce", format="mixed")
    return bool(stamps.notna().mean() > 0.5 or _is_clock(text).mean() > 0.5)


def _series_names(ids: pd.Series, path: Path, separator: str, encoding: str) -> np.ndarray:
    """The series names of a long file's id column as written (read_csv takes "NA", North America, for missing)."""
    if ids.isna().any():
        raw = pd.read_csv(path, sep=separator, usecols=[ids.name], dtype=str, keep_default_na=False, encoding=encoding)
        ids = raw[ids.name].loc[ids.index].where(lambda text: text.str.strip() != "")
    if ids.isna().any():
        raise ValueError(
            f"column {ids.name!r} has {int(ids.isna().sum())} row(s) that name no series (the first is data row "
            f"{int(ids.index[ids.isna().to_numpy().argmax()]) + 1}); fill or remove them."
        )
    return ids.astype(str).str.strip().to_numpy()


def _check_one_frequency(wide: pd.DataFrame, id_column: str) -> None:
    """Refuse a panel whose series are dated at different frequencies (daily beside weekly): filling the coarser
    one to the finer would invent most of its values."""
    if not isinstance(wide.index, pd.DatetimeIndex):
        return
    freqs = {}
    for column in wide.columns:
        dated = wide[column].dropna().index
        freqs[column] = likely_freq(dated) if len(dated) >= 3 else None
    if len({f for f in freqs.values() if f is not None}) > 1:
        a = next(c for c in freqs if freqs[c])
        b = next(c for c in freqs if freqs[c] and freqs[c] != freqs[a])
        raise ValueError(
            f"the series of column {id_column!r} come at different frequencies: {a!r} at {freqs[a]!r}, {b!r} at "
            f"{freqs[b]!r}; a "
            "panel needs one. Aggregate the finer ones to the coarser frequency first, or compare them in files of "
            "their own."
        )


def _wide(values: pd.Series, ids: np.ndarray, id_column: str) -> pd.DataFrame:
    """A long column of values (one row per series and date) as a panel, one column per series."""
    keyed = pd.DataFrame({"series": ids, "value": values.to_numpy()}, index=values.index).set_index(
        "series", append=True
    )
    if keyed.index.has_duplicates:
        time, name = keyed.index[keyed.index.duplicated()][0]
        raise ValueError(
            f"series {name!r} of column {id_column!r} has the date {time} more than once; aggregate the file first."
        )
    long = pd.DataFrame({"series": ids, "time": values.index, "value": values.to_numpy()})
    wide = from_long(long, id_col="series", time_col="time", value_col="value")
    wide.attrs = {}  # from_long's note of the long column names is for to_long, not for a series read here
    return wide.rename_axis(values.index.name)
