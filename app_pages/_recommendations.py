"""The recommendations tables of the Findings page: one row per recommendation, saved
row by row through the store (`repo.save_recommendation`, `repo.review_recommendation`).

A row that cannot be saved is named with its number and nothing typed is dropped: the
table keeps it until it is fixed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared
from sgaudit.errors import SgauditError
from sgaudit.store import repo

# What the tables show and the auditors may change (the id and the finding are kept).
EDITABLE = (
    "theme", "text", "priority", "owner", "due date", "follow-up", "measure of success",
    "review", "evidence", "reviewed on",
)  # fmt: skip
COLUMNS = ["id", "finding_key", *EDITABLE]
# The carried-over table's columns, in order: the recommendation, then what its review
# needs (status, evidence, date), so those are on screen without scrolling; then the
# rest. The id, finding and follow-up are kept but not shown.
CARRIED_ORDER = (
    "text", "review", "evidence", "reviewed on", "due date", "owner", "priority",
    "measure of success", "theme",
)  # fmt: skip


def save_recommendations(audit_id: int, rows: pd.DataFrame, original: pd.DataFrame) -> None:
    """Save new and changed rows, delete removed ones; report rows that cannot be saved."""
    # A required field left empty is named and nothing is saved, so the table keeps
    # everything typed (a row without a theme used to vanish on save).
    missing = [
        f"row {n}: choose a theme for '{str(row.get('text') or '').strip()[:60]}'"
        for n, row in enumerate(rows.to_dict("records"), start=1)
        if str(row.get("text") or "").strip() and not row.get("theme")
    ]
    if missing:
        st.session_state["sg_rec_problems"] = missing
        return
    problems = []
    kept_ids = {int(i) for i in rows["id"].dropna()}
    with _shared.db() as session:
        audit_row = repo.get_audit(session, audit_id)
        for rec_id in set(original["id"].dropna().astype(int)) - kept_ids:
            repo.delete_recommendation(session, audit_row, rec_id, actor=_audit_choice.actor())
        before = {int(r["id"]): r for r in original.to_dict("records") if pd.notna(r["id"])}
        for n, row in enumerate(rows.to_dict("records"), start=1):
            rec_id = int(row["id"]) if pd.notna(row["id"]) else None
            if rec_id is not None and _same(before.get(rec_id), row):
                continue
            if not str(row.get("text") or "").strip():
                if rec_id is None:
                    continue  # an empty new row: nothing to save
                problems.append(f"row {n}: a recommendation needs some text")
                continue
            due = row.get("due date")
            try:
                repo.save_recommendation(
                    session,
                    audit_row,
                    theme=row.get("theme") or "",
                    text=str(row["text"]),
                    priority=row.get("priority") or "medium",
                    owner=str(row.get("owner") or ""),
                    due_date=None if due is None or pd.isna(due) else pd.Timestamp(due).date(),
                    follow_up=str(row.get("follow-up") or ""),
                    finding_key=row.get("finding_key") or None,
                    recommendation_id=rec_id,
                    actor=_audit_choice.actor(),
                    measure=str(row.get("measure of success") or ""),
                )
                status = row.get("review") or ""
                if rec_id is not None and status:
                    reviewed = row.get("reviewed on")
                    repo.review_recommendation(
                        session, audit_row, rec_id, status=status,
                        evidence=str(row.get("evidence") or ""),
                        reviewed_on=None if reviewed is None or pd.isna(reviewed)
                        else pd.Timestamp(reviewed).date(),
                        actor=_audit_choice.actor(),
                    )  # fmt: skip
            except SgauditError as exc:
                session.rollback()
                problems.append(f"row {n}: {exc}")
    if problems:
        st.session_state["sg_rec_problems"] = problems
    else:
        _shared.flash("Recommendations saved.")


def _same(old: dict | None, new: dict) -> bool:
    if old is None:
        return False
    for k in EDITABLE:
        a, b = old.get(k), new.get(k)
        if (a is None or (not isinstance(a, str) and pd.isna(a))) and (
            b is None or (not isinstance(b, str) and pd.isna(b))
        ):
            continue
        if a != b:
            return False
    return True


def rec_frame(recs) -> pd.DataFrame:
    """The recommendations as the page's tables edit them, one row each."""
    return pd.DataFrame(
        [
            {
                "id": r.id,
                "theme": r.theme,
                "text": r.text,
                "priority": r.priority,
                "owner": r.owner,
                "due date": r.due_date,
                "follow-up": r.follow_up,
                "finding_key": r.finding_key,
                "measure of success": r.measure,
                "review": r.review_status or None,
                "evidence": r.review_evidence,
                "reviewed on": r.reviewed_on,
            }
            for r in recs
        ],
        columns=COLUMNS,
    )
