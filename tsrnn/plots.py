"""The figures of a comparison: forecasts over the backtest, error by step and by cutoff, skill.

Every figure takes a :class:`tsrnn.report.Comparison` and returns a matplotlib
Figure; model and series names are escaped so that a ``$`` in a name is
printed, not read as mathematical text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from tsrnn.report import Comparison

__all__ = [
    "plot_forecasts",
    "plot_error_by_step",
    "plot_error_by_cutoff",
    "plot_skill",
    "plot_skill_distribution",
    "plot_calibration",
    "label",
]


def label(text: Any) -> str:
    """A name as matplotlib prints it literally: ``$`` would otherwise start mathematical text."""
    return str(text).replace("$", r"\$")


def times(values: Any) -> Any:
    """Timestamps matplotlib can draw: periods become the timestamps of their start."""
    if isinstance(values, pd.PeriodIndex):
        return values.to_timestamp()
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp()
    return values


def _new_figure(width: float = 11, height: float = 4) -> tuple[Any, Any]:
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), layout="constrained")


def plot_forecasts(comparison: Comparison, series: str | None = None) -> Any:
    """Actuals and every model's forecasts over the backtest, with intervals.

    Parameters
    ----------
    comparison : Comparison
    series : str, optional
        The series to draw; the first by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    name = series if series is not None else comparison.series[0]
    fig, ax = _new_figure()
    first = next(iter(comparison.results.values()))
    rows = comparison.forecasts[comparison.forecasts["series"] == name]
    start = first.y.index.get_loc(rows["cutoff"].iloc[0])
    actual = first.y[name].iloc[start:]
    ax.plot(times(actual.index), actual.to_numpy(), color="black", linewidth=1.2, label="actual")
    ranked = comparison.scores.reset_index()
    if "series" in ranked:
        ranked = ranked[ranked["series"] == name]
    best = ranked.sort_values("rank")["model"].iloc[0]
    for model, color in comparison.colors.items():
        mine = rows[rows["model"] == model]
        for k, (_, fold) in enumerate(mine.groupby("cutoff", sort=True)):
            name_once = label(model) if k == 0 else None
            stamps = times(fold["timestamp"])
            ax.plot(stamps, fold["y_pred"], color=color, linewidth=1.0, alpha=0.9, label=name_once)
            # One band keeps the plot readable: the best-ranked model's.
            if "lower" in fold and model == best:
                band = f"{label(model)} {comparison.settings['coverage']:.0%} interval" if k == 0 else None
                ax.fill_between(stamps, fold["lower"], fold["upper"], color=color, alpha=0.15, linewidth=0, label=band)
    ax.set_title(f"Walk-forward forecasts of {label(name)}")
    ax.set_xlabel("time")
    ax.set_ylabel(label(comparison.axis_label(name)))
    ax.legend(loc="upper left", ncol=min(6, len(comparison.results) + 1), fontsize="small")
    return fig


def plot_error_by_step(comparison: Comparison) -> Any:
    """MASE of each model at each horizon step.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _new_figure(8, 4)
    for model, color in comparison.colors.items():
        steps = comparison.by_step[model]
        ax.plot(steps.index, steps.to_numpy(), marker="o", color=color, label=label(model))
    ax.set_title("Error by horizon step")
    ax.set_xlabel("horizon step (periods ahead)")
    ax.set_ylabel("MASE")
    ax.set_xticks(list(comparison.by_step.index))
    ax.legend(fontsize="small")
    return fig


def plot_error_by_cutoff(comparison: Comparison) -> Any:
    """MASE of each model at each cutoff, over time.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _new_figure()
    for model, color in comparison.colors.items():
        per_cutoff = comparison.results[model].score(["mase"], by="cutoff")["mase"]
        ax.plot(times(per_cutoff.index), per_cutoff.to_numpy(), marker=".", color=color, label=label(model))
    ax.set_title("Error per cutoff")
    ax.set_xlabel("cutoff (last training period)")
    ax.set_ylabel("MASE of the forecasts made at the cutoff")
    ax.legend(fontsize="small", ncol=min(6, len(comparison.results)))
    return fig


def plot_skill(comparison: Comparison) -> Any:
    """Bar chart of each model's skill against the baseline (``1 - MASE / MASE_baseline``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _new_figure(8, 4)
    scores = comparison.scores.reset_index()
    names = scores["model"] if len(comparison.series) == 1 else scores["model"] + " / " + scores["series"]
    labels = [label(n) for n in names]
    colors = [comparison.colors[m] for m in scores["model"]]
    ax.bar(labels, scores["skill"], color=colors)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_title(f"Skill against {label(comparison.baseline)} (above 0: better than {label(comparison.baseline)})")
    ax.set_xlabel("model")
    ax.set_ylabel("skill = 1 - MASE / MASE of baseline")
    ax.tick_params(axis="x", rotation=20)
    return fig


def plot_calibration(comparison: Any) -> Any:
    """Empirical against nominal coverage of each model's quantiles: calibrated models lie on the diagonal.

    Needs a comparison run with ``quantiles=``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = comparison.calibration()
    fig, ax = _new_figure(6, 5)
    ax.plot([0, 1], [0, 1], color="black", linewidth=0.8, linestyle="--", label="calibrated")
    for model, color in comparison.colors.items():
        part = table[table["model"] == model]
        ax.plot(part["quantile"], part["empirical"], marker="o", color=color, label=label(model))
    ax.set_title("Calibration of the quantiles")
    ax.set_xlabel("nominal level")
    ax.set_ylabel("share of observations at or below the quantile")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(fontsize="small")
    return fig


def plot_skill_distribution(comparison: Comparison) -> Any:
    """Each model's skill against the baseline on every series of a panel: one dot per series, the median marked.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _new_figure(8, 4)
    scores = comparison.scores.reset_index()
    if "series" not in scores:
        scores["series"] = comparison.series[0]
    models = [m for m in comparison.results if m != comparison.baseline]
    rng = np.random.default_rng(0)  # a fixed jitter: the same figure every time
    for k, model in enumerate(models):
        skill = scores.loc[scores["model"] == model, "skill"].to_numpy()
        ax.scatter(k + rng.uniform(-0.15, 0.15, len(skill)), skill, s=14, color=comparison.colors[model], alpha=0.7)
        ax.hlines(np.nanmedian(skill), k - 0.3, k + 0.3, color="black", linewidth=1.5)
    ax.axhline(0.0, color="black", linewidth=0.8, linestyle="--")
    ax.set_xticks(range(len(models)), [label(m) for m in models])
    ax.set_title(f"Skill against {label(comparison.baseline)} on each series (line: median)")
    ax.set_xlabel("model")
    ax.set_ylabel("skill = 1 - MASE / MASE of baseline")
    return fig
