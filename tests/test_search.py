"""SearchCV: a search over walk-forward backtests inside the training data, as a forecaster."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import randint

from tsrnn import ARForecaster, GRUForecaster, NaiveForecaster, SearchCV, WalkForward, backtest, compare
from tsrnn._validation import InvalidParameterError
from tsrnn.halving import halving_rounds
from tsrnn.testing import synthetic_series


@pytest.fixture(scope="module")
def y():
    return synthetic_series(n=200)


def _naive_search(**kwargs):
    grid = {"strategy": ["last", "mean", "seasonal"], "season_length": [7]}
    return SearchCV(NaiveForecaster(), grid, horizon=7, progress=False, **kwargs)


def test_the_search_picks_the_candidate_with_the_best_inner_backtest(y):
    search = _naive_search().fit(y)
    table = search.cv_results_
    assert len(table) == 3 and list(table["param_strategy"]) == ["last", "mean", "seasonal"]
    assert {
        "params",
        "mean_score",
        "std_score",
        "cutoff0_score",
        "cutoff4_score",
        "n_cutoffs",
        "fit_seconds",
        "rank",
    } <= set(table.columns)
    # Each candidate's score is its own backtest on the inner folds: the last 5 weekly cutoffs of the training data.
    cv = WalkForward(horizon=7, initial=len(y) - 7 - 7 * 4)
    for _, row in table.iterrows():
        alone = backtest(NaiveForecaster(**row["params"]), y, cv=cv, progress=False).score(["mase"]).iloc[0, 0]
        assert row["mean_score"] == pytest.approx(alone)
    best = table.loc[table["mean_score"].idxmin()]
    assert search.best_params_ == best["params"] and search.best_score_ == best["mean_score"] and best["rank"] == 1
    refitted = NaiveForecaster(**search.best_params_).fit(y)
    pd.testing.assert_series_equal(search.predict(10), refitted.predict(10))
    pd.testing.assert_frame_equal(search.predict_interval(5, coverage=0.8), refitted.predict_interval(5, coverage=0.8))
    assert search.n_inner_cutoffs_ == 5


def test_update_moves_the_chosen_forecaster_without_searching_again(y):
    search = _naive_search().fit(y.iloc[:-7])
    chosen = search.best_params_
    search.update(y.iloc[-7:])
    assert search.best_params_ == chosen and search.cutoff_ == y.index[-1]
    pd.testing.assert_series_equal(search.predict(3), NaiveForecaster(**chosen).fit(y).predict(3))


def test_random_search_samples_distributions_reproducibly(y):
    def search(seed):
        return SearchCV(ARForecaster(), param_distributions={"lags": randint(1, 15), "trend": ["c", "n"]},
                        method="random", n_iter=4, horizon=3, random_state=seed, progress=False)  # fmt: skip

    first, again = search(0).fit(y), search(0).fit(y)
    assert len(first.cv_results_) == 4 and first.cv_results_["params"].tolist() == again.cv_results_["params"].tolist()
    pd.testing.assert_series_equal(first.predict(3), again.predict(3))
    assert search(1).candidates() != first.candidates()
    # A list of spaces samples from each, as scikit-learn's ParameterSampler does.
    spaces = [{"lags": randint(1, 4)}, {"lags": [7], "trend": ["n"]}]
    listed = SearchCV(ARForecaster(), param_distributions=spaces, method="random", n_iter=6, horizon=3,
                      random_state=0, progress=False)  # fmt: skip
    assert len(listed.candidates()) == 6 and all(set(c) <= {"lags", "trend"} for c in listed.candidates())
    with pytest.raises(ValueError, match="no parameter 'window'"):
        SearchCV(ARForecaster(), param_distributions=[{"window": [3]}], method="random", progress=False).fit(y)


def test_halving_scores_fewer_folds_and_keeps_the_clear_winner(y):
    grid = {"lags": [1, 2, 3, 7, 14], "trend": ["c", "n", "ct"]}
    cv = WalkForward(horizon=3, step=3, initial=110)  # 30 inner cutoffs
    full = SearchCV(ARForecaster(), grid, cv=cv, progress=False).fit(y)
    halving = SearchCV(ARForecaster(), grid, cv=cv, method="halving", progress=False).fit(y)
    table = halving.cv_results_
    assert [int((table["round"] >= r).sum()) for r in range(3)] == [15, 5, 2]
    assert sorted(table["n_cutoffs"].unique()) == [3, 10, 30]
    # Folds scored in an early round are reused: 15*3 + 5*7 + 2*20 fits instead of 15*30.
    assert table["fit_seconds"].sum() < full.cv_results_["fit_seconds"].sum()
    finalists = table[table["round"] == 2]
    assert halving.best_params_ == finalists.loc[finalists["mean_score"].idxmin(), "params"]
    assert full.cv_results_.loc[full.best_index_, "mean_score"] <= halving.best_score_ + 1e-12
    assert halving_rounds(12, 52, 3) == [(12, 5), (4, 17), (2, 52)] and halving_rounds(1, 5, 3) == [(1, 5)]


def test_halving_rounds_follow_min_resources_as_in_scikit_learn():
    # Budgets min_resources * factor**r while candidates and budget allow; the last round has the full budget.
    assert halving_rounds(12, 100, 3, 3) == [(12, 3), (4, 9), (2, 100)]
    assert halving_rounds(12, 100, 4, 2) == [(12, 2), (3, 100)]
    # A budget that cannot grow by factor: one round, every candidate on the full budget.
    assert halving_rounds(12, 5, 3, 3) == [(12, 5)]
    assert halving_rounds(9, 5, 3, 1) == [(9, 1), (3, 5)]


def test_halving_over_epochs_scores_every_cutoff_and_ends_on_the_set_value():
    y = synthetic_series(n=120)
    tiny = GRUForecaster(window=7, hidden_size=4, epochs=4, batch_size=32, patience=None, random_state=0)
    grid = {"window": [7, 14], "learning_rate": [1e-3, 1e-2]}
    cv = WalkForward(horizon=3, step=3, initial=105)  # 5 inner cutoffs
    search = SearchCV(tiny, grid, cv=cv, refit=False, method="halving", resource="epochs", min_resources=1,
                      factor=2, progress=False).fit(y)  # fmt: skip
    table = search.cv_results_
    # Rounds of 4, 2 and 1 candidates at 1, 2 and 4 (the forecaster's own) epochs, each on all 5 cutoffs.
    assert sorted(table["resources"]) == [1, 1, 2, 4] and (table["n_cutoffs"] == 5).all()
    for _, row in table.iterrows():
        alone = GRUForecaster(**{**tiny.get_params(), **row["params"], "epochs": row["resources"]})
        expected = backtest(alone, y, cv=cv, refit=False, progress=False).score(["mase"]).iloc[0, 0]
        assert row["mean_score"] == pytest.approx(expected)
    winner = table.loc[table["rank"] == 1].iloc[0]
    assert winner["resources"] == 4 and search.best_params_ == winner["params"] and "epochs" not in search.best_params_
    refitted = GRUForecaster(**{**tiny.get_params(), **search.best_params_}).fit(y)
    pd.testing.assert_series_equal(search.predict(3), refitted.predict(3))
    # max_resources overrides the forecaster's own value, and the chosen candidate is refitted with it.
    capped = SearchCV(tiny, grid, cv=cv, refit=False, method="halving", resource="epochs", min_resources=1,
                      max_resources=2, factor=2, progress=False).fit(y)  # fmt: skip
    assert sorted(capped.cv_results_["resources"]) == [1, 1, 2, 2] and capped.best_params_["epochs"] == 2
    assert capped.best_forecaster_.get_params()["epochs"] == 2


def test_halving_scores_its_last_round_with_final_refit():
    y = synthetic_series(n=120)
    tiny = GRUForecaster(window=7, hidden_size=4, epochs=4, batch_size=32, patience=None, random_state=0)
    grid = {"window": [7, 14], "learning_rate": [1e-3, 1e-2]}
    cv = WalkForward(horizon=3, step=3, initial=105)
    search = SearchCV(tiny, grid, cv=cv, refit=False, final_refit=True, method="halving", resource="epochs",
                      min_resources=1, factor=2, progress=False).fit(y)  # fmt: skip
    for _, row in search.cv_results_.iterrows():
        alone = GRUForecaster(**{**tiny.get_params(), **row["params"], "epochs": row["resources"]})
        policy = True if row["resources"] == 4 else False  # the last round refits at every inner cutoff
        expected = backtest(alone, y, cv=cv, refit=policy, progress=False).score(["mase"]).iloc[0, 0]
        assert row["mean_score"] == pytest.approx(expected)
    with pytest.raises(InvalidParameterError, match="final_refit"):
        SearchCV(tiny, grid, cv=cv, final_refit=True, progress=False).fit(y)


def test_warm_start_runs_the_inner_backtests_as_backtest_does():
    y = synthetic_series(n=120)
    tiny = GRUForecaster(window=7, hidden_size=4, epochs=4, batch_size=32, patience=None, random_state=0)
    grid = {"window": [7, 14]}
    cv = WalkForward(horizon=3, step=3, initial=105)
    warm = SearchCV(tiny, grid, cv=cv, warm_start=2, progress=False).fit(y)
    cold = SearchCV(tiny, grid, cv=cv, progress=False).fit(y)
    for (_, row), (_, cold_row) in zip(warm.cv_results_.iterrows(), cold.cv_results_.iterrows()):
        alone = GRUForecaster(**{**tiny.get_params(), **row["params"]})
        expected = backtest(alone, y, cv=cv, warm_start=2, progress=False).score(["mase"]).iloc[0, 0]
        assert row["mean_score"] == pytest.approx(expected)
        assert row["mean_score"] != pytest.approx(cold_row["mean_score"])  # the refits did continue
    # With halving, "auto" warm-starts only the round that refits at every inner cutoff.
    halving = SearchCV(tiny, grid, cv=cv, refit=False, final_refit=True, warm_start="auto", method="halving",
                       resource="epochs", min_resources=2, factor=2, progress=False).fit(y)  # fmt: skip
    for _, row in halving.cv_results_.iterrows():
        alone = GRUForecaster(**{**tiny.get_params(), **row["params"], "epochs": row["resources"]})
        last = row["resources"] == 4
        expected = backtest(alone, y, cv=cv, refit=True if last else False, warm_start="auto" if last else False,
                            progress=False).score(["mase"]).iloc[0, 0]  # fmt: skip
        assert row["mean_score"] == pytest.approx(expected)
    with pytest.raises(InvalidParameterError, match="warm_start"):
        SearchCV(tiny, grid, cv=cv, warm_start="sometimes", progress=False).fit(y)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"resource": "depth"}, "resource"),
        ({"resource": "lags"}, "resource"),
        ({"resource": 3}, "resource"),
        ({"min_resources": 3, "max_resources": 2}, "min_resources"),
        ({"min_resources": 9}, "min_resources"),
        ({"max_resources": 9}, "max_resources"),
        ({"min_resources": 0}, "min_resources"),
        ({"method": "grid", "resource": "trend"}, "resource"),
        ({"method": "grid", "min_resources": 2}, "min_resources"),
        ({"resource": "trend"}, "max_resources"),
    ],
    ids=str,
)
def test_a_halving_budget_that_cannot_work_is_refused_by_name(y, kwargs, name):
    params = {"method": "halving", **kwargs}
    with pytest.raises(InvalidParameterError, match=name):
        SearchCV(ARForecaster(), {"lags": [1, 2]}, horizon=3, progress=False, **params).fit(y)


def test_nested_backtest_never_shows_the_search_the_future(y):
    search = _naive_search()
    plan = {"horizon": 7, "initial": 150, "refit": 2, "progress": False}
    clean = backtest(search, y, **plan).forecasts
    k = 3
    cutoff = clean["cutoff"].unique()[k]
    garbage = y.copy()
    garbage[garbage.index > cutoff] = 1e6
    perturbed = backtest(search, garbage, **plan).forecasts
    early = clean["cutoff"] <= cutoff
    np.testing.assert_array_equal(clean.loc[early, "y_pred"], perturbed.loc[early, "y_pred"])


def test_optimism_puts_the_promise_beside_the_outcome(y):
    search = _naive_search()
    optimism = search.optimism(y, horizon=7, initial=150, refit=3)
    outer = backtest(search, y, horizon=7, initial=150, refit=3, progress=False)
    np.testing.assert_array_equal(optimism.result.forecasts["y_pred"], outer.forecasts["y_pred"])
    assert len(optimism.fits) == 3 and {"cutoff", "params", "inner_score"} <= set(optimism.fits.columns)
    assert optimism.outer_score == pytest.approx(outer.score(["mase"]).iloc[0, 0])
    assert optimism.ratio == pytest.approx(optimism.outer_score / optimism.inner_score)
    assert "ratio" in repr(optimism)


def test_compare_takes_a_search_like_any_model(y):
    result = compare({"tuned": _naive_search(), "ar": ARForecaster(lags=2)}, y, horizon=7, initial=170, progress=False)
    assert set(result.scores.index) == {"naive", "tuned", "ar"} and np.isfinite(result.scores.loc["tuned", "mase"])


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"param_grid": None}, "exactly one of param_grid"),
        ({"param_distributions": {"lags": [1]}}, "exactly one of param_grid"),
        ({"param_grid": {"window": [3]}}, "ARForecaster has no parameter 'window'; its parameters are"),
        ({"param_grid": {"lags": []}}, "'lags' must be a non-empty list"),
        ({"param_grid": {"lags": 3}}, "'lags' must be a non-empty list"),
        ({"method": "bayes"}, "method"),
        ({"scoring": "r2"}, "scoring"),
        ({"n_jobs": 0}, "n_jobs"),
        ({"factor": 1}, "factor"),
        ({"cv": WalkForward(horizon=3), "horizon": 3}, "either as cv or as horizon"),
        ({"method": "random"}, "method='random' needs param_distributions"),
    ],
    ids=str,
)
def test_bad_settings_are_refused_before_any_fit(y, kwargs, words):
    params = {"param_grid": {"lags": [1, 2]}, **kwargs}
    with pytest.raises(ValueError, match=words):
        SearchCV(ARForecaster(), progress=False, **params).fit(y)


def test_an_inner_plan_that_does_not_fit_says_so(y):
    with pytest.raises(ValueError, match="initial=500 and horizon=3 need at least 503"):
        SearchCV(ARForecaster(), {"lags": [1, 2]}, horizon=3, initial=500, progress=False).fit(y)
