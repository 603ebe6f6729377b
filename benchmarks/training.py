"""Training throughput of tsrnn's recurrent forecasters against a bare PyTorch loop.

Both train on the same windows of the Seattle daily temp_max series with the
same batch size and epochs; runs are interleaved (A B A B ...) and the median
of each is kept, so the ratio is robust to a busy machine.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import torch
from torch import nn

from tsrnn import RecurrentForecaster
from tsrnn.datasets import load_dataset

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def bare_loop(cell: str, z: np.ndarray, window: int, hidden: int, batch: int, epochs: int, seed: int = 0) -> float:
    """A minimal hand-written loop over pre-built window tensors; returns seconds."""
    torch.manual_seed(seed)
    x = torch.as_tensor(np.lib.stride_tricks.sliding_window_view(z[:-1], window).copy(), dtype=torch.float32)
    x = x.unsqueeze(-1)
    y = torch.as_tensor(z[window:], dtype=torch.float32).unsqueeze(-1)
    rnn = CELLS[cell](1, hidden, batch_first=True)
    head = nn.Linear(hidden, 1)
    optimizer = torch.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=1e-3)
    loss_fn = nn.MSELoss()
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            idx = order[i : i + batch]
            out, _ = rnn(x[idx])
            loss = loss_fn(head(out[:, -1]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


def tsrnn_fit(cell: str, values: np.ndarray, window: int, hidden: int, batch: int, epochs: int, **extra) -> float:
    """Seconds of RecurrentForecaster.fit (whole fit, validation included unless disabled)."""
    # Levels, as in the bare loop: the unit-root tests of difference="auto" are a fixed cost per fit
    # (see unit_root_seconds), not part of the training loop measured here.
    f = RecurrentForecaster(
        cell=cell, window=window, hidden_size=hidden, batch_size=batch, epochs=epochs, patience=None,
        random_state=0, device="cpu", difference=False, **extra,
    )  # fmt: skip
    start = time.perf_counter()
    f.fit(values)
    return time.perf_counter() - start


def unit_root_seconds(repeats: int = 5) -> float:
    """Median seconds of the difference="auto" decision (ADF and KPSS) on the Seattle series."""
    from tsrnn.transforms import Differencer

    values = load_dataset("seattle-weather")[["temp_max"]].to_numpy()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        Differencer("auto").fit(values)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def throughput(cells=("rnn", "lstm", "gru"), hiddens=(32, 64, 128), batches=(32, 256), epochs=5, repeats=3):
    """Rows of windows/s for tsrnn and the bare loop, with their ratio."""
    y = load_dataset("seattle-weather")["temp_max"].to_numpy()
    window = 30
    z = (y - y.mean()) / y.std()
    n_windows = len(y) - window
    rows = []
    for cell in cells:
        for hidden in hiddens:
            for batch in batches:
                ours, bare, plain = [], [], []
                for _ in range(repeats):
                    bare.append(bare_loop(cell, z, window, hidden, batch, epochs))
                    # Same work as the bare loop: no validation split, no clipping.
                    plain.append(
                        tsrnn_fit(cell, y, window, hidden, batch, epochs, validation_fraction=0.0, gradient_clip=None)
                    )
                    ours.append(tsrnn_fit(cell, y, window, hidden, batch, epochs))
                n_train = n_windows - round(0.1 * n_windows)
                rows.append(
                    {
                        "cell": cell,
                        "hidden": hidden,
                        "batch": batch,
                        "bare_windows_per_s": n_windows * epochs / statistics.median(bare),
                        "tsrnn_same_work_windows_per_s": n_windows * epochs / statistics.median(plain),
                        "tsrnn_default_windows_per_s": n_train * epochs / statistics.median(ours),
                    }
                )
                row = rows[-1]
                row["ratio_same_work"] = row["tsrnn_same_work_windows_per_s"] / row["bare_windows_per_s"]
                row["ratio_default"] = row["tsrnn_default_windows_per_s"] / row["bare_windows_per_s"]
    return rows


if __name__ == "__main__":
    import pandas as pd

    print(pd.DataFrame(throughput(cells=("lstm",), hiddens=(32, 64), batches=(32, 64, 256))).round(2).to_string())
