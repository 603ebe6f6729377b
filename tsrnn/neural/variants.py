"""RNN, LSTM and GRU forecasters: ``RecurrentForecaster`` with its ``cell`` fixed.

Each spells out its parameters (scikit-learn reads them from the signature);
a test checks that every signature equals ``RecurrentForecaster``'s without ``cell``.
"""

from __future__ import annotations

from tsrnn.neural.forecaster import RecurrentForecaster

__all__ = ["RNNForecaster", "LSTMForecaster", "GRUForecaster"]


def _same_arguments(arguments: dict) -> dict:
    """The constructor arguments of a variant, to pass on unchanged."""
    return {k: v for k, v in arguments.items() if k not in ("self", "__class__")}


class RNNForecaster(RecurrentForecaster):
    """Elman RNN forecaster (``torch.nn.RNN``, tanh): ``h_t = tanh(W x_t + U h_{t-1} + b)``.

    Parameters and attributes are those of :class:`RecurrentForecaster`, with ``cell="rnn"``.
    """

    def __init__(self, window=30, horizon=1, strategy="direct", hidden_size=64, num_layers=1, dropout=0.0,
                 epochs=100, batch_size=64, learning_rate=1e-3, loss="mse", quantiles=None, conformal_quantiles=False,
                 gradient_clip=1.0,
                 validation_fraction=0.1, patience=10, scaler="standard", difference="validation", residual=False,
                 linear_skip=True, refit_linear=False, weight_decay=0.0, n_ensemble=1, weight_averaging=None, random_state=None,
                 device="auto", warm_start=False, verbose=0, future_covariates=None, calendar=None,
                 series_embedding=0, static=None):  # fmt: skip
        super().__init__(cell="rnn", **_same_arguments(locals()))


class LSTMForecaster(RecurrentForecaster):
    """Long short-term memory forecaster (``torch.nn.LSTM``).

    Parameters and attributes are those of :class:`RecurrentForecaster`, with ``cell="lstm"``.
    """

    def __init__(self, window=30, horizon=1, strategy="direct", hidden_size=64, num_layers=1, dropout=0.0,
                 epochs=100, batch_size=64, learning_rate=1e-3, loss="mse", quantiles=None, conformal_quantiles=False,
                 gradient_clip=1.0,
                 validation_fraction=0.1, patience=10, scaler="standard", difference="validation", residual=False,
                 linear_skip=True, refit_linear=False, weight_decay=0.0, n_ensemble=1, weight_averaging=None, random_state=None,
                 device="auto", warm_start=False, verbose=0, future_covariates=None, calendar=None,
                 series_embedding=0, static=None):  # fmt: skip
        super().__init__(cell="lstm", **_same_arguments(locals()))


class GRUForecaster(RecurrentForecaster):
    """Gated recurrent unit forecaster (``torch.nn.GRU``).

    Parameters and attributes are those of :class:`RecurrentForecaster`, with ``cell="gru"``.
    """

    def __init__(self, window=30, horizon=1, strategy="direct", hidden_size=64, num_layers=1, dropout=0.0,
                 epochs=100, batch_size=64, learning_rate=1e-3, loss="mse", quantiles=None, conformal_quantiles=False,
                 gradient_clip=1.0,
                 validation_fraction=0.1, patience=10, scaler="standard", difference="validation", residual=False,
                 linear_skip=True, refit_linear=False, weight_decay=0.0, n_ensemble=1, weight_averaging=None, random_state=None,
                 device="auto", warm_start=False, verbose=0, future_covariates=None, calendar=None,
                 series_embedding=0, static=None):  # fmt: skip
        super().__init__(cell="gru", **_same_arguments(locals()))
