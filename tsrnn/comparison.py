"""The outcome of a comparison: scores, significance between every pair, the headline, plots, documents."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsrnn import documents, narrative, significance
from tsrnn import metrics as _metrics
from tsrnn.plots import (
    plot_calibration,
    plot_coverage_by_step,
    plot_error_by_cutoff,
    plot_error_by_step,
    plot_forecasts,
    plot_skill,
    plot_skill_distribution,
)
from tsrnn.results import BacktestResult

__all__ = ["Comparison"]

_SIGNIFICANCE = 0.05


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
    provenance : dict of str -> str
        When and how the comparison ran: date, call (or command line),
        versions, seeds, machine, execution and run time.
    """

    def __init__(
        self,
        results: dict[str, BacktestResult],
        models: dict[str, Any],
        baseline: str,
        metrics: tuple[str, ...],
        settings: dict[str, Any],
        provenance: dict[str, str] | None = None,
    ):
        self.provenance = dict(provenance or {})
        self._cache: dict[Any, Any] = {}
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

    # -- significance between every pair ---------------------------------------
    def losses(self) -> pd.DataFrame:
        """Absolute errors scaled by each fold's naive error, one column per model (their mean is the MASE).

        Returns
        -------
        pd.DataFrame
            Indexed by (series, cutoff, step); rows where any model lacks a
            finite loss are left out so that the columns are paired.
        """
        if "losses" not in self._cache:
            self._cache["losses"] = significance.scaled_losses(self.results)
        return self._cache["losses"].copy()

    def pairwise_tests(self, adjust: str = "holm") -> pd.DataFrame:
        """A Diebold-Mariano test (Harvey-Leybourne-Newbold corrected) for every pair of models.

        The loss is the scaled absolute error of :meth:`losses`; for a panel,
        the series are pooled one after the other.

        Parameters
        ----------
        adjust : str, default="holm"
            The multiple-comparison adjustment, as ``method`` of statsmodels'
            ``multipletests``, or ``"none"``.

        Returns
        -------
        pd.DataFrame
            One row per pair: ``model``, ``other``, ``mean_difference``
            (negative: ``model`` is better), ``dm_stat``, ``p_value``,
            ``p_adjusted``.
        """
        key = ("pairwise", adjust)
        if key not in self._cache:
            self._cache[key] = significance.pairwise_tests(self.losses(), self.settings["horizon"], adjust)
        return self._cache[key].copy()

    def pairwise(self, adjust: str = "holm") -> pd.DataFrame:
        """The adjusted p-values of :meth:`pairwise_tests` as a model x model matrix, models in rank order.

        Returns
        -------
        pd.DataFrame
            Symmetric, with an empty diagonal; below 0.05 the two models'
            errors differ significantly (which one is better: the sign of
            ``mean_difference`` in :meth:`pairwise_tests`, or the scores).
        """
        order = list(self.losses().mean().sort_values(kind="stable").index)
        return significance.pairwise_matrix(self.pairwise_tests(adjust), order)

    def confidence_set(self, alpha: float = 0.1, reps: int = 1000, seed: int = 0) -> pd.DataFrame:
        """The model confidence set (Hansen, Lunde and Nason, 2011) on the scaled absolute errors.

        Computed with ``arch.bootstrap.MCS`` (stationary block bootstrap).

        Parameters
        ----------
        alpha : float, default=0.1
            The set holds the best model with probability ``1 - alpha``.
        reps : int, default=1000
            Bootstrap replications.
        seed : int, default=0
            Seed of the bootstrap.

        Returns
        -------
        pd.DataFrame
            Indexed by model, best first: ``mean_loss`` (the MASE of the paired
            forecasts), ``mcs_pvalue``, ``in_set``.
        """
        key = ("mcs", alpha, reps, seed)
        if key not in self._cache:
            self._cache[key] = significance.model_confidence_set(self.losses(), alpha, reps=reps, seed=seed)
        return self._cache[key].copy()

    def headline(self, alpha: float = 0.1) -> str:
        """The answer in one or two sentences: the best model, its edge over naive and the best classical model.

        Differences are called significant by the Holm-adjusted pairwise
        Diebold-Mariano tests at 5%; the last sentence names the models of
        the ``1 - alpha`` model confidence set.
        """
        return narrative.headline(self, alpha)

    def summary(self) -> pd.DataFrame:
        """The scores table for people: words and units in the headers, three significant figures, as text."""
        return narrative.people_table(self)

    def glossary(self) -> dict[str, str]:
        """What each number in the report means, for the metrics this comparison shows."""
        return narrative.glossary_terms(self)

    def _repr_html_(self) -> str:
        return documents.summary_html(self)

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

    def plot_coverage_by_step(self) -> Any:
        """Interval coverage per horizon step per model; see :func:`plot_coverage_by_step`."""
        return plot_coverage_by_step(self)

    # -- reports ---------------------------------------------------------------------
    def axis_label(self, name: str) -> str:
        """A series name with its units, for axes."""
        units = narrative.nice_units(self.settings.get("units"))
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
