"""Walk-forward backtesting: forecasts made at successive cutoffs, each from the past only.

:func:`tsrnn.plans.plan_backtest` checks the arguments of a backtest once and
fixes its folds (``compare`` uses the same plan for every model); ``fold_jobs``
turns one forecaster's backtest into jobs for :func:`tsrnn.parallel.run_jobs`;
``backtest`` runs them and returns a :class:`tsrnn.results.BacktestResult`.
Independent folds run in parallel with joblib or on a Dask cluster, with
results identical to a serial run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from tsrnn._index import take_rows
from tsrnn.parallel import check_n_jobs, run_jobs
from tsrnn.plans import BacktestPlan, check_is_forecaster, plan_backtest
from tsrnn.results import BacktestResult, Fold
from tsrnn.splitters import WalkForward

__all__ = [
    "backtest",
    "plan_backtest",
    "BacktestPlan",
    "fold_jobs",
    "check_is_forecaster",
    "WalkForward",
    "BacktestResult",
    "run_jobs",
]


def _columns(values: Any, level: Any) -> np.ndarray:
    """(horizon, n_series) values of one field of an interval or quantile table."""
    if isinstance(values.columns, pd.MultiIndex):
        return values.xs(level, axis=1, level=1).to_numpy()
    return values[[level]].to_numpy()


def _future_X(forecaster: Any, X: Any, test: np.ndarray) -> Any:
    """Only the declared future covariates of the forecast window: nothing else after the cutoff is passed on."""
    if X is None:
        return None
    columns = list(forecaster.get_covariates().future)
    return X.iloc[test][columns] if columns else None


def _predict_fold(forecaster: Any, plan: BacktestPlan, X_future: Any) -> tuple:
    start = time.perf_counter()
    horizon = plan.horizon
    predictions = np.asarray(forecaster.predict(horizon, X=X_future), dtype=float).reshape(horizon, -1)
    lower = upper = quantiles = None
    if plan.coverage is not None:
        band = forecaster.predict_interval(horizon, coverage=plan.coverage, X=X_future)
        lower, upper = _columns(band, "lower"), _columns(band, "upper")
    if plan.quantiles is not None:
        table = forecaster.predict_quantiles(horizon, quantiles=plan.quantiles, X=X_future)
        quantiles = np.stack([_columns(table, level) for level in plan.quantiles], axis=2)
    return predictions, lower, upper, quantiles, time.perf_counter() - start


def _fit_and_predict(forecaster: Any, y_train: Any, X_train: Any, cutoff: int, plan: BacktestPlan, X_future: Any):
    """One independent fold: fit a fresh clone on the training window, then forecast."""
    fitted = clone(forecaster)
    start = time.perf_counter()
    fitted.fit(y_train, X_train)
    fit_seconds = time.perf_counter() - start
    predictions, lower, upper, quantiles, predict_seconds = _predict_fold(fitted, plan, X_future)
    return [Fold(cutoff, predictions, lower, upper, fit_seconds, predict_seconds, quantiles)]


def _warm_params(forecaster: Any, warm_start: bool | int) -> dict | None:
    """Parameters that make a refit continue from the last fit, or None when the forecaster cannot."""
    if not warm_start:
        return None
    return forecaster.warm_start_params(None if warm_start is True else int(warm_start))


def _run_sequential(forecaster: Any, y: Any, X: Any, plan: BacktestPlan, progress: bool) -> list[Fold]:
    """Folds that depend on each other: updates between refits, or warm-started refits."""
    from tqdm import tqdm

    folds, current, last_cutoff = [], None, None
    warm = _warm_params(forecaster, plan.warm_start)
    refit = plan.refit
    for k, (train, test) in enumerate(tqdm(plan.splits, desc="backtest", disable=not progress, leave=False)):
        cutoff = int(train[-1])
        do_refit = current is None or refit is True or (refit is not False and k % int(refit) == 0)
        start = time.perf_counter()
        if do_refit:
            if warm is not None and current is not None:
                current.set_params(**warm)
            else:
                current = clone(forecaster)
            current.fit(take_rows(y, train), take_rows(X, train))
        else:
            new = slice(last_cutoff + 1, cutoff + 1)
            current.update(take_rows(y, new), take_rows(X, new))
        fit_seconds = time.perf_counter() - start
        predictions, lower, upper, quantiles, seconds = _predict_fold(current, plan, _future_X(forecaster, X, test))
        folds.append(Fold(cutoff, predictions, lower, upper, fit_seconds, seconds, quantiles))
        last_cutoff = cutoff
    return folds


def fold_jobs(forecaster: Any, y: Any, X: Any, plan: BacktestPlan) -> list[tuple[Callable, tuple]]:
    """The backtest of one forecaster as jobs for ``run_jobs``; each returns a list of folds.

    Independent folds (refit at every cutoff, no warm start) are one job each;
    otherwise the whole chain of folds is a single job, run in order.

    Parameters
    ----------
    forecaster : BaseForecaster
        An unfitted forecaster; every job fits its own clone.
    y : pd.Series, pd.DataFrame or np.ndarray
        The series the plan was made for.
    X : pd.DataFrame, optional
        Covariates on the index of ``y``.
    plan : BacktestPlan
        From :func:`plan_backtest`.

    Returns
    -------
    list of (callable, tuple)
        ``(function, args)`` pairs; the folds of ``function(*args)`` of every
        job, concatenated in order, are those of the backtest, oldest first.
    """
    if plan.independent:
        return [
            (
                _fit_and_predict,
                (
                    forecaster,
                    take_rows(y, train),
                    take_rows(X, train),
                    int(train[-1]),
                    plan,
                    _future_X(forecaster, X, test),
                ),
            )
            for train, test in plan.splits
        ]
    return [(_run_sequential, (forecaster, y, X, plan, False))]


def backtest(
    forecaster: Any,
    y: Any,
    X: Any = None,
    *,
    cv: WalkForward | None = None,
    horizon: int | None = None,
    step: int | None = None,
    initial: Any = None,
    scheme: str = "expanding",
    refit: bool | int = True,
    warm_start: bool | int = False,
    coverage: float | None = None,
    quantiles: Any = None,
    n_jobs: int | None = 1,
    backend: str | None = None,
    progress: bool = True,
) -> BacktestResult:
    """Walk-forward backtest of a forecaster.

    Parameters
    ----------
    forecaster : BaseForecaster
        An unfitted forecaster; it is cloned, never modified.
    y : pd.Series, pd.DataFrame or np.ndarray
        The whole series; each fold trains on its past only.
    X : pd.DataFrame, optional
        Covariates on the index of ``y``. Each fold fits on the rows up to its
        cutoff; ``predict`` receives only the columns the forecaster declares
        as future covariates, for the forecast window. Nothing else after
        the cutoff reaches the forecaster.
    cv : WalkForward, optional
        The folds. Without it they are built from ``horizon``, ``step``,
        ``initial`` and ``scheme`` (a sliding scheme trains on ``initial``
        periods); with it, those must be left out or agree with it.
    horizon, step, initial
        See :class:`WalkForward`.
    scheme : {"expanding", "sliding"}, default="expanding"
        Training sets that keep all the past, or the last ``initial`` periods.
    refit : bool or int, default=True
        ``True`` refits at every cutoff; ``False`` fits at the first cutoff and
        then only ``update``s with the newly observed data before each
        forecast; an int ``k`` refits every ``k`` cutoffs and updates between.
    warm_start : bool or int, default=False
        Refits continue from the previous fold's fitted state (for forecasters
        whose ``warm_start_params`` allow it; others are refitted from
        scratch). An int ``k`` also limits those refits to ``k`` epochs.
    coverage : float, optional
        Also record ``predict_interval`` with this coverage (e.g. 0.9).
    quantiles : sequence of float, optional
        Also record ``predict_quantiles`` at these levels; ``score`` then
        offers ``pinball`` and ``crps``.
    n_jobs : int or None, default=1
        Parallel workers for independent folds (``refit=True`` without warm
        start); dependent folds always run in order. -1 uses every core.
    backend : None or "dask" or a joblib backend name, optional
        ``"dask"`` runs the folds on the current ``dask.distributed`` Client.
    progress : bool, default=True
        Show a progress bar over cutoffs.

    Returns
    -------
    BacktestResult
    """
    check_is_forecaster(forecaster)
    plan = plan_backtest(
        y, X, cv=cv, horizon=horizon, step=step, initial=initial, scheme=scheme, refit=refit,
        warm_start=warm_start, coverage=coverage, quantiles=quantiles,
    )  # fmt: skip
    # Dependent folds never reach the workers; n_jobs is still checked, so a typo fails the same way either way.
    n_jobs = check_n_jobs(n_jobs)
    if plan.independent:
        jobs = fold_jobs(forecaster, y, X, plan)
        folds = [fold for result in run_jobs(jobs, n_jobs, backend, progress, "backtest") for fold in result]
    else:
        folds = _run_sequential(forecaster, y, X, plan, progress)
    return BacktestResult.from_folds(folds, plan.data, plan.horizon, plan.coverage, plan.quantiles)
