"""Peak memory of windowing and of training on a 10-million-point series with window 256.

Materialising every window would take n_windows * window * 4 bytes (about 10 GB
here); tsrnn's windows are views, so memory must stay a small multiple of the
series itself. Each measurement runs in a fresh process and reads its peak RSS.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

N_POINTS = 10_000_000
WINDOW = 256

_WINDOWING = """
import json, numpy as np
from tsrnn import make_windows

def rss():
    # Current resident memory: the lifetime peak is already raised by importing torch.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024

base = rss()
values = np.random.default_rng(0).normal(size={n}).astype(np.float32)
after_series = rss()
inputs, targets = make_windows(values, {window}, 1)
checksum = float(inputs[::1000, :, 0].sum())  # read windows across the whole series
after_windows = rss()
print(json.dumps({{"base_mb": base, "series_mb": after_series - base,
                  "windowing_extra_mb": after_windows - after_series, "n_windows": len(inputs)}}))
"""

_TRAINING = """
import numpy as np
from tsrnn import LSTMForecaster
values = np.sin(np.arange({n}) / 50.0) + np.random.default_rng(0).normal(scale=0.1, size={n})
LSTMForecaster(window={window}, hidden_size=32, batch_size=256, epochs=1, patience=None,
               validation_fraction=0.0, random_state=0).fit(values)
"""


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def windowing(n: int = N_POINTS, window: int = WINDOW) -> dict:
    """Extra peak RSS of ``make_windows`` over the series itself."""
    out = subprocess.run(
        [sys.executable, "-c", _WINDOWING.format(n=n, window=window)], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    result["materialised_mb"] = result["n_windows"] * window * 4 / 2**20
    return result


def training(n: int = N_POINTS, window: int = WINDOW, seconds: float = 45.0) -> dict:
    """Peak RSS while one epoch of LSTM training runs (sampled for ``seconds``, then stopped).

    A full epoch over 10 million windows of 256 steps takes hours on a laptop
    CPU; the memory profile is set by the first batches (one gather of
    ``batch_size`` windows each), so the peak over the first ``seconds`` is
    the peak of the epoch.
    """
    process = subprocess.Popen([sys.executable, "-c", _TRAINING.format(n=n, window=window)])
    peak, start = 0.0, time.perf_counter()
    try:
        while process.poll() is None and time.perf_counter() - start < seconds:
            peak = max(peak, _rss_mb(process.pid))
            time.sleep(0.2)
    finally:
        process.kill()
        process.wait()
    series_mb = n * 8 / 2**20
    return {"peak_rss_mb": peak, "series_float64_mb": series_mb, "materialised_windows_mb": (n - window) * window * 4 / 2**20,
            "sampled_seconds": seconds}  # fmt: skip


if __name__ == "__main__":
    print(windowing())
    print(training())
