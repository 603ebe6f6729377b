import copy

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.linear_model import Ridge

from tsrnn import (
    GRUForecaster,
    InvalidParameterError,
    LSTMForecaster,
    RecurrentForecaster,
    RNNForecaster,
)
from tsrnn.neural.linear import RIDGE_PENALTIES

FAST = {"window": 14, "hidden_size": 8, "epochs": 3, "batch_size": 32}


def test_rnn_is_the_textbook_recurrence(y):
    f = RNNForecaster(
        window=10, hidden_size=6, epochs=2, scaler=None, difference=False, linear_skip=False, random_state=0
    ).fit(y)
    rnn = f.network_.rnn
    W, U = rnn.weight_ih_l0.detach().numpy(), rnn.weight_hh_l0.detach().numpy()
    b = (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().numpy()
    head_w, head_b = f.network_.head.weight.detach().numpy(), f.network_.head.bias.detach().numpy()
    h = np.zeros(6)
    for x_t in y.to_numpy()[-10:].astype(np.float32):
        h = np.tanh(W @ np.array([x_t]) + U @ h + b)
    expected = head_w @ h + head_b
    np.testing.assert_allclose(f.predict(1).to_numpy(), expected, rtol=1e-4)


def test_update_forecasts_from_the_new_end_with_the_same_network(y):
    f = LSTMForecaster(random_state=0, difference=False, **FAST).fit(y.iloc[:120])
    state = copy.deepcopy(f.network_.state_dict())
    f.update(y.iloc[120:])
    for key, value in f.network_.state_dict().items():
        assert torch.equal(value, state[key])
    z = (y.to_numpy()[-14:] - f.scale_mean_[0]) / f.scale_std_[0]
    with torch.no_grad():
        out = f.network_(torch.tensor(z, dtype=torch.float32).view(1, -1, 1)).numpy()[0, 0]
    assert f.predict(1).iloc[0] == pytest.approx(out * f.scale_std_[0] + f.scale_mean_[0], rel=1e-6)


def test_direct_forecasts_beyond_the_trained_horizon_continue_recursively(y):
    f = GRUForecaster(horizon=3, random_state=0, **FAST).fit(y)
    long, short = f.predict(8).to_numpy(), f.predict(3).to_numpy()
    np.testing.assert_array_equal(long[:3], short)
    assert np.all(np.isfinite(long))


def test_scaler_and_validation_use_training_data_only(y):
    f = LSTMForecaster(random_state=0, validation_fraction=0.2, difference=False, **FAST).fit(y.iloc[:100])
    assert f.scale_mean_[0] == pytest.approx(y.iloc[:100].mean())
    assert f.scale_std_[0] == pytest.approx(y.iloc[:100].std(ddof=0))
    # The validation loss is the loss on the most recent windows, not a random subset.
    z = (y.to_numpy()[:100] - f.scale_mean_[0]) / f.scale_std_[0]
    n_windows = 100 - 14 - 1 + 1
    n_val = round(0.2 * n_windows)
    x = np.stack([z[i : i + 14] for i in range(n_windows - n_val, n_windows)])
    with torch.no_grad():
        pred = f.network_(torch.tensor(x, dtype=torch.float32).unsqueeze(-1)).numpy()[:, 0]
    expected = np.mean((pred - z[14:][n_windows - n_val : n_windows]) ** 2)
    assert f.history_["val_loss"].iloc[f.best_epoch_ - 1] == pytest.approx(expected, rel=1e-4)


def test_early_stopping_restores_the_best_epoch(y):
    f = GRUForecaster(
        window=14, hidden_size=8, epochs=60, patience=3, learning_rate=0.05, linear_skip=False, random_state=0
    ).fit(y)
    history = f.history_
    assert f.n_epochs_ == len(history) and f.best_epoch_ == int(history["val_loss"].idxmin())
    if f.n_epochs_ < 60:
        assert f.n_epochs_ - f.best_epoch_ == 3


def test_warm_start_continues_from_current_weights(y):
    f = LSTMForecaster(window=14, hidden_size=8, epochs=2, random_state=0, warm_start=True).fit(y.iloc[:120])
    before = {k: v.clone() for k, v in f.network_.state_dict().items()}
    f.set_params(learning_rate=1e-12, random_state=1).fit(y.iloc[:130])
    for key, value in f.network_.state_dict().items():
        if not key.startswith("linear."):  # the linear skip is solved again on the new data
            torch.testing.assert_close(value, before[key], rtol=1e-6, atol=1e-6)
    assert not torch.allclose(f.network_.linear.weight, before["linear.weight"])
    cold = LSTMForecaster(window=14, hidden_size=8, epochs=2, random_state=1, learning_rate=1e-12).fit(y.iloc[:130])
    assert not torch.allclose(cold.network_.head.weight, before["head.weight"])


def test_global_model_scales_each_series(y_frame):
    f = GRUForecaster(random_state=0, difference=False, **FAST).fit(y_frame)
    np.testing.assert_allclose(f.scale_mean_, y_frame.mean().to_numpy())
    forecast = f.predict(4)
    assert list(forecast.columns) == list(y_frame.columns)
    assert abs(forecast["y1"].mean() - forecast["y0"].mean()) > 5  # each series forecast on its own level


def test_joblib_round_trip_and_cpu_network(y, tmp_path):
    f = LSTMForecaster(random_state=0, device="auto", **FAST).fit(y)
    assert next(f.network_.parameters()).device.type == "cpu"
    joblib.dump(f, tmp_path / "model.joblib")
    restored = joblib.load(tmp_path / "model.joblib")
    pd.testing.assert_series_equal(restored.predict(5), f.predict(5))


def test_verbose_shows_epoch_progress(y, capsys):
    LSTMForecaster(verbose=1, random_state=0, **FAST).fit(y)
    assert "epoch" in capsys.readouterr().err


@pytest.mark.parametrize(
    "params, words",
    [
        ({"window": 0}, "window"),
        ({"horizon": 2.5}, "horizon"),
        ({"cell": "transformer"}, "cell"),
        ({"loss": "mape"}, "loss"),
        ({"strategy": "both"}, "strategy"),
        ({"dropout": 1.5}, "dropout"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"device": "tpu9"}, "device"),
        ({"n_ensemble": 0}, "n_ensemble"),
        ({"weight_decay": -1.0}, "weight_decay"),
        ({"weight_averaging": 1.0}, "weight_averaging"),
        ({"linear_skip": "yes"}, "linear_skip"),
        ({"residual": 1}, "residual"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"gradient_clip": -1.0}, "gradient_clip"),
        ({"patience": 0}, "patience"),
        ({"scaler": "minmax"}, "scaler"),
        ({"random_state": 1.5}, "random_state"),
        ({"warm_start": "no"}, "warm_start"),
        ({"future_covariates": "promo"}, "future_covariates"),
        ({"calendar": "dayofyear"}, "calendar"),
    ],
)
def test_bad_parameters_are_named_before_any_data_is_read(params, words):
    with pytest.raises(InvalidParameterError, match=words):
        RecurrentForecaster(**{**FAST, **params}).fit(None)


def test_numpy_scalar_parameters_give_the_same_forecasts(y):
    numpy_params = {
        "window": np.int64(14), "hidden_size": np.int32(8), "epochs": np.int64(3), "batch_size": np.int64(32),
        "horizon": np.int64(2), "dropout": np.float32(0.0), "learning_rate": np.float64(1e-3),
        "linear_skip": np.True_, "residual": np.False_, "difference": np.False_, "random_state": np.int64(0),
        "validation_fraction": np.float32(0.25), "patience": np.int64(5),
    }  # fmt: skip
    python_params = {k: v.item() for k, v in numpy_params.items()}
    ours = GRUForecaster(**numpy_params).fit(y)
    theirs = GRUForecaster(**python_params).fit(y)
    pd.testing.assert_series_equal(ours.predict(4), theirs.predict(4))
    pd.testing.assert_frame_equal(ours.predict_interval(4), theirs.predict_interval(4))


def test_too_short_series_states_the_minimum(y):
    with pytest.raises(ValueError, match="at least 17"):
        LSTMForecaster(window=14, horizon=2, difference=False).fit(y.iloc[:12])
    with pytest.raises(ValueError, match="at least 18"):
        LSTMForecaster(window=14, horizon=2).fit(y.iloc[:12])


def test_auto_differencing_follows_unit_root_tests(random_walk):
    rng = np.random.default_rng(3)
    noise = pd.Series(np.sin(np.arange(300) / 5) + rng.normal(scale=0.3, size=300), index=random_walk.index)
    frame = pd.DataFrame({"walk": random_walk, "noise": noise})
    f = LSTMForecaster(random_state=0, **FAST).fit(frame)
    assert f.differenced_.tolist() == [True, False]
    forecast = f.predict(3)
    assert abs(forecast["walk"].iloc[0] - random_walk.iloc[-1]) < 5 * random_walk.diff().std()
    assert LSTMForecaster(difference=True, **FAST).fit(noise).differenced_.tolist() == [True]
    with pytest.raises(ValueError, match="difference"):
        LSTMForecaster(difference="yes", **FAST).fit(noise)


def test_intervals_need_validation_windows(y):
    f = LSTMForecaster(validation_fraction=0.0, **FAST).fit(y)
    with pytest.raises(ValueError, match="validation_fraction"):
        f.predict_interval(3)


@pytest.mark.parametrize("max_norm", [0.01, 1.0, 1e6])
def test_gradient_clipping_matches_torch(max_norm):
    from tsrnn.neural.training import clip_gradients

    torch.manual_seed(0)
    nets = [torch.nn.LSTM(1, 4), torch.nn.LSTM(1, 4)]
    nets[1].load_state_dict(nets[0].state_dict())
    x = torch.randn(5, 3, 1)
    for net in nets:
        net(x)[0].pow(2).sum().backward()
    torch.nn.utils.clip_grad_norm_(nets[0].parameters(), max_norm)
    clip_gradients(list(nets[1].parameters()), max_norm)
    for a, b in zip(nets[0].parameters(), nets[1].parameters()):
        torch.testing.assert_close(a.grad, b.grad)


def test_ensemble_forecasts_the_average_of_its_members(y):
    f = LSTMForecaster(horizon=3, n_ensemble=3, random_state=0, **FAST).fit(y)
    single = LSTMForecaster(horizon=3, random_state=0, **FAST).fit(y)
    for key, value in single.network_.state_dict().items():
        torch.testing.assert_close(f.network_.members[0].state_dict()[key], value)
    alone = []
    for member in f.network_.members:
        g = copy.deepcopy(f)
        g.network_ = member
        alone.append(g.predict(3).to_numpy())
    np.testing.assert_allclose(f.predict(3).to_numpy(), np.mean(alone, axis=0), rtol=1e-5)
    assert not np.allclose(alone[0], alone[1])
    assert list(f.history_.index.names) == ["member", "epoch"] and len(f.best_epochs_) == 3
    assert f.best_epoch_ == f.best_epochs_[0]


def test_ensemble_warm_start_continues_every_member(y):
    f = GRUForecaster(n_ensemble=2, random_state=0, warm_start=True, **FAST).fit(y.iloc[:120])
    before = copy.deepcopy(f.network_.state_dict())
    f.set_params(learning_rate=1e-12).fit(y.iloc[:130])
    for key, value in f.network_.state_dict().items():
        if ".linear." not in key:
            torch.testing.assert_close(value, before[key], rtol=1e-6, atol=1e-6)


def test_linear_skip_adds_a_linear_autoregression_of_the_window(y):
    f = RNNForecaster(linear_skip=True, difference=False, random_state=0, **FAST).fit(y)
    with torch.no_grad():
        f.network_.head.weight.zero_()
        f.network_.head.bias.zero_()
    z = (y.to_numpy()[-14:] - f.scale_mean_[0]) / f.scale_std_[0]
    weights, bias = f.network_.linear.weight.detach().numpy()[0], f.network_.linear.bias.item()
    expected = (weights @ z + bias) * f.scale_std_[0] + f.scale_mean_[0]
    assert f.predict(1).iloc[0] == pytest.approx(expected, rel=1e-5)


def _gcv_ridge(X: np.ndarray, y: np.ndarray, penalties: np.ndarray) -> Ridge:
    """Brute force: the ridge (unpenalised intercept) with the least generalised cross-validation error."""
    centred = X - X.mean(axis=0)
    scale = np.linalg.eigvalsh(centred.T @ centred).clip(min=0).mean()
    best = None
    for penalty in scale * penalties:
        hat = centred @ np.linalg.solve(centred.T @ centred + penalty * np.eye(X.shape[1]), centred.T)
        residuals = (y - y.mean()) - hat @ (y - y.mean())
        gcv = (residuals**2).sum() / (1 - (1 + np.trace(hat)) / len(y)) ** 2
        if best is None or gcv < best[0]:
            best = (gcv, penalty)
    return Ridge(alpha=best[1]).fit(X, y)


def test_linear_skip_is_the_cross_validated_ridge_regression_of_the_training_windows(y):
    f = GRUForecaster(horizon=3, difference=False, random_state=0, **FAST).fit(y)
    z = (y.to_numpy() - f.scale_mean_[0]) / f.scale_std_[0]
    n_windows = len(z) - 14 - 3 + 1
    n_train = n_windows - f.n_validation_windows_  # the validation windows stay out of the fit too
    X = np.stack([z[i : i + 14] for i in range(n_train)])
    for step in range(3):
        ridge = _gcv_ridge(X, z[14 + step : 14 + step + n_train], RIDGE_PENALTIES)
        np.testing.assert_allclose(f.network_.linear.weight.detach().numpy()[step], ridge.coef_, atol=2e-5)
        assert f.network_.linear.bias.detach().numpy()[step] == pytest.approx(ridge.intercept_, abs=2e-5)


def test_linear_skip_shrinks_towards_the_mean_when_there_is_nothing_linear_to_learn():
    noise = pd.Series(np.random.default_rng(0).normal(size=400), index=pd.date_range("2020-01-01", periods=400))
    f = GRUForecaster(difference=False, random_state=0, **FAST).fit(noise)
    z = (noise.to_numpy() - f.scale_mean_[0]) / f.scale_std_[0]
    X = np.stack([z[i : i + 14] for i in range(400 - 14)])
    least_squares = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), z[14:], rcond=None)[0][:-1]
    assert np.abs(f.network_.linear.weight.detach().numpy()).max() < 0.2 * np.abs(least_squares).max()


def test_the_linear_model_alone_is_kept_when_training_only_makes_validation_worse(y):
    f = LSTMForecaster(learning_rate=50.0, difference=False, random_state=0, **FAST).fit(y)
    assert f.best_epoch_ == 0
    assert torch.count_nonzero(f.network_.head.weight) == 0 and torch.count_nonzero(f.network_.head.bias) == 0
    weights, bias = f.network_.linear.weight.detach().numpy()[0], f.network_.linear.bias.item()
    z = (y.to_numpy() - f.scale_mean_[0]) / f.scale_std_[0]
    n_windows = len(z) - 14
    validation = range(n_windows - f.n_validation_windows_, n_windows)
    linear_loss = np.mean([(weights @ z[i : i + 14] + bias - z[i + 14]) ** 2 for i in validation])
    assert linear_loss < f.history_["val_loss"].min()  # every trained epoch validated worse
    expected = (weights @ z[-14:] + bias) * f.scale_std_[0] + f.scale_mean_[0]
    assert f.predict(1).iloc[0] == pytest.approx(expected, rel=1e-5)


def test_weight_averaging_keeps_the_moving_average_of_the_weights(y, monkeypatch):
    initial, steps = [], []
    original_init, original_step = torch.optim.Adam.__init__, torch.optim.Adam.step

    def recording_init(self, params, *args, **kwargs):
        params = list(params)
        initial.extend(p.detach().clone() for p in params)
        original_init(self, params, *args, **kwargs)

    def recording_step(self, *args, **kwargs):
        out = original_step(self, *args, **kwargs)
        steps.append([p.detach().clone() for group in self.param_groups for p in group["params"]])
        return out

    monkeypatch.setattr(torch.optim.Adam, "__init__", recording_init)
    monkeypatch.setattr(torch.optim.Adam, "step", recording_step)
    params = {**FAST, "epochs": 1, "validation_fraction": 0.0, "patience": None}
    f = GRUForecaster(weight_averaging=0.7, random_state=0, **params).fit(y)
    average = initial
    for weights in steps:
        average = [0.7 * a + 0.3 * w for a, w in zip(average, weights)]
    for kept, expected in zip(f.network_.parameters(), average):
        torch.testing.assert_close(kept, expected, rtol=1e-5, atol=1e-6)
    assert len(steps) > 2 and not torch.allclose(average[0], steps[-1][0])


@pytest.mark.parametrize("variant, cell", [(RNNForecaster, "rnn"), (LSTMForecaster, "lstm"), (GRUForecaster, "gru")])
def test_variant_signatures_are_the_recurrent_forecasters_without_cell(variant, cell):
    import inspect

    def described(function):
        return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]

    expected = [entry for entry in described(RecurrentForecaster.__init__) if entry[0] != "cell"]
    assert described(variant.__init__) == expected
    assert variant().cell == cell and "cell" not in variant().get_params()


def test_differencer_round_trip_and_next_window():
    from tsrnn.transforms import Differencer

    values = np.column_stack([np.cumsum(np.arange(1.0, 9.0)), np.arange(8.0) ** 2])
    d = Differencer(difference=True).fit(values)
    changes = d.transform(values)
    assert changes.shape == values.shape and np.isnan(changes[0]).all()
    np.testing.assert_array_equal(changes[1:], np.diff(values, axis=0))
    # Forecasts of changes become levels continuing from the last observation of each series.
    levels = d.inverse_next(changes[5:].T, values[4], series=np.array([0, 1]))
    np.testing.assert_allclose(levels.T, values[5:])
    kept = Differencer(difference=False).fit(values)
    assert kept.n_lost_ == 0 and np.array_equal(kept.transform(values), values)
    rows = Differencer(difference=True).fit(values).transform(values[2:6].T, series=np.array([0, 1]))
    np.testing.assert_array_equal(rows[:, 1:], np.diff(values[2:6], axis=0).T)


def test_differencer_auto_decides_on_the_data_it_is_fitted_on(random_walk):
    from tsrnn.transforms import Differencer

    noise = np.random.default_rng(0).normal(size=len(random_walk))
    d = Differencer("auto").fit(np.column_stack([random_walk.to_numpy(), noise]))
    assert d.differenced_.tolist() == [True, False] and d.n_lost_ == 1


def test_scaler_inverts_and_works_row_wise():
    from tsrnn.transforms import Scaler

    values = np.column_stack([np.arange(10.0), np.full(10, 3.0)])
    scaler = Scaler().fit(values)
    assert scaler.scale_[1] == 1.0 and Scaler(constant="relative").fit(values).scale_[1] == pytest.approx(3e-6)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(values)), values)
    rows = scaler.transform(values[:4].T, series=np.array([0, 1]))
    np.testing.assert_allclose(rows, scaler.transform(values[:4]).T)


def test_ridge_gcv_on_its_own_equals_brute_force():
    from tsrnn.neural.linear import RidgeStatistics, ridge_gcv

    rng = np.random.default_rng(2)
    X = rng.normal(size=(300, 6))
    y = X @ np.array([0.5, -0.2, 0.0, 0.1, 0.0, 0.3]) + rng.normal(scale=0.5, size=300)
    stats = RidgeStatistics()
    for chunk in np.array_split(np.arange(300), 4):  # gathered in chunks, as on long series
        stats.add(torch.as_tensor(X[chunk]), torch.as_tensor(y[chunk, None]))
    weights, intercept = ridge_gcv(stats)
    expected = _gcv_ridge(X, y, RIDGE_PENALTIES)
    np.testing.assert_allclose(weights.numpy()[:, 0], expected.coef_, atol=1e-8)
    assert float(intercept[0]) == pytest.approx(expected.intercept_, abs=1e-8)


def test_training_on_its_own_keeps_the_best_validated_epoch():
    from tsrnn.neural.network import NetworkConfig, RecurrentNetwork
    from tsrnn.neural.training import TrainingConfig, WindowBatches, train

    t = np.arange(200.0)
    z = np.sin(t / 4)[:, None]
    batches = WindowBatches(z, np.zeros((200, 0)), np.zeros((200, 0)), window=10, outputs=1, device=torch.device("cpu"))
    torch.manual_seed(0)
    network = RecurrentNetwork(NetworkConfig("gru", 1, 8, 1, 0.0, 1))
    config = TrainingConfig(epochs=8, batch_size=16, learning_rate=1e-2, loss="mse", gradient_clip=1.0, patience=None)
    train_starts, val_starts = batches.starts(0, 150, 1), batches.starts(150, 190, 1)
    history, best = train(network, batches, train_starts, val_starts, config, seed=0)
    assert list(history.columns) == ["train_loss", "val_loss"] and len(history) == 8
    assert best == int(history["val_loss"].idxmin())
    with torch.no_grad():
        kept = torch.nn.functional.mse_loss(network(*batches(val_starts)), batches.targets[val_starts])
    assert float(kept) == pytest.approx(history["val_loss"].min(), rel=1e-5)
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]


def test_a_failed_fit_leaves_the_forecaster_as_it_was(y):
    from sklearn.exceptions import NotFittedError

    f = LSTMForecaster(random_state=0, **FAST).fit(y)
    before = f.predict(3)
    broken = y.copy()
    broken.iloc[-1] = np.inf
    with pytest.raises(ValueError, match="infinite"):
        f.fit(broken)
    pd.testing.assert_series_equal(f.predict(3), before)
    with pytest.raises(ValueError):
        f.fit(y.iloc[:10])  # too short: fails after the parameters were checked
    pd.testing.assert_series_equal(f.predict(3), before)
    fresh = LSTMForecaster(**FAST)
    with pytest.raises(ValueError):
        fresh.fit(broken)
    with pytest.raises(NotFittedError):
        fresh.predict(3)


def test_changing_a_parameter_after_fit_is_refused_until_refit(y):
    f = GRUForecaster(random_state=0, **FAST).fit(y)
    f.set_params(window=7)
    with pytest.raises(ValueError, match="window was changed from 14 to 7 after fit"):
        f.predict(3)
    with pytest.raises(ValueError, match="window"):
        f.update(y.iloc[-1:] + 0.0)
    f.set_params(window=14)
    assert np.isfinite(f.predict(3).to_numpy()).all()


def test_diverged_training_warns_and_keeps_the_linear_part(y):
    with pytest.warns(UserWarning, match="diverged"):
        f = LSTMForecaster(learning_rate=1e30, difference=False, random_state=0, **FAST).fit(y)
    assert f.best_epoch_ == 0 and np.isfinite(f.predict(3).to_numpy()).all()


def test_forecasts_far_outside_the_data_warn(y):
    settings = {"learning_rate": 1e6, "scaler": None, "linear_skip": False, "difference": False, "random_state": 0}
    f = RNNForecaster(**settings, **FAST).fit(y)
    with pytest.warns(UserWarning, match="outside"):
        f.predict(3)


def test_constant_series_warns_and_forecasts_the_constant(y):
    constant = pd.Series(5.0, index=y.index)
    with pytest.warns(UserWarning, match="constant"):
        f = GRUForecaster(random_state=0, **FAST).fit(constant)
    np.testing.assert_allclose(f.predict(3).to_numpy(), 5.0)


def test_a_horizon_longer_than_the_history_warns(y):
    f = RNNForecaster(random_state=0, **FAST).fit(y.iloc[:40])
    with pytest.warns(UserWarning, match="further ahead"):
        f.predict(50)


def test_a_constant_series_beside_a_varying_one_stays_constant(y):
    frame = pd.DataFrame({"flat": 0.002, "y": y})
    with pytest.warns(UserWarning, match="constant"):
        f = GRUForecaster(random_state=0, **FAST).fit(frame)
    np.testing.assert_allclose(f.predict(5)["flat"].to_numpy(), 0.002, rtol=1e-3)
