"""tsrnn: recurrent neural forecasters beside honest baselines, with leak-free backtests."""

from tsrnn.base import BaseForecaster
from tsrnn.baselines import ARForecaster, NaiveForecaster

__version__ = "0.1.0"

__all__ = ["BaseForecaster", "NaiveForecaster", "ARForecaster", "__version__"]
