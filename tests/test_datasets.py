import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tsrnn.datasets import list_datasets, load_dataset

ROOT = Path(__file__).resolve().parent.parent


def test_list_datasets_describes_each():
    table = list_datasets()
    assert {"sp500", "wti", "seattle-weather", "seattle-temps"} <= set(table.index)
    assert {"frequency", "start", "end", "columns", "target"} <= set(table.columns)


@pytest.mark.parametrize(
    "name, freq, column",
    [
        ("sp500", "B", "adj_close"),
        ("wti", "B", "price"),
        ("seattle-weather", "D", "temp_max"),
        ("seattle-temps", "h", "temp"),
        ("nyc-weather", "D", "temp_jfk"),
    ],
)
def test_datasets_are_regular_and_complete(name, freq, column):
    frame = load_dataset(name)
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.freq == pd.tseries.frequencies.to_offset(freq)
    assert frame.index.equals(pd.date_range(frame.index[0], frame.index[-1], freq=freq))
    assert column in frame.columns and not frame.isna().any().any()


def test_the_panels_have_five_or_more_related_series():
    stocks, weather = load_dataset("stocks"), load_dataset("nyc-weather")
    assert list(stocks.columns) == ["aapl", "amzn", "goog", "ibm", "msft"] and stocks.index.freqstr == "MS"
    assert weather.shape == (364, 6) and set(weather.attrs["units"].values()) == {"degF"}
    # The stocks panel is ragged: GOOG is empty before its listing and complete after it; nothing else is missing.
    goog = stocks["goog"]
    assert goog.first_valid_index() == pd.Timestamp("2004-08-01") and goog.loc["2004-08-01":].notna().all()
    assert stocks.drop(columns="goog").notna().all().all() and int(goog.isna().sum()) == 55


def test_a_gap_inside_a_ragged_panel_is_refused(tmp_path, monkeypatch):
    import tsrnn.datasets as module

    frame = pd.read_csv(ROOT / "datasets" / "stocks.csv")
    frame.loc[100, "aapl"] = None
    frame.to_csv(tmp_path / "stocks.csv", index=False)
    monkeypatch.setattr(module, "_data_dir", lambda: tmp_path)
    with pytest.raises(ValueError, match="not regular"):
        load_dataset("stocks")


def test_rows_match_the_csv_files():
    raw = pd.read_csv(ROOT / "datasets" / "sp500.csv")
    assert len(load_dataset("sp500")) == len(raw)


def test_unknown_dataset_is_a_clear_error():
    with pytest.raises(ValueError, match="seattle-weather"):
        load_dataset("seattle")


def test_datasets_load_from_a_built_wheel(tmp_path):
    """The CSVs travel inside a normal (non-editable) wheel."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("tsrnn-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    assert (site / "tsrnn" / "_data" / "seattle_weather.csv").is_file()
    code = "import tsrnn.datasets as d; print(d._data_dir()); print(len(d.load_dataset('seattle-weather')))"
    out = subprocess.run(
        [sys.executable, "-S", "-c", f"import sys; sys.path[:0] = [{str(site)!r}] + {sys.path!r}; {code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0].startswith(str(site)) and out[1] == "1461"
