"""The contract checker catches broken forecasters, and passes honest ones."""

import numpy as np
import pytest

from tsrnn import NaiveForecaster
from tsrnn._validation import Satisfies
from tsrnn.testing import CHECKS, check_forecaster


class PeekingForecaster(NaiveForecaster):
    """Reads past the end of the slice it was given: the memory behind y holds the future."""

    def fit(self, y, X=None):
        super().fit(y, X)
        values = y.to_numpy()
        base = values
        while getattr(base, "base", None) is not None:
            base = base.base
        flat = np.asarray(base).reshape(-1)
        self._future_mean = float(flat[len(values) :].mean()) if flat.size > len(values) else 0.0
        return self

    def _predict(self, horizon, future=None):
        return super()._predict(horizon) + 1e-3 * self._future_mean


class MutatingForecaster(NaiveForecaster):
    """Demeans the caller's Series in place."""

    def fit(self, y, X=None):
        if hasattr(y, "iloc"):
            y.iloc[0] = y.iloc[0] + 1.0
        else:
            y[0] = y[0] + 1.0
        return super().fit(y, X)


class StaleUpdateForecaster(NaiveForecaster):
    """Moves the forecast index on update but keeps forecasting from the old end."""

    def _update(self, values):
        pass


class NoValidationForecaster(NaiveForecaster):
    """Skips validation of the horizon."""

    def predict(self, horizon):
        return super().predict(int(horizon) if horizon else 1)


def test_peeking_is_caught():
    with pytest.raises(AssertionError, match="no_peeking"):
        check_forecaster(PeekingForecaster(), checks=["no_peeking"])


def test_mutation_is_caught():
    with pytest.raises(AssertionError, match="no_mutation"):
        check_forecaster(MutatingForecaster(), checks=["no_mutation"])


def test_stale_update_is_caught():
    with pytest.raises(AssertionError, match="update"):
        check_forecaster(StaleUpdateForecaster(), checks=["update"])


def test_missing_validation_is_caught():
    with pytest.raises(AssertionError, match="bad_input"):
        check_forecaster(NoValidationForecaster(), checks=["bad_input"])


def test_unknown_check_name_is_refused():
    with pytest.raises(ValueError, match="unknown checks"):
        check_forecaster(NaiveForecaster(), checks=["nope"])


def test_every_check_is_documented():
    assert all(check.__doc__ for check in CHECKS.values())


class CachingForecaster(NaiveForecaster):
    """Remembers its last forecast: predicting writes state."""

    def _predict(self, horizon, future=None):
        self.last_forecast_ = super()._predict(horizon)
        return self.last_forecast_


class LateValidationForecaster(NaiveForecaster):
    """Its rule table lets any strategy through; the strategy is only checked after reading the data."""

    _parameter_constraints = {**NaiveForecaster._parameter_constraints, "strategy": [Satisfies(bool, "anything")]}


def test_writing_state_in_predict_is_caught():
    with pytest.raises(AssertionError, match="read_only"):
        check_forecaster(CachingForecaster(), checks=["read_only"])


def test_parameters_checked_late_are_caught():
    with pytest.raises(AssertionError, match="bad_parameters"):
        check_forecaster(LateValidationForecaster(), checks=["bad_parameters"])
