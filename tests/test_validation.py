import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsrnn._index import future_index, season_length_for
from tsrnn._validation import (
    Boolean,
    Interval,
    InvalidParameterError,
    ListOf,
    Options,
    check_coverage,
    check_horizon,
    check_series,
    validate_params,
)


def test_series_values_are_float_copies(y):
    data = check_series(y)
    assert data.values.dtype == np.float64 and data.values.shape == (len(y), 1)
    data.values[0, 0] = -1.0
    assert y.iloc[0] != -1.0


def test_frequency_is_inferred_when_not_set(y):
    stripped = pd.Series(y.to_numpy(), index=pd.DatetimeIndex(list(y.index)))
    assert stripped.index.freq is None
    assert check_series(stripped).freq == pd.tseries.frequencies.to_offset("D")


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda y: y.iloc[:0], ValueError, "empty"),
        (lambda y: y.where(y.index != y.index[3]), ValueError, "NaN"),
        (lambda y: y.iloc[::-1], ValueError, "unsorted"),
        (lambda y: pd.concat([y.iloc[:5], y.iloc[4:]]), ValueError, "duplicated"),
        (lambda y: y.astype(str), TypeError, "numbers"),
        (lambda y: y > 10, TypeError, "numbers"),
        (lambda y: list(y), TypeError, "Series"),
        (lambda y: pd.Series(y.to_numpy(), index=y.index.astype(str)), TypeError, "DatetimeIndex"),
    ],
)
def test_bad_series_errors_name_the_argument(y, make, error, words):
    with pytest.raises(error, match=words) as info:
        check_series(make(y), "y")
    assert "y" in str(info.value)


def test_irregular_index_is_refused(y):
    irregular = y.drop(y.index[[3, 9]])
    irregular.index.freq = None
    with pytest.raises(ValueError, match="no regular frequency"):
        check_series(irregular)


def test_too_short_says_how_long(y):
    with pytest.raises(ValueError, match="at least 10"):
        check_series(y.iloc[:4], min_length=10)


def test_integer_index_must_be_regular():
    assert check_series(pd.Series([1.0, 2.0, 3.0], index=[2, 4, 6])).freq == 2
    with pytest.raises(ValueError, match="unequal steps"):
        check_series(pd.Series([1.0, 2.0, 3.0], index=[1, 2, 4]))


@pytest.mark.parametrize("bad", [0, -2, 1.5, "3", True, None])
def test_horizon_must_be_a_positive_int(bad):
    with pytest.raises(InvalidParameterError, match="horizon"):
        check_horizon(bad)


@pytest.mark.parametrize("bad", [0, 1, 1.2, -0.5, "0.9", True])
def test_coverage_must_be_in_open_unit_interval(bad):
    with pytest.raises(InvalidParameterError, match="coverage"):
        check_coverage(bad)


@given(start=st.integers(-1000, 1000), step=st.integers(1, 50), horizon=st.integers(1, 100))
def test_future_integer_index_continues_the_step(start, step, horizon):
    index = future_index(start, step, horizon)
    assert len(index) == horizon and index[0] == start + step and np.all(np.diff(index) == step)


@given(horizon=st.integers(1, 60), freq=st.sampled_from(["D", "B", "h", "MS", "W-SUN", "QE-DEC"]))
def test_future_datetime_index_follows_the_frequency(horizon, freq):
    history = pd.date_range("2020-01-06", periods=10, freq=freq)
    index = future_index(history[-1], history.freq, horizon)
    assert index.equals(pd.date_range(history[-1], periods=horizon + 1, freq=freq)[1:])
    assert index[0] > history[-1]


def test_season_length_from_frequency():
    assert season_length_for(pd.tseries.frequencies.to_offset("B")) == 5
    assert season_length_for(pd.tseries.frequencies.to_offset("h")) == 24
    with pytest.raises(ValueError, match="season_length"):
        season_length_for(1)


def test_invalid_parameter_error_is_both_value_and_type_error():
    assert issubclass(InvalidParameterError, ValueError) and issubclass(InvalidParameterError, TypeError)


@pytest.mark.parametrize(
    "rule, good, bad",
    [
        (Interval("int", 1, None), [1, np.int64(3), np.int32(7)], [0, 1.0, True, np.True_, "2", None]),
        (
            Interval("real", 0, 1, closed="left"),
            [0, 0.5, np.float32(0.9), np.int64(0)],
            [1, -0.1, np.nan, False, "0.5"],
        ),
        (Options("a", "b"), ["a", np.str_("b")], ["c", 1, None, ["a"]]),
        (Boolean, [True, False, np.True_, np.False_], [1, 0, "yes", None]),
        (ListOf(Options("x"), "a list of x", min_length=1), [["x"], ("x", "x")], [[], "x", ["y"], None]),
    ],
)
def test_rules_accept_numpy_scalars_and_refuse_look_alikes(rule, good, bad):
    assert all(rule(value) for value in good), [value for value in good if not rule(value)]
    assert not any(rule(value) for value in bad), [value for value in bad if rule(value)]


def test_validate_params_names_parameter_value_and_rule():
    constraints = {"window": [Interval("int", 1, None)], "loss": [Options("mse", "mae"), None]}
    validate_params(constraints, {"window": np.int64(4), "loss": None})
    with pytest.raises(InvalidParameterError) as info:
        validate_params(constraints, {"window": 0, "loss": "mse"}, owner="LSTMForecaster")
    assert str(info.value) == "window of LSTMForecaster must be a positive int; got 0."
    with pytest.raises(InvalidParameterError, match=r"loss must be one of 'mse', 'mae' or None; got 'mape'"):
        validate_params(constraints, {"window": 3, "loss": "mape"})
