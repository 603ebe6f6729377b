"""Planning a backtest: its arguments checked once and its folds fixed, before any model is trained.

``plan_backtest`` is shared by :func:`tsrnn.backtest` and :func:`tsrnn.compare`,
so both refuse the same arguments with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tsrnn._validation import (
    InvalidParameterError,
    Options,
    SeriesData,
    check_coverage,
    check_horizon,
    check_quantiles,
    check_series,
    is_integer,
    validate_params,
)
from tsrnn.chains import WarmStart, check_warm_start
from tsrnn.splitters import SCHEMES, WalkForward

__all__ = ["BacktestPlan", "plan_backtest", "check_is_forecaster"]


@dataclass(frozen=True)
class BacktestPlan:
    """The checked arguments of a backtest and its folds.

    Attributes
    ----------
    data : SeriesData
        The validated series.
    cv : WalkForward
        The splitter.
    splits : list of (np.ndarray, np.ndarray)
        Training and test positions of every fold, oldest first.
    refit : bool or int
        True (refit at every cutoff), False (fit once, then update) or k.
    warm_start : WarmStart or False
        How refits continue from the last fit (:class:`tsrnn.chains.WarmStart`), or False for cold refits.
    coverage : float or None
        Coverage of the recorded intervals.
    quantiles : np.ndarray or None
        Levels of the recorded quantiles.
    """

    data: SeriesData
    cv: WalkForward
    splits: list
    refit: bool | int
    warm_start: WarmStart | bool
    coverage: float | None
    quantiles: np.ndarray | None

    @property
    def horizon(self) -> int:
        """Periods forecast at each cutoff."""
        return int(self.cv.horizon)

    @property
    def independent(self) -> bool:
        """Whether every fold is fitted on its own (and may run in parallel)."""
        return self.refit is True and not self.warm_start


#: What a backtest calls on a forecaster (``BaseForecaster`` defines them all).
_FORECASTER_METHODS = (
    "fit", "update", "predict", "predict_interval", "get_params", "set_params", "get_covariates", "warm_start_params",
)  # fmt: skip


def check_is_forecaster(forecaster: Any, name: str = "forecaster") -> Any:
    """Return ``forecaster``, or raise if it is not an instance of a forecaster.

    Parameters
    ----------
    forecaster : Any
        The value to check.
    name : str, default="forecaster"
        How the message names it (``"models['ar']"``).

    Returns
    -------
    BaseForecaster

    Raises
    ------
    InvalidParameterError
        For a class instead of an instance, or an object without the methods a backtest calls.
    """
    if isinstance(forecaster, type):
        raise InvalidParameterError(
            f"{name} must be a forecaster instance; got the class {forecaster.__name__}: pass {forecaster.__name__}()."
        )
    missing = [m for m in _FORECASTER_METHODS if not callable(getattr(forecaster, m, None))]
    if missing:
        raise InvalidParameterError(
            f"{name} must be a forecaster (a BaseForecaster); got {forecaster!r}, which has no {missing[0]}()."
        )
    return forecaster


def _check_refit(refit: Any) -> bool | int:
    if isinstance(refit, (bool, np.bool_)):
        return bool(refit)
    if is_integer(refit) and refit >= 1:
        return True if refit == 1 else int(refit)
    raise InvalidParameterError(f"refit must be True, False or a positive int (refit every k cutoffs); got {refit!r}.")


def _resolve_cv(cv: Any, horizon: Any, step: Any, initial: Any, scheme: str) -> WalkForward:
    validate_params({"scheme": [Options(*SCHEMES)]}, {"scheme": scheme})
    if cv is None:
        if horizon is None:
            raise InvalidParameterError("pass horizon (periods forecast at each cutoff) or cv=WalkForward(...).")
        if scheme != "sliding":
            return WalkForward(horizon=horizon, step=step, initial=initial, scheme="expanding")
        if initial is None:
            raise InvalidParameterError("scheme='sliding' needs initial, the length of each training set.")
        # The splitter would name its own train_length; the caller passed initial.
        if not is_integer(initial) or initial < 1:
            raise InvalidParameterError(
                f"initial, the length of each training set of scheme='sliding', must be a positive int; got {initial!r}."
            )
        return WalkForward(horizon=horizon, step=step, initial=initial, scheme="sliding", train_length=initial)
    if not isinstance(cv, WalkForward):
        raise InvalidParameterError(f"cv must be a WalkForward; got {type(cv).__name__}.")
    given = {"horizon": horizon, "step": step, "initial": initial}
    if scheme != "expanding":
        # The default says nothing; only a scheme the caller chose can contradict the cv's.
        given["scheme"] = scheme
    clashing = [name for name, value in given.items() if value is not None and value != getattr(cv, name)]
    if clashing:
        name = clashing[0]
        raise InvalidParameterError(
            f"{name}={given[name]!r} differs from the cv's {name}={getattr(cv, name)!r}; pass the folds either as "
            f"cv or as horizon/step/initial/scheme, not both."
        )
    check_horizon(cv.horizon)
    return cv


def plan_backtest(
    y: Any,
    X: Any = None,
    *,
    cv: WalkForward | None = None,
    horizon: int | None = None,
    step: int | None = None,
    initial: Any = None,
    scheme: str = "expanding",
    refit: bool | int = True,
    warm_start: Any = False,
    coverage: float | None = None,
    quantiles: Any = None,
) -> BacktestPlan:
    """Check the arguments of a backtest and fix its folds.

    Every check of :func:`tsrnn.backtest` (and of :func:`tsrnn.compare`, which
    plans each model's backtest here) runs in this function, before any
    model is trained.

    Parameters
    ----------
    y, X
        The series and its covariates, as in :func:`tsrnn.backtest`.
    cv, horizon, step, initial, scheme, refit, warm_start, coverage, quantiles
        As in :func:`tsrnn.backtest`.

    Returns
    -------
    BacktestPlan

    Raises
    ------
    InvalidParameterError
        For an argument outside what is allowed, named with its value.
    ValueError
        For a series too short for the folds, or covariates on other rows.

    Examples
    --------
    >>> import numpy as np
    >>> plan = plan_backtest(np.arange(20.0), horizon=5, initial=10)
    >>> [int(test[0]) for _, test in plan.splits]
    [10, 15]
    """
    data = check_series(y, "y", allow_missing=True)
    cv = _resolve_cv(cv, horizon, step, initial, scheme)
    plan_refit = _check_refit(refit)
    plan_warm = check_warm_start(warm_start, plan_refit)
    plan_coverage = None if coverage is None else check_coverage(coverage, "coverage")
    levels = None if quantiles is None else check_quantiles(quantiles)
    if X is not None and len(X) != len(data.index):
        raise ValueError(f"X has {len(X)} rows but y has {len(data.index)}; they must share the index.")
    splits = list(cv.split(y))
    return BacktestPlan(data, cv, splits, plan_refit, plan_warm, plan_coverage, levels)
