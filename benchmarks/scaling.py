"""Fit time against series length, and fit time and peak memory against the number of series in a global model.

Each series-count measurement runs in a fresh process (the same torch thread
count as the caller): it builds the panel, fits once on a small slice of it
(lazy imports and torch's first-call set-up), resets the process's peak
resident memory, fits one epoch, and reports the fit seconds and the peak RSS above
the RSS before the fit (the panel itself and the imported libraries are not
counted).

    OMP_NUM_THREADS=1 python benchmarks/scaling.py                      # series counts 1 to 10,000
    OMP_NUM_THREADS=1 python benchmarks/scaling.py --write              # also the Scaling section of RESULTS.md
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from tsrnn import LSTMForecaster

HERE = Path(__file__).resolve().parent
TITLE = "Scaling"
SETTINGS = {"window": 30, "hidden_size": 32, "batch_size": 256, "epochs": 1, "patience": None, "random_state": 0}

_BY_SERIES = """
import json, time
import numpy as np, torch
import tsrnn.neural.forecaster as forecaster_module
import tsrnn.neural.training as training_module
from tsrnn import LSTMForecaster

torch.set_num_threads({threads})
MAX_BATCHES = {max_batches}

def status(field):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field + ":")) / 1024

# Timing marks without changing the work: when training starts (its window counts), when each batch of
# windows is gathered, and (with MAX_BATCHES) a stop after that many training batches.
marks, calls = {{}}, []
real_train, real_call = forecaster_module.train, training_module.WindowBatches.__call__

class Stop(Exception):
    pass

def timed_train(network, batches, train_starts, val_starts, config, *args, **kwargs):
    marks.update(train_start=time.perf_counter(), n_train=len(train_starts), n_val=len(val_starts))
    try:
        return real_train(network, batches, train_starts, val_starts, config, *args, **kwargs)
    finally:
        marks["train_end"] = time.perf_counter()

def counted_call(self, starts):
    if MAX_BATCHES and sum(size <= {batch} for size, _ in calls) >= MAX_BATCHES:
        raise Stop
    calls.append((len(starts), time.perf_counter()))
    return real_call(self, starts)

rng = np.random.default_rng(0)
count, length = {count}, {length}
values = np.sin(np.arange(length)[:, None] / 20.0 + rng.uniform(0, 6, size=count)) * rng.uniform(1, 10, size=count)
values = values + rng.normal(scale=0.1, size=(length, count))
LSTMForecaster(**{settings}).fit(values[:200, :2])  # warm-up: lazy imports and torch's first-call set-up
forecaster_module.train, training_module.WindowBatches.__call__ = timed_train, counted_call
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # reset the peak RSS (VmHWM) to the current RSS
start = time.perf_counter()
try:
    LSTMForecaster(**{settings}).fit(values)
    seconds = time.perf_counter() - start
except Stop:
    seconds = None
batch_times = [t for size, t in calls if size <= {batch}]
print(json.dumps({{"seconds": seconds, "peak_extra_mb": status("VmHWM") - before,
                  "before_training": marks["train_start"] - start, "n_train": marks["n_train"],
                  "n_val": marks["n_val"], "batches_timed": len(batch_times) - 1,
                  "seconds_per_batch": (batch_times[-1] - batch_times[0]) / (len(batch_times) - 1),
                  "first_validation": batch_times[0] - marks["train_start"],
                  "after_training": None if seconds is None else start + seconds - marks["train_end"]}}))
"""


def _fit_seconds(values: np.ndarray) -> float:
    f = LSTMForecaster(**SETTINGS)
    start = time.perf_counter()
    f.fit(values)
    return time.perf_counter() - start


def by_length(lengths=(1_000, 10_000, 100_000, 1_000_000)) -> pd.DataFrame:
    """One epoch of LSTM(32) training, batch 256, on one series of each length."""
    rng = np.random.default_rng(0)
    _fit_seconds(np.sin(np.arange(200) / 20.0))  # warm-up: lazy imports and torch's first-call set-up
    rows = []
    for n in lengths:
        values = np.sin(np.arange(n) / 20.0) + rng.normal(scale=0.1, size=n)
        rows.append({"length": n, "seconds": _fit_seconds(values)})
    frame = pd.DataFrame(rows)
    frame["seconds_per_1k_windows"] = frame["seconds"] / (frame["length"] / 1000)
    return frame


def _measure(count: int, length: int, max_batches: int | None) -> dict:
    script = _BY_SERIES.format(
        threads=torch.get_num_threads(), count=count, length=length, settings=SETTINGS,
        batch=SETTINGS["batch_size"], max_batches=max_batches,
    )  # fmt: skip
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _estimate(measured: dict, after_training: float) -> float:
    """The fit seconds from its parts: before training, two validations, every training batch, after training."""
    batches = -(-measured["n_train"] // SETTINGS["batch_size"])
    return (
        measured["before_training"] + 2 * measured["first_validation"]
        + batches * measured["seconds_per_batch"] + after_training
    )  # fmt: skip


def by_series(
    counts=(1, 10, 100, 1_000, 10_000), length: int = 1_000, full_up_to: int = 1_000, sampled_batches: int = 1_000
) -> pd.DataFrame:
    """One epoch of a global LSTM(32) over ``count`` series of ``length`` points: seconds and peak memory.

    Counts up to ``full_up_to`` run the whole fit. Larger counts run everything before the epoch (unit-root
    tests, scaling, the linear skip, the first validation) and ``sampled_batches`` training batches, then
    stop; their seconds are extrapolated: the measured parts, every batch at the sampled time per batch, a
    second validation as long as the first, and the steps after training at the largest full run's time
    scaled by the series count. The same estimate is given for the full runs, to check it.

    Returns
    -------
    pd.DataFrame
        ``series``; ``seconds`` (the whole fit with ``epochs=1``: measured, or extrapolated where
        ``measured`` is False) and ``estimated`` (the parts-based estimate); ``seconds_per_1m_points``
        (constant if time is linear in the total length); ``before_training`` seconds; ``ms_per_batch`` (one
        training step of 256 windows, over the batches timed); ``peak_extra_mb``
        (peak RSS above the RSS before the fit, over the part that ran); ``panel_mb`` (the panel as float64).
    """
    rows, reference = [], None
    for count in counts:
        full = count <= full_up_to
        measured = _measure(count, length, None if full else sampled_batches)
        if full:
            reference = (count, measured["after_training"])
        after = measured["after_training"] if full else reference[1] * count / reference[0]
        estimated = _estimate(measured, after)
        rows.append(
            {
                "series": count,
                "measured": full,
                "seconds": measured["seconds"] if full else estimated,
                "estimated": estimated,
                "before_training": measured["before_training"],
                "ms_per_batch": 1000 * measured["seconds_per_batch"],
                "peak_extra_mb": measured["peak_extra_mb"],
            }
        )
        print(rows[-1], measured, flush=True)
    frame = pd.DataFrame(rows)
    frame.insert(4, "seconds_per_1m_points", frame["seconds"] / (frame["series"] * length / 1e6))
    frame["panel_mb"] = frame["series"] * length * 8 / 2**20
    return frame


def plot(length: pd.DataFrame, series: pd.DataFrame, path: str) -> None:
    """Log-log plot of both scalings, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    axes[0].loglog(length["length"], length["seconds"], marker="o")
    axes[0].set_xlabel("series length (points)")
    axes[0].set_ylabel("seconds for one epoch")
    axes[0].set_title("Fit time vs series length")
    axes[1].loglog(series["series"], series["seconds"], marker="o", color="tab:orange", label="seconds")
    axes[1].set_xlabel("number of series (1,000 points each)")
    axes[1].set_ylabel("seconds for one epoch")
    axes[1].set_title("Global model: fit time and peak memory vs number of series")
    if "peak_extra_mb" in series:
        memory = axes[1].twinx()
        memory.loglog(series["series"], series["peak_extra_mb"].clip(lower=1), marker="s", color="tab:green")
        memory.set_ylabel("peak memory above the panel's (MB)", color="tab:green")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _spread(values: pd.Series) -> str:
    return f"{values.min():,.1f}-{values.max():,.1f}"


def body(length: pd.DataFrame, series: pd.DataFrame, image: str) -> str:
    """The Markdown of the Scaling section (without its title), its sentences read off the tables."""
    import os

    from run import _table

    big = series[series["series"] >= 100]
    time_ratio = big["seconds_per_1m_points"].max() / big["seconds_per_1m_points"].min()
    before = big["before_training"] / big["series"] * 1000
    before_ratio = before.max() / before.min()
    per_point = big["peak_extra_mb"] / (big["series"] * 1000 / 1e6)
    memory_ratio = per_point.max() / per_point.min()
    sampled = series.loc[~series["measured"], "series"].tolist()
    words = {True: "linear in the total length", False: "not linear in the total length"}
    text = (
        "One epoch of LSTM(32), batch 256, window 30 (the whole `fit` with `epochs=1`: unit-root tests, scaling, "
        f"the linear skip, one epoch and its validation), torch threads {torch.get_num_threads()}. The series "
        "table: a global network over that many series of 1,000 points each, each count in a fresh process; "
        "`before_training` is the part of `fit` before the first epoch, `peak_extra_mb` the peak RSS of the fit "
        "above the RSS before it (the panel and the libraries excluded), `panel_mb` the panel as float64; "
        "`estimated` puts the fit together from its measured parts (before training, two validations, every "
        "training batch at the measured time per batch, the steps after training)"
    )
    if sampled:
        text += (
            f". For {', '.join(f'{c:,}' for c in sampled)} series (`measured` False) the fit ran up to the epoch and "
            "its first 1,000 training batches, then stopped: `seconds` is that estimate, with the steps after "
            "training scaled from the largest full run, and the peak memory is over the part that ran (which "
            "includes the validation pass over all validation windows at once before the first epoch)"
        )
    text += (
        ".\n\n" + _table(length) + "\n\n" + _table(series) + "\n\n"
        f"From 100 series up, seconds per million points lie within {_spread(big['seconds_per_1m_points'])} "
        f"(a ratio of {time_ratio:.2f}). Its two parts: the work before the epoch takes {_spread(before)} s per "
        f"1,000 series (ratio {before_ratio:.2f}, {words[before_ratio <= 1.5]}), and the epoch is a number of "
        "batches proportional to the windows, each taking "
        f"{_spread(big['ms_per_batch'])} ms: the same work per batch, whose spread is the load of the shared "
        "machine during the run, not the series count. Peak memory above the panel is "
        f"{_spread(per_point)} MB per million points over the same counts (ratio {memory_ratio:.2f}): "
        f"{words[memory_ratio <= 1.5]}, {series['peak_extra_mb'].iloc[-1] / series['panel_mb'].iloc[-1]:.0f}x the "
        f"panel's own size at {series['series'].iloc[-1]:,} series. Load average at the end of the run: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (absolute seconds are inflated when the machine is "
        f"shared; the ratios within one run are what to read).\n\n![fit time scaling]({image})"
    )
    return text


def main() -> None:
    import argparse

    sys.path.insert(0, str(HERE))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the Scaling section of RESULTS.md")
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 10, 100, 1_000, 10_000])
    parser.add_argument("--lengths", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    length, series = by_length(tuple(args.lengths)), by_series(tuple(args.counts))
    print(length.to_string(), series.to_string(), sep="\n")
    if args.write:
        from panels import write_section

        plot(length, series, str(HERE / "scaling.png"))
        write_section(body(length, series, "scaling.png"), HERE / "RESULTS.md", TITLE)


if __name__ == "__main__":
    main()
