"""The linear skip: a ridge autoregression of the input window, solved in closed form.

The penalty of each output step is chosen by generalised cross-validation from
``RIDGE_PENALTIES`` (times the mean eigenvalue of the centred Gram matrix),
computed for all penalties at once from one eigendecomposition. The intercept
is not penalised. Statistics are gathered in chunks, so memory stays bounded
on long or many series. A quantile network whose head is silenced starts as
the linear forecast with the empirical quantiles of its training residuals
around it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from tsrnn.neural.network import RecurrentNetwork

__all__ = ["RIDGE_PENALTIES", "RidgeStatistics", "ridge_gcv", "fit_linear"]

#: Ridge penalties the linear skip chooses from, relative to the mean eigenvalue of its Gram matrix.
RIDGE_PENALTIES = np.logspace(-6, 4, 41)

# Rows of the design matrix per chunk of sufficient statistics.
_CHUNK = 65_536
# Training residuals (at most, evenly spaced) whose quantiles start a quantile head.
_QUANTILE_ROWS = 65_536
# The smallest starting gap between neighbouring quantiles, in scaled units.
_MIN_INCREMENT = 1e-3


@dataclass
class RidgeStatistics:
    """Sufficient statistics of a ridge regression with an intercept, gathered chunk by chunk.

    Attributes
    ----------
    sums : torch.Tensor of shape (width + 1, width + 1)
        ``D'D`` of the design ``D = [lags, 1]``.
    cross : torch.Tensor of shape (width + 1, outputs)
        ``D'y``.
    target_sums, squares : torch.Tensor of shape (outputs,)
        Sums of the targets and of their squares.
    n : int
        Rows seen.
    """

    sums: torch.Tensor | float = 0.0
    cross: torch.Tensor | float = 0.0
    target_sums: torch.Tensor | float = 0.0
    squares: torch.Tensor | float = 0.0
    n: int = 0

    def add(self, lagged: torch.Tensor, target: torch.Tensor) -> None:
        """Add rows: ``lagged`` (rows, width) and ``target`` (rows, outputs), both float64."""
        ones = torch.ones(len(lagged), 1, dtype=torch.float64, device=lagged.device)
        design = torch.cat([lagged, ones], dim=1)
        self.sums = self.sums + design.T @ design
        self.cross = self.cross + design.T @ target
        self.target_sums = self.target_sums + target.sum(dim=0)
        self.squares = self.squares + (target**2).sum(dim=0)
        self.n += len(lagged)


def ridge_gcv(stats: RidgeStatistics, penalties: np.ndarray = RIDGE_PENALTIES) -> tuple[torch.Tensor, torch.Tensor]:
    """The ridge regression of each output on the lags, at its generalised cross-validation penalty.

    Parameters
    ----------
    stats : RidgeStatistics
        The statistics of the training rows.
    penalties : np.ndarray, default=RIDGE_PENALTIES
        Candidate penalties, relative to the mean eigenvalue of the centred Gram matrix.

    Returns
    -------
    weights : torch.Tensor of shape (width, outputs)
    intercept : torch.Tensor of shape (outputs,)
    """
    n = stats.n
    sums, cross = stats.sums, stats.cross
    x_mean, y_mean = sums[-1, :-1] / n, stats.target_sums / n
    # Centred statistics: the intercept is not penalised.
    gram = sums[:-1, :-1] - n * torch.outer(x_mean, x_mean)
    xy = cross[:-1] - n * torch.outer(x_mean, y_mean)
    yy = stats.squares - n * y_mean**2
    eigenvalues, vectors = torch.linalg.eigh(gram)
    eigenvalues = eigenvalues.clamp(min=0.0)
    projected = vectors.T @ xy  # (width, outputs)
    scale = float(eigenvalues.mean()) or 1.0
    candidates = scale * torch.as_tensor(penalties, dtype=torch.float64, device=gram.device)
    shrink = eigenvalues[None, :] / (eigenvalues[None, :] + candidates[:, None])  # (penalties, width)
    # RSS(lambda) = yy - sum_j (2 - s_j) s_j p_j^2 / d_j with s_j = d_j / (d_j + lambda), p = V'X'y.
    explained = torch.where(eigenvalues[:, None] > 0, projected**2 / eigenvalues.clamp(min=1e-300)[:, None], 0.0)
    rss = yy[None, :] - ((2 - shrink) * shrink) @ explained  # (penalties, outputs)
    dof = 1.0 + shrink.sum(dim=1, keepdim=True)
    gcv = rss / (1.0 - dof / n).clamp(min=1e-12) ** 2
    best = candidates[gcv.argmin(dim=0)]  # (outputs,)
    weights = vectors @ (projected / (eigenvalues[:, None] + best[None, :]))  # (width, outputs)
    return weights, y_mean - x_mean @ weights


def fit_linear(
    network: RecurrentNetwork,
    inputs: Callable[[torch.Tensor], tuple],
    targets: torch.Tensor,
    starts: torch.Tensor,
    silence_head: bool = True,
) -> None:
    """Set the network's linear skip to the ridge regression of the targets on the window; optionally silence the head.

    With a silent head the network starts as a direct linear autoregression,
    the model AR(p) fits, and gradient descent only has to find what the
    recurrent part adds. On a series with nothing linear to learn (returns of
    a price) the map shrinks to the mean.

    Parameters
    ----------
    network : RecurrentNetwork
        A network with a linear skip (``network.linear``).
    inputs : callable
        Window starts to network inputs (see ``WindowBatches``).
    targets : torch.Tensor of shape (n_starts_total, outputs)
        The targets of every window start.
    starts : torch.Tensor of int
        The training window starts.
    silence_head : bool, default=True
        Zero the output layer, so the network's output is the linear skip
        alone; a quantile network's head then starts at the empirical
        quantiles of the linear skip's training residuals (per output step).
    """
    width = network.linear.in_features
    stats = RidgeStatistics()
    for chunk in torch.split(starts, _CHUNK):
        x = inputs(chunk)[0]
        lagged = x[:, -width:, 0].double()
        target = targets[chunk].double()
        if network.residual:
            target = target - lagged[:, -1:]
        stats.add(lagged, target)
    weights, intercept = ridge_gcv(stats)
    with torch.no_grad():
        network.linear.weight.copy_(weights.T.to(network.linear.weight.dtype))
        network.linear.bias.copy_(intercept.to(network.linear.bias.dtype))
        if silence_head:
            network.head.weight.zero_()
            network.head.bias.zero_()
            if network.config.quantiles:
                network.head.bias.copy_(_starting_quantiles(network, inputs, targets, starts, weights, intercept))


def _starting_quantiles(
    network: RecurrentNetwork,
    inputs: Callable[[torch.Tensor], tuple],
    targets: torch.Tensor,
    starts: torch.Tensor,
    weights: torch.Tensor,
    intercept: torch.Tensor,
) -> torch.Tensor:
    """Head biases (outputs * n_levels,) that put the quantiles of the linear forecast's residuals around it.

    The median's bias is the median residual; every other level's is the
    inverse softplus of its gap to the neighbour nearer the median.
    """
    config = network.config
    chosen = starts[:: max(1, -(-len(starts) // _QUANTILE_ROWS))]
    x = inputs(chosen)[0]
    lagged = x[:, -network.linear.in_features :, 0].double()
    forecast = lagged @ weights + intercept
    if network.residual:
        forecast = forecast + lagged[:, -1:]
    levels = torch.as_tensor(config.quantiles, dtype=torch.float64, device=forecast.device)
    quantiles = torch.quantile(targets[chosen].double() - forecast, levels, dim=0).T  # (outputs, n_levels)
    m = config.median
    gaps = torch.diff(quantiles, dim=1).clamp(min=_MIN_INCREMENT)  # gap l lies between levels l and l + 1
    bias = torch.empty_like(quantiles)
    bias[:, m] = quantiles[:, m]
    bias[:, :m] = _inverse_softplus(gaps[:, :m])
    bias[:, m + 1 :] = _inverse_softplus(gaps[:, m:])
    return bias.reshape(-1).to(network.head.bias.dtype)


def _inverse_softplus(values: torch.Tensor) -> torch.Tensor:
    """``log(exp(v) - 1)``, stable for small and large positive ``v``."""
    return values + torch.log(-torch.expm1(-values))
