"""Walk-forward splitting: where the cutoffs of a backtest are."""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from tsrnn._validation import InvalidParameterError, Options, check_horizon, check_positive_int, is_integer

__all__ = ["WalkForward", "SCHEMES"]

#: The training schemes of a walk-forward backtest: keep all the past, or only the last ``train_length`` periods.
SCHEMES = ("expanding", "sliding")


class WalkForward:
    """Walk-forward splitter: train on the past, test on the next ``horizon`` periods.

    Parameters
    ----------
    horizon : int
        Periods forecast at each cutoff (the test fold length).
    step : int, optional
        Periods between consecutive cutoffs; defaults to ``horizon`` (test
        folds that tile the timeline).
    initial : int or timestamp, optional
        Size of the first training window, or the timestamp that ends it.
        Defaults to ``train_length`` for a sliding scheme, else half the series.
    scheme : {"expanding", "sliding"}, default="expanding"
        Expanding training sets keep all the past; sliding ones keep the last
        ``train_length`` periods.
    train_length : int, optional
        Training set length for ``scheme="sliding"``.

    Notes
    -----
    Cutoff ``k`` (the last training position) is ``initial - 1 + k * step``;
    only cutoffs whose whole test fold lies inside the series are used.
    ``split`` yields position arrays, so a ``WalkForward`` also serves as
    ``cv=`` in scikit-learn tools.

    Examples
    --------
    >>> import numpy as np
    >>> cv = WalkForward(horizon=7, initial=100)
    >>> cv.n_splits(np.zeros(128))
    4
    """

    def __init__(
        self,
        horizon: int,
        step: int | None = None,
        initial: Any = None,
        scheme: str = "expanding",
        train_length: int | None = None,
    ):
        self.horizon = horizon
        self.step = step
        self.initial = initial
        self.scheme = scheme
        self.train_length = train_length

    def __repr__(self) -> str:
        parts = [f"horizon={self.horizon!r}"]
        for name in ("step", "initial", "train_length"):
            if getattr(self, name) is not None:
                parts.append(f"{name}={getattr(self, name)!r}")
        if self.scheme != "expanding":
            parts.append(f"scheme={self.scheme!r}")
        return f"WalkForward({', '.join(parts)})"

    def _index_of(self, y: Any) -> pd.Index:
        if isinstance(y, (pd.Series, pd.DataFrame)):
            return y.index
        return pd.RangeIndex(len(y))

    def cutoffs(self, y: Any) -> np.ndarray:
        """Positions of the last training observation of every fold."""
        horizon = check_horizon(self.horizon)
        step = horizon if self.step is None else check_positive_int(self.step, "step")
        if not Options(*SCHEMES)(self.scheme):
            raise InvalidParameterError(f"scheme must be 'expanding' or 'sliding'; got {self.scheme!r}.")
        index = self._index_of(y)
        n = len(index)
        if self.scheme == "sliding":
            if self.train_length is None:
                raise InvalidParameterError("scheme='sliding' needs train_length, the number of periods to train on.")
            check_positive_int(self.train_length, "train_length")
        initial = self._initial(index, n)
        if initial < 2:
            raise InvalidParameterError(f"initial must leave at least 2 training periods; got {initial}.")
        if self.scheme == "sliding" and initial < self.train_length:
            raise InvalidParameterError(f"initial={initial} is shorter than train_length={self.train_length}.")
        if initial + horizon > n:
            raise ValueError(
                f"the series has {n} periods; initial={initial} and horizon={horizon} need at least {initial + horizon}."
            )
        return np.arange(initial - 1, n - horizon, step)

    def _initial(self, index: pd.Index, n: int) -> int:
        """The first training length, from an int, a timestamp, or the default."""
        initial = self.initial
        if initial is None:
            return int(self.train_length) if self.scheme == "sliding" else n // 2
        if isinstance(initial, numbers.Integral) and not isinstance(initial, (bool, np.bool_)):
            return int(initial)
        if not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
            raise InvalidParameterError(f"initial must be an int for a series without a date index; got {initial!r}.")
        try:
            position = index.get_loc(initial)
        except (KeyError, TypeError, ValueError):
            raise InvalidParameterError(f"initial={initial!r} is not a timestamp of the series.") from None
        if isinstance(position, slice):  # a partial date ("2020-02"): the first training set ends with that period
            return int(position.stop)
        if not is_integer(position):
            raise InvalidParameterError(
                f"initial={initial!r} matches several timestamps; pass one timestamp or an int."
            )
        return int(position) + 1

    def split(self, y: Any, X: Any = None, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_positions, test_positions)`` for every fold, oldest first."""
        horizon = check_horizon(self.horizon)
        for cutoff in self.cutoffs(y):
            start = 0 if self.scheme == "expanding" else cutoff + 1 - int(self.train_length)
            yield np.arange(start, cutoff + 1), np.arange(cutoff + 1, cutoff + 1 + horizon)

    def n_splits(self, y: Any) -> int:
        """Number of folds on ``y``."""
        return len(self.cutoffs(y))

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """scikit-learn's name for ``n_splits``."""
        if X is None:
            raise ValueError("WalkForward needs the data to count its folds: get_n_splits(X).")
        return self.n_splits(X)
