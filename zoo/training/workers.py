"""Models trained side by side: one worker process per core, one thread each.

The zoo's models are small: one model cannot keep two cores busy with its matrix products (two
one-thread models do 1.6x the work of one two-thread model on this CPU), and a thread that waits for
a core taken by another program stalls its partner (under two busy loops a two-thread epoch took
5.7 s against 2.2 s on one thread; docs/BENCHMARKS.md). `train_all.py` and the lab report's extra
models both train this way.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import queue
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import torch
from tqdm.auto import tqdm

Item = TypeVar("Item")

# Parameters from which a model trains alone with every core: its matrix products keep two threads busy (the
# paper-sized deep model, 2.8 M: an epoch 4.7 s on two threads, 7.9 s on one beside another model).
ALONE_FROM = 1_000_000

state: dict[str, Any] = {}  # in a worker process: what `setup` returned, set once when the worker starts


def cores() -> int:
    """The CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def plan(models: int, device: torch.device | str = "cpu", jobs: int = 0) -> tuple[int, int]:
    """(worker processes, threads each) for `models` models: `jobs` workers, or one one-thread worker per core.

    On a GPU one model at a time: the device is shared, and a CPU worker per model would only wait on it.
    """
    if torch.device(device).type != "cpu":
        return 1, torch.get_num_threads()
    workers = max(1, min(jobs or cores(), models))
    return workers, max(1, cores() // workers)


def dispatch_order(costs: list[float], workers: int, budget: int = 100_000) -> list[int]:
    """The order to hand jobs of these costs to `workers` workers, each taking the next when it is free.

    The jobs are split among the workers so that the busiest one has the least to do (an exhaustive search,
    pruned, of at most `budget` steps, from the longest-first split), then listed by when each would start.
    Nine models on two workers longest first left one training alone at the end for ~10 s of ~100 s.
    """
    order = sorted(range(len(costs)), key=lambda i: -costs[i])
    best = _longest_first(costs, order, workers)
    loads, worker_of, steps = [0.0] * workers, [0] * len(costs), 0

    def place(k: int) -> None:
        nonlocal best, steps
        if k == len(order):
            best = (max(loads), worker_of.copy())
            return
        job, tried = order[k], set()
        for w in range(workers):
            steps += 1
            if steps > budget:
                return
            if loads[w] in tried or loads[w] + costs[job] >= best[0]:  # equal loads are the same choice
                continue
            tried.add(loads[w])
            loads[w] += costs[job]
            worker_of[job] = w
            place(k + 1)
            loads[w] -= costs[job]

    place(0)
    starts, clock = {}, [0.0] * workers
    for job in order:  # each worker's share longest first
        starts[job] = clock[best[1][job]]
        clock[best[1][job]] += costs[job]
    return sorted(order, key=lambda job: (starts[job], best[1][job]))


def _longest_first(costs: list[float], order: list[int], workers: int) -> tuple[float, list[int]]:
    """(the busiest worker's total, each job's worker) when each job in `order` goes to the least busy worker."""
    loads, worker_of = [0.0] * workers, [0] * len(costs)
    for job in order:
        worker_of[job] = loads.index(min(loads))
        loads[worker_of[job]] += costs[job]
    return max(loads), worker_of


def epoch_done(*_) -> None:
    """In a worker: count one finished epoch on the parent's progress bar (an engine `on_epoch` callback)."""
    state["epochs_done"].put(1)


def side_by_side(task: Callable[[Item], Any], items: Iterable[Item], *, workers: int, threads: int,
                 setup: Callable[..., dict] | None = None, setup_args: tuple = (), epochs: int = 0,
                 progress: bool = False, description: str = "", bar: tqdm | None = None) -> Iterator[tuple[Item, Any]]:
    """task(item) for every item in `workers` new processes with `threads` threads each: (item, result) as each ends.

    `setup(*setup_args)` runs once in each worker (loading data, say); its dict becomes `state` there. Keep
    setup_args small (a path, not the data): arguments past a pipe's 64 KB make the parent wait for each worker's
    imports before it starts the next.
    `task`, `setup` and their arguments must pickle (module-level functions, functools.partial). A
    task that calls `epoch_done` once per epoch moves one progress bar of `epochs` epochs in all (or `bar`, a
    caller's bar over more than these items, left open). An exception in a task cancels what has not started and
    is raised here.
    """
    items = list(items)
    # Spawned, not forked: a fork would copy the parent's OpenMP thread pool, which hangs the child.
    context = multiprocessing.get_context("spawn")
    finished_epochs = context.Queue()
    own_bar = bar is None
    if own_bar:
        bar = tqdm(total=epochs or None, unit="epoch", disable=not progress, desc=description, file=sys.stderr)
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                                initargs=(threads, finished_epochs, setup, setup_args)) as pool:
        futures = {pool.submit(task, item): item for item in items}
        pending = set(futures)
        try:
            while pending:
                done, pending = concurrent.futures.wait(pending, timeout=0.5,
                                                        return_when=concurrent.futures.FIRST_COMPLETED)
                bar.update(_drain(finished_epochs))
                for future in done:
                    yield futures[future], future.result()  # re-raises the worker's exception here
            bar.update(_drain(finished_epochs))
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
        finally:
            if own_bar:
                bar.close()


def _start(threads: int, epochs_done, setup: Callable[..., dict] | None, setup_args: tuple) -> None:
    torch.set_num_threads(threads)
    state.update(setup(*setup_args) if setup is not None else {}, epochs_done=epochs_done)


def _drain(q) -> int:
    """Take everything waiting in q; return how many items there were."""
    count = 0
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return count
        count += 1
