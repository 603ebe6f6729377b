"""Contract checks of what users pass in: covariates, and bad input that must be refused clearly."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from tsrnn.testing.data import HORIZON as _HORIZON
from tsrnn.testing.data import assert_same as _assert_same
from tsrnn.testing.data import fresh as _fresh
from tsrnn.testing.data import synthetic_series


def _covariate_frame(y: pd.Series, support: str, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"plan": (np.arange(len(y)) % 7 < 2).astype(float)}, index=y.index)
    if support == "both":
        frame["signal"] = np.roll(y.to_numpy(), 1) + rng.normal(scale=0.1, size=len(y))
    return frame


def check_covariates(forecaster: Any) -> None:
    """X is validated, future covariates are required by predict, and nothing leaks through covariates."""
    params = forecaster.get_params()
    support = forecaster.get_covariates().support
    y = synthetic_series()
    X = _covariate_frame(y, support)
    n, h = 120, _HORIZON
    if support == "both":
        # Past covariates are unknown after the origin: forecasts reach only the steps one pass emits.
        reach = 1 if params.get("strategy") == "recursive" else params.get("horizon", _HORIZON)
        h = min(_HORIZON, reach)
    if support != "none" and "future_covariates" not in params:
        return  # a wrapper: X goes to the forecaster it wraps, which is checked on its own
    if support == "none":
        a = _fresh(forecaster).fit(y.iloc[:n], X.iloc[:n]).predict(h)
        _assert_same(a, _fresh(forecaster).fit(y.iloc[:n]).predict(h), "a forecaster that ignores X changed with X")
        return
    declared = _fresh(forecaster).set_params(future_covariates=["plan"])
    fitted = clone(declared).fit(y.iloc[:n], X.iloc[:n])
    forecast = fitted.predict(h, X=X.iloc[n : n + h])
    assert forecast.index.equals(y.index[n : n + h]), "predict with X must forecast the next periods"
    bad_calls = [
        ("predict without the future covariates", lambda: fitted.predict(h)),
        ("future X one row too short", lambda: fitted.predict(h, X=X.iloc[n : n + h - 1])),
        ("future X on the wrong dates", lambda: fitted.predict(h, X=X.iloc[n + 1 : n + h + 1])),
        ("X shifted by one period in fit", lambda: clone(declared).fit(y.iloc[:n], X.iloc[1 : n + 1])),
        ("X with fewer rows than y in fit", lambda: clone(declared).fit(y.iloc[:n], X.iloc[: n - 1])),
        ("update without X_new", lambda: copy.deepcopy(fitted).update(y.iloc[n : n + 3])),
    ]
    if support == "both":
        bad_calls.append(("a horizon beyond the reach of past covariates", lambda: fitted.predict(h + 1, X=X.iloc[n:])))
    for label, call in bad_calls:
        try:
            call()
        except (ValueError, TypeError):
            continue
        raise AssertionError(f"{label} must raise ValueError or TypeError")
    # Covariates after the cutoff must not matter, except the future covariates of the forecast window.
    X_b = X.copy()
    X_b.iloc[n:] = X_b.iloc[n:] * -3.0 + 50.0
    X_b.iloc[n : n + h, X_b.columns.get_loc("plan")] = X.iloc[n : n + h]["plan"].to_numpy()
    f_a = clone(declared).fit(y.iloc[:n], X.iloc[:n])
    f_b = clone(declared).fit(y.iloc[:n], X_b.iloc[:n])
    _assert_same(
        f_a.predict(h, X=X.iloc[n:]),
        f_b.predict(h, X=X_b.iloc[n:]),
        "forecasts changed with covariates after the cutoff",
    )
    f_a.update(y.iloc[n : n + 10], X.iloc[n : n + 10])
    later = f_a.predict(h, X=X.iloc[n + 10 : n + 10 + h])
    assert later.index.equals(y.index[n + 10 : n + 10 + h]), "after update with X_new, forecasts must move on"
    calendar = _fresh(forecaster).set_params(future_covariates=None, calendar=["dayofweek"]).fit(y.iloc[:n])
    assert calendar.predict(h).index.equals(y.index[n : n + h]), "calendar features must need no X in predict"


def _bad_inputs(allows_missing: bool) -> Iterable[tuple[str, Callable[[Any], Any]]]:
    y = synthetic_series()
    with_nan = y.copy()
    with_nan.iloc[50] = np.nan
    with_inf = y.copy()
    with_inf.iloc[60] = np.inf
    unsorted = y.iloc[::-1]
    duplicated = pd.concat([y.iloc[:80], y.iloc[79:]])
    irregular = y.drop(y.index[[10, 11, 40]])
    irregular.index.freq = None
    text = pd.Series(["a"] * len(y), index=y.index)
    yield "an empty series", lambda f: f.fit(y.iloc[:0])
    yield "a two-point series", lambda f: f.fit(y.iloc[:2])
    if not allows_missing:
        yield "NaN in y", lambda f: f.fit(with_nan)
    yield "y with no observed value", lambda f: f.fit(y * np.nan)
    yield "inf in y", lambda f: f.fit(with_inf)
    yield "an unsorted index", lambda f: f.fit(unsorted)
    yield "a duplicated index", lambda f: f.fit(duplicated)
    yield "an irregular DatetimeIndex", lambda f: f.fit(irregular)
    yield "non-numeric values", lambda f: f.fit(text)
    yield "a list instead of a Series", lambda f: f.fit(list(y))
    for horizon in (0, -1, 1.5, "3", True, None):
        yield f"horizon={horizon!r}", lambda f, h=horizon: f.fit(y).predict(h)
    for level in (0.0, 1.0, 1.5, -0.1, "0.9"):
        yield f"coverage={level!r}", lambda f, c=level: f.fit(y).predict_interval(_HORIZON, coverage=c)


def check_bad_input(forecaster: Any) -> None:
    """Each bad input raises ValueError or TypeError with a message."""
    for label, call in _bad_inputs(getattr(forecaster, "allows_missing", False)):
        try:
            call(_fresh(forecaster))
        except (ValueError, TypeError) as error:
            assert str(error), f"{label}: the error has no message"
            continue
        raise AssertionError(f"{label} must raise ValueError or TypeError")


class _Invalid:
    """A value no parameter rule accepts."""

    def __repr__(self) -> str:
        return "<an invalid value>"


def check_bad_parameters(forecaster: Any) -> None:
    """Every parameter in the rule table refuses a value outside its rules, by name, before reading any data."""
    from tsrnn._validation import InvalidParameterError

    params = forecaster.get_params(deep=False)
    for name in getattr(type(forecaster), "_parameter_constraints", {}):
        if name not in params:
            continue
        f = clone(forecaster).set_params(**{name: _Invalid()})
        try:
            f.fit(None)
        except InvalidParameterError as error:
            assert name in str(error), f"the error for an invalid {name} does not name it: {error}"
            continue
        except Exception as error:  # noqa: BLE001 - any other failure means the rule was not checked first
            raise AssertionError(
                f"an invalid {name} must raise InvalidParameterError before the data is read, got "
                f"{type(error).__name__}: {error}"
            ) from error
        raise AssertionError(f"an invalid {name} was accepted")


def _as_numpy_scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value)
    if isinstance(value, float):
        return np.float64(value)
    return value


def check_numpy_parameters(forecaster: Any) -> None:
    """numpy scalars (np.int64, np.float64, np.bool_) work wherever the Python number does, with the same forecasts."""
    params = forecaster.get_params(deep=False)
    converted = {k: _as_numpy_scalar(v) for k, v in params.items()}
    if all(converted[k] is params[k] for k in params):
        return
    y = synthetic_series()
    expected = _fresh(forecaster).fit(y)
    actual = _fresh(clone(forecaster).set_params(**converted)).fit(y)
    _assert_same(expected.predict(_HORIZON), actual.predict(_HORIZON), "numpy scalar parameters changed forecasts")
    _assert_same(
        expected.predict_interval(_HORIZON),
        actual.predict_interval(_HORIZON),
        "numpy scalar parameters changed intervals",
    )


def check_missing_values(forecaster: Any) -> None:
    """Missing values in y: trained around (finite forecasts and intervals, the gap at the end filled) or refused clearly."""
    y = synthetic_series()
    gappy = y.copy()
    gappy.iloc[[20, 21, 22, 90, len(y) - 2]] = np.nan
    if not getattr(forecaster, "allows_missing", False):
        try:
            _fresh(forecaster).fit(gappy)
        except ValueError as error:
            assert "regularize" in str(error), f"the error for missing values does not say how to fill them: {error}"
            return
        raise AssertionError("a forecaster that does not handle missing values must refuse NaN in y")
    f = _fresh(forecaster).fit(gappy)
    for result in (f.predict(_HORIZON), f.predict_interval(_HORIZON)):
        assert np.all(np.isfinite(np.asarray(result, dtype=float))), "missing values in y gave NaN or inf forecasts"
    f.update(pd.Series([np.nan], index=y.index[-1:] + y.index.freq, name=y.name))
    assert np.all(np.isfinite(f.predict(_HORIZON).to_numpy())), "a missing new observation gave NaN forecasts"
