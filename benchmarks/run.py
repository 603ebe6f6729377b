"""Run tsrnn's benchmarks and write benchmarks/RESULTS.md.

    python benchmarks/run.py            # the full run (about an hour on 2 CPU cores)
    python benchmarks/run.py --quick    # a smaller run, under 5 minutes

Every speed figure is a ratio measured in the same run (tsrnn against a
reference, interleaved, median of several runs), since absolute times drift on
shared machines. Peers (darts) are measured when importable; see peers.py.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import accuracy  # noqa: E402
import backtests  # noqa: E402
import corpus  # noqa: E402
import covariates  # noqa: E402
import intervals  # noqa: E402
import memory  # noqa: E402
import panels  # noqa: E402
import peers  # noqa: E402
import scaling  # noqa: E402
import search  # noqa: E402
import training  # noqa: E402


def _machine() -> str:
    import numpy
    import sklearn
    import statsmodels
    import torch

    import tsrnn

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    return (
        f"- date: {datetime.date.today()}\n- machine: {os.cpu_count()} CPU cores ({cpu}), GPU: {gpu}\n"
        f"- python {platform.python_version()}, torch {torch.__version__} (threads {torch.get_num_threads()}), "
        f"numpy {numpy.__version__}, pandas {pd.__version__}, statsmodels {statsmodels.__version__}, "
        f"scikit-learn {sklearn.__version__}, tsrnn {tsrnn.__version__}"
    )


def _table(frame: pd.DataFrame, digits: int = 3) -> str:
    frame = frame.reset_index() if frame.index.name or isinstance(frame.index, pd.MultiIndex) else frame
    frame = frame.round(digits)
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = [
        "| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows])


_INTERVALS_TEXT = (
    "S&P 500 and WTI (last 1,000 business days, horizon 5, 50 cutoffs every 5 days) and Seattle temp_max (horizon "
    "7, 52 weekly cutoffs). Every model is fitted at the first cutoff and only updated after it (`refit=False`); "
    "`adaptive` wraps it in `AdaptiveConformal(coverage=nominal, horizon=h, refit=False)`. Coverage and interval "
    "score of the central interval, CRPS from 19 quantiles (0.05 to 0.95), seconds of the whole backtest.\n\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run, under 5 minutes")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"), help="where to write the results")
    parser.add_argument(
        "--search", action="store_true", help="also run the accuracy settings search (about two more hours)"
    )
    args = parser.parse_args()
    quick = args.quick
    sections = [f"# tsrnn benchmarks{' (quick run)' if quick else ''}\n", _machine(), ""]
    started = time.perf_counter()

    def section(title: str, body: str) -> None:
        print(f"\n## {title}\n{body}", flush=True)
        sections.append(f"## {title}\n\n{body}\n")

    rows = training.throughput(
        cells=("lstm",) if quick else ("rnn", "lstm", "gru"),
        hiddens=(32,) if quick else (32, 64, 128),
        batches=(32, 256),
        epochs=3 if quick else 5,
        repeats=3,
    )
    section(
        "Training throughput against a bare PyTorch loop",
        "Windows per second on Seattle temp_max (window 30). `same work`: tsrnn without the validation split and "
        "gradient clipping, i.e. exactly the bare loop's work; `default`: tsrnn's defaults (10% validation windows "
        "evaluated every epoch, gradient clipping), counting training windows only. Both model levels like the bare "
        'loop; with `difference="auto"` each fit also runs ADF and KPSS tests, a fixed '
        f"{training.unit_root_seconds() * 1000:.0f} ms per fit on this series.\n\n" + _table(pd.DataFrame(rows), 2),
    )

    bt = backtests.run(quick=quick, darts=not quick)
    section(backtests.TITLE, backtests.TEXT + "\n\n" + _table(bt.drop(columns=["mae"]), 4))

    if peers.available() and not quick:
        darts_fit = peers.darts_fit_throughput()
        section(
            "Peers: darts",
            f"darts RNNModel(LSTM), the settings of the weather task. One fit: {darts_fit['seconds']:.1f} s "
            f"({darts_fit['windows_per_s']:.0f} windows/s). Its backtests are in the table of the previous section.",
        )
    elif not peers.available():
        section(
            "Peers: darts", "darts is not installed here: skipped. " + peers.__doc__.split("\n\n")[1].replace("\n", " ")
        )

    mem = memory.windowing(n=1_000_000 if quick else memory.N_POINTS)
    train_mem = memory.training(n=1_000_000 if quick else memory.N_POINTS, seconds=10 if quick else 45)
    section(
        "Memory",
        f"Windowing {mem['n_windows']:,} windows of 256 points: {mem['windowing_extra_mb']:.1f} MB beyond the series "
        f"({mem['series_mb']:.0f} MB as float32); materialised windows would take {mem['materialised_mb']:,.0f} MB.\n\n"
        f"One LSTM(32) epoch, batch 256, window 256 on the same series: peak RSS {train_mem['peak_rss_mb']:.0f} MB "
        f"(sampled over the first {train_mem['sampled_seconds']:.0f} s; the series itself is "
        f"{train_mem['series_float64_mb']:.0f} MB as float64; materialised windows would take "
        f"{train_mem['materialised_windows_mb']:,.0f} MB).",
    )

    lengths = (1_000, 10_000, 100_000) if quick else (1_000, 10_000, 100_000, 1_000_000)
    counts = (1, 10, 100) if quick else (1, 10, 100, 1_000, 10_000)
    by_length, by_series = scaling.by_length(lengths), scaling.by_series(counts)
    plot_path = Path(args.out).resolve().parent / ("scaling_quick.png" if quick else "scaling.png")
    scaling.plot(by_length, by_series, str(plot_path))
    section(scaling.TITLE, scaling.body(by_length, by_series, plot_path.name))

    if not quick:
        if args.search:
            section(
                "Accuracy: settings searched on a tuning period",
                "MASE on the tuning period (weather: cutoffs in 2014; S&P 500: the 250 business days before the "
                "held-out ones), which ends where the held-out period starts; one setting changed at a time from the "
                "defaults, mean and range over seeds 0-2. Refit every 13 cutoffs.\n\n" + _table(accuracy.search()),
            )
        held = accuracy.held_out()
        section(
            "Accuracy: defaults on the held-out period",
            "Weather: Seattle temp_max, horizon 7, 52 weekly cutoffs over 2015. S&P 500: adjusted close, last 1,000 "
            "business days, horizon 5, 50 cutoffs every 5 days. Refit every 13 cutoffs, updates in between. "
            "Diebold-Mariano tests on absolute errors with the Harvey-Leybourne-Newbold correction.\n\n" + _table(held),
        )
        section(
            "Accuracy: seed ensembles",
            "Weather held-out period as above: MASE of `n_ensemble` members averaged, mean and range over seeds 0-1, "
            "and the fit seconds of one backtest.\n\n" + _table(accuracy.ensembles()),
        )
        section(
            "Calibrated intervals: adaptive conformal against each model's own",
            _INTERVALS_TEXT + _table(intervals.run()),
        )
        head = intervals.quantile_head()
        section(
            "The networks' quantile head against their conformal intervals",
            "Seattle temp_max, horizon 7, 52 weekly cutoffs over the last 364 days, refit every 13 cutoffs and "
            'updated in between; `conformal` is the default network (`loss="mse"`), `quantile head` the same '
            'network with `loss="quantile"`. CRPS from the 19 levels 0.05 to 0.95, coverage of the 80% and 90% '
            "intervals, MAE of the point forecast, fit seconds of all folds; mean over seeds 0-2.\n\n"
            + _table(head.drop(columns=["seed", "task"]).groupby(["model", "intervals"]).mean()),
        )
        section(
            "Covariates",
            "Seattle temp_max with temp_min, precipitation and wind as past covariates and dayofyear as calendar "
            "feature (AR: calendar only), horizon 7, 52 weekly cutoffs, refit every 13.\n\n" + _table(covariates.run()),
        )
        if corpus.available():
            section(corpus.TITLE, corpus.body(corpus.run("all", corpus.MODELS, {}, {}, jobs=2)))
        else:
            section(corpus.TITLE, 'The corpus packages are not installed here: skipped (`pip install -e ".[bench]"`).')
        tables, _ = panels.run()
        section(panels.TITLE, panels.body(tables))
        searched, extra = search.run()
        references = ", ".join(f"{name} {score:.4f}" for name, score in extra["references"].items())
        section(
            "Hyper-parameter search: nested evaluation, optimism, halving",
            search.__doc__.split("\n\n")[1].replace("\n", " ")
            + "\n\n"
            + _table(searched.set_index("method"), 4)
            + f"\n\nReferences on the same outer folds: {references}.",
        )

    sections.append(f"Total benchmark time: {time.perf_counter() - started:.0f} s.\n")
    Path(args.out).write_text("\n".join(sections), encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
