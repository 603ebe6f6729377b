"""The forecasting contract shared by every tsrnn forecaster.

A forecaster is fitted on a history ``y`` and forecasts the periods that follow
its end. ``BaseForecaster`` checks the parameters (each class's
``_parameter_constraints``) and the inputs once, at the public boundary,
converts pandas objects to float arrays for the subclass hooks, and puts
outputs back on the future index.
"""

from __future__ import annotations

import copy
import numbers
import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from tsrnn._index import future_index
from tsrnn._validation import (
    SeriesData,
    check_coverage,
    check_finite,
    check_horizon,
    check_quantiles,
    check_series,
    validate_params,
)
from tsrnn.covariates import Covariates

__all__ = ["BaseForecaster"]


class BaseForecaster(BaseEstimator):
    """Base class of every tsrnn forecaster.

    Subclasses declare ``_parameter_constraints`` (parameter name -> list of
    accepted rules, see ``tsrnn._validation``) and implement four hooks on
    float arrays of shape (n_timestamps, n_series): ``_fit(values)``,
    ``_update(values)``, ``_predict(horizon, future)`` returning
    (horizon, n_series) and ``_predict_interval(horizon, coverage, future)``
    returning ``(lower, upper)``. The hooks after ``fit`` must not change the
    fitted state except ``_update``. The public methods validate inputs and
    put outputs on the future index.

    Covariates: :meth:`get_covariates` says which covariates the forecaster
    uses; the base fits it on ``X`` and keeps the covariate history in
    ``past_`` and ``future_`` (rows aligned with the history) for the hooks;
    ``future`` holds the future covariates of the forecast window.

    Attributes
    ----------
    cutoff_ : pd.Timestamp or int
        The last timestamp seen by ``fit`` or ``update``; forecasts start after it.
    freq_ : pd.DateOffset or int
        The frequency of the training index.
    columns_ : list
        The series names seen in ``fit``.
    n_series_ : int
        The number of series seen in ``fit``.
    fitted_params_ : dict
        The parameters in force at the last ``fit``; ``predict``, ``predict_interval``
        and ``update`` refuse to run after a parameter was changed since.
    covariates_ : Covariates
        The covariates fitted on ``X``: past columns, future columns, calendar features.
    past_covariates_, future_covariates_ : list of str
        The past covariate names, and the future ones (declared columns, then
        the calendar sine/cosine pairs): the columns of ``past_`` and ``future_``.
    past_, future_ : np.ndarray of shape (n_timestamps, n_past) and (n_timestamps, n_future)
        Their values over the history.
    """

    _parameter_constraints: ClassVar[dict[str, list]] = {}
    #: Whether ``fit`` and ``update`` accept missing values (NaN) in ``y``.
    allows_missing: ClassVar[bool] = False
    #: Whether a DataFrame's series may start late (missing values before their first one, none after).
    allows_late_start: ClassVar[bool] = False

    def get_covariates(self) -> Covariates:
        """The covariates this forecaster uses, unfitted: the one hook the base asks about covariates.

        Forecasters that take covariates return ``Covariates(future, calendar,
        support=...)`` built from their own parameters; the default uses none
        (``X`` is accepted and ignored).
        """
        return Covariates(support="none")

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        # A table passed as a parameter (static covariates) is shown by its shape, not printed row by row.
        tables = {k: v for k, v in self.get_params(deep=False).items() if isinstance(v, (pd.DataFrame, pd.Series))}
        if not tables:
            return super().__repr__(N_CHAR_MAX)
        shown = copy.copy(self)
        for name, table in tables.items():
            setattr(shown, name, _Shape(table))
        return BaseEstimator.__repr__(shown, N_CHAR_MAX)

    def _min_length(self) -> int:
        """The fewest observations ``fit`` accepts; subclasses compute theirs from validated parameters."""
        return 1

    def _validate_params(self) -> None:
        validate_params(self._parameter_constraints, self.get_params(deep=False), type(self).__name__)
        self._check_params()

    def _check_params(self) -> None:
        """Rules that tie several parameters together; the table covers each one alone."""

    # -- public contract -------------------------------------------------
    def fit(self, y: Any, X: Any = None) -> BaseForecaster:
        """Fit the forecaster on the history ``y``.

        Parameters
        ----------
        y : pd.Series, pd.DataFrame or np.ndarray
            The history, on a regular DatetimeIndex or an integer index.
            A DataFrame holds one series per column.
        X : pd.DataFrame, optional
            Covariates on the same index as ``y``, shared by all its series.
            Columns named in ``future_covariates`` are known ahead and needed
            again by ``predict``; the others are past covariates, known up to
            the forecast origin only.

        Returns
        -------
        self

        Raises
        ------
        InvalidParameterError
            For a parameter outside its rules, before any data is read.
        """
        self._validate_params()
        with _restored_on_error(self):
            allow = True if self.allows_missing else ("leading" if self.allows_late_start else False)
            data = check_series(y, "y", min_length=self._min_length(), allow_missing=allow)
            observed = (~np.isnan(data.values)).sum(axis=0)
            if observed.min() < self._min_length():
                column = data.columns[int(np.argmin(observed))]
                raise ValueError(
                    f"y has {int(observed.min())} observed (non-missing) values in column {column!r}; "
                    f"at least {self._min_length()} are needed."
                )
            self.kind_ = data.kind
            self.columns_ = data.columns
            self.n_series_ = len(data.columns)
            self.freq_ = data.freq
            self.covariates_ = self.get_covariates().fit(X, "X", freq=data.freq)
            self.past_covariates_ = list(self.covariates_.past)
            self.future_covariates_ = self.covariates_.future_names
            self.past_, self.future_ = self.covariates_.in_sample(X, data.index, data.freq, "X", "y")
            self._fit_inputs(data, y, X)
            self.cutoff_ = data.index[-1]
            self.fitted_params_ = self.get_params(deep=True)
            self._warn_if_constant(data)
        return self

    def update(self, y_new: Any, X_new: Any = None) -> BaseForecaster:
        """Append observations that directly follow the history, without re-estimating.

        The next ``predict`` forecasts from the new end of the history with the
        parameters learned in ``fit``.

        Parameters
        ----------
        y_new : pd.Series, pd.DataFrame or np.ndarray
            New observations, of the same kind and columns as ``y`` in ``fit``,
            starting at the period right after ``cutoff_``.
        X_new : pd.DataFrame, optional
            Covariates of the new observations (required when ``fit`` had ``X``).

        Returns
        -------
        self
        """
        check_is_fitted(self)
        self._check_params_unchanged("update")
        data = check_series(y_new, "y_new", known_freq=self.freq_, allow_missing=self.allows_missing)
        if data.kind == "frame" and data.columns != self.columns_:
            raise ValueError(f"y_new has columns {data.columns}; the forecaster was fitted on {self.columns_}.")
        if len(data.columns) != self.n_series_:
            raise ValueError(f"y_new has {len(data.columns)} series; the forecaster was fitted on {self.n_series_}.")
        new_index = self._continuation(data)
        past, future = self.covariates_.in_sample(X_new, new_index, self.freq_, "X_new", "y_new")
        with _restored_on_error(self):
            self.past_ = np.concatenate([self.past_, past])
            self.future_ = np.concatenate([self.future_, future])
            self._update_inputs(data, y_new, X_new)
            self.cutoff_ = new_index[-1]
        return self

    def predict(self, horizon: int, X: Any = None) -> Any:
        """Forecast the ``horizon`` periods after ``cutoff_``.

        Parameters
        ----------
        horizon : int
            Number of periods to forecast.
        X : pd.DataFrame, optional
            The future covariates for (at least) the ``horizon`` periods after
            ``cutoff_``; required when the forecaster has ``future_covariates``.
            Calendar features are computed, never needed here.

        Returns
        -------
        pd.Series, pd.DataFrame or np.ndarray
            The same kind as ``y`` in ``fit``, indexed by the future periods.
        """
        check_is_fitted(self)
        self._check_params_unchanged("predict")
        horizon = check_horizon(horizon)
        values = self._predict(horizon, self.covariates_.ahead(X, self.cutoff_, self.freq_, horizon))
        check_finite(values, type(self).__name__, "forecasts")
        return self._wrap(values, horizon)

    def predict_interval(self, horizon: int, coverage: float = 0.9, X: Any = None) -> pd.DataFrame:
        """Prediction intervals for the ``horizon`` periods after ``cutoff_``.

        Parameters
        ----------
        horizon : int
            Number of periods to forecast.
        coverage : float, default=0.9
            The nominal probability that the interval holds the observation.
        X : pd.DataFrame, optional
            Future covariates, as for ``predict``.

        Returns
        -------
        pd.DataFrame
            Columns ``lower`` and ``upper`` for one series; for several, a
            column MultiIndex ``(series, lower|upper)``. Indexed like ``predict``.
        """
        check_is_fitted(self)
        self._check_params_unchanged("predict_interval")
        horizon = check_horizon(horizon)
        coverage = check_coverage(coverage)
        future = self.covariates_.ahead(X, self.cutoff_, self.freq_, horizon)
        lower, upper = self._predict_interval(horizon, coverage, future)
        check_finite(np.concatenate([lower, upper]), type(self).__name__, "interval bounds")
        index = future_index(self.cutoff_, self.freq_, horizon)
        if self.kind_ in ("series", "array1d"):
            return pd.DataFrame({"lower": lower[:, 0], "upper": upper[:, 0]}, index=index)
        columns = pd.MultiIndex.from_product([self.columns_, ["lower", "upper"]])
        stacked = np.stack([lower, upper], axis=2).reshape(horizon, -1)
        return pd.DataFrame(stacked, index=index, columns=columns)

    def predict_quantiles(self, horizon: int, quantiles: Any = (0.05, 0.5, 0.95), X: Any = None) -> pd.DataFrame:
        """Quantile forecasts for the ``horizon`` periods after ``cutoff_``.

        Parameters
        ----------
        horizon : int
            Number of periods to forecast.
        quantiles : float or sequence of float, default=(0.05, 0.5, 0.95)
            Levels in (0, 1).
        X : pd.DataFrame, optional
            Future covariates, as for ``predict``.

        Returns
        -------
        pd.DataFrame
            One column per level (ascending, named ``quantile``) for one
            series; for several, a column MultiIndex ``(series, level)``.
            Indexed like ``predict`` and monotone in the level. The bounds of
            ``predict_interval(horizon, coverage)`` are the ``(1 - coverage) / 2``
            and ``(1 + coverage) / 2`` quantiles.
        """
        check_is_fitted(self)
        self._check_params_unchanged("predict_quantiles")
        horizon = check_horizon(horizon)
        levels = check_quantiles(quantiles)
        future = self.covariates_.ahead(X, self.cutoff_, self.freq_, horizon)
        values = self._predict_quantiles(horizon, levels, future)
        check_finite(values, type(self).__name__, "quantiles")
        index = future_index(self.cutoff_, self.freq_, horizon)
        if self.kind_ in ("series", "array1d"):
            return pd.DataFrame(values[:, 0, :], index=index, columns=pd.Index(levels, name="quantile"))
        columns = pd.MultiIndex.from_product([self.columns_, levels], names=[None, "quantile"])
        return pd.DataFrame(values.reshape(horizon, -1), index=index, columns=columns)

    def warm_start_params(self, epochs: int | None = None, patience: int | None = None) -> dict[str, Any] | None:
        """Parameters that make the next ``fit`` continue from the fitted state, or None if it cannot.

        Backtests use it for warm-started refits. ``epochs`` and ``patience``
        (when given) are the training budget of such a refit; a backtest
        passes ``patience`` only when its policy sets one. The default: no
        warm start.
        """
        return None

    # -- helpers ------------------------------------------------------------
    def _check_params_unchanged(self, method: str) -> None:
        """Refuse to use a fitted state with parameters changed since the fit: that would mix the two."""
        fitted = getattr(self, "fitted_params_", None)
        if fitted is None:
            return
        current = self.get_params(deep=True)
        changed = [name for name in current if not _same(current[name], fitted.get(name))]
        if changed:
            name = changed[0]
            raise ValueError(
                f"{name} was changed from {fitted.get(name)!r} to {current[name]!r} after fit; {method} would mix the "
                f"new setting with a model fitted under the old one. Call fit again, or set {name} back."
            )

    def _warn_if_constant(self, data: Any) -> None:
        values = data.values
        spread = np.nanmax(values, axis=0) - np.nanmin(values, axis=0)
        for column, width in zip(data.columns, spread):
            if width == 0:
                warnings.warn(
                    f"y column {column!r} is constant; its forecasts repeat that value and scaled errors "
                    f"(MASE) are undefined for it.",
                    UserWarning,
                    stacklevel=3,
                )

    def _continuation(self, data: Any) -> pd.Index:
        """The index of new observations, checked to follow the history at its frequency."""
        expected = future_index(self.cutoff_, self.freq_, len(data.index))
        if data.kind in ("array1d", "array2d"):
            return expected
        new_index = data.index
        if not new_index.equals(expected):
            first = new_index[0]
            if first == expected[0]:
                k = int(np.argmax(new_index != expected))
                hint = ""
                if isinstance(self.freq_, pd.offsets.CustomBusinessDay):
                    hint = (
                        " The history's business days know only the holidays they were given; put the history and "
                        "the new data on one calendar with tsrnn.regularize(pd.concat([y, y_new]), holidays=...) "
                        "and refit."
                    )
                raise ValueError(
                    f"y_new starts where it should ({first}) but does not continue every {self.freq_}: its "
                    f"observation {k + 1} is at {new_index[k]}, where {expected[k]} was due.{hint}"
                )
            what = "overlaps" if first <= self.cutoff_ else "leaves a gap after"
            raise ValueError(
                f"y_new starts at {first} and {what} the history, which ends at {self.cutoff_}; "
                f"it must start at {expected[0]} and continue every {self.freq_}."
            )
        return new_index

    def _wrap(self, values: np.ndarray, horizon: int) -> Any:
        if self.kind_ == "array1d":
            return values[:, 0].copy()
        if self.kind_ == "array2d":
            return values.copy()
        index = future_index(self.cutoff_, self.freq_, horizon)
        if self.kind_ == "series":
            return pd.Series(values[:, 0], index=index, name=self.columns_[0])
        return pd.DataFrame(values, index=index, columns=self.columns_)

    # -- hooks ------------------------------------------------------------
    def _fit_inputs(self, data: SeriesData, y: Any, X: Any) -> None:
        """Fit on validated ``data``; wrappers of other forecasters override this to pass on ``y`` and ``X``."""
        self._fit(data.values)

    def _update_inputs(self, data: SeriesData, y_new: Any, X_new: Any) -> None:
        """Append validated ``data``; wrappers override this to pass on ``y_new`` and ``X_new``."""
        self._update(data.values)

    def _fit(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _update(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _predict(self, horizon: int, future: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def _predict_quantiles(self, horizon: int, levels: np.ndarray, future: np.ndarray) -> np.ndarray:
        """Quantiles (horizon, n_series, n_levels) read off the central intervals.

        Level q < 0.5 is the lower bound of the (1 - 2q) interval, q > 0.5 the
        upper bound of the (2q - 1) interval, and 0.5 the point forecast:
        exact for the symmetric intervals of every forecaster here (normal or
        conformal), and monotone because intervals widen with coverage.
        """
        point = self._predict(horizon, future)
        out = np.empty((horizon, point.shape[1], len(levels)))
        for k, level in enumerate(levels):
            if level == 0.5:
                out[:, :, k] = point
            elif level < 0.5:
                out[:, :, k] = self._predict_interval(horizon, 1.0 - 2.0 * level, future)[0]
            else:
                out[:, :, k] = self._predict_interval(horizon, 2.0 * level - 1.0, future)[1]
        return out


class _Shape:
    """Stands in for a table in a forecaster's repr: its kind and shape."""

    def __init__(self, table: pd.DataFrame | pd.Series):
        self.text = f"<{type(table).__name__} of {table.shape[0]} rows" + (
            f" x {table.shape[1]} columns>" if table.ndim == 2 else ">"
        )

    def __repr__(self) -> str:
        return self.text


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, numbers.Number) and isinstance(b, numbers.Number):
        return bool(a == b)  # np.int64(5) is the same setting as 5
    if isinstance(a, (pd.DataFrame, pd.Series)):
        return type(a) is type(b) and a.equals(b)
    if hasattr(a, "get_params") and type(a) is type(b):
        params_a, params_b = a.get_params(deep=False), b.get_params(deep=False)
        return params_a.keys() == params_b.keys() and all(_same(params_a[k], params_b[k]) for k in params_a)
    try:
        return type(a) is type(b) and bool(a == b)
    except (TypeError, ValueError):
        return False


class _restored_on_error:
    """Put an object's attributes back as they were if the block raises: no half-fitted forecaster."""

    def __init__(self, owner: Any):
        self.owner = owner

    def __enter__(self) -> None:
        self.saved = dict(self.owner.__dict__)

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> bool:
        if kind is not None:
            self.owner.__dict__.clear()
            self.owner.__dict__.update(self.saved)
        return False
