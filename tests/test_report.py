import base64
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

from tsrnn import ARForecaster, Comparison, GRUForecaster, NaiveForecaster, WalkForward, compare
from tsrnn._validation import InvalidParameterError
from tsrnn.metrics import diebold_mariano

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def comparison():
    from tsrnn.testing import synthetic_series

    y = synthetic_series(n=200)
    models = {
        "ar": ARForecaster(lags=7),
        "gru": GRUForecaster(window=14, horizon=5, hidden_size=8, epochs=3, random_state=0),
    }
    return compare(models, y, horizon=5, initial=150, progress=False, units="degC")


def test_scores_table(comparison):
    scores = comparison.scores
    assert isinstance(comparison, Comparison) and set(scores.index) == {"naive", "ar", "gru"}
    for column in (
        "mae",
        "rmse",
        "mase",
        "smape",
        "coverage",
        "interval_score",
        "skill",
        "rank",
        "dm_stat",
        "dm_pvalue",
        "fit_seconds",
        "predict_seconds",
    ):
        assert column in scores.columns, column
    assert list(scores["rank"]) == sorted(scores["rank"])
    assert scores.loc["naive", "skill"] == 0 and np.isnan(scores.loc["naive", "dm_pvalue"])
    ar = comparison.results["ar"].score(["mase"]).iloc[0, 0]
    assert scores.loc["ar", "skill"] == pytest.approx(1 - ar / scores.loc["naive", "mase"])


def test_dm_test_uses_aligned_errors(comparison):
    rows = comparison.forecasts.sort_values(["model", "cutoff", "step"])
    errors = {m: (g["y_pred"] - g["y_true"]).to_numpy() for m, g in rows.groupby("model")}
    expected = diebold_mariano(errors["ar"], errors["naive"], horizon=5, power=1)
    assert comparison.scores.loc["ar", ["dm_stat", "dm_pvalue"]].tolist() == pytest.approx(list(expected))


def test_by_step_and_forecasts(comparison):
    assert comparison.by_step.shape == (5, 3)
    assert set(comparison.forecasts["model"]) == {"naive", "ar", "gru"}
    assert comparison.forecasts.groupby("model").size().nunique() == 1  # identical folds


def test_verdicts_are_sentences(comparison):
    sentences = comparison.verdicts()
    assert len(sentences) == 2 and all("naive" in s and "p " in s for s in sentences)


def test_plots_are_labelled_figures(comparison):
    for fig in (
        comparison.plot_error_by_step(),
        comparison.plot_coverage_by_step(),
        comparison.plot_error_by_cutoff(),
        comparison.plot_skill(),
    ):
        ax = fig.axes[0]
        assert isinstance(fig, matplotlib.figure.Figure) and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_forecasts_are_small_multiples_in_rank_order(comparison):
    fig = comparison.plot_forecasts()
    order = list(comparison.scores.sort_values("rank").index)
    assert len(fig.axes) == len(order) == 3
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert [t.split()[0] for t in titles] == order and all("MASE" in t for t in titles)
    # Every panel shows the actuals and its model's own interval, on shared axes.
    assert all(ax.collections for ax in fig.axes) and all(ax.get_ylabel() == "y (°C)" for ax in fig.axes)
    assert fig.axes[0].get_shared_y_axes().joined(fig.axes[0], fig.axes[-1])
    assert "walk-forward forecasts" in fig.get_suptitle().lower()
    # The legend sits outside the panels, where it hides no data.
    assert all(ax.get_legend() is None for ax in fig.axes) and len(fig.legends) == 1


def test_line_plots_keep_their_legends_off_the_lines(comparison):
    for fig in (comparison.plot_error_by_step(), comparison.plot_coverage_by_step(), comparison.plot_error_by_cutoff()):
        assert fig.axes[0].get_legend() is None and len(fig.legends) == 1
        assert {t.get_text() for t in fig.legends[0].get_texts()} >= set(comparison.results)


def test_skill_plot_marks_differences_that_are_not_significant(comparison):
    fig = comparison.plot_skill()
    notes = [t.get_text() for t in fig.axes[0].texts]
    expected = ["n.s." in n for n in notes]
    assert expected == [not p < 0.05 for p in comparison.scores.drop(index="naive")["dm_pvalue"]]


def test_html_is_self_contained(comparison, tmp_path):
    path = comparison.to_html(tmp_path / "out" / "report.html")
    text = path.read_text()
    assert "<table" in text and 'class="dataframe scores"' in text
    assert '<meta name="viewport"' in text and text.index(comparison.headline()[:40]) < text.index("<h2>Scores")
    images = re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 5  # forecasts, error by step, coverage by step, error per cutoff, skill
    assert all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    # Each figure also comes drawn narrower, for phones, so that its text stays legible there.
    narrow = re.findall(r'<source media="\(max-width: \d+px\)" srcset="data:image/png;base64,([^"]+)"', text)
    assert len(narrow) == 5 and all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in narrow)
    assert "http://" not in text and "https://" not in text
    for sentence in comparison.verdicts():
        assert sentence.split(" (")[0] in text


def test_markdown_has_the_table(comparison):
    text = comparison.to_markdown()
    assert text.startswith(f"**{comparison.headline()}**")
    assert "| model | MAE (°C) ↓ |" in text and "| ar |" in text
    assert all(f"- {s}" in text for s in comparison.verdicts())
    assert all(f"**{term}**" in text for term in comparison.glossary())
    assert "| versions |" in text and "tsrnn.compare([naive, ar, gru]" in text
    # The same order as the HTML report: scores, matrix, confidence set, the tests against the baseline, glossary.
    order = ["| model | MAE", "Every pair", "Models not distinguishable", "Each model against", "Glossary:"]
    assert sorted(order, key=lambda s: text.lower().index(s.lower())) == order


def test_list_of_models_is_named_by_class(y):
    result = compare(
        [NaiveForecaster("drift"), ARForecaster(lags=2), ARForecaster(lags=3)],
        y,
        horizon=5,
        initial=140,
        progress=False,
        coverage=None,
    )
    assert set(result.scores.index) == {"naive", "Naive", "AR", "AR_2"}
    assert "coverage" not in result.scores.columns


def test_several_series_are_scored_separately(y_frame):
    result = compare({"ar": ARForecaster(lags=2)}, y_frame, horizon=5, initial=140, progress=False)
    assert result.scores.index.names == ["model", "series"] and len(result.scores) == 4
    assert any("on y1" in s for s in result.verdicts())


def test_bad_arguments(y):
    with pytest.raises(InvalidParameterError, match="baseline"):
        compare({"ar": ARForecaster()}, y, horizon=5, baseline="seasonal")
    with pytest.raises(InvalidParameterError, match="models"):
        compare("ar", y, horizon=5)
    with pytest.raises(InvalidParameterError, match=r"models\['x'\] must be a forecaster"):
        compare({"x": 3}, y, horizon=5)
    with pytest.raises(InvalidParameterError, match="empty"):
        compare({}, y, horizon=5)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"coverage": 1.5}, r"coverage must be a float in \(0, 1\).*got 1\.5"),
        ({"coverage": "90%"}, "coverage .*got '90%'"),
        ({"refit": 0}, "refit .*got 0"),
        ({"warm_start": -2}, "warm_start .*got -2"),
        ({"scheme": "rolling"}, "scheme .*got 'rolling'"),
        ({"n_jobs": 0}, "n_jobs .*got 0"),
        ({"cv": WalkForward(horizon=3, initial=150)}, "horizon=5 differs from the cv's horizon=3"),
    ],
    ids=str,
)
def test_the_backtest_arguments_are_checked_as_in_backtest(y, kwargs, words):
    with pytest.raises(InvalidParameterError, match=words):
        compare([ARForecaster(lags=1)], y, horizon=5, initial=150, progress=False, **kwargs)


def test_settings_record_the_coverage_and_numpy_scalars_are_accepted(y):
    comparison = compare(
        [ARForecaster(lags=1)], y, horizon=np.int64(5), initial=np.int64(140), refit=np.int64(2),
        coverage=np.float64(0.8), progress=False,
    )  # fmt: skip
    assert comparison.settings["coverage"] == 0.8 and "intervals" not in comparison.settings
    assert comparison.settings["horizon"] == 5 and comparison.settings["refit"] == 2
    assert "coverage" in comparison.scores.columns


def test_a_sliding_scheme_is_described_in_the_report(y):
    comparison = compare([ARForecaster(lags=1)], y, horizon=5, initial=100, scheme="sliding", progress=False)
    assert comparison.settings["cv"].train_length == 100
    assert "each trained on the last 100 periods" in comparison.to_markdown()


def test_the_plots_are_importable_from_report_and_plots():
    from tsrnn import plots, report

    for name in ("plot_forecasts", "plot_error_by_step", "plot_error_by_cutoff", "plot_skill", "plot_calibration"):
        assert getattr(report, name) is getattr(plots, name)


def test_covariates_per_model(y):
    X = pd.DataFrame({"signal": np.roll(y.to_numpy(), 1)}, index=y.index)
    from sklearn.linear_model import Ridge

    from tsrnn import RegressionForecaster

    models = {
        "ar": ARForecaster(lags=2),
        "ridge": RegressionForecaster(Ridge(), window=7, strategy="direct", horizon=5),
    }
    result = compare(models, y, {"ridge": X}, horizon=5, initial=140, progress=False)
    assert set(result.scores.index) == {"naive", "ar", "ridge"}
    with pytest.raises(ValueError, match="not among"):
        compare(models, y, {"lasso": X}, horizon=5, initial=140, progress=False)


def test_names_that_collide_as_text_are_refused(y):
    from tsrnn import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="named '1'"):
        compare({1: ARForecaster(lags=1), "1": ARForecaster(lags=2)}, y, horizon=3, initial=150, progress=False)


def test_unknown_metrics_are_refused_before_training(y):
    from tsrnn import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="metrics"):
        compare([ARForecaster(lags=1)], y, horizon=3, initial=150, metrics=["bogus"], progress=False)


def test_a_constant_series_ranks_without_crashing_and_warns(y):
    constant = pd.Series(5.0, index=y.index)
    with pytest.warns(UserWarning, match="MASE is undefined"):
        comparison = compare([ARForecaster(lags=1)], constant, horizon=3, initial=150, progress=False)
    assert len(comparison.scores) == 2 and set(comparison.scores["rank"]) <= {1, 2}


def test_a_direct_model_trained_for_fewer_steps_is_set_to_the_horizon_or_warns(y):
    default = GRUForecaster(window=14, hidden_size=4, epochs=1)
    result = compare({"gru": default}, y, horizon=5, initial=150, progress=False)
    # The horizon was the class default: the comparison trains a clone for every step and says so.
    assert result.models["gru"].horizon == 5 and default.horizon == 1
    assert result.settings["adjusted"] == {"gru": "horizon set to 5: its default, 1, is shorter than the comparison's"}
    assert "models adjusted" in result.to_markdown()
    chosen = GRUForecaster(window=14, hidden_size=4, epochs=1, horizon=2)
    with pytest.warns(UserWarning, match="trained for horizon=2"):
        compare({"gru": chosen}, y, horizon=5, initial=150, progress=False)


def test_compare_chooses_horizon_and_cutoffs_from_the_data():
    index = pd.date_range("2021-01-01", periods=365, freq="D")
    y = pd.Series(np.sin(np.arange(365) / 9.0) + np.arange(365) / 100, index=index, name="t")
    result = compare({"ar": ARForecaster(lags=3)}, y, progress=False, coverage=None)
    # A week ahead on daily data; as many weekly cutoffs as leave half the year to train on.
    assert result.settings["horizon"] == 7 and len(result.results["ar"].cutoffs) == 26
    assert result.results["ar"].cutoffs[0] == index[365 - 7 - 7 * 25 - 1]
    assert (
        set(result.settings["chosen"]) == {"horizon", "cutoffs"}
        and "a week of days" in result.settings["chosen"]["horizon"]
    )
    assert "chosen from the data" in result.to_markdown()
    monthly = pd.Series(
        np.arange(240.0) % 12 + np.arange(240) / 10, index=pd.period_range("2000-01", periods=240, freq="M")
    )
    result = compare({"ar": ARForecaster(lags=12)}, monthly, progress=False, coverage=None)
    assert result.settings["horizon"] == 12 and len(result.results["ar"].cutoffs) == 10
    given = compare({"ar": ARForecaster(lags=3)}, y, horizon=3, initial=300, progress=False, coverage=None)
    assert given.settings["chosen"] == {}
    with pytest.raises(InvalidParameterError, match="pass horizon"):
        compare({"ar": ARForecaster(lags=3)}, y.reset_index(drop=True), progress=False)


def test_names_with_markup_are_printed_literally(y, tmp_path):
    models = {"$x$ | <b>": ARForecaster(lags=1)}
    comparison = compare(models, y.rename("a|b"), horizon=3, initial=150, quantiles=[0.1, 0.5, 0.9], progress=False)
    assert "$x$ \\| <b>" in comparison.to_markdown() and "a\\|b" in comparison.to_markdown()
    page = comparison.to_html(tmp_path / "report.html").read_text()
    assert "&lt;b&gt;" in page and "<b>" not in page.split("<body>")[1].replace("<b>", "", 0)
    assert "Calibration of the quantiles" in page
    assert set(comparison.calibration()["model"]) == {"naive", "$x$ | <b>"}


def test_notebooks_show_results_as_tables(comparison):
    result = comparison.results["ar"]
    text = result._repr_html_()
    assert text.startswith("<p>BacktestResult(") and "<table" in text and "interval score" in text
    mase = result.score(["mase"]).iloc[0, 0]
    assert f"{mase:.3g}" in text
    assert comparison._repr_html_().startswith("<p><b>")


def test_date_axes_of_any_span_get_ticks_without_matplotlib_warnings():
    import warnings

    for freq, n, horizon in (("MS", 120, 12), ("h", 24 * 8, 24)):  # years of months, days of hours
        y = pd.Series(np.sin(np.arange(n) / 5.0) + np.arange(n) * 0.01, index=pd.date_range("2015-01-01", periods=n,
                      freq=freq))  # fmt: skip
        result = compare([ARForecaster(lags=2)], y, horizon=horizon, progress=False)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # AutoDateLocator's "unable to pick an appropriate interval" fails here
            figure = result.plot_forecasts()
            figure.canvas.draw()
