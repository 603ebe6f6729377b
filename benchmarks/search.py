"""Hyper-parameter search over backtests: nested out-of-sample score, optimism, and halving against the full grid.

Task: Seattle daily temp_max, horizon 7, 52 weekly cutoffs over the last year
(the shipped weather task). A 12-candidate LSTM search (window, hidden size,
learning rate, calendar features) runs inside every outer training window at
a refit every 13 cutoffs, its choice updated with the new observations in
between; each search scores its candidates on the last 5 weekly cutoffs of
its training data. The same nested evaluation is run with the full grid
(refit at every inner cutoff), with successive halving over training epochs
(``HALVING``: all 12 candidates trained 2 epochs, the best 4 trained 6, the
best 2 trained as set; each candidate fitted once per round at the first
inner cutoff and updated through the other 4), and, as a control, with the
full grid scored the way halving scores (one fit per candidate, updated). The
table gives each one's time (the searches and the outer forecasts together),
the mean inner best score (what the searches promised), the outer MASE (what
their choices earned) and the ratio.

    python benchmarks/search.py            # the full run
    python benchmarks/search.py --quick    # 3 epochs per fit, to check that it runs
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from tsrnn import ARForecaster, LSTMForecaster, NaiveForecaster, SearchCV, backtest
from tsrnn.datasets import load_dataset

GRID = [
    {"window": [30, 60], "hidden_size": [32, 64], "learning_rate": [1e-3, 3e-3]},
    {"window": [30, 60], "calendar": [["dayofyear"]], "learning_rate": [1e-3, 3e-3]},
]
#: The search methods compared: label -> SearchCV settings. Halving's settings were chosen on the first search's
#: inner folds only (before the outer year): trained 2 epochs, fitted once and updated, the 12 candidates already
#: rank the full grid's best 4 first; trained 6 epochs, the full grid's best 2.
METHODS = {
    "grid": {"method": "grid"},
    "halving (epochs)": {"method": "halving", "resource": "epochs", "min_resources": 2, "factor": 3, "refit": False},
    "grid, refit=False": {"method": "grid", "refit": False},
    # The same rounds, the last one (the two finalists at the set epochs) scored as the grid scores: a refit at
    # every inner cutoff.
    "halving (epochs), finalists refitted": {
        "method": "halving", "resource": "epochs", "min_resources": 2, "factor": 3, "refit": False,
        "final_refit": True,
    },
    # The same, the finalists' refits at every inner cutoff warm-started (as compare's default): the first from
    # scratch, the next ones continued for at most 3 epochs and validated on windows no earlier fit trained on.
    "halving (epochs), finalists warm-refitted": {
        "method": "halving", "resource": "epochs", "min_resources": 2, "factor": 3, "refit": False,
        "final_refit": True, "warm_start": "auto",
    },
}  # fmt: skip


def run(quick: bool = False, n_jobs: int = 1, methods=None) -> tuple[pd.DataFrame, dict]:
    """The nested evaluations, one row per search method, and the outer scores of the references."""
    y = load_dataset("seattle-weather")["temp_max"]
    outer = {"horizon": 7, "initial": len(y) - 364, "refit": 13}
    base = LSTMForecaster(horizon=7, random_state=0, **({"epochs": 3} if quick else {}))
    rows, chosen = [], {}
    # With a selection, the grid runs last: a machine that gets quieter during the run never flatters the others.
    order = list(METHODS) if methods is None else [m for m in METHODS if m in methods and m != "grid"] + ["grid"]
    for method in order:
        settings = METHODS[method]
        if quick and "min_resources" in settings:
            settings = {**settings, "min_resources": 1}  # 3 epochs per fit leave no room for 2, 6, then 3
        search = SearchCV(base, GRID, horizon=7, n_jobs=n_jobs, progress=False, **settings)
        start, cpu = time.perf_counter(), time.process_time()
        optimism = search.optimism(y, **outer)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        chosen[method] = optimism.fits
        rows.append(
            {
                "method": method,
                "candidates": len(search.candidates()),
                "outer fits": len(optimism.fits),
                "seconds": round(seconds, 1),
                # CPU seconds of this process: on one worker and one thread, what the search cost, much less moved
                # than wall time by other work sharing the machine.
                "cpu seconds": round(cpu, 1),
                "inner MASE (promised)": round(optimism.inner_score, 4),
                "outer MASE (earned)": round(optimism.outer_score, 4),
                "ratio": round(optimism.ratio, 3),
            }
        )
    table = pd.DataFrame(rows)
    grid_seconds = table.loc[table["method"] == "grid", "seconds"].iloc[0]
    table["time vs grid"] = (table["seconds"] / grid_seconds).round(3)
    grid_cpu = table.loc[table["method"] == "grid", "cpu seconds"].iloc[0]
    table["cpu vs grid"] = (table["cpu seconds"] / grid_cpu).round(3)
    references = {
        name: backtest(model, y, progress=False, **outer).score(["mase"]).iloc[0, 0]
        for name, model in {
            "naive": NaiveForecaster(),
            "AR(AIC)": ARForecaster(),
            "LSTM defaults": base,
        }.items()
    }
    return table, {"references": references, "chosen": chosen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 epochs per fit")
    parser.add_argument("--n-jobs", type=int, default=1, help="workers for the candidates' folds (default 1)")
    parser.add_argument("--methods", nargs="+", default=None, choices=list(METHODS), help="besides the grid")
    args = parser.parse_args()
    table, extra = run(args.quick, args.n_jobs, args.methods)
    print("| " + " | ".join(table.columns) + " |")
    print("|" + "|".join("---" for _ in table.columns) + "|")
    for row in table.itertuples(index=False):
        print("| " + " | ".join(str(v) for v in row) + " |")
    print()
    for name, score in extra["references"].items():
        print(f"{name}: outer MASE {score:.4f}")
    for method, fits in extra["chosen"].items():
        print(f"\n{method}: chosen at each outer fit")
        print(fits.to_string(index=False))


if __name__ == "__main__":
    main()
