"""Validation at the door: parameter rules checked once, and series converted once.

Every forecaster declares what each of its parameters accepts in a class-level
table, ``_parameter_constraints``; ``BaseForecaster.fit`` checks the table
before any work and raises one :class:`InvalidParameterError` naming the
parameter, the value and what is allowed. Series and the arguments of the
public functions (horizon, coverage, positive counts) are checked here too.
numpy scalar types are accepted wherever the Python type is.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tsrnn._index import check_index

__all__ = [
    "InvalidParameterError",
    "is_integer",
    "is_real",
    "Interval",
    "Options",
    "Boolean",
    "InstanceOf",
    "ListOf",
    "Satisfies",
    "validate_params",
    "check_positive_int",
    "check_horizon",
    "check_coverage",
    "check_finite",
    "check_quantiles",
    "check_series",
    "SeriesData",
]


class InvalidParameterError(ValueError, TypeError):
    """A parameter or argument holds a value it does not accept.

    Both a ValueError and a TypeError, so code catching either (as scikit-learn
    users do) catches it; the message names the parameter, the value given and
    what is allowed.
    """


def is_integer(value: Any) -> bool:
    """A Python or numpy integer, never a boolean."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value: Any) -> bool:
    """A Python or numpy real number, never a boolean."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


class Interval:
    """Numbers of a type within bounds.

    Parameters
    ----------
    kind : {"int", "real"}
        ``"int"`` accepts integers (Python or numpy), ``"real"`` any real
        number; booleans are never numbers here.
    left, right : float or None
        The bounds; None leaves that side open-ended.
    closed : {"both", "left", "right", "neither"}, default="both"
        Which bounds belong to the interval.
    """

    def __init__(self, kind: str, left: float | None, right: float | None, closed: str = "both"):
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def __call__(self, value: Any) -> bool:
        if not (is_integer(value) if self.kind == "int" else is_real(value)):
            return False
        if isinstance(value, (float, np.floating)) and np.isnan(value):
            return False
        if self.left is not None:
            if value < self.left or (value == self.left and self.closed in ("right", "neither")):
                return False
        if self.right is not None:
            if value > self.right or (value == self.right and self.closed in ("left", "neither")):
                return False
        return True

    def __str__(self) -> str:
        noun = "an int" if self.kind == "int" else "a float"
        if self.kind == "int" and self.left in (0, 1) and self.right is None and self.closed in ("both", "left"):
            return "a positive int" if self.left == 1 else "a non-negative int"
        if self.left is None and self.right is None:
            return noun
        opening = "[" if self.closed in ("both", "left") else "("
        closing = "]" if self.closed in ("both", "right") else ")"
        left = "-inf" if self.left is None else f"{self.left:g}"
        right = "inf" if self.right is None else f"{self.right:g}"
        return f"{noun} in {opening}{left}, {right}{closing}"


class Options:
    """One of a fixed set of values (compared with ``==``, so numpy strings match too)."""

    def __init__(self, *values: Any):
        self.values = values

    def __call__(self, value: Any) -> bool:
        try:
            return any(value == option and type(value) is not bool for option in self.values)
        except (TypeError, ValueError):
            return False

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


class _Boolean:
    def __call__(self, value: Any) -> bool:
        return isinstance(value, (bool, np.bool_))

    def __str__(self) -> str:
        return "True or False"


#: Accepts ``True``, ``False`` and numpy booleans.
Boolean = _Boolean()


class InstanceOf:
    """An instance of a type (or of one of several types)."""

    def __init__(self, kind: type | tuple[type, ...], description: str):
        self.kind, self.description = kind, description

    def __call__(self, value: Any) -> bool:
        return isinstance(value, self.kind)

    def __str__(self) -> str:
        return self.description


class ListOf:
    """A list or tuple whose every item satisfies ``item``, with at least ``min_length`` items."""

    def __init__(self, item: Callable[[Any], bool], description: str, min_length: int = 0):
        self.item, self.description, self.min_length = item, description, min_length

    def __call__(self, value: Any) -> bool:
        return isinstance(value, (list, tuple)) and len(value) >= self.min_length and all(map(self.item, value))

    def __str__(self) -> str:
        return self.description


class Satisfies:
    """Any value for which ``test(value)`` is true, described in words."""

    def __init__(self, test: Callable[[Any], bool], description: str):
        self.test, self.description = test, description

    def __call__(self, value: Any) -> bool:
        try:
            return bool(self.test(value))
        except Exception:  # noqa: BLE001 - a test that cannot even run on the value refuses it
            return False

    def __str__(self) -> str:
        return self.description


def _describe(rules: Iterable[Any]) -> str:
    words = ["None" if rule is None else str(rule) for rule in rules]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def validate_params(constraints: Mapping[str, list], params: Mapping[str, Any], owner: str | None = None) -> None:
    """Check every parameter against its rules; raise on the first that satisfies none.

    Parameters
    ----------
    constraints : mapping of str -> list
        For each parameter, the rules it may satisfy (any one suffices): rule
        objects of this module, or None for the value None.
    params : mapping of str -> Any
        The values, e.g. ``estimator.get_params(deep=False)``.
    owner : str, optional
        Who the parameters belong to, for the message (``"LSTMForecaster"``).

    Raises
    ------
    InvalidParameterError
        Naming the parameter, the value and what is allowed.
    """
    for name, rules in constraints.items():
        if name not in params:
            continue
        value = params[name]
        if any(value is None if rule is None else rule(value) for rule in rules):
            continue
        where = f" of {owner}" if owner else ""
        raise InvalidParameterError(f"{name}{where} must be {_describe(rules)}; got {value!r}.")


def check_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int, or raise naming ``name`` if it is not a positive integer."""
    if not is_integer(value) or value < 1:
        raise InvalidParameterError(f"{name} must be a positive int; got {value!r}.")
    return int(value)


def check_horizon(horizon: Any, name: str = "horizon") -> int:
    """Return ``horizon`` as an int, or raise if it is not a positive integer."""
    return check_positive_int(horizon, name)


def check_quantiles(quantiles: Any, name: str = "quantiles") -> np.ndarray:
    """Return quantile levels as a sorted float array of unique values in (0, 1), or raise naming ``name``."""
    values = [quantiles] if is_real(quantiles) else quantiles
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise InvalidParameterError(f"{name} must be a float or a list of floats in (0, 1); got {quantiles!r}.")
    values = list(values)
    if not values or not all(Interval("real", 0, 1, closed="neither")(v) for v in values):
        raise InvalidParameterError(
            f"{name} must be a float or a non-empty list of floats in (0, 1), e.g. [0.05, 0.5, 0.95]; got {quantiles!r}."
        )
    return np.unique(np.asarray(values, dtype=float))


def check_finite(values: np.ndarray, owner: str, what: str) -> None:
    """Raise if a model's output holds NaN or inf: a diverged fit is never returned silently."""
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(
            f"{owner} produced {int(bad.sum())} non-finite {what} (NaN or inf): the fitted model diverged or the "
            f"data overflow its arithmetic. Refit with other settings (e.g. a lower learning_rate) or rescale y."
        )


def check_coverage(coverage: Any, name: str = "coverage") -> float:
    """Return ``coverage`` as a float strictly between 0 and 1, or raise."""
    if not Interval("real", 0, 1, closed="neither")(coverage):
        raise InvalidParameterError(f"{name} must be a float in (0, 1), e.g. 0.9 for a 90% interval; got {coverage!r}.")
    return float(coverage)


@dataclass(frozen=True)
class SeriesData:
    """A validated series: float values on a regular index.

    Attributes
    ----------
    values : np.ndarray of shape (n_timestamps, n_series)
        A float64 copy of the observations, never the caller's buffer.
    index : pd.DatetimeIndex or pd.RangeIndex
        The regular index of the observations.
    freq : pd.DateOffset or int
        The step between two timestamps: an offset for a DatetimeIndex,
        an integer step for an integer index.
    kind : {"series", "frame", "array1d", "array2d"}
        What the caller passed, so outputs can be returned in the same form.
    columns : list
        Series names: the DataFrame columns, ``[name]`` for a Series.
    """

    values: np.ndarray
    index: pd.Index
    freq: Any
    kind: str
    columns: list

    @property
    def name(self) -> Any:
        return self.columns[0] if self.kind == "series" else None


# Beyond these magnitudes squares overflow (or underflow to zero) in float64.
_LARGEST, _SMALLEST = 1e150, 1e-150


def _is_number_dtype(dtype: Any) -> bool:
    return (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not (pd.api.types.is_complex_dtype(dtype))
    )


def _long_hint(y: Any, column: Any, name: str) -> str:
    """For a table in long format (a text column naming the series, with repeated dates): how to make it wide."""
    if not isinstance(y, pd.DataFrame) or y.shape[1] < 2:
        return ""
    times = [c for c in y.columns if c != column and not _is_number_dtype(y[c].dtype)]
    values = [c for c in y.columns if c != column and _is_number_dtype(y[c].dtype)]
    repeated = y.index.has_duplicates or any(y[c].duplicated().any() for c in times)
    if not repeated or len(values) != 1:
        return ""
    if len(times) == 1:
        call = f"tsrnn.from_long({name}, id_col={column!r}, time_col={times[0]!r}, value_col={values[0]!r})"
    elif not times:  # the dates are the index
        time = repr(y.index.name) if y.index.name is not None else "'index'"
        call = f"tsrnn.from_long({name}.reset_index(), id_col={column!r}, time_col={time}, value_col={values[0]!r})"
    else:
        return ""
    return f" It looks like a table in long format (one row per series and date): make it one column per series with {call}."


def _check_values(y: Any, columns: list, name: str, allow_missing: bool | str = False) -> np.ndarray:
    """Return the values of ``y`` as a (n_timestamps, n_series) float64 copy; NaN only where allowed.

    ``allow_missing="leading"`` accepts NaN only before a column's first value: a panel's series that starts late.
    """
    dtypes = y.dtypes.tolist() if isinstance(y, pd.DataFrame) else [y.dtype] * len(columns)
    for column, dtype in zip(columns, dtypes):
        if not _is_number_dtype(dtype):
            where = f"column {column!r} has" if isinstance(y, pd.DataFrame) else "got"
            raise TypeError(f"{name} must hold real numbers; {where} dtype {dtype}.{_long_hint(y, column, name)}")
    values = np.array(y.to_numpy() if isinstance(y, (pd.Series, pd.DataFrame)) else y, dtype=np.float64, copy=True)
    values = values.reshape(len(values), len(columns))
    infinite = np.isinf(values)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise ValueError(
            f"{name} contains {int(infinite.sum())} infinite value(s) (first at position {row}, "
            f"column {columns[col]!r}); replace them with NaN or with finite values."
        )
    magnitude = np.abs(values[np.isfinite(values) & (values != 0)])
    if magnitude.size and (magnitude.max() > _LARGEST or magnitude.max() < _SMALLEST):
        raise ValueError(
            f"{name} has values of magnitude up to {magnitude.max():.3g}, where the squares that scaling and "
            f"variances need leave float64's range; rescale {name} (e.g. divide by {10 ** np.floor(np.log10(magnitude.max())):.0e})."
        )
    missing = np.isnan(values)
    if allow_missing == "leading":
        started = np.maximum.accumulate(~missing, axis=0)
        if (missing & started).any() or not started[-1].all():
            row, col = np.argwhere((missing & started) | ~started[-1][None, :])[0]
            raise ValueError(
                f"{name} has a missing (NaN) value at position {row} of column {columns[col]!r} after the series "
                f"started (or a column with no value); this forecaster accepts missing values only before a series' "
                f"first value. Fill gaps with tsrnn.regularize({name}) or use a recurrent or regression forecaster."
            )
        return values
    if missing.any() and not allow_missing:
        row, col = np.argwhere(missing)[0]
        raise ValueError(
            f"{name} contains {int(missing.sum())} missing (NaN) value(s) (first at position {row}, column "
            f"{columns[col]!r}), which this forecaster cannot use; fill them with tsrnn.regularize({name}) "
            f"(interpolation) or use a recurrent or regression forecaster, which train around missing values."
        )
    return values


def check_series(
    y: Any, name: str = "y", min_length: int = 1, known_freq: Any = None, allow_missing: bool | str = False
) -> SeriesData:
    """Validate a series and convert it to float values on a regular index.

    Parameters
    ----------
    y : pd.Series, pd.DataFrame or np.ndarray
        One series (Series or 1-D array) or several (DataFrame, one column per
        series, or 2-D array of shape (n_timestamps, n_series)).
    name : str, default="y"
        The argument name used in error messages.
    min_length : int, default=1
        The fewest observations accepted.
    known_freq : pd.DateOffset or int, optional
        The frequency already known for this series (when appending to it);
        the caller then checks that the index continues at it.
    allow_missing : bool or "leading", default=False
        Accept NaN (never inf), for models that train around missing values;
        ``"leading"`` only before each column's first value (a late start).

    Returns
    -------
    SeriesData
        The values as a (n_timestamps, n_series) float64 copy, with the index.

    Raises
    ------
    TypeError
        For an unsupported container, index type or non-numeric dtype.
    ValueError
        For an empty or too short series, NaN or inf values, an unsorted,
        duplicated or irregular index.
    """
    if isinstance(y, pd.Series):
        kind, columns, index = "series", [y.name], y.index
    elif isinstance(y, pd.DataFrame):
        if y.shape[1] == 0:
            raise ValueError(f"{name} is a DataFrame with no columns.")
        kind, columns, index = "frame", list(y.columns), y.index
        if y.columns.has_duplicates:
            twice = y.columns[y.columns.duplicated()][0]
            raise ValueError(f"{name} has the column {twice!r} more than once; every series needs its own name.")
    elif isinstance(y, np.ndarray):
        if y.ndim not in (1, 2):
            raise ValueError(f"{name} must be a 1-D or 2-D array, got {y.ndim} dimensions.")
        if y.ndim == 2 and y.shape[1] == 0:
            raise ValueError(f"{name} is an array with no columns (shape {y.shape}); it needs at least one series.")
        kind = "array1d" if y.ndim == 1 else "array2d"
        columns = [0] if y.ndim == 1 else list(range(y.shape[1]))
        index = pd.RangeIndex(len(y))
    else:
        raise TypeError(f"{name} must be a pandas Series, DataFrame or numpy array, got {type(y).__name__}.")
    if len(index) == 0:
        raise ValueError(f"{name} is empty; it needs at least {min_length} observations.")
    if len(index) < min_length:
        raise ValueError(f"{name} has {len(index)} observations; at least {min_length} are needed.")
    values = _check_values(y, columns, name, allow_missing)
    index, freq = check_index(index, name, known_freq)
    return SeriesData(values=values, index=index, freq=freq, kind=kind, columns=columns)
