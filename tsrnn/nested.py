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

__all__ = ["Optimism", "nested_search"]


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
