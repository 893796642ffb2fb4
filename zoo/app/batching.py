"""Requests that arrive together, computed together: a room of callers shares each model's pass over its weights.

Each caller runs in its own thread (Gradio's). The first to arrive computes at once, alone; callers that
arrive meanwhile wait, and the first of them then computes all of theirs in one batch. One caller alone
never waits for a batch to fill.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Job:
    item: Any
    wake: threading.Event = field(default_factory=threading.Event)  # set once `lead` or `finished` is
    lead: bool = False  # this caller computes the next batch
    finished: bool = False
    result: Any = None
    error: BaseException | None = None


class Batched:
    """Calls `run_many(items) -> results` (one result per item, in order) on whatever items wait together."""

    def __init__(self, run_many: Callable[[Sequence[Any]], Sequence[Any]]):
        self.run_many = run_many
        self._lock = threading.Lock()
        self._waiting: list[_Job] = []
        self._busy = False

    def __call__(self, item: Any) -> Any:
        job = _Job(item)
        with self._lock:
            self._waiting.append(job)
            if not self._busy:
                self._busy = job.lead = True
                job.wake.set()
        job.wake.wait()
        if job.lead:  # compute everything that waits, this caller's item among it
            with self._lock:
                batch, self._waiting = self._waiting, []
            try:
                for j, result in zip(batch, self.run_many([j.item for j in batch]), strict=True):
                    j.result = result
            except BaseException as e:  # every caller of the batch hears of it
                for j in batch:
                    j.error = e
            with self._lock:  # the first who came meanwhile leads next
                if self._waiting:
                    self._waiting[0].lead = True
                    self._waiting[0].wake.set()
                else:
                    self._busy = False
            for j in batch:
                j.finished = True
                j.wake.set()
        if job.error is not None:
            raise job.error
        return job.result
