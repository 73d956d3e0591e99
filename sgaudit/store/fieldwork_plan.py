"""The fieldwork plan: how many people the auditors intend to hear per tier x service area.

One row per planned cell of an audit; a cell planned at 0 has no row. Setting the plan
is part of capture (both auditors may); reading it goes with reading the fieldwork
itself. Every change is in the change log with the old and new head count: one line for a
cell set on its own, one line for a plan set or imported at once (how many cells, and
each cell's old and new head count).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import CAPTURE, READ_ANSWERS
from sgaudit.errors import ImportError_, Problem, SgauditError
from sgaudit.limits import MAX_PEOPLE
from sgaudit.store.audits import audit_question_set
from sgaudit.store.changes import log_change
from sgaudit.store.models import Audit, FieldworkPlan
from sgaudit.store.scope import check
from sgaudit.vocab import TIERS

if TYPE_CHECKING:  # pandas only when the plan is read: `repo` stays light for the CLI
    import pandas as pd

PLAN_COLUMNS = ("tier", "service_area", "people")


class PlanChange(NamedTuple):
    """One cell a plan change moved: its head count before and after (0: not planned)."""

    tier: str
    service_area: str
    old: int
    new: int


def planned_people(session: Session, audit: Audit) -> pd.DataFrame:
    """The audit's plan: tier, service_area, people (planned cells only)."""
    import pandas as pd

    check(session, READ_ANSWERS, audit)
    rows = session.execute(
        select(FieldworkPlan.tier, FieldworkPlan.service_area, FieldworkPlan.people).where(
            FieldworkPlan.audit_id == audit.id
        )
    ).all()
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS)).astype({"people": "int64"})


def plan_problem(audit: Audit, tier: str, service_area: str, people: object) -> str | None:
    """Why a planned cell cannot be stored (None when it can): names the field at fault."""
    asked = [t for t in TIERS if audit_question_set(audit).questions_for_tier(t)]
    if tier not in asked:
        return f"tier '{tier}' is not one this audit asks (one of {', '.join(asked)})"
    areas = audit.organisation.area_names
    if service_area not in areas:
        return (
            f"service area '{service_area}' is not one of the organisation's ({', '.join(areas)})"
        )
    if isinstance(people, bool) or not isinstance(people, int):
        return f"people must be a whole number, not '{people}'"
    if not 0 <= people <= MAX_PEOPLE:
        return f"people must be between 0 and {MAX_PEOPLE}, not {people}"
    return None


def _put(session: Session, audit: Audit, tier: str, area: str, people: int, actor: str) -> bool:
    """Store one cell (0 removes it); whether anything changed."""
    row = session.scalar(
        select(FieldworkPlan).where(
            FieldworkPlan.audit_id == audit.id,
            FieldworkPlan.tier == tier,
            FieldworkPlan.service_area == area,
        )
    )
    before = row.people if row is not None else 0
    if before == people:
        return False
    if people == 0:
        session.delete(row)
    elif row is None:
        session.add(
            FieldworkPlan(
                audit_id=audit.id, tier=tier, service_area=area, people=people, updated_by=actor
            )
        )
    else:
        row.people, row.updated_by = people, actor
    log_change(
        session,
        "plan",
        "fieldwork_plan",
        f"{tier}/{area}",
        actor=actor,
        audit_id=audit.id,
        detail={"tier": tier, "service_area": area, "people": people},
        old={"people": before},
        new={"people": people},
    )
    return True


def set_planned(
    session: Session, audit: Audit, tier: str, service_area: str, people: int, *, actor: str = ""
) -> bool:
    """Plan to hear `people` in one tier x service area (0 clears the cell).

    Written with the caller's transaction; returns whether the plan changed.
    """
    check(session, CAPTURE, audit)
    problem = plan_problem(audit, tier, service_area, people)
    if problem:
        raise SgauditError(problem)
    return _put(session, audit, tier, service_area, people, actor)


def set_plan(
    session: Session, audit: Audit, cells: Iterable[tuple[str, str, int]], *, actor: str = ""
) -> int:
    """Set several cells at once, all or nothing; returns how many changed.

    Cells left out keep their plan. A refused cell refuses them all, naming each.
    """
    return len(revise_plan(session, audit, cells, actor=actor))


def revise_plan(
    session: Session, audit: Audit, cells: Iterable[tuple[str, str, int]], *, actor: str = ""
) -> list[PlanChange]:
    """As `set_plan`, returning each cell that changed with its old and new head count
    (in the order given; a cell that already had that number is not in it), so the
    caller can say exactly what a save did."""
    check(session, CAPTURE, audit)
    cells = list(cells)
    problems = [
        f"{tier} x {area}: {p}"
        for tier, area, people in cells
        if (p := plan_problem(audit, tier, area, people))
    ]
    if problems:
        raise SgauditError("; ".join(problems))
    return _put_many(session, audit, cells, actor)


def _put_many(
    session: Session,
    audit: Audit,
    cells: list[tuple[str, str, int]],
    actor: str,
    source: str = "",
) -> list[PlanChange]:
    """Store several checked cells in one statement per kind of write (new, changed,
    cleared) and one change-log line for them all; returns the cells that changed."""
    from sqlalchemy import bindparam, delete, insert, update

    from sgaudit.store.locks import ensure_writable
    from sgaudit.store.models import utcnow

    stored = {
        (tier, area): (row_id, people)
        for row_id, tier, area, people in session.execute(
            select(
                FieldworkPlan.id,
                FieldworkPlan.tier,
                FieldworkPlan.service_area,
                FieldworkPlan.people,
            ).where(FieldworkPlan.audit_id == audit.id)
        )
    }
    changes = {}  # (tier, area) -> (row id or None, old, new); the last of a repeated cell
    for tier, area, people in cells:
        row_id, before = stored.get((tier, area), (None, 0))
        changes[(tier, area)] = (row_id, before, people)
    changes = {k: v for k, v in changes.items() if v[1] != v[2]}
    if not changes:
        return []
    ensure_writable(session, audit.id, "the fieldwork plan")
    table, now = FieldworkPlan.__table__, utcnow()
    added = [
        {"audit_id": audit.id, "tier": t, "service_area": a, "people": n, "updated_by": actor,
         "updated_at": now}
        for (t, a), (row_id, _, n) in changes.items() if row_id is None
    ]  # fmt: skip
    changed = [
        {"row_id": row_id, "people": n, "updated_by": actor, "updated_at": now}
        for row_id, _, n in changes.values()
        if row_id is not None and n != 0
    ]
    cleared = [row_id for row_id, _, n in changes.values() if row_id is not None and n == 0]
    if added:
        session.execute(insert(table), added)
    if changed:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                people=bindparam("people"),
                updated_by=bindparam("updated_by"),
                updated_at=bindparam("updated_at"),
            ),
            changed,
        )
    if cleared:
        session.execute(delete(table).where(table.c.id.in_(cleared)))
    for obj in list(session.identity_map.values()):
        if isinstance(obj, FieldworkPlan) and obj.audit_id == audit.id:
            session.expire(obj)  # written around the ORM: read again when next used
    detail = {
        "cells": len(changes),
        "changes": [
            {"tier": t, "service_area": a, "old": before, "new": n}
            for (t, a), (_, before, n) in changes.items()
        ],
    }
    if source:
        detail["file"] = source
    log_change(
        session,
        "plan",
        "fieldwork_plan",
        f"{len(changes)} cells",
        actor=actor,
        audit_id=audit.id,
        detail=detail,
        old={f"{t}/{a}": before for (t, a), (_, before, _) in changes.items()},
        new={f"{t}/{a}": n for (t, a), (_, _, n) in changes.items()},
    )
    return [PlanChange(t, a, before, n) for (t, a), (_, before, n) in changes.items()]


def _problem_column(problem: str) -> str:
    if problem.startswith("tier"):
        return "tier"
    return "service_area" if problem.startswith("service area") else "people"


def read_plan_csv(audit: Audit, text: str, name: str) -> list[tuple[str, str, int]]:
    """The cells of a plan file: a CSV with the columns tier, service_area, people.

    Every problem is collected (file, row and column named) and raised together as
    ImportError_, so nothing is set from a file with any mistake in it.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip() for h in reader.fieldnames or []]
    missing = [c for c in PLAN_COLUMNS if c not in header]
    if missing:
        raise ImportError_(
            [
                Problem(name, 1, c, "column missing (the file needs tier, service_area, people)")
                for c in missing
            ]  # fmt: skip
        )
    cells: list[tuple[str, str, int]] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        row_number = reader.line_num  # the file's own line (a blank one is skipped)
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        tier, area, people = row["tier"], row["service_area"], row["people"]
        try:
            count = int(people)
        except ValueError:
            problems.append(
                Problem(name, row_number, "people", f"'{people}' is not a whole number")
            )
            continue
        if (problem := plan_problem(audit, tier, area, count)) is not None:
            problems.append(Problem(name, row_number, _problem_column(problem), problem))
            continue
        if (tier, area) in seen:
            problems.append(
                Problem(
                    name,
                    row_number,
                    "service_area",
                    f"{tier} x {area} is already planned on row {seen[(tier, area)]}",
                )  # fmt: skip
            )
            continue
        seen[(tier, area)] = row_number
        cells.append((tier, area, count))
    if problems:
        raise ImportError_(problems)
    return cells


def import_plan(session: Session, audit: Audit, text: str, name: str, *, actor: str = "") -> int:
    """Set the cells a plan CSV lists, all or nothing; returns how many changed.

    Cells the file leaves out keep their plan; a cell planned at 0 is cleared.
    """
    check(session, CAPTURE, audit)
    cells = read_plan_csv(audit, text, name)
    return len(_put_many(session, audit, cells, actor, source=name))
