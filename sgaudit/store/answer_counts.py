"""How many interviews and answers each audit holds, from the counts the store keeps.

Every interview row carries `answer_count`, kept by the database's own triggers on the
response table (migration i14b_answer_counts), so whatever writes or removes an answer
(capture, an import's bulk load, an archive restore, an erasure, a cascade) keeps it
right in the same transaction. A list of 400 audits over 8 million answers therefore
adds up 133,000 interview rows instead of stepping through 8 million index entries.

`miscounted` recounts the answers the slow way and lists every interview whose kept
count differs: the check the tests run after every kind of write.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from sgaudit.fieldwork import Fieldwork, count_fieldwork
from sgaudit.store.erasure import counted
from sgaudit.store.models import Interview, Response


def counts_by_audit(session: Session, audit_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Interviews and answers of each audit, in one grouped query over the interviews
    (no access check: the callers check each audit first)."""
    ids = list(audit_ids)
    counts = {i: {"interviews": 0, "answers": 0} for i in ids}
    if not ids:
        return counts
    rows = session.execute(
        select(Interview.audit_id, func.count(), func.coalesce(func.sum(Interview.answer_count), 0))
        .where(Interview.audit_id.in_(ids))
        .group_by(Interview.audit_id)
    )
    for audit_id, interviews, answers in rows:
        counts[audit_id] = {"interviews": interviews, "answers": int(answers)}
    return counts


def fieldwork_by_audit(session: Session, audit_ids: Iterable[int]) -> dict[int, Fieldwork]:
    """The fieldwork of each audit (`sgaudit.fieldwork`), in one grouped query over the
    interviews (no access check: the callers check each audit first).

    Counted: the records the analysis and the report read, those whose consent stands
    and that hold an answer; every other record is `not_counted`.
    """
    ids = list(audit_ids)
    heard = and_(counted(), Interview.answer_count > 0)
    rows = (
        session.execute(
            select(
                Interview.audit_id,
                Interview.tier,
                Interview.mode,
                func.count(),
                func.coalesce(func.sum(case((heard, 1), else_=0)), 0),
                func.coalesce(func.sum(case((heard, Interview.people), else_=0)), 0),
            )
            .where(Interview.audit_id.in_(ids))
            .group_by(Interview.audit_id, Interview.tier, Interview.mode)
        ).all()
        if ids
        else []
    )
    groups: dict[int, list[tuple[str, str, int, int]]] = {i: [] for i in ids}
    others = dict.fromkeys(ids, 0)
    for audit_id, tier, mode, records, n_heard, people_heard in rows:
        groups[audit_id].append((tier, mode, int(n_heard), int(people_heard)))
        others[audit_id] += int(records) - int(n_heard)
    return {i: count_fieldwork(groups[i], not_counted=others[i]) for i in ids}


def miscounted(session: Session) -> dict[int, tuple[int, int]]:
    """Every interview whose kept count is not its number of answers: {id: (kept, real)}.

    Empty when the counts are right. Counts every answer, so it is for checks, not lists.
    """
    real = (
        select(Response.interview_id, func.count().label("n"))
        .group_by(Response.interview_id)
        .subquery()
    )
    rows = session.execute(
        select(Interview.id, Interview.answer_count, func.coalesce(real.c.n, 0))
        .outerjoin(real, real.c.interview_id == Interview.id)
        .where(Interview.answer_count != func.coalesce(real.c.n, 0))
    )
    return {pk: (kept, n) for pk, kept, n in rows}
