"""Comparison of forecasters on the same walk-forward folds: scores, significance, plots, HTML.

``compare`` backtests every model on identical folds and returns a
``Comparison``: a scores table with skill against a baseline and a
Diebold-Mariano test of each model against it, per-step errors, the tidy
forecasts, four plots, and a self-contained HTML or Markdown report.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsrnn import documents
from tsrnn import metrics as _metrics
from tsrnn._validation import InvalidParameterError
from tsrnn.backtest import BacktestResult, check_is_forecaster, fold_jobs, plan_backtest, run_jobs
from tsrnn.plots import (
    plot_calibration,
    plot_error_by_cutoff,
    plot_error_by_step,
    plot_forecasts,
    plot_skill,
    plot_skill_distribution,
)
from tsrnn.results import check_metrics

__all__ = [
    "compare",
    "Comparison",
    "plot_forecasts",
    "plot_error_by_step",
    "plot_error_by_cutoff",
    "plot_skill",
    "plot_calibration",
]

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


def _warn_about_horizons(named: dict[str, Any], horizon: int) -> None:
    """Say when a model trained for fewer steps than forecast will chain its own forecasts."""
    for name, model in named.items():
        params = model.get_params(deep=False)
        trained = params.get("horizon")
        if params.get("strategy") == "direct" and trained is not None and trained < horizon:
            warnings.warn(
                f"models[{name!r}] is trained for horizon={trained} but forecasts {horizon} steps; the steps beyond "
                f"{trained} feed its own forecasts back. Set horizon={horizon} on it to train every step.",
                UserWarning,
                stacklevel=3,
            )


def compare(
    models: Any,
    y: Any,
    X: Any = None,
    *,
    horizon: int,
    cv: Any = None,
    step: int | None = None,
    initial: Any = None,
    scheme: str = "expanding",
    refit: bool | int = True,
    warm_start: bool | int = False,
    coverage: float | None = 0.9,
    quantiles: Any = None,
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
    cv, step, initial, scheme
        The folds, as in :func:`tsrnn.backtest`.
    refit, warm_start
        Refit policy of every model, as in :func:`tsrnn.backtest`.
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
    per_model = {name: (X.get(name) if isinstance(X, Mapping) else X) for name in named}
    plans = {
        name: plan_backtest(
            y, per_model[name], cv=cv, horizon=horizon, step=step, initial=initial, scheme=scheme, refit=refit,
            warm_start=warm_start, coverage=coverage, quantiles=quantiles,
        )
        for name in named
    }  # fmt: skip
    plan = next(iter(plans.values()))
    _warn_about_horizons(named, plan.horizon)
    jobs, owner = [], []
    for name, model in named.items():
        model_jobs = fold_jobs(model, y, per_model[name], plans[name])
        jobs.extend(model_jobs)
        owner.extend([name] * len(model_jobs))
    outputs = run_jobs(jobs, n_jobs=n_jobs, backend=backend, progress=progress, description="compare")
    folds: dict[str, list] = {name: [] for name in named}
    for name, result in zip(owner, outputs):
        folds[name].extend(result)
    results = {
        name: BacktestResult.from_folds(folds[name], plan.data, plan.horizon, plan.coverage, plan.quantiles)
        for name in named
    }
    settings = {
        "horizon": plan.horizon, "cv": plan.cv, "refit": plan.refit, "warm_start": plan.warm_start,
        "coverage": plan.coverage, "quantiles": plan.quantiles, "units": units,
    }  # fmt: skip
    return Comparison(results, named, baseline, metrics, settings)


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
        if self.settings["coverage"] is not None:
            wanted += ["coverage", "interval_score"]
        if self.settings.get("quantiles") is not None:
            wanted += ["pinball", "crps"]
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
        # A constant series (zero naive error) has no MASE: its rows rank last instead of breaking the ranking.
        table["rank"] = table.groupby("series")["mase"].rank(method="min", na_option="bottom").astype(int)
        undefined = table.loc[~np.isfinite(table["mase"]), "series"].unique()
        if len(undefined):
            warnings.warn(
                f"MASE is undefined for {list(undefined)} (the series does not change in a training window, so the "
                f"naive error that scales it is zero); compare those on mae or rmse.",
                UserWarning,
                stacklevel=3,
            )
        order = ["model", "series", *wanted, "skill", "rank", "dm_stat", "dm_pvalue", "fit_seconds", "predict_seconds"]
        table = table[order].sort_values(["series", "rank", "model"])
        if len(self.series) == 1:
            return table.drop(columns="series").set_index("model")
        return table.set_index(["model", "series"])

    def _paired_errors(self, name: str, series: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Errors of ``name`` and of the baseline on the same (series, cutoff, step), missing actuals left out."""
        keys = ["series", "cutoff", "step"]
        ours = self.results[name].forecasts
        theirs = self.results[self.baseline].forecasts
        pairs = ours[ours["series"].isin(series)].merge(theirs, on=keys, suffixes=("", "_base"))
        pairs = pairs[pairs["y_true"].notna()].sort_values(keys)
        return (pairs["y_pred"] - pairs["y_true"]).to_numpy(), (pairs["y_pred_base"] - pairs["y_true"]).to_numpy()

    def _dm(self, result: BacktestResult, base: BacktestResult, series: str, name: str) -> tuple[float, float]:
        if name == self.baseline:
            return np.nan, np.nan
        errors_a, errors_b = self._paired_errors(name, [series])
        if len(errors_a) < 3:
            return np.nan, np.nan
        return _metrics.diebold_mariano(errors_a, errors_b, horizon=self.settings["horizon"], power=1)

    def panel(self) -> pd.DataFrame:
        """Scores across the series of a panel, one row per model.

        Returns
        -------
        pd.DataFrame
            ``mean_mase`` and ``gmean_mase`` (arithmetic and geometric mean of
            the per-series MASE, over series where it is defined),
            ``beats_baseline`` (share of series with a lower MASE than the
            baseline's), ``median_skill``, and ``dm_stat``/``dm_pvalue``: a
            Diebold-Mariano test on the absolute-error differentials of all
            series pooled, series after series.
        """
        table = self.scores.reset_index()
        if "series" not in table:
            table["series"] = self.series[0]
        mase = table.pivot(index="series", columns="model", values="mase")
        rows = {}
        for name in self.results:
            values = mase[name]
            defined = values[np.isfinite(values) & (values > 0)]
            errors_a, errors_b = self._paired_errors(name, self.series)
            test = (np.nan, np.nan)
            if name != self.baseline and len(errors_a) >= 3:
                test = _metrics.diebold_mariano(errors_a, errors_b, horizon=self.settings["horizon"], power=1)
            rows[name] = {
                "mean_mase": float(defined.mean()) if len(defined) else np.nan,
                "gmean_mase": float(np.exp(np.log(defined).mean())) if len(defined) else np.nan,
                "beats_baseline": float((values < mase[self.baseline]).mean()),
                "median_skill": float((1.0 - values / mase[self.baseline]).median()),
                "dm_stat": test[0],
                "dm_pvalue": test[1],
            }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("model").sort_values("gmean_mase")

    def plot_skill_distribution(self) -> Any:
        """Per-series skill of each model against the baseline; see :func:`plot_skill_distribution`."""
        return plot_skill_distribution(self)

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
    def axis_label(self, name: str) -> str:
        """A series name with its units, for axes."""
        units = self.settings.get("units")
        return f"{name} ({units})" if units else name

    def calibration(self) -> pd.DataFrame:
        """Empirical against nominal level of each model's recorded quantiles (needs ``quantiles=``).

        Returns
        -------
        pd.DataFrame
            Columns ``model``, ``quantile`` (nominal), ``empirical`` and ``gap``.
        """
        levels = self.settings.get("quantiles")
        if levels is None:
            raise ValueError("calibration needs quantiles: run compare(..., quantiles=[0.05, 0.25, 0.5, 0.75, 0.95]).")
        tables = []
        for name, result in self.results.items():
            rows = result.forecasts[result.forecasts["y_true"].notna()]
            table = _metrics.calibration(rows["y_true"].to_numpy(), rows[list(levels)].to_numpy(), levels)
            tables.append(table.reset_index().assign(model=name))
        return pd.concat(tables, ignore_index=True)[["model", "quantile", "empirical", "gap"]]

    def plot_calibration(self) -> Any:
        """Nominal against empirical level of each model's quantiles; see :func:`plot_calibration`."""
        return plot_calibration(self)

    def to_markdown(self, digits: int = 3) -> str:
        """The data description, scores table and significance results as Markdown."""
        return documents.markdown(self, digits)

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
        return documents.write_html(self, Path(path))
