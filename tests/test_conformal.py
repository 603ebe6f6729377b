"""Adaptive conformal intervals: coverage that follows a change in the scale of the errors, without leakage."""

import numpy as np
import pandas as pd
import pytest

from tsrnn import AdaptiveConformal, ARForecaster, InvalidParameterError, NaiveForecaster


def _volatility_jump(n: int = 700, seed: int = 0) -> pd.Series:
    """An AR(1) whose shocks triple in size two thirds of the way through."""
    rng = np.random.default_rng(seed)
    scale = np.where(np.arange(n) < 2 * n // 3, 1.0, 3.0)
    values = np.zeros(n)
    for t in range(1, n):
        values[t] = 0.5 * values[t - 1] + scale[t] * rng.normal()
    return pd.Series(values, index=pd.date_range("2020-01-01", periods=n, freq="D"), name="y")


def _walk_coverage(forecaster, y: pd.Series, start: int) -> float:
    """Fit on y[:start], then forecast one step, observe, update, across the rest; the share of hits."""
    f = forecaster.fit(y.iloc[:start])
    hits = []
    for t in range(start, len(y)):
        band = f.predict_interval(1, coverage=0.9).iloc[0]
        hits.append(band["lower"] <= y.iloc[t] <= band["upper"])
        f.update(y.iloc[t : t + 1])
    return float(np.mean(hits))


def test_adaptive_intervals_keep_coverage_when_the_errors_grow():
    y = _volatility_jump()
    adaptive = _walk_coverage(AdaptiveConformal(ARForecaster(lags=1), learning_rate=0.05), y, 400)
    fixed = _walk_coverage(AdaptiveConformal(ARForecaster(lags=1), learning_rate=0.0), y, 400)
    model_based = _walk_coverage(ARForecaster(lags=1), y, 400)
    assert abs(adaptive - 0.9) < 0.04
    assert fixed < adaptive - 0.04 and model_based < adaptive - 0.04


def test_the_level_rises_after_misses_and_falls_after_hits():
    y = _volatility_jump()
    f = AdaptiveConformal(NaiveForecaster(), learning_rate=0.1, refit=False).fit(y.iloc[:300])
    before = f.alphas_.copy()
    f.update(y.iloc[300:301] + 1e6)  # a certain miss
    assert f.alphas_[0, 0] == pytest.approx(before[0, 0] + 0.1 * (0.1 - 1.0))
    f.update(y.iloc[301:302] * 0 + f.predict(1).iloc[0])  # a certain hit
    assert f.alphas_[0, 0] > before[0, 0] + 0.1 * (0.1 - 1.0)


def test_calibration_errors_come_from_forecasts_made_before_their_observations():
    y = _volatility_jump()
    f = AdaptiveConformal(NaiveForecaster(), horizon=2, n_calibration=50, refit=False).fit(y.iloc[:300])
    # Naive last-value forecasts: the h-step error at t is |y[t] - y[t - h]|.
    values = y.to_numpy()[:300]
    expected_1 = np.abs(values[250:] - values[249:-1])
    np.testing.assert_allclose(f.scores_[0][:, 0], expected_1)
    expected_2 = np.abs(values[251:] - values[249:-2])
    np.testing.assert_allclose(f.scores_[1][:, 0], expected_2)


def test_other_coverages_shift_the_adapted_level_and_nest():
    f = AdaptiveConformal(ARForecaster(lags=1), horizon=3).fit(_volatility_jump().iloc[:400])
    widths = [np.diff(f.predict_interval(6, coverage=c).to_numpy(), axis=1)[:, 0] for c in (0.5, 0.8, 0.9, 0.95)]
    assert all(np.all(a <= b + 1e-12) for a, b in zip(widths, widths[1:]))
    quantiles = f.predict_quantiles(6, [0.05, 0.5, 0.95])
    np.testing.assert_allclose(quantiles[[0.05, 0.95]].to_numpy(), f.predict_interval(6, 0.9).to_numpy())


@pytest.mark.parametrize(
    "params, words",
    [
        ({"forecaster": "ar"}, "forecaster"),
        ({"coverage": 1.0}, "coverage"),
        ({"method": "enbpi"}, "method"),
        ({"learning_rate": -0.1}, "learning_rate"),
        ({"window": 2}, "window"),
    ],
)
def test_bad_parameters_are_named(params, words):
    with pytest.raises(InvalidParameterError, match=words):
        AdaptiveConformal(**{"forecaster": ARForecaster(), **params}).fit(_volatility_jump())


def test_future_covariates_of_the_wrapped_forecaster_are_refused_clearly():
    with pytest.raises(ValueError, match="future covariates"):
        AdaptiveConformal(ARForecaster(future_covariates=["plan"])).fit(_volatility_jump())


def test_coverage_at_least_as_close_to_nominal_as_mapies_aci():
    """MAPIE's time-series regressor with adaptive conformal inference, on the same ridge of lags."""
    pytest.importorskip("mapie")
    from mapie.regression import TimeSeriesRegressor
    from sklearn.linear_model import Ridge

    from tsrnn import RegressionForecaster

    y, lags = _volatility_jump(), 3
    values = y.to_numpy()
    X = np.column_stack([values[lags - k - 1 : len(values) - k - 1] for k in range(lags)])  # lag 1 first
    target = values[lags:]
    fit_end, calibration_end = 300 - lags, 400 - lags
    theirs = TimeSeriesRegressor(Ridge().fit(X[:fit_end], target[:fit_end]), method="aci", cv="prefit")
    theirs.fit(X[:fit_end], target[:fit_end])
    theirs.conformalize(X[fit_end:calibration_end], target[fit_end:calibration_end])
    their_hits = []
    for i in range(calibration_end, len(target)):
        _, bounds = theirs.predict(X[i : i + 1], confidence_level=0.9, allow_infinite_bounds=True)
        their_hits.append(bounds[0, 0, 0] <= target[i] <= bounds[0, 1, 0])
        theirs.adapt_conformal_inference(X[i : i + 1], target[i : i + 1], gamma=0.05, confidence_level=0.9)
    ours = AdaptiveConformal(
        RegressionForecaster(Ridge(), window=lags, scaler=None), learning_rate=0.05, n_calibration=100, refit=False
    )
    our_coverage = _walk_coverage(ours, y, 400)
    assert abs(our_coverage - 0.9) <= abs(np.mean(their_hits) - 0.9) + 0.01


def test_a_failed_update_leaves_the_wrapper_as_it_was():
    class Picky(NaiveForecaster):
        def _update(self, values):
            if np.abs(values).max() > 1e3:
                raise ValueError("refused")
            super()._update(values)

    y = _volatility_jump()
    f = AdaptiveConformal(Picky(), refit=False).fit(y.iloc[:200])
    alphas, scores = f.alphas_.copy(), len(f.scores_[0])
    bad = y.iloc[200:205].copy()
    bad.iloc[3] = 1e4
    with pytest.raises(ValueError, match="refused"):
        f.update(bad)
    assert np.array_equal(f.alphas_, alphas) and len(f.scores_[0]) == scores
    assert np.isfinite(f.update(y.iloc[200:201]).predict_interval(1).to_numpy()).all()


def test_the_wrapper_needs_the_wrapped_forecasters_length_before_its_calibration_origins():
    from tsrnn import GRUForecaster

    network = GRUForecaster(window=12, hidden_size=4, epochs=1, horizon=3, random_state=0)
    wrapper = AdaptiveConformal(network, horizon=3)
    need = wrapper._min_length()
    assert need > network._min_length()
    y = pd.Series(np.sin(np.arange(need) / 3.0), index=pd.date_range("2024-01-01", periods=need, freq="D"))
    with pytest.raises(ValueError, match=f"at least {need} are needed"):  # before the network trains
        AdaptiveConformal(network, horizon=3).fit(y.iloc[:-1])
    fitted = AdaptiveConformal(network, horizon=3).fit(y)  # one more observation is enough
    assert np.isfinite(fitted.predict_interval(3).to_numpy()).all()
    assert AdaptiveConformal(network, horizon=3, n_calibration=20)._min_length() == network._min_length() + 20


def test_a_panel_whose_series_starts_late_is_calibrated_on_a_quarter_of_that_series():
    from tsrnn.testing import synthetic_series

    panel = synthetic_series(n=160, n_series=2)
    panel.iloc[:60, 1] = np.nan  # the second series starts 60 periods late: 100 values
    wrapper = AdaptiveConformal(ARForecaster(lags=2), horizon=3).fit(panel)
    assert len(wrapper.scores_[0]) == 25  # a quarter of the shortest series, not of the 160 rows
    assert np.isfinite(wrapper.predict_interval(3).to_numpy()).all()


def test_compare_sets_the_wrapped_forecasters_window_and_reads_the_headline_through_the_wrapper():
    from sklearn.linear_model import Ridge

    from tsrnn import RegressionForecaster, compare
    from tsrnn.testing import synthetic_series

    y = synthetic_series(n=150, freq="MS")  # monthly: the default window of 30 becomes two years
    own = compare({"naive": NaiveForecaster(), "ridge": RegressionForecaster(Ridge())}, y, horizon=6, progress=False)
    wrapped = compare(
        {
            "naive": AdaptiveConformal(NaiveForecaster(), horizon=6),
            "ridge": AdaptiveConformal(RegressionForecaster(Ridge()), horizon=6),
        },
        y, horizon=6, progress=False,
    )  # fmt: skip
    assert "window set to" in own.settings["adjusted"]["ridge"]
    assert wrapped.settings["adjusted"] == own.settings["adjusted"]  # the wrapped forecaster got the same window
    np.testing.assert_allclose(wrapped.scores["mase"], own.scores["mase"].loc[wrapped.scores.index], rtol=1e-9)
    assert wrapped.headline().split(":")[0] == own.headline().split(":")[0]  # the wrapped naive is still "naive"


def test_a_seasonal_naive_needs_its_season_before_the_calibration_origins():
    wrapper = AdaptiveConformal(NaiveForecaster("seasonal", season_length=12), horizon=3)
    assert wrapper._min_length() > NaiveForecaster("seasonal", season_length=12)._min_length() == 14
