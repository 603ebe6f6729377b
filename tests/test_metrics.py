import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from tsrnn import metrics
from tsrnn.metrics import calibration, crps, pinball_loss


def test_point_metrics_by_hand():
    y, f = [1.0, 2.0, 4.0], [2.0, 2.0, 1.0]
    assert metrics.mae(y, f) == pytest.approx(4 / 3)
    assert metrics.rmse(y, f) == pytest.approx(math.sqrt(10 / 3))
    assert metrics.mape(y, f) == pytest.approx(100 * (1 + 0 + 0.75) / 3)
    assert metrics.smape(y, f) == pytest.approx(100 * (2 / 3 + 0 + 6 / 5) / 3)


def test_mase_by_hand():
    train = [1.0, 3.0, 2.0, 5.0]  # naive errors 2, 1, 3: scale 2
    assert metrics.mase([6.0, 4.0], [5.0, 5.0], train) == pytest.approx(0.5)
    assert metrics.mase([6.0, 4.0], [5.0, 5.0], train, season_length=2) == pytest.approx(1 / 1.5)


def test_interval_metrics_by_hand():
    y, lower, upper = [0.0, 5.0, -2.0], [-1.0, 0.0, 0.0], [1.0, 2.0, 1.0]
    assert metrics.coverage(y, lower, upper) == pytest.approx(1 / 3)
    # widths 2, 2, 1; misses: 3 above and 2 below, penalised by 2 / 0.2 = 10
    assert metrics.interval_score(y, lower, upper, 0.8) == pytest.approx((2 + 2 + 1 + 30 + 20) / 3)


def test_mismatched_inputs_raise():
    with pytest.raises(ValueError, match="shape"):
        metrics.mae([1.0, 2.0], [1.0])
    a = pd.Series([1.0, 2.0], index=[0, 1])
    with pytest.raises(ValueError, match="index"):
        metrics.mae(a, pd.Series([1.0, 2.0], index=[1, 2]))
    with pytest.raises(ValueError, match="NaN"):
        metrics.rmse([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="zeros"):
        metrics.mape([0.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="constant"):
        metrics.mase([1.0], [1.0], [2.0, 2.0, 2.0])


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=50))
def test_perfect_forecast_scores_zero(values):
    assert metrics.mae(values, values) == 0 and metrics.rmse(values, values) == 0
    assert metrics.smape(values, values) == 0


@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=50), st.floats(-10, 10))
def test_rmse_is_at_least_mae(values, shift):
    forecast = [v + shift * (i % 3) for i, v in enumerate(values)]
    assert metrics.rmse(values, forecast) >= metrics.mae(values, forecast) - 1e-9


def test_diebold_mariano_detects_a_clearly_better_forecast():
    rng = np.random.default_rng(0)
    small, large = rng.normal(scale=1.0, size=200), rng.normal(scale=2.0, size=200)
    statistic, p_value = metrics.diebold_mariano(small, large, horizon=1)
    assert statistic < 0 and p_value < 0.01
    statistic, p_value = metrics.diebold_mariano(large, small, horizon=3)
    assert statistic > 0 and p_value < 0.01


def test_diebold_mariano_equal_forecasts_not_significant():
    rng = np.random.default_rng(1)
    _, p_value = metrics.diebold_mariano(rng.normal(size=300), rng.normal(size=300))
    assert p_value > 0.05


def test_diebold_mariano_long_horizon_stays_defined():
    rng = np.random.default_rng(2)
    # Errors of 24-step forecasts: strongly negatively autocorrelated loss differentials.
    a = np.tile([3.0, -3.0], 300) + rng.normal(scale=0.1, size=600)
    b = rng.normal(scale=1.0, size=600)
    statistic, p_value = metrics.diebold_mariano(a, b, horizon=24)
    assert np.isfinite(statistic) and 0 <= p_value <= 1


def test_pinball_loss_by_hand():
    y = np.array([1.0, 3.0])
    forecasts = np.array([[0.0, 2.0], [2.0, 4.0]])
    # level 0.1: errors 1 (under) and 1 (under) -> 0.1 each; level 0.9: -1 (over) -> 0.1, -1 -> 0.1
    assert pinball_loss(y, forecasts, [0.1, 0.9]) == pytest.approx(0.1)
    assert pinball_loss(y, np.array([[1.0], [3.0]]), [0.5]) == 0.0


def test_crps_from_quantiles_equals_scoringrules():
    scoringrules = pytest.importorskip("scoringrules")
    rng = np.random.default_rng(0)
    y = rng.normal(size=40)
    levels = np.linspace(0.05, 0.95, 19)
    forecasts = np.quantile(rng.normal(loc=0.3, size=(40, 400)), levels, axis=1).T
    expected = np.mean(scoringrules.crps_quantile(y, forecasts, levels))
    assert crps(y, forecasts, levels) == pytest.approx(expected, rel=1e-12)


def test_calibration_counts_observations_below_each_quantile():
    rng = np.random.default_rng(1)
    y = rng.normal(size=20_000)
    levels = [0.1, 0.5, 0.9]
    forecasts = np.tile(stats.norm.ppf(levels), (len(y), 1))
    table = calibration(y, forecasts, levels)
    assert list(table.index) == levels and np.all(np.abs(table["gap"]) < 0.01)


@pytest.mark.parametrize(
    "forecasts, levels, words",
    [
        (np.zeros((3, 2)), [0.9, 0.1], "increasing"),
        (np.zeros((3, 2)), [0.1, 1.0], "increasing"),
        (np.zeros((3, 3)), [0.1, 0.9], "shape"),
    ],
)
def test_quantile_metrics_refuse_mismatched_inputs(forecasts, levels, words):
    with pytest.raises(ValueError, match=words):
        pinball_loss(np.zeros(3), forecasts, levels)
