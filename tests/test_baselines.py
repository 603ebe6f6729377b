import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.ar_model import AutoReg, ar_select_order

from tsrnn import ARForecaster, InvalidParameterError, NaiveForecaster


@pytest.mark.parametrize("lags, trend", [(1, "c"), (3, "ct"), ([1, 7], "c"), (5, "n")])
def test_ar_point_forecasts_equal_autoreg(y, lags, trend):
    ours = ARForecaster(lags=lags, trend=trend).fit(y).predict(10).to_numpy()
    theirs = AutoReg(y.to_numpy(), lags=lags, trend=trend).fit().forecast(10)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_ar_order_is_chosen_on_training_data_only(y):
    train = y.iloc[:100]
    f = ARForecaster(lags="aic", max_lags=10).fit(train)
    assert f.lags_ == list(ar_select_order(train.to_numpy(), maxlag=10, ic="aic", trend="c").ar_lags)


def test_ar_intervals_equal_statsmodels(y):
    f = ARForecaster(lags=2).fit(y)
    result = AutoReg(y.to_numpy(), lags=2, trend="c").fit()
    expected = result.get_prediction(start=len(y), end=len(y) + 4).conf_int(alpha=0.2)
    np.testing.assert_allclose(f.predict_interval(5, coverage=0.8).to_numpy(), expected, rtol=1e-10)


def test_ar_update_keeps_parameters_and_forecasts_from_the_new_end(y):
    f = ARForecaster(lags=3).fit(y.iloc[:120])
    params = f.result_.params.copy()
    f.update(y.iloc[120:])
    np.testing.assert_array_equal(f.result_.params, params)
    c, phi = params[0], params[1:]
    history = list(y.to_numpy())
    expected = []
    for _ in range(4):
        value = c + sum(phi[k] * history[-1 - k] for k in range(3))
        expected.append(value)
        history.append(value)
    np.testing.assert_allclose(f.predict(4).to_numpy(), expected, rtol=1e-12)


def test_ar_fits_one_model_per_column(y_frame):
    f = ARForecaster(lags=2).fit(y_frame)
    assert set(f.lags_) == set(y_frame.columns) and set(f.result_) == set(y_frame.columns)
    for column in y_frame.columns:
        expected = AutoReg(y_frame[column].to_numpy(), lags=2).fit().forecast(3)
        np.testing.assert_allclose(f.predict(3)[column].to_numpy(), expected, rtol=1e-12)


def test_ar_max_lags_shrinks_on_short_series(y):
    f = ARForecaster(max_lags=30).fit(y.iloc[:30])
    assert f.max_lags_ < 15


@pytest.mark.parametrize(
    "params, words",
    [
        ({"lags": "hqic"}, "lags"),
        ({"lags": -1}, "lags"),
        ({"lags": [0, 1]}, "lags"),
        ({"lags": 2.0}, "lags"),
        ({"trend": "x"}, "trend"),
        ({"lags": "aic", "max_lags": 0}, "max_lags"),
        ({"seasonal": "yes"}, "seasonal"),
        ({"season_length": 1}, "season_length"),
        ({"future_covariates": "promo"}, "future_covariates"),
        ({"calendar": ["fortnight"]}, "calendar"),
    ],
)
def test_ar_bad_parameters(y, params, words):
    with pytest.raises(InvalidParameterError, match=words):
        ARForecaster(**params).fit(y.iloc[:60])


def test_ar_too_many_lags_for_the_data_says_how_many_are_needed(y):
    with pytest.raises(ValueError, match="at least"):
        ARForecaster(lags=50).fit(y.iloc[:60])


def test_ar_accepts_numpy_scalars(y):
    ours = ARForecaster(lags=np.int64(3), seasonal=np.True_, season_length=np.int64(7)).fit(y).predict(5)
    pd.testing.assert_series_equal(ours, ARForecaster(lags=3, seasonal=True, season_length=7).fit(y).predict(5))


def test_naive_rules(y):
    values = y.to_numpy()
    assert np.all(NaiveForecaster("last").fit(y).predict(3).to_numpy() == values[-1])
    assert np.allclose(NaiveForecaster("mean").fit(y).predict(3).to_numpy(), values.mean())
    slope = (values[-1] - values[0]) / (len(values) - 1)
    assert np.allclose(NaiveForecaster("drift").fit(y).predict(3).to_numpy(), values[-1] + slope * np.arange(1, 4))
    seasonal = NaiveForecaster("seasonal").fit(y).predict(10).to_numpy()
    assert np.allclose(seasonal, np.concatenate([values[-7:], values[-7:-4]]))


def test_naive_last_interval_grows_with_sqrt_h(y):
    band = NaiveForecaster().fit(y).predict_interval(4)
    width = (band["upper"] - band["lower"]).to_numpy()
    np.testing.assert_allclose(width / width[0], np.sqrt([1, 2, 3, 4]))


def test_naive_update_equals_fit_on_longer_history_for_last_value(y):
    updated = NaiveForecaster().fit(y.iloc[:100]).update(y.iloc[100:]).predict(3)
    pd.testing.assert_series_equal(updated, NaiveForecaster().fit(y).predict(3))


@pytest.mark.parametrize("params", [{"strategy": "median"}, {"season_length": 0}, {"season_length": 7.0}])
def test_naive_bad_parameters(y, params):
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        NaiveForecaster(**params).fit(y)


def test_naive_ignores_covariates(y):
    X = pd.DataFrame({"wind": np.arange(len(y), dtype=float)}, index=y.index)
    with_x = NaiveForecaster().fit(y, X=X).predict(3)
    pd.testing.assert_series_equal(with_x, NaiveForecaster().fit(y).predict(3))


def test_ar_refuses_past_only_covariates_with_an_explanation(y):
    X = pd.DataFrame({"wind": np.arange(len(y), dtype=float)}, index=y.index)
    with pytest.raises(ValueError, match="future_covariates"):
        ARForecaster().fit(y, X=X)


def test_ar_future_covariates_are_autoreg_exog(y):
    X = pd.DataFrame({"promo": (np.arange(len(y)) % 5 == 0).astype(float)}, index=y.index)
    ours = (
        ARForecaster(lags=2, future_covariates=["promo"]).fit(y.iloc[:150], X.iloc[:150]).predict(5, X=X.iloc[150:155])
    )
    theirs = AutoReg(y.to_numpy()[:150], lags=2, exog=X.to_numpy()[:150]).fit().forecast(5, exog=X.to_numpy()[150:155])
    np.testing.assert_allclose(ours.to_numpy(), theirs, rtol=1e-10)


def test_ar_says_when_the_criterion_hits_the_largest_order():
    rng = np.random.default_rng(0)
    t = np.arange(300)
    y = pd.Series(
        np.sin(2 * np.pi * t / 52) * 10 + rng.normal(size=300), index=pd.date_range("2015-01-04", periods=300, freq="W")
    )
    with pytest.warns(UserWarning, match="largest order allowed") as caught:
        ARForecaster(max_lags=5).fit(y)
    assert "None" not in str(caught[0].message)  # an unnamed series is y, not "for None"
    frame = pd.DataFrame({"north": y, "south": y.to_numpy()[::-1]}, index=y.index)
    with pytest.warns(UserWarning, match="largest order allowed \\(5\\) for 'north'"):
        ARForecaster(max_lags=5).fit(frame)


def test_ar_fits_each_series_of_a_ragged_panel_from_its_first_value():
    from tsrnn.testing import synthetic_series

    panel = synthetic_series(n=150, n_series=3)
    panel.iloc[:40, 1] = np.nan  # the second series starts 40 periods late
    fitted = ARForecaster(lags=3).fit(panel)
    alone = ARForecaster(lags=3).fit(panel.iloc[40:, 1])
    np.testing.assert_allclose(fitted.predict(5).iloc[:, 1].to_numpy(), alone.predict(5).to_numpy())
    complete = ARForecaster(lags=3).fit(panel.iloc[:, [0, 2]])
    np.testing.assert_allclose(fitted.predict(5).iloc[:, [0, 2]].to_numpy(), complete.predict(5).to_numpy())
    gap = panel.copy()
    gap.iloc[100, 0] = np.nan
    with pytest.raises(ValueError, match="only before a series' first value"):
        ARForecaster(lags=3).fit(gap)
    for strategy in ("last", "mean", "drift", "seasonal"):
        late = NaiveForecaster(strategy, season_length=7).fit(panel)
        own = NaiveForecaster(strategy, season_length=7).fit(panel.iloc[40:, 1])
        pd.testing.assert_frame_equal(
            late.predict_interval(5, coverage=0.8).xs(panel.columns[1], axis=1, level=0),
            own.predict_interval(5, coverage=0.8),
        )
    with pytest.raises(ValueError, match="only before a series' first value"):
        NaiveForecaster().fit(gap)
