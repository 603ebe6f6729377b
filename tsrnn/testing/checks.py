"""The contract checks of every forecaster: predictions, update, leakage, intervals, state."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from tsrnn._index import future_index
from tsrnn.testing.data import HORIZON as _HORIZON
from tsrnn.testing.data import assert_same as _assert_same
from tsrnn.testing.data import fresh as _fresh
from tsrnn.testing.data import synthetic_series


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
    """predict, predict_interval, predict_quantiles and update before fit raise NotFittedError."""
    y = synthetic_series()
    for name, call in [
        ("predict", lambda f: f.predict(_HORIZON)),
        ("predict_interval", lambda f: f.predict_interval(_HORIZON)),
        ("predict_quantiles", lambda f: f.predict_quantiles(_HORIZON)),
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


def _snapshot(forecaster: Any) -> dict[str, tuple[Any, Any]]:
    """Every attribute with a copy of its contents, where they can change in place (arrays, network weights)."""
    state = {}
    for name, value in vars(forecaster).items():
        if isinstance(value, np.ndarray):
            contents = value.copy()
        elif hasattr(value, "state_dict"):
            contents = {k: v.detach().clone() for k, v in value.state_dict().items()}
        else:
            contents = None
        state[name] = (value, contents)
    return state


def check_read_only(forecaster: Any) -> None:
    """predict, predict_interval and predict_quantiles never change the forecaster: no caches, no new attributes."""
    for y in (synthetic_series(), synthetic_series(n_series=2)):
        f = _fresh(forecaster).fit(y.iloc[:140])
        f.update(y.iloc[140:])
        before = _snapshot(f)
        for horizon in (_HORIZON, 3 * _HORIZON):
            f.predict(horizon)
            f.predict_interval(horizon, coverage=0.8)
            f.predict_quantiles(horizon, quantiles=[0.1, 0.5, 0.9])
        after = vars(f)
        assert set(after) == set(before), f"predicting added or removed attributes {set(after) ^ set(before)}"
        for name, (value, contents) in before.items():
            assert after[name] is value, f"predicting replaced the attribute {name!r}"
            if isinstance(contents, np.ndarray):
                assert np.array_equal(contents, value, equal_nan=True), f"predicting changed the array {name!r}"
            elif isinstance(contents, dict):
                for key, tensor in value.state_dict().items():
                    assert bool((tensor == contents[key]).all()), f"predicting changed the weights {name}.{key}"


def check_quantiles(forecaster: Any) -> None:
    """Quantiles: on the predict index, one column per level, monotone, the interval bounds, deterministic."""
    levels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]
    for y in (synthetic_series(), synthetic_series(n_series=2)):
        f = _fresh(forecaster).fit(y)
        point = f.predict(_HORIZON)
        table = f.predict_quantiles(_HORIZON, quantiles=levels[::-1])
        assert isinstance(table, pd.DataFrame) and table.index.equals(point.index), (
            "quantiles are not on the predict index"
        )
        names = list(y.columns) if isinstance(y, pd.DataFrame) else [None]
        for name in names:
            part = table if name is None else table[name]
            assert list(part.columns) == levels, f"quantile columns must be the sorted levels, got {list(part.columns)}"
            values = part.to_numpy()
            assert np.all(np.isfinite(values)), "quantiles are NaN or inf"
            assert np.all(np.diff(values, axis=1) >= -1e-9 * (1.0 + np.abs(values[:, 1:]))), "quantiles cross"
        for coverage, (low, high) in ((0.9, (0.05, 0.95)), (0.8, (0.1, 0.9))):
            interval = f.predict_interval(_HORIZON, coverage=coverage)
            if isinstance(y, pd.DataFrame):
                bounds = np.stack(
                    [table.xs(low, axis=1, level=1).to_numpy(), table.xs(high, axis=1, level=1).to_numpy()]
                )
                expected = np.stack([interval.xs(b, axis=1, level=1).to_numpy() for b in ("lower", "upper")])
            else:
                bounds = table[[low, high]].to_numpy().T
                expected = interval[["lower", "upper"]].to_numpy().T
            _assert_same(
                bounds, expected, f"the {coverage:.0%} interval differs from the matching quantiles", exact=False
            )
        again = _fresh(forecaster).fit(y).predict_quantiles(_HORIZON, quantiles=levels)
        _assert_same(table, again, "two fits with the same random_state give different quantiles")
