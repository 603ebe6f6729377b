"""Recurrent neural forecasters: the networks, their training, the linear skip and the forecasters.

- ``network``: ``RecurrentNetwork`` and ``EnsembleNetwork`` (torch modules) and their ``NetworkConfig``.
- ``training``: ``train``, a function that trains a network on window batches with early stopping.
- ``linear``: the closed-form ridge autoregression beside the network (the linear skip).
- ``quantiles``: the levels and forecasts of the quantile head (``loss="quantile"``).
- ``forecaster``: ``RecurrentForecaster``, parameters and orchestration.
- ``variants``: ``RNNForecaster``, ``LSTMForecaster`` and ``GRUForecaster``.
"""

from tsrnn.neural.forecaster import RecurrentForecaster
from tsrnn.neural.network import EnsembleNetwork, NetworkConfig, RecurrentNetwork
from tsrnn.neural.variants import GRUForecaster, LSTMForecaster, RNNForecaster

__all__ = [
    "RecurrentForecaster",
    "RNNForecaster",
    "LSTMForecaster",
    "GRUForecaster",
    "RecurrentNetwork",
    "EnsembleNetwork",
    "NetworkConfig",
]
