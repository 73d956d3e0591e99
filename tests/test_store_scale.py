"""One audit's read does not grow with the number of other audits in the store.

A partnership's store holds hundreds of audits; opening one of them (its dashboard:
the cache stamp, then its answers for the analysis) must touch that audit's rows only,
through the indexes, never scan everyone's. Counted in SQLite's own work: the number of
virtual-machine steps the database runs for the read (a progress handler called every
step), which is the same for the same rows whatever else the tables hold, and grows
with every row a scan would touch.
"""

from __future__ import annotations

from test_store_frames import store_audit

from sgaudit.analysis.synthetic import audit_of_size
from sgaudit.store.capture import audit_revision
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data


def database_steps(session, work) -> int:
    """How many SQLite virtual-machine steps `work()` makes the database run."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    raw = session.connection().connection.driver_connection
    raw.set_progress_handler(count, 1)
    try:
        work()
    finally:
        raw.set_progress_handler(None, 1)
    return steps


def opening_steps(url: str, audit_id: int) -> tuple[int, int]:
    """Steps for (the dashboard's cache stamp, reading the audit for analysis)."""
    with session_scope(url) as s:
        load_audit_data(s, audit_id)  # the question set's snapshot parsed once, as in the app
        stamp = database_steps(s, lambda: audit_revision(s, audit_id))
        read = database_steps(s, lambda: load_audit_data(s, audit_id))
    return stamp, read


def test_reading_one_audit_costs_the_same_with_ten_other_audits_around_it(tmp_path):
    ours, others = audit_of_size(600, seed=11), audit_of_size(600, seed=12)
    alone = f"sqlite:///{tmp_path / 'alone.db'}"
    crowded = f"sqlite:///{tmp_path / 'crowded.db'}"
    with session_scope(alone) as s:
        alone_id = store_audit(s, ours, "Our Trust")
        s.commit()
    with session_scope(crowded) as s:
        for k in range(5):
            store_audit(s, others, f"Before {k}")
        crowded_id = store_audit(s, ours, "Our Trust")
        for k in range(5):
            store_audit(s, others, f"After {k}")
        s.commit()

    stamp_alone, read_alone = opening_steps(alone, alone_id)
    stamp_crowded, read_crowded = opening_steps(crowded, crowded_id)

    # Ten times as many answers in the store; within a few percent of the same work
    # (a scan of the response table would make it about eleven times as much).
    assert read_crowded <= 1.05 * read_alone, (read_alone, read_crowded)
    assert stamp_crowded <= 1.05 * stamp_alone + 50, (stamp_alone, stamp_crowded)
    # And the count is of real work: reading the answers takes steps per answer.
    assert read_alone > len(ours.responses)
