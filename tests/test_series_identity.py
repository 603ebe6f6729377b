"""Series identity for global networks: a learned embedding per series, static covariates per series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from tsrnn import GRUForecaster, LSTMForecaster, backtest
from tsrnn.neural.network import NetworkConfig, RecurrentNetwork

#: Small networks that train in well under a second on the panels below.
SMALL = {"window": 1, "hidden_size": 8, "epochs": 40, "batch_size": 32, "patience": None, "random_state": 0,
         "difference": False, "linear_skip": False}  # fmt: skip


def opposite_panel(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Two AR(1) series, one with coefficient 0.9 and one with -0.9.

    A network that reads one value cannot tell them apart from the window: without knowing the series, its
    best one-step forecast is about zero for both; knowing it, about 0.9 times the value, with its sign.
    """
    rng = np.random.default_rng(seed)
    values = np.zeros((n, 2))
    for t in range(1, n):
        values[t] = np.array([0.9, -0.9]) * values[t - 1] + rng.normal(size=2)
    return pd.DataFrame(values, index=pd.date_range("2020-01-01", periods=n, freq="D"), columns=["up", "down"])


def one_step_error(model, y: pd.DataFrame, start: int = 300) -> float:
    """Mean squared one-step error over the last observations, by updating a model fitted on the first ``start``."""
    model.fit(y.iloc[:start])
    errors = []
    for t in range(start, len(y)):
        errors.append((model.predict(1).to_numpy()[0] - y.iloc[t].to_numpy()) ** 2)
        model.update(y.iloc[t : t + 1])
    return float(np.mean(errors))


def test_an_embedding_tells_series_apart_that_the_window_cannot():
    y = opposite_panel()
    shared = one_step_error(GRUForecaster(**SMALL), y)
    told = one_step_error(GRUForecaster(**SMALL, series_embedding=2), y)
    assert told < 0.6 * shared, (told, shared)


def test_static_covariates_tell_series_apart():
    y = opposite_panel()
    static = pd.DataFrame({"sign": [1.0, -1.0]}, index=["up", "down"])
    shared = one_step_error(GRUForecaster(**SMALL), y)
    told = one_step_error(GRUForecaster(**SMALL, static=static), y)
    assert told < 0.6 * shared, (told, shared)


def test_static_rows_are_read_by_label_not_by_position():
    y = opposite_panel(200)
    exact = pd.DataFrame({"sign": [1.0, -1.0]}, index=["up", "down"])
    shuffled = pd.DataFrame({"sign": [-1.0, 7.0, 1.0]}, index=["down", "elsewhere", "up"])
    first = LSTMForecaster(**{**SMALL, "epochs": 3}, static=exact).fit(y)
    second = LSTMForecaster(**{**SMALL, "epochs": 3}, static=shuffled).fit(y)
    # The extra row changes the standardisation only if it were used: it is not.
    np.testing.assert_array_equal(first.static_, second.static_)
    pd.testing.assert_frame_equal(first.predict(5), second.predict(5))


def test_identity_is_deterministic_and_sizes_the_recurrent_input():
    y = opposite_panel(200)
    static = pd.DataFrame({"sign": [1.0, -1.0], "size": [2.0, 3.0]}, index=["up", "down"])
    params = {**SMALL, "epochs": 3, "series_embedding": 3, "static": static}
    first, second = GRUForecaster(**params).fit(y), GRUForecaster(**params).fit(y)
    pd.testing.assert_frame_equal(first.predict(4), second.predict(4))
    assert first.network_.rnn.input_size == 1 + 3 + 2
    assert first.network_.embedding.weight.shape == (2, 3)
    np.testing.assert_allclose(first.static_.mean(axis=0), 0.0, atol=1e-12)
    interval = first.predict_interval(4, coverage=0.8)
    assert np.isfinite(interval.to_numpy()).all()


def test_a_new_network_with_an_identity_starts_as_its_linear_skip():
    # A fresh head is silenced, so before training the embedding changes nothing: the linear model is kept.
    y = opposite_panel(200)
    params = {**SMALL, "window": 5, "linear_skip": True, "epochs": 1, "learning_rate": 1e-12}
    plain = GRUForecaster(**params).fit(y)
    told = GRUForecaster(**params, series_embedding=4).fit(y)
    assert plain.best_epoch_ == told.best_epoch_ == 0
    pd.testing.assert_frame_equal(plain.predict(3), told.predict(3), atol=1e-6)


def test_warm_refits_continue_the_embedding_and_keep_the_static_values():
    y = opposite_panel(260)
    static = pd.DataFrame({"sign": [1.0, -1.0]}, index=["up", "down"])
    model = GRUForecaster(**{**SMALL, "epochs": 3}, series_embedding=2, static=static).fit(y.iloc[:200])
    before = model.network_.embedding.weight.detach().clone()
    model.set_params(warm_start=True, epochs=1, learning_rate=1e-12).fit(y)
    torch.testing.assert_close(model.network_.embedding.weight.detach(), before)
    np.testing.assert_array_equal(model.network_.static.numpy(), model.static_.astype(np.float32))


def test_backtests_and_ensembles_carry_the_identity():
    y = opposite_panel(160)
    static = pd.DataFrame({"sign": [1.0, -1.0]}, index=["up", "down"])
    model = GRUForecaster(**{**SMALL, "epochs": 2, "n_ensemble": 2}, series_embedding=2, static=static)
    result = backtest(model, y, horizon=2, initial=140, step=5, progress=False)
    scores = result.score(["mase"], by="series")
    assert sorted(scores.index) == ["down", "up"] and np.isfinite(scores.to_numpy()).all()
    assert len(result.cutoffs) == 4 and result.forecasts["y_pred"].notna().all()


def test_the_network_refuses_identity_features_it_cannot_place():
    config = NetworkConfig("gru", 1, 4, 1, 0.0, 1, n_series=2, static_size=1)
    with pytest.raises(ValueError, match="shape"):
        RecurrentNetwork(config)
    with pytest.raises(ValueError, match="n_series"):
        NetworkConfig("gru", 1, 4, 1, 0.0, 1, embedding_size=2)
    network = RecurrentNetwork(NetworkConfig("gru", 1, 4, 1, 0.0, 1, n_series=2, embedding_size=2))
    with pytest.raises(ValueError, match="series of each window"):
        network(torch.zeros(3, 5, 1))


def test_the_repr_shows_a_static_table_by_its_shape():
    static = pd.DataFrame({"size": np.arange(40.0)}, index=[f"s{i}" for i in range(40)])
    model = GRUForecaster(series_embedding=3, static=static)
    assert repr(model) == "GRUForecaster(series_embedding=3, static=<DataFrame of 40 rows x 1 columns>)"
    assert model.static is static  # the repr leaves the parameter itself alone
