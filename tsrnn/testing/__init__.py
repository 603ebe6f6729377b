"""A public checker of the forecasting contract, in the spirit of scikit-learn's ``check_estimator``.

Run ``check_forecaster(MyForecaster())`` in a test: it fits the forecaster on
small synthetic series and raises an AssertionError naming the first rule the
forecaster breaks. ``CHECKS`` maps each rule's name to its check, so a test
suite can run one rule per test id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tsrnn.testing.checks import (
    check_clone_and_params,
    check_deterministic,
    check_fit_returns_self,
    check_intervals,
    check_no_mutation,
    check_no_peeking,
    check_not_fitted,
    check_pickle,
    check_predict_frame,
    check_predict_range_index,
    check_predict_series,
    check_quantiles,
    check_read_only,
    check_update,
)
from tsrnn.testing.data import synthetic_series
from tsrnn.testing.inputs import (
    check_bad_input,
    check_bad_parameters,
    check_covariates,
    check_missing_values,
    check_numpy_parameters,
)

__all__ = ["check_forecaster", "CHECKS", "synthetic_series"]


CHECKS: dict[str, Callable[[Any], None]] = {
    "clone_and_params": check_clone_and_params,
    "not_fitted": check_not_fitted,
    "fit_returns_self": check_fit_returns_self,
    "predict_series": check_predict_series,
    "predict_frame": check_predict_frame,
    "predict_range_index": check_predict_range_index,
    "update": check_update,
    "no_peeking": check_no_peeking,
    "intervals": check_intervals,
    "quantiles": check_quantiles,
    "deterministic": check_deterministic,
    "pickle": check_pickle,
    "no_mutation": check_no_mutation,
    "read_only": check_read_only,
    "bad_input": check_bad_input,
    "bad_parameters": check_bad_parameters,
    "missing_values": check_missing_values,
    "numpy_parameters": check_numpy_parameters,
    "covariates": check_covariates,
}


def check_forecaster(forecaster: Any, checks: Iterable[str] | None = None) -> None:
    """Check that a forecaster keeps the tsrnn forecasting contract.

    The checks (see ``CHECKS``) fit unfitted clones of ``forecaster`` on small
    synthetic series (160 daily points, trend plus weekly season); when the
    forecaster has a ``random_state`` left at None it is fixed to 0. They cover:
    clone/get_params round trip; NotFittedError before fit; fit returns self;
    the predict index, name and shape for Series, DataFrame, RangeIndex and
    numpy input; ``update`` (moves the forecast origin, uses the new values,
    updating in one piece equals updating in pieces, gaps and overlaps raise);
    no peeking (forecasts from slices of two series that differ after the
    cutoff are identical); intervals (on the predict index, containing the
    forecast, widening with coverage); determinism; pickle round trip; no
    mutation of inputs; read-only prediction (predict and predict_interval
    change no attribute); covariates (validated, required by predict, no leak
    through them); clear errors for bad input; and every parameter of the
    rule table refused by name before any data is read, and numpy scalar
    parameters accepted with the same forecasts.

    Parameters
    ----------
    forecaster : BaseForecaster
        An unfitted forecaster (it is cloned, never modified).
    checks : iterable of str, optional
        Names of the checks to run; all of them by default.

    Raises
    ------
    AssertionError
        Naming the first broken rule and the reason.
    """
    names = list(CHECKS) if checks is None else list(checks)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        raise ValueError(f"unknown checks {unknown}; choose from {list(CHECKS)}.")
    for name in names:
        try:
            CHECKS[name](forecaster)
        except AssertionError as error:
            raise AssertionError(f"{type(forecaster).__name__} breaks rule {name!r}: {error}") from error
        except Exception as error:  # noqa: BLE001 - any crash breaks the rule being checked
            raise AssertionError(
                f"{type(forecaster).__name__} breaks rule {name!r}: {type(error).__name__}: {error}"
            ) from error
