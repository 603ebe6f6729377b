"""Nested evaluation of a search: the score it promised at each outer fit beside the score it earned."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from tsrnn._index import take_rows
from tsrnn.plans import plan_backtest
from tsrnn.results import BacktestResult, Fold

__all__ = ["Optimism", "nested_search", "search_markdown"]


@dataclass
class Optimism:
    """The scores a nested search promised and earned.

    Attributes
    ----------
    fits : pd.DataFrame
        One row per outer fit: ``cutoff``, the chosen ``params`` and its
        ``inner_score``.
    result : BacktestResult
        The outer (out-of-sample) forecasts of the chosen candidates.
    scoring : str
        The metric of both scores.
    """

    fits: pd.DataFrame
    result: BacktestResult
    scoring: str

    @property
    def inner_score(self) -> float:
        """Mean of the inner best scores: what the search promised."""
        return float(self.fits["inner_score"].mean())

    @property
    def outer_score(self) -> float:
        """The score of the outer forecasts: what the search's choices earned."""
        return float(self.result.score([self.scoring]).iloc[0, 0])

    @property
    def ratio(self) -> float:
        """``outer_score / inner_score``: above 1, the search flatters its winners by that factor."""
        return self.outer_score / self.inner_score

    def __repr__(self) -> str:
        return (
            f"Optimism({self.scoring}: inner {self.inner_score:.4g}, outer {self.outer_score:.4g}, "
            f"ratio {self.ratio:.3f}, {len(self.fits)} searches)"
        )


def nested_search(
    search: Any,
    y: Any,
    X: Any = None,
    *,
    horizon: int,
    step: int | None = None,
    initial: Any = None,
    refit: bool | int = True,
    progress: bool = False,
) -> Optimism:
    """Run ``search`` (a :class:`tsrnn.SearchCV`) inside every outer training window; see :meth:`SearchCV.optimism`."""
    from tqdm import tqdm

    plan = plan_backtest(y, X, horizon=horizon, step=step, initial=initial, refit=refit)
    folds, fits, current, last = [], [], None, None
    future = list(search.forecaster.get_covariates().future)
    for k, (train, test) in enumerate(tqdm(plan.splits, desc="nested", disable=not progress, leave=False)):
        cutoff = int(train[-1])
        start = time.perf_counter()
        if current is None or plan.refit is True or (plan.refit is not False and k % int(plan.refit) == 0):
            current = clone(search).fit(take_rows(y, train), take_rows(X, train))
            fits.append(
                {"cutoff": plan.data.index[cutoff], "params": current.best_params_, "inner_score": current.best_score_}
            )
        else:
            new = slice(last + 1, cutoff + 1)
            current.update(take_rows(y, new), take_rows(X, new))
        fit_seconds = time.perf_counter() - start
        X_future = X.iloc[test][future] if X is not None and future else None
        predictions = np.asarray(current.predict(plan.horizon, X=X_future), dtype=float).reshape(plan.horizon, -1)
        folds.append(Fold(cutoff, predictions, None, None, fit_seconds, 0.0))
        last = cutoff
    result = BacktestResult.from_folds(folds, plan.data, plan.horizon, None)
    return Optimism(pd.DataFrame(fits), result, search.scoring)


def search_markdown(search: Any, optimism: Optimism | None = None, baseline: float | None = None) -> str:
    """A fitted search as Markdown: the chosen parameters, the table of candidates, the nested scores if run.

    Parameters
    ----------
    search : SearchCV
        A fitted search.
    optimism : Optimism, optional
        Its nested evaluation.
    baseline : float, optional
        The naive forecast's outer score on the same folds, for scale.
    """
    from tsrnn.narrative import significant_figures

    scoring = search.scoring.upper() if search.scoring != "smape" else "sMAPE"
    lines = [f"# Tuning {type(search.forecaster).__name__}", ""]
    lines += [f"Chosen: `{search.best_params_}`, inner {scoring} {significant_figures(search.best_score_)} "
              f"(mean over {search.n_inner_cutoffs_} inner cutoffs at the end of the data).", ""]  # fmt: skip
    table = search.cv_results_.sort_values("rank")
    shown = [c for c in table.columns if c.startswith("param_")] + ["mean_score", "std_score", "n_cutoffs", "round",
                                                                    "fit_seconds", "rank"]  # fmt: skip
    lines.append("| " + " | ".join(c.removeprefix("param_") for c in shown) + " |")
    lines.append("|" + "|".join("---" for _ in shown) + "|")
    for _, row in table[shown].iterrows():
        cells = [significant_figures(v) if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    if optimism is not None:
        lines += ["", "## Nested evaluation", ""]
        lines += [f"The search was run again inside each of {len(optimism.fits)} outer training windows and its choice "
                  f"forecast the cutoffs that followed. Inner {scoring} (what the search promised, mean over the "
                  f"outer fits): {significant_figures(optimism.inner_score)}; outer {scoring} (what its choices "
                  f"earned): {significant_figures(optimism.outer_score)}; ratio {optimism.ratio:.3f}."]  # fmt: skip
        if baseline is not None:
            lines[-1] += f" The naive forecast scores {significant_figures(baseline)} on the same outer folds."
        lines += ["", "| outer cutoff | chosen | inner score |", "|---|---|---|"]
        lines += [f"| {_day(row.cutoff)} | `{row.params}` | {significant_figures(row.inner_score)} |"
                  for row in optimism.fits.itertuples()]  # fmt: skip
    return "\n".join(lines) + "\n"


def _day(value: Any) -> str:
    """A timestamp at midnight as its date; anything else unchanged."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    return str(value)
