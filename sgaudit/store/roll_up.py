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
    workers = min(workers or os.cpu_count() or 1, len(audit_ids))
    if workers <= 1:
        yield from ((a, _analysed(url, a, principal)) for a in audit_ids)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    with pool:
        # a few audits per task: one result in flight per audit, not one message per answer
        chunk = max(1, min(4, len(audit_ids) // (4 * workers)))
        results = pool.map(
            _analysed,
            [url] * len(audit_ids),
            audit_ids,
            [principal] * len(audit_ids),
            chunksize=chunk,
        )
        yield from zip(audit_ids, results, strict=True)


def _analysed(url: str, audit_id: int, principal: Principal | None) -> AuditAnalysis:
    from sgaudit.analysis.result import analyse
    from sgaudit.store.db import session_scope
    from sgaudit.store.frames import load_audit_data

    with session_scope(url, principal=principal) as s:
        data = load_audit_data(s, audit_id)
    return analyse(data)
