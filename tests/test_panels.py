"""Panels: long and wide formats, ragged series (late starts, early ends) through a global network."""

import numpy as np
import pandas as pd
import pytest

from tsrnn import GRUForecaster, from_long, to_long


def _long_panel() -> pd.DataFrame:
    rows = []
    for k, (start, end) in enumerate([(0, 120), (20, 120), (0, 100)]):
        for t in range(start, end):
            value = 10 * k + np.sin(t / 3) + 0.05 * t + 0.1 * np.cos(7 * t + k)
            rows.append({"unique_id": f"s{k}", "ds": pd.Timestamp("2015-01-01") + pd.DateOffset(months=t), "y": value})
    return pd.DataFrame(rows)


def test_long_to_wide_and_back_is_the_identity_for_ragged_series():
    long = _long_panel()
    wide = from_long(long)
    assert list(wide.columns) == ["s0", "s1", "s2"] and wide.index.freqstr == "MS"
    assert wide["s1"].iloc[:20].isna().all() and wide["s2"].iloc[100:].isna().all()
    pd.testing.assert_frame_equal(to_long(wide), long)


def test_a_global_network_forecasts_every_series_of_a_ragged_panel():
    wide = from_long(_long_panel())
    f = GRUForecaster(window=12, hidden_size=8, epochs=3, random_state=0).fit(wide)
    forecasts = to_long(f.predict(3))
    assert forecasts.groupby("unique_id").size().to_dict() == {"s0": 3, "s1": 3, "s2": 3}
    assert forecasts["ds"].iloc[0] == pd.Timestamp("2025-01-01")
    intervals = to_long(f.predict_interval(3))
    assert (
        list(intervals.columns) == ["unique_id", "ds", "lower", "upper"]
        and np.isfinite(intervals[["lower", "upper"]]).all().all()
    )
    quantiles = to_long(f.predict_quantiles(3, [0.1, 0.5, 0.9]))
    assert list(quantiles.columns) == ["unique_id", "ds", 0.1, 0.5, 0.9]


def test_dates_as_text_as_a_file_gives_them(tmp_path):
    long = _long_panel()
    long.to_csv(tmp_path / "long.csv", index=False)
    read = pd.read_csv(tmp_path / "long.csv")  # text dates: pandas' string dtype since pandas 3, object before
    wide = from_long(read)
    assert isinstance(wide.index, pd.DatetimeIndex) and wide.index.freqstr == "MS"
    read["ds"] = read["ds"].astype(object).where(read.index != 5, "soon")
    with pytest.raises(
        ValueError, match="column 'ds' of df holds text that does not read as dates \\(e.g. 'soon', row 5\\)"
    ):
        from_long(read)


def test_custom_column_names_and_a_series():
    long = _long_panel().rename(columns={"unique_id": "store", "ds": "month", "y": "sales"})
    wide = from_long(long, id_col="store", time_col="month", value_col="sales")
    assert wide.attrs["long"] == {"id_col": "store", "time_col": "month", "value_col": "sales"}
    single = to_long(wide["s0"], id_col="store", time_col="month", value_col="sales")
    assert list(single.columns) == ["store", "month", "sales"] and len(single) == 120


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda long: long.drop(columns="y"), ValueError, "no column 'y'"),
        (lambda long: pd.concat([long, long.iloc[:1]]), ValueError, "more than once"),
        (lambda long: long.to_numpy(), TypeError, "DataFrame"),
    ],
)
def test_bad_long_tables_are_explained(make, error, words):
    with pytest.raises(error, match=words):
        from_long(make(_long_panel()))


def test_panel_scores_aggregate_the_series_and_pool_the_test():
    from sklearn.linear_model import Ridge

    from tsrnn import RegressionForecaster, compare

    wide = from_long(_long_panel())
    models = {
        "ridge": RegressionForecaster(Ridge(), window=12, strategy="direct", horizon=4),
        "gru": GRUForecaster(window=12, horizon=4, hidden_size=4, epochs=2, random_state=0),
    }
    comparison = compare(models, wide, horizon=4, initial=80, baseline="ridge", progress=False)
    panel = comparison.panel()
    per_series = comparison.scores.reset_index().pivot(index="series", columns="model", values="mase")
    assert panel.loc["gru", "mean_mase"] == pytest.approx(per_series["gru"].mean())
    assert panel.loc["gru", "gmean_mase"] == pytest.approx(np.exp(np.log(per_series["gru"]).mean()))
    assert panel.loc["gru", "beats_baseline"] == pytest.approx((per_series["gru"] < per_series["ridge"]).mean())
    assert np.isnan(panel.loc["ridge", "dm_pvalue"]) and 0 <= panel.loc["gru", "dm_pvalue"] <= 1
    fig = comparison.plot_skill_distribution()
    assert fig.axes[0].get_title().startswith("Skill against ridge")


def test_a_late_start_is_split_in_complete_windows_like_the_trimmed_series():
    import tsrnn

    index = pd.date_range("2000-01-01", periods=100, freq="D")
    values = np.r_[np.full(56, np.nan), np.sin(np.arange(44) / 3.0)]
    late = pd.DataFrame({"late": values}, index=index)
    trimmed = tsrnn.LSTMForecaster(window=30, horizon=12, epochs=2, random_state=0).fit(late.dropna())
    padded = tsrnn.LSTMForecaster(window=30, horizon=12, epochs=2, random_state=0).fit(late)
    # The validation windows are counted among the complete ones: the padded series keeps its training windows.
    assert padded.n_validation_windows_ == trimmed.n_validation_windows_ == 1
    np.testing.assert_allclose(padded.predict(3).to_numpy(), trimmed.predict(3).to_numpy(), rtol=1e-6)


def test_a_ragged_panel_holds_out_the_validation_fraction_of_its_complete_windows():
    import tsrnn

    index = pd.date_range("2000-01-01", periods=300, freq="D")
    rng = np.random.default_rng(0)
    panel = pd.DataFrame({"full": rng.normal(size=300).cumsum(), "late": rng.normal(size=300).cumsum()}, index=index)
    panel.iloc[:200, 1] = np.nan
    f = tsrnn.GRUForecaster(window=14, horizon=3, hidden_size=4, epochs=1, random_state=0).fit(panel)
    complete = 2 * f.n_windows_ - f.n_incomplete_windows_
    held_out = f.n_validation_windows_ * 2  # the last positions are complete in both series
    assert held_out == pytest.approx(0.1 * complete, abs=2)


def test_a_series_that_starts_too_late_for_the_first_cutoff_is_named_before_any_training():
    from tsrnn import backtest, compare

    wide = from_long(_long_panel())  # s1 starts 20 months late
    network = GRUForecaster(window=12, hidden_size=8, epochs=1, random_state=0)
    with pytest.raises(ValueError, match=r"series 's1' has 10 observed value\(s\) .* window of \d+ periods or more"):
        backtest(network, wide, horizon=3, initial=30, progress=False)
    with pytest.raises(ValueError, match="series 's1'"):
        compare({"gru": network}, wide, horizon=3, initial=30, baseline="gru", progress=False)
    # Left to the default, the first cutoff waits for the late series.
    result = compare({"gru": network}, wide, horizon=3, step=12, baseline="gru", progress=False)
    assert set(result.forecasts["series"]) == {"s0", "s1", "s2"}
    with pytest.raises(ValueError, match="only 14 in all"):
        backtest(network, wide["s0"].iloc[:14], horizon=3, initial=10, progress=False)
