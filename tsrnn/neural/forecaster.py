"""Recurrent neural forecasters on the forecasting contract: parameters and orchestration.

One ``RecurrentForecaster`` holds the logic; ``RNNForecaster``,
``LSTMForecaster`` and ``GRUForecaster`` (in ``variants``) only fix its ``cell``. A DataFrame
trains one global network across its columns (shared weights, per-series
scaling). Differencing, scaling, the linear skip and early stopping see the
training data only; the network, its training and the linear skip live in
their own modules.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch

from tsrnn._validation import Boolean, Interval, InvalidParameterError, Options, Satisfies
from tsrnn.covariates import COVARIATE_CONSTRAINTS
from tsrnn.intervals import interpolate_quantiles
from tsrnn.neural.differencing import differencing_by_validation
from tsrnn.neural.linear import fit_linear
from tsrnn.neural.network import CELLS, EnsembleNetwork, NetworkConfig, RecurrentNetwork, is_device, resolve_device
from tsrnn.neural.quantiles import LEVELS_RULE, around_median, head_levels, median_steps, spread_at
from tsrnn.neural.training import LOSSES, TrainingConfig, WindowBatches, train
from tsrnn.transforms import Differencer, Scaler
from tsrnn.window_forecaster import WindowForecaster
from tsrnn.windowing import future_block, recursive_forecast

__all__ = ["RecurrentForecaster"]

_POSITIVE_INT = [Interval("int", 1, None)]
#: Below this many validation windows (over all series) a fresh network with a linear skip keeps the linear model.
MIN_VALIDATION_WINDOWS = 10
_FRACTION = [Interval("real", 0, 1, closed="left")]
#: Validation scores a step of a series needs before the head's interval there is corrected (else left as trained).
_MIN_CORRECTION_SCORES = 5


class RecurrentForecaster(WindowForecaster):
    """Recurrent neural network forecaster (RNN, LSTM or GRU) trained on sliding windows.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}, default="lstm"
        The recurrent cell.
    window : int, default=30
        Number of past observations the network reads for one forecast.
    horizon : int, default=1
        The trained horizon: steps one forward pass emits with ``strategy="direct"``.
    strategy : {"direct", "recursive"}, default="direct"
        ``"direct"`` (many-to-many): one pass emits all ``horizon`` steps.
        ``"recursive"`` (many-to-one): a one-step network fed its own forecasts.
        Either way, ``predict(h)`` with ``h`` beyond the trained horizon
        continues recursively from the network's own outputs.
    hidden_size : int, default=64
        Units per recurrent layer.
    num_layers : int, default=1
        Stacked recurrent layers.
    dropout : float, default=0.0
        Dropout between layers and before the output layer.
    epochs : int, default=100
        Maximum passes over the training windows.
    batch_size : int, default=64
        Windows per gradient step.
    learning_rate : float, default=1e-3
        Adam's learning rate.
    loss : {"mse", "mae", "huber", "quantile"}, default="mse"
        Training loss on the scaled targets. ``"quantile"`` trains a quantile
        head: the network emits the ``quantiles`` of every step, trained with
        the pinball loss on all levels at once; see Notes.
    quantiles : sequence of float, optional
        The levels of the quantile head (``loss="quantile"`` only), strictly
        increasing in (0, 1); 0.5 is added when missing, since the median is
        the point forecast. None trains (0.025, 0.05, 0.1, 0.25, 0.5, 0.75,
        0.9, 0.95, 0.975).
    conformal_quantiles : bool, default=False
        With ``loss="quantile"``: conformalise the head (conformalized
        quantile regression, Romano, Patterson and Candès, 2019). Each central
        interval of the head (levels ``q`` and ``1 - q``) is widened, or
        narrowed, per series and step by the ``ceil((n + 1) c) / n`` quantile
        of its conformity scores ``max(lower - y, y - upper)`` on the ``n``
        validation windows, ``c = 1 - 2q``, so its coverage there is at least
        ``c``. Needs levels symmetric around 0.5 and
        ``validation_fraction > 0``; the corrections are
        ``quantile_corrections_``.
    gradient_clip : float or None, default=1.0
        Clip the gradient norm to this value; None disables clipping.
    validation_fraction : float, default=0.1
        The most recent fraction of the training windows, held out for early
        stopping and interval calibration (never a random split). With the
        linear skip, a new network that has fewer than 10 validation windows
        (over all series; ``MIN_VALIDATION_WINDOWS``) keeps the linear model
        without training the recurrent part: so few windows cannot tell one
        epoch from another (on short yearly and monthly series of the
        benchmark corpus, the epochs they chose did worse than the linear
        model), and ``n_epochs_`` is 0.
    patience : int or None, default=10
        Stop after this many epochs without a better validation loss and
        restore the best weights; None trains all ``epochs``.
    scaler : {"standard", None}, default="standard"
        Standardise each series with the mean and standard deviation of its
        training data (after differencing).
    difference : bool, "auto" or "validation", default="validation"
        Model first differences, then add them back to the last observation.
        ``"auto"`` decides per series and per ``fit``, on the training data
        only (its most recent 5,000 observations): differences when the ADF
        test does not reject a unit root (p > 0.05) and the KPSS test rejects
        stationarity (p < 0.05). ``"validation"`` checks that decision by
        forecasting: the ridge autoregression of the window (the linear skip)
        is fitted to the levels and to the differences of the training
        windows, and the tests are overruled where the other choice's level
        forecasts of the validation windows (at least the most recent 10%)
        have a squared error more than 10% lower
        (:func:`tsrnn.neural.differencing.differencing_by_validation`).
        The decision is ``differenced_``.
    residual : bool, default=False
        Forecast the change relative to the last input value (a skip
        connection), so a weak network falls back towards the last value.
    linear_skip : bool, default=True
        Add a linear autoregression of the input window to the output (the
        "highway" of LSTNet, the linear part of hybrid ARIMA-network models).
        It is a ridge regression per output step, solved in closed form on
        the training windows at every ``fit`` with the penalty chosen by
        generalised cross-validation, and kept fixed while the recurrent part
        learns the remainder. A new network's output layer starts at zero, so
        training starts from the linear model, and early stopping compares
        every epoch with it (``best_epoch_ == 0`` keeps the linear model).
        False trains the recurrent network alone.
    refit_linear : bool, default=False
        When early stopping keeps the linear model alone (``best_epoch_ ==
        0``), solve it again on every window, the validation windows
        included, after the intervals were calibrated on them: the final
        refit of a model selected on held-out data, so that a short series'
        most recent windows are not left out of the forecast. A network whose
        trained epochs were kept is left as trained.
    weight_decay : float, default=0.0
        L2 penalty of Adam on all weights.
    n_ensemble : int, default=1
        Train this many networks from different seeds (member 0 from
        ``random_state`` itself) and forecast their average; beyond the
        trained horizon the average is what is fed back. Costs
        ``n_ensemble`` times the training and prediction time.
    weight_averaging : float or None, default=None
        Keep an exponential moving average of the weights with this decay per
        gradient step (e.g. 0.9); the average is what early stopping
        validates and what is kept. None trains plain weights.
    random_state : int or None, default=None
        Seed of weight initialisation, shuffling and dropout; the same seed
        gives the same forecasts on CPU.
    device : str or torch.device, default="auto"
        Where to train: ``"auto"`` picks CUDA when available, else the CPU.
        The fitted network is moved to the CPU.
    warm_start : bool, default=False
        A new ``fit`` continues from the current weights instead of new ones.
        Such a warm refit keeps the differencing decision the weights were
        trained under, solves the linear skip again, and validates (early
        stopping and the conformal calibration) only on windows whose last
        target comes after ``trained_through_``, so never on a window an
        earlier fit trained on; with none left it warns and validates as usual.
    verbose : int, default=0
        1 shows a progress bar of epochs with the training and validation loss.
    future_covariates : list of str, optional
        Columns of ``X`` known ahead (calendar, planned events, weather
        forecasts): their values over the output steps enter the head beside
        the last hidden state, and ``predict`` needs them. The other columns
        of ``X`` are past covariates: extra input features of the window,
        standardised on the training data. With past covariates, forecasts
        reach at most the trained ``horizon``.
    calendar : list of str, optional
        Calendar features of the output steps (e.g. ``["dayofyear"]``),
        computed from the index as future covariates.
    series_embedding : int, default=0
        For a global network over the columns of a DataFrame: learn a vector
        of this many dimensions per series, given to every step of the
        recurrent input, so one network can tell the series apart (as DeepAR
        does); 0 learns none. The linear skip stays shared.
    static : pd.DataFrame, optional
        Static covariates: one row per series (indexed by the column labels of
        ``y``; other rows are ignored), numeric columns, no missing values.
        Standardised across the fitted series and given to every step of the
        recurrent input like the embedding.

    Attributes
    ----------
    network_ : RecurrentNetwork or EnsembleNetwork
        The trained network, on the CPU; with ``n_ensemble > 1`` the module
        averaging the members.
    history_ : pd.DataFrame
        Training and validation loss per epoch (``train_loss``, ``val_loss``);
        with ``n_ensemble > 1`` indexed by (member, epoch).
    best_epoch_ : int
        The epoch whose weights were kept (1-based; 0 when the linear skip
        alone did best on the validation windows), of member 0.
    best_epochs_ : np.ndarray of int, shape (n_ensemble,)
        The kept epoch of every member.
    n_epochs_ : int
        Epochs actually run by member 0.
    scale_mean_, scale_std_ : np.ndarray of shape (n_series,)
        Scaler statistics of each series, from the training data.
    scaler_ : Scaler
        The fitted scaler of the (differenced) series.
    differencer_ : Differencer
        The fitted differencing decision.
    differenced_ : np.ndarray of bool, shape (n_series,)
        Whether each series is modelled in differences.
    y_ : np.ndarray of shape (n_timestamps, n_series)
        The history seen by ``fit`` and ``update``.
    n_fit_ : int
        Length of the history seen by ``fit``.
    n_windows_ : int
        Windows per series in ``fit``.
    trained_through_ : label
        The index label of the last target any training window of the last
        fit saw (the last observation with ``refit_linear``): where the
        validation of the next warm refit may begin.
    n_validation_windows_ : int
        The most recent of them, held out for early stopping and calibration.
    n_incomplete_windows_ : int
        Windows (over all series) left out of training and validation because
        they hold a missing value.
    calibration_errors_ : np.ndarray of shape (n_series * n_validation_windows_, horizon) or None
        Absolute errors of the forecasts made from every validation window,
        computed in ``fit``; None without validation windows.
    quantiles_ : tuple of float or None
        The levels the quantile head emits (``quantiles`` with 0.5); None for
        the point losses.
    quantile_corrections_ : np.ndarray of shape (n_series, steps, n_pairs) or None
        With ``conformal_quantiles``: what each central interval of the head
        (pair ``k``: levels ``k`` and ``-1 - k`` of ``quantiles_``) is widened
        by on each side at each calibrated step (negative: narrowed); beyond
        the calibrated steps the last one's grows as ``sqrt(step)``. None
        otherwise.
    static_ : np.ndarray of shape (n_series, n_static)
        The static covariates of the fitted series, standardised across them
        (no columns without ``static``).

    Notes
    -----
    Prediction intervals are split-conformal: the absolute errors of the
    forecasts made from every validation window, per horizon step (in the
    original units), give the interval half-width as their
    ``ceil((n + 1) * coverage) / n`` quantile. They need
    ``validation_fraction > 0``. Steps for which fewer than 5 validation errors
    exist grow from the last calibrated step as ``sqrt(step)``.

    With ``loss="quantile"`` the quantile head gives intervals and quantiles
    (no validation windows needed): a median, which keeps the linear skip,
    and cumulated softplus increments on each side, so levels never cross.
    For a differenced series step k's target is the change over k steps, so
    the quantiles are those of the level. ``predict`` is the median. Levels
    between the trained ones are interpolated linearly in the normal score,
    beyond them extrapolated along the outermost segment (normal tails);
    beyond the trained horizon the distances from the median grow as
    ``sqrt(step)`` (see ``tsrnn.neural.quantiles``).
    """

    def __init__(
        self,
        cell: str = "lstm",
        window: int = 30,
        horizon: int = 1,
        strategy: str = "direct",
        hidden_size: int = 64,
        num_layers: int = 1,
        dropout: float = 0.0,
        epochs: int = 100,
        batch_size: int = 64,
        learning_rate: float = 1e-3,
        loss: str = "mse",
        quantiles: Any = None,
        conformal_quantiles: bool = False,
        gradient_clip: float | None = 1.0,
        validation_fraction: float = 0.1,
        patience: int | None = 10,
        scaler: str | None = "standard",
        difference: bool | str = "validation",
        residual: bool = False,
        linear_skip: bool = True,
        refit_linear: bool = False,
        weight_decay: float = 0.0,
        n_ensemble: int = 1,
        weight_averaging: float | None = None,
        random_state: int | None = None,
        device: Any = "auto",
        warm_start: bool = False,
        verbose: int = 0,
        future_covariates: list[str] | None = None,
        calendar: list[str] | None = None,
        series_embedding: int = 0,
        static: pd.DataFrame | None = None,
    ):
        self.cell = cell
        self.window = window
        self.horizon = horizon
        self.strategy = strategy
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.loss = loss
        self.quantiles = quantiles
        self.conformal_quantiles = conformal_quantiles
        self.gradient_clip = gradient_clip
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.scaler = scaler
        self.difference = difference
        self.residual = residual
        self.linear_skip = linear_skip
        self.refit_linear = refit_linear
        self.weight_decay = weight_decay
        self.n_ensemble = n_ensemble
        self.weight_averaging = weight_averaging
        self.random_state = random_state
        self.device = device
        self.warm_start = warm_start
        self.verbose = verbose
        self.future_covariates = future_covariates
        self.calendar = calendar
        self.series_embedding = series_embedding
        self.static = static

    _parameter_constraints: ClassVar[dict[str, list]] = {
        "cell": [Options(*CELLS)],
        "window": _POSITIVE_INT,
        "horizon": _POSITIVE_INT,
        "strategy": [Options("direct", "recursive")],
        "hidden_size": _POSITIVE_INT,
        "num_layers": _POSITIVE_INT,
        "dropout": _FRACTION,
        "epochs": _POSITIVE_INT,
        "batch_size": _POSITIVE_INT,
        "learning_rate": [Interval("real", 0, None, closed="neither")],
        "loss": [Options(*LOSSES)],
        "quantiles": [None, LEVELS_RULE],
        "conformal_quantiles": [Boolean],
        "gradient_clip": [None, Interval("real", 0, None, closed="neither")],
        "validation_fraction": _FRACTION,
        "patience": [None, Interval("int", 1, None)],
        "scaler": [Options("standard"), None],
        "difference": [Boolean, Options("auto", "validation")],
        "residual": [Boolean],
        "linear_skip": [Boolean],
        "refit_linear": [Boolean],
        "weight_decay": [Interval("real", 0, None)],
        "n_ensemble": _POSITIVE_INT,
        "weight_averaging": [None, _FRACTION[0]],
        "random_state": [None, Interval("int", None, None)],
        "device": [Satisfies(is_device, "'auto', 'cpu', 'cuda' or a torch.device")],
        "warm_start": [Boolean],
        "verbose": [Boolean, Interval("int", 0, None)],
        "series_embedding": [Interval("int", 0, None)],
        "static": [None, Satisfies(lambda v: isinstance(v, pd.DataFrame), "a DataFrame indexed by series")],
        **COVARIATE_CONSTRAINTS,
    }

    def _check_params(self) -> None:
        if self.quantiles is not None and self.loss != "quantile":
            raise InvalidParameterError(
                f"quantiles={self.quantiles!r} is the levels of a quantile head and needs loss='quantile'; "
                f"got loss={self.loss!r}. Set loss='quantile', or leave quantiles at None."
            )
        if self.conformal_quantiles:
            if self.loss != "quantile":
                raise InvalidParameterError(
                    f"conformal_quantiles=True calibrates a quantile head and needs loss='quantile'; got "
                    f"loss={self.loss!r}. The point losses' intervals are conformal already."
                )
            if self.validation_fraction <= 0:
                raise InvalidParameterError(
                    "conformal_quantiles=True calibrates on the validation windows and needs validation_fraction > 0; "
                    f"got validation_fraction={self.validation_fraction!r}."
                )
            levels = np.asarray(self._head_levels())
            if not np.allclose(levels + levels[::-1], 1.0):
                raise InvalidParameterError(
                    f"conformal_quantiles=True pairs each level q with 1 - q; quantiles={self.quantiles!r} are not "
                    f"symmetric around 0.5 (with the median: {tuple(levels)})."
                )

    def _n_outputs(self) -> int:
        return int(self.horizon) if self.strategy == "direct" else 1

    def _head_levels(self) -> tuple[float, ...]:
        """The quantile levels the network emits; empty for the point losses."""
        return head_levels(self.quantiles) if self.loss == "quantile" else ()

    def _min_length(self) -> int:
        n_windows = 2 if self.validation_fraction > 0 else 1
        may_difference = not (isinstance(self.difference, (bool, np.bool_)) and not self.difference)
        return int(self.window) + self._n_outputs() + n_windows - 1 + int(may_difference)

    def warm_start_params(self, epochs: int | None = None, patience: int | None = None) -> dict[str, Any]:
        """Continue the next fit from the current weights, with ``epochs`` and ``patience`` when given.

        A warm refit never trains longer, or waits longer, than this forecaster's own fit would.
        """
        params: dict[str, Any] = {"warm_start": True}
        if epochs is not None:
            params["epochs"] = min(int(epochs), int(self.epochs))
        if patience is not None:
            params["patience"] = int(patience) if self.patience is None else min(int(patience), int(self.patience))
        return params

    # -- fit ----------------------------------------------------------------
    def _fit_model(self, values: np.ndarray) -> None:
        self.device_ = resolve_device(self.device)
        seed = (
            int(self.random_state)
            if self.random_state is not None
            else int(np.random.default_rng().integers(2**31 - 1))
        )
        continuing = self._continuing()
        decisions = None
        if continuing and len(self.differencer_.differenced_) == values.shape[1]:
            # The weights were trained on series differenced as decided then: a warm refit keeps that decision.
            decisions = self.differencer_.differenced_
        elif self.difference == "validation":
            tests = Differencer("auto").fit(values).differenced_
            decisions = differencing_by_validation(
                values, int(self.window), self._n_outputs(), float(self.validation_fraction), tests
            )
        self.differencer_ = Differencer(self.difference).fit(values, decisions)
        self.differenced_ = self.differencer_.differenced_
        lost = self.differencer_.n_lost_
        model_values = self.differencer_.transform(values)[lost:]
        self.scaler_ = Scaler(self.scaler, constant="relative").fit(model_values)
        self.scale_mean_, self.scale_std_ = self.scaler_.mean_, self.scaler_.scale_
        # Covariate row i belongs with level position i; after differencing, model value i sits at i + lost.
        self.covariate_scalers_ = {"past": Scaler().fit(self.past_), "future": Scaler().fit(self.future_)}
        batches = self._batches(model_values)
        self.quantiles_ = self._head_levels() or None
        self.n_windows_ = len(model_values) - int(self.window) - self._n_outputs() + 1
        complete = batches.starts(0, self.n_windows_, self.n_series_)
        used = len(complete)
        self.n_incomplete_windows_ = self.n_windows_ * self.n_series_ - used
        self.n_validation_windows_ = self._validation_positions(complete % batches.span, used)
        if continuing:
            self.n_validation_windows_ = self._unseen_validation(self.n_validation_windows_)
        if not len(batches.starts(0, self.n_windows_ - self.n_validation_windows_, self.n_series_)):
            raise ValueError(
                f"y has no training window of {int(self.window)} observations followed by {self._n_outputs()} more "
                f"without a missing value; fill the gaps (tsrnn.regularize) or lower window."
            )
        self._train_members(batches, seed)
        # The label of the last target any training window of this fit saw; the next warm refit validates after it.
        trained = self.n_windows_ - (0 if self.refit_linear else self.n_validation_windows_)
        self.trained_through_ = self._labels[trained - 1 + self._target_offset()]

    def _target_offset(self) -> int:
        """Level position of the last target of window 0 (window i's is i plus this)."""
        return self.differencer_.n_lost_ + int(self.window) + self._n_outputs() - 1

    def _continuing(self) -> bool:
        """Whether this fit continues from the last one's weights: a warm refit of a network of the same shape."""
        previous = getattr(self, "network_", None)
        if not self.warm_start or previous is None:
            return False
        first = previous.members[0] if isinstance(previous, EnsembleNetwork) else previous
        config = self._network_config()
        # Dropout changes no weight: a network that differs only there is continued (see _initial_network).
        return dataclasses.replace(first.config, dropout=config.dropout) == config

    def _unseen_validation(self, n_val: int) -> int:
        """The validation windows of a warm refit cut to those no earlier fit of the chain trained on.

        Every window whose last target comes after ``trained_through_`` is new to training (the targets of
        earlier fits' training windows all end there or before), so early stopping and the calibration of
        the intervals see errors on windows the continued weights never fitted. When no such window is left
        (a refit on the data of the last fit), the usual split is kept, with a warning.
        """
        try:
            last_trained = int(np.searchsorted(self._labels, self.trained_through_, side="right")) - 1
        except (TypeError, ValueError):  # labels of another kind than the last fit's: nothing can be told apart
            last_trained = len(self._labels) - 1
        unseen = self.n_windows_ - max(0, last_trained - self._target_offset() + 1)
        if unseen < 1:
            warnings.warn(
                f"{type(self).__name__}: this warm refit has no window that the previous fit did not train on "
                f"(it trained through {self.trained_through_!r}); validating on the usual most recent windows, "
                f"which the continued weights have seen. Refit from scratch (warm_start=False) for an honest "
                f"validation.",
                UserWarning,
                stacklevel=2,
            )
            return n_val
        return min(n_val, unseen)

    def _fit_inputs(self, data: Any, y: Any, X: Any) -> None:
        # The rows' labels tell a warm refit which of its windows earlier fits trained on.
        self._labels = data.index
        self.static_ = self._static_features()  # checked before any test or training runs
        super()._fit_inputs(data, y, X)

    def _static_features(self) -> np.ndarray:
        """The static covariates of the fitted series, (n_series, n_static), standardised across the series."""
        if self.static is None:
            return np.zeros((self.n_series_, 0))
        static = self.static
        if static.index.has_duplicates:
            repeated = list(static.index[static.index.duplicated()].unique()[:5])
            raise ValueError(f"static has more than one row for the series {repeated}; give one row per series.")
        missing = [c for c in self.columns_ if c not in static.index]
        if missing:
            raise ValueError(
                f"static has no row for the series {missing[:5]} of y; its index must hold every column label of y "
                f"(it has {list(static.index[:5])}{'...' if len(static.index) > 5 else ''})."
            )
        if static.shape[1] == 0:
            raise ValueError("static has no columns; give at least one numeric column, or leave static at None.")
        rows = static.loc[list(self.columns_)]
        numeric = rows.select_dtypes(include=[np.number, "bool"])
        if numeric.shape[1] != rows.shape[1]:
            other = [c for c in rows.columns if c not in numeric.columns]
            raise ValueError(
                f"static columns {other[:5]} are not numeric; encode them (e.g. pd.get_dummies) before passing them."
            )
        values = numeric.to_numpy(dtype=float)
        if not np.isfinite(values).all():
            bad = [c for c, ok in zip(rows.columns, np.isfinite(values).all(axis=0)) if not ok]
            raise ValueError(f"static columns {bad[:5]} hold missing or infinite values for series of y; fill them.")
        spread = values.std(axis=0)
        if (spread == 0).any():
            flat = [c for c, width in zip(rows.columns, spread) if width == 0]
            warnings.warn(
                f"static columns {flat[:5]} take one value over the series of y and tell none apart; they are "
                f"given to the network as zeros.",
                UserWarning,
                stacklevel=4,
            )
        return (values - values.mean(axis=0)) / np.where(spread > 0, spread, 1.0)

    def _identity(self) -> bool:
        """Whether the network is told which series each window belongs to."""
        return bool(int(self.series_embedding)) or self.static_.shape[1] > 0

    def _validation_positions(self, positions: torch.Tensor, used: int) -> int:
        """The most recent window positions held out: they hold ``validation_fraction`` of the complete windows.

        On complete data that is the fraction of the positions. Where windows hold gaps (a series that starts
        late), the complete windows bunch at the end, so the split is counted in complete windows: a late
        series is not left with validation windows only.
        """
        if self.validation_fraction <= 0:
            return 0
        if used == self.n_windows_ * self.n_series_:
            n_val = max(1, int(round(self.validation_fraction * self.n_windows_)))
            return min(n_val, self.n_windows_ - 1)
        target = max(1, int(round(self.validation_fraction * used)))
        counts = np.bincount(positions.cpu().numpy(), minlength=self.n_windows_)[::-1].cumsum()
        n_val = int(np.searchsorted(counts, target) + 1)
        return min(n_val, self.n_windows_ - 1)

    def _batches(self, model_values: np.ndarray, device: Any = None) -> WindowBatches:
        """The training windows of ``model_values`` (the series differenced as decided in this fit), scaled."""
        lost = self.differencer_.n_lost_
        return WindowBatches(
            self.scaler_.transform(model_values),
            self.covariate_scalers_["past"].transform(self.past_[lost:]),
            self.covariate_scalers_["future"].transform(self.future_[lost:]),
            int(self.window), self._n_outputs(), self.device_ if device is None else device,
            # A quantile head learns the quantiles of the change over k steps, not the sum of k steps' quantiles.
            cumulative=self.differenced_ if self.loss == "quantile" else None, series_ids=self._identity(),
        )  # fmt: skip

    def _fit(self, values: np.ndarray) -> None:
        super()._fit(values)  # trains, then calibrates the intervals on the validation windows
        self.quantile_corrections_ = self._quantile_corrections() if self.conformal_quantiles else None
        if self.refit_linear and self.linear_skip and self.n_validation_windows_ and (self.best_epochs_ == 0).any():
            self._refit_linear(values)

    def _refit_linear(self, values: np.ndarray) -> None:
        """Solve the linear part of every member that kept it alone again, on all windows (validation too)."""
        model_values = self.differencer_.transform(values)[self.differencer_.n_lost_ :]
        batches = self._batches(model_values, device="cpu")  # the fitted network lives on the CPU
        every = batches.starts(0, self.n_windows_, self.n_series_)
        members = self.network_.members if isinstance(self.network_, EnsembleNetwork) else [self.network_]
        for network, best_epoch in zip(members, self.best_epochs_):
            if best_epoch == 0:
                fit_linear(network, batches, batches.targets, every, silence_head=False)

    def _train_members(self, batches: WindowBatches, seed: int) -> None:
        """Train ``n_ensemble`` networks from their own seeds; keep them, their histories and kept epochs."""
        members, histories, best_epochs = [], [], []
        for member in range(int(self.n_ensemble)):
            # Member 0 keeps the seed itself, so n_ensemble=1 is the single network of that seed.
            member_seed = (seed + 104_729 * member) % (2**31 - 1)
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(member_seed)
                network, continued = self._initial_network(member)
                history, best_epoch = self._train(network, batches, member_seed, fresh=not continued)
            histories.append(history)
            best_epochs.append(best_epoch)
            members.append(network)
        self.network_ = members[0] if len(members) == 1 else EnsembleNetwork(members)
        self.best_epochs_ = np.array(best_epochs)
        self.best_epoch_ = int(self.best_epochs_[0])
        self.n_epochs_ = len(histories[0])
        if len(members) == 1:
            self.history_ = histories[0]
        else:
            self.history_ = pd.concat(histories, keys=pd.RangeIndex(len(members), name="member"))

    def _network_config(self) -> NetworkConfig:
        return NetworkConfig(
            cell=self.cell, input_size=1 + self.past_.shape[1], hidden_size=self.hidden_size,
            num_layers=self.num_layers, dropout=self.dropout, output_size=self._n_outputs(),
            residual=self.residual, future_size=self.future_.shape[1],
            linear_window=self.window if self.linear_skip else 0, quantiles=self._head_levels(),
            n_series=self.n_series_ if self._identity() else 0, embedding_size=int(self.series_embedding),
            static_size=self.static_.shape[1],
        )  # fmt: skip

    def _initial_network(self, member: int = 0) -> tuple[RecurrentNetwork, bool]:
        """The network to train, and whether it continues from the previous fit's weights."""
        static = torch.as_tensor(self.static_, dtype=torch.float32) if self.static_.shape[1] else None
        fresh = RecurrentNetwork(self._network_config(), static)
        previous = getattr(self, "network_", None)
        if isinstance(previous, EnsembleNetwork):
            previous = previous.members[member] if member < len(previous.members) else None
        elif member > 0:
            previous = None
        # A point head and a quantile head can share a shape (horizon 9 against 9 levels): never continue across.
        if self.warm_start and previous is not None and previous.config.quantiles == fresh.config.quantiles:
            try:
                fresh.load_state_dict(previous.state_dict())
                return fresh, True
            except RuntimeError:
                # The architecture changed since the last fit: nothing to continue from.
                pass
        return fresh, False

    def _train(self, network: RecurrentNetwork, batches: WindowBatches, seed: int, fresh: bool) -> tuple:
        """Fit the linear skip in closed form, then train the recurrent part; the network ends on the CPU.

        A ``fresh`` network's output layer starts at zero, so it starts as the
        linear autoregression, and those starting weights (epoch 0) compete
        with every epoch in early stopping.
        """
        n_train = self.n_windows_ - self.n_validation_windows_
        train_starts = batches.starts(0, n_train, self.n_series_)
        val_starts = batches.starts(n_train, self.n_windows_, self.n_series_)
        network.to(self.device_)
        if network.linear is not None:
            # The closed-form fit is the better linear part: gradient steps on it only chase noise.
            fit_linear(network, batches, batches.targets, train_starts, silence_head=fresh)
            network.linear.requires_grad_(False)
        # Too few validation windows to tell epochs apart (a short series): the linear model is what is kept.
        too_few = network.linear is not None and fresh and 0 < len(val_starts) < MIN_VALIDATION_WINDOWS
        config = TrainingConfig(
            epochs=0 if too_few else int(self.epochs), batch_size=int(self.batch_size), learning_rate=float(self.learning_rate),
            loss=self.loss, gradient_clip=None if self.gradient_clip is None else float(self.gradient_clip),
            patience=None if self.patience is None else int(self.patience), weight_decay=float(self.weight_decay),
            weight_averaging=None if self.weight_averaging is None else float(self.weight_averaging),
            progress=f"{self.cell.upper()} fit" if self.verbose else None, quantiles=self._head_levels(),
        )  # fmt: skip
        history, best_epoch = train(
            network, batches, train_starts, val_starts, config, seed, start_epoch_competes=network.linear is not None
        )
        network.to("cpu").eval()
        if not np.isfinite(history["train_loss"].to_numpy(dtype=float)).all():
            kept = (
                "the linear part alone (epoch 0)"
                if best_epoch == 0 and network.linear is not None
                else (f"the weights of epoch {best_epoch}")
            )
            warnings.warn(
                f"{type(self).__name__}: training diverged (non-finite loss at epoch {len(history)}); kept {kept}. "
                f"A lower learning_rate or gradient_clip may train further.",
                UserWarning,
                stacklevel=2,
            )
        return history, best_epoch

    # -- forecasting ----------------------------------------------------------
    def _context_length(self) -> int:
        return int(self.window) + self.differencer_.n_lost_

    def _forward_at(
        self, series: np.ndarray, ends: np.ndarray, future: np.ndarray, levels: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, Any]:
        """The level tails, the scaled contexts (n, window) and ``step(contexts, done)``: one forward pass."""
        lost, outputs = self.differencer_.n_lost_, self._n_outputs()
        tails, past = self._tails(series, ends, int(self.window) + lost, levels)
        contexts = self.scaler_.transform(self.differencer_.transform(tails, series)[:, lost:], series)
        past = torch.as_tensor(self.covariate_scalers_["past"].transform(past[:, lost:]), dtype=torch.float32)
        future = self.covariate_scalers_["future"].transform(future)
        ids = torch.as_tensor(series, dtype=torch.long) if self._identity() else None

        def step(current: np.ndarray, done: int) -> np.ndarray:
            x = torch.as_tensor(current, dtype=torch.float32).unsqueeze(-1)
            if past.shape[2]:
                x = torch.cat([x, past], dim=2)
            ahead = None
            if future.shape[2]:
                ahead = torch.as_tensor(
                    future_block(future, done, outputs).reshape(len(current), -1), dtype=torch.float32
                )
            with torch.no_grad():
                return self.network_(x, ahead, ids).numpy().astype(np.float64)

        return tails, contexts, step

    def _forecast_at(
        self, series: np.ndarray, ends: np.ndarray, horizon: int, future: np.ndarray, levels: np.ndarray | None = None
    ) -> np.ndarray:
        tails, contexts, step = self._forward_at(series, ends, future, levels)
        if self.loss == "quantile":
            forward, median = step, self._head_levels().index(0.5)

            def step(current: np.ndarray, done: int) -> np.ndarray:
                return median_steps(forward(current, done), median, self.differenced_[series])

        forecasts = self.scaler_.inverse_transform(recursive_forecast(step, contexts, horizon), series)
        return self.differencer_.inverse_next(forecasts, tails[:, -1], series)

    # -- the quantile head ------------------------------------------------------
    def _head_quantiles(self, horizon: int, future: np.ndarray) -> np.ndarray:
        """Quantiles (horizon, n_series, n_levels) at the trained levels: the median forecast and the head's spread.

        The spread is read from one forward pass at each series' last
        observation; after a trailing gap of g periods, steps g + 1 .. g + h
        of it are the spread of the forecast steps, as for conformal intervals.
        """
        point = self._predict(horizon, future)
        levels, gaps = self._filled_levels(), self._gap_lengths()
        series, ends = np.arange(self.n_series_), len(self.y_) - 1 - gaps
        # Future covariates after each origin: the in-sample rows of its gap, then those of the forecast window.
        reach = np.arange(self._n_outputs())
        ahead = []
        for end in ends:
            rows = np.concatenate([self.future_[end + 1 :], future])
            ahead.append(rows[np.minimum(reach, len(rows) - 1)])
        _, contexts, step = self._forward_at(series, ends, np.stack(ahead), levels)
        quantiles = around_median(point, step(contexts, 0), self._head_levels().index(0.5), self.scaler_.scale_, gaps)
        return self._corrected(quantiles, gaps)

    def _quantile_corrections(self) -> np.ndarray | None:
        """Per series, step and central interval of the head: the conformal widening on the validation windows."""
        H, levels = self._calibration_horizon(), np.asarray(self._head_levels())
        targets = self._calibration_targets(H)
        if targets is None:
            return None
        series, ends, truth, complete = targets
        n_pairs = len(levels) // 2
        corrections = np.zeros((self.n_series_, H, n_pairs))
        if not complete.any():
            return corrections
        series, ends, truth = series[complete], ends[complete], truth[complete]
        point = self._forecast_at(series, ends, H, self._history_future(ends, H))
        _, contexts, step = self._forward_at(series, ends, self._history_future(ends, max(H, self._n_outputs())))
        outputs = step(contexts, 0)
        median = self._head_levels().index(0.5)
        spread = (outputs - outputs[:, :, median, None]) * self.scaler_.scale_[series][:, None, None]
        quantiles = point[:, :, None] + spread_at(spread, np.tile(np.arange(H), (len(series), 1)))
        for k in range(n_pairs):
            scores = np.maximum(quantiles[:, :, k] - truth, truth - quantiles[:, :, -1 - k])
            coverage = levels[-1 - k] - levels[k]
            for j in range(self.n_series_):
                for h in range(H):
                    column = scores[series == j, h]
                    column = column[~np.isnan(column)]
                    if len(column) >= _MIN_CORRECTION_SCORES:
                        level = min(1.0, np.ceil((len(column) + 1) * coverage) / len(column))
                        corrections[j, h, k] = np.quantile(column, level, method="higher")
        return corrections

    def _corrected(self, quantiles: np.ndarray, gaps: np.ndarray) -> np.ndarray:
        """Head quantiles (horizon, n_series, n_levels) with the conformal corrections, levels kept in order."""
        corrections = getattr(self, "quantile_corrections_", None)
        if corrections is None:
            return quantiles
        horizon, calibrated = len(quantiles), corrections.shape[1]
        steps = gaps[:, None] + np.arange(horizon)[None, :]
        rows = np.arange(self.n_series_)[:, None]
        growth = np.sqrt(np.maximum(steps + 1, calibrated) / calibrated)
        widen = (corrections[rows, np.minimum(steps, calibrated - 1)] * growth[:, :, None]).transpose(1, 0, 2)
        out = quantiles.copy()
        for k in range(corrections.shape[2]):
            out[:, :, k] -= widen[:, :, k]
            out[:, :, -1 - k] += widen[:, :, k]
        # A narrowed outer interval may cross a widened inner one: sorting restores the order (rearrangement).
        return np.sort(out, axis=2)

    def _predict_quantiles(self, horizon: int, levels: np.ndarray, future: np.ndarray) -> np.ndarray:
        if self.loss != "quantile":
            return super()._predict_quantiles(horizon, levels, future)
        return interpolate_quantiles(self._head_quantiles(horizon, future), np.asarray(self.quantiles_), levels)

    def _predict_interval(self, horizon: int, coverage: float, future: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.loss != "quantile":
            return super()._predict_interval(horizon, coverage, future)
        bounds = self._predict_quantiles(horizon, np.array([(1.0 - coverage) / 2.0, (1.0 + coverage) / 2.0]), future)
        return bounds[:, :, 0], bounds[:, :, 1]

    def _calibration_origins(self) -> np.ndarray:
        # The last input of window i sits at level position i + window - 1, shifted by the positions differencing lost.
        first = self.n_windows_ - self.n_validation_windows_
        return np.arange(first, self.n_windows_) + int(self.window) + self.differencer_.n_lost_ - 1

    def _uncalibrated(self) -> str:
        return "prediction intervals need validation_fraction > 0 to calibrate on held-out windows."
