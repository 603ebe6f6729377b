"""Running independent jobs serially, on joblib workers or on a Dask cluster, with results in order."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from tsrnn._validation import InvalidParameterError, is_integer

__all__ = ["run_jobs", "check_n_jobs", "workers_for"]


def _limit_threads(n_workers: int) -> None:
    """Give each parallel worker its share of the cores, so torch does not oversubscribe."""
    import torch

    torch.set_num_threads(_threads_per_worker(n_workers))


def _threads_per_worker(n_workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // max(1, n_workers))


def _call(job: tuple[Callable, tuple], n_workers: int) -> Any:
    function, args = job
    if n_workers > 1:
        _limit_threads(n_workers)
    return function(*args)


#: Allocations up to this size come from the heap even where the allocator was told to trim it eagerly.
_MMAP_THRESHOLD = 32 * 2**20
_allocator_tuned = False


def _tune_allocator() -> None:
    """Let large tensors come from the heap in workers whose environment sets ``MALLOC_TRIM_THRESHOLD_``.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``. Setting it turns off glibc's adaptive
    mmap threshold, so every tensor above 128 KiB is a fresh mapping whose pages are faulted in again at
    each allocation: the LSTM kernels of a fit ran at half speed on such a worker. Raising the mmap
    threshold (the trim threshold stays as the cluster set it) brings them back to a plain process's speed.
    """
    global _allocator_tuned
    if _allocator_tuned or not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    _allocator_tuned = True
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, _MMAP_THRESHOLD)  # -3: M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def _call_recording(job: tuple[Callable, tuple], n_workers: int) -> tuple[Any, list[tuple[type, str]]]:
    """``_call`` in a worker, with the warnings it raised: a worker's warnings never reach the caller's screen."""
    _tune_allocator()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _call(job, n_workers)
    return result, [(w.category, str(w.message)) for w in caught]


def _replay(seen: set, recorded: list[tuple[type, str]]) -> None:
    """Raise the warnings of a worker again in the caller, each distinct message once."""
    for category, message in recorded:
        if (category, message) not in seen:
            seen.add((category, message))
            warnings.warn(message, category, stacklevel=4)


def workers_for(n_jobs: int | None, n_tasks: int, backend: str | None = None) -> tuple[int, int]:
    """Workers and torch threads per worker that ``run_jobs`` uses for ``n_tasks`` jobs (Dask: its own).

    Parameters
    ----------
    n_jobs : int or None
        As in :func:`run_jobs`.
    n_tasks : int
        Jobs to run.
    backend : str, optional
        As in :func:`run_jobs`.

    Returns
    -------
    (int, int)
        Workers that get a job (at most ``n_tasks``), and torch threads each.
    """
    import torch

    workers = min(_n_workers(n_jobs), max(1, n_tasks))
    if workers == 1 and backend is None:
        return 1, torch.get_num_threads()
    return workers, _threads_per_worker(workers)


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
        every core. No more workers start than there are jobs, and a single
        worker runs them here. Each worker gets its share of the cores as
        torch threads, so results equal a serial run at that thread count;
        warnings raised in workers are raised again here, each message once.
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
        workers, _ = workers_for(n_jobs, len(jobs), backend)
        if workers == 1 and backend is None:
            results = []
            for job in jobs:
                results.append(_call(job, 1))
                bar.update()
            return results
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=workers, backend=backend, return_as="generator")
        results, seen = [], set()
        for result, recorded in parallel(delayed(_call_recording)(job, workers) for job in jobs):
            _replay(seen, recorded)
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
    futures = [client.submit(_call_recording, job, n_workers, pure=False) for job in jobs]
    position = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    recorded: list[Any] = [[] for _ in futures]
    for future in as_completed(futures):
        i = position[future.key]
        results[i], recorded[i] = future.result()
        bar.update()
    seen: set = set()
    for warned in recorded:  # in the order of the jobs, whatever order they finished in
        _replay(seen, warned)
    return results
