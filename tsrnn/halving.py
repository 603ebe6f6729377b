"""Successive halving for :class:`tsrnn.SearchCV`: what a round's budget counts, its bounds, the rounds.

A round gives every surviving candidate a budget: a number of the most recent
inner cutoffs (``resource="cutoffs"``), or a value of an integer parameter of
the forecaster, such as its training ``epochs``. The best ``1 / factor`` of
the candidates go on to a budget ``factor`` times larger, as in
scikit-learn's ``HalvingGridSearchCV``; the last round has the full budget.
"""

from __future__ import annotations

import math
from typing import Any

from tsrnn._validation import InvalidParameterError, is_integer

__all__ = ["check_resources", "schedule", "halving_rounds"]


def check_resources(search: Any, known: dict, spaces: list) -> None:
    """Refuse a halving budget that cannot work, naming the argument, before any fit."""
    given = {"resource": search.resource != "cutoffs", "min_resources": search.min_resources is not None,
             "max_resources": search.max_resources is not None}  # fmt: skip
    if search.method != "halving":
        for name in (name for name, is_set in given.items() if is_set):
            raise InvalidParameterError(
                f"{name}={getattr(search, name)!r} sets the budget of method='halving'; got method={search.method!r}."
            )
        return
    name = type(search.forecaster).__name__
    if search.resource != "cutoffs":
        if search.resource not in known:
            raise InvalidParameterError(
                f"resource must be 'cutoffs' or the name of an int parameter of {name} (such as 'epochs'); "
                f"got {search.resource!r}."
            )
        if any(search.resource in space for space in spaces):
            raise InvalidParameterError(
                f"resource={search.resource!r} is also a searched parameter; halving sets it in each round, "
                f"from min_resources to max_resources: leave it out of the candidates."
            )
        own = known[search.resource]
        if search.max_resources is None and not (is_integer(own) and own >= 1):
            raise InvalidParameterError(
                f"max_resources is needed: {name}'s {search.resource}={own!r} is not a positive int to end on."
            )
    low, high = search.min_resources, search.max_resources
    if low is not None and high is not None and low > high:
        raise InvalidParameterError(f"min_resources={low!r} must not exceed max_resources={high!r}.")


def schedule(search: Any, n_candidates: int, n_cutoffs: int) -> list[tuple[int, int]]:
    """(candidates kept, budget) per round: one round of every candidate unless halving."""
    if search.method != "halving":
        return [(n_candidates, n_cutoffs)]
    low, high = search.min_resources, search.max_resources
    if search.resource == "cutoffs":
        for name, value in (("min_resources", low), ("max_resources", high)):
            if value is not None and value > n_cutoffs:
                raise InvalidParameterError(
                    f"{name}={value!r} exceeds the {n_cutoffs} inner cutoffs (resource='cutoffs'); "
                    f"lower it or add inner cutoffs (cv, initial)."
                )
        high = n_cutoffs if high is None else high
    elif high is None:
        high = int(search.forecaster.get_params(deep=True)[search.resource])
    if low is not None and low > high:
        raise InvalidParameterError(f"min_resources={low!r} must not exceed the last round's budget, {high}.")
    return halving_rounds(n_candidates, int(high), int(search.factor), None if low is None else int(low))


def halving_rounds(n_candidates: int, max_resources: int, factor: int, min_resources: int | None = None) -> list:
    """Successive halving: (candidates kept, budget) per round; the last round has ``max_resources``.

    Without ``min_resources`` there is one round per division of the
    candidates by ``factor``, the budget ``max_resources // factor`` per round
    to come (at least 1). With it, as in scikit-learn, the rounds are as many
    as both the candidates and ``max_resources / min_resources`` allow, the
    budgets ``min_resources * factor**r``. Rounds that would not grow the
    budget are merged into the first of them.
    """
    needed = 1 + int(math.floor(math.log(n_candidates) / math.log(factor) + 1e-9)) if n_candidates > 1 else 1
    if min_resources is None:
        budgets = [max(1, max_resources // factor ** (needed - 1 - r)) for r in range(needed)]
    else:
        possible = 1 + int(math.floor(math.log(max_resources / min_resources) / math.log(factor) + 1e-9))
        budgets = [min(max_resources, min_resources * factor**r) for r in range(min(needed, possible))]
        budgets[-1] = max_resources
    rounds: list[tuple[int, int]] = []
    for r, budget in enumerate(budgets):
        if rounds and budget <= rounds[-1][1]:
            continue
        rounds.append((math.ceil(n_candidates / factor**r), budget))
    return rounds
