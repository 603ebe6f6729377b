"""The adversarial corpus: every way we know to break a public call, each with the outcome it must have.

Each case is a call and what must happen: ``ok`` (a result, finite where it
holds numbers), ``error`` (a ValueError or TypeError whose message holds the
given words, raised before any training), or ``warn`` (a result and a
UserWarning whose message holds the words). Every case runs under a time
limit, so a hang fails instead of stalling the suite.
"""

from __future__ import annotations

import signal
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from tsrnn import (
    AdaptiveConformal,
    ARForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RegressionForecaster,
    SearchCV,
    SlidingWindowTransformer,
    WalkForward,
    backtest,
    compare,
    make_windows,
    metrics,
    regularize,
    to_long,
)
from tsrnn.testing import synthetic_series

FAST = {"window": 10, "hidden_size": 4, "epochs": 2, "batch_size": 32, "random_state": 0}
LIMIT_SECONDS = 60


@dataclass
class Case:
    name: str
    call: Callable[[], Any]
    expect: str  # "ok", "error" or "warn"
    words: str = ""


@contextmanager
def time_limit(seconds: int):
    def expired(signum, frame):
        raise TimeoutError(f"the call ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _y(n: int = 120) -> pd.Series:
    return synthetic_series(n=n)


def _prices(n: int = 120) -> pd.Series:
    return pd.Series(
        100 + np.cumsum(np.random.default_rng(0).normal(size=n)), index=pd.bdate_range("2024-01-02", periods=n)
    )


def _frame() -> pd.DataFrame:
    return synthetic_series(n=120, n_series=2)


def _with(series: pd.Series, positions: list[int], value: float) -> pd.Series:
    changed = series.copy()
    changed.iloc[positions] = value
    return changed


def _reindexed(values: Any, index: Any) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=index)


MODELS = {
    "naive": lambda: NaiveForecaster(),
    "ar": lambda: ARForecaster(max_lags=10),
    "ridge": lambda: RegressionForecaster(Ridge(), window=10),
    "gru": lambda: GRUForecaster(**FAST),
}
MISSING_OK = {"ridge", "gru"}


def _series_cases() -> list[Case]:
    """What a user may pass as y to fit, for each kind of forecaster."""
    y = _y()
    inputs = {
        "empty series": (lambda: y.iloc[:0], "error", "empty"),
        "one observation": (lambda: y.iloc[:1], "error", "at least"),
        "a list": (lambda: list(y), "error", "Series"),
        "a dict": (lambda: dict(enumerate(y)), "error", "Series"),
        "None": (lambda: None, "error", "Series"),
        "a scalar": (lambda: 3.0, "error", "Series"),
        "a 3-D array": (lambda: np.zeros((50, 2, 2)), "error", "1-D or 2-D"),
        "an array without columns": (lambda: np.zeros((50, 0)), "error", "no columns"),
        "a frame without columns": (lambda: pd.DataFrame(index=y.index), "error", "no columns"),
        "duplicated column names": (
            lambda: pd.DataFrame(np.c_[y, y], index=y.index, columns=["a", "a"]),
            "error",
            "more than once",
        ),
        "text values": (lambda: y.astype(str), "error", "numbers"),
        "boolean values": (lambda: y > 12, "error", "numbers"),
        "complex values": (lambda: y.astype(complex), "error", "numbers"),
        "datetime values": (lambda: pd.Series(y.index, index=y.index), "error", "numbers"),
        "a text column in a frame": (lambda: pd.DataFrame({"a": y, "b": "x"}), "error", "column 'b'"),
        "inf": (lambda: _with(y, [5], np.inf), "error", "infinite"),
        "-inf": (lambda: _with(y, [5], -np.inf), "error", "infinite"),
        "all NaN": (lambda: y * np.nan, "error", "missing"),
        "unsorted index": (lambda: y.iloc[::-1], "error", "sort_index"),
        "duplicated timestamps": (lambda: pd.concat([y.iloc[:60], y.iloc[59:]]), "error", "duplicated"),
        "irregular dates": (lambda: y.drop(y.index[[3, 50]]), "error", "regularize"),
        "a table in long format": (
            lambda: to_long(_frame()),
            "error",
            "from_long(y, id_col='unique_id', time_col='ds', value_col='y')",
        ),
        "a long table indexed by date": (
            lambda: to_long(_frame()).set_index("ds"),
            "error",
            "from_long(y.reset_index(), id_col='unique_id', time_col='ds'",
        ),
        "weekdays with holidays missing": (
            lambda: _prices().drop(_prices().index[[7, 40]]),
            "error",
            "holidays='missing'",
        ),
        "float index": (lambda: _reindexed(y, np.arange(len(y)) + 0.5), "error", "astype"),
        "text index": (lambda: _reindexed(y, y.index.astype(str)), "error", "to_datetime"),
        "boolean index": (lambda: _reindexed(y, np.arange(len(y)) % 2 == 0), "error", "index"),
        "integer index with uneven steps": (lambda: _reindexed(y, np.r_[0:60, 61:121]), "error", "unequal"),
        "integer index with step 5": (lambda: _reindexed(y, np.arange(len(y)) * 5), "ok", ""),
        "period index": (lambda: _reindexed(y, pd.period_range("2000-01", periods=len(y), freq="M")), "ok", ""),
        "period index with a gap": (
            lambda: _reindexed(y, pd.period_range("2000-01", periods=len(y) + 1, freq="M").delete(7)),
            "error",
            "gaps",
        ),
        "time-zone aware index": (lambda: y.tz_localize("America/New_York"), "ok", ""),
        "index without freq set": (lambda: _reindexed(y, list(y.index)), "ok", ""),
        "integer values": (lambda: (y * 10).round().astype(int), "ok", ""),
        "float32 values": (lambda: y.astype(np.float32), "ok", ""),
        "nullable Float64 values": (lambda: y.astype("Float64"), "ok", ""),
        "a 1-D array": (lambda: y.to_numpy(), "ok", ""),
        "a 2-D array": (lambda: _frame().to_numpy(), "ok", ""),
        "a two-column frame": (_frame, "ok", ""),
        "huge values": (lambda: y * 1e200, "error", "rescale"),
        "tiny values": (lambda: y * 1e-200, "error", "rescale"),
        "large values": (lambda: y * 1e12, "ok", ""),
        "small values": (lambda: y * 1e-12, "ok", ""),
        "negative values": (lambda: y - 100, "ok", ""),
        "constant series": (lambda: y * 0 + 7, "warn", "constant"),
        "NaN in the middle": (lambda: _with(y, [20, 21, 70], np.nan), "missing", "regularize"),
        "NaN at the end": (lambda: _with(y, [len(y) - 1], np.nan), "missing", "regularize"),
    }
    cases = []
    for model, make in MODELS.items():
        for label, (data, expect, words) in inputs.items():
            if expect == "missing":
                expect, words = ("ok", "") if model in MISSING_OK else ("error", words)
            cases.append(Case(f"{model}: fit on {label}", lambda m=make, d=data: _fit_predict(m(), d()), expect, words))
    return cases


def _fit_predict(forecaster: Any, y: Any, X: Any = None, horizon: int = 3) -> Any:
    fitted = forecaster.fit(y, X)
    return fitted.predict(horizon), fitted.predict_interval(horizon)


def _call_cases() -> list[Case]:
    """Arguments of predict, predict_interval and update, and covariates."""
    y = _y()
    X = pd.DataFrame({"plan": (np.arange(len(y)) % 7 < 2).astype(float)}, index=y.index)
    cases = []
    for model, make in MODELS.items():
        fitted = lambda m=make: m().fit(y.iloc[:100])  # noqa: E731 - a fresh fit per case
        for horizon, expect in [(0, "error"), (-2, "error"), (1.5, "error"), ("3", "error"), (True, "error"),
                                (None, "error"), (np.int64(3), "ok"), (np.int32(1), "ok"), (500, "warn")]:  # fmt: skip
            if horizon == 500 and model in ("naive", "ar"):
                expect = "ok"
            cases.append(Case(f"{model}: predict({horizon!r})", lambda f=fitted, h=horizon: f().predict(h), expect,
                              "horizon" if expect == "error" else ("further ahead" if expect == "warn" else "")))  # fmt: skip
        for coverage, expect in [(0, "error"), (1, "error"), (1.2, "error"), ("0.9", "error"), (np.float32(0.8), "ok")]:
            cases.append(
                Case(f"{model}: predict_interval(coverage={coverage!r})",
                     lambda f=fitted, c=coverage: f().predict_interval(3, coverage=c), expect, "coverage" if expect == "error" else "")
            )  # fmt: skip
        cases += [
            Case(f"{model}: predict before fit", lambda m=make: m().predict(3), "error", "fit"),
            Case(f"{model}: update with a gap", lambda f=fitted: f().update(y.iloc[101:110]), "error", "gap"),
            Case(f"{model}: update overlapping", lambda f=fitted: f().update(y.iloc[90:110]), "error", "overlaps"),
            Case(f"{model}: update with a frame of other columns",
                 lambda f=fitted: f().update(_frame().iloc[100:110]), "error", "columns"),
            Case(f"{model}: update with a text series", lambda f=fitted: f().update(y.iloc[100:110].astype(str)),
                 "error", "numbers"),
            Case(f"{model}: update with inf", lambda f=fitted: f().update(_with(y.iloc[100:110], [2], np.inf)),
                 "error", "infinite"),
            Case(f"{model}: update then predict", lambda f=fitted: f().update(y.iloc[100:110]).predict(2), "ok"),
            Case(f"{model}: set_params after fit, then predict",
                 lambda m=make: _changed_after_fit(m(), y), "error", "after fit"),
            Case(f"{model}: X with fewer rows than y", lambda m=make: m().fit(y, X.iloc[:-1]),
                 "ok" if model == "naive" else "error", {"naive": "", "ar": "future_covariates"}.get(model, "rows")),
        ]  # fmt: skip
    return cases


def _changed_after_fit(forecaster: Any, y: pd.Series) -> Any:
    forecaster.fit(y)
    params = forecaster.get_params(deep=False)
    name, replacement = next((n, v) for n, v in [("strategy", "mean"), ("lags", 2), ("window", 5)] if n in params)
    forecaster.set_params(**{name: replacement})
    return forecaster.predict(3)


def _covariate_cases() -> list[Case]:
    y = _y()
    X = pd.DataFrame({"plan": (np.arange(len(y)) % 7 < 2).astype(float), 3: np.arange(len(y), dtype=float)},
                     index=y.index)  # fmt: skip
    planned = GRUForecaster(future_covariates=["plan"], horizon=3, **FAST)
    ar = ARForecaster(lags=2, future_covariates=["plan"])

    def fit_predict(model, X_fit, X_future):
        return model.fit(y.iloc[:100], X_fit).predict(3, X=X_future)

    return [
        Case("gru: integer covariate column names", lambda: fit_predict(planned, X.iloc[:100], X.iloc[100:103]), "ok"),
        Case("gru: declared covariate without X", lambda: planned.fit(y.iloc[:100]), "error", "X is None"),
        Case("gru: declared covariate missing from X", lambda: planned.fit(y.iloc[:100], X[[3]].iloc[:100]), "error",
             "does not have"),
        Case("gru: predict without the future covariates", lambda: planned.fit(y.iloc[:100], X.iloc[:100]).predict(3),
             "error", "required"),
        Case("gru: future covariates too short", lambda: fit_predict(planned, X.iloc[:100], X.iloc[100:102]), "error",
             "cover"),
        Case("gru: X on shifted dates", lambda: planned.fit(y.iloc[:100], X.iloc[1:101]), "error", "not on the index"),
        Case("gru: NaN in X", lambda: planned.fit(y.iloc[:100], _with(X["plan"], [5], np.nan).to_frame().iloc[:100]),
             "error", "NaN"),
        Case("gru: text covariate", lambda: planned.fit(y.iloc[:100], X.assign(plan="a").iloc[:100]), "error",
             "numbers"),
        Case("gru: X as a list", lambda: planned.fit(y.iloc[:100], [1, 2]), "error", "DataFrame"),
        Case("gru: a Series as X", lambda: fit_predict(planned, X["plan"].iloc[:100], X[["plan"]].iloc[100:103]),
             "ok"),
        Case("ar: past-only covariates refused", lambda: ARForecaster().fit(y, X), "error", "future_covariates"),
        Case("ar: future covariates", lambda: fit_predict(ar, X[["plan"]].iloc[:100], X[["plan"]].iloc[100:103]),
             "ok"),
        Case("ar: calendar on an integer index",
             lambda: ARForecaster(lags=1, calendar=["month"]).fit(y.reset_index(drop=True)), "error", "calendar"),
        Case("naive: X is ignored", lambda: NaiveForecaster().fit(y, X).predict(3), "ok"),
    ]  # fmt: skip


def _parameter_cases() -> list[Case]:
    y = _y()
    bad = [
        (lambda: NaiveForecaster("median"), "strategy"),
        (lambda: NaiveForecaster("seasonal", season_length=2.5), "season_length"),
        (lambda: ARForecaster(lags=-1), "lags"),
        (lambda: ARForecaster(lags=[1, 1.5]), "lags"),
        (lambda: ARForecaster(season_length=2.5, seasonal=True), "season_length"),
        (lambda: ARForecaster(trend="linear"), "trend"),
        (lambda: RegressionForecaster("ridge"), "estimator"),
        (lambda: RegressionForecaster(Ridge(), window=0), "window"),
        (lambda: RegressionForecaster(Ridge(), calibration_fraction=1.0), "calibration_fraction"),
        (lambda: RegressionForecaster(Ridge(), scaler="minmax"), "scaler"),
        (lambda: GRUForecaster(window=2.0), "window"),
        (lambda: GRUForecaster(epochs=-1), "epochs"),
        (lambda: GRUForecaster(dropout=1.0), "dropout"),
        (lambda: GRUForecaster(learning_rate="fast"), "learning_rate"),
        (lambda: GRUForecaster(device="quantum"), "device"),
        (lambda: GRUForecaster(difference="yes"), "difference"),
        (lambda: GRUForecaster(future_covariates="plan"), "future_covariates"),
        (lambda: GRUForecaster(calendar=["fortnight"]), "calendar"),
        (lambda: LSTMForecaster(n_ensemble=0), "n_ensemble"),
        (lambda: GRUForecaster(conformal_quantiles=True), "loss='quantile'"),
        (
            lambda: GRUForecaster(loss="quantile", conformal_quantiles=True, validation_fraction=0.0),
            "validation_fraction",
        ),
        (lambda: GRUForecaster(loss="quantile", conformal_quantiles=True, quantiles=(0.2, 0.9)), "symmetric"),
        (lambda: LSTMForecaster(random_state=np.random.default_rng(0)), "random_state"),
    ]
    good = [
        lambda: GRUForecaster(**{**FAST, "window": np.int64(8), "dropout": np.float32(0.0), "linear_skip": np.True_}),
        lambda: ARForecaster(lags=np.int64(2), seasonal=np.True_, season_length=np.int64(7)),
        lambda: NaiveForecaster("seasonal", season_length=np.int32(7)),
        lambda: RegressionForecaster(Ridge(), window=np.int16(10), calibration_fraction=np.float64(0.3)),
    ]
    cases = [Case(f"parameter {words} of {make()!r}", lambda m=make: m().fit(y), "error", words) for make, words in bad]
    cases += [Case(f"numpy parameters of {make()!r}", lambda m=make: _fit_predict(m(), y), "ok") for make in good]
    return cases


def _function_cases() -> list[Case]:
    y = _y()
    return [
        Case("regularize: a list", lambda: regularize([1.0, 2.0]), "error", "Series"),
        Case("regularize: duplicated dates", lambda: regularize(pd.concat([y.iloc[:5], y.iloc[4:8]])), "error",
             "groupby"),
        Case("regularize: an unknown fill", lambda: regularize(y, fill="spline"), "error", "fill"),
        Case("regularize: an unknown freq", lambda: regularize(y.drop(y.index[3]), freq="fortnightly"), "error",
             "freq"),
        Case("regularize: gaps", lambda: regularize(y.drop(y.index[[3, 4]])), "warn", "2 missing period"),
        Case("regularize: already regular", lambda: regularize(y), "ok"),
        Case("regularize: holidays on data with weekends", lambda: regularize(y, holidays="missing"), "error",
             "weekdays only"),
        Case("regularize: holidays with a daily freq", lambda: regularize(_prices(), freq="D", holidays="missing"),
             "error", "freq must be None, 'B' or 'C'"),
        Case("regularize: holidays of the wrong kind", lambda: regularize(_prices(), holidays=3), "error",
             "holiday calendar"),
        Case("regularize: an observation on a holiday", lambda: regularize(_prices(), holidays=["2024-01-03"]),
             "error", "fall on the holidays given (first 2024-01-03)"),
        Case("regularize: holidays at times of day", lambda: regularize(_prices().set_axis(
            _prices().index + pd.Timedelta(hours=9)), holidays="missing"), "error", "whole days"),
        Case("regularize: weeks missing, skipped as holidays", lambda: regularize(_prices().drop(
            _prices().index[10:25]), holidays="missing"), "warn", "more than a market's holidays"),
        Case("regularize: integer index", lambda: regularize(y.reset_index(drop=True)), "error", "DatetimeIndex"),
        Case("make_windows: window 0", lambda: make_windows(np.arange(10.0), 0, 1), "error", "window"),
        Case("make_windows: too short", lambda: make_windows(np.arange(5.0), 4, 2), "error", "at least"),
        Case("make_windows: 3-D values", lambda: make_windows(np.zeros((5, 2, 2)), 2, 1), "error", "shape"),
        Case("make_windows: numpy ints", lambda: make_windows(np.arange(10.0), np.int64(3), np.int64(2)), "ok"),
        Case("lag matrix: window 0", lambda: SlidingWindowTransformer(window=0).fit(y.to_frame()), "error", "window"),
        Case("lag matrix: unknown calendar", lambda: SlidingWindowTransformer(calendar=["era"]).fit(y.to_frame()),
             "error", "calendar"),
        Case("lag matrix: too short", lambda: SlidingWindowTransformer(window=30).fit_transform(y.iloc[:20]),
             "error", "rows"),
        Case("mae: shapes differ", lambda: metrics.mae(np.arange(3.0), np.arange(4.0)), "error", "shape"),
        Case("mae: NaN", lambda: metrics.mae([1.0, np.nan], [1.0, 2.0]), "error", "NaN"),
        Case("mae: empty", lambda: metrics.mae([], []), "error", "empty"),
        Case("mae: a scalar", lambda: metrics.mae(1.0, 2.0), "error", "scalar"),
        Case("mae: text", lambda: metrics.mae(["a"], ["b"]), "error", "numbers"),
        Case("mae: different indexes", lambda: metrics.mae(y.iloc[:5], y.iloc[1:6]), "error", "indexes"),
        Case("mase: constant training data", lambda: metrics.mase([1.0, 2.0], [1.0, 2.0], [3.0, 3.0, 3.0]), "error",
             "constant"),
        Case("diebold_mariano: too few errors", lambda: metrics.diebold_mariano([1.0], [2.0]), "error", "errors"),
    ]  # fmt: skip


def _backtest_cases() -> list[Case]:
    y = _y()
    ar = ARForecaster(lags=2)
    quick = {"horizon": 3, "initial": 100, "progress": False}
    cmp = {"horizon": 3, "initial": 100, "progress": False}
    return [
        Case("backtest: no horizon", lambda: backtest(ar, y, progress=False), "error", "horizon"),
        Case("backtest: horizon 0", lambda: backtest(ar, y, horizon=0, progress=False), "error", "horizon"),
        Case("backtest: initial too large", lambda: backtest(ar, y, horizon=3, initial=500), "error", "at least"),
        Case("backtest: initial a date not in y", lambda: backtest(ar, y, horizon=3, initial="1999-01-01"), "error",
             "not a timestamp"),
        Case("backtest: initial a date", lambda: backtest(ar, y, horizon=3, initial=y.index[100], progress=False), "ok"),
        Case("backtest: refit=0", lambda: backtest(ar, y, refit=0, **quick), "error", "refit"),
        Case("backtest: refit='yes'", lambda: backtest(ar, y, refit="yes", **quick), "error", "refit"),
        Case("backtest: refit numpy 2", lambda: backtest(ar, y, refit=np.int64(2), **quick), "ok"),
        Case("backtest: warm_start=-1", lambda: backtest(ar, y, warm_start=-1, **quick), "error", "warm_start"),
        Case("backtest: coverage 90", lambda: backtest(ar, y, coverage=90, **quick), "error", "coverage"),
        Case("backtest: quantiles empty", lambda: backtest(ar, y, quantiles=[], **quick), "error", "quantiles"),
        Case("backtest: n_jobs=0", lambda: backtest(ar, y, n_jobs=0, **quick), "error", "n_jobs"),
        Case("backtest: n_jobs=1.5", lambda: backtest(ar, y, n_jobs=1.5, **quick), "error", "n_jobs"),
        Case("backtest: scheme rolling", lambda: backtest(ar, y, scheme="rolling", **quick), "error", "scheme"),
        Case("backtest: sliding without initial", lambda: backtest(ar, y, horizon=3, scheme="sliding"), "error",
             "initial"),
        Case("backtest: cv and a different horizon", lambda: backtest(ar, y, cv=WalkForward(horizon=3, initial=100),
             horizon=5), "error", "differs"),
        Case("backtest: cv not a splitter", lambda: backtest(ar, y, cv=5), "error", "WalkForward"),
        Case("backtest: X with fewer rows", lambda: backtest(ar, y, y.to_frame().iloc[:-1], **quick), "error", "rows"),
        Case("backtest: dask without a client", lambda: backtest(ar, y, backend="dask", **quick), "error", "Client"),
        Case("backtest: a forecaster that is not one", lambda: backtest("ar", y, **quick), "error", ""),
        Case("score: unknown metric", lambda: backtest(ar, y, **quick).score(["bogus"]), "error", "metrics"),
        Case("score: by month", lambda: backtest(ar, y, **quick).score(by="month"), "error", "by"),
        Case("score: coverage without intervals", lambda: backtest(ar, y, **quick).score(["coverage"]), "error",
             "intervals"),
        Case("compare: empty models", lambda: compare({}, y, horizon=3, initial=100), "error", "empty"),
        Case("compare: a string as models", lambda: compare("ar", y, horizon=3, initial=100), "error", "models"),
        Case("compare: unknown baseline", lambda: compare([ar], y, horizon=3, initial=100, baseline="best"), "error",
             "baseline"),
        Case("compare: X names an unknown model", lambda: compare([ar], y, {"gru": y.to_frame()}, horizon=3,
             initial=100), "error", "not among"),
        Case("compare: two models named alike", lambda: compare({1: ar, "1": ar}, y, horizon=3, initial=100), "error",
             "named '1'"),
        Case("compare: bogus metric", lambda: compare([ar], y, horizon=3, initial=100, metrics=["r2"]), "error",
             "metrics"),
        Case("compare: constant series", lambda: compare([ar], y * 0 + 3, horizon=3, initial=100, progress=False),
             "warn", "undefined"),
        Case("confidence set: alpha 0", lambda: compare([ar], y, **cmp).confidence_set(alpha=0), "error", "alpha"),
        Case("confidence set: alpha as text", lambda: compare([ar], y, **cmp).confidence_set(alpha="10%"), "error",
             "alpha"),
        Case("confidence set: no replications", lambda: compare([ar], y, **cmp).confidence_set(reps=0), "error",
             "reps"),
        Case("pairwise: unknown adjustment", lambda: compare([ar], y, **cmp).pairwise(adjust="tukey"), "error",
             "adjust"),
        Case("headline: constant series", lambda: compare([ar], y * 0 + 3, **cmp).headline(), "warn", "undefined"),
        Case("report: constant series", lambda: compare([ar], y * 0 + 3, **cmp).to_markdown(), "warn", "undefined"),
        Case("search: no grid", lambda: SearchCV(ar).fit(y), "error", "exactly one of param_grid"),
        Case("search: unknown parameter", lambda: SearchCV(ar, {"window": [3]}).fit(y), "error", "no parameter 'window'"),
        Case("search: empty values", lambda: SearchCV(ar, {"lags": []}).fit(y), "error", "non-empty list"),
        Case("search: a string as values", lambda: SearchCV(ar, {"trend": "c"}).fit(y), "error", "non-empty list"),
        Case("search: unknown scoring", lambda: SearchCV(ar, {"lags": [1]}, scoring="r2").fit(y), "error", "scoring"),
        Case("search: inner plan too long", lambda: SearchCV(ar, {"lags": [1]}, horizon=3, initial=1000).fit(y),
             "error", "need at least"),
        Case("search: a class, not a forecaster", lambda: SearchCV(ARForecaster, {"lags": [1]}).fit(y), "error",
             "forecaster"),
        Case("adaptive conformal: a class, not a forecaster", lambda: AdaptiveConformal(ARForecaster).fit(y), "error",
             "forecaster"),
        Case("AR: a gap inside a ragged panel", lambda: ARForecaster(lags=2).fit(_ragged_with_gap()), "error",
             "only before a series' first value"),
        Case("AR: a panel column with no value", lambda: ARForecaster(lags=2).fit(_ragged_with_gap().assign(y1=np.nan)),
             "error", "no value"),
        Case("backtest: a panel series starting after the first cutoff", lambda: backtest(
            GRUForecaster(**FAST), _frame().assign(late=lambda f: f.iloc[:, 0].where(np.arange(len(f)) >= 95)),
            horizon=3, initial=100, progress=False), "error", "series 'late' has 5 observed value(s)"),
        Case("backtest: a network with an invalid window", lambda: backtest(GRUForecaster(window=None), y, horizon=3,
             initial=100, progress=False), "error", "window of GRUForecaster must be a positive int"),
        Case("walk forward: step 0", lambda: WalkForward(horizon=3, step=0).cutoffs(y), "error", "step"),
        Case("walk forward: train_length 0", lambda: WalkForward(horizon=3, scheme="sliding", train_length=0,
             initial=50).cutoffs(y), "error", "train_length"),
    ]  # fmt: skip


def _identity_cases() -> list[Case]:
    """Series embeddings and static covariates of a global network: what a user may get wrong."""
    panel = synthetic_series(n=120, n_series=2)  # columns y0, y1
    names = list(panel.columns)

    def fit(**params):
        return GRUForecaster(**FAST, **params).fit(panel)

    def static(values, index=names):
        return pd.DataFrame(values, index=index)

    return [
        Case("static: not a DataFrame", lambda: fit(static={"y0": 1.0, "y1": 2.0}), "error", "static"),
        Case("static: a row missing", lambda: fit(static=static({"size": [1.0]}, ["y0"])), "error", "no row"),
        Case("static: duplicated rows", lambda: fit(static=static({"size": [1.0, 2.0, 3.0]}, ["y0", "y1", "y1"])),
             "error", "more than one row"),
        Case("static: text column", lambda: fit(static=static({"kind": ["a", "b"]})), "error", "not numeric"),
        Case("static: missing value", lambda: fit(static=static({"size": [1.0, np.nan]})), "error", "missing"),
        Case("static: no columns", lambda: fit(static=pd.DataFrame(index=names)), "error", "no columns"),
        Case("static: one value for all series", lambda: fit(static=static({"size": [1.0, 1.0]})), "warn",
             "tell none apart"),
        Case("static: extra rows and another order", lambda: fit(static=static({"size": [3.0, 2.0, 1.0]},
             ["other", "y1", "y0"])).predict(3), "ok"),
        Case("series_embedding: negative", lambda: fit(series_embedding=-2), "error", "series_embedding"),
        Case("series_embedding: a float", lambda: fit(series_embedding=2.5), "error", "series_embedding"),
        Case("series_embedding: numpy int", lambda: fit(series_embedding=np.int64(3)).predict(3), "ok"),
    ]  # fmt: skip


def _ragged_with_gap() -> pd.DataFrame:
    frame = synthetic_series(n=120, n_series=2)
    frame.iloc[:30, 1] = np.nan
    frame.iloc[80, 0] = np.nan
    return frame


def _cli(*argv: str) -> tuple[int, str]:
    import contextlib
    import io

    from tsrnn.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(list(argv))
        except SystemExit as stop:  # argparse refuses an option
            code = stop.code
    if code != 0:
        raise ValueError(err.getvalue())
    return code, err.getvalue()


def _cli_cases() -> list[Case]:
    out = ("--out", "{tmp}")
    cases = [
        ("an unknown model", ["compare", "--models", "prophet"], "error", "unknown model"),
        ("an empty model list", ["compare", "--models", ","], "error", "empty"),
        ("an unknown dataset", ["compare", "--dataset", "mars"], "error", "unknown dataset"),
        ("a missing csv", ["compare", "--csv", "nope.csv", "--target", "y"], "error", "no such file"),
        ("a csv of one value column without --target", ["compare", "--csv", "{csv}", "--models", "naive",
                                                          "--quiet"], "ok", ""),
        ("a csv with a target and no value column left", ["compare", "--csv", "{csv}", "--covariates", "load"],
         "error", "--target"),
        ("an unknown target", ["compare", "--csv", "{csv}", "--target", "nope"], "error", "no column"),
        ("an unknown date column", ["compare", "--csv", "{csv}", "--target", "load", "--date-column", "when"], "error",
         "--date-column"),
        ("covariates naming the target", ["compare", "--csv", "{csv}", "--target", "load", "--covariates", "load"],
         "error", "target"),
        ("an unknown covariate", ["compare", "--dataset", "seattle-weather", "--covariates", "snow"], "error",
         "no column"),
        ("horizon 0", ["compare", "--horizon", "0"], "error", "positive"),
        ("refit nonsense", ["compare", "--refit", "often"], "error", "refit"),
        ("coverage 90", ["compare", "--models", "naive", "--coverage", "90"], "error", "coverage"),
        ("too many cutoffs", ["compare", "--csv", "{csv}", "--target", "load", "--cutoffs", "500"], "error",
         "too few"),
        ("an unknown fill", ["compare", "--fill", "spline"], "error", ""),
        ("an unknown calendar feature", ["compare", "--models", "gru", "--calendar", "fortnight", "--epochs", "1"],
         "error", "calendar"),
        ("naive on a small csv", ["compare", "--csv", "{csv}", "--target", "load", "--models", "naive", "--quiet"],
         "ok", ""),
        ("one quantile level", ["compare", "--csv", "{csv}", "--quantiles", "0.5"], "error", "two levels"),
        ("quantiles that are not levels", ["compare", "--csv", "{csv}", "--quantiles", "low,high"], "error",
         "between 0 and 1"),
        ("an unknown kind of intervals", ["compare", "--csv", "{csv}", "--intervals", "bootstrap"], "error", ""),
        ("adaptive intervals on a small csv", ["compare", "--csv", "{csv}", "--models", "naive,ar", "--intervals",
                                               "adaptive", "--quiet"], "ok", ""),
        ("an id column the file lacks", ["compare", "--csv", "{csv}", "--id-column", "store"], "error",
         "no column 'store'"),
        ("an id column for a shipped dataset", ["compare", "--dataset", "wti", "--id-column", "store"], "error",
         "--id-column reads a --csv"),
        ("interval options for tune", ["tune", "--csv", "{csv}", "--model", "ridge", "--grid", "window=7,14",
                                       "--intervals", "adaptive"], "error", "apply to compare and backtest"),
    ]  # fmt: skip
    made = []
    for label, argv, expect, words in cases:

        def call(argv=argv):
            import tempfile
            from pathlib import Path

            with tempfile.TemporaryDirectory() as tmp:
                csv = Path(tmp) / "data.csv"
                days = pd.date_range("2020-01-01", periods=160, freq="D")
                csv.write_text("date,load\n" + "\n".join(f"{d:%Y-%m-%d},{i % 7}" for i, d in enumerate(days)))
                filled = [a.replace("{csv}", str(csv)).replace("{tmp}", tmp) for a in [*argv, *out]]
                return _cli(*filled)

        made.append(Case(f"cli: {label}", call, expect, words))
    return made


CASES = (
    _series_cases()
    + _call_cases()
    + _covariate_cases()
    + _parameter_cases()
    + _function_cases()
    + _backtest_cases()
    + _identity_cases()
    + _cli_cases()
)


def test_the_corpus_is_broad():
    assert len(CASES) >= 150
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case(case):
    with time_limit(LIMIT_SECONDS), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case.expect == "error":
            with pytest.raises((ValueError, TypeError)) as info:
                case.call()
            assert not isinstance(info.value, NotFittedError) or "fit" in case.words
            assert case.words.lower() in str(info.value).lower(), f"{info.value!r} does not mention {case.words!r}"
            return
        result = case.call()
    for part in result if isinstance(result, tuple) else (result,):
        if isinstance(part, (pd.Series, pd.DataFrame, np.ndarray)) and np.asarray(part).dtype.kind == "f":
            assert np.isfinite(np.asarray(part)).all(), f"{case.name} returned NaN or inf"
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    if case.expect == "warn":
        assert any(case.words in m for m in messages), f"no warning mentioning {case.words!r}: {messages}"
