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
    ],
)
def test_datasets_are_regular_and_complete(name, freq, column):
    frame = load_dataset(name)
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.freq == pd.tseries.frequencies.to_offset(freq)
    assert frame.index.equals(pd.date_range(frame.index[0], frame.index[-1], freq=freq))
    assert column in frame.columns and not frame.isna().any().any()


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
