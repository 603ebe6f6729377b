"""The networks: a recurrent layer stack read at its last step, a linear head, an optional linear skip.

With quantile levels, the head emits a median and, on each side of it, positive
increments (softplus) whose cumulated sums are the other quantiles, so the
quantiles cannot cross whatever the weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.nn import functional

__all__ = ["NetworkConfig", "RecurrentNetwork", "EnsembleNetwork", "resolve_device", "CELLS"]

#: The recurrent cells by name.
CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


@dataclass(frozen=True)
class NetworkConfig:
    """The shape of a :class:`RecurrentNetwork`.

    Attributes
    ----------
    cell : {"rnn", "lstm", "gru"}
        The recurrent cell (``torch.nn.RNN`` with tanh, ``LSTM`` or ``GRU``).
    input_size : int
        Features per time step: the target series, then the past covariates.
    hidden_size : int
        Units per recurrent layer.
    num_layers : int
        Stacked recurrent layers.
    dropout : float
        Dropout between recurrent layers and before the head.
    output_size : int
        Values emitted per window (the trained horizon, or 1).
    residual : bool, default=False
        Add the last input value to every output, so the network learns the
        change from the last observation and an untrained one forecasts it.
    future_size : int, default=0
        Future covariates per output step, given to the head beside the last
        hidden state.
    linear_window : int, default=0
        When positive, add a linear map of the last ``linear_window`` values of
        the target series to the output; 0 leaves it out.
    quantiles : tuple of float, default=()
        Increasing levels in (0, 1), among them 0.5: the network emits these
        quantiles of every output step instead of one value. The linear skip
        and ``residual`` enter the median; the other levels are the median
        plus (or minus) cumulated positive increments. Empty emits points.
    n_series : int, default=0
        Series the network tells apart (the rows of its embedding and of its
        static covariates); 0 when it has no series identity.
    embedding_size : int, default=0
        Dimensions of a learned embedding per series, given to every step of
        the recurrent input beside the window's values; 0 learns none.
    static_size : int, default=0
        Static covariates per series (fixed values, not learned), given to
        every step of the recurrent input like the embedding.
    """

    cell: str
    input_size: int
    hidden_size: int
    num_layers: int
    dropout: float
    output_size: int
    residual: bool = False
    future_size: int = 0
    linear_window: int = 0
    quantiles: tuple[float, ...] = ()
    n_series: int = 0
    embedding_size: int = 0
    static_size: int = 0

    def __post_init__(self) -> None:
        # torch's layers take Python numbers only; parameters may arrive as numpy scalars.
        for name in ("input_size", "hidden_size", "num_layers", "output_size", "future_size", "linear_window",
                     "n_series", "embedding_size", "static_size"):  # fmt: skip
            object.__setattr__(self, name, int(getattr(self, name)))
        object.__setattr__(self, "dropout", float(self.dropout))
        object.__setattr__(self, "residual", bool(self.residual))
        object.__setattr__(self, "quantiles", tuple(float(q) for q in self.quantiles))
        if self.quantiles and 0.5 not in self.quantiles:
            raise ValueError(f"quantiles {self.quantiles} must hold the median (0.5): it carries the linear skip.")
        if (self.embedding_size or self.static_size) and self.n_series < 1:
            raise ValueError("a series embedding or static covariates need n_series >= 1.")

    @property
    def identity_size(self) -> int:
        """Features per step that say which series a window belongs to (embedding and static covariates)."""
        return self.embedding_size + self.static_size

    @property
    def n_levels(self) -> int:
        """Values per output step: the number of quantile levels, or 1 for points."""
        return max(1, len(self.quantiles))

    @property
    def median(self) -> int:
        """The position of 0.5 among the quantile levels (0 for points)."""
        return self.quantiles.index(0.5) if self.quantiles else 0


class RecurrentNetwork(nn.Module):
    """A recurrent layer stack read at its last step, then a linear head.

    Parameters
    ----------
    config : NetworkConfig
        The cell and the sizes.

    Shapes
    ------
    Input ``(batch, window, input_size)`` and, with future covariates,
    ``(batch, output_size * future_size)``; with a series identity, the
    series of each window ``(batch,)`` (int). Output ``(batch, output_size)``,
    or ``(batch, output_size, n_levels)`` with quantile levels (ascending
    along the last axis). The first input feature is the target series.
    """

    def __init__(self, config: NetworkConfig, static: torch.Tensor | None = None):
        super().__init__()
        c = config
        self.config = c
        self.rnn = CELLS[c.cell](
            c.input_size + c.identity_size, c.hidden_size, num_layers=c.num_layers, batch_first=True,
            dropout=c.dropout if c.num_layers > 1 else 0.0,
        )  # fmt: skip
        self.dropout = nn.Dropout(c.dropout)
        self.head = nn.Linear(c.hidden_size + c.output_size * c.future_size, c.output_size * c.n_levels)
        self.residual = c.residual
        self.linear = nn.Linear(c.linear_window, c.output_size) if c.linear_window else None
        self.embedding = nn.Embedding(c.n_series, c.embedding_size) if c.embedding_size else None
        if c.static_size:
            if static is None or tuple(static.shape) != (c.n_series, c.static_size):
                shape = None if static is None else tuple(static.shape)
                raise ValueError(f"static must have shape ({c.n_series}, {c.static_size}); got {shape}.")
            # Data, not weights: kept out of the state dict, so warm starts and early stopping never overwrite it.
            self.register_buffer("static", static.to(torch.float32), persistent=False)
        else:
            self.static = None

    def forward(
        self, x: torch.Tensor, future: torch.Tensor | None = None, series: torch.Tensor | None = None
    ) -> torch.Tensor:
        inputs = x
        if self.config.identity_size:
            if series is None:
                raise ValueError("this network tells series apart: pass the series of each window.")
            parts = [] if self.embedding is None else [self.embedding(series)]
            if self.static is not None:
                parts.append(self.static[series])
            identity = torch.cat(parts, dim=1)[:, None, :].expand(-1, x.shape[1], -1)
            inputs = torch.cat([x, identity], dim=2)
        out, _ = self.rnn(inputs)
        last = self.dropout(out[:, -1])
        if future is not None:
            last = torch.cat([last, future], dim=1)
        y = self.head(last)
        quantiles = self.config.quantiles
        if quantiles:
            y = y.view(len(y), self.config.output_size, len(quantiles))
            raw, m = y, self.config.median
            y = raw[:, :, m]
        if self.linear is not None:
            y = y + self.linear(x[:, -self.linear.in_features :, 0])
        if self.residual:
            y = y + x[:, -1, :1]
        return _quantiles_around(y, raw, m) if quantiles else y


def _quantiles_around(median: torch.Tensor, raw: torch.Tensor, m: int) -> torch.Tensor:
    """Levels (batch, steps, n_levels): the median at ``m``, then cumulated softplus increments on each side."""
    below = torch.flip(torch.cumsum(torch.flip(functional.softplus(raw[:, :, :m]), dims=[2]), dim=2), dims=[2])
    above = torch.cumsum(functional.softplus(raw[:, :, m + 1 :]), dim=2)
    return torch.cat([median[:, :, None] - below, median[:, :, None], median[:, :, None] + above], dim=2)


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

    def forward(
        self, x: torch.Tensor, future: torch.Tensor | None = None, series: torch.Tensor | None = None
    ) -> torch.Tensor:
        return torch.stack([member(x, future, series) for member in self.members]).mean(dim=0)


def is_device(device: Any) -> bool:
    """Whether ``device`` names a torch device (or is ``"auto"``)."""
    if isinstance(device, str) and device == "auto":
        return True
    try:
        torch.device(device)
    except (RuntimeError, TypeError, ValueError):
        return False
    return True


def resolve_device(device: Any) -> torch.device:
    """``"auto"`` is CUDA when available, else the CPU; anything else is passed to ``torch.device``."""
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)
