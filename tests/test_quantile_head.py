"""The networks' quantile head (loss="quantile"): non-crossing, trained by the pinball loss, calibrated, integrated."""

import numpy as np
import pandas as pd
import pytest
import torch

from tsrnn import GRUForecaster, InvalidParameterError, LSTMForecaster, RNNForecaster
from tsrnn.intervals import interpolate_quantiles
from tsrnn.neural.network import NetworkConfig, RecurrentNetwork
from tsrnn.neural.quantiles import DEFAULT_QUANTILES
from tsrnn.neural.training import PinballLoss, WindowBatches

FAST = {"window": 14, "hidden_size": 8, "epochs": 3, "batch_size": 32, "random_state": 0}
LEVELS = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def _series(values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2020-01-01", periods=len(values), freq="D"), name="y")


def _noisy_sine(n: int, seed: int = 0) -> pd.Series:
    """A 20-day sine of amplitude 10 plus standard normal noise."""
    rng = np.random.default_rng(seed)
    return _series(10.0 * np.sin(2 * np.pi * np.arange(n) / 20) + rng.standard_normal(n))


@pytest.mark.parametrize("residual, linear_window", [(False, 0), (True, 5)])
def test_quantiles_never_cross_whatever_the_weights(residual, linear_window):
    config = NetworkConfig(
        cell="gru", input_size=1, hidden_size=6, num_layers=1, dropout=0.0, output_size=3,
        residual=residual, linear_window=linear_window, quantiles=LEVELS,
    )  # fmt: skip
    for seed in range(5):
        torch.manual_seed(seed)
        network = RecurrentNetwork(config)
        with torch.no_grad():
            for parameter in network.parameters():
                parameter.normal_(0.0, 5.0)  # large random weights: raw outputs far from zero either side
            out = network(torch.randn(64, 10, 1) * 3.0)
        assert out.shape == (64, 3, len(LEVELS))
        assert bool((torch.diff(out, dim=2) >= 0).all()), "quantile levels cross"


def test_a_quantile_network_must_hold_the_median():
    with pytest.raises(ValueError, match="0.5"):
        NetworkConfig(cell="lstm", input_size=1, hidden_size=4, num_layers=1, dropout=0.0, output_size=1,
                      quantiles=(0.1, 0.9))  # fmt: skip


def test_pinball_loss_is_minimised_by_the_quantiles():
    targets = torch.randn(20_000, 1)
    levels = (0.1, 0.5, 0.9)
    loss = PinballLoss(levels)
    exact = torch.quantile(targets[:, 0], torch.tensor(levels)).view(1, 1, -1).expand(len(targets), 1, -1)
    assert float(loss(exact, targets)) < float(loss(exact + 0.1, targets))
    assert float(loss(exact, targets)) < float(loss(exact - 0.1, targets))


def test_training_lowers_the_pinball_loss():
    y = _noisy_sine(300)
    f = LSTMForecaster(loss="quantile", horizon=2, linear_skip=False, learning_rate=1e-2, patience=None,
                       **{**FAST, "epochs": 15})  # fmt: skip
    f.fit(y)
    losses = f.history_["train_loss"].to_numpy()
    assert losses[-1] < 0.7 * losses[0]


def test_predict_is_the_median_and_intervals_are_the_quantiles():
    y = _noisy_sine(200)
    f = GRUForecaster(loss="quantile", horizon=3, **FAST).fit(y)
    table = f.predict_quantiles(3, quantiles=[0.05, 0.5, 0.95])
    np.testing.assert_allclose(table[0.5].to_numpy(), f.predict(3).to_numpy())
    interval = f.predict_interval(3, coverage=0.9)
    np.testing.assert_array_equal(interval.to_numpy(), table[[0.05, 0.95]].to_numpy())
    assert f.quantiles_ == DEFAULT_QUANTILES


def test_the_median_is_added_to_the_levels():
    f = RNNForecaster(loss="quantile", quantiles=(0.2, 0.8), **FAST).fit(_noisy_sine(150))
    assert f.quantiles_ == (0.2, 0.5, 0.8)
    table = f.predict_quantiles(2, quantiles=[0.1, 0.2, 0.5, 0.8, 0.9])
    assert np.all(np.diff(table.to_numpy(), axis=1) > 0)


def test_a_fresh_head_starts_at_the_linear_residual_quantiles():
    # With a learning rate that moves nothing, the head is its starting point: on its own training windows,
    # the share of targets below each quantile is the level.
    y = _noisy_sine(400)
    f = LSTMForecaster(loss="quantile", difference=False, learning_rate=1e-12, validation_fraction=0.0,
                       **{**FAST, "epochs": 1})  # fmt: skip
    f.fit(y)
    z = (y.to_numpy() - f.scale_mean_[0]) / f.scale_std_[0]
    windows = np.lib.stride_tricks.sliding_window_view(z[:-1], 14)
    with torch.no_grad():
        out = f.network_(torch.tensor(windows, dtype=torch.float32).unsqueeze(-1)).numpy()[:, 0, :]
    below = np.mean(z[14:, None] <= out, axis=0)
    np.testing.assert_allclose(below, DEFAULT_QUANTILES, atol=0.02)


def test_levels_are_calibrated_on_a_series_with_known_noise():
    # An AR(1) with standard normal shocks: the 80% interval of the best one-step forecast is 2 * 1.28 wide.
    rng = np.random.default_rng(0)
    shocks, values = rng.standard_normal(1300), np.zeros(1300)
    for t in range(1, 1300):
        values[t] = 0.7 * values[t - 1] + shocks[t]
    y = _series(values + 5.0)
    f = GRUForecaster(loss="quantile", window=10, hidden_size=8, epochs=5, random_state=0).fit(y.iloc[:1000])
    rows = []
    for t in range(1000, 1300):
        rows.append(f.predict_quantiles(1, quantiles=[0.1, 0.5, 0.9]).iloc[0].to_numpy())
        f.update(y.iloc[t : t + 1])
    table, observed = np.array(rows), y.iloc[1000:].to_numpy()
    assert 0.7 <= np.mean((table[:, 0] <= observed) & (observed <= table[:, 2])) <= 0.88
    assert 0.4 <= np.mean(observed <= table[:, 1]) <= 0.6
    assert 0.85 * 2.563 <= np.mean(table[:, 2] - table[:, 0]) <= 1.2 * 2.563


def test_a_differenced_series_gives_quantiles_of_the_level_that_widen():
    rng = np.random.default_rng(0)
    walk = _series(np.cumsum(rng.standard_normal(800)))
    f = LSTMForecaster(loss="quantile", horizon=6, difference=True, window=20, hidden_size=8, epochs=5,
                       random_state=0).fit(walk)  # fmt: skip
    table = f.predict_quantiles(6, quantiles=[0.05, 0.95])
    width = (table[0.95] - table[0.05]).to_numpy()
    assert np.all(np.diff(width) > 0), "the quantiles of a random walk's level must widen with the step"
    # A random walk with standard normal steps: the 90% interval of step k is 2 * 1.645 * sqrt(k) wide.
    expected = 3.29 * np.sqrt(np.arange(1, 7))
    np.testing.assert_allclose(width, expected, rtol=0.3)


def test_differenced_targets_are_the_changes_from_the_last_value():
    z = np.column_stack([np.arange(10.0), np.arange(10.0) ** 2])
    empty = np.empty((10, 0))
    batches = WindowBatches(z, empty, empty, 3, 4, torch.device("cpu"), cumulative=np.array([True, False]))
    plain = WindowBatches(z, empty, empty, 3, 4, torch.device("cpu"))
    starts = batches.starts(0, 4, 2)
    first, second = starts[:4], starts[4:]
    torch.testing.assert_close(batches.targets[first], plain.targets[first].cumsum(dim=1))
    torch.testing.assert_close(batches.targets[second], plain.targets[second])


def test_beyond_the_trained_horizon_the_spread_grows_as_sqrt_step():
    f = GRUForecaster(loss="quantile", horizon=2, **FAST).fit(_noisy_sine(200))
    table = f.predict_quantiles(6, quantiles=[0.1, 0.5, 0.9])
    upper = (table[0.9] - table[0.5]).to_numpy()
    np.testing.assert_allclose(upper[2:], upper[1] * np.sqrt(np.arange(3, 7) / 2))
    short = f.predict_quantiles(2, quantiles=[0.1, 0.5, 0.9])
    np.testing.assert_allclose(table.iloc[:2].to_numpy(), short.to_numpy())


def test_an_ensemble_of_quantile_heads_does_not_cross():
    f = LSTMForecaster(loss="quantile", horizon=2, n_ensemble=2, **FAST).fit(_noisy_sine(150))
    table = f.predict_quantiles(4, quantiles=LEVELS).to_numpy()
    assert np.all(np.diff(table, axis=1) >= 0)


def test_interpolation_is_exact_for_a_normal_and_monotone():
    from scipy import stats

    known = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    values = 3.0 + 2.0 * stats.norm.ppf(known)
    levels = np.array([0.01, 0.05, 0.1, 0.3, 0.5, 0.6, 0.9, 0.99])
    np.testing.assert_allclose(interpolate_quantiles(values, known, levels), 3.0 + 2.0 * stats.norm.ppf(levels))
    skewed = np.array([-3.0, -1.0, 0.0, 2.0, 7.0])
    out = interpolate_quantiles(skewed, known, np.linspace(0.001, 0.999, 200))
    assert np.all(np.diff(out) >= 0)
    np.testing.assert_array_equal(interpolate_quantiles(skewed, known, known), skewed)


@pytest.mark.parametrize(
    "params",
    [
        {"loss": "quantile", "quantiles": (0.0, 0.5)},
        {"loss": "quantile", "quantiles": (0.5, 1.2)},
        {"loss": "quantile", "quantiles": (0.9, 0.1)},
        {"loss": "quantile", "quantiles": (0.1, 0.1, 0.9)},
        {"loss": "quantile", "quantiles": (0.5,)},
        {"loss": "quantile", "quantiles": ()},
        {"loss": "quantile", "quantiles": "0.5"},
        {"loss": "quantile", "quantiles": 0.9},
        {"loss": "mse", "quantiles": (0.1, 0.9)},
        {"quantiles": DEFAULT_QUANTILES},
    ],
)
def test_bad_quantiles_are_refused_by_name_before_the_data(params):
    with pytest.raises(InvalidParameterError, match="quantiles"):
        LSTMForecaster(**params).fit(None)


def test_numpy_levels_are_accepted():
    levels = np.array([0.1, 0.5, 0.9])
    f = GRUForecaster(loss="quantile", quantiles=levels, **FAST).fit(_noisy_sine(150))
    assert f.quantiles_ == (0.1, 0.5, 0.9)
    f.predict_interval(2, coverage=0.8)


def test_a_warm_start_never_continues_a_point_head_as_a_quantile_head():
    # Horizon 9 of a point head and one step of the 9 default levels give networks of the same shapes.
    y = _noisy_sine(150)
    f = LSTMForecaster(horizon=9, warm_start=True, linear_skip=False, **FAST).fit(y)
    f.set_params(horizon=1, loss="quantile").fit(y)
    cold = LSTMForecaster(horizon=1, loss="quantile", linear_skip=False, **FAST).fit(y)
    pd.testing.assert_frame_equal(f.predict_quantiles(1, LEVELS), cold.predict_quantiles(1, LEVELS))


def test_the_head_needs_no_validation_windows():
    f = LSTMForecaster(loss="quantile", horizon=2, validation_fraction=0.0, **FAST).fit(_noisy_sine(150))
    assert f.calibration_errors_ is None
    interval = f.predict_interval(4, coverage=0.8).to_numpy()
    assert np.all(interval[:, 0] < interval[:, 1])


def _noise_grows(n_quiet: int = 300, n_loud: int = 200, seed: int = 0) -> pd.Series:
    """The 20-day sine with standard normal noise, then three times that noise: the most recent windows are louder."""
    rng = np.random.default_rng(seed)
    scale = np.r_[np.ones(n_quiet), 3.0 * np.ones(n_loud)]
    n = n_quiet + n_loud
    return _series(10.0 * np.sin(2 * np.pi * np.arange(n) / 20) + scale * rng.standard_normal(n))


def test_conformal_quantiles_widen_a_head_that_the_validation_windows_find_too_narrow():
    y = _noise_grows()
    train, later = y.iloc[:450], y.iloc[450:]
    params = {**FAST, "loss": "quantile", "horizon": 2, "validation_fraction": 0.3}
    plain = GRUForecaster(**params).fit(train)
    calibrated = GRUForecaster(**params, conformal_quantiles=True).fit(train)
    # The 90% interval (levels 0.05 and 0.95, pair 1 of the default levels) widens at both steps.
    assert (calibrated.quantile_corrections_[0, :, 1] > 0).all()
    covered = {}
    for name, model in (("plain", plain), ("calibrated", calibrated)):
        hits = []
        for t in range(len(later) - 1):
            bounds = model.predict_interval(1, coverage=0.9).to_numpy()[0]
            hits.append(bounds[0] <= later.iloc[t] <= bounds[1])
            model.update(later.iloc[t : t + 1])
        covered[name] = np.mean(hits)
    assert covered["calibrated"] > covered["plain"] and covered["calibrated"] >= 0.8, covered


def test_conformal_quantiles_keep_the_median_and_the_order_of_the_levels():
    y = _noisy_sine(200)
    plain = LSTMForecaster(**FAST, loss="quantile", horizon=3).fit(y)
    calibrated = LSTMForecaster(**FAST, loss="quantile", horizon=3, conformal_quantiles=True).fit(y)
    pd.testing.assert_series_equal(plain.predict(5), calibrated.predict(5))
    quantiles = calibrated.predict_quantiles(5, LEVELS).to_numpy()
    assert np.all(np.diff(quantiles, axis=1) >= 0)
    assert calibrated.quantile_corrections_.shape == (1, 3, 4)
    assert plain.quantile_corrections_ is None


@pytest.mark.parametrize(
    "params, words",
    [
        ({"conformal_quantiles": True}, "loss='quantile'"),
        ({"conformal_quantiles": True, "loss": "quantile", "validation_fraction": 0.0}, "validation_fraction"),
        ({"conformal_quantiles": True, "loss": "quantile", "quantiles": (0.1, 0.5, 0.95)}, "symmetric"),
        ({"conformal_quantiles": "yes", "loss": "quantile"}, "conformal_quantiles"),
    ],
    ids=str,
)
def test_conformal_quantiles_that_cannot_work_are_refused_before_the_data(params, words):
    with pytest.raises(InvalidParameterError, match=words):
        LSTMForecaster(**params).fit(None)
