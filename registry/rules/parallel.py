"""Linting a stream of payloads on several processes, in input order.

``registry lint --jobs N``: the parent reads and checks the input (so an unusable item still ends the run
where it stands, after every earlier result was written), hands the payloads to ``N`` worker processes in
batches, and yields the reports in input order. Each worker keeps its own caches (a brand or a text seen in
its batches is analysed once there). Memory stays bounded: at most one batch per worker is in flight.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from .engine import lint
from .report import Report

#: payloads a worker lints per round trip: large enough that pickling and scheduling are noise, small enough
#: that results keep flowing and memory stays flat
BATCH = 200

Payloads = tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]


def _lint_batch(args: tuple[list[Payloads], date]) -> list[Report]:
    batch, today = args
    return [lint(brand, campaign, today=today) for brand, campaign in batch]


def _batches(payloads: Iterator[Payloads], size: int) -> Iterator[tuple[list[Payloads], BaseException | None]]:
    """Consecutive batches; an exception raised by ``payloads`` ends the last batch and comes with it."""
    batch: list[Payloads] = []
    while True:
        try:
            item = next(payloads)
        except StopIteration:
            break
        except Exception as exc:  # unusable input: lint what came before, then report it
            yield batch, exc
            return
        batch.append(item)
        if len(batch) == size:
            yield batch, None
            batch = []
    if batch:
        yield batch, None


def lint_stream(payloads: Iterable[Payloads], *, today: date, jobs: int) -> Iterator[Report]:
    """The report of each payload, in order; with ``jobs`` > 1 the linting runs on that many processes. An
    exception raised while reading ``payloads`` is raised after the reports of every payload before it."""
    if jobs <= 1:
        for brand, campaign in payloads:
            yield lint(brand, campaign, today=today)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(jobs) as pool:
        pending: list[Any] = []
        failure: BaseException | None = None
        for batch, failure in _batches(iter(payloads), BATCH):
            if batch:
                pending.append(pool.apply_async(_lint_batch, ((batch, today),)))
            while len(pending) > jobs or (pending and pending[0].ready()):
                yield from pending.pop(0).get()
            if failure is not None:
                break
        for result in pending:
            yield from result.get()
        if failure is not None:
            raise failure
