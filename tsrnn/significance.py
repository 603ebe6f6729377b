"""Which differences between forecasters are real: pairwise tests and the model confidence set.

Both work on a table of per-forecast losses, one column per model and one row
per forecast that every model made (same series, cutoff and step), in time
order. The loss is the absolute error scaled by the fold's in-sample one-step
naive error, so that its mean is the MASE and series of different scales can be
pooled in a panel.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from tsrnn import metrics as _metrics
from tsrnn._validation import Interval, Options, validate_params

__all__ = ["scaled_losses", "pairwise_tests", "pairwise_matrix", "model_confidence_set", "ADJUSTMENTS"]

#: The multiple-comparison adjustments of statsmodels' ``multipletests``, and "none".
ADJUSTMENTS = ("holm", "bonferroni", "sidak", "holm-sidak", "simes-hochberg", "hommel", "fdr_bh", "fdr_by",
               "fdr_tsbh", "fdr_tsbky", "none")  # fmt: skip


def scaled_losses(results: dict[str, Any], series: list[str] | None = None) -> pd.DataFrame:
    """Absolute errors scaled by each fold's naive error, one column per model.

    Parameters
    ----------
    results : dict of str -> BacktestResult
        Backtests of the models on the same folds.
    series : list of str, optional
        The series to pool (all by default), series after series.

    Returns
    -------
    pd.DataFrame
        Indexed by (series, cutoff, step); only rows with an actual value and a
        finite loss for every model are kept, so the columns are paired.
    """
    keys = ["series", "cutoff", "step"]
    columns = {}
    for name, result in results.items():
        rows = result.forecasts[result.forecasts["y_true"].notna()].merge(result.scales, on=["series", "cutoff"])
        if series is not None:
            rows = rows[rows["series"].isin(series)]
        loss = (rows["y_pred"] - rows["y_true"]).abs() / rows["scale"]
        columns[name] = pd.Series(loss.to_numpy(), index=pd.MultiIndex.from_frame(rows[keys]))
    table = pd.DataFrame(columns)
    table = table[np.isfinite(table.to_numpy()).all(axis=1)]
    return table.sort_index()


def pairwise_tests(losses: pd.DataFrame, horizon: int, adjust: str = "holm") -> pd.DataFrame:
    """A Diebold-Mariano test for every pair of models, p-values adjusted for the number of pairs.

    Parameters
    ----------
    losses : pd.DataFrame
        Paired losses, one column per model, rows in time order (see :func:`scaled_losses`).
    horizon : int
        Forecast horizon: the Harvey-Leybourne-Newbold correction and the
        long-run variance use it.
    adjust : str, default="holm"
        Multiple-comparison adjustment, a ``method`` of
        ``statsmodels.stats.multitest.multipletests`` (``"holm"``,
        ``"bonferroni"``, ``"fdr_bh"``, ...), or ``"none"``.

    Returns
    -------
    pd.DataFrame
        One row per pair: ``model``, ``other``, ``mean_difference`` (mean loss
        of ``model`` minus ``other``'s: negative when ``model`` is better),
        ``dm_stat``, ``p_value`` and ``p_adjusted``. Two models with identical
        losses get p = 1.
    """
    from statsmodels.stats.multitest import multipletests

    validate_params({"adjust": [Options(*ADJUSTMENTS)]}, {"adjust": adjust})
    names = list(losses.columns)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            la, lb = losses[a].to_numpy(), losses[b].to_numpy()
            stat, p = np.nan, np.nan
            if np.array_equal(la, lb):
                stat, p = 0.0, 1.0
            elif len(la) >= 3:
                # Losses are non-negative, so |la| - |lb| with power 1 is the loss differential itself.
                stat, p = _metrics.diebold_mariano(la, lb, horizon=horizon, power=1)
            rows.append({"model": a, "other": b, "mean_difference": float(np.mean(la - lb)), "dm_stat": stat,
                         "p_value": p})  # fmt: skip
    table = pd.DataFrame(rows, columns=["model", "other", "mean_difference", "dm_stat", "p_value"])
    table["p_adjusted"] = table["p_value"]
    tested = table["p_value"].notna()
    if adjust != "none" and tested.sum() > 1:
        table.loc[tested, "p_adjusted"] = multipletests(table.loc[tested, "p_value"], method=adjust)[1]
    return table


def pairwise_matrix(tests: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The adjusted p-values of :func:`pairwise_tests` as a symmetric model x model matrix (diagonal empty)."""
    matrix = pd.DataFrame(np.nan, index=pd.Index(order, name="model"), columns=pd.Index(order, name="other"))
    for row in tests.itertuples(index=False):
        matrix.loc[row.model, row.other] = matrix.loc[row.other, row.model] = row.p_adjusted
    return matrix


def model_confidence_set(
    losses: pd.DataFrame,
    alpha: float = 0.1,
    *,
    reps: int = 1000,
    block_size: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """The model confidence set of Hansen, Lunde and Nason (2011), with ``arch``'s implementation.

    Models are eliminated one by one while the hypothesis that all remaining
    models are equally good is rejected; the survivors contain the best model
    with probability at least ``1 - alpha``. The losses are resampled with a
    stationary block bootstrap (blocks of ``sqrt(n)`` forecasts by default), which
    keeps the autocorrelation of overlapping multi-step forecasts.

    Parameters
    ----------
    losses : pd.DataFrame
        Paired losses, one column per model, rows in time order.
    alpha : float, default=0.1
        Size of the test: the set holds the best model with probability ``1 - alpha``.
    reps : int, default=1000
        Bootstrap replications.
    block_size : int, optional
        Mean block length of the bootstrap.
    seed : int, default=0
        Seed of the bootstrap, so that a report is reproducible.

    Returns
    -------
    pd.DataFrame
        Indexed by model, sorted by mean loss: ``mean_loss``, ``mcs_pvalue``
        and ``in_set`` (``mcs_pvalue >= alpha``). Models with identical losses
        share one result.
    """
    from arch.bootstrap import MCS

    validate_params(
        {"alpha": [Interval("real", 0, 1, closed="neither")], "reps": [Interval("int", 1, None)],
         "block_size": [Interval("int", 1, None), None], "seed": [Interval("int", 0, None)]},
        {"alpha": alpha, "reps": reps, "block_size": block_size, "seed": seed},
    )  # fmt: skip
    mean_loss = losses.mean()
    # Identical columns make the bootstrap variance of their difference zero, which breaks the test:
    # each distinct loss vector is tested once and its twins share its p-value.
    representative: dict[str, str] = {}
    distinct: list[str] = []
    for name in losses.columns:
        twin = next((d for d in distinct if np.array_equal(losses[d].to_numpy(), losses[name].to_numpy())), None)
        representative[name] = twin or name
        if twin is None:
            distinct.append(name)
    if len(distinct) == 1:
        pvalues = {distinct[0]: 1.0}
    elif len(losses) < 10:
        raise ValueError(f"the model confidence set needs at least 10 paired forecasts; got {len(losses)}.")
    else:
        test = MCS(losses[distinct], size=alpha, reps=reps, block_size=block_size, seed=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            test.compute()
        pvalues = test.pvalues["Pvalue"].to_dict()
    table = pd.DataFrame(
        {
            "mean_loss": mean_loss,
            "mcs_pvalue": [float(pvalues[representative[name]]) for name in losses.columns],
        },
        index=pd.Index(losses.columns, name="model"),
    )
    table["in_set"] = table["mcs_pvalue"] >= alpha
    return table.sort_values(["mean_loss", "mcs_pvalue"], ascending=[True, False])
