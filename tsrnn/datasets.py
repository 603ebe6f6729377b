"""Real price and weather series shipped with tsrnn, single series and panels of related ones.

The CSV files live in the repository's ``datasets/`` folder and are copied into
the wheel as ``tsrnn/_data``; ``datasets/README.md`` gives the source, licence,
units and preparation of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = ["list_datasets", "load_dataset"]


@dataclass(frozen=True)
class _Dataset:
    file: str
    freq: str
    description: str
    units: dict
    target: str
    ragged: bool = False  # series of a panel may start late: leading missing values, nothing missing after


_DATASETS = {
    "sp500": _Dataset(
        "sp500.csv",
        "B",
        "S&P 500 index, daily open/high/low/close, adjusted close and volume, 1999-2018",
        {**{c: "index points" for c in ("open", "high", "low", "close", "adj_close")}, "volume": "shares"},
        "adj_close",
    ),
    "wti": _Dataset(
        "wti.csv", "B", "WTI crude oil spot price (Cushing, OK), daily, 1986-2019", {"price": "USD per barrel"}, "price"
    ),
    "seattle-weather": _Dataset(
        "seattle_weather.csv",
        "D",
        "Seattle daily weather, 2012-2015: max/min temperature, precipitation, wind",
        {"temp_max": "degC", "temp_min": "degC", "precipitation": "mm", "wind": "m/s"},
        "temp_max",
    ),
    "seattle-temps": _Dataset(
        "seattle_temps.csv",
        "h",
        "Seattle hourly temperature labelled 2010: a smooth climatological curve, not observations",
        {"temp": "degF"},
        "temp",
    ),
    "stocks": _Dataset(
        "stocks.csv",
        "MS",
        "Monthly share prices of AAPL, AMZN, GOOG, IBM and MSFT, 2000-2010 (a panel; GOOG starts in August 2004)",
        {c: "USD per share" for c in ("aapl", "amzn", "goog", "ibm", "msft")},
        "msft",
        ragged=True,
    ),
    "nyc-weather": _Dataset(
        "nyc_weather.csv",
        "D",
        "Daily mean temperature and dew point at the three New York airports (EWR, JFK, LGA), 2013 (a panel)",
        {f"{v}_{a}": "degF" for v in ("temp", "dewp") for a in ("ewr", "jfk", "lga")},
        "temp_jfk",
    ),
}


def _data_dir() -> Path:
    """Where the CSV files are: inside the installed package, else the source checkout."""
    packaged = resources.files("tsrnn") / "_data"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "datasets"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("tsrnn's dataset files are missing from this installation; reinstall tsrnn.")


def _check_name(name: str) -> _Dataset:
    if name not in _DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {sorted(_DATASETS)}.")
    return _DATASETS[name]


def load_dataset(name: str) -> pd.DataFrame:
    """Load a shipped dataset.

    Parameters
    ----------
    name : str
        One of the names in ``list_datasets()``: ``"sp500"``, ``"wti"``,
        ``"seattle-weather"``, ``"seattle-temps"``, ``"stocks"``, ``"nyc-weather"``.

    Returns
    -------
    pd.DataFrame
        The value columns, on a DatetimeIndex named ``date`` whose frequency is
        set (``"B"`` for prices, market holidays carried forward from the
        previous close; ``"D"``; ``"h"``; ``"MS"``). ``frame.attrs["units"]``
        maps each column to its units. The panels (``"stocks"``,
        ``"nyc-weather"``) have one column per series; in ``"stocks"`` a share
        listed late is missing before its first price, and nothing else is missing.
    """
    dataset = _check_name(name)
    frame = pd.read_csv(_data_dir() / dataset.file, parse_dates=["date"], index_col="date")
    regular = frame.asfreq(dataset.freq)
    late = dataset.ragged and all(regular[c].loc[regular[c].first_valid_index() :].notna().all() for c in regular)
    if len(regular) != len(frame) or (regular.isna().any().any() and not late):
        # The files are regular by construction; anything else is a damaged installation.
        raise ValueError(f"dataset {name!r} is not regular at frequency {dataset.freq!r}; the file is damaged.")
    regular.attrs["units"] = dict(dataset.units)
    return regular


def list_datasets() -> pd.DataFrame:
    """Describe the shipped datasets.

    Returns
    -------
    pd.DataFrame
        One row per dataset, indexed by name, with columns ``description``,
        ``frequency``, ``start``, ``end``, ``length``, ``columns``, ``target``
        (the column used by default) and ``units``.
    """
    rows = []
    for name, dataset in _DATASETS.items():
        frame = load_dataset(name)
        rows.append(
            {
                "name": name,
                "description": dataset.description,
                "frequency": dataset.freq,
                "start": frame.index[0],
                "end": frame.index[-1],
                "length": len(frame),
                "columns": ", ".join(frame.columns),
                "target": dataset.target,
                "units": ", ".join(f"{c}: {u}" for c, u in dataset.units.items()),
            }
        )
    return pd.DataFrame(rows).set_index("name")
