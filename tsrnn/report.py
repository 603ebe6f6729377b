"""Comparison of forecasters on the same walk-forward folds: scores, significance, plots, HTML.

``compare`` backtests every model on identical folds and returns a
``Comparison``: a scores table with skill against a baseline and a
Diebold-Mariano test of each model against it, per-step errors, the tidy
forecasts, four plots, and a self-contained HTML or Markdown report.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsrnn import metrics as _metrics
from tsrnn.backtest import (
    BacktestResult,
    _check_refit,
    _check_warm_start,
    _check_X_rows,
    _resolve_cv,
    fold_jobs,
    run_jobs,
)
from tsrnn.base import check_coverage, check_series

__all__ = ["compare", "Comparison", "plot_forecasts", "plot_error_by_step", "plot_error_by_cutoff", "plot_skill"]

_SIGNIFICANCE = 0.05


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
        raise TypeError(
            f"models must be a dict of name -> forecaster or a list of forecasters, got {type(models).__name__}."
        )
    if not named:
        raise ValueError("models is empty; pass at least one forecaster.")
    for name, model in named.items():
        if not all(hasattr(model, m) for m in ("fit", "predict", "get_params")):
            raise TypeError(f"models[{name!r}] is not a forecaster: {model!r}.")
    return {str(k): v for k, v in named.items()}


def compare(
    models: Any,
    y: Any,
    X: Any = None,
    *,
    horizon: int,
    cv: Any = None,
    step: int | None = None,
    initial: Any = None,
    refit: bool | int = True,
    warm_start: bool | int = False,
    intervals: float | None = 0.9,
    baseline: str = "naive",
    metrics: Sequence[str] = ("mae", "rmse", "mase", "smape"),
    n_jobs: int | None = 1,
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
    horizon : int
        Periods forecast at each cutoff.
    cv, step, initial
        The folds, as in :func:`tsrnn.backtest`.
    refit, warm_start
        Refit policy of every model, as in :func:`tsrnn.backtest`.
    intervals : float or None, default=0.9
        Coverage of the prediction intervals to score (None: points only).
    baseline : str, default="naive"
        The model that skill and significance are measured against. If no
        model has this name and it is ``"naive"``, a last-value
        ``NaiveForecaster`` is added under it.
    metrics : sequence of str, default=("mae", "rmse", "mase", "smape")
        Point metrics of the scores table.
    n_jobs, backend
        Parallel execution of all models' independent folds together, as in
        :func:`tsrnn.backtest`.
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

    named = _named_models(models)
    if units is None and isinstance(y, pd.Series):
        units = getattr(y, "attrs", {}).get("units", {}).get(y.name)
    if baseline not in named:
        if baseline != "naive":
            raise ValueError(f"baseline {baseline!r} is not one of the models {list(named)}.")
        named = {"naive": NaiveForecaster(), **named}
    data = check_series(y, "y")
    cv = _resolve_cv(cv, horizon, step, initial, "expanding")
    refit = _check_refit(refit)
    warm_start = _check_warm_start(warm_start)
    coverage = None if intervals is None else check_coverage(intervals, "intervals")
    per_model = {name: (X.get(name) if isinstance(X, Mapping) else X) for name in named}
    if isinstance(X, Mapping):
        unknown = [k for k in X if k not in named]
        if unknown:
            raise ValueError(f"X names models {unknown} that are not among {list(named)}.")
    for covariates in per_model.values():
        _check_X_rows(covariates, data)
    splits = list(cv.split(y))
    jobs, owner = [], []
    for name, model in named.items():
        model_jobs = fold_jobs(model, y, per_model[name], splits, cv.horizon, refit, warm_start, coverage)
        jobs.extend(model_jobs)
        owner.extend([name] * len(model_jobs))
    outputs = run_jobs(jobs, n_jobs=n_jobs, backend=backend, progress=progress, description="compare")
    folds: dict[str, list] = {name: [] for name in named}
    for name, result in zip(owner, outputs):
        folds[name].extend(result)
    results = {name: BacktestResult._from_folds(folds[name], data, cv.horizon, coverage) for name in named}
    settings = {
        "horizon": cv.horizon,
        "cv": cv,
        "refit": refit,
        "warm_start": warm_start,
        "intervals": coverage,
        "units": units,
    }
    return Comparison(results, named, baseline, tuple(metrics), settings)


class Comparison:
    """The outcome of :func:`compare`.

    Attributes
    ----------
    results : dict of str -> BacktestResult
        Each model's backtest.
    models : dict of str -> forecaster
        The (unfitted) models, for their settings.
    baseline : str
        The reference model of ``skill`` and the significance tests.
    scores : pd.DataFrame
        One row per model (per (model, series) for several series), sorted by
        rank: the metrics, ``coverage`` and ``interval_score`` when intervals
        were recorded, ``fit_seconds`` and ``predict_seconds`` (totals over
        cutoffs), ``rank`` (by MASE), ``skill`` (``1 - MASE / MASE_baseline``),
        and ``dm_stat``/``dm_pvalue``: a Diebold-Mariano test of the model's
        absolute errors against the baseline's, with the Harvey-Leybourne-
        Newbold correction for the horizon (negative: the model is better).
    by_step : pd.DataFrame
        MASE per horizon step (rows) and model (columns).
    forecasts : pd.DataFrame
        The tidy backtest rows of every model, with a ``model`` column.
    """

    def __init__(
        self,
        results: dict[str, BacktestResult],
        models: dict[str, Any],
        baseline: str,
        metrics: tuple[str, ...],
        settings: dict[str, Any],
    ):
        self.results = results
        self.models = models
        self.baseline = baseline
        self.metrics = metrics
        self.settings = settings
        self.forecasts = pd.concat([r.forecasts.assign(model=name) for name, r in results.items()], ignore_index=True)[
            ["model", *next(iter(results.values())).forecasts.columns]
        ]
        self.scores = self._scores()
        self.by_step = pd.DataFrame({name: r.score(["mase"], by="step")["mase"] for name, r in results.items()})

    @property
    def series(self) -> list[str]:
        """Names of the compared series."""
        return list(next(iter(self.results.values())).y.columns)

    @property
    def colors(self) -> dict[str, Any]:
        """A fixed colour per model, used by every plot."""
        import matplotlib

        palette = matplotlib.colormaps["tab10"].colors
        return {name: palette[i % len(palette)] for i, name in enumerate(self.results)}

    def _scores(self) -> pd.DataFrame:
        wanted = list(dict.fromkeys([*self.metrics, "mase"]))
        if self.settings["intervals"] is not None:
            wanted += ["coverage", "interval_score"]
        rows = []
        base_result = self.results[self.baseline]
        for name, result in self.results.items():
            per_series = result.score(wanted, by="series")
            for series, values in per_series.iterrows():
                row = {"model": name, "series": series, **values.to_dict()}
                row["fit_seconds"] = float(result.fit_seconds.sum())
                row["predict_seconds"] = float(result.predict_seconds.sum())
                row["dm_stat"], row["dm_pvalue"] = self._dm(result, base_result, series, name)
                rows.append(row)
        table = pd.DataFrame(rows)
        base = table[table["model"] == self.baseline].set_index("series")["mase"]
        table["skill"] = 1.0 - table["mase"] / table["series"].map(base)
        table["rank"] = table.groupby("series")["mase"].rank(method="min").astype(int)
        order = ["model", "series", *wanted, "skill", "rank", "dm_stat", "dm_pvalue", "fit_seconds", "predict_seconds"]
        table = table[order].sort_values(["series", "rank", "model"])
        if len(self.series) == 1:
            return table.drop(columns="series").set_index("model")
        return table.set_index(["model", "series"])

    def _dm(self, result: BacktestResult, base: BacktestResult, series: str, name: str) -> tuple[float, float]:
        if name == self.baseline:
            return np.nan, np.nan
        keys = ["cutoff", "step"]
        ours = result.forecasts[result.forecasts["series"] == series].sort_values(keys)
        theirs = base.forecasts[base.forecasts["series"] == series].sort_values(keys)
        errors_a = (ours["y_pred"] - ours["y_true"]).to_numpy()
        errors_b = (theirs["y_pred"] - theirs["y_true"]).to_numpy()
        if len(errors_a) < 3:
            return np.nan, np.nan
        return _metrics.diebold_mariano(errors_a, errors_b, horizon=self.settings["horizon"], power=1)

    def verdicts(self) -> list[str]:
        """The significance results in words, one sentence per model and series."""
        sentences = []
        for key, row in self.scores.iterrows():
            name, series = (key, self.series[0]) if len(self.series) == 1 else key
            if name == self.baseline or np.isnan(row["dm_pvalue"]):
                continue
            better = row["dm_stat"] < 0
            where = f" on {series}" if len(self.series) > 1 else ""
            p = row["dm_pvalue"]
            p_text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
            if p < _SIGNIFICANCE:
                verb = "beats" if better else "is worse than"
                sentences.append(
                    f"{name} {verb} {self.baseline}{where} on absolute error "
                    f"(MASE {row['mase']:.3f} vs {self._baseline_mase(series):.3f}, {p_text})."
                )
            else:
                sentences.append(
                    f"{name} and {self.baseline}{where} are not significantly different "
                    f"(MASE {row['mase']:.3f} vs {self._baseline_mase(series):.3f}, {p_text})."
                )
        return sentences

    def _baseline_mase(self, series: str) -> float:
        key = self.baseline if len(self.series) == 1 else (self.baseline, series)
        return float(self.scores.loc[key, "mase"])

    # -- plots ---------------------------------------------------------------------
    def plot_forecasts(self, series: str | None = None) -> Any:
        """Actuals and each model's forecasts over the backtest; see :func:`plot_forecasts`."""
        return plot_forecasts(self, series)

    def plot_error_by_step(self) -> Any:
        """MASE per horizon step per model; see :func:`plot_error_by_step`."""
        return plot_error_by_step(self)

    def plot_error_by_cutoff(self) -> Any:
        """MASE per cutoff over time per model; see :func:`plot_error_by_cutoff`."""
        return plot_error_by_cutoff(self)

    def plot_skill(self) -> Any:
        """Skill against the baseline per model; see :func:`plot_skill`."""
        return plot_skill(self)

    # -- reports ---------------------------------------------------------------------
    def _label(self, name: str) -> str:
        units = self.settings.get("units")
        return f"{name} ({units})" if units else name

    def _description(self) -> dict[str, str]:
        result = next(iter(self.results.values()))
        index, cv = result.y.index, self.settings["cv"]
        freq = getattr(index, "freqstr", None) or "integer steps"
        cutoffs = result.cutoffs
        refit = self.settings["refit"]
        refit_text = {True: "at every cutoff", False: "once, then updated with new data"}.get(
            refit, f"every {refit} cutoffs, updated in between"
        )
        return {
            "series": ", ".join(self.series) + (f" ({self.settings['units']})" if self.settings.get("units") else ""),
            "span": f"{_stamp(index[0])} to {_stamp(index[-1])} ({len(index)} observations)",
            "frequency": str(freq),
            "folds": f"{len(cutoffs)} cutoffs from {_stamp(cutoffs[0])} to {_stamp(cutoffs[-1])}, "
            f"every {cv.step or cv.horizon} periods",
            "horizon": str(self.settings["horizon"]),
            "refit": refit_text + (" (warm start)" if self.settings["warm_start"] else ""),
            "intervals": "none" if self.settings["intervals"] is None else f"{self.settings['intervals']:.0%} central",
            "baseline": self.baseline,
        }

    def _figures(self) -> list[tuple[str, Any]]:
        figures = [(f"Forecasts of {s}", self.plot_forecasts(s)) for s in self.series]
        figures += [
            ("Error by horizon step", self.plot_error_by_step()),
            ("Error per cutoff", self.plot_error_by_cutoff()),
            ("Skill against the baseline", self.plot_skill()),
        ]
        return figures

    def to_markdown(self, digits: int = 3) -> str:
        """The data description, scores table and significance results as Markdown."""
        lines = ["| | |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in self._description().items()]
        lines += ["", _markdown_table(self.scores.round(digits)), ""]
        lines += [f"- {sentence}" for sentence in self.verdicts()]
        return "\n".join(lines) + "\n"

    def to_html(self, path: str | Path) -> Path:
        """Write a self-contained HTML report (plots embedded as PNG, no network needed).

        Parameters
        ----------
        path : str or Path
            The file to write.

        Returns
        -------
        Path
            The written file.
        """
        import matplotlib.pyplot as plt

        path = Path(path)
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in self._description().items()
        )
        settings = "".join(
            f"<tr><th>{html.escape(name)}</th><td><code>{html.escape(repr(model))}</code></td></tr>"
            for name, model in self.models.items()
        )
        verdicts = "".join(f"<li>{html.escape(s)}</li>" for s in self.verdicts()) or "<li>No comparison to test.</li>"
        images = []
        for title, fig in self._figures():
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=110)
            plt.close(fig)
            encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
            images.append(
                f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,{encoded}">'
                f"<figcaption>{html.escape(title)}</figcaption></figure>"
            )
        scores = self.scores.round(4).to_html(classes="scores", border=0, na_rep="")
        document = _HTML.format(
            title=html.escape(f"Forecast comparison: {', '.join(self.series)}"),
            description=rows,
            settings=settings,
            scores=scores,
            verdicts=verdicts,
            figures="\n".join(images),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        return path


_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.85em; }}
th, td {{ padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right; }}
table.meta th, table.meta td {{ text-align: left; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
figcaption {{ color: #555; font-size: 0.9em; }}
</style></head><body>
<h1>{title}</h1>
<h2>Data and folds</h2><table class="meta">{description}</table>
<h2>Scores</h2>
<p>Sorted by rank (MASE: mean absolute error scaled by each fold's in-sample one-step naive error).
Skill is 1 &minus; MASE / MASE of the baseline. The Diebold-Mariano test compares absolute errors with the baseline's
(negative statistic: the model is better).</p>
{scores}
<h2>Is the difference real?</h2><ul>{verdicts}</ul>
<h2>Models</h2><table class="meta">{settings}</table>
<h2>Plots</h2>
{figures}
</body></html>
"""


def _stamp(value: Any) -> str:
    """A timestamp without a midnight time of day; anything else unchanged."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    return str(value)


def _markdown_table(frame: pd.DataFrame) -> str:
    frame = frame.reset_index()
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = [
        "| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


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
    ax.plot(actual.index, actual.to_numpy(), color="black", linewidth=1.2, label="actual")
    ranked = comparison.scores.reset_index()
    if "series" in ranked:
        ranked = ranked[ranked["series"] == name]
    best = ranked.sort_values("rank")["model"].iloc[0]
    for model, color in comparison.colors.items():
        mine = rows[rows["model"] == model]
        for k, (_, fold) in enumerate(mine.groupby("cutoff", sort=True)):
            label = model if k == 0 else None
            ax.plot(fold["timestamp"], fold["y_pred"], color=color, linewidth=1.0, alpha=0.9, label=label)
            # One band keeps the plot readable: the best-ranked model's.
            if "lower" in fold and model == best:
                band = f"{model} {comparison.settings['intervals']:.0%} interval" if k == 0 else None
                ax.fill_between(
                    fold["timestamp"], fold["lower"], fold["upper"], color=color, alpha=0.15, linewidth=0, label=band
                )
    ax.set_title(f"Walk-forward forecasts of {name}")
    ax.set_xlabel("time")
    ax.set_ylabel(comparison._label(name))
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
        ax.plot(steps.index, steps.to_numpy(), marker="o", color=color, label=model)
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
        ax.plot(per_cutoff.index, per_cutoff.to_numpy(), marker=".", color=color, label=model)
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
    labels = scores["model"] if len(comparison.series) == 1 else scores["model"] + " / " + scores["series"]
    colors = [comparison.colors[m] for m in scores["model"]]
    ax.bar(labels, scores["skill"], color=colors)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_title(f"Skill against {comparison.baseline} (above 0: better than {comparison.baseline})")
    ax.set_xlabel("model")
    ax.set_ylabel("skill = 1 - MASE / MASE of baseline")
    ax.tick_params(axis="x", rotation=20)
    return fig
