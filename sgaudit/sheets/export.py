"""An audit's answers as a long answer sheet (CSV or XLSX) that `import` reads back.

Columns: the long import format with every optional column filled, so an export
imported into another audit of the same organisation recreates the same interviews
and answers. Text a spreadsheet would run is neutralised (see `sgaudit.safe_csv`)
and restored on import.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.sheets.layout import FIELDS
from sgaudit.sheets.writing import write_table
from sgaudit.store import repo
from sgaudit.store.erasure import counted
from sgaudit.store.models import Interview, Response

# The long import format, so an export imports again unchanged.
EXPORT_COLUMNS: tuple[str, ...] = FIELDS


def answers_frame(session: Session, audit_id: int | str) -> pd.DataFrame:
    """One row per answer in the long import format (all text)."""
    audit = repo.get_audit(session, audit_id)
    rows = session.execute(
        select(
            Interview.code,
            Interview.tier,
            Interview.service_area,
            Response.question_id,
            Response.answer,
            Response.note,
            Interview.held_on,
            Interview.auditor,
            Interview.mode,
            Response.quotable,
            Interview.people,
            Interview.consent_confirmed,
        )
        .join(Response, Response.interview_id == Interview.id)
        .where(Interview.audit_id == audit.id, counted())  # withdrawn consent: left out
        .order_by(Interview.id, Response.id)
    ).all()
    frame = pd.DataFrame(rows, columns=list(EXPORT_COLUMNS), dtype=object)
    frame["date"] = frame["date"].map(lambda d: d.isoformat() if d else "")
    frame["quotable"] = frame["quotable"].map(lambda q: "yes" if q else "no")
    frame["people"] = frame["people"].astype(str)
    # Consent as stored: yes, or blank where it was never recorded (such an interview
    # is refused if the sheet is imported into another audit; no answers are kept
    # without consent). Withdrawn consent is left out above.
    frame["consent"] = frame["consent"].map(lambda c: "yes" if c else "")
    return frame


def export_answers(session: Session, audit_id: int | str, path: str | Path) -> int:
    """Write the audit's answers to `path` (.csv or .xlsx); returns the answer count.

    Needs the `export` permission on the audit, and is recorded in the trail."""
    from sgaudit.store.trail import open_for

    open_for(session, "export", audit_id)
    frame = answers_frame(session, audit_id)
    write_table(frame, path)
    return len(frame)
