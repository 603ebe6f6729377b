"""Recurrent neural forecasters: the networks, their training, the linear skip and the forecasters.

- ``network``: ``RecurrentNetwork`` and ``EnsembleNetwork`` (torch modules) and their ``NetworkConfig``.
- ``training``: ``train``, a function that trains a network on window batches with early stopping.
- ``linear``: the closed-form ridge autoregression beside the network (the linear skip).
- ``forecaster``: ``RecurrentForecaster`` and its ``RNN``/``LSTM``/``GRU`` variants.
"""

from tsrnn.neural.forecaster import GRUForecaster, LSTMForecaster, RecurrentForecaster, RNNForecaster
from tsrnn.neural.network import EnsembleNetwork, NetworkConfig, RecurrentNetwork

__all__ = [
    "RecurrentForecaster",
    "RNNForecaster",
    "LSTMForecaster",
    "GRUForecaster",
    "RecurrentNetwork",
    "EnsembleNetwork",
    "NetworkConfig",
]
