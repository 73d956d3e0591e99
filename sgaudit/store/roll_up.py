"""A partnership's roll-up: many audits read and analysed, side by side on the machine's cores.

Each audit's analysis depends on that audit alone, so a store of 200 member
organisations is analysed in worker processes, one audit at a time each, and the
results come back in the order asked. Every worker opens its own session for the same
principal, so it reads exactly what the caller may read (`load_audit_data` checks
each audit), and nothing is cached: a changed answer is in the next roll-up.

The workers are started fresh (`spawn`), not forked: a fork copies whatever the
caller's process holds (open database connections, Arrow's thread pool mid-task),
and a fresh interpreter costs about a second of imports per worker, once per roll-up.
As with any spawned worker, a script that calls `analyse_audits` with more than one
worker must do so under `if __name__ == "__main__":` (each worker imports the
caller's main module). The work pays off only on free cores: bench/README.md ("The
roll-up after the second round") has what two workers did on a busy machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sgaudit.access.policy import Principal
    from sgaudit.analysis.compare import ThemeChange
    from sgaudit.analysis.result import AuditAnalysis


def latest_audits(session: Session) -> list[int]:
    """Each organisation's latest audit the session's principal may see, in organisation order."""
    from sgaudit.store.audits import list_audits

    latest: dict[int, int] = {}
    for audit in list_audits(session):  # oldest first: the last of each is the latest
        latest[audit.organisation_id] = audit.id
    return list(latest.values())


def analyse_audits(
    url: str,
    audit_ids: Sequence[int],
    principal: Principal | None = None,
    workers: int | None = None,
) -> Iterator[tuple[int, AuditAnalysis]]:
    """(audit id, its analysis) for each of `audit_ids`, in that order, as each is ready.

    `workers` processes share the work (default: the machine's cores, at most one per
    audit); with one worker, or one audit, everything runs in this process. Each
    audit's analysis is exactly what `analyse(load_audit_data(session, id))` gives.
    """
    yield from zip(audit_ids, _mapped(_analysed, audit_ids, url, principal, workers), strict=True)


def analyse_with_previous(
    url: str,
    pairs: Sequence[tuple[int, int | None]],
    principal: Principal | None = None,
    workers: int | None = None,
) -> Iterator[tuple[AuditAnalysis, dict[str, ThemeChange] | None]]:
    """For each (audit id, previous audit id or None) of `pairs`, in that order: the
    audit's analysis, as `analyse_audits` gives it, and each theme's overall change
    since the previous audit as `sgaudit compare` reads it (on the questions both
    audits asked; None when there is no previous audit)."""
    yield from _mapped(_analysed_with_previous, list(pairs), url, principal, workers)


def _mapped(work, items: Sequence, url: str, principal, workers: int | None) -> Iterator:
    """`work(url, item, principal)` for each item, in order: in this process, or on
    `workers` fresh processes (default: the machine's cores, at most one per item)."""
    workers = min(workers or os.cpu_count() or 1, len(items))
    if workers <= 1:
        yield from (work(url, item, principal) for item in items)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    with pool:
        # a few audits per task: one result in flight per audit, not one message per answer
        chunk = max(1, min(4, len(items) // (4 * workers)))
        yield from pool.map(
            work, [url] * len(items), items, [principal] * len(items), chunksize=chunk
        )


def _analysed(url: str, audit_id: int, principal: Principal | None) -> AuditAnalysis:
    return _analysed_with_previous(url, (audit_id, None), principal)[0]


def _analysed_with_previous(
    url: str, pair: tuple[int, int | None], principal: Principal | None
) -> tuple[AuditAnalysis, dict[str, ThemeChange] | None]:
    from sgaudit.analysis.compare import overall_changes
    from sgaudit.analysis.result import analyse
    from sgaudit.analysis.scores import ScoreTables
    from sgaudit.store.db import session_scope
    from sgaudit.store.frames import load_audit_data

    audit_id, previous_id = pair
    with session_scope(url, principal=principal) as s:
        data = load_audit_data(s, audit_id)
        before = None if previous_id is None else load_audit_data(s, previous_id)
    tables = ScoreTables.build(data)  # one build for the analysis and the change
    analysis = analyse(data, tables=tables)
    if before is None:
        return analysis, None
    # The scores alone: the earlier audit's findings are not needed (a fifth of an
    # analysis, where `compare_audits` would analyse it whole).
    return analysis, {c.theme: c for c in overall_changes(before, data, new_tables=tables)}
