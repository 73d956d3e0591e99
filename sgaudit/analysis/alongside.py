"""A large audit's independent pieces of analysis, worked out on a second thread.

Most of the analysis of a large audit is spent in numpy, pandas' grouped sums and hash
tables, and Arrow, which let go of the interpreter lock while they work on long arrays.
So two independent pieces run on two threads overlap on a machine with two cores: at a
million answers, `analyse()` takes about a quarter less time (bench/README.md). Each
piece is a pure function of tables that nobody changes, so the result is the same,
bit for bit, whichever thread worked it out (tests/test_analysis_once.py).

Below `FROM_ANSWERS` a thread costs more than it saves, and a partnership roll-up
already keeps every core busy with whole audits, so small audits stay on one thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FROM_ANSWERS = 200_000


class Done:
    """A value worked out on this thread, with a future's `result()`."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value


def worth_a_thread(answers: int) -> bool:
    return answers >= FROM_ANSWERS


def alongside(answers: int, work: Callable[..., Any], *args: Any) -> Any:
    """`work(*args)`, started on a second thread for an audit of `answers` answers that is
    worth it, else worked out here and now; its `result()` is the value (or raises what
    `work` raised)."""
    if not worth_a_thread(answers):
        return Done(work(*args))
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1, thread_name_prefix="sgaudit-alongside")
    try:
        return pool.submit(work, *args)
    finally:
        pool.shutdown(wait=False)  # the thread ends when `work` is done
