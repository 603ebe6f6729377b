"""Fit time against series length and against the number of series in a global model."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from tsrnn import LSTMForecaster


def _fit_seconds(values: np.ndarray) -> float:
    f = LSTMForecaster(window=30, hidden_size=32, batch_size=256, epochs=1, patience=None, random_state=0)
    start = time.perf_counter()
    f.fit(values)
    return time.perf_counter() - start


def by_length(lengths=(1_000, 10_000, 100_000, 1_000_000)) -> pd.DataFrame:
    """One epoch of LSTM(32) training, batch 256, on one series of each length."""
    rng = np.random.default_rng(0)
    rows = []
    for n in lengths:
        values = np.sin(np.arange(n) / 20.0) + rng.normal(scale=0.1, size=n)
        rows.append({"length": n, "seconds": _fit_seconds(values)})
    frame = pd.DataFrame(rows)
    frame["seconds_per_1k_windows"] = frame["seconds"] / (frame["length"] / 1000)
    return frame


def by_series(counts=(1, 10, 100, 1_000), length: int = 1_000) -> pd.DataFrame:
    """One epoch of a global LSTM(32) over ``count`` series of ``length`` points."""
    rng = np.random.default_rng(0)
    rows = []
    for count in counts:
        values = np.sin(np.arange(length)[:, None] / 20.0 + rng.uniform(0, 6, size=count)) * rng.uniform(
            1, 10, size=count
        )
        values = values + rng.normal(scale=0.1, size=(length, count))
        rows.append({"series": count, "seconds": _fit_seconds(values)})
    frame = pd.DataFrame(rows)
    frame["seconds_per_series"] = frame["seconds"] / frame["series"]
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
    axes[1].loglog(series["series"], series["seconds"], marker="o", color="tab:orange")
    axes[1].set_xlabel("number of series (1,000 points each)")
    axes[1].set_ylabel("seconds for one epoch")
    axes[1].set_title("Global model: fit time vs number of series")
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    print(by_length((1_000, 10_000)).to_string())
    print(by_series((1, 10)).to_string())
