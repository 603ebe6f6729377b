"""Walk-forward backtesting: forecasts made at successive cutoffs, each from the past only.

``WalkForward`` says where the cutoffs are; ``backtest`` fits (or updates) a
forecaster at each cutoff and records its forecasts of the following periods;
``BacktestResult`` scores and plots them. Independent folds run in parallel with
joblib or on a Dask cluster, with results identical to a serial run.
"""

from __future__ import annotations

import numbers
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from tsrnn import metrics as _metrics
from tsrnn.base import check_coverage, check_horizon, check_positive_int, check_series

__all__ = ["WalkForward", "backtest", "BacktestResult", "run_jobs"]


class WalkForward:
    """Walk-forward splitter: train on the past, test on the next ``horizon`` periods.

    Parameters
    ----------
    horizon : int
        Periods forecast at each cutoff (the test fold length).
    step : int, optional
        Periods between consecutive cutoffs; defaults to ``horizon`` (test
        folds that tile the timeline).
    initial : int or timestamp, optional
        Size of the first training window, or the timestamp that ends it.
        Defaults to ``window_length`` for a sliding window, else half the series.
    window : {"expanding", "sliding"}, default="expanding"
        Expanding windows keep all the past; sliding windows keep the last
        ``window_length`` periods.
    window_length : int, optional
        Training window length for ``window="sliding"``.

    Notes
    -----
    Cutoff ``k`` (the last training position) is ``initial - 1 + k * step``;
    only cutoffs whose whole test fold lies inside the series are used.
    ``split`` yields position arrays, so a ``WalkForward`` also serves as
    ``cv=`` in scikit-learn tools.

    Examples
    --------
    >>> cv = WalkForward(horizon=7, initial=100)
    >>> cv.n_splits(np.zeros(128))
    4
    """

    def __init__(
        self,
        horizon: int,
        step: int | None = None,
        initial: Any = None,
        window: str = "expanding",
        window_length: int | None = None,
    ):
        self.horizon = horizon
        self.step = step
        self.initial = initial
        self.window = window
        self.window_length = window_length

    def __repr__(self) -> str:
        parts = [f"horizon={self.horizon!r}"]
        for name in ("step", "initial", "window_length"):
            if getattr(self, name) is not None:
                parts.append(f"{name}={getattr(self, name)!r}")
        if self.window != "expanding":
            parts.append(f"window={self.window!r}")
        return f"WalkForward({', '.join(parts)})"

    def _index_of(self, y: Any) -> pd.Index:
        if isinstance(y, (pd.Series, pd.DataFrame)):
            return y.index
        return pd.RangeIndex(len(y))

    def cutoffs(self, y: Any) -> np.ndarray:
        """Positions of the last training observation of every fold."""
        horizon = check_horizon(self.horizon)
        step = horizon if self.step is None else check_positive_int(self.step, "step")
        if self.window not in ("expanding", "sliding"):
            raise ValueError(f"window must be 'expanding' or 'sliding', got {self.window!r}.")
        index = self._index_of(y)
        n = len(index)
        if self.window == "sliding":
            if self.window_length is None:
                raise ValueError("window='sliding' needs window_length, the number of periods to train on.")
            check_positive_int(self.window_length, "window_length")
        initial = self.initial
        if initial is None:
            initial = self.window_length if self.window == "sliding" else n // 2
        elif not isinstance(initial, numbers.Integral) or isinstance(initial, bool):
            if not isinstance(index, pd.DatetimeIndex):
                raise TypeError(f"initial must be an int for a series without a DatetimeIndex, got {initial!r}.")
            stamp = pd.Timestamp(initial)
            if stamp not in index:
                raise ValueError(f"initial={initial!r} is not a timestamp of the series.")
            initial = index.get_loc(stamp) + 1
        initial = int(initial)
        if initial < 2:
            raise ValueError(f"initial must leave at least 2 training periods, got {initial}.")
        if self.window == "sliding" and initial < self.window_length:
            raise ValueError(f"initial={initial} is shorter than window_length={self.window_length}.")
        if initial + horizon > n:
            raise ValueError(
                f"the series has {n} periods; initial={initial} and horizon={horizon} need at least {initial + horizon}."
            )
        return np.arange(initial - 1, n - horizon, step)

    def split(self, y: Any, X: Any = None, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_positions, test_positions)`` for every fold, oldest first."""
        horizon = check_horizon(self.horizon)
        for cutoff in self.cutoffs(y):
            start = 0 if self.window == "expanding" else cutoff + 1 - self.window_length
            yield np.arange(start, cutoff + 1), np.arange(cutoff + 1, cutoff + 1 + horizon)

    def n_splits(self, y: Any) -> int:
        """Number of folds on ``y``."""
        return len(self.cutoffs(y))

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """scikit-learn's name for ``n_splits``."""
        if X is None:
            raise ValueError("WalkForward needs the data to count its folds: get_n_splits(X).")
        return self.n_splits(X)


# -- running jobs ------------------------------------------------------------------


def _limit_threads(n_workers: int) -> None:
    """Give each parallel worker its share of the cores, so torch does not oversubscribe."""
    import torch

    share = max(1, (os.cpu_count() or 1) // max(1, n_workers))
    torch.set_num_threads(share)


def _call(job: tuple[Callable, tuple], n_workers: int) -> Any:
    function, args = job
    if n_workers > 1:
        _limit_threads(n_workers)
    return function(*args)


def run_jobs(
    jobs: Sequence[tuple[Callable, tuple]],
    n_jobs: int | None = 1,
    backend: str | None = None,
    progress: bool = False,
    description: str = "folds",
) -> list[Any]:
    """Run independent ``(function, args)`` jobs and return their results in order.

    Parameters
    ----------
    jobs : sequence of (callable, tuple)
        Each job is called as ``function(*args)``; the functions must be
        importable (picklable) for process and Dask backends.
    n_jobs : int or None, default=1
        Parallel workers for joblib; 1 runs serially in this process, -1 uses
        every core.
    backend : None or "dask" or a joblib backend name, optional
        ``None`` follows joblib's ``parallel_config``; ``"dask"`` submits the
        jobs to the current ``dask.distributed`` Client.
    progress : bool, default=False
        Show a tqdm bar over completed jobs.

    Returns
    -------
    list
        ``function(*args)`` of every job, in the order of ``jobs``; a job whose
        worker dies is re-run by the scheduler, never lost or duplicated.
    """
    from tqdm import tqdm

    bar = tqdm(total=len(jobs), desc=description, disable=not progress, leave=False)
    try:
        if backend == "dask":
            return _run_on_dask(jobs, bar)
        workers = _n_workers(n_jobs)
        if workers == 1 and backend is None:
            results = []
            for job in jobs:
                results.append(_call(job, 1))
                bar.update()
            return results
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")
        results = []
        for result in parallel(delayed(_call)(job, workers) for job in jobs):
            results.append(result)
            bar.update()
        return results
    finally:
        bar.close()


def _n_workers(n_jobs: int | None) -> int:
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero int or None, got {n_jobs!r}.")
    cores = os.cpu_count() or 1
    return int(n_jobs) if n_jobs > 0 else max(1, cores + 1 + int(n_jobs))


def _run_on_dask(jobs: Sequence[tuple[Callable, tuple]], bar: Any) -> list[Any]:
    try:
        from distributed import as_completed, get_client
    except ImportError:
        raise ValueError("backend='dask' needs dask.distributed: pip install 'tsrnn[distributed]'.") from None
    try:
        client = get_client()
    except ValueError:
        raise ValueError(
            "backend='dask' needs a running dask.distributed Client: start one with "
            "`from dask.distributed import Client; client = Client()` (a local cluster) or "
            "`Client('tcp://scheduler:8786')` (an existing cluster), then call again."
        ) from None
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    futures = [client.submit(_call, job, n_workers, pure=False) for job in jobs]
    position = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for future in as_completed(futures):
        results[position[future.key]] = future.result()
        bar.update()
    return results


# -- backtest -----------------------------------------------------------------------


@dataclass
class _Fold:
    cutoff: int
    predictions: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None
    fit_seconds: float
    predict_seconds: float


def _slice(y: Any, positions: np.ndarray | slice) -> Any:
    if y is None:
        return None
    if isinstance(y, (pd.Series, pd.DataFrame)):
        return y.iloc[positions]
    return y[positions]


def _as_2d(values: Any) -> np.ndarray:
    if isinstance(values, pd.DataFrame) and isinstance(values.columns, pd.MultiIndex):
        return values.to_numpy()
    array = np.asarray(values, dtype=float)
    return array[:, None] if array.ndim == 1 else array


def _future_X(forecaster: Any, X: Any, test: np.ndarray) -> Any:
    """Only the declared future covariates of the forecast window: nothing else after the cutoff is passed on."""
    if X is None:
        return None
    columns = forecaster.get_params().get("future_covariates") or []
    return X.iloc[test][list(columns)] if columns else None


def _predict_fold(
    forecaster: Any, horizon: int, coverage: float | None, X_future: Any
) -> tuple[np.ndarray, Any, Any, float]:
    start = time.perf_counter()
    predictions = _as_2d(forecaster.predict(horizon, X=X_future))
    lower = upper = None
    if coverage is not None:
        band = forecaster.predict_interval(horizon, coverage=coverage, X=X_future)
        if isinstance(band.columns, pd.MultiIndex):
            lower = band.xs("lower", axis=1, level=1).to_numpy()
            upper = band.xs("upper", axis=1, level=1).to_numpy()
        else:
            lower, upper = band[["lower"]].to_numpy(), band[["upper"]].to_numpy()
    return predictions, lower, upper, time.perf_counter() - start


def _fit_and_predict(
    forecaster: Any, y_train: Any, X_train: Any, cutoff: int, horizon: int, coverage: Any, X_future: Any = None
) -> _Fold:
    """One independent fold: fit a fresh clone on the training window, then forecast."""
    fitted = clone(forecaster)
    start = time.perf_counter()
    fitted.fit(y_train, X_train)
    fit_seconds = time.perf_counter() - start
    predictions, lower, upper, predict_seconds = _predict_fold(fitted, horizon, coverage, X_future)
    return _Fold(cutoff, predictions, lower, upper, fit_seconds, predict_seconds)


def _run_sequential(
    forecaster: Any,
    y: Any,
    X: Any,
    splits: list,
    horizon: int,
    refit: Any,
    warm_start: bool,
    coverage: Any,
    progress: bool,
) -> list[_Fold]:
    """Folds that depend on each other: updates between refits, or warm-started refits."""
    from tqdm import tqdm

    folds, current, last_cutoff = [], None, None
    params = forecaster.get_params()
    supports_warm = bool(warm_start) and "warm_start" in params
    # An int warm_start is the number of epochs of each refit that continues from the last weights.
    warm_params = {"warm_start": True}
    if supports_warm and warm_start is not True and "epochs" in params:
        warm_params["epochs"] = int(warm_start)
    for k, (train, test) in enumerate(tqdm(splits, desc="backtest", disable=not progress, leave=False)):
        cutoff = int(train[-1])
        do_refit = current is None or refit is True or (refit is not False and k % int(refit) == 0)
        start = time.perf_counter()
        if do_refit:
            if supports_warm and current is not None:
                current.set_params(**warm_params)
            else:
                current = clone(forecaster)
            current.fit(_slice(y, train), _slice(X, train))
        else:
            new = slice(last_cutoff + 1, cutoff + 1)
            current.update(_slice(y, new), _slice(X, new))
        fit_seconds = time.perf_counter() - start
        predictions, lower, upper, predict_seconds = _predict_fold(
            current, horizon, coverage, _future_X(forecaster, X, test)
        )
        folds.append(_Fold(cutoff, predictions, lower, upper, fit_seconds, predict_seconds))
        last_cutoff = cutoff
    return folds


def _check_warm_start(warm_start: Any) -> Any:
    if isinstance(warm_start, bool):
        return warm_start
    if isinstance(warm_start, numbers.Integral) and warm_start >= 1:
        return int(warm_start)
    raise ValueError(f"warm_start must be True, False or a positive int (epochs per warm refit), got {warm_start!r}.")


def _check_refit(refit: Any) -> Any:
    if isinstance(refit, bool):
        return refit
    if isinstance(refit, numbers.Integral) and refit >= 1:
        return True if refit == 1 else int(refit)
    raise ValueError(f"refit must be True, False or a positive int (refit every k cutoffs), got {refit!r}.")


def backtest(
    forecaster: Any,
    y: Any,
    X: Any = None,
    *,
    cv: WalkForward | None = None,
    horizon: int | None = None,
    step: int | None = None,
    initial: Any = None,
    window: str = "expanding",
    refit: bool | int = True,
    warm_start: bool | int = False,
    intervals: float | None = None,
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
        in ``future_covariates``, for the forecast window. Nothing else after
        the cutoff reaches the forecaster.
    cv : WalkForward, optional
        The folds. Without it they are built from ``horizon``, ``step``,
        ``initial`` and ``window`` (a sliding window is ``initial`` long).
    horizon, step, initial, window
        See :class:`WalkForward`.
    refit : bool or int, default=True
        ``True`` refits at every cutoff; ``False`` fits at the first cutoff and
        then only ``update``s with the newly observed data before each
        forecast; an int ``k`` refits every ``k`` cutoffs and updates between.
    warm_start : bool or int, default=False
        Refits continue from the previous fold's weights (for forecasters with
        a ``warm_start`` parameter; others are refitted from scratch). An int
        ``k`` also sets the epochs of those refits to ``k``: the first fit
        trains the forecaster's own ``epochs``, later ones only fine-tune.
    intervals : float, optional
        Also record ``predict_interval`` with this coverage (e.g. 0.9).
    n_jobs : int or None, default=1
        Parallel workers for independent folds (``refit=True`` without warm
        start); dependent folds always run in order.
    backend : None or "dask" or a joblib backend name, optional
        ``"dask"`` runs the folds on the current ``dask.distributed`` Client.
    progress : bool, default=True
        Show a progress bar over cutoffs.

    Returns
    -------
    BacktestResult
    """
    data = check_series(y, "y")
    cv = _resolve_cv(cv, horizon, step, initial, window)
    refit = _check_refit(refit)
    warm_start = _check_warm_start(warm_start)
    coverage = None if intervals is None else check_coverage(intervals, "intervals")
    _check_X_rows(X, data)
    splits = list(cv.split(y))
    if refit is True and not warm_start:
        jobs = fold_jobs(forecaster, y, X, splits, cv.horizon, refit, warm_start, coverage)
        folds = [fold for result in run_jobs(jobs, n_jobs, backend, progress, "backtest") for fold in result]
    else:
        folds = _run_sequential(forecaster, y, X, splits, cv.horizon, refit, warm_start, coverage, progress)
    return BacktestResult._from_folds(folds, data, cv.horizon, coverage)


def _resolve_cv(cv: Any, horizon: Any, step: Any, initial: Any, window: str) -> WalkForward:
    if cv is None:
        if horizon is None:
            raise ValueError("pass horizon (periods forecast at each cutoff) or cv=WalkForward(...).")
        if window == "sliding" and initial is None:
            raise ValueError("window='sliding' needs initial, the length of each training window.")
        window_length = initial if window == "sliding" else None
        cv = WalkForward(horizon=horizon, step=step, initial=initial, window=window, window_length=window_length)
    elif not isinstance(cv, WalkForward):
        raise TypeError(f"cv must be a WalkForward, got {type(cv).__name__}.")
    check_horizon(cv.horizon)
    return cv


def _check_X_rows(X: Any, data: Any) -> None:
    if X is not None and len(X) != len(data.index):
        raise ValueError(f"X has {len(X)} rows but y has {len(data.index)}; they must share the index.")


def fold_jobs(
    forecaster: Any, y: Any, X: Any, splits: list, horizon: int, refit: Any, warm_start: bool, coverage: Any
) -> list[tuple[Callable, tuple]]:
    """The backtest of one forecaster as jobs for ``run_jobs``; each returns a list of folds.

    Independent folds (refit at every cutoff, no warm start) are one job each;
    otherwise the whole chain of folds is a single job, run in order.
    """
    if refit is True and not warm_start:
        return [
            (
                _single_fold,
                (
                    forecaster,
                    _slice(y, train),
                    _slice(X, train),
                    int(train[-1]),
                    horizon,
                    coverage,
                    _future_X(forecaster, X, test),
                ),
            )
            for train, test in splits
        ]
    return [(_run_sequential, (forecaster, y, X, splits, horizon, refit, warm_start, coverage, False))]


def _single_fold(*args: Any) -> list[_Fold]:
    return [_fit_and_predict(*args)]


class BacktestResult:
    """Forecasts of a walk-forward backtest, with scores and a plot.

    Attributes
    ----------
    forecasts : pd.DataFrame
        One row per (series, cutoff, step): ``series``, ``cutoff`` (last training
        timestamp), ``timestamp``, ``step`` (1..horizon), ``y_true``, ``y_pred``,
        and ``lower``/``upper`` when intervals were recorded.
    fit_seconds, predict_seconds : pd.Series
        Seconds spent fitting (or updating) and forecasting at each cutoff.
    scales : pd.DataFrame
        The in-sample one-step naive MAE of each fold's training data, per
        series and cutoff: the MASE denominator.
    coverage_level : float or None
        The nominal coverage of the recorded intervals.
    """

    def __init__(
        self,
        forecasts: pd.DataFrame,
        fit_seconds: pd.Series,
        predict_seconds: pd.Series,
        scales: pd.DataFrame,
        horizon: int,
        coverage_level: float | None,
        y: pd.DataFrame,
    ):
        self.forecasts = forecasts
        self.fit_seconds = fit_seconds
        self.predict_seconds = predict_seconds
        self.scales = scales
        self.horizon = horizon
        self.coverage_level = coverage_level
        self.y = y

    @classmethod
    def _from_folds(cls, folds: list[_Fold], data: Any, horizon: int, coverage: float | None) -> BacktestResult:
        index, values = data.index, data.values
        names = [str(c) if c is not None else "y" for c in data.columns]
        frames, scales = [], []
        for fold in folds:
            c = fold.cutoff
            future = index[c + 1 : c + 1 + horizon]
            # MASE is scaled by each fold's own training data, never by the future.
            train = values[: c + 1]
            naive = np.mean(np.abs(np.diff(train, axis=0)), axis=0) if len(train) > 1 else np.full(len(names), np.nan)
            for j, name in enumerate(names):
                frame = {
                    "series": name,
                    "cutoff": index[c],
                    "timestamp": future,
                    "step": np.arange(1, horizon + 1),
                    "y_true": values[c + 1 : c + 1 + horizon, j],
                    "y_pred": fold.predictions[:, j],
                }
                if fold.lower is not None:
                    frame["lower"], frame["upper"] = fold.lower[:, j], fold.upper[:, j]
                frames.append(pd.DataFrame(frame))
                scales.append({"series": name, "cutoff": index[c], "scale": naive[j]})
        forecasts = pd.concat(frames, ignore_index=True)
        cutoffs = pd.Index([index[f.cutoff] for f in folds], name="cutoff")
        fit_seconds = pd.Series([f.fit_seconds for f in folds], index=cutoffs, name="fit_seconds")
        predict_seconds = pd.Series([f.predict_seconds for f in folds], index=cutoffs, name="predict_seconds")
        y = pd.DataFrame(values, index=index, columns=names)
        return cls(forecasts, fit_seconds, predict_seconds, pd.DataFrame(scales), horizon, coverage, y)

    def __repr__(self) -> str:
        n_cutoffs = self.forecasts["cutoff"].nunique()
        return f"BacktestResult({n_cutoffs} cutoffs, horizon={self.horizon}, series={list(self.y.columns)})"

    @property
    def cutoffs(self) -> pd.Index:
        """The cutoffs, oldest first."""
        return pd.Index(self.forecasts["cutoff"].unique(), name="cutoff")

    def _scored_rows(self) -> pd.DataFrame:
        rows = self.forecasts.merge(self.scales, on=["series", "cutoff"], how="left")
        rows["error"] = rows["y_pred"] - rows["y_true"]
        return rows

    def score(self, metrics: Sequence[str] = ("mae", "rmse", "mase"), by: str | None = None) -> pd.DataFrame:
        """Score the forecasts.

        Parameters
        ----------
        metrics : sequence of str, default=("mae", "rmse", "mase")
            Any of ``mae``, ``rmse``, ``mape``, ``smape``, ``mase``, and, when
            intervals were recorded, ``coverage`` and ``interval_score``.
        by : {None, "step", "cutoff", "series"}, default=None
            Score every row together (one row named ``all``), or per group.

        Returns
        -------
        pd.DataFrame
            One row per group, one column per metric.

        Notes
        -----
        MASE divides each absolute error by the in-sample one-step naive MAE
        of the training data of its own fold, then averages.
        """
        if by not in (None, "step", "cutoff", "series"):
            raise ValueError(f"by must be None, 'step', 'cutoff' or 'series', got {by!r}.")
        if isinstance(metrics, str):
            metrics = (metrics,)
        known = {*_metrics.METRICS, "mase", "coverage", "interval_score"}
        unknown = [m for m in metrics if m not in known]
        if unknown:
            raise ValueError(f"unknown metrics {unknown}; choose from {sorted(known)}.")
        if {"coverage", "interval_score"} & set(metrics) and self.coverage_level is None:
            raise ValueError("coverage and interval_score need intervals: run backtest(..., intervals=0.9).")
        rows = self._scored_rows()
        groups = [("all", rows)] if by is None else list(rows.groupby(by, sort=True))
        table = {}
        for key, group in groups:
            table[key] = {name: self._metric(name, group) for name in metrics}
        result = pd.DataFrame.from_dict(table, orient="index")
        result.index.name = by
        return result

    def _metric(self, name: str, rows: pd.DataFrame) -> float:
        if name == "mase":
            return float(np.mean(np.abs(rows["error"]) / rows["scale"]))
        if name == "coverage":
            return _metrics.coverage(rows["y_true"].to_numpy(), rows["lower"].to_numpy(), rows["upper"].to_numpy())
        if name == "interval_score":
            return _metrics.interval_score(
                rows["y_true"].to_numpy(), rows["lower"].to_numpy(), rows["upper"].to_numpy(), self.coverage_level
            )
        return _metrics.METRICS[name](rows["y_true"].to_numpy(), rows["y_pred"].to_numpy())

    def plot(self, series: str | None = None, history: int | None = None, ax: Any = None) -> Any:
        """Actuals, the forecasts made at each cutoff and their intervals.

        Parameters
        ----------
        series : str, optional
            Which series to draw; the first by default.
        history : int, optional
            Periods of actuals to show before the first cutoff; defaults to
            three horizons.
        ax : matplotlib Axes, optional
            Draw into these axes instead of a new figure.

        Returns
        -------
        matplotlib.figure.Figure
        """
        import matplotlib.pyplot as plt

        name = series if series is not None else self.y.columns[0]
        if name not in self.y.columns:
            raise ValueError(f"series must be one of {list(self.y.columns)}, got {series!r}.")
        rows = self.forecasts[self.forecasts["series"] == name]
        if ax is None:
            fig, ax = plt.subplots(figsize=(11, 4), layout="constrained")
        else:
            fig = ax.figure
        start = self.y.index.get_loc(rows["cutoff"].iloc[0]) - (history if history is not None else 3 * self.horizon)
        actual = self.y[name].iloc[max(0, start) :]
        ax.plot(actual.index, actual.to_numpy(), color="black", linewidth=1.0, label="actual")
        for k, (_, fold) in enumerate(rows.groupby("cutoff", sort=True)):
            ax.plot(
                fold["timestamp"], fold["y_pred"], color="tab:blue", linewidth=1.2, label="forecast" if k == 0 else None
            )
            if "lower" in fold:
                ax.fill_between(
                    fold["timestamp"], fold["lower"], fold["upper"], color="tab:blue", alpha=0.15, linewidth=0,
                    label=f"{self.coverage_level:.0%} interval" if k == 0 else None,
                )  # fmt: skip
        ax.set_title(
            f"Walk-forward forecasts of {name} ({len(rows['cutoff'].unique())} cutoffs, horizon {self.horizon})"
        )
        ax.set_xlabel("time")
        ax.set_ylabel(name)
        ax.legend(loc="best")
        return fig
