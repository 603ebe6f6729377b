"""Running independent jobs serially, on joblib workers or on a Dask cluster, with results in order."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from tsrnn._validation import InvalidParameterError, is_integer

__all__ = ["run_jobs", "check_n_jobs"]


def _limit_threads(n_workers: int) -> None:
    """Give each parallel worker its share of the cores, so torch does not oversubscribe."""
    import torch

    share = max(1, (os.cpu_count() or 1) // max(1, n_workers))
    torch.set_num_threads(share)


def _call(job: tuple[Callable, tuple], n_workers: int) -> Any:
    function, args = job
    if n_workers > 1:
        _limit_threads(n_workers)
    return function(*args)


def run_jobs(
    jobs: Sequence[tuple[Callable, tuple]],
    n_jobs: int | None = 1,
    backend: str | None = None,
    progress: bool = False,
    description: str = "folds",
) -> list[Any]:
    """Run independent ``(function, args)`` jobs and return their results in order.

    Parameters
    ----------
    jobs : sequence of (callable, tuple)
        Each job is called as ``function(*args)``; the functions must be
        importable (picklable) for process and Dask backends.
    n_jobs : int or None, default=1
        Parallel workers for joblib; 1 runs serially in this process, -1 uses
        every core.
    backend : None or "dask" or a joblib backend name, optional
        ``None`` follows joblib's ``parallel_config``; ``"dask"`` submits the
        jobs to the current ``dask.distributed`` Client.
    progress : bool, default=False
        Show a tqdm bar over completed jobs.

    Returns
    -------
    list
        ``function(*args)`` of every job, in the order of ``jobs``; a job whose
        worker dies is re-run by the scheduler, never lost or duplicated.
    """
    from tqdm import tqdm

    n_jobs = check_n_jobs(n_jobs)
    bar = tqdm(total=len(jobs), desc=description, disable=not progress, leave=False)
    try:
        if backend == "dask":
            return _run_on_dask(jobs, bar)
        workers = _n_workers(n_jobs)
        if workers == 1 and backend is None:
            results = []
            for job in jobs:
                results.append(_call(job, 1))
                bar.update()
            return results
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")
        results = []
        for result in parallel(delayed(_call)(job, workers) for job in jobs):
            results.append(result)
            bar.update()
        return results
    finally:
        bar.close()


def check_n_jobs(n_jobs: Any) -> int | None:
    """Return ``n_jobs`` as an int or None, or raise if it is neither None nor a non-zero int.

    Parameters
    ----------
    n_jobs : Any
        The value to check; numpy integers are accepted.

    Returns
    -------
    int or None

    Raises
    ------
    InvalidParameterError
        Naming ``n_jobs``, the value and what is allowed.
    """
    if n_jobs is None:
        return None
    if not is_integer(n_jobs) or n_jobs == 0:
        raise InvalidParameterError(f"n_jobs must be a non-zero int (-1 for every core) or None; got {n_jobs!r}.")
    return int(n_jobs)


def _n_workers(n_jobs: int | None) -> int:
    n_jobs = check_n_jobs(n_jobs)
    if n_jobs is None:
        return 1
    cores = os.cpu_count() or 1
    return n_jobs if n_jobs > 0 else max(1, cores + 1 + n_jobs)


def _run_on_dask(jobs: Sequence[tuple[Callable, tuple]], bar: Any) -> list[Any]:
    try:
        from distributed import as_completed, get_client
    except ImportError:
        raise ValueError("backend='dask' needs dask.distributed: pip install 'tsrnn[distributed]'.") from None
    try:
        client = get_client()
    except ValueError:
        raise ValueError(
            "backend='dask' needs a running dask.distributed Client: start one with "
            "`from dask.distributed import Client; client = Client()` (a local cluster) or "
            "`Client('tcp://scheduler:8786')` (an existing cluster), then call again."
        ) from None
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    futures = [client.submit(_call, job, n_workers, pure=False) for job in jobs]
    position = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for future in as_completed(futures):
        results[position[future.key]] = future.result()
        bar.update()
    return results
