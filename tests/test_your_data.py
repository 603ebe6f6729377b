"""A user's own series: index forms, gaps, missing values, regularize."""

import copy

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge

from tsrnn import ARForecaster, GRUForecaster, NaiveForecaster, RegressionForecaster, regularize
from tsrnn.testing import synthetic_series

FAST = {"window": 12, "hidden_size": 8, "epochs": 3, "batch_size": 32, "random_state": 0}


def test_ar_picks_order_zero_on_white_noise_and_forecasts_the_mean():
    failures = []
    for seed in range(20):
        y = pd.Series(np.random.default_rng(seed).normal(size=100))
        f = ARForecaster().fit(y)
        if f.lags_ == []:
            np.testing.assert_allclose(f.predict(3).to_numpy(), f.result_.params[0])
        failures += [] if np.isfinite(f.predict_interval(3).to_numpy()).all() else [seed]
    assert not failures


@pytest.mark.parametrize("freq, season", [("M", 12), ("Q", 4), ("Y", None)])
def test_period_index_in_gives_period_index_out(freq, season):
    index = pd.period_range("1990", periods=80, freq=freq)
    y = pd.Series(np.sin(np.arange(80) / 3) + 0.1 * np.arange(80), index=index, name="sales")
    for f in (ARForecaster(lags=2), NaiveForecaster(), GRUForecaster(**FAST)):
        forecast = f.fit(y).predict(3)
        assert isinstance(forecast.index, pd.PeriodIndex) and forecast.index[0] == index[-1] + 1
        assert forecast.index.freq == index.freq
        assert isinstance(f.predict_interval(3).index, pd.PeriodIndex)
    if season:
        assert NaiveForecaster("seasonal").fit(y).season_length_ == season


def test_period_index_calendar_features_use_the_first_day():
    y = pd.Series(np.arange(40.0), index=pd.period_range("2000-01", periods=40, freq="M"))
    forecast = ARForecaster(lags=1, calendar=["month"]).fit(y).predict(2)
    assert list(forecast.index.astype(str)) == ["2003-05", "2003-06"]


def test_time_zone_aware_index_stays_aware():
    index = pd.date_range("2024-03-01", periods=120, freq="h", tz="Europe/Berlin")
    y = pd.Series(np.sin(np.arange(120) / 4), index=index)
    forecast = ARForecaster(lags=3).fit(y).predict(48)  # across the change to summer time
    assert str(forecast.index.tz) == "Europe/Berlin" and forecast.index.freq == index.freq


def test_custom_business_days_are_kept():
    holidays = ["2024-01-15", "2024-02-19"]
    freq = pd.offsets.CustomBusinessDay(holidays=holidays)
    index = pd.date_range("2024-01-02", periods=60, freq=freq)
    y = pd.Series(np.arange(60.0), index=index)
    forecast = NaiveForecaster().fit(y).predict(5)
    assert forecast.index.equals(pd.date_range(index[-1], periods=6, freq=freq)[1:])


def _prices_without_holidays(start: str = "2023-01-02", end: str = "2024-06-28") -> pd.Series:
    from pandas.tseries.holiday import USFederalHolidayCalendar

    days = pd.bdate_range(start, end)
    days = days[~days.isin(USFederalHolidayCalendar().holidays(start, end))]
    return pd.Series(100 + np.cumsum(np.random.default_rng(1).normal(size=len(days))), index=days)


def test_prices_with_holidays_say_how_to_skip_them_and_regularize_does():
    y = _prices_without_holidays()
    with pytest.raises(ValueError, match=r"regularize\(y, holidays='missing'\)"):
        ARForecaster().fit(y)
    skipped = regularize(y, holidays="missing")
    assert skipped.index.equals(y.index) and skipped.attrs["regularize"]["holidays"] == 15
    assert y.index.freq is None  # the caller's series is left as it was
    forecast = NaiveForecaster(strategy="seasonal").fit(skipped).predict(5)  # a week of business days
    assert forecast.index[0] == pd.Timestamp("2024-07-01") and len(forecast) == 5
    assert (forecast.index.day_of_week < 5).all()


def test_a_holiday_calendar_skips_future_holidays_and_fills_other_gaps():
    from pandas.tseries.holiday import USFederalHolidayCalendar

    y = _prices_without_holidays()
    gappy = y.drop(y.index[[100, 101]])  # two trading days lost, not holidays
    with pytest.warns(UserWarning, match="2 missing period"):
        regular = regularize(gappy, holidays=USFederalHolidayCalendar(), fill="ffill")
    assert regular.index.equals(y.index) and regular.iloc[100] == gappy.iloc[99]
    forecast = ARForecaster().fit(regular).predict(4)
    assert pd.Timestamp("2024-07-04") not in forecast.index  # Independence Day, after the data
    assert list(forecast.index.strftime("%m-%d")) == ["07-01", "07-02", "07-03", "07-05"]
    # One date is one holiday; business days are the only frequency holidays make sense on.
    with pytest.warns(UserWarning, match="14 missing period"):  # the other federal holidays, added as gaps
        assert regularize(y, holidays="2024-05-27", fill=None).attrs["regularize"]["holidays"] == 1
    with pytest.raises(ValueError, match="freq must be None, 'B' or 'C'"):
        regularize(y, freq="2B", holidays="missing")
    # New data that skip a day the calendar does not know as a holiday: the error names the day.
    model = ARForecaster().fit(regularize(y, holidays="missing"))
    with pytest.raises(ValueError, match="observation 2 is at 2024-07-03 00:00:00, where 2024-07-02"):
        model.update(pd.Series([1.0, 2.0], index=pd.to_datetime(["2024-07-01", "2024-07-03"])))
    # Updating with the next trading days continues on the calendar.
    days = forecast.index[:3]
    model = ARForecaster().fit(regular)
    model.update(pd.Series([1.0, 2.0, 3.0], index=days) + regular.iloc[-1])
    assert model.predict(1).index[0] == pd.Timestamp("2024-07-05")


@pytest.mark.parametrize(
    "index, words",
    [
        (pd.Index(np.arange(50) + 0.5), "astype\\(int\\)"),
        (
            pd.Index([f"2024-01-{d:02d}" for d in range(1, 29)] + [f"2024-02-{d:02d}" for d in range(1, 23)]),
            "to_datetime",
        ),
    ],
)
def test_indexes_without_a_time_axis_say_how_to_convert(index, words):
    with pytest.raises(TypeError, match=words):
        NaiveForecaster().fit(pd.Series(np.arange(50.0), index=index))


def test_irregular_dates_point_to_regularize_with_the_likely_frequency():
    y = pd.Series(np.arange(30.0), index=pd.date_range("2024-01-07", periods=30, freq="W"))
    y = y.drop(y.index[[4, 9]])
    with pytest.raises(ValueError, match=r"regularize\(y, freq='W-SUN'\)"):
        ARForecaster().fit(y)


def test_regularize_fills_gaps_and_says_what_it_did():
    y = pd.Series(np.arange(30.0), index=pd.date_range("2024-01-07", periods=30, freq="W"), name="load")
    gappy = y.drop(y.index[[4, 9, 10]])
    before = gappy.copy()
    with pytest.warns(UserWarning, match="3 missing period"):
        regular = regularize(gappy)
    pd.testing.assert_series_equal(gappy, before)  # the caller's series is untouched
    assert regular.index.freqstr == "W-SUN" and len(regular) == 30
    np.testing.assert_allclose(regular.to_numpy(), y.to_numpy())  # linear data: interpolation is exact
    assert regular.attrs["regularize"] == {"freq": "W-SUN", "added": 3, "filled": 3, "sorted": False}
    with pytest.warns(UserWarning):
        marked = regularize(gappy.sample(frac=1.0, random_state=0), fill=None)
    assert marked.isna().sum() == 3 and marked.attrs["regularize"]["sorted"]
    with pytest.warns(UserWarning):
        carried = regularize(gappy, fill="ffill")
    assert carried.iloc[4] == carried.iloc[3]


@pytest.mark.parametrize(
    "bad, error, words",
    [
        (pd.Series([1.0, 2.0], index=pd.to_datetime(["2024-01-01", "2024-01-01"])), ValueError, "groupby"),
        (pd.Series([1.0, 2.0, 3.0], index=[1, 2, 3]), TypeError, "DatetimeIndex"),
        ([1.0, 2.0], TypeError, "Series"),
        (pd.Series(["a", "b", "c"], index=pd.date_range("2024", periods=3)), TypeError, "numbers"),
    ],
)
def test_regularize_refuses_what_it_cannot_fix(bad, error, words):
    with pytest.raises(error, match=words):
        regularize(bad)


def test_regularize_refuses_off_grid_timestamps_and_bad_options():
    y = pd.Series(
        np.arange(5.0),
        index=pd.to_datetime(
            ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-03 12:00", "2024-01-04"], format="mixed"
        ),
    )
    with pytest.raises(ValueError, match="resample"):
        regularize(y, freq="D")
    with pytest.raises(ValueError, match="fill"):
        regularize(y, fill="linear")
    with pytest.raises(ValueError, match="freq"):
        regularize(y, freq="fortnightly")


@pytest.mark.parametrize(
    "forecaster",
    [GRUForecaster(**FAST), GRUForecaster(difference=True, **FAST), RegressionForecaster(Ridge(), window=12)],
    ids=["gru", "gru-differenced", "ridge"],
)
def test_missing_values_are_trained_around_and_filled_before_forecasting(forecaster):
    y = synthetic_series()
    gappy = y.copy()
    gappy.iloc[[40, 41, 100, len(y) - 1]] = np.nan
    f = forecaster.fit(gappy)
    assert f.n_incomplete_windows_ > 0
    forecast = f.predict(5)
    assert np.isfinite(forecast.to_numpy()).all() and forecast.index[0] == y.index[-1] + y.index.freq
    assert np.isfinite(f.predict_interval(5).to_numpy()).all()
    # A missing new observation is the model's one-step forecast from the observations before it.
    m = clone(forecaster).fit(gappy.iloc[:-1])
    one_step = m.predict(1)
    missing = copy.deepcopy(m).update(one_step * np.nan).predict(5)
    known = copy.deepcopy(m).update(one_step).predict(5)
    np.testing.assert_allclose(missing.to_numpy(), known.to_numpy(), rtol=1e-12)


def test_missing_values_in_naive_and_ar_point_to_regularize():
    y = synthetic_series()
    y.iloc[10] = np.nan
    for f in (NaiveForecaster(), ARForecaster()):
        with pytest.raises(ValueError, match="regularize"):
            f.fit(y)


def test_a_gap_too_early_to_forecast_from_is_explained():
    y = synthetic_series().iloc[:40]
    y.iloc[2] = np.nan
    f = RegressionForecaster(Ridge(), window=12).fit(y.iloc[:30])
    tail = y.iloc[30:].copy()
    tail.iloc[:] = np.nan  # the whole tail unknown: filled from the observed history, as far as it reaches
    f.update(tail)
    assert np.isfinite(f.predict(2).to_numpy()).all()


def test_intervals_after_a_gap_at_the_end_are_those_of_longer_forecasts():
    y = synthetic_series()
    gappy = y.copy()
    gappy.iloc[-3:] = np.nan
    f = RegressionForecaster(Ridge(), window=12).fit(y.iloc[:-3]).update(gappy.iloc[-3:])
    g = RegressionForecaster(Ridge(), window=12).fit(y.iloc[:-3])
    widths_after_gap = np.diff(f.predict_interval(2).to_numpy(), axis=1)[:, 0]
    widths_four_ahead = np.diff(g.predict_interval(5).to_numpy(), axis=1)[3:, 0]
    np.testing.assert_allclose(widths_after_gap, widths_four_ahead)


def test_business_days_with_holidays_are_recognised():
    from tsrnn._index import likely_freq

    days = pd.bdate_range("2024-01-02", periods=120).delete([10, 40, 80])
    assert likely_freq(days) == "B"
