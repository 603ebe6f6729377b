"""Significance between every pair of models, the model confidence set, and the headline built on them."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from statsmodels.stats.multitest import multipletests

from tsrnn import ARForecaster, NaiveForecaster, RegressionForecaster, compare
from tsrnn.metrics import diebold_mariano
from tsrnn.narrative import GLOSSARY, significant_figures
from tsrnn.significance import model_confidence_set, pairwise_matrix, pairwise_tests


def _losses(n: int, seed: int, worse: float = 0.0) -> pd.DataFrame:
    """Three models sharing a common loss, the third ``worse`` higher on average; 'twin' equals 'best' exactly."""
    rng = np.random.default_rng(seed)
    common = np.abs(rng.standard_t(5, size=n))
    best = common + 0.1 * np.abs(rng.normal(size=n))
    return pd.DataFrame({"best": best, "twin": best.copy(), "other": common + 0.1 * np.abs(rng.normal(size=n)) + worse})


def test_the_confidence_set_excludes_a_clearly_worse_model_and_keeps_identical_ones():
    table = model_confidence_set(_losses(400, 0, worse=0.5), alpha=0.1, reps=500)
    assert table.loc["other", "in_set"] == False  # noqa: E712 (a numpy bool)
    assert table.loc["best", "in_set"] and table.loc["twin", "in_set"]
    assert table.loc["best", "mcs_pvalue"] == table.loc["twin", "mcs_pvalue"] == 1.0
    assert list(table.index[:2]) == ["best", "twin"] and table["mean_loss"].is_monotonic_increasing


def test_the_confidence_set_keeps_equally_good_models_most_of_the_time():
    # Three models with the same expected loss: the set should keep all three in about 90% of samples or more.
    kept_all = [
        model_confidence_set(_losses(200, seed), alpha=0.1, reps=200, seed=seed)["in_set"].all() for seed in range(20)
    ]
    assert np.mean(kept_all) >= 0.75


def test_the_confidence_set_is_reproducible_and_checks_its_inputs():
    losses = _losses(100, 3, worse=0.1)
    assert model_confidence_set(losses, seed=4).equals(model_confidence_set(losses, seed=4))
    with pytest.raises(ValueError, match="alpha"):
        model_confidence_set(losses, alpha=1.5)
    with pytest.raises(ValueError, match="at least 10 paired forecasts; got 5"):
        model_confidence_set(losses.iloc[:5])
    single = model_confidence_set(losses[["best", "twin"]])
    assert single["in_set"].all() and (single["mcs_pvalue"] == 1).all()


def test_pairwise_tests_are_diebold_mariano_with_holm():
    losses = _losses(150, 1, worse=0.3)
    tests = pairwise_tests(losses, horizon=3)
    assert len(tests) == 3 and set(zip(tests["model"], tests["other"])) == {
        ("best", "twin"), ("best", "other"), ("twin", "other")
    }  # fmt: skip
    row = tests.set_index(["model", "other"]).loc[("best", "other")]
    stat, p = diebold_mariano(losses["best"], losses["other"], horizon=3, power=1)
    assert row["dm_stat"] == pytest.approx(stat) and row["p_value"] == pytest.approx(p) and row["mean_difference"] < 0
    twins = tests.set_index(["model", "other"]).loc[("best", "twin")]
    assert twins["p_value"] == 1.0 and twins["dm_stat"] == 0.0
    assert tests["p_adjusted"].to_numpy() == pytest.approx(multipletests(tests["p_value"], method="holm")[1])
    unadjusted = pairwise_tests(losses, horizon=3, adjust="none")
    assert (unadjusted["p_adjusted"] == unadjusted["p_value"]).all()
    matrix = pairwise_matrix(tests, ["best", "twin", "other"])
    assert matrix.equals(matrix.T.rename_axis(index="model", columns="other")) and matrix.isna().values.diagonal().all()


@pytest.fixture(scope="module")
def seasonal():
    """A weekly cycle with noise: a regression on two weeks of lags beats AR(1), which beats naive."""
    rng = np.random.default_rng(0)
    t = np.arange(260)
    values = 10 + 3 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 0.5, t.size)
    return pd.Series(values, index=pd.date_range("2020-01-01", periods=t.size, freq="D"), name="load")


def test_the_headline_names_the_best_model_and_its_edges(seasonal):
    models = {
        "regression": RegressionForecaster(LinearRegression(), window=14),
        "ar": ARForecaster(lags=1),
    }
    result = compare(models, seasonal, horizon=7, initial=120, progress=False, units="MW")
    text = result.headline()
    assert text.startswith("regression has the lowest error (MASE ")
    assert "lower error than naive, a significant difference" in text
    assert "better than ar, the best classical model" in text
    assert "Only regression is in the 90% model confidence set" in text
    assert result.confidence_set().loc["regression", "in_set"]
    assert list(result.pairwise().index) == list(result.losses().mean().sort_values().index)


def test_the_headline_when_a_classical_model_or_naive_wins(seasonal):
    twins = compare(
        {"ar": ARForecaster(lags=7), "ar again": ARForecaster(lags=7)}, seasonal, horizon=7, initial=120,
        progress=False,
    )  # fmt: skip
    text = twins.headline()
    assert text.startswith("ar has the lowest error") and "lower error than naive, a significant difference" in text
    # The set's members are named, and so is what falls out of it.
    assert "Not distinguishable from the best at 90%: ar, ar again; naive is worse beyond chance." in text
    walk = pd.Series(np.cumsum(np.random.default_rng(1).normal(size=200)), name="price")
    random_walk = compare({"mean": NaiveForecaster("mean")}, walk, horizon=5, initial=100, progress=False)
    assert random_walk.headline().startswith("No model beats the naive forecast: naive has the lowest error")


def test_people_see_words_units_arrows_and_three_figures(seasonal):
    result = compare({"ar": ARForecaster(lags=1)}, seasonal, horizon=7, initial=120, progress=False, units="degC")
    table = result.summary()
    assert list(table.columns[:4]) == ["MAE (°C) ↓", "RMSE (°C) ↓", "MASE ↓", "sMAPE (%) ↓"]
    shown = {"90% coverage (target 0.90)", "skill vs naive ↑", "Diebold-Mariano p vs naive (one test)"}
    assert shown <= set(table.columns)
    mase = result.scores.loc["ar", "mase"]
    assert (
        table.loc["ar", "MASE ↓"] == significant_figures(mase) and len(table.loc["ar", "MASE ↓"].replace(".", "")) == 3
    )
    assert set(result.glossary()) >= {"MASE", "MAE", "coverage", "skill", "Diebold-Mariano p", "model confidence set"}
    assert set(result.glossary()) <= set(GLOSSARY)
    html = result._repr_html_()
    assert result.headline() in html.replace("&#x27;", "'") and "MASE ↓" in html


@pytest.mark.parametrize(
    "value, text",
    [(1.23456, "1.23"), (0.001234, "0.00123"), (12.345, "12.3"), (1234.5, "1,234"), (0, "0"), (np.nan, ""),
     (-0.5, "-0.500"), (2.5e-7, "2.50e-07"), (np.inf, "∞")],
)  # fmt: skip
def test_significant_figures(value, text):
    assert significant_figures(value) == text


def test_provenance_records_when_what_and_how(seasonal):
    result = compare({"ar": ARForecaster(lags=1)}, seasonal, horizon=7, initial=120, progress=False, n_jobs=1)
    facts = result.provenance
    assert set(facts) == {"date", "call", "versions", "seeds", "machine", "execution", "run time"}
    assert facts["call"].startswith("tsrnn.compare([naive, ar], load (260 observations), horizon=7, initial=120")
    assert all(f"{package} " in facts["versions"] for package in ("tsrnn", "torch", "pandas", "statsmodels", "arch"))
    assert "cores" in facts["machine"] and "device" in facts["machine"] and facts["run time"].endswith(" s")


def test_the_readme_glossary_is_the_reports():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for term, text in GLOSSARY.items():
        assert f"- **{term}**: {text}" in readme, f"README's glossary lacks or differs on {term!r}"
    assert 'baseline="ar"' in readme
