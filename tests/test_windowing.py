import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from tsrnn import SlidingWindowTransformer, make_windows


@given(
    n=st.integers(2, 200),
    window=st.integers(1, 40),
    horizon=st.integers(1, 10),
    step=st.integers(1, 7),
    features=st.integers(1, 3),
)
def test_windows_are_the_documented_slices(n, window, horizon, step, features):
    values = np.arange(n * features, dtype=float).reshape(n, features)
    if n < window + horizon:
        with pytest.raises(ValueError, match="at least"):
            make_windows(values, window, horizon, step)
        return
    inputs, targets = make_windows(values, window, horizon, step)
    expected = (n - window - horizon) // step + 1
    assert inputs.shape == (expected, window, features) and targets.shape == (expected, horizon, features)
    for i in (0, expected - 1):
        np.testing.assert_array_equal(inputs[i], values[i * step : i * step + window])
        np.testing.assert_array_equal(targets[i], values[i * step + window : i * step + window + horizon])


def test_windows_share_memory_with_the_series():
    values = np.random.default_rng(0).normal(size=10_000)
    inputs, targets = make_windows(values, 256, 7)
    assert np.shares_memory(inputs, values) and np.shares_memory(targets, values)
    assert inputs.shape == (10_000 - 256 - 7 + 1, 256, 1)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_window_must_be_positive_int(bad):
    with pytest.raises((ValueError, TypeError), match="window"):
        make_windows(np.arange(50.0), bad, 1)


def test_lag_matrix_has_readable_names_and_no_leak():
    y = pd.DataFrame(
        {"temp_max": np.arange(10.0), "wind": np.arange(10.0) * 10}, index=pd.date_range("2020", periods=10)
    )
    lags = SlidingWindowTransformer(window=3).fit_transform(y)
    assert list(lags.columns[:3]) == ["temp_max_lag_1", "temp_max_lag_2", "temp_max_lag_3"]
    assert list(lags.columns[3:]) == ["wind_lag_1", "wind_lag_2", "wind_lag_3"]
    assert lags.index[0] == y.index[3]
    # Row t holds only values before t.
    row = lags.loc[y.index[5]]
    assert row["temp_max_lag_1"] == 4.0 and row["temp_max_lag_3"] == 2.0 and row["wind_lag_2"] == 30.0


def test_lag_matrix_in_a_pipeline_and_clone():
    y = pd.Series(np.sin(np.arange(200) / 4), index=pd.date_range("2020", periods=200), name="s")
    transformer = SlidingWindowTransformer(window=8, step=2)
    assert clone(transformer).get_params() == transformer.get_params()
    lags = transformer.fit_transform(y)
    model = make_pipeline(StandardScaler(), Ridge(alpha=1e-3)).fit(lags, y.loc[lags.index])
    assert model.score(lags, y.loc[lags.index]) > 0.99
    assert len(lags) == len(range(8, 200, 2))


def test_lag_matrix_refuses_other_columns():
    t = SlidingWindowTransformer(window=2).fit(pd.DataFrame({"a": np.arange(5.0)}))
    with pytest.raises(ValueError, match="columns"):
        t.transform(pd.DataFrame({"b": np.arange(5.0)}))


def test_lag_matrix_calendar_columns_describe_the_row_timestamp():
    y = pd.Series(np.arange(20.0), index=pd.date_range("2021-01-04", periods=20, freq="D"), name="t")
    lags = SlidingWindowTransformer(window=2, calendar=["dayofweek"]).fit_transform(y)
    assert list(lags.columns) == ["t_lag_1", "t_lag_2", "dayofweek_sin", "dayofweek_cos"]
    monday = lags.index[lags.index.day_of_week == 0][0]
    assert lags.loc[monday, "dayofweek_sin"] == pytest.approx(0.0) and lags.loc[
        monday, "dayofweek_cos"
    ] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="calendar"):
        SlidingWindowTransformer(window=2, calendar=["moon"]).fit(y)
