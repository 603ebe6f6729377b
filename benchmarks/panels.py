"""Global networks against per-series models on the shipped panels.

Tasks: the `stocks` panel (monthly prices of five shares, GOOG listed in
2004-08) and the `nyc-weather` panel (daily temperature and dew point at the
three New York airports, 2013). Horizon and cutoffs follow the frequency rules
of ``tsrnn.frequency.default_plan`` (the defaults of ``compare``): a horizon of a
year of months or a week of days, a step of one horizon, and as many cutoffs as
fit while the first training set keeps at least half of the series, applied to
the shortest series of the panel so that every series is forecast at every
cutoff (on `stocks` that is GOOG's 68 months: 2 cutoffs; the four full series
are also run on their own with the rules applied to all 123 months: 5 cutoffs).
Refit policy: monthly panels refit at every cutoff; the daily panel refits every
13 cutoffs and updates the fitted models with the new observations in between.

Models: naive (last value) and AR(p) with the order chosen by AIC, fitted per
series (they take the DataFrame and fit each column alone); one global LSTM
and one global GRU with default settings trained across all the columns; and
an LSTM and a GRU with the same settings trained one by one, one univariate
backtest per column on the same cutoffs. Scores per model: mean and geometric
mean over series of the per-series MASE (scaled by each fold's in-sample naive
error), the share of series where the model's MASE is below AR's, the ratio of
its mean MASE to AR's, and the fit seconds of the whole backtest (all columns).

    OMP_NUM_THREADS=1 python benchmarks/panels.py               # the tables, written into RESULTS.md
    OMP_NUM_THREADS=1 python benchmarks/panels.py --quick       # 3 epochs per fit, to check that it runs
    OMP_NUM_THREADS=1 python benchmarks/panels.py --variations  # also the variations of the networks
    OMP_NUM_THREADS=1 python benchmarks/panels.py --global-variations  # only the global networks' variations
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import pandas as pd
import torch

import tsrnn
from tsrnn.comparison import Comparison
from tsrnn.datasets import load_dataset
from tsrnn.frequency import default_plan
from tsrnn.results import BacktestResult

HERE = Path(__file__).resolve().parent
TITLE = "Panels: global networks against per-series models"
BASELINE = "AR(AIC)"

#: name -> (dataset, columns left out, refit policy)
TASKS = {
    "stocks": ("stocks", [], True),
    "stocks, 4 full series": ("stocks", ["goog"], True),
    "nyc-weather": ("nyc-weather", [], 13),
}


def task(name: str) -> tuple[pd.DataFrame, dict]:
    """The panel of a task and its backtest settings (horizon, initial, refit) with the reasons."""
    dataset, dropped, refit = TASKS[name]
    y = load_dataset(dataset).drop(columns=dropped)
    shortest = int(y.notna().sum().min())
    plan = default_plan(shortest, y.index.freq)
    initial = len(y) - shortest + plan.initial  # the rules on the shortest series, as positions of the panel
    cutoffs = (len(y) - initial - plan.horizon) // plan.horizon + 1
    settings = {"horizon": plan.horizon, "initial": initial, "refit": refit}
    why = (
        f"{len(y.columns)} series, horizon {plan.horizon}, {cutoffs} cutoffs every {plan.horizon} periods from "
        f"{y.index[initial - 1]:%Y-%m-%d} (the rules on the shortest series, {shortest} observations), "
        + ("refit at every cutoff" if refit is True else f"refit every {refit} cutoffs, updates in between")
    )
    return y, {**settings, "why": why}


def networks(horizon: int, epochs: int | None = None, **variation) -> dict[str, tsrnn.RecurrentForecaster]:
    """An LSTM and a GRU with default settings (or with ``variation``), seed 0."""
    extra = {"epochs": epochs} if epochs else {}
    return {
        cell: cls(horizon=horizon, random_state=0, **extra, **variation)
        for cell, cls in (("LSTM", tsrnn.LSTMForecaster), ("GRU", tsrnn.GRUForecaster))
    }


def per_series(model, y: pd.DataFrame, X: pd.DataFrame | None, settings: dict) -> tuple[BacktestResult, dict]:
    """One univariate comparison per column of ``y`` (a network trained on that series alone), as one result.

    Each column goes through ``compare`` alone, so it gets the defaults ``compare`` gives one series (the
    lookback of its frequency, at most a quarter of its own first training set). A late-starting column is
    backtested from its first value, with the first training set ending on the panel's first cutoff (a
    timestamp), so the folds and the MASE scales are those of the panel backtest. (Passed with its leading
    missing values, a series alone loses its training windows to the validation split, which counts the
    panel's length.) ``X``: covariates of every series, its own column left out.

    Returns
    -------
    result : BacktestResult
        The forecasts of every column; fit seconds summed over the columns.
    windows : dict of str -> int
        The lookback each column was given.
    """
    results, windows = [], {}
    first_cutoff = y.index[settings["initial"] - 1]
    for column in y.columns:
        own = y.loc[y[column].first_valid_index() :, [column]]
        own_X = None if X is None else {"net": X.loc[own.index].drop(columns=[column], errors="ignore")}
        alone = tsrnn.compare(
            {"net": model},
            own,
            own_X,
            horizon=settings["horizon"],
            initial=first_cutoff,
            refit=settings["refit"],
            warm_start=False,
            progress=False,
        )
        results.append(alone.results["net"])
        windows[column] = alone.models["net"].window
    first = results[0]
    result = BacktestResult(
        forecasts=pd.concat([r.forecasts for r in results], ignore_index=True),
        fit_seconds=sum(r.fit_seconds for r in results),
        predict_seconds=sum(r.predict_seconds for r in results),
        scales=pd.concat([r.scales for r in results], ignore_index=True),
        horizon=first.horizon,
        coverage_level=first.coverage_level,
        y=y,
    )
    return result, windows


def compare_panel(
    y: pd.DataFrame, settings: dict, epochs: int | None = None, X=None, per_series_too: bool = True, **variation
) -> Comparison:
    """Per-series naive and AR, global and per-series LSTM and GRU on the same folds, as one comparison.

    ``per_series_too=False`` leaves out the networks trained one by one (for settings that only a global
    network has, such as a series embedding).

    ``attrs`` of the returned comparison: ``windows``, the lookback of each network (per series: a dict).
    """
    nets = networks(settings["horizon"], epochs, **variation)
    models = {"naive": tsrnn.NaiveForecaster(), BASELINE: tsrnn.ARForecaster()}
    models.update({f"{cell} global": model for cell, model in nets.items()})
    folds = {k: settings[k] for k in ("horizon", "initial", "refit")}
    covariates = None if X is None else {f"{cell} global": X for cell in nets}
    comparison = tsrnn.compare(models, y, covariates, baseline=BASELINE, progress=False, warm_start=False, **folds)
    results, models = dict(comparison.results), dict(comparison.models)
    windows = {f"{cell} global": models[f"{cell} global"].window for cell in nets}
    for cell, model in nets.items() if per_series_too else ():
        results[f"{cell} per series"], windows[f"{cell} per series"] = per_series(model, y, X, settings)
        models[f"{cell} per series"] = model
    joined = Comparison(results, models, BASELINE, comparison.metrics, comparison.settings, comparison.provenance)
    joined.windows = windows
    return joined


def panel_table(comparison: Comparison) -> pd.DataFrame:
    """Per model: mean and geometric-mean MASE over series, share beating AR, ratio to AR, fit seconds."""
    panel = comparison.panel()
    table = pd.DataFrame(
        {
            "mean MASE": panel["mean_mase"],
            "gmean MASE": panel["gmean_mase"],
            "x AR (mean)": panel["mean_mase"] / panel.loc[BASELINE, "mean_mase"],
            "beats AR": panel["beats_baseline"],
            "DM p vs AR": panel["dm_pvalue"],
            "fit s": pd.Series({name: float(r.fit_seconds.sum()) for name, r in comparison.results.items()}),
        }
    )
    table.loc[BASELINE, "beats AR"] = float("nan")
    return table.sort_values("mean MASE").rename_axis("model")


#: Variations through existing parameters, per task: label -> (parameters, covariates from the panel?)
VARIATIONS = {
    "window 12": ({"window": 12}, False),
    "window 60": ({"window": 60}, False),
    "hidden 16": ({"hidden_size": 16}, False),
    "covariates: the other series": ({}, True),
}
DAILY_VARIATIONS = {"calendar dayofyear": ({"calendar": ["dayofyear"]}, False)}
#: Variations of the global networks only (series identity, which only a global network has, and the lookback and
#: differencing together): label -> a function of the panel giving the parameters.
GLOBAL_VARIATIONS = {
    "series embedding 4": lambda y: {"series_embedding": 4},
    "series embedding 16": lambda y: {"series_embedding": 16},
    "static: what each series measures": lambda y: {"static": panel_static(y)},
    "series embedding 4 + static": lambda y: {"series_embedding": 4, "static": panel_static(y)},
    "difference=True": lambda y: {"difference": True},
    "difference=False": lambda y: {"difference": False},
    "difference=True, window 12": lambda y: {"difference": True, "window": 12},
    "difference=True, window 12, series embedding 4": lambda y: {"difference": True, "window": 12,
                                                                 "series_embedding": 4},
}  # fmt: skip


def panel_static(y: pd.DataFrame) -> pd.DataFrame | None:
    """Static covariates known without looking at the data: the variable and the station (nyc-weather); else None.

    Share prices carry no such description here (each is its own company), so `stocks` gets none.
    """
    if not all(c.split("_")[0] in ("temp", "dewp") for c in y.columns):
        return None
    rows = {c: {"temperature": float(c.startswith("temp")), "newark": float(c.endswith("ewr")),
                "jfk": float(c.endswith("jfk"))} for c in y.columns}  # fmt: skip
    return pd.DataFrame(rows).T


def variations(
    name: str, y: pd.DataFrame, settings: dict, epochs: int | None = None, global_only: bool = False
) -> pd.DataFrame:
    """Mean MASE and its ratio to AR of the global and per-series networks under each variation."""
    chosen = {} if global_only else dict(VARIATIONS)
    if y.index.freqstr == "D" and not global_only:
        chosen.update(DAILY_VARIATIONS)
    rows = []
    first_fold = settings["initial"] - (len(y) - int(y.notna().sum().min()))
    for label, (params, with_X) in chosen.items():
        if params.get("window", 0) + settings["horizon"] + 2 > first_fold:
            continue  # the first training set of the shortest series cannot hold that window
        start = time.perf_counter()
        X = y.loc[:, y.notna().all()] if with_X else None  # past covariates may not be missing: complete columns
        table = panel_table(compare_panel(y, settings, epochs, X, **params))
        print(f"  {name}, {label}: {time.perf_counter() - start:.0f} s", flush=True)
        for model in ("LSTM global", "GRU global", "LSTM per series", "GRU per series"):
            rows.append({"task": name, "variation": label, "model": model, **table.loc[model].to_dict()})
    for label, make in GLOBAL_VARIATIONS.items():
        params = make(y)
        if any(v is None for v in params.values()):
            continue  # no static covariates for this panel
        if params.get("window", 0) + settings["horizon"] + 2 > first_fold:
            continue
        start = time.perf_counter()
        table = panel_table(compare_panel(y, settings, epochs, per_series_too=False, **params))
        print(f"  {name}, {label}: {time.perf_counter() - start:.0f} s", flush=True)
        for model in ("LSTM global", "GRU global"):
            rows.append({"task": name, "variation": label, "model": model, **table.loc[model].to_dict()})
    return pd.DataFrame(rows).set_index(["task", "variation", "model"])


def run(quick: bool = False, with_variations: bool = False) -> tuple[dict, pd.DataFrame | None]:
    """The panel table of every task (with its settings line) and, optionally, the variations."""
    epochs = 3 if quick else None
    tables, varied = {}, []
    for name in TASKS:
        y, settings = task(name)
        start = time.perf_counter()
        comparison = compare_panel(y, settings, epochs)
        print(f"{name}: {time.perf_counter() - start:.0f} s", flush=True)
        tables[name] = (settings["why"], panel_table(comparison), comparison)
        if with_variations:
            varied.append(variations(name, y, settings, epochs))
    return tables, (pd.concat(varied) if varied else None)


def lookbacks(windows: dict) -> str:
    """The lookbacks compare gave the networks, in words: ``window 24 (global), 24 per series (goog: 11)``."""
    glob = sorted({w for name, w in windows.items() if "global" in name})
    alone = {}
    for name, w in windows.items():
        if "per series" in name:
            alone.update(w)
    common = pd.Series(alone).mode().iloc[0]
    odd = ", ".join(f"{column}: {w}" for column, w in alone.items() if w != common)
    return f"window {'/'.join(map(str, glob))} (global), {common} per series" + (f" ({odd})" if odd else "")


def body(tables: dict, varied: pd.DataFrame | None = None) -> str:
    """The Markdown of the section (without its title)."""
    from run import _table

    text = [__doc__.split("\n\n")[1].replace("\n", " "), __doc__.split("\n\n")[2].replace("\n", " ")]
    text.append(
        f"PyTorch on {torch.get_num_threads()} thread(s) (`panels.py` sets one: `OMP_NUM_THREADS=1`, "
        "`torch.set_num_threads(1)`), seed 0; `fit s` is the whole backtest's fitting and updating."
    )
    for name, (why, table, comparison) in tables.items():
        text.append(f"**{name}**: {why}; {lookbacks(comparison.windows)}.\n\n" + _table(table))
    if varied is not None:
        text.append(
            "Variations through existing parameters (not the defaults), one at a time; `covariates: the other "
            "series` gives the global networks every complete column of the panel as past covariates (on `stocks` "
            "GOOG's is not) and each per-series network the other complete columns. The series identities "
            "(`series_embedding`, `static`) are given to the global networks only; nyc-weather's static covariates "
            "say what each column measures (temperature or dew point) and where (Newark, JFK, LaGuardia).\n\n"
            + _table(varied[["mean MASE", "x AR (mean)", "beats AR", "fit s"]])
        )
    return "\n\n".join(text)


def write_section(text: str, path: Path = HERE / "RESULTS.md", title: str = TITLE) -> None:
    """Put ``## title`` with ``text`` into the results file: in place of the same section, or before the total."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# tsrnn benchmarks\n"
    block = f"## {title}\n\n{text.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |^Total benchmark time|\Z)", re.M | re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _: block + "\n", old, count=1)
    elif "\nTotal benchmark time" in old:
        new = old.replace("\nTotal benchmark time", f"\n{block}\nTotal benchmark time", 1)
    else:
        new = old.rstrip("\n") + f"\n\n{block}"
    path.write_text(new, encoding="utf-8")


def main() -> None:
    import sys

    sys.path.insert(0, str(HERE))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 epochs per fit, printed only")
    parser.add_argument("--variations", action="store_true", help="also the variations of the networks")
    parser.add_argument(
        "--global-variations", action="store_true", help="only the global networks' variations, printed"
    )
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"), help="the results file to update")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.global_variations:
        from run import _table

        for name in ("stocks", "nyc-weather"):
            y, settings = task(name)
            default = panel_table(compare_panel(y, settings, 3 if args.quick else None, per_series_too=False))
            rows = variations(name, y, settings, 3 if args.quick else None, global_only=True)
            for model in ("LSTM global", "GRU global"):
                rows.loc[(name, "defaults", model), :] = default.loc[model]
            print(_table(rows[["mean MASE", "x AR (mean)", "beats AR", "fit s"]].sort_index()), flush=True)
        return
    tables, varied = run(args.quick, args.variations)
    text = body(tables, varied)
    print(text)
    if not args.quick:
        write_section(text, Path(args.out))
        print(f"\nwrote the section into {args.out}")


if __name__ == "__main__":
    main()
