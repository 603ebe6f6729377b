"""Hyper-parameter search over walk-forward backtests, as a forecaster.

``SearchCV`` backtests every candidate setting of a forecaster on cutoffs
inside the training data only, keeps the best, refits it on all the data and
forecasts with it. Because it is a forecaster, ``backtest(SearchCV(...), y)``
is nested evaluation: at every outer cutoff the search sees only the past.
:meth:`SearchCV.optimism` runs that nested evaluation and puts the score the
search promised next to the score its choice then earned.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid, ParameterSampler

from tsrnn._validation import Boolean, Interval, InvalidParameterError, Options, Satisfies, SeriesData, is_integer
from tsrnn.backtest import fold_jobs, plan_backtest
from tsrnn.base import BaseForecaster, check_is_fitted
from tsrnn.chains import check_warm_start
from tsrnn.halving import check_resources, schedule
from tsrnn.metrics import METRICS
from tsrnn.nested import Optimism, nested_search
from tsrnn.parallel import run_jobs
from tsrnn.results import BacktestResult, Fold
from tsrnn.splitters import WalkForward

__all__ = ["SearchCV", "Optimism"]

#: Scores a search can minimise: the point metrics and MASE.
SCORINGS = (*METRICS, "mase")
_INNER_CUTOFFS = 5


def _is_forecaster(value: Any) -> bool:
    # A class has the methods too, unbound: only an instance is a forecaster.
    return not isinstance(value, type) and all(
        callable(getattr(value, name, None)) for name in ("fit", "predict", "update", "get_params")
    )


def _is_warm_start(value: Any) -> bool:
    try:
        check_warm_start(value)
    except InvalidParameterError:
        return False
    return True


def _is_grid(value: Any) -> bool:
    grids = value if isinstance(value, list) else [value]
    return bool(grids) and all(isinstance(g, dict) and g for g in grids)


class SearchCV(BaseForecaster):
    """Choose a forecaster's settings by walk-forward backtests inside the training data.

    Parameters
    ----------
    forecaster : forecaster
        The forecaster to tune (any forecaster on the contract); it is cloned.
    param_grid : dict or list of dict, optional
        Parameter name -> list of values, as for scikit-learn's
        ``ParameterGrid`` (nested names such as ``forecaster__window`` work
        for wrappers). For ``method="grid"`` and ``"halving"``.
    param_distributions : dict or list of dict, optional
        Parameter name -> list or scipy.stats distribution, as for
        scikit-learn's ``ParameterSampler``; ``n_iter`` candidates are drawn.
        For ``method="random"`` and ``"halving"``.
    cv : WalkForward, optional
        The inner folds. By default ``horizon``-step forecasts every ``step``
        periods at the last cutoffs of the training data: 5 cutoffs, or as many
        as fit while every inner training set keeps half the data.
    horizon, step, initial : optional
        The inner folds when ``cv`` is not given, as in :class:`WalkForward`;
        ``horizon`` defaults to the forecaster's own ``horizon`` parameter
        (else 1), ``step`` to ``horizon``.
    refit : bool or int, default=True
        Refit policy of the inner backtests, as in :func:`tsrnn.backtest`
        (True: at every inner cutoff; k: every k cutoffs, updated between;
        False: once, then updated). The chosen candidate is always refitted on
        all of ``y``.
    warm_start : bool, int, "auto" or WarmStart, default=False
        Warm refits in the inner backtests, as in :func:`tsrnn.backtest`:
        each candidate's refits continue from its previous inner fit and
        validate on windows no earlier fit trained on. False refits from
        scratch. With halving, it applies to every round whose policy refits
        (``"auto"``: only those that refit at every inner cutoff, such as a
        last round with ``final_refit=True``). The chosen candidate's fit on
        all of ``y`` always starts from scratch.
    scoring : str, default="mase"
        The score to minimise: ``"mase"``, ``"mae"``, ``"rmse"``, ``"mape"``
        or ``"smape"``, over every inner forecast.
    method : {"grid", "random", "halving"}, default="grid"
        Every candidate of the grid; ``n_iter`` sampled ones; or successive
        halving: all candidates on a small budget (``resource``), the best
        ``1 / factor`` of them on a budget ``factor`` times larger, and so on,
        until the survivors are backtested on the full budget.
    n_iter : int, default=20
        Candidates drawn for ``"random"`` (and ``"halving"`` with
        ``param_distributions``).
    factor : int, default=3
        For ``"halving"``: the share of candidates kept (1 / factor) and the
        growth of the budget at each round.
    resource : str, default="cutoffs"
        For ``"halving"``, what a round's budget counts. ``"cutoffs"``: the
        most recent inner cutoffs scored (folds scored in an earlier round are
        reused when ``refit=True``). Or the name of an integer parameter of
        the forecaster, such as ``"epochs"``: every round scores every inner
        cutoff, with that parameter set to the round's budget; the last round
        uses ``max_resources``, so the finalists are scored as set.
    final_refit : bool or int, optional
        For ``"halving"``: the inner refit policy of the last round, whose
        scores choose the winner; None keeps ``refit``. Early rounds with
        ``refit=False`` (one fit per candidate, updated) and a last round
        with ``final_refit=True`` rank the candidates cheaply, then choose
        among the survivors the way the full grid scores them.
    min_resources : int, optional
        For ``"halving"``: the first round's budget. By default the full budget
        divided by ``factor`` once per later round (at least 1). Given, the
        rounds are as many as the candidates need and the budget allows, as
        in scikit-learn's ``HalvingGridSearchCV``: budgets ``min_resources *
        factor**r``, the last one ``max_resources``.
    max_resources : int, optional
        For ``"halving"``: the last round's budget. By default every inner
        cutoff, or the forecaster's own value of the ``resource`` parameter.
    n_jobs, backend
        Parallel execution of the candidates' folds, as in :func:`tsrnn.backtest`.
    random_state : int, optional
        Seed of the candidate sampling.
    progress : bool, default=True
        Show a progress bar over the backtest jobs.

    Attributes
    ----------
    best_params_ : dict
        The chosen candidate.
    best_score_ : float
        Its mean inner score (the score the search promises).
    best_forecaster_ : forecaster
        The chosen candidate refitted on all of ``y``; it forecasts.
    cv_results_ : pd.DataFrame
        One row per candidate: ``params``, one ``param_<name>`` column per
        parameter, ``mean_score``, ``std_score`` (over cutoffs), one
        ``cutoff<k>_score`` per inner cutoff it was scored on (oldest first),
        ``n_cutoffs``, ``round`` (the last halving round it reached; 0 for a
        full search), ``resources`` (the budget of that round: cutoffs scored,
        or the value of the ``resource`` parameter), ``fit_seconds`` (every
        fit the candidate cost, over all rounds) and ``rank`` (1 is best).

    Notes
    -----
    A halving search costs less than the full grid only where its first rounds
    are cheap. With ``resource="cutoffs"`` and few inner cutoffs, the first
    round judges every candidate on a single cutoff. A parameter such as
    ``"epochs"``, with ``refit=False`` (one fit per candidate and round,
    updated through every inner cutoff), judges every round on every inner
    cutoff for one short fit per candidate.

    Examples
    --------
    >>> from tsrnn import ARForecaster
    >>> SearchCV(ARForecaster(), {"lags": [1, 2, 7]}, horizon=7)
    SearchCV(forecaster=ARForecaster(), horizon=7, param_grid={'lags': [1, 2, 7]})
    """

    _parameter_constraints: ClassVar[dict[str, list]] = {
        "forecaster": [Satisfies(_is_forecaster, "a forecaster with fit, predict, update and get_params")],
        "param_grid": [None, Satisfies(_is_grid, "a non-empty dict of name -> list of values, or a list of them")],
        "param_distributions": [None, Satisfies(_is_grid, "a non-empty dict of name -> list or distribution")],
        "cv": [None, Satisfies(lambda v: isinstance(v, WalkForward), "a WalkForward")],
        "horizon": [None, Interval("int", 1, None)],
        "step": [None, Interval("int", 1, None)],
        "initial": [None, Interval("int", 2, None)],
        "refit": [Boolean, Interval("int", 1, None)],
        "scoring": [Options(*SCORINGS)],
        "method": [Options("grid", "random", "halving")],
        "n_iter": [Interval("int", 1, None)],
        "factor": [Interval("int", 2, None)],
        "resource": [Satisfies(lambda v: isinstance(v, str) and bool(v), "'cutoffs' or the name of an int parameter")],
        "min_resources": [None, Interval("int", 1, None)],
        "max_resources": [None, Interval("int", 1, None)],
        "final_refit": [None, Boolean, Interval("int", 1, None)],
        "warm_start": [Satisfies(_is_warm_start, "True, False, 'auto', a positive int (epochs) or a WarmStart")],
        "n_jobs": [None, Satisfies(lambda v: is_integer(v) and v != 0, "a non-zero int (-1 for every core)")],
        "backend": [None, Options("dask", "loky", "threading", "multiprocessing", "sequential")],
        "random_state": [None, Interval("int", 0, None)],
        "progress": [Boolean],
    }

    def __init__(
        self,
        forecaster: Any,
        param_grid: dict | list | None = None,
        param_distributions: dict | list | None = None,
        *,
        cv: WalkForward | None = None,
        horizon: int | None = None,
        step: int | None = None,
        initial: int | None = None,
        refit: bool | int = True,
        scoring: str = "mase",
        method: str = "grid",
        n_iter: int = 20,
        factor: int = 3,
        resource: str = "cutoffs",
        min_resources: int | None = None,
        max_resources: int | None = None,
        final_refit: bool | int | None = None,
        warm_start: Any = False,
        n_jobs: int | None = None,
        backend: str | None = None,
        random_state: int | None = None,
        progress: bool = True,
    ):
        self.forecaster = forecaster
        self.param_grid = param_grid
        self.param_distributions = param_distributions
        self.cv = cv
        self.horizon = horizon
        self.step = step
        self.initial = initial
        self.refit = refit
        self.scoring = scoring
        self.method = method
        self.n_iter = n_iter
        self.factor = factor
        self.resource = resource
        self.min_resources = min_resources
        self.max_resources = max_resources
        self.final_refit = final_refit
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.backend = backend
        self.random_state = random_state
        self.progress = progress

    # -- checks --------------------------------------------------------------
    def _check_params(self) -> None:
        grid, distributions = self.param_grid, self.param_distributions
        if (grid is None) == (distributions is None):
            raise ValueError("pass exactly one of param_grid (every combination) and param_distributions (sampled).")
        if self.method == "grid" and grid is None:
            raise ValueError("method='grid' needs param_grid; use method='random' with param_distributions.")
        if self.method == "random" and distributions is None:
            raise ValueError("method='random' needs param_distributions; use method='grid' with param_grid.")
        if self.final_refit is not None and self.method != "halving":
            raise InvalidParameterError(
                f"final_refit is the refit policy of halving's last round; method={self.method!r} has no rounds."
            )
        if self.cv is not None and any(v is not None for v in (self.horizon, self.step, self.initial)):
            raise ValueError("pass the inner folds either as cv or as horizon/step/initial, not both.")
        known = self.forecaster.get_params(deep=True)
        spaces = grid if grid is not None else distributions
        for space in spaces if isinstance(spaces, list) else [spaces]:
            for name in space:
                if name not in known:
                    raise ValueError(
                        f"{type(self.forecaster).__name__} has no parameter {name!r}; its parameters are "
                        f"{sorted(known)}."
                    )
                values = space[name]
                listed = hasattr(values, "__len__") and not isinstance(values, (str, bytes))
                if not (listed and len(values)) and not (hasattr(values, "rvs") and grid is None):
                    allowed = "a non-empty list" + (" or a scipy.stats distribution" if grid is None else "")
                    raise ValueError(f"the values of {name!r} must be {allowed}; got {values!r}.")
        check_resources(self, known, spaces if isinstance(spaces, list) else [spaces])

    def get_covariates(self) -> Any:
        """The tuned forecaster's covariates: ``X`` is checked here and passed on to every candidate."""
        return self.forecaster.get_covariates()

    @property
    def allows_missing(self) -> bool:  # type: ignore[override]
        """Missing values are accepted when the tuned forecaster accepts them."""
        return bool(getattr(self.forecaster, "allows_missing", False))

    def candidates(self) -> list[dict]:
        """The candidate settings, in the order they are scored."""
        self._validate_params()
        if self.param_grid is not None and self.method != "random":
            return list(ParameterGrid(self.param_grid))
        return list(ParameterSampler(self.param_distributions, int(self.n_iter), random_state=self.random_state))

    def _inner_cv(self, n: int) -> WalkForward:
        if self.cv is not None:
            return self.cv
        own = self.forecaster.get_params(deep=False).get("horizon")
        horizon = int(self.horizon or (own if is_integer(own) else 1))
        step = int(self.step or horizon)
        initial = self.initial
        if initial is None:
            cutoffs = max(1, min(_INNER_CUTOFFS, (n - n // 2 - horizon) // step + 1))
            initial = n - horizon - step * (cutoffs - 1)
        return WalkForward(horizon=horizon, step=step, initial=initial)

    # -- the search ------------------------------------------------------------
    def _fit_inputs(self, data: SeriesData, y: Any, X: Any) -> None:
        candidates = self.candidates()
        plan = plan_backtest(y, X, cv=self._inner_cv(len(data.index)), refit=self.refit, warm_start=self.warm_start)
        total = len(plan.splits)
        by_cutoffs = self.method != "halving" or self.resource == "cutoffs"
        folds: dict[int, dict[int, Fold]] = {k: {} for k in range(len(candidates))}
        results, reached, budgets = {}, {}, {}
        spent = dict.fromkeys(range(len(candidates)), 0.0)
        alive = list(range(len(candidates)))
        rounds = list(schedule(self, len(candidates), total))
        last_plan = plan
        if self.method == "halving" and self.final_refit is not None and self.final_refit != self.refit:
            last_plan = plan_backtest(y, X, cv=plan.cv, refit=self.final_refit, warm_start=self.warm_start)
        for r, (kept, budget) in enumerate(rounds):
            alive = alive[:kept]
            if r == len(rounds) - 1 and last_plan is not plan:
                plan, folds = last_plan, {k: {} for k in folds}  # scored anew under the last round's policy
            wanted = plan.splits[-budget:] if by_cutoffs else plan.splits
            extra = {} if by_cutoffs else {self.resource: budget}
            jobs, owners = [], []
            for k in alive:
                # Independent folds scored in an earlier round are the same fits: only the new cutoffs run.
                # Chained folds (updates between refits), or a new value of the resource parameter: all run again.
                if plan.independent and by_cutoffs:
                    splits = [s for s in wanted if int(s[0][-1]) not in folds[k]]
                else:
                    folds[k], splits = {}, wanted
                if splits:
                    candidate = self._candidate({**candidates[k], **extra})
                    candidate_jobs = fold_jobs(candidate, y, X, replace(plan, splits=splits))
                    jobs.extend(candidate_jobs)
                    owners.extend([k] * len(candidate_jobs))
            outputs = run_jobs(jobs, self.n_jobs, self.backend, self.progress, f"search round {r + 1}")
            for k, output in zip(owners, outputs):
                folds[k].update({fold.cutoff: fold for fold in output})
                spent[k] += float(sum(fold.fit_seconds for fold in output))
            cutoffs = {int(s[0][-1]) for s in wanted}
            for k in alive:
                scored = [folds[k][c] for c in sorted(folds[k]) if c in cutoffs]
                results[k] = BacktestResult.from_folds(scored, plan.data, plan.horizon, None)
                reached[k], budgets[k] = r, budget
            alive = sorted(alive, key=lambda k: (self._score(results[k]), k))
        self.cv_results_ = self._table(candidates, results, reached, budgets, spent)
        best = int(self.cv_results_["rank"].idxmin())
        self.best_index_ = best
        final = {} if by_cutoffs or self.max_resources is None else {self.resource: int(self.max_resources)}
        self.best_params_ = {**candidates[best], **final}
        self.best_score_ = float(self.cv_results_.loc[best, "mean_score"])
        self.n_inner_cutoffs_ = total
        self.best_forecaster_ = self._candidate(self.best_params_).fit(y, X)

    def _candidate(self, params: dict) -> Any:
        return clone(self.forecaster).set_params(**params)

    def _score(self, result: BacktestResult) -> float:
        value = float(result.score([self.scoring]).iloc[0, 0])
        return value if np.isfinite(value) else np.inf

    def _table(self, candidates: list[dict], results: dict, reached: dict, budgets: dict, spent: dict) -> pd.DataFrame:
        rows = []
        for k, params in enumerate(candidates):
            result = results[k]
            per_cutoff = result.score([self.scoring], by="cutoff")[self.scoring].to_numpy()
            row = {"params": params, **{f"param_{name}": value for name, value in params.items()}}
            row.update(mean_score=self._score(result), std_score=float(np.std(per_cutoff)))
            row.update({f"cutoff{i}_score": float(v) for i, v in enumerate(per_cutoff)})
            row.update(n_cutoffs=len(per_cutoff), round=reached[k], resources=budgets[k], fit_seconds=spent[k])
            rows.append(row)
        table = pd.DataFrame(rows)
        # Candidates that reached a later round rank above those eliminated earlier, then by score.
        order = table.sort_values(["round", "mean_score"], ascending=[False, True], kind="stable").index
        table["rank"] = 0
        table.loc[order, "rank"] = np.arange(1, len(table) + 1)
        return table

    # -- forecasting with the chosen candidate -----------------------------------------
    def _update_inputs(self, data: SeriesData, y_new: Any, X_new: Any) -> None:
        self.best_forecaster_ = _copy_fitted(self.best_forecaster_)
        self.best_forecaster_.update(y_new, X_new)

    def predict(self, horizon: int, X: Any = None) -> Any:
        """Forecast with the chosen candidate; see :meth:`BaseForecaster.predict`."""
        check_is_fitted(self)
        self._check_params_unchanged("predict")
        return self.best_forecaster_.predict(horizon, X=X)

    def predict_interval(self, horizon: int, coverage: float = 0.9, X: Any = None) -> pd.DataFrame:
        """Prediction intervals of the chosen candidate; see :meth:`BaseForecaster.predict_interval`."""
        check_is_fitted(self)
        self._check_params_unchanged("predict_interval")
        return self.best_forecaster_.predict_interval(horizon, coverage=coverage, X=X)

    def predict_quantiles(self, horizon: int, quantiles: Any = (0.05, 0.5, 0.95), X: Any = None) -> pd.DataFrame:
        """Quantile forecasts of the chosen candidate; see :meth:`BaseForecaster.predict_quantiles`."""
        check_is_fitted(self)
        self._check_params_unchanged("predict_quantiles")
        return self.best_forecaster_.predict_quantiles(horizon, quantiles=quantiles, X=X)

    # -- how much the search flatters ---------------------------------------------------
    def optimism(
        self,
        y: Any,
        X: Any = None,
        *,
        horizon: int,
        step: int | None = None,
        initial: Any = None,
        refit: bool | int = True,
        progress: bool = False,
    ) -> Optimism:
        """Nested evaluation: the inner best score of each outer fit beside the score it then earned.

        At each outer refit point a clone of this search runs on the data up to
        that cutoff; its chosen candidate forecasts the following cutoffs
        (updated between refits), exactly as ``backtest(search, y, ...)`` does.

        Parameters
        ----------
        y, X
            The series and covariates.
        horizon, step, initial, refit
            The outer walk-forward, as in :func:`tsrnn.backtest`.
        progress : bool, default=False
            Show a progress bar over outer cutoffs.

        Returns
        -------
        Optimism
        """
        return nested_search(self, y, X, horizon=horizon, step=step, initial=initial, refit=refit, progress=progress)


def _copy_fitted(forecaster: Any) -> Any:
    """A deep copy of a fitted forecaster, so that a failed update leaves the original as it was."""
    import copy

    return copy.deepcopy(forecaster)
