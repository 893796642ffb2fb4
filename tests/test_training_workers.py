"""zoo.training.workers: the plan (one one-thread worker per core on a CPU), results and errors from spawned workers."""

import functools
import os

import pytest
import torch

from zoo.training import workers


def test_plan_is_one_one_thread_worker_per_core_on_a_cpu_and_one_on_a_gpu():
    cores = len(os.sched_getaffinity(0))
    assert workers.cores() == cores
    assert workers.plan(9) == (min(cores, 9), max(1, cores // min(cores, 9)))
    assert workers.plan(1) == (1, cores)  # one model gets every core
    assert workers.plan(9, "cpu", jobs=1) == (1, cores)
    assert workers.plan(9, "cuda")[0] == 1


def _threads_and_power(item: int, *, exponent: int) -> tuple[int, int, int]:
    workers.epoch_done()
    return os.getpid(), torch.get_num_threads(), item ** exponent + workers.state["offset"]


def _setup(offset: int) -> dict:
    return {"offset": offset}


def test_every_item_runs_once_in_a_worker_with_its_threads_and_setup():
    task = functools.partial(_threads_and_power, exponent=2)
    results = dict(workers.side_by_side(task, range(6), workers=2, threads=1, setup=_setup, setup_args=(100,),
                                        epochs=6))
    assert sorted(results) == list(range(6))
    assert {value for _, _, value in results.values()} == {i * i + 100 for i in range(6)}
    assert {threads for _, threads, _ in results.values()} == {1}
    assert os.getpid() not in {pid for pid, _, _ in results.values()}


def _fail_on_three(item: int) -> int:
    if item == 3:
        raise ValueError("item 3 is bad")
    return item


def test_a_workers_exception_reaches_the_caller_with_its_message():
    with pytest.raises(ValueError, match="item 3 is bad"):
        list(workers.side_by_side(_fail_on_three, range(5), workers=2, threads=1))


def _finish(costs: list[float], order: list[int], workers: int) -> float:
    """When the last of `workers` workers ends, each taking the next job in `order` as soon as it is free."""
    free = [0.0] * workers
    for job in order:
        free[free.index(min(free))] += costs[job]
    return max(free)


def test_dispatch_order_splits_the_work_evenly_where_longest_first_leaves_a_tail():
    costs = [27.4, 25.4, 23.0, 22.3, 22.1, 22.0, 19.8, 18.1, 17.9]  # the nine, seconds measured side by side
    longest_first = sorted(range(9), key=lambda i: -costs[i])
    assert _finish(costs, longest_first, 2) == pytest.approx(107.7)
    order = workers.dispatch_order(costs, 2)
    assert sorted(order) == list(range(9))
    assert _finish(costs, order, 2) == pytest.approx(99.9)  # 4 jobs against 5: 98.1 and 99.9
    assert _finish(costs, workers.dispatch_order(costs, 3), 3) < _finish(costs, longest_first, 3)


def test_dispatch_order_out_of_budget_is_still_every_job_once_no_worse_than_longest_first():
    costs = [float(c) for c in range(1, 30)]
    order = workers.dispatch_order(costs, 4, budget=50)
    assert sorted(order) == list(range(29))
    assert _finish(costs, order, 4) <= _finish(costs, sorted(range(29), key=lambda i: -costs[i]), 4)
    assert workers.dispatch_order([], 2) == [] and workers.dispatch_order([5.0], 2) == [0]
