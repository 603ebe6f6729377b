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
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from tsrnn._index import take_rows
from tsrnn.chains import WarmStart, chains, refits_at
from tsrnn.parallel import check_n_jobs, run_jobs
from tsrnn.plans import BacktestPlan, check_is_forecaster, plan_backtest
from tsrnn.results import BacktestResult, Fold
from tsrnn.splitters import WalkForward

__all__ = [
    "backtest",
    "plan_backtest",
    "BacktestPlan",
    "fold_jobs",
    "warm_policy",
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


def _warm_params(forecaster: Any, warm: WarmStart | bool) -> dict | None:
    """Parameters that make a refit continue from the last fit, or None when the forecaster cannot."""
    if not warm:
        return None
    # A forecaster of a user's may take epochs only: patience is passed when the policy sets it.
    extra = {} if warm.patience is None else {"patience": warm.patience}
    return forecaster.warm_start_params(warm.epochs, **extra)


def warm_policy(forecaster: Any, plan: BacktestPlan) -> WarmStart | None:
    """The plan's warm-start policy where ``forecaster`` can continue from its last fit, else None (cold refits).

    Parameters
    ----------
    forecaster : BaseForecaster
        The forecaster of the backtest.
    plan : BacktestPlan
        From :func:`plan_backtest`.

    Returns
    -------
    WarmStart or None
    """
    return plan.warm_start if _warm_params(forecaster, plan.warm_start) is not None else None


def _run_chain(forecaster: Any, y: Any, X: Any, plan: BacktestPlan, first: int, progress: bool = False) -> list[Fold]:
    """Folds that depend on each other, in order: a fit from scratch, then updates or warm-started refits.

    ``plan.splits`` holds the chain's folds only, as slices; ``first`` is the position of its first fold in the
    backtest.
    """
    from tqdm import tqdm

    folds, current, last_cutoff = [], None, None
    warm = _warm_params(forecaster, plan.warm_start)
    refit = plan.refit
    for i, (train, test) in enumerate(tqdm(plan.splits, desc="backtest", disable=not progress, leave=False)):
        cutoff = train.stop - 1
        do_refit = current is None or refits_at(first + i, refit)
        start = time.perf_counter()
        if do_refit:
            if current is not None:  # a refit inside a chain continues from the last fit
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


def _span(positions: np.ndarray) -> slice:
    """The contiguous positions of a walk-forward fold as a slice: a few bytes to ship instead of the array."""
    return slice(int(positions[0]), int(positions[-1]) + 1)


def _light(plan: BacktestPlan, splits: list) -> BacktestPlan:
    """The plan a job needs: its own folds, without the validated series (which it receives as data)."""
    return replace(plan, data=None, splits=splits)


def _chain_job(forecaster: Any, y: Any, X: Any, plan: BacktestPlan, indices: list[int]) -> tuple[Callable, tuple]:
    """One chain as a job: it carries ``y`` up to the chain's last cutoff, ``X`` up to its last forecast window."""
    last_train, last_test = plan.splits[indices[-1]]
    y_rows, X_rows = slice(0, int(last_train[-1]) + 1), slice(0, int(last_test[-1]) + 1)
    splits = [(_span(plan.splits[k][0]), _span(plan.splits[k][1])) for k in indices]
    chain = _light(plan, splits)
    return (_run_chain, (forecaster, take_rows(y, y_rows), take_rows(X, X_rows), chain, indices[0]))


def first_length_with(values: np.ndarray, need: int) -> int | None:
    """The fewest leading rows of ``values`` (n_timestamps, n_series) in which every series has ``need`` observed
    values; None when some series has fewer in all."""
    enough = (np.cumsum(~np.isnan(values), axis=0) >= need).all(axis=1)
    return int(np.argmax(enough)) + 1 if enough.any() else None


def _check_first_window(forecaster: Any, plan: BacktestPlan) -> None:
    """Refuse a plan whose first training window holds too few observed values of some series for the forecaster,
    saying from which first training length on it would have enough."""
    min_length = getattr(forecaster, "_min_length", None)
    if not callable(min_length) or not plan.splits:
        return
    validate = getattr(forecaster, "_validate_params", None)
    if callable(validate):
        validate()  # the length a forecaster needs follows from its parameters: bad ones are named first
    need = int(min_length())
    values = plan.data.values.reshape(len(plan.data.values), -1)
    train = plan.splits[0][0]
    observed = (~np.isnan(values[train])).sum(axis=0)
    if observed.min() >= need:
        return
    enough = first_length_with(values, need)
    totals = (~np.isnan(values)).sum(axis=0)
    # The series short at the first cutoff, or, where no first window fits, the one short in all.
    j = int(np.argmin(observed)) if enough else int(np.argmin(totals))
    which = f"series {plan.data.columns[j]!r}" if values.shape[1] > 1 else "y"
    waits = (
        "; left to its default, the first cutoff waits for the latest-starting series" if values.shape[1] > 1 else ""
    )
    advice = (
        f"start later, with a first training window of {enough} periods or more (initial, or --initial on the "
        f"command line{waits})"
        if enough
        else f"there are only {int(totals[j])} in all; use a longer series, or a shorter window or horizon"
    )
    raise ValueError(
        f"{which} has {int(observed[j])} observed value(s) in the first training window ({len(train)} periods, up to "
        f"{plan.data.index[train[-1]]}); {type(forecaster).__name__} needs at least {need}: {advice}."
    )


def fold_jobs(forecaster: Any, y: Any, X: Any, plan: BacktestPlan) -> list[tuple[Callable, tuple]]:
    """The backtest of one forecaster as jobs for ``run_jobs``; each returns a list of folds.

    Independent folds (refit at every cutoff, no warm start) are one job each.
    Otherwise the folds are cut into chains at every fit from scratch
    (:func:`tsrnn.chains.chains`): a refit every k cutoffs gives a chain per
    refit, warm starts a chain per ``restart`` refits; each chain is one job,
    run in order.

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

    Raises
    ------
    ValueError
        When a series has fewer observed values at the first cutoff than the
        forecaster needs (a series of a panel that starts late), before any
        job runs.
    """
    _check_first_window(forecaster, plan)
    if plan.independent:
        return [
            (
                _fit_and_predict,
                (
                    forecaster,
                    take_rows(y, train),
                    take_rows(X, train),
                    int(train[-1]),
                    _light(plan, []),
                    _future_X(forecaster, X, test),
                ),
            )
            for train, test in plan.splits
        ]
    warm = warm_policy(forecaster, plan)
    return [_chain_job(forecaster, y, X, plan, indices) for indices in chains(len(plan.splits), plan.refit, warm)]


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
    warm_start: bool | int | str | WarmStart = False,
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
    warm_start : bool, int, "auto" or WarmStart, default=False
        Refits continue from the previous fold's fitted state (for forecasters
        whose ``warm_start_params`` allow it; others are refitted from
        scratch). An int ``k`` also limits those refits to ``k`` epochs; a
        :class:`tsrnn.WarmStart` sets their epochs, patience and how often a
        refit starts from scratch again; ``"auto"`` is the measured policy
        :data:`tsrnn.chains.AUTO_WARM_START` for ``refit=True`` and cold
        refits otherwise. Networks validate a warm refit only on windows no
        earlier fit of the chain trained on.
    coverage : float, optional
        Also record ``predict_interval`` with this coverage (e.g. 0.9).
    quantiles : sequence of float, optional
        Also record ``predict_quantiles`` at these levels; ``score`` then
        offers ``pinball`` and ``crps``.
    n_jobs : int or None, default=1
        Parallel workers for independent jobs: every fold of ``refit=True``
        without warm start, otherwise every chain of folds that starts with a
        fit from scratch (a refit every k cutoffs, or ``WarmStart.restart``);
        the folds of one chain run in order. -1 uses every core. Results do
        not depend on ``n_jobs`` at the same torch thread count.
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
    n_jobs = check_n_jobs(n_jobs)
    jobs = fold_jobs(forecaster, y, X, plan)
    if len(jobs) == 1 and not plan.independent:
        # One chain: run here, with the progress bar over its cutoffs.
        function, args = jobs[0]
        folds = function(*args, progress)
    else:
        folds = [fold for result in run_jobs(jobs, n_jobs, backend, progress, "backtest") for fold in result]
    return BacktestResult.from_folds(folds, plan.data, plan.horizon, plan.coverage, plan.quantiles)
