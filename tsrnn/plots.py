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
    "plot_coverage_by_step",
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


def _legend_below(fig: Any, ax: Any) -> None:
    """The legend of ``ax`` under the figure, in rows of up to five, so that it hides no line."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(5, len(labels)), fontsize="small", frameon=False)


def _concise_dates(ax: Any) -> None:
    """Short date labels (``Mar``, ``2016``) on a date x axis, so that they do not run into each other."""
    import matplotlib.dates as mdates

    if isinstance(ax.xaxis.get_major_formatter(), (mdates.AutoDateFormatter, mdates.ConciseDateFormatter)):
        locator = mdates.AutoDateLocator(maxticks=8)
        # With 8 ticks at most, four years of months need a tick a year and four days of hours one a day;
        # matplotlib's own steps stop at 6 months and 12 hours and warn.
        locator.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6, 12]
        locator.intervald[mdates.HOURLY] = [1, 2, 3, 4, 6, 12, 24]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _new_figure(width: float = 11, height: float = 4) -> tuple[Any, Any]:
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), layout="constrained")


def plot_forecasts(comparison: Comparison, series: str | None = None) -> Any:
    """Small multiples: one panel per model with the actuals, its forecasts at every cutoff and its intervals.

    Panels share both axes and come in rank order, so models can be compared
    by eye without one model's lines hiding another's.

    Parameters
    ----------
    comparison : Comparison
    series : str, optional
        The series to draw; the first by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    name = series if series is not None else comparison.series[0]
    first = next(iter(comparison.results.values()))
    rows = comparison.forecasts[comparison.forecasts["series"] == name]
    start = first.y.index.get_loc(rows["cutoff"].iloc[0])
    actual = first.y[name].iloc[start:]
    ranked = comparison.scores.reset_index()
    if "series" in ranked:
        ranked = ranked[ranked["series"] == name]
    order = list(ranked.sort_values(["rank", "model"])["model"])
    coverage = comparison.settings.get("coverage")
    fig, axes = plt.subplots(
        len(order),
        1,
        figsize=(11, 1.2 + 1.7 * len(order)),
        sharex=True,
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    for ax, (model, mase) in zip(axes[:, 0], zip(order, ranked.set_index("model").loc[order, "mase"])):
        color = comparison.colors[model]
        ax.plot(times(actual.index), actual.to_numpy(), color="black", linewidth=0.9)
        for _, fold in rows[rows["model"] == model].groupby("cutoff", sort=True):
            stamps = times(fold["timestamp"])
            ax.plot(stamps, fold["y_pred"], color=color, linewidth=1.1)
            if "lower" in fold:
                ax.fill_between(stamps, fold["lower"], fold["upper"], color=color, alpha=0.2, linewidth=0)
        band = f", shaded: {coverage:.0%} interval" if coverage is not None and "lower" in rows else ""
        ax.set_title(f"{label(model)}  (MASE {mase:.3g}{band})", loc="left", fontsize="medium", color=color)
        ax.set_ylabel(label(comparison.axis_label(name)), fontsize="small")
    _concise_dates(axes[-1, 0])
    # The legend goes outside the panels, so that it hides none of the data.
    keys = [Line2D([], [], color="black", linewidth=0.9), Line2D([], [], color="grey", linewidth=1.1)]
    fig.legend(keys, ["actual", "forecasts from each cutoff"], loc="outside lower center", ncol=2, fontsize="small",
               frameon=False)  # fmt: skip
    fig.suptitle(f"Walk-forward forecasts of {label(comparison.axis_label(name))}, best model first")
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
    _legend_below(fig, ax)
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
    _concise_dates(ax)
    _legend_below(fig, ax)
    return fig


def plot_skill(comparison: Comparison) -> Any:
    """Bar chart of each model's skill against the baseline (``1 - MASE / MASE_baseline``).

    Bars whose difference from the baseline is not significant (Diebold-Mariano
    p at or above 0.05) are drawn pale and labelled "n.s.", so that a gap of
    chance does not look like a result.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _new_figure(8, 4)
    scores = comparison.scores.reset_index()
    scores = scores[scores["model"] != comparison.baseline]
    names = scores["model"] if len(comparison.series) == 1 else scores["model"] + " / " + scores["series"]
    significant = (scores["dm_pvalue"] < 0.05).to_numpy()
    positions = np.arange(len(scores))
    for k, (skill, model, sig, p) in enumerate(zip(scores["skill"], scores["model"], significant, scores["dm_pvalue"])):
        color = comparison.colors[model]
        ax.bar(k, skill, color=color, alpha=1.0 if sig else 0.3, edgecolor=color, hatch=None if sig else "//")
        note = ("p < 0.001" if p < 0.001 else f"p = {p:.2g}") if np.isfinite(p) else ""
        text = note if sig else f"n.s. ({note})" if note else "n.s."
        ax.annotate(text, (k, skill), ha="center", va="bottom" if skill >= 0 else "top", fontsize="small",
                    xytext=(0, 2 if skill >= 0 else -2), textcoords="offset points")  # fmt: skip
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xticks(positions, [label(n) for n in names], rotation=20 if len(scores) > 4 else 0)
    base = label(comparison.baseline)
    ax.set_title(f"Skill against {base}: above 0 is better than {base}; pale bars: not significant (one test each)")
    ax.set_xlabel("model")
    ax.set_ylabel("skill = 1 - MASE / MASE of baseline")
    ax.margins(y=0.2)
    return fig


def plot_coverage_by_step(comparison: Comparison) -> Any:
    """Share of actual values inside each model's intervals at each horizon step, against the nominal level.

    Needs a comparison run with intervals (``coverage=``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    target = comparison.settings.get("coverage")
    if target is None:
        raise ValueError("coverage by step needs intervals: run compare(..., coverage=0.9).")
    fig, ax = _new_figure(8, 4)
    for model, color in comparison.colors.items():
        steps = comparison.results[model].score(["coverage"], by="step")["coverage"]
        ax.plot(steps.index, steps.to_numpy(), marker="o", color=color, label=label(model))
    ax.axhline(target, color="black", linewidth=0.8, linestyle="--", label=f"nominal {target:.0%}")
    ax.set_title(f"Coverage of the {target:.0%} intervals by horizon step")
    ax.set_xlabel("horizon step (periods ahead)")
    ax.set_ylabel("share of actuals inside the interval")
    ax.set_xticks(list(comparison.by_step.index))
    _legend_below(fig, ax)
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
