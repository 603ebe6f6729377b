"""A public checker of the forecasting contract, in the spirit of scikit-learn's ``check_estimator``.

Run ``check_forecaster(MyForecaster())`` in a test: it fits the forecaster on
small synthetic series and raises an AssertionError naming the first rule the
forecaster breaks.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from tsrnn._index import future_index

__all__ = ["check_forecaster", "CHECKS", "synthetic_series"]

_N = 160
_HORIZON = 5


def synthetic_series(n: int = _N, n_series: int = 1, freq: str = "D", seed: int = 0) -> pd.Series | pd.DataFrame:
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


def _fresh(forecaster: Any) -> Any:
    """An unfitted copy, with ``random_state`` fixed so repeated fits can be compared."""
    new = clone(forecaster)
    if "random_state" in new.get_params() and new.get_params()["random_state"] is None:
        new.set_params(random_state=0)
    return new


def _assert_same(a: Any, b: Any, what: str, exact: bool = True) -> None:
    a_values = np.asarray(a, dtype=float)
    b_values = np.asarray(b, dtype=float)
    if exact:
        np.testing.assert_array_equal(a_values, b_values, err_msg=what)
    else:
        np.testing.assert_allclose(a_values, b_values, rtol=1e-7, atol=1e-9, err_msg=what)


def check_clone_and_params(forecaster: Any) -> None:
    """get_params/set_params round trip and ``clone`` keep every hyper-parameter."""
    params = forecaster.get_params()
    cloned = clone(forecaster)
    assert type(cloned) is type(forecaster), "clone changed the class"
    cloned_params = cloned.get_params()
    assert set(cloned_params) == set(params), "clone changed the set of parameters"
    for key, value in params.items():
        if not hasattr(value, "get_params"):
            assert cloned_params[key] is value or cloned_params[key] == value, f"clone changed parameter {key!r}"
    cloned.set_params(**{k: v for k, v in params.items() if "__" not in k})
    assert set(cloned.get_params()) == set(params), "set_params changed the set of parameters"


def check_not_fitted(forecaster: Any) -> None:
    """predict, predict_interval and update before fit raise NotFittedError."""
    y = synthetic_series()
    for name, call in [
        ("predict", lambda f: f.predict(_HORIZON)),
        ("predict_interval", lambda f: f.predict_interval(_HORIZON)),
        ("update", lambda f: f.update(y)),
    ]:
        try:
            call(_fresh(forecaster))
        except NotFittedError:
            continue
        raise AssertionError(f"{name} before fit must raise sklearn.exceptions.NotFittedError")


def check_fit_returns_self(forecaster: Any) -> None:
    """fit returns the forecaster itself."""
    f = _fresh(forecaster)
    assert f.fit(synthetic_series()) is f, "fit must return self"


def check_predict_series(forecaster: Any) -> None:
    """A Series in gives a Series out: same name, the next ``horizon`` periods (business days stay business days)."""
    y = synthetic_series(freq="B")
    f = _fresh(forecaster).fit(y)
    for horizon in (1, _HORIZON, 2 * _HORIZON + 1):
        forecast = f.predict(horizon)
        assert isinstance(forecast, pd.Series), f"predict on a Series must return a Series, got {type(forecast)}"
        assert forecast.name == y.name, f"predict lost the series name: {forecast.name!r}"
        expected = pd.bdate_range(y.index[-1], periods=horizon + 1)[1:]
        assert forecast.index.equals(expected), f"predict index {forecast.index} is not the next {horizon} periods"
        assert forecast.index.freq == expected.freq, "predict index lost its frequency"
        assert np.all(np.isfinite(forecast.to_numpy())), "predict returned NaN or inf"


def check_predict_frame(forecaster: Any) -> None:
    """A DataFrame in gives a DataFrame with the same columns out."""
    y = synthetic_series(n_series=2)
    forecast = _fresh(forecaster).fit(y).predict(_HORIZON)
    assert isinstance(forecast, pd.DataFrame), "predict on a DataFrame must return a DataFrame"
    assert list(forecast.columns) == list(y.columns), f"columns {list(forecast.columns)} != {list(y.columns)}"
    assert forecast.index.equals(future_index(y.index[-1], y.index.freq, _HORIZON)), "wrong forecast index"
    assert np.all(np.isfinite(forecast.to_numpy())), "predict returned NaN or inf"


def check_predict_range_index(forecaster: Any) -> None:
    """A RangeIndex continues; numpy arrays give arrays of shape (horizon,) or (horizon, n_series)."""
    y = synthetic_series().reset_index(drop=True)
    forecast = _fresh(forecaster).fit(y).predict(_HORIZON)
    assert forecast.index.equals(pd.RangeIndex(len(y), len(y) + _HORIZON)), f"wrong RangeIndex {forecast.index}"
    one = _fresh(forecaster).fit(y.to_numpy()).predict(_HORIZON)
    assert isinstance(one, np.ndarray) and one.shape == (_HORIZON,), "1-D array in must give shape (horizon,)"
    two = synthetic_series(n_series=2).to_numpy()
    many = _fresh(forecaster).fit(two).predict(_HORIZON)
    assert isinstance(many, np.ndarray) and many.shape == (_HORIZON, 2), "2-D array in must give (horizon, n_series)"


def check_update(forecaster: Any) -> None:
    """update moves the forecast origin, uses the new data, and equals updating in pieces."""
    y = synthetic_series()
    n, m = 120, 140
    fitted = _fresh(forecaster).fit(y.iloc[:n])
    whole = copy.deepcopy(fitted)
    assert whole.update(y.iloc[n:m]) is whole, "update must return self"
    forecast = whole.predict(_HORIZON)
    assert forecast.index.equals(future_index(y.index[m - 1], y.index.freq, _HORIZON)), (
        "after update, forecasts must start after the last new observation"
    )
    pieces = copy.deepcopy(fitted).update(y.iloc[n : n + 7]).update(y.iloc[n + 7 : m])
    _assert_same(forecast, pieces.predict(_HORIZON), "update in one piece and in two pieces differ", exact=False)
    shifted = y.iloc[n:m] + 5.0
    moved = copy.deepcopy(fitted).update(shifted).predict(_HORIZON)
    assert not np.allclose(moved.to_numpy(), forecast.to_numpy()), "update ignored the values of the new data"
    for label, bad in [("a gap", y.iloc[n + 1 : m]), ("an overlap", y.iloc[n - 1 : m])]:
        try:
            copy.deepcopy(fitted).update(bad)
        except ValueError:
            continue
        raise AssertionError(f"update with {label} after the history must raise ValueError")


def check_no_peeking(forecaster: Any) -> None:
    """Forecasts depend only on data up to the cutoff, even when given slices of a longer series."""
    y_a = synthetic_series()
    y_b = y_a.copy()
    y_b.iloc[130:] = y_b.iloc[130:] * 3.0 + 100.0
    f_a = _fresh(forecaster).fit(y_a.iloc[:120])
    f_b = _fresh(forecaster).fit(y_b.iloc[:120])
    _assert_same(f_a.predict(_HORIZON), f_b.predict(_HORIZON), "fit forecasts changed with data after the cutoff")
    _assert_same(
        f_a.predict_interval(_HORIZON), f_b.predict_interval(_HORIZON), "intervals changed with data after the cutoff"
    )
    f_a.update(y_a.iloc[120:130])
    f_b.update(y_b.iloc[120:130])
    _assert_same(f_a.predict(_HORIZON), f_b.predict(_HORIZON), "updated forecasts changed with data after the cutoff")


def check_intervals(forecaster: Any) -> None:
    """Intervals are on the predict index, contain the point forecast and widen with coverage."""
    for y in (synthetic_series(), synthetic_series(n_series=2)):
        f = _fresh(forecaster).fit(y)
        point = f.predict(_HORIZON)
        widths = []
        for level in (0.5, 0.8, 0.95):
            interval = f.predict_interval(_HORIZON, coverage=level)
            assert isinstance(interval, pd.DataFrame), "predict_interval must return a DataFrame"
            assert interval.index.equals(point.index), "interval index differs from the predict index"
            if isinstance(y, pd.Series):
                assert list(interval.columns) == ["lower", "upper"], f"columns must be lower, upper: {interval.columns}"
                lower, upper = interval["lower"].to_numpy(), interval["upper"].to_numpy()
                p = point.to_numpy()
            else:
                expected = pd.MultiIndex.from_product([list(y.columns), ["lower", "upper"]])
                assert interval.columns.equals(expected), f"columns must be (series, lower|upper): {interval.columns}"
                lower = interval.xs("lower", axis=1, level=1).to_numpy()
                upper = interval.xs("upper", axis=1, level=1).to_numpy()
                p = point.to_numpy()
            assert np.all(np.isfinite(lower)) and np.all(np.isfinite(upper)), "interval bounds are NaN or inf"
            tol = 1e-9 * (1.0 + np.abs(p))
            assert np.all(lower <= p + tol) and np.all(p <= upper + tol), f"{level:.0%} interval misses the forecast"
            widths.append(upper - lower)
        for narrow, wide in zip(widths, widths[1:]):
            assert np.all(narrow <= wide + 1e-9), "intervals must widen (weakly) with coverage"


def check_deterministic(forecaster: Any) -> None:
    """The same random_state gives the same forecasts."""
    y = synthetic_series()
    a = _fresh(forecaster).fit(y)
    b = _fresh(forecaster).fit(y)
    _assert_same(a.predict(_HORIZON), b.predict(_HORIZON), "two fits with the same random_state differ")
    _assert_same(a.predict_interval(_HORIZON), b.predict_interval(_HORIZON), "intervals of two fits differ")


def check_pickle(forecaster: Any) -> None:
    """A pickled and restored forecaster predicts exactly the same."""
    f = _fresh(forecaster).fit(synthetic_series())
    restored = pickle.loads(pickle.dumps(f))
    _assert_same(f.predict(_HORIZON), restored.predict(_HORIZON), "pickle round trip changed predictions")
    _assert_same(
        f.predict_interval(_HORIZON), restored.predict_interval(_HORIZON), "pickle round trip changed intervals"
    )


def check_no_mutation(forecaster: Any) -> None:
    """fit, update, predict and predict_interval leave the caller's data unchanged."""
    y = synthetic_series()
    head, tail = y.iloc[:130].copy(), y.iloc[130:].copy()
    head_before, tail_before = head.copy(), tail.copy()
    f = _fresh(forecaster).fit(head)
    f.update(tail)
    f.predict(_HORIZON)
    f.predict_interval(_HORIZON)
    pd.testing.assert_series_equal(head, head_before, obj="y passed to fit (it was mutated)")
    pd.testing.assert_series_equal(tail, tail_before, obj="y_new passed to update (it was mutated)")
    assert head.index.freq == head_before.index.freq, "fit changed the index frequency of y"
    array = synthetic_series(n_series=2).to_numpy()
    array_before = array.copy()
    _fresh(forecaster).fit(array).predict(_HORIZON)
    np.testing.assert_array_equal(array, array_before, err_msg="a numpy y passed to fit was mutated")


def _covariate_frame(y: pd.Series, support: str, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"plan": (np.arange(len(y)) % 7 < 2).astype(float)}, index=y.index)
    if support == "both":
        frame["signal"] = np.roll(y.to_numpy(), 1) + rng.normal(scale=0.1, size=len(y))
    return frame


def check_covariates(forecaster: Any) -> None:
    """X is validated, future covariates are required by predict, and nothing leaks through covariates."""
    params = forecaster.get_params()
    if "future_covariates" not in params:
        return
    support = getattr(type(forecaster), "covariate_support", "both")
    y = synthetic_series()
    X = _covariate_frame(y, support)
    n, h = 120, _HORIZON
    if support == "both":
        # Past covariates are unknown after the origin: forecasts reach only the steps one pass emits.
        reach = 1 if params.get("strategy") == "recursive" else params.get("horizon", _HORIZON)
        h = min(_HORIZON, reach)
    if support == "ignore":
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


def _bad_inputs() -> Iterable[tuple[str, Callable[[Any], Any]]]:
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
    yield "NaN in y", lambda f: f.fit(with_nan)
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
    for label, call in _bad_inputs():
        try:
            call(_fresh(forecaster))
        except (ValueError, TypeError) as error:
            assert str(error), f"{label}: the error has no message"
            continue
        raise AssertionError(f"{label} must raise ValueError or TypeError")


CHECKS: dict[str, Callable[[Any], None]] = {
    "clone_and_params": check_clone_and_params,
    "not_fitted": check_not_fitted,
    "fit_returns_self": check_fit_returns_self,
    "predict_series": check_predict_series,
    "predict_frame": check_predict_frame,
    "predict_range_index": check_predict_range_index,
    "update": check_update,
    "no_peeking": check_no_peeking,
    "intervals": check_intervals,
    "deterministic": check_deterministic,
    "pickle": check_pickle,
    "no_mutation": check_no_mutation,
    "bad_input": check_bad_input,
    "covariates": check_covariates,
}


def check_forecaster(forecaster: Any, checks: Iterable[str] | None = None) -> None:
    """Check that a forecaster keeps the tsrnn forecasting contract.

    The checks (see ``CHECKS``) fit unfitted clones of ``forecaster`` on small
    synthetic series (160 daily points, trend plus weekly season); when the
    forecaster has a ``random_state`` left at None it is fixed to 0. They cover:
    clone/get_params round trip; NotFittedError before fit; fit returns self;
    the predict index, name and shape for Series, DataFrame, RangeIndex and
    numpy input; ``update`` (moves the forecast origin, uses the new values,
    updating in one piece equals updating in pieces, gaps and overlaps raise);
    no peeking (forecasts from slices of two series that differ after the
    cutoff are identical); intervals (on the predict index, containing the
    forecast, widening with coverage); determinism; pickle round trip; no
    mutation of inputs; and clear errors for bad input.

    Parameters
    ----------
    forecaster : BaseForecaster
        An unfitted forecaster (it is cloned, never modified).
    checks : iterable of str, optional
        Names of the checks to run; all of them by default.

    Raises
    ------
    AssertionError
        Naming the first broken rule and the reason.
    """
    names = list(CHECKS) if checks is None else list(checks)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise ValueError(f"unknown checks {unknown}; choose from {list(CHECKS)}.")
    for name in names:
        try:
            CHECKS[name](forecaster)
        except AssertionError as error:
            raise AssertionError(f"{type(forecaster).__name__} breaks rule {name!r}: {error}") from error
        except Exception as error:  # noqa: BLE001 - any crash breaks the rule being checked
            raise AssertionError(
                f"{type(forecaster).__name__} breaks rule {name!r}: {type(error).__name__}: {error}"
            ) from error
