import os
import signal
import threading
import time

import matplotlib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score

from tsrnn import (
    ARForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RegressionForecaster,
    RNNForecaster,
    WalkForward,
    WarmStart,
    backtest,
)
from tsrnn._validation import InvalidParameterError
from tsrnn.backtest import plan_backtest
from tsrnn.testing import synthetic_series

matplotlib.use("Agg")

TINY = {"window": 14, "hidden_size": 8, "epochs": 3, "batch_size": 32, "random_state": 0}
FORECASTERS = [
    NaiveForecaster(),
    ARForecaster(lags="aic", max_lags=10),
    RegressionForecaster(Ridge(), window=14),
    RNNForecaster(**TINY),
    LSTMForecaster(horizon=5, **TINY),
    GRUForecaster(strategy="recursive", difference=True, **TINY),
]
POLICIES = [
    {"refit": True},
    {"refit": False},
    {"refit": 2},
    {"refit": True, "warm_start": True},
    {"refit": True, "warm_start": 2},
    {"refit": True, "warm_start": "auto"},
    {"refit": True, "warm_start": WarmStart(epochs=2, patience=1, restart=2)},
]


def test_walk_forward_positions():
    cv = WalkForward(horizon=3, step=2, initial=5)
    folds = list(cv.split(np.zeros(12)))
    assert [list(test) for _, test in folds] == [[5, 6, 7], [7, 8, 9], [9, 10, 11]]
    assert all(train[-1] + 1 == test[0] and train[0] == 0 for train, test in folds)
    assert cv.n_splits(np.zeros(12)) == 3 and "horizon=3" in repr(cv)
    sliding = WalkForward(horizon=2, scheme="sliding", train_length=4, initial=6)
    assert [list(train) for train, _ in sliding.split(np.zeros(10))] == [[2, 3, 4, 5], [4, 5, 6, 7]]


def test_initial_may_be_a_timestamp(y):
    cv = WalkForward(horizon=7, initial=y.index[99])
    assert cv.cutoffs(y)[0] == 99


@pytest.mark.parametrize(
    "cv, words",
    [
        (WalkForward(horizon=7, initial=1), "initial"),
        (WalkForward(horizon=7, scheme="sliding"), "train_length"),
        (WalkForward(horizon=7, scheme="sliding", train_length=0), "train_length must be a positive int; got 0"),
        (WalkForward(horizon=7, scheme="sliding", train_length=2.5), "train_length must be a positive int; got 2.5"),
        (WalkForward(horizon=7, scheme="sliding", train_length=50, initial=40), "shorter than train_length=50"),
        (WalkForward(horizon=0), "horizon must be a positive int; got 0"),
        (WalkForward(horizon=3, step=-1), "step must be a positive int; got -1"),
        (WalkForward(horizon=3, scheme="rolling"), "scheme must be 'expanding' or 'sliding'; got 'rolling'"),
    ],
)
def test_bad_splitter_settings(y, cv, words):
    with pytest.raises(InvalidParameterError, match=words):
        cv.cutoffs(y)


def test_a_series_too_short_for_the_folds_says_how_long_it_must_be(y):
    with pytest.raises(ValueError, match="at least 207"):
        WalkForward(horizon=7, initial=200).cutoffs(y)


def test_numpy_scalars_are_accepted_by_the_splitter(y):
    cv = WalkForward(np.int64(5), np.int64(5), np.int64(100), np.str_("sliding"), np.int64(80))
    expected = WalkForward(5, 5, 100, "sliding", 80)
    assert [list(t) for t, _ in cv.split(y)] == [list(t) for t, _ in expected.split(y)]


def test_works_as_scikit_learn_cv():
    X = np.arange(100.0)[:, None]
    scores = cross_val_score(Ridge(), X, 2 * X[:, 0] + 1, cv=WalkForward(horizon=10, initial=50))
    assert len(scores) == 5


@pytest.mark.parametrize("policy", POLICIES, ids=str)
@pytest.mark.parametrize("forecaster", FORECASTERS, ids=lambda f: type(f).__name__)
def test_no_forecast_depends_on_data_after_its_cutoff(forecaster, policy, y):
    garbage = y.copy()
    rng = np.random.default_rng(5)
    garbage.iloc[126:] = rng.normal(scale=1000.0, size=len(y) - 126)
    kwargs = {"horizon": 5, "initial": 100, "coverage": 0.8, "progress": False, **policy}
    clean = backtest(forecaster, y, **kwargs).forecasts
    dirty = backtest(forecaster, garbage, **kwargs).forecasts
    before = clean["cutoff"] <= y.index[125]
    assert before.sum() >= 25
    for column in ("y_pred", "lower", "upper"):
        np.testing.assert_array_equal(clean.loc[before, column], dirty.loc[before, column], err_msg=column)
    assert not np.array_equal(clean.loc[~before, "y_pred"], dirty.loc[~before, "y_pred"])


def test_result_rows_and_scores(y_frame):
    result = backtest(ARForecaster(lags=2), y_frame, horizon=4, initial=120, coverage=0.9, progress=False)
    rows = result.forecasts
    assert list(rows.columns) == ["series", "cutoff", "timestamp", "step", "y_true", "y_pred", "lower", "upper"]
    assert len(rows) == 2 * 10 * 4 and set(rows["series"]) == {"y0", "y1"}
    first = rows[(rows["series"] == "y0") & (rows["cutoff"] == y_frame.index[119])]
    assert list(first["timestamp"]) == list(y_frame.index[120:124])
    np.testing.assert_array_equal(first["y_true"], y_frame["y0"].iloc[120:124])
    assert result.score(by="step").shape == (4, 3)
    assert set(result.score(["coverage"], by="series").index) == {"y0", "y1"}
    assert len(result.fit_seconds) == 10 and (result.predict_seconds >= 0).all()


def test_mase_uses_each_folds_own_training_data(y):
    result = backtest(NaiveForecaster(), y, horizon=5, initial=100, progress=False)
    rows = result.forecasts
    expected = []
    for cutoff, fold in rows.groupby("cutoff"):
        train = y.loc[:cutoff].to_numpy()
        expected.append(np.abs(fold["y_pred"] - fold["y_true"]).to_numpy() / np.mean(np.abs(np.diff(train))))
    assert result.score(["mase"]).iloc[0, 0] == pytest.approx(np.mean(np.concatenate(expected)))


def test_refit_false_equals_manual_updates(y):
    result = backtest(ARForecaster(lags=3), y, horizon=5, initial=100, refit=False, progress=False)
    f = ARForecaster(lags=3).fit(y.iloc[:100])
    expected = [f.predict(5).to_numpy()]
    for cutoff in range(104, 155, 5):
        f.update(y.iloc[cutoff - 4 : cutoff + 1])
        expected.append(f.predict(5).to_numpy())
    np.testing.assert_allclose(result.forecasts["y_pred"], np.concatenate(expected))


def test_plot_returns_a_figure(y):
    result = backtest(NaiveForecaster(), y, horizon=5, initial=130, coverage=0.9, progress=False)
    fig = result.plot()
    assert isinstance(fig, matplotlib.figure.Figure) and fig.axes[0].get_title()


def test_parallel_joblib_equals_serial(y):
    kwargs = {"horizon": 5, "initial": 110, "progress": False}
    serial = backtest(LSTMForecaster(**TINY), y, **kwargs).forecasts
    parallel = backtest(LSTMForecaster(**TINY), y, n_jobs=2, **kwargs).forecasts
    pd.testing.assert_frame_equal(serial, parallel)


def test_bad_backtest_arguments(y):
    with pytest.raises(InvalidParameterError, match="horizon"):
        backtest(NaiveForecaster(), y)
    with pytest.raises(InvalidParameterError, match="refit"):
        backtest(NaiveForecaster(), y, horizon=3, refit=0)
    with pytest.raises(InvalidParameterError, match="coverage"):
        backtest(NaiveForecaster(), y, horizon=3, coverage=1.5)
    with pytest.raises(InvalidParameterError, match="warm_start"):
        backtest(NaiveForecaster(), y, horizon=3, warm_start=0)
    with pytest.raises(InvalidParameterError, match="metrics"):
        backtest(NaiveForecaster(), y, horizon=3, progress=False).score(["r2"])


def test_dask_without_a_client_says_how_to_start_one(y):
    pytest.importorskip("distributed")
    with pytest.raises(ValueError, match="Client"):
        backtest(NaiveForecaster(), y, horizon=5, backend="dask", progress=False)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_equals_serial(dask_client, y):
    kwargs = {"horizon": 5, "initial": 110, "coverage": 0.9, "progress": False}
    serial = backtest(GRUForecaster(**TINY), y, **kwargs).forecasts
    on_dask = backtest(GRUForecaster(**TINY), y, backend="dask", **kwargs).forecasts
    pd.testing.assert_frame_equal(serial, on_dask)


def test_killed_dask_worker_loses_no_fold(dask_client):
    y = synthetic_series(n=400)
    forecaster = LSTMForecaster(window=20, hidden_size=16, epochs=15, patience=None, batch_size=16, random_state=0)
    kwargs = {"horizon": 5, "step": 20, "initial": 200, "progress": False}
    serial = backtest(forecaster, y, **kwargs).forecasts
    pids = dask_client.run(os.getpid)
    victim = next(iter(pids.values()))
    done = {}
    runner = threading.Thread(target=lambda: done.update(result=backtest(forecaster, y, backend="dask", **kwargs)))
    runner.start()
    time.sleep(1.0)
    still_running = runner.is_alive()
    os.kill(victim, signal.SIGKILL)
    runner.join(timeout=300)
    assert still_running, "the backtest finished before the worker was killed; make the folds longer"
    assert victim not in dask_client.run(os.getpid).values()
    pd.testing.assert_frame_equal(serial, done["result"].forecasts)


COVARIATE_FORECASTERS = [
    NaiveForecaster(),
    ARForecaster(lags=3, future_covariates=["plan"], calendar=["dayofweek"]),
    RegressionForecaster(Ridge(), window=14, strategy="direct", horizon=5, future_covariates=["plan"]),
    LSTMForecaster(horizon=5, future_covariates=["plan"], calendar=["dayofweek"], **TINY),
    GRUForecaster(horizon=5, future_covariates=["plan"], **TINY),
]


@pytest.mark.parametrize("policy", POLICIES[:3], ids=str)
@pytest.mark.parametrize("forecaster", COVARIATE_FORECASTERS, ids=lambda f: type(f).__name__)
def test_covariates_after_the_cutoff_do_not_leak(forecaster, policy, y):
    rng = np.random.default_rng(7)
    X = pd.DataFrame({"plan": (np.arange(len(y)) % 7 < 2).astype(float)}, index=y.index)
    if not isinstance(forecaster, ARForecaster):
        X["signal"] = np.roll(y.to_numpy(), 1)
    dirty = X.copy()
    dirty.iloc[126:] = rng.normal(scale=100.0, size=(len(y) - 126, X.shape[1]))
    # Future covariates inside each forecast window are known ahead and may matter; keep them.
    dirty.iloc[126:131, 0] = X.iloc[126:131, 0].to_numpy()
    kwargs = {"horizon": 5, "initial": 100, "coverage": 0.8, "progress": False, **policy}
    clean = backtest(forecaster, y, X, **kwargs).forecasts
    noisy = backtest(forecaster, y, dirty, **kwargs).forecasts
    before = clean["cutoff"] <= y.index[125]
    for column in ("y_pred", "lower", "upper"):
        np.testing.assert_array_equal(clean.loc[before, column], noisy.loc[before, column], err_msg=column)


def test_future_covariates_of_the_window_are_used(y):
    X = pd.DataFrame({"plan": (np.arange(len(y)) % 7 < 2).astype(float)}, index=y.index)
    shifted = X.copy()
    shifted.iloc[140:] += 3.0
    f = ARForecaster(lags=2, future_covariates=["plan"])
    a = backtest(f, y, X, horizon=5, initial=130, progress=False).forecasts
    b = backtest(f, y, shifted, horizon=5, initial=130, progress=False).forecasts
    changed = a["y_pred"].to_numpy() != b["y_pred"].to_numpy()
    assert changed[a["timestamp"] >= y.index[140]].all() and not changed[a["cutoff"] < y.index[135]].any()


def test_int_warm_start_fine_tunes_refits_for_that_many_epochs(y):
    forecaster = LSTMForecaster(**{**TINY, "epochs": 4, "patience": None})
    result = backtest(forecaster, y, horizon=5, initial=140, warm_start=2, progress=False)
    chain = backtest(forecaster, y, horizon=5, initial=140, warm_start=True, progress=False)
    assert len(result.cutoffs) == 4 and not result.forecasts["y_pred"].equals(chain.forecasts["y_pred"])
    first = LSTMForecaster(**{**TINY, "epochs": 4, "patience": None}).fit(y.iloc[:140])
    np.testing.assert_array_equal(result.forecasts["y_pred"].to_numpy()[:5], first.predict(5).to_numpy())


class NeverFitted(NaiveForecaster):
    """Fails the test if a backtest trains it: argument errors must come before any training."""

    def fit(self, y, X=None):
        raise AssertionError("fit was called before the arguments were checked")


def _same_splits(a, b):
    return len(a) == len(b) and all(np.array_equal(s[0], t[0]) and np.array_equal(s[1], t[1]) for s, t in zip(a, b))


@pytest.mark.parametrize(
    "kwargs, cv",
    [
        ({"horizon": 5, "initial": 100}, WalkForward(horizon=5, initial=100)),
        ({"horizon": 5, "step": 3, "initial": 90}, WalkForward(horizon=5, step=3, initial=90)),
        ({"horizon": 7}, WalkForward(horizon=7)),
        (
            {"horizon": 5, "initial": 60, "scheme": "sliding"},
            WalkForward(5, initial=60, scheme="sliding", train_length=60),
        ),
        ({"cv": WalkForward(horizon=4, step=2, initial=120)}, WalkForward(horizon=4, step=2, initial=120)),
    ],
    ids=str,
)
def test_plan_backtest_gives_the_splitters_folds(y, kwargs, cv):
    plan = plan_backtest(y, **kwargs)
    assert _same_splits(plan.splits, list(cv.split(y))) and plan.horizon == cv.horizon


def test_plan_backtest_accepts_numpy_scalars(y):
    plan = plan_backtest(
        y, horizon=np.int64(5), step=np.int64(5), initial=np.int64(100), scheme=np.str_("expanding"),
        refit=np.True_, warm_start=np.False_, coverage=np.float64(0.9), quantiles=np.array([0.1, 0.9]),
    )  # fmt: skip
    assert _same_splits(plan.splits, list(WalkForward(horizon=5, step=5, initial=100).split(y)))
    assert plan.refit is True and plan.warm_start is False and plan.coverage == 0.9 and plan.independent
    assert type(plan.coverage) is float and plan.horizon == 5
    assert plan_backtest(y, horizon=5, refit=np.int64(3), warm_start=np.int64(2)).refit == 3
    assert plan_backtest(y, horizon=5, refit=np.int64(1)).refit is True
    assert plan_backtest(y, horizon=5, refit=np.False_).refit is False


def test_backtest_with_numpy_scalars_equals_python_numbers(y):
    python = backtest(ARForecaster(lags=2), y, horizon=5, step=5, initial=120, refit=2, coverage=0.9, progress=False)
    numpy = backtest(
        ARForecaster(lags=2), y, horizon=np.int64(5), step=np.int64(5), initial=np.int64(120), refit=np.int64(2),
        coverage=np.float64(0.9), n_jobs=np.int64(1), progress=np.True_,
    )  # fmt: skip
    pd.testing.assert_frame_equal(python.forecasts, numpy.forecasts)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"horizon": 3, "scheme": "rolling"}, "scheme must be one of 'expanding', 'sliding'; got 'rolling'"),
        ({"horizon": 3, "scheme": None}, "scheme .*got None"),
        ({"horizon": 3, "scheme": "sliding"}, "initial"),
        ({"horizon": 3, "scheme": "sliding", "initial": 0}, "initial.*got 0"),
        ({"horizon": 3, "scheme": "sliding", "initial": 50.5}, r"initial.*got 50\.5"),
        ({"horizon": 3, "refit": 0}, "refit must be True, False or a positive int .*got 0"),
        ({"horizon": 3, "refit": 2.5}, r"refit .*got 2\.5"),
        ({"horizon": 3, "refit": "yes"}, "refit .*got 'yes'"),
        ({"horizon": 3, "warm_start": -1}, "warm_start must be True, False, .auto., a positive int .*got -1"),
        ({"horizon": 3, "warm_start": "always"}, "warm_start must be .*got .always."),
        ({"horizon": 3, "warm_start": 1.5}, r"warm_start .*got 1\.5"),
        ({"horizon": 3, "coverage": 1.5}, r"coverage must be a float in \(0, 1\).*got 1\.5"),
        ({"horizon": 3, "coverage": 90}, "coverage .*got 90"),
        ({"horizon": 3, "coverage": "0.9"}, "coverage .*got '0.9'"),
        ({"horizon": 3, "quantiles": [0.1, 1.2]}, "quantiles"),
        ({"horizon": 3, "n_jobs": 0}, "n_jobs must be a non-zero int .*got 0"),
        ({"horizon": 3, "n_jobs": 1.5, "refit": False}, r"n_jobs .*got 1\.5"),
        ({"horizon": 3, "step": 0}, "step must be a positive int; got 0"),
        ({"horizon": np.float64(3.0)}, r"horizon must be a positive int; got .*3\.0"),
        ({"cv": WalkForward(horizon=5, initial=100), "horizon": 7}, "horizon=7 differs from the cv's horizon=5"),
        ({"cv": WalkForward(horizon=5, initial=100), "scheme": "sliding"}, "scheme='sliding' differs from the cv's"),
        ({"cv": 5}, "cv must be a WalkForward"),
    ],
    ids=str,
)
def test_bad_arguments_are_refused_before_training(y, kwargs, words):
    with pytest.raises(InvalidParameterError, match=words):
        backtest(NeverFitted(), y, progress=False, **kwargs)


def test_a_forecaster_class_or_a_non_forecaster_is_refused(y):
    with pytest.raises(InvalidParameterError, match=r"pass NaiveForecaster\(\)"):
        backtest(NaiveForecaster, y, horizon=3, progress=False)
    with pytest.raises(InvalidParameterError, match="forecaster"):
        backtest(Ridge(), y, horizon=3, progress=False)


class WarmRecorder(NaiveForecaster):
    """Records the warm-start requests of a backtest; its warm refits change nothing."""

    requests: list = []

    def warm_start_params(self, epochs=None):
        WarmRecorder.requests.append(epochs)
        return {"strategy": self.strategy}


@pytest.mark.parametrize("warm_start, epochs", [(True, None), (3, 3), (np.int64(4), 4)])
def test_warm_starts_ask_the_forecaster_for_its_parameters(y, warm_start, epochs):
    WarmRecorder.requests = []
    warm = backtest(WarmRecorder(), y, horizon=5, initial=140, warm_start=warm_start, progress=False)
    cold = backtest(NaiveForecaster(), y, horizon=5, initial=140, progress=False)
    # Asked when the folds are cut into chains, and again by the chain that refits.
    assert WarmRecorder.requests and set(WarmRecorder.requests) == {epochs}
    assert isinstance(WarmRecorder.requests[0], (int, type(None)))
    np.testing.assert_array_equal(warm.forecasts["y_pred"], cold.forecasts["y_pred"])


def test_a_forecaster_that_cannot_warm_start_is_refitted_from_scratch(y):
    kwargs = {"horizon": 5, "initial": 130, "progress": False}
    warm = backtest(ARForecaster(lags=2), y, warm_start=True, **kwargs).forecasts
    pd.testing.assert_frame_equal(warm, backtest(ARForecaster(lags=2), y, **kwargs).forecasts)


def test_quantiles_are_recorded_and_scored(y):
    levels = [0.1, 0.5, 0.9]
    result = backtest(ARForecaster(lags=2), y, horizon=4, initial=120, quantiles=levels, coverage=0.8, progress=False)
    rows = result.forecasts
    assert all(level in rows.columns for level in levels)
    np.testing.assert_allclose(rows[0.1], rows["lower"])  # the 80% interval's bounds are the 0.1 and 0.9 quantiles
    scores = result.score(["pinball", "crps"], by="step")
    assert scores.shape == (4, 2) and (scores["crps"] > 0).all()
    with pytest.raises(ValueError, match="quantiles"):
        backtest(NaiveForecaster(), y, horizon=4, initial=120, progress=False).score(["crps"])


def test_missing_actuals_are_kept_but_not_scored(y):
    gappy = y.copy()
    gappy.iloc[130] = np.nan
    result = backtest(LSTMForecaster(**TINY), gappy, horizon=5, initial=120, progress=False)
    assert result.forecasts["y_true"].isna().sum() == 1
    assert np.isfinite(result.score(["mae", "mase"]).to_numpy()).all()
