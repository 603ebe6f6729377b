"""Settings that follow the data: lookbacks, AR orders and calendar features from the frequency and the length."""

import warnings

import numpy as np
import pandas as pd
import pytest

import tsrnn
from tsrnn import ARForecaster, GRUForecaster, InvalidParameterError, compare
from tsrnn.frequency import (
    default_calendar,
    default_max_lags,
    default_plan,
    default_window,
    frequency_code,
)


@pytest.mark.parametrize(
    "freq, code",
    [("h", "h"), ("D", "D"), ("B", "B"), ("W-SUN", "W"), ("W-SAT", "W"), ("MS", "M"), ("ME", "M"), ("QS", "Q"),
     ("QE-DEC", "Q"), ("YS", "Y"), ("YE-DEC", "Y"), ("2h", None)],
)  # fmt: skip
def test_frequency_codes(freq, code):
    assert frequency_code(pd.tseries.frequencies.to_offset(freq)) == code
    assert frequency_code(freq) == code


def test_integer_and_missing_frequencies_have_no_code():
    assert frequency_code(1) is None and frequency_code(None) is None


@pytest.mark.parametrize(
    "freq, n, window",
    [("h", 1000, 48), ("D", 1000, 30), ("B", 1000, 30), ("W-SUN", 1000, 104), ("MS", 500, 24), ("QS", 200, 8),
     ("YS", 200, 10), ("YS", 30, 7), ("D", 80, 20), ("MS", 40, 10)],
)  # fmt: skip
def test_default_window_follows_frequency_and_is_at_most_a_quarter_of_the_training_data(freq, n, window):
    chosen, why = default_window(pd.tseries.frequencies.to_offset(freq), n)
    assert chosen == window
    assert str(window) in why
    if window < {"h": 48, "D": 30, "B": 30, "W-SUN": 104, "MS": 24, "QS": 8, "YS": 10}[freq]:
        assert "quarter" in why


def test_default_window_of_an_integer_index_is_the_given_default():
    assert default_window(1, 1000, default=30)[0] == 30
    assert default_window(1, 40, default=30)[0] == 10


@pytest.mark.parametrize("freq, n, lags", [("D", 1000, 30), ("W-SUN", 1300, 104), ("MS", 300, 24), ("MS", 100, 20),
                                           ("QS", 200, 8), ("YS", 50, 10), ("YS", 30, 6), ("YS", 4, 1)])  # fmt: skip
def test_default_max_lags(freq, n, lags):
    assert default_max_lags(pd.tseries.frequencies.to_offset(freq), n) == lags


def test_default_calendar_describes_the_cycles_of_each_frequency():
    offset = pd.tseries.frequencies.to_offset
    assert default_calendar(offset("h")) == ["hour", "dayofweek"]
    assert default_calendar(offset("D")) == ["dayofweek", "dayofyear"]
    assert default_calendar(offset("MS")) == ["month"]
    assert default_calendar(offset("QS")) == ["quarter"]
    assert default_calendar(offset("YS")) == [] and default_calendar(1) == []


def _yearly(n=60, seed=0):
    rng = np.random.default_rng(seed)
    values = np.zeros(n)
    for t in range(1, n):
        values[t] = 0.6 * values[t - 1] + rng.normal()
    return pd.Series(values + 10, index=pd.date_range("1900", periods=n, freq="YS"), name="level")


def test_ar_max_lags_auto_is_bounded_by_a_fifth_of_the_data():
    y = _yearly(60)
    fitted = ARForecaster(max_lags="auto").fit(y)
    assert fitted.max_lags_ == 10
    short = ARForecaster(max_lags="auto").fit(y.iloc[:30])
    assert short.max_lags_ == 6
    assert ARForecaster().max_lags == "auto" and ARForecaster().fit(y).max_lags_ == 10
    # An int keeps its old meaning: at most half the series on a short one.
    assert ARForecaster(max_lags=30).fit(y.iloc[:30]).max_lags_ == 14


def test_ar_max_lags_auto_warns_when_the_search_stops_at_its_limit():
    # Monthly data whose dependence is at lag 26, beyond the two years of lags the search considers.
    rng = np.random.default_rng(1)
    values = np.zeros(300)
    for t in range(26, 300):
        values[t] = 0.9 * values[t - 26] + rng.normal()
    values[:26] = rng.normal(size=26)
    y = pd.Series(values, index=pd.date_range("2000-01-01", periods=300, freq="MS"))
    with pytest.warns(UserWarning, match=r"largest order allowed \(24\)"):
        ARForecaster(max_lags="auto").fit(y)


def test_ar_max_lags_refuses_other_strings():
    with pytest.raises(InvalidParameterError, match="max_lags"):
        ARForecaster(max_lags="many").fit(_yearly())


def test_calendar_auto_chooses_features_from_the_frequency():
    index = pd.date_range("2021-01-01", periods=200, freq="D")
    y = pd.Series(np.sin(np.arange(200) / 5.0), index=index)
    fitted = GRUForecaster(window=7, hidden_size=4, epochs=1, calendar="auto", random_state=0).fit(y)
    assert fitted.future_covariates_ == ["dayofweek_sin", "dayofweek_cos", "dayofyear_sin", "dayofyear_cos"]
    assert fitted.predict(3).index.equals(pd.date_range("2021-07-20", periods=3, freq="D"))
    integer = GRUForecaster(window=7, hidden_size=4, epochs=1, calendar="auto", random_state=0).fit(
        y.reset_index(drop=True)
    )
    assert integer.future_covariates_ == []  # an integer index has no calendar
    assert GRUForecaster(calendar="auto").get_params()["calendar"] == "auto"  # the parameter is kept as given


def test_calendar_refuses_other_strings():
    y = pd.Series(np.arange(100.0), index=pd.date_range("2021-01-01", periods=100, freq="D"))
    with pytest.raises(InvalidParameterError, match="calendar"):
        GRUForecaster(calendar="dayofyear").fit(y)


def test_compare_gives_default_windows_the_lookback_of_the_data_and_says_so():
    y = _yearly(80)
    default = GRUForecaster(hidden_size=4, epochs=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare({"gru": default, "set": GRUForecaster(window=5, hidden_size=4, epochs=1)}, y, progress=False)
    plan = default_plan(len(y), y.index.freq)
    assert result.models["gru"].window == 10 and default.window == 30  # the caller's model is left as it was
    assert result.models["set"].window == 5  # a window the user set is kept
    assert "window set to 10" in result.settings["adjusted"]["gru"]
    assert "horizon set to 5" in result.settings["adjusted"]["gru"]
    assert plan.horizon == 5 and "window set to 10" in result.to_markdown()


def test_compare_gives_a_regression_on_windows_the_lookback_of_the_data():
    from sklearn.linear_model import Ridge

    y = _yearly(80)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare({"ridge": tsrnn.RegressionForecaster(Ridge())}, y, progress=False, coverage=None)
    assert result.models["ridge"].window == 10
    assert "window set to 10" in result.settings["adjusted"]["ridge"]


def test_frequency_helpers_are_public():
    assert tsrnn.frequency.default_window is default_window


def test_default_plan_keeps_half_of_the_shortest_series_of_a_ragged_panel():
    plan = default_plan(132, pd.tseries.frequencies.to_offset("MS"), shortest=76)
    # 76 observations of the latest starter: half of them (38) must precede the first cutoff's test window.
    first_train_of_shortest = plan.initial - (132 - 76)
    assert first_train_of_shortest >= 38 and "shortest series" in plan.chosen["cutoffs"]
    assert default_plan(132, pd.tseries.frequencies.to_offset("MS")).initial < plan.initial


def test_compare_runs_a_ragged_panel_with_the_default_plan():
    index = pd.date_range("2000-01-01", periods=120, freq="MS")
    rng = np.random.default_rng(0)
    y = pd.DataFrame({"a": 100 + rng.normal(size=120).cumsum(), "b": 50 + rng.normal(size=120).cumsum()}, index=index)
    y.iloc[:60, 1] = np.nan  # b starts five years late
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare({"naive": tsrnn.NaiveForecaster()}, y, progress=False, coverage=None)
    train_b = result.settings["cv"].initial - 60
    assert train_b >= 30 and "shortest series" in result.settings["chosen"]["cutoffs"]
