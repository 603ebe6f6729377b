"""What a reader reads in a comparison: the headline, tables for people, the glossary, the provenance.

Numbers are written with three significant figures, columns are named in
words with the data's units and marked ``↓`` (lower is better) or ``↑``
(higher is better), and every metric in a table has an entry in
:data:`GLOSSARY`.
"""

from __future__ import annotations

import math
import os
import platform
import sys
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["GLOSSARY", "headline", "people_table", "significant_figures", "provenance", "nice_units"]

#: The level at which a difference is called significant.
SIGNIFICANCE = 0.05

#: What every number in a report means, in a sentence.
GLOSSARY: dict[str, str] = {
    "MAE": "mean absolute error: the average size of a forecast's miss, in the data's units.",
    "RMSE": "root mean squared error: like MAE, in the data's units, but large misses weigh more.",
    "MAPE": "mean absolute percentage error: the miss as a percentage of the actual value (undefined near zero).",
    "sMAPE": "symmetric mean absolute percentage error: the miss as a percentage of the mean of forecast and "
    "actual, from 0 to 200.",
    "MASE": "mean absolute scaled error: MAE divided by the in-sample error of the one-step naive forecast "
    "(tomorrow = today) on the training data of each fold. Below 1: better than that naive forecast one step "
    "ahead; comparable across series.",
    "coverage": "the share of actual values inside the prediction intervals; it should be close to the nominal "
    "level (e.g. 0.9 for 90% intervals).",
    "interval score": "the width of the interval plus a penalty for every actual value outside it (Gneiting and "
    "Raftery, 2007); rewards intervals that are narrow and still cover.",
    "pinball": "the quantile (pinball) loss averaged over the recorded quantile levels.",
    "CRPS": "continuous ranked probability score, approximated from the recorded quantiles: the error of the "
    "whole forecast distribution, in the data's units (equals MAE for a point forecast).",
    "skill": "1 - MASE / MASE of the baseline: the share of the baseline's error that a model removes "
    "(0.15: 15% less error; below 0: worse than the baseline).",
    "Diebold-Mariano p": "the probability of a difference in absolute error at least this large if the two "
    "models were equally accurate (Diebold and Mariano, 1995, with the Harvey-Leybourne-Newbold small-sample "
    "correction). Below 0.05: the difference is significant. The scores table and the list under the matrix "
    "test each model against the baseline alone (one test); the headline and the matrix adjust for testing every "
    "pair (Holm), so their p-values are larger.",
    "Holm adjustment": "when every pair of models is tested, some p-values are small by chance; Holm's method "
    "raises them so that the chance of any false 'significant' stays at 5%.",
    "model confidence set": "the models not distinguishable from the best (Hansen, Lunde and Nason, 2011): the "
    "set contains the truly best model with 90% probability, judged on the scaled absolute errors with a block "
    "bootstrap.",
    "fit seconds": "total time spent fitting or updating the model over all cutoffs.",
}

_HEADERS = {
    "mae": ("MAE", "{u}", "↓"),
    "rmse": ("RMSE", "{u}", "↓"),
    "mape": ("MAPE", "%", "↓"),
    "smape": ("sMAPE", "%", "↓"),
    "mase": ("MASE", "", "↓"),
    "interval_score": ("interval score", "{u}", "↓"),
    "pinball": ("pinball", "{u}", "↓"),
    "crps": ("CRPS", "{u}", "↓"),
    "skill": ("skill vs {b}", "", "↑"),
    "dm_pvalue": ("Diebold-Mariano p vs {b} (one test)", "", ""),
    "fit_seconds": ("fit seconds", "", ""),
}

_UNIT_SYMBOLS = {"degc": "°C", "degf": "°F", "celsius": "°C", "fahrenheit": "°F", "percent": "%"}


def nice_units(units: str | None) -> str | None:
    """Units as a reader writes them (``degC`` -> ``°C``); anything unknown unchanged."""
    if not units:
        return None
    return _UNIT_SYMBOLS.get(units.strip().lower(), units)


def significant_figures(value: Any, digits: int = 3) -> str:
    """A number with ``digits`` significant figures, written plainly (no exponent between 0.001 and 1e6)."""
    if value is None or isinstance(value, str):
        return "" if value is None else value
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    value = float(value)
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    if magnitude >= 6 or magnitude < -3:
        return f"{value:.{digits - 1}e}"
    decimals = max(digits - 1 - magnitude, 0)
    return f"{value:,.{decimals}f}"


def _p_text(p: float) -> str:
    if p is None or not np.isfinite(p):
        return ""
    return "<0.001" if p < 0.001 else significant_figures(p, 2)


def people_table(comparison: Any, digits: int = 3) -> pd.DataFrame:
    """The scores table for people: words, units, arrows, three significant figures, as text.

    ``digits`` significant figures. Rows are in rank order. ``rank``, ``dm_stat`` and ``predict_seconds`` of
    :attr:`Comparison.scores` are left out (the order is the rank; the sign of
    the statistic is the sign of the skill).
    """
    units = nice_units(comparison.settings.get("units"))
    scores = comparison.scores
    columns = {}
    for column in scores.columns:
        if column in ("rank", "dm_stat", "predict_seconds"):
            continue
        values = scores[column]
        if column == "coverage":
            target = comparison.settings["coverage"]
            header = f"{target:.0%} coverage (target {target:.2f})"
            columns[header] = [significant_figures(v, digits) for v in values]
            continue
        word, unit, arrow = _HEADERS.get(column, (column, "", ""))
        word = word.format(b=comparison.baseline)
        unit = unit.format(u=units or "").strip()
        header = f"{word} ({unit})" if unit else word
        header = f"{header} {arrow}".strip()
        columns[header] = [_p_text(v) if column == "dm_pvalue" else significant_figures(v, digits) for v in values]
    table = pd.DataFrame(columns, index=scores.index)
    return table


def glossary_terms(comparison: Any) -> dict[str, str]:
    """The glossary entries for the numbers a comparison's report shows."""
    shown = {"mase": "MASE", "mae": "MAE", "rmse": "RMSE", "mape": "MAPE", "smape": "sMAPE", "coverage": "coverage",
             "interval_score": "interval score", "pinball": "pinball", "crps": "CRPS"}  # fmt: skip
    terms = [shown[c] for c in comparison.scores.columns if c in shown]
    terms += ["skill", "Diebold-Mariano p", "Holm adjustment", "model confidence set", "fit seconds"]
    return {term: GLOSSARY[term] for term in dict.fromkeys(terms)}


def _kind(model: Any) -> str:
    from tsrnn.baselines import ARForecaster, NaiveForecaster
    from tsrnn.conformal import point_forecaster

    model = point_forecaster(model)  # the headline is about point forecasts: a wrapper's are its forecaster's
    if isinstance(model, NaiveForecaster):
        return "naive"
    if isinstance(model, ARForecaster):
        return "classical"
    return "other"


def _versus(a: str, b: str, mase: pd.Series, tests: pd.DataFrame) -> str:
    """'15.7% lower error than b, a significant difference (p = 0.004)', from a's side."""
    edge = 1.0 - mase[a] / mase[b]
    p = _pair_p(a, b, tests)
    size = f"{abs(edge):.1%} {'lower' if edge >= 0 else 'higher'} error than {b}"
    if not np.isfinite(p):
        return f"{size}, untested"
    if p < SIGNIFICANCE:
        return f"{size}, a significant difference ({_p_words(p)})"
    return f"{size}, not a significant difference ({_p_words(p)})"


def _p_words(p: float) -> str:
    if not np.isfinite(p):
        return "untested"
    return "p < 0.001" if p < 0.001 else f"p = {significant_figures(p, 2)}"


def headline(comparison: Any, alpha: float = 0.1) -> str:
    """One or two sentences a manager can read: the best model, its edge over naive and the best classical model.

    Significance comes from the pairwise Diebold-Mariano tests with Holm's
    adjustment, and the last sentence names the model confidence set at
    ``1 - alpha``.
    """
    panel = len(comparison.series) > 1
    mase = comparison.panel()["gmean_mase"] if panel else comparison.scores["mase"]
    mase = mase[np.isfinite(mase)].sort_values(kind="stable")
    if mase.empty:
        return ("MASE is undefined here (the series does not change within a training window, so the naive error "
                "that scales it is zero); compare the models on MAE in the table.")  # fmt: skip
    if len(mase) == 1:
        return (
            f"{mase.index[0]} scores MASE {significant_figures(mase.iloc[0])}; there is no other model to compare with."
        )
    tests = comparison.pairwise_tests()
    kinds = {name: _kind(comparison.models[name]) for name in mase.index}
    best = mase.index[0]
    measure = "geometric-mean MASE over the series" if panel else "MASE"
    first = f"{best} has the lowest error ({measure} {significant_figures(mase[best])})"
    if kinds[best] == "naive":
        runner = mase.index[1]
        text = (
            f"No model beats the naive forecast: {first}. The next, {runner}, has {_versus(runner, best, mase, tests)}."
        )
    else:
        clauses = []
        naives = [m for m in mase.index if kinds[m] == "naive"]
        if naives:
            clauses.append(_versus(best, naives[0], mase, tests))
        classical = [m for m in mase.index if kinds[m] == "classical" and m != best]
        others = [m for m in mase.index if kinds[m] == "other"]
        if kinds[best] == "classical" and others:
            clauses.append(f"{others[0]}, the best of the other models, has {_versus(others[0], best, mase, tests)}")
        elif kinds[best] != "classical" and classical:
            p = _pair_p(best, classical[0], tests)
            edge = 1.0 - mase[best] / mase[classical[0]]
            verdict = "a significant difference" if p < SIGNIFICANCE else "not a significant difference"
            clauses.append(
                f"{'better than' if p < SIGNIFICANCE else 'level with'} {classical[0]}, the best classical model "
                f"({abs(edge):.1%} {'lower' if edge >= 0 else 'higher'} error, {verdict}, {_p_words(p)})"
            )
        text = first + (": " + "; ".join(clauses) if clauses else "") + "."
    try:
        members = comparison.confidence_set(alpha=alpha)
    except ValueError:  # too few forecasts to bootstrap: the sentence is left out, the report says why
        return text
    kept = list(members.index[members["in_set"]])
    out = list(members.index[~members["in_set"]])
    if len(kept) == 1:
        text += (
            f" Only {kept[0]} is in the {1 - alpha:.0%} model confidence set: every other model is worse beyond chance."
        )
    else:
        text += f" Not distinguishable from the best at {1 - alpha:.0%}: {', '.join(kept)}"
        if out:
            text += f"; {_and(out)} {'is' if len(out) == 1 else 'are'} worse beyond chance"
        text += "."
    return text


def _and(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _pair_p(a: str, b: str, tests: pd.DataFrame) -> float:
    """The adjusted p-value of the test between ``a`` and ``b`` (NaN if untested)."""
    pair = tests[((tests["model"] == a) & (tests["other"] == b)) | ((tests["model"] == b) & (tests["other"] == a))]
    return float(pair["p_adjusted"].iloc[0]) if len(pair) else np.nan


def provenance(call: str, models: dict[str, Any], execution: str, seconds: float, started: datetime) -> dict[str, str]:
    """When, with what and how a comparison was run, as label -> text."""
    import arch
    import statsmodels
    import torch

    import tsrnn

    seeds, devices = {}, set()
    for name, model in models.items():
        # Deep parameters, so that the seed of a model inside a wrapper is recorded too.
        params = model.get_params(deep=True)
        seeds.update({f"{name}.{k}" if k != "random_state" else name: v for k, v in params.items()
                      if k.split("__")[-1] == "random_state"})  # fmt: skip
        devices.update(str(v) for k, v in params.items() if k.split("__")[-1] == "device")
    cuda = torch.cuda.is_available()
    device = "cuda: " + torch.cuda.get_device_name(0) if cuda else "cpu"
    return {
        "date": started.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "call": call,
        "versions": f"tsrnn {tsrnn.__version__}, torch {torch.__version__}, pandas {pd.__version__}, "
        f"statsmodels {statsmodels.__version__}, arch {arch.__version__}, numpy {np.__version__}, Python {platform.python_version()}",
        "seeds": ", ".join(f"{k}={v}" for k, v in seeds.items()) or "none (no model draws random numbers)",
        "machine": f"{os.cpu_count()} cores, {torch.get_num_threads()} torch threads, device {device}"
        + (f" (models ask for {', '.join(sorted(devices))})" if devices else ""),
        "execution": execution,
        "run time": f"{significant_figures(seconds)} s",
    }


def describe_call(named: dict[str, Any], y: Any, options: dict[str, Any]) -> str:
    """A readable ``compare(...)`` call: the model names, the series and every option given."""
    if isinstance(y, pd.Series):
        data = f"{y.name or 'y'} ({len(y)} observations)"
    elif isinstance(y, pd.DataFrame):
        data = f"{y.shape[1]} series ({len(y)} observations)"
    else:
        data = f"array of shape {np.shape(y)}"
    given = ", ".join(f"{k}={v!r}" for k, v in options.items())
    return f"tsrnn.compare([{', '.join(named)}], {data}, {given})"


def command_line(argv: list[str] | None = None) -> str:
    """The shell command that is running, for the provenance of a report written by the CLI."""
    import shlex

    argv = list(sys.argv[1:] if argv is None else argv)
    return "tsrnn " + shlex.join(argv)


def now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)
