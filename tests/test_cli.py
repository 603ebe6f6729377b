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
    assert set(scores.index) == {"naive", "ar", "gru"} and "mase" in out
    forecasts = pd.read_csv(tmp_path / "forecasts.csv")
    assert len(forecasts) == 3 * 6 * 7


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
    ],
)
def test_user_errors_are_one_line_without_traceback(capsys, tmp_path, argv, words):
    code, _, err = run(capsys, *argv, "--out", str(tmp_path), "--quiet")
    assert code == 2 and words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_option_value_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--horizon", "-3"])
    assert info.value.code == 2 and "positive integer" in capsys.readouterr().err


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
