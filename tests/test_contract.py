"""Every forecaster keeps the contract: one test id per forecaster and rule, so one broken rule hides no other."""

import pytest
from sklearn.linear_model import Ridge

from tsrnn import (
    AdaptiveConformal,
    ARForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RecurrentForecaster,
    RegressionForecaster,
    RNNForecaster,
    SearchCV,
)
from tsrnn.testing import CHECKS, check_forecaster

FAST = {"window": 14, "hidden_size": 8, "epochs": 3, "batch_size": 32}

FORECASTERS = [
    NaiveForecaster(),
    NaiveForecaster("mean"),
    NaiveForecaster("drift"),
    NaiveForecaster("seasonal", season_length=7),
    ARForecaster(),
    ARForecaster(lags="bic", trend="ct"),
    ARForecaster(lags=[1, 7]),
    ARForecaster(lags=2, seasonal=True, season_length=7),
    RegressionForecaster(Ridge(), window=14),
    RegressionForecaster(Ridge(), window=14, strategy="direct", horizon=4),
    RNNForecaster(**FAST),
    LSTMForecaster(horizon=3, **FAST),
    GRUForecaster(horizon=3, **FAST),
    RNNForecaster(strategy="recursive", **FAST),
    LSTMForecaster(strategy="recursive", difference=True, **FAST),
    GRUForecaster(strategy="recursive", horizon=2, residual=True, **FAST),
    LSTMForecaster(horizon=3, n_ensemble=2, linear_skip=True, weight_decay=1e-4, **FAST),
    GRUForecaster(weight_averaging=0.9, **FAST),
    RecurrentForecaster(cell="gru", num_layers=2, dropout=0.1, loss="huber", **FAST),
    LSTMForecaster(horizon=3, loss="quantile", **FAST),
    GRUForecaster(horizon=2, loss="quantile", quantiles=(0.1, 0.25, 0.75, 0.9), difference=True, **FAST),
    LSTMForecaster(horizon=3, loss="quantile", conformal_quantiles=True, **FAST),
    GRUForecaster(horizon=2, series_embedding=2, **FAST),
    AdaptiveConformal(ARForecaster(), horizon=3),
    AdaptiveConformal(NaiveForecaster(), learning_rate=0.1, refit=False, window=30),
    AdaptiveConformal(GRUForecaster(**FAST), horizon=2),
    SearchCV(ARForecaster(), {"lags": [1, 2, 7]}, horizon=3, progress=False),
    SearchCV(NaiveForecaster(), {"strategy": ["last", "drift"]}, method="halving", factor=2, progress=False),
    SearchCV(GRUForecaster(**FAST), {"window": [7, 14]}, horizon=3, refit=2, progress=False),
]


@pytest.mark.parametrize("rule", list(CHECKS))
@pytest.mark.parametrize("forecaster", FORECASTERS, ids=repr)
def test_contract(forecaster, rule):
    check_forecaster(forecaster, checks=[rule])
