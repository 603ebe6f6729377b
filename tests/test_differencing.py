"""Levels or differences decided by forecasting the validation windows, and the final refit of the linear part."""

import numpy as np
import pandas as pd
import pytest
import torch

from tsrnn import GRUForecaster, LSTMForecaster
from tsrnn.neural.differencing import differencing_by_validation
from tsrnn.testing import check_forecaster

FAST = {"window": 14, "hidden_size": 8, "epochs": 3, "batch_size": 32}


def _random_walk(n=400, seed=0):
    return np.cumsum(np.random.default_rng(seed).normal(size=n)) + 50


def _seasonal_stationary(n=400, seed=1):
    t = np.arange(n)
    noise = np.random.default_rng(seed).normal(scale=0.3, size=n)
    return 10 + 3 * np.sin(2 * np.pi * t / 7) + noise


def _year_of_temperatures(n=365, seed=2):
    # Half a seasonal cycle and weather noise: the unit-root tests call it a random walk.
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    noise = np.zeros(n)
    for k in range(1, n):
        noise[k] = 0.6 * noise[k - 1] + rng.normal()
    return 15 - 10 * np.cos(2 * np.pi * t / 365) + 2 * noise


def test_the_tests_stand_unless_forecasting_clearly_overrules_them():
    from tsrnn.transforms import Differencer

    values = np.column_stack([_seasonal_stationary(365), _year_of_temperatures()])
    tests = Differencer("auto").fit(values).differenced_
    assert tests.tolist() == [False, True]
    decided = differencing_by_validation(values, window=30, outputs=7, validation_fraction=0.1, tests=tests)
    # The stationary series stays in levels; the year of temperatures, which the tests call a unit root, is
    # forecast clearly better in levels.
    assert decided.tolist() == [False, False]
    # Random walks stay differenced: the two errors differ by noise, rarely by the margin on 1,000 points.
    kept = [
        differencing_by_validation(_random_walk(1000, seed)[:, None], 30, 5, 0.1, tests=[True])[0] for seed in range(10)
    ]
    assert sum(kept) >= 9


def test_without_tests_the_lower_validation_error_decides():
    from tsrnn.neural.differencing import _validation_error

    walk = _random_walk()
    n_windows = len(walk) - 14 - 3
    errors = [_validation_error(walk[1:], 14, 3, 38, False), _validation_error(walk, 14, 3, 38, True)]
    assert round(0.1 * n_windows) == 38
    expected = errors[1] < errors[0]
    assert differencing_by_validation(walk[:, None], 14, 3, 0.1).tolist() == [expected]


def test_the_decision_reads_only_the_data_it_is_given():
    values = np.column_stack([_year_of_temperatures()])
    before = differencing_by_validation(values[:300], 30, 7, 0.1)
    changed = values.copy()
    changed[300:] = 1e6  # what comes after the training data cannot move the decision
    assert differencing_by_validation(changed[:300], 30, 7, 0.1).tolist() == before.tolist()


def test_a_too_short_or_constant_series_stays_in_levels():
    assert differencing_by_validation(np.ones((100, 1)), 14, 3, 0.1).tolist() == [False]
    assert differencing_by_validation(_random_walk(20)[:, None], 14, 3, 0.1).tolist() == [False]


def test_a_series_with_missing_values_is_decided_on_its_last_observed_run():
    year = np.r_[np.full(50, np.nan), _year_of_temperatures()]
    expected = differencing_by_validation(year[50:, None], 30, 7, 0.1, tests=[True]).tolist()
    assert differencing_by_validation(year[:, None], 30, 7, 0.1, tests=[True]).tolist() == expected == [False]


def test_forecasters_take_difference_validation_per_series():
    index = pd.date_range("2020-01-01", periods=365, freq="D")
    y = pd.DataFrame({"walk": _random_walk(1000)[-365:], "year": _year_of_temperatures()}, index=index[:365])
    settings = {**FAST, "window": 30, "horizon": 7}
    f = GRUForecaster(difference="validation", random_state=0, **settings).fit(y)
    assert f.differenced_.tolist() == [True, False]
    assert GRUForecaster(difference="auto", random_state=0, **settings).fit(y).differenced_.tolist() == [True, True]
    assert f.predict(3).shape == (3, 2)


def test_refit_linear_solves_the_kept_linear_model_again_on_every_window():
    index = pd.date_range("2020-01-01", periods=300, freq="D")
    y = pd.Series(_seasonal_stationary(300), index=index)
    # A destructive learning rate: early stopping keeps the linear model alone (epoch 0).
    kept = LSTMForecaster(learning_rate=50.0, difference=False, random_state=0, **FAST).fit(y)
    refitted = LSTMForecaster(learning_rate=50.0, difference=False, refit_linear=True, random_state=0, **FAST).fit(y)
    assert kept.best_epoch_ == refitted.best_epoch_ == 0
    z = (y.to_numpy() - refitted.scale_mean_[0]) / refitted.scale_std_[0]
    X = np.stack([z[i : i + 14] for i in range(len(z) - 14)])
    design = np.column_stack([X, np.ones(len(X))])
    # The refitted linear part is a ridge on all windows: closer to least squares on all of them than the first.
    full = np.linalg.lstsq(design, z[14:], rcond=None)[0]
    fitted = lambda f: np.r_[f.network_.linear.weight.detach().numpy()[0], f.network_.linear.bias.item()]  # noqa: E731
    residual = lambda w: np.mean((design @ w - z[14:]) ** 2)  # noqa: E731
    assert residual(fitted(refitted)) < residual(fitted(kept))
    assert not np.allclose(fitted(refitted), fitted(kept))
    assert residual(full) <= residual(fitted(refitted))
    # The intervals were calibrated on the validation windows before the refit saw them.
    np.testing.assert_array_equal(kept.calibration_errors_, refitted.calibration_errors_)
    assert torch.count_nonzero(refitted.network_.head.weight) == 0


def test_refit_linear_leaves_a_trained_network_as_it_is():
    index = pd.date_range("2020-01-01", periods=300, freq="D")
    y = pd.Series(_seasonal_stationary(300), index=index)
    plain = GRUForecaster(difference=False, random_state=0, **{**FAST, "epochs": 5, "patience": None}).fit(y)
    if plain.best_epoch_ == 0:
        pytest.skip("training did not improve on the linear model here")
    refit = GRUForecaster(
        difference=False, refit_linear=True, random_state=0, **{**FAST, "epochs": 5, "patience": None}
    )
    np.testing.assert_array_equal(plain.predict(3).to_numpy(), refit.fit(y).predict(3).to_numpy())


@pytest.mark.parametrize("params", [{"difference": "validation"}, {"refit_linear": True}], ids=["validation", "refit"])
def test_the_options_keep_the_contract(params):
    check_forecaster(
        GRUForecaster(random_state=0, **FAST, **params),
        checks=["no_peeking", "update", "deterministic", "read_only", "intervals", "missing_values"],
    )


def test_too_few_validation_windows_keep_the_linear_model_without_training():
    from tsrnn.neural.forecaster import MIN_VALIDATION_WINDOWS

    index = pd.date_range("1900-01-01", periods=60, freq="YS")
    y = pd.Series(_seasonal_stationary(60), index=index)
    # 60 points, window 10, horizon 5: 46 windows, 5 of them for validation, fewer than the minimum.
    short = GRUForecaster(window=10, horizon=5, hidden_size=8, random_state=0).fit(y)
    assert short.n_validation_windows_ < MIN_VALIDATION_WINDOWS
    assert short.best_epoch_ == 0 and short.n_epochs_ == 0
    assert torch.count_nonzero(short.network_.head.weight) == 0
    assert np.isfinite(short.predict(5).to_numpy()).all()
    assert short.predict_interval(5, coverage=0.9).notna().all().all()
    longer = pd.Series(_seasonal_stationary(400), index=pd.date_range("2000-01-01", periods=400, freq="D"))
    trained = GRUForecaster(window=10, horizon=5, hidden_size=8, epochs=2, patience=None, random_state=0).fit(longer)
    assert trained.n_validation_windows_ >= MIN_VALIDATION_WINDOWS and trained.n_epochs_ == 2
