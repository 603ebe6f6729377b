"""Whether a network should model a series in levels or in first differences, decided by forecasting.

Unit-root tests answer a question about the whole series ("is there a unit
root?"), and on a seasonal series of a year or two their answer flips from one
training window to the next while the forecasts that follow from it differ a
lot. ``difference="validation"`` also asks the question the forecaster cares
about: on the most recent training windows (the validation windows of the
network, never the test data), does the ridge autoregression of the window
forecast the levels better when fitted to the levels or to the differences?
It is the linear part the network starts from. The tests' answer stands
unless forecasting says clearly otherwise, so a random walk stays differenced
while a year of temperatures, which the tests call a unit root, is modelled in
levels.
"""

from __future__ import annotations

import numpy as np
import torch
from numpy.lib.stride_tricks import sliding_window_view

from tsrnn.neural.linear import RidgeStatistics, ridge_gcv

__all__ = ["MARGIN", "differencing_by_validation"]


def _validation_error(levels: np.ndarray, window: int, outputs: int, n_validation: int, difference: bool) -> float:
    """Mean squared error in levels of the ridge fitted on the training windows, over the validation windows."""
    model = np.diff(levels) if difference else levels
    mean, std = model.mean(), model.std() or 1.0
    scaled = (model - mean) / std
    views = sliding_window_view(scaled, window + outputs)
    inputs, targets = views[:, :window], views[:, window:]
    n_train = len(views) - n_validation
    stats = RidgeStatistics()
    inputs, targets = (torch.as_tensor(np.array(a), dtype=torch.float64) for a in (inputs, targets))
    stats.add(inputs[:n_train], targets[:n_train])
    weights, intercept = ridge_gcv(stats)
    forecast = (inputs[n_train:] @ weights + intercept).numpy() * std + mean
    # Window k of the model values starts at position k (levels) or k + 1 (differences) of the levels.
    starts = np.arange(n_train, len(views)) + int(difference)
    last = levels[starts + window - 1]
    predicted = last[:, None] + np.cumsum(forecast, axis=1) if difference else forecast
    actual = sliding_window_view(levels, outputs)[starts + window]
    return float(np.mean((predicted - actual) ** 2))


#: How much lower (relative) the validation error of the other choice must be to overrule the unit-root tests.
MARGIN = 0.1


def differencing_by_validation(
    values: np.ndarray, window: int, outputs: int, validation_fraction: float, tests: np.ndarray | None = None
) -> np.ndarray:
    """Per series (column of ``values``), whether to model differences, decided by forecasting its validation windows.

    Parameters
    ----------
    values : np.ndarray of shape (n_timestamps, n_series)
        The training data in levels; a series with missing values is compared
        on its last run of observed values.
    window, outputs : int
        The network's window and output steps.
    validation_fraction : float
        The most recent fraction of the windows, held out as in training
        (at least 10% of them and at least one, whatever is given, so that
        the decision is always made out of sample).
    tests : np.ndarray of bool, shape (n_series,), optional
        The decision of the unit-root tests (``difference="auto"``). It
        stands unless the other choice's level forecasts of the validation
        windows have a mean squared error lower by more than :data:`MARGIN`:
        on a random walk the two errors differ by noise of that size, on a
        seasonal series of a year (where the tests see a unit root) levels
        win by 10-100%. Without ``tests``, the lower error decides.

    Returns
    -------
    np.ndarray of bool, shape (n_series,)
        True where differences are modelled. A series too short to compare
        (or constant) keeps the tests' decision, or levels without them.
    """
    if tests is None:
        tests = np.zeros(values.shape[1], dtype=bool)
        margin = 0.0
    else:
        tests = np.asarray(tests, dtype=bool)
        margin = MARGIN
    decisions = []
    for column, tested in zip(values.T, tests):
        observed = ~np.isnan(column)
        if not observed.all():
            # The last run of observed values: a ragged series is compared where it has data.
            gaps = np.flatnonzero(~observed)
            column = column[gaps[-1] + 1 :] if gaps[-1] < len(column) - 1 else column[:0]
        n_windows = len(column) - window - outputs  # windows of the differences (one observation fewer)
        n_validation = max(1, int(round(max(validation_fraction, 0.1) * n_windows)))
        if n_windows - n_validation < 2 or np.ptp(column) == 0:
            decisions.append(bool(tested))
            continue
        in_levels = _validation_error(column[1:], window, outputs, n_validation, difference=False)
        in_changes = _validation_error(column, window, outputs, n_validation, difference=True)
        if tested:
            decisions.append(not in_levels < (1 - margin) * in_changes)
        else:
            decisions.append(bool(in_changes < (1 - margin) * in_levels))
    return np.asarray(decisions, dtype=bool)
