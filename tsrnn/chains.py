"""Which folds of a backtest depend on each other: chains that each start with a fit from scratch.

A fold fitted from scratch depends on nothing before it. A fold that only
``update``s, or whose refit continues from the last fit's weights (a warm
start), depends on the fold before it. A backtest is therefore cut into chains
at its cold fits, and the chains are independent jobs: they run in parallel
with joblib or on a Dask cluster and give the same folds as a serial run,
because where the chains are cut depends on the plan, never on the workers.

:class:`WarmStart` is the policy of warm refits: their training budget and how
often a refit starts from scratch again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tsrnn._validation import InvalidParameterError, is_integer

__all__ = ["WarmStart", "AUTO_WARM_START", "check_warm_start", "chains", "refits_at"]


@dataclass(frozen=True)
class WarmStart:
    """How refits in a backtest continue from the previous fit.

    Parameters
    ----------
    epochs : int, optional
        Training epochs of each warm refit; None keeps the forecaster's own.
    patience : int, optional
        Early-stopping patience of each warm refit; None keeps the forecaster's own.
    restart : int, optional
        Every ``restart``-th refit (counting the first fit as refit 0) starts
        from scratch, so a chain of warm refits never runs longer than
        ``restart`` refits; the chains are independent and run in parallel.
        None: only the first fit is cold.

    Examples
    --------
    >>> WarmStart(epochs=3, patience=2, restart=26)
    WarmStart(epochs=3, patience=2, restart=26)
    """

    epochs: int | None = None
    patience: int | None = None
    restart: int | None = None

    def __post_init__(self) -> None:
        for name in ("epochs", "patience", "restart"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, (bool, np.bool_)) or not is_integer(value) or value < 1):
                raise InvalidParameterError(f"WarmStart {name} must be a positive int or None; got {value!r}.")
            if value is not None:
                object.__setattr__(self, name, int(value))

    def describe(self) -> str:
        """The policy in words, for reports."""
        parts = [f"at most {self.epochs} epochs" if self.epochs else "the model's epochs"]
        if self.patience:
            parts.append(f"patience {self.patience}")
        text = f"warm refits ({', '.join(parts)}) validated on windows no earlier fit trained on"
        return text + (f", from scratch every {self.restart} refits" if self.restart else "")


#: The measured default of ``compare`` and the command line (``warm_start="auto"``) for a refit at every cutoff:
#: see benchmarks/RESULTS.md, "Backtests: warm refits that validate honestly". With a refit every k cutoffs
#: "auto" refits from scratch (warm refits 13 cutoffs apart were less accurate on the weather task), and
#: forecasters that cannot warm start are always refitted from scratch.
AUTO_WARM_START = WarmStart(epochs=3, patience=2, restart=26)


def check_warm_start(warm_start: Any, refit: bool | int = True) -> WarmStart | bool:
    """Return ``warm_start`` as False or a :class:`WarmStart`, or raise naming what is allowed.

    Parameters
    ----------
    warm_start : bool, int, "auto" or WarmStart
        True continues every refit with the forecaster's own budget; an int
        ``k`` limits those refits to ``k`` epochs; ``"auto"`` is
        :data:`AUTO_WARM_START` when ``refit`` is True, the case it was
        measured for, and False (refits from scratch) otherwise.
    refit : bool or int, default=True
        The checked refit policy of the backtest.

    Returns
    -------
    WarmStart or False

    Raises
    ------
    InvalidParameterError
        For anything else.
    """
    if isinstance(warm_start, WarmStart):
        return warm_start
    if isinstance(warm_start, (bool, np.bool_)):
        return WarmStart() if warm_start else False
    if isinstance(warm_start, str) and warm_start == "auto":
        # Refits k cutoffs apart were more accurate from scratch on the weather task.
        return AUTO_WARM_START if refit is True else False
    if is_integer(warm_start) and warm_start >= 1:
        return WarmStart(epochs=int(warm_start))
    raise InvalidParameterError(
        f"warm_start must be True, False, 'auto', a positive int (epochs per warm refit) or a WarmStart; "
        f"got {warm_start!r}."
    )


def chains(n_folds: int, refit: bool | int, warm: WarmStart | None) -> list[list[int]]:
    """The folds of a backtest cut into chains, each starting with a fit from scratch.

    Parameters
    ----------
    n_folds : int
        Folds of the backtest, oldest first.
    refit : bool or int
        True refits at every cutoff, False only at the first, k every k cutoffs.
    warm : WarmStart or None
        The warm-start policy when the forecaster can continue from its last
        fit, else None (every refit is cold).

    Returns
    -------
    list of list of int
        Fold positions per chain, in order; their concatenation is ``range(n_folds)``.

    Examples
    --------
    >>> chains(5, True, None)
    [[0], [1], [2], [3], [4]]
    >>> chains(5, 2, None)
    [[0, 1], [2, 3], [4]]
    >>> chains(5, True, WarmStart(restart=2))
    [[0, 1], [2, 3], [4]]
    """
    out: list[list[int]] = []
    n_refits = 0
    for k in range(n_folds):
        refits = refits_at(k, refit)
        cold = refits and (warm is None or n_refits == 0 or (warm.restart is not None and n_refits % warm.restart == 0))
        n_refits += int(refits)
        if cold:
            out.append([k])
        else:
            out[-1].append(k)
    return out


def refits_at(k: int, refit: bool | int) -> bool:
    """Whether fold ``k`` (0 is the first) of a backtest fits, rather than updates, under ``refit``."""
    return k == 0 or refit is True or (refit is not False and k % int(refit) == 0)
