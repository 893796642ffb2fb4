"""zoo.app.batching: callers that arrive together are computed together; one caller alone waits for nothing."""

import threading
import time

import pytest

from zoo.app.batching import Batched


def test_one_caller_alone_is_computed_at_once():
    batches = []
    batched = Batched(lambda items: batches.append(list(items)) or [i * 2 for i in items])
    assert [batched(3), batched(4)] == [6, 8] and batches == [[3], [4]]


def test_callers_that_arrive_while_a_batch_runs_share_the_next_and_each_gets_its_own_result():
    batches, started, release = [], threading.Event(), threading.Event()

    def run_many(items):
        batches.append(list(items))
        if len(batches) == 1:  # hold the first batch until the others are waiting
            started.set()
            release.wait(10)
        return [item * 10 for item in items]

    batched = Batched(run_many)
    results = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, batched(i))) for i in range(6)]
    threads[0].start()
    started.wait(10)
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.2)  # the five others wait behind the first
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == {i: i * 10 for i in range(6)}
    assert batches[0] == [0] and sorted(batches[1]) == [1, 2, 3, 4, 5] and len(batches) == 2


def test_a_failed_batch_fails_each_of_its_callers_and_the_next_one_still_runs():
    calls = []

    def run_many(items):
        calls.append(list(items))
        if len(calls) == 1:
            raise ValueError("no")
        return items

    batched = Batched(run_many)
    with pytest.raises(ValueError, match="no"):
        batched(1)
    assert batched(2) == 2
