"""Comparison of forecasters on the same walk-forward folds.

``compare`` backtests every model on identical folds and returns a
:class:`~tsrnn.comparison.Comparison`: scores with skill against a baseline,
significance between every pair of models, the model confidence set, a
headline, plots, and a self-contained HTML or Markdown report.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from tsrnn import narrative
from tsrnn._validation import InvalidParameterError, check_series
from tsrnn.backtest import BacktestResult, check_is_forecaster, fold_jobs, plan_backtest, run_jobs, warm_policy
from tsrnn.chains import WarmStart
from tsrnn.comparison import Comparison
from tsrnn.conformal import point_forecaster
from tsrnn.frequency import default_plan, default_window
from tsrnn.neural import RecurrentForecaster
from tsrnn.parallel import workers_for
from tsrnn.plots import (
    plot_calibration,
    plot_coverage_by_step,
    plot_error_by_cutoff,
    plot_error_by_step,
    plot_forecasts,
    plot_skill,
    plot_skill_distribution,
)
from tsrnn.regression import RegressionForecaster
from tsrnn.results import check_metrics

__all__ = [
    "compare",
    "Comparison",
    "plot_forecasts",
    "plot_error_by_step",
    "plot_error_by_cutoff",
    "plot_skill",
    "plot_calibration",
    "plot_coverage_by_step",
    "plot_skill_distribution",
]


def _named_models(models: Any) -> dict[str, Any]:
    if isinstance(models, Mapping):
        named = dict(models)
    elif isinstance(models, Sequence) and not isinstance(models, str):
        named = {}
        for model in models:
            base = type(model).__name__.removesuffix("Forecaster") or type(model).__name__
            name, k = base, 2
            while name in named:
                name, k = f"{base}_{k}", k + 1
            named[name] = model
    else:
        raise InvalidParameterError(
            f"models must be a dict of name -> forecaster or a list of forecasters; got {type(models).__name__}."
        )
    if not named:
        raise InvalidParameterError("models is empty; pass at least one forecaster.")
    for name, model in named.items():
        check_is_forecaster(model, f"models[{name!r}]")
    as_text = [str(k) for k in named]
    twice = [k for k in dict.fromkeys(as_text) if as_text.count(k) > 1]
    if twice:
        raise InvalidParameterError(f"models has two entries named {twice[0]!r} once written as text; rename one.")
    return {str(k): v for k, v in named.items()}


def _fit_horizons(named: dict[str, Any], horizon: int) -> tuple[dict[str, Any], dict[str, str]]:
    """Train every direct model for the whole horizon where its horizon was left at the default; warn otherwise.

    Returns the models (a changed one is a clone: the caller's object is left as it was) and, for each model
    changed, a sentence saying so.
    """
    from sklearn.base import clone

    adjusted = {}
    for name, model in list(named.items()):
        inner = point_forecaster(model)
        params = inner.get_params(deep=False)
        trained = params.get("horizon")
        if params.get("strategy") != "direct" or trained is None or trained >= horizon:
            continue
        if trained == _class_default(inner, "horizon"):
            named[name] = _rewrapped(model, clone(inner).set_params(horizon=horizon))
            adjusted[name] = f"horizon set to {horizon}: its default, {trained}, is shorter than the comparison's"
            continue
        warnings.warn(
            f"models[{name!r}] is trained for horizon={trained} but forecasts {horizon} steps; the steps beyond "
            f"{trained} feed its own forecasts back. Set horizon={horizon} on it to train every step.",
            UserWarning,
            stacklevel=3,
        )
    return named, adjusted


def _rewrapped(model: Any, inner: Any) -> Any:
    """``model`` with ``inner`` in place of the forecaster it wraps (or ``inner`` itself for a bare model)."""
    from sklearn.base import clone

    return clone(model).set_params(forecaster=inner) if point_forecaster(model) is not model else inner


def _class_default(model: Any, parameter: str) -> Any:
    import inspect

    found = inspect.signature(type(model).__init__).parameters.get(parameter)
    return None if found is None else found.default


def _fit_windows(named: dict[str, Any], freq: Any, n_train: int, adjusted: dict[str, str]) -> dict[str, Any]:
    """Give every window model left at its class default the lookback of the data's frequency and length.

    The lookback follows :func:`tsrnn.frequency.default_window` (two days of hours, a month of days, two years of
    months, a decade of years, at most a quarter of the first training set); a model whose ``window`` the user
    set keeps it. What changed is added to ``adjusted``.
    """
    from sklearn.base import clone

    for name, model in list(named.items()):
        inner = point_forecaster(model)  # a wrapper's point forecasts are its forecaster's: it gets the window
        if not isinstance(inner, (RecurrentForecaster, RegressionForecaster)):
            continue
        params = inner.get_params(deep=False)
        if params["window"] != _class_default(inner, "window"):
            continue
        window, why = default_window(freq, n_train, default=params["window"])
        if window != params["window"]:
            named[name] = _rewrapped(model, clone(inner).set_params(window=window))
            note = f"window set to {why}"
            adjusted[name] = f"{adjusted[name]}; {note}" if name in adjusted else note
    return named


def _execution(n_tasks: int, workers: int, threads: int, backend: str | None) -> str:
    """How the backtests ran, in words: jobs, workers and threads."""
    jobs = f"{n_tasks} job{'s' if n_tasks != 1 else ''} (folds, or chains of folds that start from scratch)"
    if backend == "dask":
        return f"{jobs} on a Dask cluster, {threads} torch thread(s) per worker"
    if workers == 1 and backend is None:
        return f"{jobs} run one after another in this process, {threads} torch thread(s)"
    return f"{jobs} on {workers} {backend or 'joblib'} workers, {threads} torch thread(s) each"


def compare(
    models: Any,
    y: Any,
    X: Any = None,
    *,
    horizon: int | None = None,
    cv: Any = None,
    step: int | None = None,
    initial: Any = None,
    scheme: str = "expanding",
    refit: bool | int = True,
    warm_start: bool | int | str | WarmStart = "auto",
    coverage: float | None = 0.9,
    quantiles: Any = None,
    baseline: str = "naive",
    metrics: Sequence[str] = ("mae", "rmse", "mase", "smape"),
    n_jobs: int | None = -1,
    backend: str | None = None,
    progress: bool = True,
    units: str | None = None,
) -> Comparison:
    """Backtest several forecasters on the same folds and compare them.

    Parameters
    ----------
    models : dict of str -> forecaster, or list of forecasters
        The candidates; a list is named after the classes.
    y : pd.Series, pd.DataFrame or np.ndarray
        The series (a DataFrame scores each column separately).
    X : pd.DataFrame or dict of str -> pd.DataFrame, optional
        Covariates passed to every model's backtest, or a dict giving each
        model its own (models missing from the dict get none), e.g. to run
        AR(p), which takes no past-only covariates, beside networks that do.
    horizon : int, optional
        Periods forecast at each cutoff; by default from the frequency (a day
        of hours, a week of days, five business days, four weeks, a year of
        months or quarters, five years).
    cv, step, initial, scheme
        The folds, as in :func:`tsrnn.backtest`. Without ``cv`` and
        ``initial`` (expanding scheme), the first training set is chosen so
        that there are as many cutoffs as fit while it keeps at least half the
        series, up to 52. What was chosen is in ``settings["chosen"]`` and
        the report. A model trained directly for fewer steps than the horizon
        is set to the horizon when its ``horizon`` is the class default (see
        ``settings["adjusted"]``), and warned about otherwise. A network or
        a ``RegressionForecaster`` whose ``window`` is the class default reads
        the lookback of the data's frequency
        (:func:`tsrnn.frequency.default_window`).
    refit, warm_start
        Refit policy of every model, as in :func:`tsrnn.backtest`. The
        default ``warm_start="auto"`` continues the refits of models that
        can (the networks) from their last fit with the measured budget of
        :data:`tsrnn.chains.AUTO_WARM_START`, validating each warm refit only
        on windows no earlier fit trained on; on the weather task of the
        benchmarks that is as accurate as refitting from scratch at a
        fraction of the cost. It applies to a refit at every cutoff, the
        case it was measured for; refits every k cutoffs start from scratch.
        ``warm_start=False`` always refits from scratch.
    coverage : float or None, default=0.9
        Coverage of the prediction intervals to score (None: points only).
    quantiles : sequence of float, optional
        Also record quantiles at these levels: the scores gain ``pinball``
        and ``crps``, the report a calibration plot.
    baseline : str, default="naive"
        The model that skill and significance are measured against. If no
        model has this name and it is ``"naive"``, a last-value
        ``NaiveForecaster`` is added under it.
    metrics : sequence of str, default=("mae", "rmse", "mase", "smape")
        Point metrics of the scores table.
    n_jobs, backend
        Parallel execution of all models' independent jobs (folds, or chains
        of folds that start from scratch) together, as in
        :func:`tsrnn.backtest`; by default on every core, each worker with its
        share of the cores as torch threads. The report says how it ran.
        Results equal a serial run at the same thread count; torch sums
        floats in another order at another thread count (about 1e-12
        relative in float64 sums; an LSTM's forecasts on the weather
        series moved by 1e-7 relative between 1 and 2 threads).
    progress : bool, default=True
        Show a progress bar.
    units : str, optional
        Units of ``y`` (e.g. ``"degC"``), written on the plots' axes; by
        default read from ``y.attrs["units"]`` where a loader set it.

    Returns
    -------
    Comparison
    """
    from tsrnn.baselines import NaiveForecaster

    started, clock = narrative.now(), time.perf_counter()
    named = _named_models(models)
    metrics = check_metrics(metrics, intervals=False, quantiles=False)
    if units is None and isinstance(y, pd.Series):
        units = getattr(y, "attrs", {}).get("units", {}).get(y.name)
    if baseline not in named:
        if baseline != "naive":
            raise InvalidParameterError(f"baseline {baseline!r} is not one of the models {list(named)}.")
        named = {"naive": NaiveForecaster(), **named}
    if isinstance(X, Mapping):
        unknown = [k for k in X if k not in named]
        if unknown:
            raise InvalidParameterError(f"X names models {unknown} that are not among {list(named)}.")
    chosen: dict[str, str] = {}
    asked = {"horizon": horizon, "initial": initial}  # the call as written, for the provenance
    if cv is None and (horizon is None or (initial is None and scheme == "expanding")):
        data = check_series(y, "y", allow_missing=True)
        # A ragged panel: the latest-starting series decides how long the first training set must be.
        starts = np.argmax(~np.isnan(data.values), axis=0) if data.values.size else np.zeros(1, dtype=int)
        filled = default_plan(
            len(data.index), data.freq, horizon, step, initial, shortest=len(data.index) - starts.max()
        )
        horizon, initial, chosen = filled.horizon, filled.initial, filled.chosen
    per_model = {name: (X.get(name) if isinstance(X, Mapping) else X) for name in named}
    plans = {
        name: plan_backtest(
            y, per_model[name], cv=cv, horizon=horizon, step=step, initial=initial, scheme=scheme, refit=refit,
            warm_start=warm_start, coverage=coverage, quantiles=quantiles,
        )
        for name in named
    }  # fmt: skip
    plan = next(iter(plans.values()))
    named, adjusted = _fit_horizons(named, plan.horizon)
    named = _fit_windows(named, plan.data.freq, len(plan.splits[0][0]), adjusted)
    jobs, owner = [], []
    for name, model in named.items():
        model_jobs = fold_jobs(model, y, per_model[name], plans[name])
        jobs.extend(model_jobs)
        owner.extend([name] * len(model_jobs))
    outputs = run_jobs(jobs, n_jobs=n_jobs, backend=backend, progress=progress, description="compare")
    workers, threads = workers_for(n_jobs, len(jobs), backend)
    warm_models = [name for name, model in named.items() if warm_policy(model, plans[name]) is not None]
    folds: dict[str, list] = {name: [] for name in named}
    for name, result in zip(owner, outputs):
        folds[name].extend(result)
    results = {
        name: BacktestResult.from_folds(folds[name], plan.data, plan.horizon, plan.coverage, plan.quantiles)
        for name in named
    }
    settings = {
        "horizon": plan.horizon, "cv": plan.cv, "refit": plan.refit, "warm_start": plan.warm_start,
        "coverage": plan.coverage, "quantiles": plan.quantiles, "units": units, "chosen": chosen,
        "adjusted": adjusted, "warm_models": warm_models,
        "execution": _execution(len(jobs), workers, threads, backend),
    }  # fmt: skip
    given = {**asked, "cv": cv, "step": step, "scheme": scheme, "refit": refit,
             "warm_start": warm_start, "coverage": coverage, "quantiles": quantiles, "baseline": baseline,
             "n_jobs": n_jobs, "backend": backend}  # fmt: skip
    defaults = {"scheme": "expanding", "refit": True, "warm_start": "auto", "coverage": 0.9, "baseline": "naive",
                "n_jobs": -1}  # fmt: skip
    options = {k: v for k, v in given.items() if v is not None and not (k in defaults and v == defaults[k])}
    call = narrative.describe_call(named, y, options)
    facts = narrative.provenance(call, named, settings["execution"], time.perf_counter() - clock, started)
    return Comparison(results, named, baseline, metrics, settings, provenance=facts)
