"""tsrnn: recurrent neural forecasters beside honest baselines, with leak-free backtests."""

from tsrnn._validation import InvalidParameterError
from tsrnn.backtest import BacktestResult, WalkForward, backtest, plan_backtest
from tsrnn.base import BaseForecaster
from tsrnn.baselines import ARForecaster, NaiveForecaster
from tsrnn.chains import WarmStart
from tsrnn.conformal import AdaptiveConformal
from tsrnn.covariates import Covariates
from tsrnn.neural import GRUForecaster, LSTMForecaster, RecurrentForecaster, RNNForecaster
from tsrnn.panels import from_long, to_long
from tsrnn.regression import RegressionForecaster
from tsrnn.regularize import regularize
from tsrnn.report import Comparison, compare
from tsrnn.search import SearchCV
from tsrnn.windowing import SlidingWindowTransformer, make_windows

__version__ = "0.1.0"

__all__ = [
    "BaseForecaster",
    "InvalidParameterError",
    "Covariates",
    "NaiveForecaster",
    "ARForecaster",
    "RegressionForecaster",
    "AdaptiveConformal",
    "SearchCV",
    "RecurrentForecaster",
    "RNNForecaster",
    "LSTMForecaster",
    "GRUForecaster",
    "SlidingWindowTransformer",
    "make_windows",
    "regularize",
    "from_long",
    "to_long",
    "WalkForward",
    "WarmStart",
    "backtest",
    "plan_backtest",
    "BacktestResult",
    "compare",
    "Comparison",
    "__version__",
]
