"""The outcome of a backtest: tidy forecasts, scores by group, and a plot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tsrnn import metrics as _metrics
from tsrnn._validation import InvalidParameterError

__all__ = ["Fold", "BacktestResult", "check_metrics", "SCORES"]

#: Every score a backtest offers: point metrics, then interval and quantile ones.
SCORES = (*_metrics.METRICS, "mase", "coverage", "interval_score", "pinball", "crps")


def check_metrics(metrics: Any, intervals: bool = True, quantiles: bool = True) -> tuple[str, ...]:
    """The metric names as a tuple, or an error naming what is unknown or not recorded."""
    names = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    unknown = [m for m in names if m not in SCORES]
    if unknown or not names:
        raise InvalidParameterError(f"metrics must name some of {list(SCORES)}; got {list(names)}.")
    if {"coverage", "interval_score"} & set(names) and not intervals:
        raise ValueError("coverage and interval_score need intervals: run backtest(..., coverage=0.9).")
    if {"pinball", "crps"} & set(names) and not quantiles:
        raise ValueError("pinball and crps need quantiles: run backtest(..., quantiles=[0.05, 0.5, 0.95]).")
    return names


@dataclass
class Fold:
    """The forecasts made at one cutoff (a position in the series), with their timings."""

    cutoff: int
    predictions: np.ndarray
    lower: np.ndarray | None
    upper: np.ndarray | None
    fit_seconds: float
    predict_seconds: float
    quantiles: np.ndarray | None = None


class BacktestResult:
    """Forecasts of a walk-forward backtest, with scores and a plot.

    Attributes
    ----------
    forecasts : pd.DataFrame
        One row per (series, cutoff, step): ``series``, ``cutoff`` (last training
        timestamp), ``timestamp``, ``step`` (1..horizon), ``y_true``, ``y_pred``,
        ``lower``/``upper`` when intervals were recorded, and one column per
        quantile level (named by the level, e.g. ``0.05``) when quantiles were.
    fit_seconds, predict_seconds : pd.Series
        Seconds spent fitting (or updating) and forecasting at each cutoff.
    scales : pd.DataFrame
        The in-sample one-step naive MAE of each fold's training data, per
        series and cutoff: the MASE denominator.
    coverage_level : float or None
        The nominal coverage of the recorded intervals.
    quantile_levels : np.ndarray or None
        The levels of the recorded quantiles.

    Notes
    -----
    Rows whose actual value is missing are kept in ``forecasts`` but not scored.
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
        quantile_levels: np.ndarray | None = None,
    ):
        self.forecasts = forecasts
        self.fit_seconds = fit_seconds
        self.predict_seconds = predict_seconds
        self.scales = scales
        self.horizon = horizon
        self.coverage_level = coverage_level
        self.y = y
        self.quantile_levels = quantile_levels

    @classmethod
    def from_folds(
        cls, folds: list[Fold], data: Any, horizon: int, coverage: float | None, quantiles: np.ndarray | None = None
    ) -> BacktestResult:
        """The result of the ``folds`` of a backtest of the validated series ``data`` (a ``SeriesData``)."""
        index, values = data.index, data.values
        names = [str(c) if c is not None else "y" for c in data.columns]
        frames, scales = [], []
        for fold in folds:
            c = fold.cutoff
            # MASE is scaled by each fold's own training data, never by the future.
            steps = np.abs(np.diff(values[: c + 1], axis=0))
            naive = np.nanmean(steps, axis=0) if len(steps) else np.full(len(names), np.nan)
            for j, name in enumerate(names):
                frame = {
                    "series": name,
                    "cutoff": index[c],
                    "timestamp": index[c + 1 : c + 1 + horizon],
                    "step": np.arange(1, horizon + 1),
                    "y_true": values[c + 1 : c + 1 + horizon, j],
                    "y_pred": fold.predictions[:, j],
                }
                if fold.lower is not None:
                    frame["lower"], frame["upper"] = fold.lower[:, j], fold.upper[:, j]
                if fold.quantiles is not None:
                    frame.update({level: fold.quantiles[:, j, k] for k, level in enumerate(quantiles)})
                frames.append(pd.DataFrame(frame))
                scales.append({"series": name, "cutoff": index[c], "scale": naive[j]})
        cutoffs = pd.Index([index[f.cutoff] for f in folds], name="cutoff")
        fit_seconds = pd.Series([f.fit_seconds for f in folds], index=cutoffs, name="fit_seconds")
        predict_seconds = pd.Series([f.predict_seconds for f in folds], index=cutoffs, name="predict_seconds")
        y = pd.DataFrame(values, index=index, columns=names)
        forecasts = pd.concat(frames, ignore_index=True)
        return cls(forecasts, fit_seconds, predict_seconds, pd.DataFrame(scales), horizon, coverage, y, quantiles)

    def __repr__(self) -> str:
        n_cutoffs = self.forecasts["cutoff"].nunique()
        return f"BacktestResult({n_cutoffs} cutoffs, horizon={self.horizon}, series={list(self.y.columns)})"

    def _repr_html_(self) -> str:
        import html

        wanted = ["mae", "rmse", "mase"] + (["coverage", "interval_score"] if self.coverage_level is not None else [])
        table = self.score(wanted, by="series").map(lambda v: f"{v:.3g}")
        table.columns = [c.replace("_", " ") for c in table.columns]
        return f"<p>{html.escape(repr(self))}</p>" + table.to_html(border=0)

    @property
    def cutoffs(self) -> pd.Index:
        """The cutoffs, oldest first."""
        return pd.Index(self.forecasts["cutoff"].unique(), name="cutoff")

    def _scored_rows(self) -> pd.DataFrame:
        rows = self.forecasts[self.forecasts["y_true"].notna()]
        rows = rows.merge(self.scales, on=["series", "cutoff"], how="left")
        rows["error"] = rows["y_pred"] - rows["y_true"]
        return rows

    def score(self, metrics: Sequence[str] = ("mae", "rmse", "mase"), by: str | None = None) -> pd.DataFrame:
        """Score the forecasts.

        Parameters
        ----------
        metrics : sequence of str, default=("mae", "rmse", "mase")
            Any of ``mae``, ``rmse``, ``mape``, ``smape``, ``mase``; when
            intervals were recorded, ``coverage`` and ``interval_score``; when
            quantiles were, ``pinball`` and ``crps``.
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
            raise InvalidParameterError(f"by must be None, 'step', 'cutoff' or 'series'; got {by!r}.")
        metrics = check_metrics(metrics, self.coverage_level is not None, self.quantile_levels is not None)
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
        if name in ("pinball", "crps"):
            score = _metrics.pinball_loss if name == "pinball" else _metrics.crps
            levels = self.quantile_levels
            return score(rows["y_true"].to_numpy(), rows[list(levels)].to_numpy(), levels)
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
