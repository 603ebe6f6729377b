"""The ``tsrnn`` command: argument parsing and printing only; the work is done by the library."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsrnn import narrative
from tsrnn.datasets import list_datasets, load_dataset
from tsrnn.frequency import default_plan

__all__ = ["main"]

MODEL_NAMES = ("naive", "seasonal", "drift", "ar", "ridge", "rnn", "lstm", "gru")
DEFAULT_MODELS = "naive,ar,rnn,lstm,gru"
# The horizon users of each frequency usually mean: a day of hours, a week of days or trading days,
# a month of weeks, a year of months or quarters, five years.


class UserError(Exception):
    """A mistake in the command line or the input data: reported in one line, no traceback."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _refit(text: str) -> bool | int:
    lowered = text.lower()
    if lowered in ("true", "yes", "all", "1"):
        return True
    if lowered in ("false", "no", "never", "0"):
        return False
    try:
        return _positive(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"--refit takes true, false or a positive integer k, got {text!r}") from None


#: The quantiles every report records by default: enough levels for its calibration plot and CRPS.
DEFAULT_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


def _quantiles(text: str) -> tuple[float, ...] | str | None:
    if text == "default":  # argparse passes the default through here too; _run resolves it (tune refuses others)
        return text
    if text.strip().lower() in ("none", "no", "false", ""):
        return None
    try:
        levels = tuple(sorted({float(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--quantiles takes comma-separated levels between 0 and 1 (e.g. 0.1,0.5,0.9) or none, got {text!r}"
        ) from None
    if not levels or not all(0 < q < 1 for q in levels):
        raise argparse.ArgumentTypeError(f"--quantiles levels must lie strictly between 0 and 1, got {text!r}")
    if len(levels) < 2:  # one quantile makes no distribution: its "CRPS" would be twice its pinball loss
        raise argparse.ArgumentTypeError(
            f"--quantiles needs at least two levels for CRPS and calibration, got {text!r}"
        )
    return levels


def _warm_start(text: str) -> bool | int | str:
    lowered = text.lower()
    if lowered == "auto":
        return "auto"
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no", "none", "never"):
        return False
    try:
        return _positive(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"--warm-start takes auto, true, false or a positive integer (epochs per warm refit), got {text!r}"
        ) from None


def build_model(name: str, horizon: int, args: argparse.Namespace) -> Any:
    """The forecaster a model name stands for on the command line."""
    from sklearn.linear_model import Ridge

    from tsrnn import (
        ARForecaster,
        GRUForecaster,
        LSTMForecaster,
        NaiveForecaster,
        RegressionForecaster,
        RNNForecaster,
    )

    # --calendar auto: features from the frequency; none: no features; omitted: each model's own default.
    calendar = {("auto",): "auto", ("none",): None}.get(tuple(args.calendar or ()), args.calendar or None)
    neural = {"horizon": horizon, "random_state": args.seed}
    if args.calendar:
        neural["calendar"] = calendar
    if args.epochs is not None:
        neural["epochs"] = args.epochs
    if args.window is not None:
        neural["window"] = args.window
    factories = {
        "naive": lambda: NaiveForecaster("last"),
        "seasonal": lambda: NaiveForecaster("seasonal"),
        "drift": lambda: NaiveForecaster("drift"),
        "ar": lambda: ARForecaster(lags="aic", calendar=calendar),
        "ridge": lambda: RegressionForecaster(
            Ridge(), window=args.window or 30, strategy="direct", horizon=horizon, calendar=calendar
        ),
        "rnn": lambda: RNNForecaster(**neural),
        "lstm": lambda: LSTMForecaster(**neural),
        "gru": lambda: GRUForecaster(**neural),
    }
    if name not in factories:
        raise UserError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")
    return factories[name]()


def _split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _load_series(args: argparse.Namespace) -> tuple[pd.Series, pd.DataFrame | None]:
    from tsrnn.reading import read_series

    if args.csv is not None:
        # The reader splits --target high,low into columns unless the whole text names one ("Price, USD").
        y, X = read_series(
            args.csv, args.target.strip() if args.target else None, date_column=args.date_column,
            covariates=args.covariates or None, sep=args.sep, dayfirst=args.dayfirst, freq=args.freq, fill=args.fill,
            id_column=args.id_column, cli=True,
        )  # fmt: skip
    else:
        if args.id_column is not None:
            raise UserError("--id-column reads a --csv in long format; a shipped dataset has none")
        try:
            frame = load_dataset(args.dataset)
        except ValueError as error:
            raise UserError(str(error)) from None
        target = args.target or list_datasets().loc[args.dataset, "target"]
        missing = [c for c in [target, *args.covariates] if c not in frame.columns]
        if missing:
            raise UserError(
                f"{args.dataset} has no column {missing[0]!r}; columns: {', '.join(map(str, frame.columns))}"
            )
        if target in args.covariates:
            raise UserError(f"--covariates must not include the target {target!r}")
        y, X = frame[target], (frame[args.covariates] if args.covariates else None)
    if args.last is not None:
        y = y.iloc[-args.last :]
        X = None if X is None else X.iloc[-args.last :]
    return y, X


def _check_out(path: str) -> Path:
    """The output folder, checked before any model trains: it must be (or become) a writable folder."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {path} is a file; name a folder for the report")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".tsrnn-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise UserError(f"cannot write to --out {path}: {error.strerror or error}") from None
    return out


def _spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (=, +, -, @) get a leading apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column].dtype):
            text = safe[column].astype(str)
            risky = text.str.match(r"^[=+\-@\t\r]") & safe[column].map(lambda v: isinstance(v, str))
            safe[column] = safe[column].astype(object).where(~risky, "'" + text)
    risky_names = [c for c in safe.columns if isinstance(c, str) and c[:1] in "=+-@"]
    return safe.rename(columns={c: "'" + c for c in risky_names})


def _first_window_that_fits(
    models: dict[str, Any], y: Any, horizon: int, step: int, initial: int, chosen: dict[str, str]
) -> int:
    """The default first training length, lengthened (fewer cutoffs) until every model has at the first cutoff
    the observations it needs of every series: a short series, a panel's late starter, an adaptive wrapper."""
    from tsrnn._validation import check_series
    from tsrnn.backtest import first_length_with
    from tsrnn.report import _fit_windows

    data = check_series(y, "y", allow_missing=True)
    n, start = len(data.values), initial
    for _ in range(5):  # a window model's lookback follows the first training length: let the two settle
        sized = _fit_windows(dict(models), data.freq, initial, {})
        need = max(int(m._min_length()) for m in sized.values() if hasattr(m, "_min_length"))
        first = first_length_with(data.values, need)
        if first is None:
            return start  # no first window fits: the backtest's own check says so, with the numbers
        if initial >= first:
            break
        initial += -(-(first - initial) // step) * step
        if initial > n - horizon:
            return start
    if initial != start:
        cutoffs = (n - horizon - initial) // step + 1
        chosen["cutoffs"] = (
            f"{cutoffs}: fewer than the default would give, so that every model has the observations it needs "
            f"({need}) of every series at the first cutoff"
        )
    return initial


def _plan(y: pd.Series, args: argparse.Namespace) -> tuple[int, int, int]:
    """Horizon, step and initial training length, from the options or the data's frequency."""
    from tsrnn._index import likely_freq
    from tsrnn._validation import check_series

    name = f"column {y.name!r}" if isinstance(y, pd.Series) else "the series"
    try:
        data = check_series(y, name, allow_missing=True)
        freq = data.freq
    except ValueError as error:
        if "regularize" not in str(error) and "gaps" not in str(error):
            raise
        if isinstance(y.index, pd.PeriodIndex):
            guess = y.index.freqstr
        else:
            guess = likely_freq(y.index) if isinstance(y.index, pd.DatetimeIndex) else None
            guess = guess or "D"
        raise UserError(
            f"the dates of {name} are not evenly spaced (gaps or uneven steps); pass --freq {guess} with "
            f"--fill interpolate (or --fill none to keep the gaps as missing values for the networks)"
        ) from None
    n = len(y)
    # A panel whose series start late: the latest start decides how long the first training set must be.
    shortest = n - int(np.argmax(~np.isnan(data.values), axis=0).max())
    try:
        plan = default_plan(n, freq, args.horizon, args.step, shortest=shortest)
    except ValueError:
        plan = default_plan(n, freq, 7, args.step, shortest=shortest)
        plan.chosen["horizon"] = "7 (the index's frequency implies no default; pass --horizon)"
    horizon, step, initial = plan.horizon, args.step or plan.horizon, plan.initial
    if args.initial is not None or args.cutoffs is not None:
        plan.chosen.pop("cutoffs")
        initial = args.initial if args.initial is not None else n - horizon - step * (args.cutoffs - 1)
    cutoffs = args.cutoffs or (n - horizon - initial) // step + 1
    shortest = min(60, n // 2) if args.cutoffs is None else max(min(60, n // 2), n // 4)
    if initial < max(shortest, 10):
        raise UserError(
            f"the series has {n} observations, too few for {cutoffs} cutoffs every {step} periods with horizon "
            f"{horizon}; lower --cutoffs, --step or --horizon, or set --initial"
        )
    args.chosen = plan.chosen
    return horizon, step, initial


def _run(args: argparse.Namespace, names: list[str], baseline: str) -> None:
    from tsrnn import compare

    args.covariates, args.calendar = _split_list(args.covariates), _split_list(args.calendar)
    out = _check_out(args.out)
    y, X = _load_series(args)
    horizon, step, initial = _plan(y, args)
    models = {name: build_model(name, horizon, args) for name in names}
    if args.intervals == "adaptive":
        from tsrnn import AdaptiveConformal

        neural = [n for n in names if n in ("rnn", "lstm", "gru")]
        if neural and args.warm_start is not False:
            print(f"note: the adaptive wrapper refits {', '.join(neural)} from scratch at every refit; warm starts "
                  "(--warm-start) do not apply to it.")  # fmt: skip
        # The same point forecasts; the intervals calibrated online on each model's recent errors.
        models = {n: AdaptiveConformal(m, coverage=args.coverage, horizon=horizon) for n, m in models.items()}
    if args.initial is None and args.cutoffs is None:
        initial = _first_window_that_fits(models, y, horizon, step, initial, args.chosen)
    # A panel's series may start late; they must all run to the last date, where the forecasts start.
    frame = y.to_frame() if isinstance(y, pd.Series) else y
    ended = frame.isna().iloc[-1]
    if isinstance(y, pd.DataFrame) and ended.any():
        series = str(ended.idxmax())
        raise UserError(
            f"series {series!r} ends on {frame[series].last_valid_index()}, before the last date of the others "
            f"({frame.index[-1]}); the models forecast every series from the same last date: leave it out of the "
            f"file, or cut the file at its end"
        )
    inside = frame.isna() & frame.ffill().notna() & frame.bfill().notna()
    counts = inside.sum()
    gaps = int(counts.sum())
    refusing = [n for n, m in models.items() if not getattr(m, "allows_missing", False)]
    if gaps and refusing:
        where = f"column {y.name!r}" if isinstance(y, pd.Series) else f"series {counts.idxmax()!r}"
        gaps = gaps if isinstance(y, pd.Series) else int(counts.max())
        raise UserError(
            f"{where} has {gaps} missing value(s), which {', '.join(refusing)} cannot use; fill them "
            f"with --fill interpolate (or --fill ffill), or compare only models that train around gaps "
            f"(ridge, rnn, lstm, gru)"
        )
    covariates = None
    if X is not None:
        # AutoReg needs every covariate over the horizon: the past-only --covariates go to the models that take them.
        takers = [n for n, m in models.items() if m.get_covariates().support == "both"]
        covariates = {n: X for n in takers}
        skipped = [n for n in names if n not in takers and n not in ("naive", "seasonal", "drift")]
        if skipped:
            print(f"note: {', '.join(skipped)} cannot use past-only covariates; they run without --covariates.")
    start = time.perf_counter()
    comparison = compare(
        models, y, covariates, horizon=horizon, step=step, initial=initial, refit=args.refit, warm_start=args.warm_start,
        coverage=args.coverage, quantiles=DEFAULT_QUANTILES if args.quantiles == "default" else args.quantiles,
        baseline=baseline, n_jobs=args.n_jobs,
        progress=not args.quiet,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    comparison.provenance["call"] = narrative.command_line(getattr(args, "argv", None))
    comparison.settings["chosen"] = {**args.chosen, **comparison.settings["chosen"]}
    _spreadsheet_safe(comparison.scores.reset_index()).to_csv(out / "scores.csv", index=False)
    _spreadsheet_safe(comparison.forecasts).to_csv(out / "forecasts.csv", index=False)
    comparison.to_html(out / "report.html")
    print(comparison.headline())
    print()
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(comparison.summary().to_string(sparsify=False))
    print()
    for sentence in comparison.verdicts():
        print(sentence)
    print(f"\n{len(comparison.results)} models, {comparison.results[baseline].cutoffs.size} cutoffs, "
          f"horizon {horizon}, {seconds:.1f} s. Wrote {out / 'report.html'}, {out / 'scores.csv'}, {out / 'forecasts.csv'}.")  # fmt: skip


def _cmd_compare(args: argparse.Namespace) -> None:
    names = [m.strip().lower() for m in args.models.split(",") if m.strip()]
    if not names:
        raise UserError("--models is empty; name at least one model")
    unknown = [n for n in names if n not in MODEL_NAMES]
    if unknown:
        raise UserError(f"unknown model {unknown[0]!r}; choose from {', '.join(MODEL_NAMES)}")
    _run(args, list(dict.fromkeys(names)), baseline=names[0] if "naive" not in names else "naive")


def _cmd_backtest(args: argparse.Namespace) -> None:
    name = args.model.strip().lower()
    if name not in MODEL_NAMES:
        raise UserError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")
    _run(args, [name], baseline=name)


def _grid_value(text: str) -> Any:
    """One value of --grid: an int, a float, true/false, none, a list joined by '+', or text."""
    if "+" in text:
        return [_grid_value(part) for part in text.split("+")]
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "none":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _parse_grid(items: list[str], model: Any) -> dict[str, list]:
    grid = {}
    for item in items:
        name, sep, values = item.partition("=")
        if not sep or not name or not values:
            raise UserError(f"--grid takes NAME=V1,V2,... items (e.g. window=14,30,60); got {item!r}")
        parsed = [_grid_value(v) for v in values.split(",") if v != ""]
        if name == "calendar":  # a single feature name stands for a one-feature list
            parsed = [[v] if isinstance(v, str) else v for v in parsed]
        grid[name.replace("-", "_")] = parsed
    known = model.get_params(deep=False)
    unknown = [n for n in grid if n not in known]
    if unknown:
        raise UserError(
            f"--grid names {unknown[0]!r}, which the model does not have; it has {', '.join(sorted(known))}"
        )
    return grid


def _cmd_tune(args: argparse.Namespace) -> None:
    from tsrnn import NaiveForecaster, SearchCV, backtest
    from tsrnn.nested import search_markdown

    name = args.model.strip().lower()
    if args.intervals != "own" or args.quantiles != "default":
        raise UserError("--intervals and --quantiles apply to compare and backtest, not to tune, which scores MASE")
    args.covariates, args.calendar = _split_list(args.covariates), _split_list(args.calendar)
    out = _check_out(args.out)
    y, _ = _load_series(args)
    horizon, step, initial = _plan(y, args)
    model = build_model(name, horizon, args)
    grid = _parse_grid(args.grid, model)
    halving = {}
    if args.method == "halving":
        halving = {"factor": args.factor, "resource": args.resource, "min_resources": args.min_resources,
                   "max_resources": args.max_resources, "final_refit": args.final_refit}  # fmt: skip
    elif (args.resource != "cutoffs" or args.min_resources or args.max_resources or args.factor != 3
          or args.final_refit is not None):  # fmt: skip
        raise UserError(
            "--resource, --min-resources, --max-resources, --factor and --final-refit apply to --method halving only"
        )
    search = SearchCV(
        model, grid if args.method != "random" else None, grid if args.method == "random" else None,
        horizon=horizon, method=args.method, n_iter=args.n_iter, n_jobs=args.n_jobs, random_state=args.seed,
        refit=args.inner_refit, warm_start=args.warm_start, progress=not args.quiet, **halving,
    )  # fmt: skip
    search.fit(y)
    optimism = baseline = None
    if args.nested:
        folds = {"horizon": horizon, "step": step, "initial": initial, "refit": args.refit}
        optimism = search.optimism(y, progress=not args.quiet, **folds)
        naive = backtest(NaiveForecaster(), y, progress=False, **folds)
        baseline = float(naive.score([search.scoring]).iloc[0, 0])
    text = search_markdown(search, optimism, baseline)
    (out / "tuning.md").write_text(text, encoding="utf-8")
    _spreadsheet_safe(search.cv_results_.drop(columns="params")).to_csv(out / "candidates.csv", index=False)
    print(text)
    print(f"Wrote {out / 'tuning.md'} and {out / 'candidates.csv'}.")


def _cmd_datasets(args: argparse.Namespace) -> None:
    table = list_datasets()[["frequency", "start", "end", "length", "target", "columns"]]
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(table.to_string())


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_argument_group("data")
    source.add_argument("--dataset", default="seattle-weather", help="a shipped dataset (see `tsrnn datasets`)")
    source.add_argument("--csv", default=None, help="a CSV file of your own instead of --dataset")
    source.add_argument(
        "--date-column",
        default=None,
        help="the date column of --csv: dates, years, year-months, year-quarters, ISO weeks (default: 'date', else "
        "year and month or quarter columns together, else the one column named like a date, e.g. Date or "
        "timestamp, else the first column when it holds dates)",
    )
    source.add_argument("--sep", default=None, help="the separator of --csv (default: sniffed from the file)")
    source.add_argument("--dayfirst", action="store_true", help="read dates of --csv as dd/mm/yyyy")
    source.add_argument("--freq", default=None, help="put the series on this frequency, e.g. D, W-SUN, MS, h")
    source.add_argument(
        "--fill",
        choices=("interpolate", "ffill", "none"),
        default=None,
        help="fill missing periods and values: interpolate, ffill, or none (leave gaps for the networks)",
    )
    source.add_argument(
        "--target",
        default=None,
        help="the column to forecast (default: the dataset's main one; for --csv, its one column of values); "
        "several, comma-separated, compare the models on each series of the panel",
    )
    source.add_argument(
        "--id-column",
        default=None,
        help="the column naming the series of a --csv in long format, one row per series and date (default: the "
        "one text column, when the dates repeat)",
    )
    source.add_argument("--last", type=_positive, default=None, help="use only the last N observations")
    folds = parser.add_argument_group("folds")
    folds.add_argument(
        "--horizon",
        type=_positive,
        default=None,
        help="periods per forecast (default: 24 hourly, 7 daily, 5 business days, 4 weekly, 12 monthly, 4 quarterly, 5 yearly)",
    )
    folds.add_argument("--step", type=_positive, default=None, help="periods between cutoffs (default: the horizon)")
    folds.add_argument(
        "--cutoffs",
        type=_positive,
        default=None,
        help="number of cutoffs when --initial is not set (default: up to 52, leaving half the series to train on)",
    )
    folds.add_argument("--initial", type=_positive, default=None, help="length of the first training window")
    folds.add_argument(
        "--refit",
        type=_refit,
        default=13,
        help="true, false, or k: refit every k cutoffs, update in between (default 13)",
    )
    folds.add_argument(
        "--warm-start",
        type=_warm_start,
        nargs="?",
        const=True,
        default="auto",
        help="auto: the networks' refits continue from their last fit with the measured budget, validated on "
        "windows no earlier fit trained on; true: with the model's own epochs; k: k epochs; false: refit from "
        "scratch (default auto)",
    )
    folds.add_argument("--coverage", type=float, default=0.9, help="prediction interval coverage (default 0.9)")
    folds.add_argument(
        "--intervals",
        choices=("own", "adaptive"),
        default="own",
        help="own: each model's own intervals; adaptive: every model wrapped in AdaptiveConformal, whose intervals "
        "adapt online to its recent out-of-sample errors, for errors whose scale drifts, as prices' do "
        "(default own)",
    )
    folds.add_argument(
        "--quantiles",
        type=_quantiles,
        default="default",
        help="quantile levels recorded for the calibration plot, pinball loss and CRPS, comma-separated, or none "
        f"(default {','.join(map(str, DEFAULT_QUANTILES))})",
    )
    source.add_argument("--covariates", default=None, help="comma-separated columns used as past covariates")
    source.add_argument(
        "--calendar",
        default=None,
        help="comma-separated calendar features, e.g. dayofyear,dayofweek; 'auto' chooses them from the frequency, "
        "'none' turns them off (default: each model's own)",
    )
    models = parser.add_argument_group("models")
    models.add_argument(
        "--epochs",
        type=_positive,
        default=None,
        help="maximum epochs of the neural models (default 100, early stopping)",
    )
    models.add_argument(
        "--window",
        type=_positive,
        default=None,
        help="lookback of the neural and ridge models (default: the data's, e.g. 30 days or 24 months, at most a quarter of "
        "the first training set)",
    )
    models.add_argument("--seed", type=int, default=0, help="random seed of the neural models (default 0)")
    models.add_argument(
        "--n-jobs",
        type=int,
        default=-1,
        help="parallel workers for independent folds and chains of folds; -1 every core, 1 serial (default -1)",
    )
    parser.add_argument("--out", default="report", help="output folder (default: report)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tsrnn", description="Forecast comparisons with recurrent networks and baselines."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("datasets", help="list the shipped datasets").set_defaults(run=_cmd_datasets)
    compare = commands.add_parser("compare", help="backtest several models on the same folds and write a report")
    compare.add_argument(
        "--models",
        default=DEFAULT_MODELS,
        help=f"comma-separated, from {', '.join(MODEL_NAMES)} (default {DEFAULT_MODELS})",
    )
    _add_run_options(compare)
    compare.set_defaults(run=_cmd_compare)
    backtest = commands.add_parser("backtest", help="backtest one model and write the same outputs")
    backtest.add_argument("--model", default="lstm", help=f"one of {', '.join(MODEL_NAMES)} (default lstm)")
    _add_run_options(backtest)
    backtest.set_defaults(run=_cmd_backtest)
    tune = commands.add_parser("tune", help="search a model's settings by walk-forward backtests and report")
    tune.add_argument("--model", default="lstm", help=f"one of {', '.join(MODEL_NAMES)} (default lstm)")
    tune.add_argument(
        "--grid", nargs="+", required=True, metavar="NAME=V1,V2",
        help="candidate values, e.g. window=14,30,60 hidden_size=32,64 calendar=none,dayofyear (a+b: a list)",
    )  # fmt: skip
    tune.add_argument("--method", choices=("grid", "random", "halving"), default="grid", help="default grid")
    tune.add_argument("--n-iter", type=_positive, default=20, help="candidates drawn by --method random")
    tune.add_argument(
        "--resource",
        default="cutoffs",
        help="what a halving round's budget counts: cutoffs, or an int parameter of the model such as epochs "
        "(default cutoffs)",
    )
    tune.add_argument("--min-resources", type=_positive, default=None, help="the first halving round's budget")
    tune.add_argument("--max-resources", type=_positive, default=None, help="the last halving round's budget")
    tune.add_argument("--factor", type=_positive, default=3, help="keep 1/factor of the candidates per round (3)")
    tune.add_argument(
        "--inner-refit",
        type=_refit,
        default=True,
        help="refit policy of the search's inner backtests: true, false or k (default true)",
    )
    tune.add_argument(
        "--final-refit",
        type=_refit,
        default=None,
        help="the inner refit policy of halving's last round (default: that of --inner-refit)",
    )
    tune.add_argument(
        "--nested", action="store_true", help="also run the search inside every outer fold and report how it flatters"
    )
    _add_run_options(tune)
    for action in tune._actions:
        if action.dest == "warm_start":
            # In a search the refits are the candidates' inner ones: from scratch unless asked, as the grid is measured.
            action.default = False
            action.help = (
                "warm refits in the search's inner backtests (and halving's rounds that refit): auto, true, false or "
                "k epochs, as for compare (default false: from scratch)"
            )
    tune.set_defaults(run=_cmd_tune)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 success, 2 a user error)."""
    args = _parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    with warnings.catch_warnings():
        # A shell user reads warnings as one line each, not as a source line and a category.
        warnings.showwarning = lambda message, *_, **__: print(f"tsrnn: warning: {message}", file=sys.stderr)
        try:
            args.run(args)
        except (UserError, ValueError, TypeError) as error:
            print(f"tsrnn: error: {error}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
