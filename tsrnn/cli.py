"""The ``tsrnn`` command: argument parsing and printing only; the work is done by the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from tsrnn import metrics
from tsrnn.datasets import list_datasets, load_dataset

__all__ = ["main"]


class UserError(Exception):
    """A mistake in the command line or the input data: reported in one line, no traceback."""


def _model(name: str, args: argparse.Namespace):
    from tsrnn import ARForecaster, NaiveForecaster

    factories = {
        "naive": lambda: NaiveForecaster("last"),
        "seasonal": lambda: NaiveForecaster("seasonal"),
        "drift": lambda: NaiveForecaster("drift"),
        "ar": lambda: ARForecaster(lags="aic"),
    }
    if name not in factories:
        raise UserError(f"unknown model {name!r}; choose from {', '.join(factories)}")
    return factories[name]()


def _load_target(args: argparse.Namespace) -> pd.Series:
    try:
        frame = load_dataset(args.dataset)
    except ValueError as error:
        raise UserError(str(error)) from None
    from tsrnn.datasets import _DATASETS

    target = args.target or _DATASETS[args.dataset].target
    if target not in frame.columns:
        raise UserError(f"dataset {args.dataset!r} has no column {target!r}; columns: {', '.join(frame.columns)}")
    return frame[target]


def _cmd_datasets(args: argparse.Namespace) -> None:
    table = list_datasets()[["frequency", "start", "end", "length", "columns"]]
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(table.to_string())


def _cmd_forecast(args: argparse.Namespace) -> None:
    y = _load_target(args)
    if args.horizon < 1:
        raise UserError(f"--horizon must be a positive integer, got {args.horizon}")
    if len(y) <= args.horizon + 10:
        raise UserError(f"the series has {len(y)} points, too few for --horizon {args.horizon}")
    train, test = y.iloc[: -args.horizon], y.iloc[-args.horizon :]
    forecasts, rows = {"actual": test}, []
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        forecaster = _model(name, args).fit(train)
        forecast = forecaster.predict(args.horizon)
        band = forecaster.predict_interval(args.horizon, coverage=0.9)
        forecasts[name] = forecast
        rows.append(
            {
                "model": name,
                "mae": metrics.mae(test, forecast),
                "rmse": metrics.rmse(test, forecast),
                "mase": metrics.mase(test, forecast, train),
                "coverage_90": metrics.coverage(test, band["lower"], band["upper"]),
            }
        )
    print(
        f"{args.dataset}:{y.name}, trained on {train.index[0].date()} .. {train.index[-1].date()}, "
        f"forecasting the last {args.horizon} periods\n"
    )
    print(pd.DataFrame(forecasts).round(2).to_string())
    print()
    print(pd.DataFrame(rows).set_index("model").round(3).to_string())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tsrnn", description="Forecasting with recurrent networks and baselines.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("datasets", help="list the shipped datasets").set_defaults(run=_cmd_datasets)
    forecast = commands.add_parser("forecast", help="hold out the last periods of a dataset and forecast them")
    forecast.add_argument("--dataset", default="seattle-weather", help="a name from `tsrnn datasets`")
    forecast.add_argument("--target", default=None, help="the column to forecast (default: the dataset's main one)")
    forecast.add_argument("--horizon", type=int, default=7, help="periods to forecast (default 7)")
    forecast.add_argument("--models", default="naive,seasonal,drift,ar", help="comma-separated model names")
    forecast.set_defaults(run=_cmd_forecast)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        args.run(args)
    except UserError as error:
        print(f"tsrnn: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
