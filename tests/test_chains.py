"""Chains of dependent folds, warm refits that validate honestly, and parallel runs equal to serial ones."""

import warnings

import numpy as np
import pandas as pd
import pytest

from tsrnn import ARForecaster, LSTMForecaster, NaiveForecaster, WarmStart, backtest, compare
from tsrnn._validation import InvalidParameterError
from tsrnn.backtest import fold_jobs, plan_backtest
from tsrnn.chains import AUTO_WARM_START, chains, check_warm_start
from tsrnn.testing import synthetic_series

TINY = {"window": 10, "horizon": 3, "hidden_size": 8, "epochs": 3, "batch_size": 32, "random_state": 0}


@pytest.mark.parametrize(
    "n, refit, warm, expected",
    [
        (4, True, None, [[0], [1], [2], [3]]),
        (5, 2, None, [[0, 1], [2, 3], [4]]),
        (4, False, None, [[0, 1, 2, 3]]),
        (4, True, WarmStart(), [[0, 1, 2, 3]]),
        (5, True, WarmStart(restart=2), [[0, 1], [2, 3], [4]]),
        # Refits at 0, 3, 6 and 9; every second refit starts from scratch.
        (10, 3, WarmStart(restart=2), [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]]),
        (1, True, WarmStart(restart=1), [[0]]),
    ],
)
def test_chains_start_at_every_fit_from_scratch(n, refit, warm, expected):
    assert chains(n, refit, warm) == expected


def test_warm_start_values_and_their_errors():
    assert check_warm_start(False) is False and check_warm_start(np.bool_(False)) is False
    assert check_warm_start(True) == WarmStart() and check_warm_start(4) == WarmStart(epochs=4)
    assert check_warm_start("auto") is AUTO_WARM_START and AUTO_WARM_START.restart
    assert check_warm_start("auto", refit=13) is False and check_warm_start(True, refit=13) == WarmStart()
    assert "from scratch every" in AUTO_WARM_START.describe()
    for bad in (0, -1, 1.5, "warm", None):
        with pytest.raises(InvalidParameterError, match="warm_start must be"):
            check_warm_start(bad)
    for field in ("epochs", "patience", "restart"):
        with pytest.raises(InvalidParameterError, match=f"WarmStart {field} must be a positive int"):
            WarmStart(**{field: 0})
        with pytest.raises(InvalidParameterError, match=field):
            WarmStart(**{field: True})


def test_a_chain_job_carries_nothing_after_its_last_cutoff():
    y = synthetic_series(n=120)
    plan = plan_backtest(y, horizon=5, initial=80, refit=3)
    jobs = fold_jobs(NaiveForecaster(), y, None, plan)
    assert len(jobs) == 3  # 8 cutoffs, a chain from every refit
    for (_, args), indices in zip(jobs, chains(len(plan.splits), 3, None)):
        assert len(args[1]) == int(plan.splits[indices[-1]][0][-1]) + 1


@pytest.mark.parametrize(
    "forecaster, policy",
    [
        (NaiveForecaster(), {"refit": 3}),
        (ARForecaster(lags=2), {"refit": 2}),
        (LSTMForecaster(**TINY), {"refit": 2}),
        (LSTMForecaster(**TINY), {"refit": True, "warm_start": WarmStart(epochs=2, patience=1, restart=3)}),
    ],
)
def test_chains_in_parallel_equal_a_serial_run(forecaster, policy):
    y = synthetic_series(n=160)
    kwargs = {"horizon": 3, "step": 3, "initial": 130, "progress": False, **policy}
    serial = backtest(forecaster, y, **kwargs)
    parallel = backtest(forecaster, y, n_jobs=2, **kwargs)
    pd.testing.assert_frame_equal(serial.forecasts, parallel.forecasts)
    assert len(serial.cutoffs) == 10


def _first_validation_target(model):
    """Label of the last target of the first validation window of the last fit."""
    first = model.n_windows_ - model.n_validation_windows_
    offset = model.differencer_.n_lost_ + model.window + model.horizon - 1
    return model._labels[first + offset]


def test_warm_refits_validate_on_windows_no_earlier_fit_trained_on():
    y = synthetic_series(n=260)
    model = LSTMForecaster(**TINY).fit(y.iloc[:200])
    assert model.trained_through_ < _first_validation_target(model)
    model.set_params(warm_start=True)
    for end in (207, 214):
        before = model.trained_through_
        model.fit(y.iloc[:end])
        assert _first_validation_target(model) > before
        assert model.trained_through_ >= before
    # A linear part solved again on every window has trained on the validation windows too: the next warm
    # refit validates on the new windows only.
    model.set_params(refit_linear=True).fit(y.iloc[:221])
    assert model.trained_through_ == y.index[220]
    model.fit(y.iloc[:228])
    assert model.n_validation_windows_ == 7 and _first_validation_target(model) == y.index[221]


def test_a_sliding_warm_refit_tells_windows_apart_by_their_dates():
    y = synthetic_series(n=260)
    model = LSTMForecaster(**TINY, refit_linear=True).fit(y.iloc[:200])
    model.set_params(warm_start=True).fit(y.iloc[10:205])  # the window moved on by 10, 5 new observations
    assert model.n_validation_windows_ == 5 and _first_validation_target(model) == y.index[200]


def test_a_warm_refit_on_the_same_data_warns_that_it_cannot_validate_honestly():
    y = synthetic_series(n=200)
    model = LSTMForecaster(**TINY, refit_linear=True).fit(y)
    with pytest.warns(UserWarning, match="no window that the previous fit did not train on"):
        model.set_params(warm_start=True).fit(y)
    assert model.n_validation_windows_ > 0


def test_a_warm_refit_keeps_the_differencing_of_the_weights():
    walk = pd.Series(np.cumsum(np.random.default_rng(3).normal(size=300)), pd.date_range("2021-01-01", periods=300))
    model = LSTMForecaster(**TINY, difference=True).fit(walk.iloc[:250])
    model.set_params(warm_start=True, difference=False).fit(walk.iloc[:257])
    assert model.differenced_.all()  # the continued weights were trained on differences
    assert not model.set_params(warm_start=False).fit(walk.iloc[:257]).differenced_.any()


def test_warnings_raised_in_workers_reach_the_caller():
    y = pd.Series(np.full(60, 3.0), pd.date_range("2022-01-01", periods=60))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        backtest(NaiveForecaster(), y, horizon=3, initial=50, n_jobs=2, progress=False)
    messages = [str(w.message) for w in caught if "constant" in str(w.message)]
    assert len(messages) == 1  # one per distinct message, not one per fold


def test_compare_runs_on_every_core_and_says_how():
    y = synthetic_series(n=160)
    models = {"ar": ARForecaster(lags=2), "lstm": LSTMForecaster(**TINY)}
    kwargs = {"horizon": 3, "step": 3, "initial": 130, "progress": False, "coverage": None}
    default = compare(models, y, **kwargs)
    serial = compare(models, y, n_jobs=1, **kwargs)
    assert "job" in default.settings["execution"] and "torch thread" in default.settings["execution"]
    assert "one after another" in serial.settings["execution"]
    assert default.settings["warm_models"] == ["lstm"] and default.settings["warm_start"] is AUTO_WARM_START
    for name in models:
        pd.testing.assert_frame_equal(default.results[name].forecasts, serial.results[name].forecasts)
    cold = compare(models, y, warm_start=False, n_jobs=1, **kwargs)
    assert cold.settings["warm_models"] == []
    assert "warm refits" in default.to_markdown() and "warm refits" not in cold.to_markdown()


def test_auto_warm_starts_only_a_refit_at_every_cutoff():
    y = synthetic_series(n=120)
    assert plan_backtest(y, horizon=5, initial=80, warm_start="auto").warm_start is AUTO_WARM_START
    assert plan_backtest(y, horizon=5, initial=80, refit=13, warm_start="auto").warm_start is False
    assert plan_backtest(y, horizon=5, initial=80, refit=13, warm_start=True).warm_start == WarmStart()


def test_a_warm_refit_on_more_series_decides_their_differencing_afresh():
    panel = synthetic_series(n=220, n_series=2)
    model = LSTMForecaster(**TINY).fit(panel.iloc[:200, :1])
    model.set_params(warm_start=True).fit(panel.iloc[:207])
    assert model.differenced_.shape == (2,) and model.n_series_ == 2
