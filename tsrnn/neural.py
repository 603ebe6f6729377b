"""Recurrent neural forecasters: RNN, LSTM and GRU on the forecasting contract.

One ``RecurrentForecaster`` holds the logic; ``RNNForecaster``,
``LSTMForecaster`` and ``GRUForecaster`` only fix its ``cell``. A DataFrame
trains one global network across its columns (shared weights, per-series
scaling). Scaling, differencing and early stopping see the training data only.
"""

from __future__ import annotations

import copy
import math
import numbers
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from tsrnn.base import check_positive_int
from tsrnn.windowing import WindowForecaster, future_block, recursive_forecast

__all__ = [
    "RecurrentForecaster",
    "RNNForecaster",
    "LSTMForecaster",
    "GRUForecaster",
    "RecurrentNetwork",
    "EnsembleNetwork",
]

_CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
_LOSSES = {"mse": nn.MSELoss, "mae": nn.L1Loss, "huber": nn.HuberLoss}
_STRATEGIES = ("direct", "recursive")
_UNIT_ROOT_MAX_LENGTH = 5_000
_SCALERS = ("standard", None)
# Ridge penalties the linear skip chooses from, relative to the mean eigenvalue of its Gram matrix.
_RIDGE_PENALTIES = np.logspace(-6, 4, 41)


class RecurrentNetwork(nn.Module):
    """A recurrent layer stack read at its last step, then a linear head.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
        The recurrent cell (``torch.nn.RNN`` with tanh, ``LSTM`` or ``GRU``).
    input_size : int
        Features per time step.
    hidden_size : int
        Units per recurrent layer.
    num_layers : int
        Stacked recurrent layers.
    dropout : float
        Dropout between recurrent layers and before the head.
    output_size : int
        Values emitted per window (the trained horizon, or 1).
    residual : bool
        Add the last input value to every output, so the network learns the
        change from the last observation and an untrained one forecasts it.
    future_size : int
        Future covariates per output step, given to the head beside the last
        hidden state.
    linear_window : int
        When positive, add a linear map of the last ``linear_window`` values of
        the target series to the output; 0 leaves it out.

    Shapes
    ------
    Input ``(batch, window, input_size)`` and, with future covariates,
    ``(batch, output_size * future_size)``; output ``(batch, output_size)``.
    The first input feature is the target series.
    """

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        num_layers: int,
        dropout: float,
        output_size: int,
        residual: bool = False,
        future_size: int = 0,
        linear_window: int = 0,
    ):
        super().__init__()
        self.rnn = _CELLS[cell](
            input_size, hidden_size, num_layers=num_layers, batch_first=True, dropout=dropout if num_layers > 1 else 0.0
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size + output_size * future_size, output_size)
        self.residual = residual
        self.linear = nn.Linear(linear_window, output_size) if linear_window else None

    def forward(self, x: torch.Tensor, future: torch.Tensor | None = None) -> torch.Tensor:
        out, _ = self.rnn(x)
        last = self.dropout(out[:, -1])
        if future is not None:
            last = torch.cat([last, future], dim=1)
        y = self.head(last)
        if self.linear is not None:
            y = y + self.linear(x[:, -self.linear.in_features :, 0])
        if self.residual:
            y = y + x[:, -1, :1]
        return y


class EnsembleNetwork(nn.Module):
    """The average output of several recurrent networks trained from different seeds.

    Parameters
    ----------
    members : list of RecurrentNetwork
        The trained networks; each sees the same inputs.
    """

    def __init__(self, members: list[RecurrentNetwork]):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor, future: torch.Tensor | None = None) -> torch.Tensor:
        return torch.stack([member(x, future) for member in self.members]).mean(dim=0)


def _decide_differencing(values: np.ndarray, difference: Any) -> np.ndarray:
    """Per series: model differences? Fixed by ``difference``, or decided by unit-root tests."""
    if difference is True or difference is False:
        return np.full(values.shape[1], difference)
    if difference != "auto":
        raise ValueError(f"difference must be True, False or 'auto', got {difference!r}.")
    import warnings

    from statsmodels.tsa.stattools import adfuller, kpss

    decisions = []
    # The most recent observations decide: the tests' lag regressions grow with length x lags, and
    # a 10-million-point series would need gigabytes to say what 5,000 points already say.
    for column in values[-_UNIT_ROOT_MAX_LENGTH:].T:
        if np.ptp(column) == 0:
            decisions.append(False)
            continue
        with warnings.catch_warnings():
            # KPSS warns when its p-value lies outside its table; the bound it returns is still the answer.
            warnings.simplefilter("ignore")
            adf_p = adfuller(column, autolag="AIC")[1]
            kpss_p = kpss(column, regression="c", nlags="auto")[1]
        decisions.append(bool(adf_p > 0.05 and kpss_p < 0.05))
    return np.asarray(decisions)


def _fit_linear(
    network: RecurrentNetwork, inputs: Any, targets: torch.Tensor, starts: torch.Tensor, silence_head: bool = True
) -> None:
    """Set the linear skip to a ridge regression of the targets on the window; optionally silence the head.

    With a silent head the network starts as a direct linear autoregression,
    the model AR(p) fits, and gradient descent only has to find what the
    recurrent part adds. The ridge penalty of each output step is the one of
    ``_RIDGE_PENALTIES`` (times the mean eigenvalue of the centred Gram
    matrix) with the least generalised cross-validation error on the training
    windows, so on a series with nothing linear to learn (returns of a price)
    the map shrinks to the mean. The intercept is not penalised.
    """
    width = network.linear.in_features
    sums, cross, target_sums, squares = 0.0, 0.0, 0.0, 0.0
    # Sufficient statistics in chunks bound the memory of the design matrix on long or many series.
    for chunk in torch.split(starts, 65_536):
        x, _ = inputs(chunk)
        lagged = x[:, -width:, 0].double()
        target = targets[chunk].double()
        if network.residual:
            target = target - lagged[:, -1:]
        design = torch.cat([lagged, torch.ones(len(chunk), 1, dtype=torch.float64, device=lagged.device)], dim=1)
        sums = sums + design.T @ design
        cross = cross + design.T @ target
        target_sums = target_sums + target.sum(dim=0)
        squares = squares + (target**2).sum(dim=0)
    n = len(starts)
    x_mean, y_mean = sums[-1, :-1] / n, target_sums / n
    # Centred statistics: the intercept is not penalised.
    gram = sums[:-1, :-1] - n * torch.outer(x_mean, x_mean)
    xy = cross[:-1] - n * torch.outer(x_mean, y_mean)
    yy = squares - n * y_mean**2
    eigenvalues, vectors = torch.linalg.eigh(gram)
    eigenvalues = eigenvalues.clamp(min=0.0)
    projected = vectors.T @ xy  # (width, outputs)
    scale = float(eigenvalues.mean()) or 1.0
    penalties = scale * torch.as_tensor(_RIDGE_PENALTIES, dtype=torch.float64, device=gram.device)
    shrink = eigenvalues[None, :] / (eigenvalues[None, :] + penalties[:, None])  # (penalties, width)
    # RSS(lambda) = yy - sum_j (2 - s_j) s_j p_j^2 / d_j with s_j = d_j / (d_j + lambda), p = V'X'y.
    explained = torch.where(eigenvalues[:, None] > 0, projected**2 / eigenvalues.clamp(min=1e-300)[:, None], 0.0)
    rss = yy[None, :] - ((2 - shrink) * shrink) @ explained  # (penalties, outputs)
    dof = 1.0 + shrink.sum(dim=1, keepdim=True)
    gcv = rss / (1.0 - dof / n).clamp(min=1e-12) ** 2
    best = penalties[gcv.argmin(dim=0)]  # (outputs,)
    weights = vectors @ (projected / (eigenvalues[:, None] + best[None, :]))  # (width, outputs)
    intercept = y_mean - x_mean @ weights
    with torch.no_grad():
        network.linear.weight.copy_(weights.T.to(network.linear.weight.dtype))
        network.linear.bias.copy_(intercept.to(network.linear.bias.dtype))
        if silence_head:
            network.head.weight.zero_()
            network.head.bias.zero_()


def _clip_gradients(params: list[torch.Tensor], max_norm: float) -> None:
    """Scale gradients to a total norm of at most ``max_norm``, as ``clip_grad_norm_`` does.

    The same arithmetic with the fused per-list kernels and none of the generic
    grouping work, which costs more than the clipping itself for small networks.
    """
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
    torch._foreach_mul_(grads, torch.clamp(max_norm / (norm + 1e-6), max=1.0))


def _resolve_device(device: Any) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        return torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(f"device must be 'auto', 'cpu', 'cuda' or a torch.device, got {device!r}.") from None


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
    loss : {"mse", "mae", "huber"}, default="mse"
        Training loss on the scaled targets.
    gradient_clip : float or None, default=1.0
        Clip the gradient norm to this value; None disables clipping.
    validation_fraction : float, default=0.1
        The most recent fraction of the training windows, held out for early
        stopping and interval calibration (never a random split).
    patience : int or None, default=10
        Stop after this many epochs without a better validation loss and
        restore the best weights; None trains all ``epochs``.
    scaler : {"standard", None}, default="standard"
        Standardise each series with the mean and standard deviation of its
        training data (after differencing).
    difference : bool or "auto", default="auto"
        Model first differences, then add them back to the last observation.
        ``"auto"`` decides per series and per ``fit``, on the training data
        only (its most recent 5,000 observations): differences when the ADF
        test does not reject a unit root (p > 0.05) and the KPSS test rejects
        stationarity (p < 0.05). The decision is ``differenced_``.
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
    y_ : np.ndarray of shape (n_timestamps, n_series)
        The history seen by ``fit`` and ``update``.
    n_fit_ : int
        Length of the history seen by ``fit``.
    differenced_ : np.ndarray of bool, shape (n_series,)
        Whether each series is modelled in differences.

    Notes
    -----
    Prediction intervals are split-conformal: the absolute errors of the
    forecasts made from every validation window, per horizon step (in the
    original units), give the interval half-width as their
    ``ceil((n + 1) * coverage) / n`` quantile. They need
    ``validation_fraction > 0``. Steps for which fewer than 5 validation errors
    exist grow from the last calibrated step as ``sqrt(step)``.
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
        gradient_clip: float | None = 1.0,
        validation_fraction: float = 0.1,
        patience: int | None = 10,
        scaler: str | None = "standard",
        difference: bool | str = "auto",
        residual: bool = False,
        linear_skip: bool = True,
        weight_decay: float = 0.0,
        n_ensemble: int = 1,
        weight_averaging: float | None = None,
        random_state: int | None = None,
        device: Any = "auto",
        warm_start: bool = False,
        verbose: int = 0,
        future_covariates: list[str] | None = None,
        calendar: list[str] | None = None,
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
        self.gradient_clip = gradient_clip
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.scaler = scaler
        self.difference = difference
        self.residual = residual
        self.linear_skip = linear_skip
        self.weight_decay = weight_decay
        self.n_ensemble = n_ensemble
        self.weight_averaging = weight_averaging
        self.random_state = random_state
        self.device = device
        self.warm_start = warm_start
        self.verbose = verbose
        self.future_covariates = future_covariates
        self.calendar = calendar

    # -- validation -------------------------------------------------------
    def _check_params(self) -> None:
        for name in ("window", "horizon", "hidden_size", "num_layers", "epochs", "batch_size", "n_ensemble"):
            check_positive_int(getattr(self, name), name)
        choices = {"cell": tuple(_CELLS), "loss": tuple(_LOSSES), "strategy": _STRATEGIES, "scaler": _SCALERS}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}.")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}.")
        if not 0.0 <= self.validation_fraction < 1.0:
            raise ValueError(f"validation_fraction must be in [0, 1), got {self.validation_fraction!r}.")
        if not (isinstance(self.learning_rate, numbers.Real) and self.learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive float, got {self.learning_rate!r}.")
        if not (isinstance(self.weight_decay, numbers.Real) and self.weight_decay >= 0):
            raise ValueError(f"weight_decay must be a non-negative float, got {self.weight_decay!r}.")
        if self.weight_averaging is not None and not (
            isinstance(self.weight_averaging, numbers.Real) and 0 <= self.weight_averaging < 1
        ):
            raise ValueError(f"weight_averaging must be a float in [0, 1) or None, got {self.weight_averaging!r}.")
        for name in ("residual", "linear_skip"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}.")
        if self.gradient_clip is not None and not self.gradient_clip > 0:
            raise ValueError(f"gradient_clip must be positive or None, got {self.gradient_clip!r}.")
        if self.patience is not None and (
            isinstance(self.patience, bool) or not isinstance(self.patience, int) or self.patience < 1
        ):
            raise ValueError(f"patience must be a positive int or None, got {self.patience!r}.")
        if self.random_state is not None and not isinstance(self.random_state, numbers.Integral):
            raise ValueError(f"random_state must be an int or None, got {self.random_state!r}.")

    @property
    def _output_size(self) -> int:
        return self.horizon if self.strategy == "direct" else 1

    def _min_length(self) -> int:
        # fit asks for the minimum length first: the parameters it depends on are validated here, once per fit.
        self._check_params()
        n_windows = 2 if self.validation_fraction > 0 else 1
        return self.window + self._output_size + n_windows - 1 + int(self.difference is not False)

    # -- fit ----------------------------------------------------------------
    def _fit(self, values: np.ndarray) -> None:
        self.device_ = _resolve_device(self.device)
        seed = (
            int(self.random_state)
            if self.random_state is not None
            else int(np.random.default_rng().integers(2**31 - 1))
        )
        self.y_ = values
        self.n_fit_ = len(values)
        self.differenced_ = _decide_differencing(values, self.difference)
        self._offset = int(self.differenced_.any())
        model_values = self._model_space(values)
        if self.scaler == "standard":
            self.scale_mean_ = model_values.mean(axis=0)
            std = model_values.std(axis=0)
            self.scale_std_ = np.where(std > 0, std, 1.0)
        else:
            self.scale_mean_ = np.zeros(values.shape[1])
            self.scale_std_ = np.ones(values.shape[1])
        z = (model_values - self.scale_mean_) / self.scale_std_
        # Covariates row i belongs with model value i, i.e. level position i + offset.
        self.covariate_mean_, self.covariate_std_ = {}, {}
        for kind, covariates in (("past", self.past_), ("future", self.future_)):
            mean, std = covariates.mean(axis=0), covariates.std(axis=0)
            self.covariate_mean_[kind], self.covariate_std_[kind] = mean, np.where(std > 0, std, 1.0)
        past = self._scaled("past", self.past_[self._offset :])
        future = self._scaled("future", self.future_[self._offset :])
        n_windows = len(z) - self.window - self._output_size + 1
        n_val = max(1, int(round(self.validation_fraction * n_windows))) if self.validation_fraction > 0 else 0
        self._n_val = min(n_val, n_windows - 1)
        members, histories, best_epochs = [], [], []
        for member in range(self.n_ensemble):
            # Member 0 keeps the seed itself, so n_ensemble=1 is the single network of that seed.
            member_seed = (seed + 104_729 * member) % (2**31 - 1)
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(member_seed)
                network, continued = self._initial_network(member)
                history, best_epoch = self._train(network, z, past, future, n_windows, member_seed, fresh=not continued)
            histories.append(history)
            best_epochs.append(best_epoch)
            members.append(network)
        self.network_ = members[0] if self.n_ensemble == 1 else EnsembleNetwork(members)
        self.best_epochs_ = np.array(best_epochs)
        self.best_epoch_ = int(self.best_epochs_[0])
        self.n_epochs_ = len(histories[0])
        self.history_ = (
            histories[0]
            if self.n_ensemble == 1
            else pd.concat(histories, keys=pd.RangeIndex(self.n_ensemble, name="member"))
        )
        self._calibration = None

    def _scaled(self, kind: str, values: np.ndarray) -> np.ndarray:
        return (values - self.covariate_mean_[kind]) / self.covariate_std_[kind]

    def _initial_network(self, member: int = 0) -> tuple[RecurrentNetwork, bool]:
        """The network to train, and whether it continues from the previous fit's weights."""
        fresh = RecurrentNetwork(
            self.cell, 1 + self.past_.shape[1], self.hidden_size, self.num_layers, self.dropout, self._output_size,
            self.residual, self.future_.shape[1], self.window if self.linear_skip else 0,
        )  # fmt: skip
        previous = getattr(self, "network_", None)
        if isinstance(previous, EnsembleNetwork):
            previous = previous.members[member] if member < len(previous.members) else None
        elif member > 0:
            previous = None
        if self.warm_start and previous is not None:
            try:
                fresh.load_state_dict(previous.state_dict())
                return fresh, True
            except RuntimeError:
                # The architecture changed since the last fit: nothing to continue from.
                pass
        return fresh, False

    def _batches(self, z: np.ndarray, past: np.ndarray, future: np.ndarray) -> tuple[Any, torch.Tensor]:
        """A function from window starts to network inputs, and the targets of every start.

        Series are laid end to end: window starts never cross a boundary, so one
        unfold gives every window of every series as a view, gathered per batch.
        Covariates are shared by all series and indexed by position in the series.
        """
        device, span, H = self.device_, len(z), self._output_size
        flat = torch.as_tensor(np.ascontiguousarray(z.T).reshape(-1), dtype=torch.float32, device=device)
        windows = flat.unfold(0, self.window, 1)
        targets = flat[self.window :].unfold(0, H, 1)
        past_windows = future_blocks = None
        if past.shape[1]:
            past_t = torch.as_tensor(past, dtype=torch.float32, device=device)
            past_windows = past_t.unfold(0, self.window, 1)  # (positions, p, window)
        if future.shape[1]:
            future_t = torch.as_tensor(future, dtype=torch.float32, device=device)
            future_blocks = future_t[self.window :].unfold(0, H, 1)  # (positions, f, H)

        def inputs(starts: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
            x = windows[starts].unsqueeze(-1)
            if past_windows is None and future_blocks is None:
                return x, None
            positions = starts % span
            if past_windows is not None:
                x = torch.cat([x, past_windows[positions].transpose(1, 2)], dim=2)
            ahead = None if future_blocks is None else future_blocks[positions].transpose(1, 2).reshape(len(starts), -1)
            return x, ahead

        return inputs, targets

    def _train(
        self,
        network: RecurrentNetwork,
        z: np.ndarray,
        past: np.ndarray,
        future: np.ndarray,
        n_windows: int,
        seed: int,
        fresh: bool = True,
    ) -> tuple[pd.DataFrame, int]:
        """Train ``network`` in place and keep its best weights; return the loss per epoch and the best epoch.

        With a linear skip, the skip is fitted in closed form and kept fixed; a
        ``fresh`` network's output layer starts at zero, so the network starts as
        that linear autoregression, and the starting weights (epoch 0) compete
        with every epoch in early stopping.
        """
        device = self.device_
        n_series, span = z.shape[1], len(z)
        inputs, targets = self._batches(z, past, future)
        starts = torch.arange(n_windows, device=device)
        offsets = torch.arange(n_series, device=device) * span
        n_train = n_windows - self._n_val
        train_starts = (offsets[:, None] + starts[None, :n_train]).reshape(-1)
        val_starts = (offsets[:, None] + starts[None, n_train:]).reshape(-1)

        network.to(device)
        if network.linear is not None:
            # The closed-form fit is the better linear part: gradient steps on it only chase noise.
            _fit_linear(network, inputs, targets, train_starts, silence_head=fresh)
            network.linear.requires_grad_(False)
        # The trained weights; a fixed linear skip is neither stepped, clipped nor averaged.
        params = [p for p in network.parameters() if p.requires_grad]
        optimizer = torch.optim.Adam(params, lr=self.learning_rate, weight_decay=self.weight_decay)
        criterion = _LOSSES[self.loss]()
        generator = torch.Generator(device="cpu").manual_seed(seed)
        # Weight averaging: an exponential moving average of the weights is what gets validated and kept.
        averaged = None
        if self.weight_averaging is not None:
            averaged = copy.deepcopy(network)
            averaged_params = [p for p in averaged.parameters() if p.requires_grad]
        kept = network if averaged is None else averaged

        def validation_loss() -> float:
            kept.eval()
            with torch.no_grad():
                return float(criterion(kept(*inputs(val_starts)), targets[val_starts]))

        def snapshot() -> dict:
            return {k: v.detach().clone() for k, v in kept.state_dict().items()}

        best_loss, best_state, best_epoch, waited = math.inf, None, 0, 0
        rows = []
        epochs = range(1, self.epochs + 1)
        bar = None
        if self.verbose:
            from tqdm import tqdm

            bar = tqdm(epochs, desc=f"{self.cell.upper()} fit", unit="epoch", leave=False)
            epochs = bar
        n = len(train_starts)
        clip = self.gradient_clip
        if network.linear is not None and len(val_starts):
            best_loss, best_state = validation_loss(), snapshot()
        for epoch in epochs:
            network.train()
            order = train_starts[torch.randperm(n, generator=generator).to(device)]
            losses = []
            for begin in range(0, n, self.batch_size):
                batch = order[begin : begin + self.batch_size]
                x, ahead = inputs(batch)
                optimizer.zero_grad(set_to_none=True)
                loss = criterion(network(x, ahead), targets[batch])
                loss.backward()
                if clip is not None:
                    _clip_gradients(params, clip)
                optimizer.step()
                if averaged is not None:
                    with torch.no_grad():
                        torch._foreach_lerp_(averaged_params, params, 1.0 - self.weight_averaging)
                losses.append(loss.detach())
            # Batches are equal but the last: weight it by its size without a per-batch multiply.
            last = n - (len(losses) - 1) * self.batch_size
            total = (
                torch.stack(losses[:-1]).sum() * self.batch_size + losses[-1] * last
                if len(losses) > 1
                else losses[0] * n
            )
            train_loss = float(total) / n
            val_loss = validation_loss() if len(val_starts) else math.nan
            rows.append((train_loss, val_loss))
            if bar is not None:
                bar.set_postfix(train=f"{train_loss:.4f}", val=f"{val_loss:.4f}")
            monitored = val_loss if len(val_starts) else train_loss
            if monitored < best_loss:
                best_loss, best_epoch, waited, best_state = monitored, epoch, 0, snapshot()
            else:
                waited += 1
                if self.patience is not None and waited >= self.patience:
                    break
        if bar is not None:
            bar.close()
        if best_state is not None:
            network.load_state_dict(best_state)
        network.to("cpu").eval()
        history = pd.DataFrame(
            rows, columns=["train_loss", "val_loss"], index=pd.RangeIndex(1, len(rows) + 1, name="epoch")
        )
        return history, best_epoch

    # -- forecasting ----------------------------------------------------------
    def _outputs(self) -> int:
        return self._output_size

    def _forecast_at(self, series: np.ndarray, ends: np.ndarray, horizon: int, future: np.ndarray) -> np.ndarray:
        mean, std = self.scale_mean_[series][:, None], self.scale_std_[series][:, None]
        tails, past = self._tails(series, ends, self.window + self._offset)
        differenced = self.differenced_[series][:, None]
        if self._offset:
            model_values = np.where(differenced, np.diff(tails, axis=1), tails[:, 1:])
        else:
            model_values = tails
        past = torch.as_tensor(self._scaled("past", past[:, self._offset :]), dtype=torch.float32)
        future = self._scaled("future", future)

        def step(contexts: np.ndarray, done: int) -> np.ndarray:
            x = torch.as_tensor(contexts, dtype=torch.float32).unsqueeze(-1)
            if past.shape[2]:
                x = torch.cat([x, past], dim=2)
            ahead = None
            if future.shape[2]:
                block = future_block(future, done, self._output_size).reshape(len(contexts), -1)
                ahead = torch.as_tensor(block, dtype=torch.float32)
            with torch.no_grad():
                return self.network_(x, ahead).numpy().astype(np.float64)

        z = recursive_forecast(step, (model_values - mean) / std, horizon)
        out = z * std + mean
        return np.where(differenced, tails[:, -1:] + np.cumsum(out, axis=1), out)

    def _model_space(self, values: np.ndarray) -> np.ndarray:
        """Levels (T, n) to the unscaled series the network models: differences where decided.

        Series kept in levels lose their first value so every column has the same length.
        """
        if not self._offset:
            return values
        return np.where(self.differenced_, np.diff(values, axis=0), values[1:])

    def _calibration_origins(self) -> np.ndarray:
        if self._n_val == 0:
            raise ValueError("prediction intervals need validation_fraction > 0 to calibrate on held-out windows.")
        offset = self._offset
        n_windows = self.n_fit_ - offset - self.window - self._output_size + 1
        # The last input of validation window i sits at level position i + window - 1 (+1 if differenced).
        return np.arange(n_windows - self._n_val, n_windows) + self.window + offset - 1


def _same_arguments(arguments: dict) -> dict:
    """The constructor arguments of a variant, to pass on unchanged."""
    return {k: v for k, v in arguments.items() if k not in ("self", "__class__")}


class RNNForecaster(RecurrentForecaster):
    """Elman RNN forecaster (``torch.nn.RNN``, tanh): ``h_t = tanh(W x_t + U h_{t-1} + b)``.

    Parameters and attributes are those of :class:`RecurrentForecaster`, with ``cell="rnn"``.
    """

    def __init__(self, window=30, horizon=1, strategy="direct", hidden_size=64, num_layers=1, dropout=0.0,
                 epochs=100, batch_size=64, learning_rate=1e-3, loss="mse", gradient_clip=1.0,
                 validation_fraction=0.1, patience=10, scaler="standard", difference="auto", residual=False,
                 linear_skip=True, weight_decay=0.0, n_ensemble=1, weight_averaging=None, random_state=None,
                 device="auto", warm_start=False, verbose=0, future_covariates=None, calendar=None):  # fmt: skip
        super().__init__(cell="rnn", **_same_arguments(locals()))


class LSTMForecaster(RecurrentForecaster):
    """Long short-term memory forecaster (``torch.nn.LSTM``).

    Parameters and attributes are those of :class:`RecurrentForecaster`, with ``cell="lstm"``.
    """

    def __init__(self, window=30, horizon=1, strategy="direct", hidden_size=64, num_layers=1, dropout=0.0,
                 epochs=100, batch_size=64, learning_rate=1e-3, loss="mse", gradient_clip=1.0,
                 validation_fraction=0.1, patience=10, scaler="standard", difference="auto", residual=False,
                 linear_skip=True, weight_decay=0.0, n_ensemble=1, weight_averaging=None, random_state=None,
                 device="auto", warm_start=False, verbose=0, future_covariates=None, calendar=None):  # fmt: skip
        super().__init__(cell="lstm", **_same_arguments(locals()))


class GRUForecaster(RecurrentForecaster):
    """Gated recurrent unit forecaster (``torch.nn.GRU``).

    Parameters and attributes are those of :class:`RecurrentForecaster`, with ``cell="gru"``.
    """

    def __init__(self, window=30, horizon=1, strategy="direct", hidden_size=64, num_layers=1, dropout=0.0,
                 epochs=100, batch_size=64, learning_rate=1e-3, loss="mse", gradient_clip=1.0,
                 validation_fraction=0.1, patience=10, scaler="standard", difference="auto", residual=False,
                 linear_skip=True, weight_decay=0.0, n_ensemble=1, weight_averaging=None, random_state=None,
                 device="auto", warm_start=False, verbose=0, future_covariates=None, calendar=None):  # fmt: skip
        super().__init__(cell="gru", **_same_arguments(locals()))
