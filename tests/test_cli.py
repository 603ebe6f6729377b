import warnings

import numpy as np
import pandas as pd
import pytest

from tsrnn.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_datasets_lists_every_shipped_series(capsys):
    code, out, _ = run(capsys, "datasets")
    assert code == 0 and all(name in out for name in ("sp500", "wti", "seattle-weather", "seattle-temps"))


def test_compare_writes_the_three_files(capsys, tmp_path):
    code, out, _ = run(
        capsys, "compare", "--dataset", "seattle-weather", "--target", "temp_max", "--models", "naive,ar,gru",
        "--cutoffs", "6", "--epochs", "2", "--out", str(tmp_path), "--quiet",
    )  # fmt: skip
    assert code == 0, out
    assert {"report.html", "scores.csv", "forecasts.csv"} <= {p.name for p in tmp_path.iterdir()}
    scores = pd.read_csv(tmp_path / "scores.csv", index_col=0)
    assert set(scores.index) == {"naive", "ar", "gru"} and "MASE ↓" in out
    assert out.splitlines()[0].endswith(".") and "has the lowest error" in out.splitlines()[0]  # the headline first
    forecasts = pd.read_csv(tmp_path / "forecasts.csv")
    assert len(forecasts) == 3 * 6 * 7
    report = (tmp_path / "report.html").read_text()
    # The provenance names the command that wrote the report, quoted as a shell would need it.
    assert "tsrnn compare --dataset seattle-weather --target temp_max --models naive,ar,gru" in report
    assert "horizon 7 (a week of days, the default for daily data)" in report
    # Quantiles are recorded by default: the report has its calibration plot, the scores pinball loss and CRPS.
    assert "Calibration of the quantiles" in report and {"pinball", "crps"} <= set(scores.columns)
    code, _, _ = run(capsys, "compare", "--dataset", "seattle-weather", "--models", "naive", "--cutoffs", "3",
                     "--quantiles", "none", "--out", str(tmp_path / "plain"), "--quiet")  # fmt: skip
    assert code == 0 and "Calibration of the quantiles" not in (tmp_path / "plain" / "report.html").read_text()
    for levels, words in (("0.5,1.5", "strictly between 0 and 1"), ("0.5", "at least two levels")):
        with pytest.raises(SystemExit):
            main(["compare", "--dataset", "wti", "--quantiles", levels])
        assert words in capsys.readouterr().err
    # tune scores MASE: the interval options are refused there, not ignored.
    code, _, err = run(capsys, "tune", "--dataset", "wti", "--model", "ridge", "--grid", "window=7,14",
                       "--intervals", "adaptive", "--out", str(tmp_path / "t"))  # fmt: skip
    assert code == 2 and "--intervals and --quantiles apply to compare and backtest" in err


def test_backtest_of_one_model_on_a_users_csv(capsys, tmp_path):
    index = pd.date_range("2021-01-01", periods=300, freq="D")
    frame = pd.DataFrame({"day": index, "load": range(300)})
    frame["load"] = frame["load"] % 7 + 0.01 * frame["load"]
    frame.to_csv(tmp_path / "mine.csv", index=False)
    code, out, err = run(
        capsys, "backtest", "--csv", str(tmp_path / "mine.csv"), "--date-column", "day", "--target", "load",
        "--model", "ar", "--cutoffs", "5", "--out", str(tmp_path / "out"), "--quiet",
    )  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "out" / "report.html").is_file()


@pytest.mark.parametrize(
    "argv, words",
    [
        (["compare", "--dataset", "nope"], "unknown dataset"),
        (["compare", "--target", "humidity"], "no column 'humidity'"),
        (["compare", "--models", "naive,prophet"], "unknown model 'prophet'"),
        (["compare", "--csv", "/no/such/file.csv", "--target", "x"], "no such file"),
        (["compare", "--cutoffs", "1000"], "too few"),
        (["compare", "--coverage", "1.5"], "coverage must be a float in (0, 1)"),
        (["backtest", "--model", "ar", "--coverage", "0"], "coverage must be a float in (0, 1)"),
    ],
)
def test_user_errors_are_one_line_without_traceback(capsys, tmp_path, argv, words):
    code, _, err = run(capsys, *argv, "--out", str(tmp_path), "--quiet")
    assert code == 2 and words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_option_value_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--horizon", "-3"])
    assert info.value.code == 2 and "positive integer" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["sometimes", "0", "-2"])
def test_a_bad_warm_start_exits_naming_what_it_takes(capsys, value):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--warm-start", value])
    assert (
        info.value.code == 2 and "--warm-start takes auto, true, false or a positive integer" in capsys.readouterr().err
    )


def test_the_report_says_how_the_refits_and_the_work_ran(capsys, tmp_path):
    code, out, _ = run(
        capsys, "compare", "--models", "naive,lstm", "--cutoffs", "4", "--refit", "true", "--epochs", "2",
        "--window", "14", "--out", str(tmp_path), "--quiet",
    )  # fmt: skip
    assert code == 0, out
    report = (tmp_path / "report.html").read_text()
    assert "lstm: warm refits (at most 3 epochs, patience 2) validated on windows no earlier fit trained on" in report
    assert "torch thread" in report and "job" in report
    code, out, _ = run(
        capsys, "compare", "--models", "naive,lstm", "--cutoffs", "4", "--refit", "true", "--epochs", "2",
        "--window", "14", "--warm-start", "false", "--n-jobs", "1", "--out", str(tmp_path / "cold"), "--quiet",
    )  # fmt: skip
    cold = (tmp_path / "cold" / "report.html").read_text()
    assert code == 0 and "warm refits" not in cold and "one after another in this process" in cold
    # The command line's default refits every 13 cutoffs: from scratch, as measured.
    code, out, _ = run(
        capsys, "compare", "--models", "naive,lstm", "--cutoffs", "4", "--epochs", "2", "--window", "14",
        "--out", str(tmp_path / "every13"), "--quiet",
    )  # fmt: skip
    assert code == 0 and "warm refits" not in (tmp_path / "every13" / "report.html").read_text()


def test_compare_with_covariates_and_calendar(capsys, tmp_path):
    code, out, err = run(
        capsys, "compare", "--models", "naive,ar,ridge", "--covariates", "temp_min,wind", "--calendar", "dayofyear",
        "--cutoffs", "4", "--out", str(tmp_path), "--quiet",
    )  # fmt: skip
    assert code == 0, err
    assert "ar cannot use past-only covariates" in out
    assert set(pd.read_csv(tmp_path / "scores.csv", index_col=0).index) == {"naive", "ar", "ridge"}


def test_unknown_covariate_column_is_a_user_error(capsys, tmp_path):
    code, _, err = run(capsys, "compare", "--covariates", "humidity", "--out", str(tmp_path), "--quiet")
    assert code == 2 and "humidity" in err


def _write(path, text):
    path.write_text(text)
    return str(path)


def test_a_semicolon_file_with_day_first_dates_and_year_columns(capsys, tmp_path):
    days = pd.date_range("2020-01-01", periods=200, freq="D")
    lines = ["date;load"] + [f"{d:%d/%m/%Y};{i % 7 + i * 0.01:.2f}" for i, d in enumerate(days)]
    csv = _write(tmp_path / "load.csv", "\n".join(lines))
    code, _, err = run(
        capsys,
        "compare",
        "--csv",
        csv,
        "--target",
        "load",
        "--models",
        "naive",
        "--out",
        str(tmp_path / "a"),
        "--quiet",
    )
    assert code == 2 and "--dayfirst" in err
    code, out, err = run(capsys, "compare", "--csv", csv, "--target", "load", "--models", "naive", "--dayfirst",
                         "--out", str(tmp_path / "a"), "--quiet")  # fmt: skip
    assert code == 0, err
    years = _write(
        tmp_path / "spots.csv", "YEAR,spots\n" + "\n".join(f"{1700 + i},{(i * 37) % 101}" for i in range(120))
    )
    code, out, err = run(capsys, "compare", "--csv", years, "--date-column", "YEAR", "--target", "spots", "--models",
                         "naive", "--out", str(tmp_path / "b"), "--quiet")  # fmt: skip
    assert code == 0, err
    forecasts = pd.read_csv(tmp_path / "b" / "forecasts.csv")
    assert forecasts["timestamp"].astype(str).str.fullmatch(r"\d{4}").all()  # years, not 1970 timestamps


def test_the_date_and_target_columns_are_found_when_they_are_plain(capsys, tmp_path):
    # A file written by pandas from a float column of years, with its columns named as a price download names them.
    years = _write(
        tmp_path / "y.csv", "YEAR,SUNACTIVITY\n" + "\n".join(f"{1700 + i}.0,{(i * 37) % 101}.0" for i in range(80))
    )
    code, out, err = run(
        capsys, "compare", "--csv", years, "--models", "naive", "--out", str(tmp_path / "a"), "--quiet"
    )
    assert code == 0, err
    forecasts = pd.read_csv(tmp_path / "a" / "forecasts.csv")
    assert forecasts["timestamp"].astype(str).str.fullmatch(r"\d{4}").all()
    days = pd.date_range("2020-01-01", periods=120, freq="D")
    prices = _write(
        tmp_path / "p.csv", "Date,Open,Close\n" + "\n".join(f"{d:%Y-%m-%d},{i},{i + 1}" for i, d in enumerate(days))
    )
    code, _, err = run(capsys, "compare", "--csv", prices, "--models", "naive", "--out", str(tmp_path / "b"), "--quiet")
    assert code == 2 and "2 columns of values ('Open', 'Close')" in err and "--target COLUMN" in err
    code, _, err = run(capsys, "compare", "--csv", prices, "--target", "Close", "--models", "naive", "--out",
                       str(tmp_path / "b"), "--quiet")  # fmt: skip
    assert code == 0, err
    # Several columns named like dates that are not the parts of one date: none is guessed.
    both = _write(tmp_path / "m.csv", "year,week,sales\n" + "\n".join(f"2020,{m},{m}" for m in range(1, 13)))
    code, _, err = run(capsys, "compare", "--csv", both, "--models", "naive", "--out", str(tmp_path / "c"))
    assert code == 2 and "('year', 'week')" in err and "--date-column" in err


def test_a_users_csv_as_statistics_offices_and_spreadsheets_write_it(capsys, tmp_path):
    # statsmodels' macrodata as pandas writes it: floats in separate year and quarter columns.
    quarters = pd.period_range("1959Q1", periods=60, freq="Q")
    lines = ["year,quarter,realgdp,unemp"] + [f"{q.year}.0,{q.quarter}.0,{2700 + 9 * i + (i % 5)},5.{i % 9}"
                                              for i, q in enumerate(quarters)]  # fmt: skip
    macro = _write(tmp_path / "macro.csv", "\n".join(lines))
    code, _, err = run(capsys, "compare", "--csv", macro, "--target", "realgdp", "--models", "naive", "--out",
                       str(tmp_path / "q"), "--quiet")  # fmt: skip
    assert code == 0, err
    forecasts = pd.read_csv(tmp_path / "q" / "forecasts.csv")
    assert forecasts["timestamp"].str.fullmatch(r"\d{4}Q[1-4]").all() and forecasts["timestamp"].iloc[-1] == "1973Q4"
    # A German spreadsheet export: Windows-1252 text, semicolons, day-first dotted dates and decimal commas.
    days = pd.date_range("2021-01-01", periods=120, freq="D")
    text = "Datum;Temperatur °C\n" + "\n".join(f"{d:%d.%m.%Y};{i % 9},5" for i, d in enumerate(days))
    (tmp_path / "de.csv").write_bytes(text.encode("cp1252"))
    code, _, err = run(capsys, "compare", "--csv", str(tmp_path / "de.csv"), "--models", "naive", "--out",
                       str(tmp_path / "d"), "--quiet")  # fmt: skip
    assert code == 2 and "--dayfirst" in err
    code, _, err = run(capsys, "compare", "--csv", str(tmp_path / "de.csv"), "--dayfirst", "--models", "naive",
                       "--out", str(tmp_path / "d"), "--quiet")  # fmt: skip
    assert code == 0, err
    forecasts = pd.read_csv(tmp_path / "d" / "forecasts.csv")
    assert forecasts["series"].eq("Temperatur °C").all() and forecasts["y_true"].mod(1).eq(0.5).all()
    # A note below the data: the error names it and its row.
    months = pd.date_range("2012-01", periods=60, freq="MS")
    noted = _write(tmp_path / "n.csv", "month,visitors\n" + "\n".join(f"{m:%Y-%m},{i}" for i, m in enumerate(months))
                   + "\n\nSource: the tourism office,\n")  # fmt: skip
    code, _, err = run(capsys, "compare", "--csv", noted, "--models", "naive", "--out", str(tmp_path / "n"))
    assert code == 2 and "data row 61: 'Source: the tourism office'" in err
    # The same below a first column of dates whose name says nothing: it is still found as the dates.
    days = pd.date_range("2024-01-01", periods=40, freq="D")
    unnamed = _write(tmp_path / "u.csv", "when,kwh\n" + "\n".join(f"{d:%Y-%m-%d},{i % 7}" for i, d in enumerate(days))
                     + "\nSource: the utility\n")  # fmt: skip
    code, _, err = run(capsys, "compare", "--csv", unnamed, "--models", "naive", "--out", str(tmp_path / "u"))
    assert code == 2 and "column 'when' holds an entry that is not a date in data row 41" in err


@pytest.mark.parametrize(
    ("header", "dates", "freq"),
    [
        ("period", [f"{2005 + i // 12}M{i % 12 + 1:02d}" for i in range(30)], "M"),
        ("week", [f"{2018 + i // 52}-W{i % 52 + 1:02d}" for i in range(30)], "W-SUN"),
        ("quarter", [f"{1990 + i // 4} Q{i % 4 + 1}" for i in range(30)], "Q-DEC"),
        ("quarter", [f"Q{i % 4 + 1} {1990 + i // 4}" for i in range(30)], "Q-DEC"),
        ("quarter", [f"{1990 + i // 4}:Q{i % 4 + 1}" for i in range(30)], "Q-DEC"),
    ],
)
def test_months_weeks_and_quarters_as_statistics_offices_write_them(tmp_path, header, dates, freq):
    from tsrnn.reading import read_series

    csv = _write(tmp_path / "f.csv", f"{header},y\n" + "\n".join(f"{d},{i}" for i, d in enumerate(dates)))
    y, _ = read_series(csv)
    assert isinstance(y.index, pd.PeriodIndex) and y.index.freqstr == freq and len(y) == 30
    assert (y.index[1:] - y.index[:-1] == y.index.freq).all()  # consecutive periods, nothing skipped or repeated
    if freq == "W-SUN":  # ISO week 1 of 2018 starts on Monday 1 January
        assert y.index[0].start_time == pd.Timestamp("2018-01-01")


def test_date_part_columns_and_rows_without_a_date(tmp_path):
    from tsrnn.reading import read_series

    days = pd.date_range("2020-02-25", periods=10, freq="D")
    csv = _write(tmp_path / "p.csv", "Year,Month,Day,y\n" + "\n".join(f"{d.year},{d.month},{d.day},{i}"
                                                                      for i, d in enumerate(days)))  # fmt: skip
    y, _ = read_series(csv)
    assert y.index.equals(pd.DatetimeIndex(days)) and y.name == "y"
    wrong = _write(tmp_path / "w.csv", "year,month,day,y\n2021,2,28,1\n2021,2,29,2\n")
    with pytest.raises(ValueError, match=r"a day that does not exist: \[2021, 2, 29\]"):
        read_series(wrong)
    months = _write(tmp_path / "m.csv", "year,month,y\n2020,13,1\n")  # month 13: not parts, so not guessed
    with pytest.raises(ValueError, match="--date-column|date_column"):
        read_series(months)
    undated = _write(tmp_path / "u.csv", "date,y\n2020-01-01,1\n,2\n2020-01-02,3\n")
    with pytest.warns(UserWarning, match=r"1 row\(s\) without a date in 'date' left out \(the first is data row 2\)"):
        y, _ = read_series(undated)
    assert y.tolist() == [1, 3]


def test_a_price_file_with_market_holidays_runs_on_business_days_that_skip_them(capsys, tmp_path):
    from pandas.tseries.holiday import USFederalHolidayCalendar

    days = pd.bdate_range("2019-01-02", "2020-12-31")
    holidays = USFederalHolidayCalendar().holidays("2019", "2021")
    days = days[~days.isin(holidays)]
    # As a quote site exports it: newest first, dates in words, prices with thousands separators.
    lines = ["Date,Price"] + [f'"{d:%b %d, %Y}","{3000 + 5 * (i % 11) + i:,.2f}"' for i, d in enumerate(days)][::-1]
    csv = _write(tmp_path / "quotes.csv", "\n".join(lines))
    code, _, err = run(capsys, "compare", "--csv", csv, "--models", "naive", "--out", str(tmp_path / "o"), "--quiet")
    assert code == 0, err
    assert "weekdays only, with 19 weekday(s) missing (2019-01-21, 2019-02-18, 2019-05-27, ...)" in err
    assert err.count("warning:") == 1, err
    # Business days without holidays are regular as they stand: nothing to say, not even a notice of pandas' own.
    plain = pd.bdate_range("2019-01-02", periods=300)
    csv = _write(tmp_path / "b.csv", "date,price\n" + "\n".join(f"{d:%Y-%m-%d},{i}" for i, d in enumerate(plain)))
    code, _, err = run(capsys, "compare", "--csv", csv, "--models", "naive", "--out", str(tmp_path / "b"), "--quiet")
    assert code == 0 and "warning:" not in err, err
    forecasts = pd.read_csv(tmp_path / "o" / "forecasts.csv", parse_dates=["timestamp"])
    assert not forecasts["timestamp"].isin(holidays).any()  # the forecasts step over the holidays
    assert forecasts["y_true"].notna().all() and forecasts["timestamp"].dt.day_of_week.lt(5).all()
    # A gap of three weeks is not a holiday: the error says how to fill it.
    gappy = days.delete(range(100, 115))
    csv = _write(tmp_path / "gap.csv", "date,price\n" + "\n".join(f"{d:%Y-%m-%d},{i}" for i, d in enumerate(gappy)))
    code, _, err = run(capsys, "compare", "--csv", csv, "--models", "naive", "--out", str(tmp_path / "g"))
    assert code == 2 and "not evenly spaced" in err and "--freq B" in err and "weekdays only" not in err


def test_gaps_are_explained_with_the_options_that_fill_them(capsys, tmp_path):
    weeks = pd.date_range("2015-01-04", periods=150, freq="W").delete([10, 40])
    csv = _write(tmp_path / "w.csv", "date,sales\n" + "\n".join(f"{d:%Y-%m-%d},{i}" for i, d in enumerate(weeks)))
    code, _, err = run(
        capsys, "compare", "--csv", csv, "--target", "sales", "--models", "naive", "--out", str(tmp_path / "o")
    )
    assert code == 2 and "--freq W-SUN" in err and "--fill" in err and "interpolate()" not in err
    code, _, err = run(capsys, "compare", "--csv", csv, "--target", "sales", "--models", "naive", "--freq", "W-SUN",
                       "--fill", "none", "--out", str(tmp_path / "o"), "--quiet")  # fmt: skip
    assert code == 2 and "missing value" in err and "--fill interpolate" in err
    code, _, err = run(capsys, "compare", "--csv", csv, "--target", "sales", "--models", "naive", "--fill",
                       "interpolate", "--out", str(tmp_path / "o"), "--quiet")  # fmt: skip
    assert code == 0 and "2 missing period" in err


def test_an_unusable_out_fails_before_training(capsys, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("")
    code, _, err = run(capsys, "compare", "--models", "naive", "--out", str(blocker))
    assert code == 2 and "is a file" in err


def test_csv_outputs_neutralise_spreadsheet_formulas(capsys, tmp_path):
    days = pd.date_range("2020-01-01", periods=150, freq="D")
    csv = _write(
        tmp_path / "f.csv", "date,=cmd|' /C calc'!A0\n" + "\n".join(f"{d:%Y-%m-%d},{i % 9}" for i, d in enumerate(days))
    )
    code, _, err = run(capsys, "compare", "--csv", csv, "--target", "=cmd|' /C calc'!A0", "--models", "naive",
                       "--out", str(tmp_path / "o"), "--quiet")  # fmt: skip
    assert code == 0, err
    text = (tmp_path / "o" / "forecasts.csv").read_text()
    assert "\n=cmd" not in text and ",=cmd" not in text and "'=cmd" in text


def test_tune_writes_the_candidates_and_the_nested_score(capsys, tmp_path):
    code, out, _ = run(
        capsys, "tune", "--dataset", "seattle-weather", "--target", "temp_max", "--model", "ar",
        "--grid", "lags=1,2,7", "trend=c,n", "--cutoffs", "6", "--refit", "3", "--nested", "--out", str(tmp_path),
        "--quiet",
    )  # fmt: skip
    assert code == 0, out
    candidates = pd.read_csv(tmp_path / "candidates.csv")
    assert len(candidates) == 6 and set(candidates["rank"]) == set(range(1, 7))
    text = (tmp_path / "tuning.md").read_text()
    assert "Chosen: `{" in text and "## Nested evaluation" in text and "2 outer training windows" in text
    assert "naive forecast scores" in text


def test_tune_halves_over_epochs(capsys, tmp_path):
    code, out, err = run(
        capsys, "tune", "--dataset", "seattle-weather", "--target", "temp_max", "--model", "gru", "--window", "14",
        "--grid", "hidden_size=4,8", "learning_rate=0.001,0.01", "--method", "halving", "--resource", "epochs",
        "--min-resources", "1", "--max-resources", "2", "--factor", "2", "--inner-refit", "false", "--final-refit", "true",
        "--cutoffs", "2", "--out", str(tmp_path),
        "--quiet",
    )  # fmt: skip
    assert code == 0, err
    candidates = pd.read_csv(tmp_path / "candidates.csv")
    assert len(candidates) == 4 and candidates["resources"].max() == 2 and candidates["resources"].min() == 1


def test_tune_warm_starts_its_inner_refits_only_when_asked(capsys, tmp_path):
    scores = {}
    for warm in ([], ["--warm-start", "auto"]):
        out = tmp_path / ("warm" if warm else "cold")
        code, _, err = run(
            capsys, "tune", "--dataset", "seattle-weather", "--target", "temp_max", "--model", "gru", "--window", "14",
            "--grid", "hidden_size=4,8", "--epochs", "3", "--cutoffs", "2", *warm, "--out", str(out), "--quiet",
        )  # fmt: skip
        assert code == 0, err
        scores[bool(warm)] = pd.read_csv(out / "candidates.csv").sort_values("param_hidden_size")["mean_score"]
    # The inner folds refit at each cutoff: from scratch by default, continued with --warm-start auto.
    assert not np.allclose(scores[True].to_numpy(), scores[False].to_numpy())


@pytest.mark.parametrize(
    "extra, words",
    [
        (["--resource", "epochs"], "apply to --method halving only"),
        (["--method", "halving", "--resource", "depth"], "resource"),
    ],
    ids=str,
)
def test_tune_refuses_halving_options_it_cannot_use(capsys, tmp_path, extra, words):
    code, _, err = run(capsys, "tune", "--model", "ar", "--grid", "lags=1,2", *extra, "--out", str(tmp_path), "--quiet")
    assert code == 2 and words in err and "Traceback" not in err


@pytest.mark.parametrize(
    "grid, words",
    [(["window"], "NAME=V1,V2"), (["depth=1,2"], "does not have"), (["lags="], "NAME=V1,V2")],
    ids=str,
)
def test_tune_refuses_a_bad_grid_in_one_line(capsys, tmp_path, grid, words):
    code, _, err = run(capsys, "tune", "--model", "ar", "--grid", *grid, "--out", str(tmp_path), "--quiet")
    assert code == 2 and words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("value, expected", [("auto", "auto"), ("none", None), ("dayofyear", ["dayofyear"])])
def test_calendar_auto_and_none(capsys, tmp_path, monkeypatch, value, expected):
    import tsrnn.report

    seen = {}
    original = tsrnn.report.compare

    def recording(models, *args, **kwargs):
        seen.update({name: model.get_params()["calendar"] for name, model in models.items() if name == "gru"})
        return original(models, *args, **kwargs)

    monkeypatch.setattr(tsrnn.report, "compare", recording)
    monkeypatch.setattr("tsrnn.compare", recording, raising=False)
    code, out, err = run(
        capsys, "compare", "--models", "naive,gru", "--calendar", value, "--cutoffs", "2", "--epochs", "1",
        "--out", str(tmp_path), "--quiet",
    )  # fmt: skip
    assert code == 0, err
    assert seen == {"gru": expected}


def _long_file(path, rows_per_series=(60, 60, 40)):
    """Monthly sales of three stores in long format, the third starting late, rows in the order a database gives."""
    months = pd.date_range("2015-01-01", periods=max(rows_per_series), freq="MS")
    rows = []
    for k, (store, count) in enumerate(zip(("north", "south", "east"), rows_per_series)):
        for i, month in enumerate(months[-count:]):
            rows.append(f"{month:%Y-%m-%d},{store},{100 * (k + 1) + 10 * np.sin(i / 2) + i:.2f}")
    rows.sort()  # by date, the stores mixed
    return _write(path, "date,store,sales\n" + "\n".join(rows) + "\n")


def test_a_long_file_of_several_series_is_compared_series_by_series(capsys, tmp_path):
    csv = _long_file(tmp_path / "stores.csv")
    code, out, err = run(capsys, "compare", "--csv", csv, "--models", "naive,ar", "--out", str(tmp_path / "r"),
                         "--quiet")  # fmt: skip
    assert code == 0, err
    scores = pd.read_csv(tmp_path / "r" / "scores.csv")
    assert set(scores["series"]) == {"north", "south", "east"} and set(scores["model"]) == {"naive", "ar"}
    forecasts = pd.read_csv(tmp_path / "r" / "forecasts.csv")
    assert set(forecasts["series"]) == {"north", "south", "east"}
    # The late store has 40 months: the plan keeps half of them to train on at the first cutoff.
    assert pd.to_datetime(forecasts["cutoff"]).min() >= pd.Timestamp("2016-09-01") + pd.DateOffset(months=19)
    # Every printed row names its model, even where pandas would leave a repeated name blank.
    rows = [line.split()[:2] for line in out.splitlines() if line.split()[1:2] in (["north"], ["south"], ["east"])]
    assert len(rows) == 6 and all(model in ("naive", "ar") for model, _ in rows)
    # A label on a few rows (revised figures beside the first ones) is not a series: the reader asks.
    days = pd.date_range("2023-01-01", periods=60, freq="D")
    rows = [f"{d:%Y-%m-%d},first,{i}" for i, d in enumerate(days)] + [f"{d:%Y-%m-%d},revised,{i + 0.5}"
                                                                      for i, d in enumerate(days[-3:])]  # fmt: skip
    code, _, err = run(capsys, "compare", "--csv", _write(tmp_path / "revised.csv", "date,status,value\n"
                       + "\n".join(rows)), "--models", "naive", "--out", str(tmp_path / "v"))  # fmt: skip
    assert code == 2 and "appear more than once" in err
    assert "If column 'status' names series of a panel, some with few rows, name it with --id-column" in err
    # Named explicitly, the same.
    code, _, err = run(capsys, "compare", "--csv", csv, "--id-column", "store", "--target", "sales", "--models",
                       "naive", "--out", str(tmp_path / "s"), "--quiet")  # fmt: skip
    assert code == 0, err


def test_several_target_columns_and_long_files_that_cannot_be_read(capsys, tmp_path):
    days = pd.date_range("2020-01-01", periods=120, freq="D")
    wide = _write(tmp_path / "w.csv", "date,high,low\n" + "\n".join(f"{d:%Y-%m-%d},{20 + i % 7},{10 + i % 5}"
                                                                 for i, d in enumerate(days)))  # fmt: skip
    code, _, err = run(capsys, "compare", "--csv", wide, "--target", "high,low", "--models", "naive",
                       "--out", str(tmp_path / "w"), "--quiet")  # fmt: skip
    assert code == 0, err
    assert set(pd.read_csv(tmp_path / "w" / "scores.csv")["series"]) == {"high", "low"}
    # A store with a month twice: the error names it.
    csv = _long_file(tmp_path / "stores.csv")
    twice = _write(tmp_path / "twice.csv", open(csv).read() + "2019-12-01,north,5\n")
    code, _, err = run(capsys, "compare", "--csv", twice, "--id-column", "store", "--models", "naive", "--out",
                       str(tmp_path / "t"))  # fmt: skip
    assert code == 2 and "series 'north' of column 'store' has the date 2019-12-01" in err
    # A gap inside one store's months stops the models that cannot train around it, naming the store.
    lines = open(csv).read().splitlines()
    holed = _write(tmp_path / "holed.csv", "\n".join(line for line in lines if line != lines[40]) + "\n")
    store = lines[40].split(",")[1]
    code, _, err = run(capsys, "compare", "--csv", holed, "--freq", "MS", "--fill", "none", "--models", "naive",
                       "--out", str(tmp_path / "h"))  # fmt: skip
    assert code == 2 and f"series {store!r} has 1 missing value(s)" in err
    # Stores numbered, not named: nothing tells the reader which column names them, so it asks.
    numbered = _write(tmp_path / "numbered.csv", open(csv).read().replace(",north,", ",1,").replace(",south,", ",2,")
                      .replace(",east,", ",3,"))  # fmt: skip
    code, _, err = run(capsys, "compare", "--csv", numbered, "--target", "sales", "--models", "naive", "--out",
                       str(tmp_path / "n"))  # fmt: skip
    assert code == 2 and "name the column that tells them apart with --id-column (columns besides" in err
    code, _, err = run(capsys, "compare", "--csv", numbered, "--models", "naive", "--out", str(tmp_path / "n"))
    assert code == 2 and "repeat: if one of these columns numbers the series, name it with --id-column" in err
    code, _, err = run(capsys, "compare", "--csv", numbered, "--id-column", "store", "--models", "naive", "--out",
                       str(tmp_path / "n"), "--quiet")  # fmt: skip
    assert code == 0, err
    assert set(pd.read_csv(tmp_path / "n" / "scores.csv")["series"].astype(str)) == {"1", "2", "3"}
    for argv, words in [
        (["--csv", csv, "--id-column", "region"], "no column 'region'"),
        (["--csv", csv, "--id-column", "store", "--target", "sales,sales"], "one target"),
        (["--dataset", "wti", "--id-column", "store"], "--id-column reads a --csv"),
    ]:
        code, _, err = run(capsys, "compare", *argv, "--models", "naive", "--out", str(tmp_path / "x"))
        assert code == 2 and words in err, (argv, err)


def test_spreadsheet_exports_with_empty_columns_spaced_thousands_and_split_date_and_time(capsys, tmp_path):
    days = pd.date_range("2022-01-01", periods=120, freq="D")
    # Excel's "CSV UTF-8": a byte-order mark, separators past the last column, lines of separators alone.
    text = "date,load,,\n" + "\n".join(f"{d:%Y-%m-%d},{10 + i % 7}.5,," for i, d in enumerate(days)) + "\n,,,\n,,,\n"
    (tmp_path / "excel.csv").write_bytes(("\ufeff" + text).encode("utf-8"))
    code, _, err = run(capsys, "compare", "--csv", str(tmp_path / "excel.csv"), "--models", "naive", "--out",
                       str(tmp_path / "e"), "--quiet")  # fmt: skip
    assert code == 0, err
    assert pd.read_csv(tmp_path / "e" / "forecasts.csv")["series"].eq("load").all()
    # A French export: thousands grouped by (no-break) spaces, decimal commas.
    text = "Date;Consommation\n" + "\n".join(f"{d:%d/%m/%Y};1\u00a0{i % 9}34,5" for i, d in enumerate(days))
    (tmp_path / "fr.csv").write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "compare", "--csv", str(tmp_path / "fr.csv"), "--dayfirst", "--models", "naive",
                       "--out", str(tmp_path / "f"), "--quiet")  # fmt: skip
    assert code == 0, err
    assert pd.read_csv(tmp_path / "f" / "forecasts.csv")["y_true"].between(1034.5, 1834.5).all()
    # Date and time of day in two columns, and the hour alone (1 to 24, hours ending at that time).
    hours = pd.date_range("2022-01-01 01:00", periods=24 * 14, freq="h")
    clock = "Date,Time,MW\n" + "\n".join(f"{h:%Y-%m-%d},{h:%H:%M},{100 + h.hour % 12}" for h in hours)
    ending = "date,hour,MW\n" + "\n".join(
        f"{(h - pd.Timedelta(hours=1)):%Y-%m-%d},{(h - pd.Timedelta(hours=1)).hour + 1},{100 + h.hour % 12}"
        for h in hours
    )
    for name, text in (("clock", clock), ("ending", ending)):
        code, out, err = run(capsys, "compare", "--csv", _write(tmp_path / f"{name}.csv", text), "--models", "naive",
                             "--out", str(tmp_path / name), "--quiet")  # fmt: skip
        assert code == 0, (name, err)
        forecasts = pd.read_csv(tmp_path / name / "forecasts.csv", parse_dates=["timestamp"])
        assert forecasts["timestamp"].max() == hours[-1], name  # the same instants both ways
        assert forecasts.groupby("cutoff").size().eq(24).all(), name  # hourly: a day ahead
    # Local clock times repeat the hour when daylight saving time ends: the error says so, not "long format".
    local = pd.date_range("2022-10-28", periods=24 * 5, freq="h", tz="Europe/Berlin")
    text = "Date,Time,MW\n" + "\n".join(f"{h:%Y-%m-%d},{h:%H:%M},{100 + h.hour % 12}" for h in local)
    code, _, err = run(capsys, "compare", "--csv", _write(tmp_path / "dst.csv", text), "--models", "naive", "--out",
                       str(tmp_path / "dst"))  # fmt: skip
    assert code == 2 and "(first 2022-10-30 02:00:00), as local clock times do when daylight saving" in err


def test_times_of_day_hours_and_series_names_as_exports_write_them(capsys, tmp_path):
    from tsrnn.reading import read_series

    hours = pd.date_range("2024-01-01", periods=24 * 10, freq="h")
    load = [f"{100 + h.hour % 12}" for h in hours]
    files = {
        # 12-hour clock times: the hours, not 24 series named by the time
        "ampm": "date,time,load\n" + "\n".join(f"{h:%Y-%m-%d},{h:%I:%M %p},{v}" for h, v in zip(hours, load)),
        # a grid operator's intervals of the day, read as their start, with day-first dates
        "intervals": "Date;Time;Load\n" + "\n".join(
            f"{h:%d.%m.%Y};{h:%H:%M} - {h + pd.Timedelta(hours=1):%H:%M};{v}" for h, v in zip(hours, load)),
        # year, month, day and hour columns (an air-quality station's layout)
        "parts": "No,year,month,day,hour,pm25\n" + "\n".join(
            f"{i},{h.year},{h.month},{h.day},{h.hour},{v}" for i, (h, v) in enumerate(zip(hours, load))),
    }  # fmt: skip
    for name, text in files.items():
        y, _ = read_series(_write(tmp_path / f"{name}.csv", text), dayfirst=name == "intervals",
                           target="pm25" if name == "parts" else None)  # fmt: skip
        assert isinstance(y, pd.Series) and y.index.equals(pd.DatetimeIndex(hours)), name
    # Full timestamps in a column beside the dates: the error says to read them instead.
    full = _write(tmp_path / "full.csv", "date,time,load\n" + "\n".join(
        f"{h:%Y-%m-%d},{h:%Y-%m-%d %H:%M:%S},{v}" for h, v in zip(hours, load)))  # fmt: skip
    code, _, err = run(capsys, "compare", "--csv", full, "--models", "naive", "--out", str(tmp_path / "o"))
    assert code == 2 and "pass --date-column time" in err
    # Regions named NA (North America) are series names, not missing values; a header with a comma is one column.
    days = pd.date_range("2023-01-01", periods=60, freq="D")
    rows = [f"{d:%Y-%m-%d},{region},{10 + i % 7 + k}" for i, d in enumerate(days) for k, region in
            enumerate(("EU", "NA", "APAC"))]  # fmt: skip
    y, _ = read_series(_write(tmp_path / "regions.csv", "date,region,sales\n" + "\n".join(rows)))
    assert list(y.columns) == ["EU", "NA", "APAC"] and y.notna().all().all()
    priced = _write(tmp_path / "priced.csv", 'date,"Price, USD",Volume\n' + "\n".join(
        f"{d:%Y-%m-%d},{10 + i % 7},{i}" for i, d in enumerate(days)))  # fmt: skip
    code, _, err = run(capsys, "compare", "--csv", priced, "--target", "Price, USD", "--models", "naive", "--out",
                       str(tmp_path / "p"), "--quiet")  # fmt: skip
    assert code == 0, err


def test_panel_files_whose_series_end_early_or_have_gaps_are_refused_by_name(capsys, tmp_path):
    days = pd.date_range("2023-01-01", periods=120, freq="D")
    rows = [f"{d:%Y-%m-%d},A,{10 + i % 7}" for i, d in enumerate(days)]
    rows += [f"{d:%Y-%m-%d},B,{20 + i % 5}" for i, d in enumerate(days[:60])]  # B stops after 60 days
    ended = _write(tmp_path / "ended.csv", "date,id,value\n" + "\n".join(rows))
    for fill in ([], ["--fill", "ffill"]):  # carrying B's last value over 60 days would invent them
        code, _, err = run(capsys, "compare", "--csv", ended, *fill, "--models", "naive", "--out", str(tmp_path / "e"))
        assert code == 2 and "series 'B' ends on 2023-03-01" in err, (fill, err)
    # A daily series beside a weekly one: filling the weekly one to days would invent six values in seven.
    weekly = [f"{d:%Y-%m-%d},B,{i}" for i, d in enumerate(pd.date_range("2023-01-01", periods=18, freq="W-SUN"))]
    mixed = _write(tmp_path / "mixed.csv", "date,id,value\n" + "\n".join(rows[:120] + weekly))
    code, _, err = run(capsys, "compare", "--csv", mixed, "--models", "naive", "--out", str(tmp_path / "m"))
    assert code == 2 and "come at different frequencies: 'A' at 'D', 'B' at 'W-SUN'" in err
    # Gaps in both series: the count is the one of the series named.
    wide = pd.DataFrame({"a": np.arange(120.0) % 7, "b": np.arange(120.0) % 5}, index=days)
    wide.iloc[[10, 11, 12], 0] = np.nan
    wide.iloc[20:51, 1] = np.nan
    holed = tmp_path / "holed.csv"
    wide.rename_axis("date").to_csv(holed)
    code, _, err = run(capsys, "compare", "--csv", str(holed), "--target", "a,b", "--models", "naive", "--out",
                       str(tmp_path / "h"))  # fmt: skip
    assert code == 2 and "series 'b' has 31 missing value(s)" in err


def test_numbers_and_row_numbers_as_the_file_has_them(tmp_path):
    from tsrnn.reading import read_series

    days = pd.date_range("2023-01-01", periods=30, freq="D")
    # In ';' files the column decides: decimal commas with dots grouping thousands, or dots as decimal points.
    for values, read in ((["1.234,5", "2,5", "1 234,5"], [1234.5, 2.5, 1234.5]),
                         (["0.125", "2.250", "-"], [0.125, 2.25, np.nan])):  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the "-" read as missing says so
            y, _ = read_series(_write(tmp_path / "semi.csv", "date;value\n" + "\n".join(
                f"{d:%Y-%m-%d};{v}" for d, v in zip(days, values * 10))))  # fmt: skip
        np.testing.assert_array_equal(y.iloc[:3].to_numpy(), read)
    with pytest.warns(UserWarning, match="1 entr"):  # four digits after a space are no group of thousands
        y, _ = read_series(_write(tmp_path / "odd.csv", "date,value\n" + "\n".join(
            f"{d:%Y-%m-%d},{'1 2345' if i == 3 else i}" for i, d in enumerate(days))))  # fmt: skip
    assert np.isnan(y.iloc[3])
    # A note below empty spreadsheet rows is named by its row in the file, the empty rows counted.
    text = "date,value\n" + "\n".join(f"{d:%Y-%m-%d},{i}" for i, d in enumerate(days[:12])) + "\n,\n,\nSource: x,\n"
    with pytest.raises(ValueError, match="data row 15: 'Source: x'"):
        read_series(_write(tmp_path / "noted.csv", text))


def test_adaptive_intervals_from_the_command_line(capsys, tmp_path):
    code, out, err = run(capsys, "compare", "--dataset", "wti", "--last", "300", "--models", "naive,ar", "--intervals",
                         "adaptive", "--cutoffs", "8", "--out", str(tmp_path / "a"), "--quiet")  # fmt: skip
    assert code == 0, err
    report = (tmp_path / "a" / "report.html").read_text()
    assert "AdaptiveConformal(forecaster=ARForecaster(), horizon=5)" in report
    scores = pd.read_csv(tmp_path / "a" / "scores.csv", index_col=0)
    # The point forecasts are the models' own; only the intervals change.
    code, _, err = run(capsys, "compare", "--dataset", "wti", "--last", "300", "--models", "naive,ar", "--cutoffs",
                       "8", "--out", str(tmp_path / "o"), "--quiet")  # fmt: skip
    own = pd.read_csv(tmp_path / "o" / "scores.csv", index_col=0)
    assert code == 0, err
    np.testing.assert_allclose(scores.loc[["naive", "ar"], "mase"], own.loc[["naive", "ar"], "mase"], rtol=1e-9)
    assert not np.allclose(scores.loc[["naive", "ar"], "interval_score"], own.loc[["naive", "ar"], "interval_score"])


def test_r_and_pandas_exports_with_row_numbers_and_fractional_years(tmp_path):
    from tsrnn.reading import read_series

    values = 100 + np.arange(48) % 12
    # R's ts as write.csv and the Rdatasets files write it: row names, then the time as fractional years.
    months = 1949 + np.arange(48) / 12
    text = '"","rownames","time","value"\n' + "\n".join(
        f'"{i + 1}",{i + 1},{t},{v}' for i, (t, v) in enumerate(zip(months, values)))  # fmt: skip
    y, _ = read_series(_write(tmp_path / "monthly.csv", text))
    assert y.name == "value" and y.index.equals(pd.period_range("1949-01", periods=48, freq="M"))
    quarters = 1960 + np.arange(48) / 4
    y, _ = read_series(_write(tmp_path / "quarterly.csv", "time,value\n" + "\n".join(
        f"{t},{v}" for t, v in zip(quarters, values))))  # fmt: skip
    assert y.index.equals(pd.period_range("1960Q1", periods=48, freq="Q"))
    # pandas' to_csv with its row index, the dates in a column whose name says nothing.
    frame = pd.DataFrame({"when": pd.date_range("2022-01-01", periods=48).strftime("%Y-%m-%d"), "kwh": values})
    frame.to_csv(tmp_path / "pandas.csv")
    y, _ = read_series(tmp_path / "pandas.csv")
    assert y.name == "kwh" and y.index.equals(pd.date_range("2022-01-01", periods=48, name="when"))
    # A file of steps and values keeps its steps: without a date column beside it, a counter is not dropped.
    frame = pd.DataFrame({"step": np.arange(48), "load": values})
    frame.to_csv(tmp_path / "steps.csv", index=False)
    y, _ = read_series(tmp_path / "steps.csv", date_column="step")
    assert list(y.index[:3]) == [0, 1, 2]


def test_the_default_plan_waits_until_every_model_has_what_it_needs_of_a_late_series(capsys, tmp_path):
    months = pd.date_range("2010-01-01", periods=120, freq="MS")
    rows = [f"{m:%Y-%m-%d},{store},{100 * (k + 1) + 10 * np.sin(i / 2) + i}" for k, store in
            enumerate(("north", "south", "east")) for i, m in enumerate(months[84 if store == "east" else 0:])]  # fmt: skip
    csv = _write(tmp_path / "late.csv", "date,store,sales\n" + "\n".join(sorted(rows)))
    # Half of the late store's 36 months is too little for a wrapper that calibrates on a quarter of them.
    code, _, err = run(capsys, "compare", "--csv", csv, "--models", "naive,ar", "--intervals", "adaptive", "--step",
                       "3", "--out", str(tmp_path / "a"), "--quiet")  # fmt: skip
    assert code == 0, err
    report = (tmp_path / "a" / "report.html").read_text()
    assert "fewer than the default would give, so that every model has the observations it needs" in report
    # Given explicitly, the plan is the user's: the error says what would fit.
    code, _, err = run(capsys, "compare", "--csv", csv, "--models", "naive,ar", "--intervals", "adaptive",
                       "--initial", "96", "--out", str(tmp_path / "b"))  # fmt: skip
    assert code == 2 and "series 'east' has 12 observed value(s)" in err
