"""The audit set-up form of the Organisations & audits page: the fields a new audit and a
re-audit share, and creating the audit from them (refused without an auditor, or under a
title the organisation already has), which then becomes the chosen audit."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages import _audit_choice, _shared
from sgaudit import printed
from sgaudit.errors import SgauditError
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.vocab import SCOPES

CLEAR_FORMS = "sg_clear_forms"  # widget keys to empty at the start of the next run
SCOPE_LABELS = {"children": "Children", "adults": "Adults", "both": "Children and adults"}


def audit_fields(prefix: str, defaults: dict) -> dict:
    """The fields a new audit and a re-audit share (inside a form)."""
    title = st.text_input("Audit title", value=defaults.get("title", ""), key=f"{prefix}_title")
    c1, c2 = st.columns(2)
    start = c1.date_input(
        "Start date", value=date.today(), key=f"{prefix}_start", format="DD/MM/YYYY"
    )
    end = c2.date_input("End date", value=None, key=f"{prefix}_end", format="DD/MM/YYYY")
    a1 = c1.text_input("Lead auditor", value=defaults.get("auditor_1", ""), key=f"{prefix}_a1")
    a2 = c2.text_input("Second auditor", value=defaults.get("auditor_2", ""), key=f"{prefix}_a2")
    scope = st.radio(
        "Scope",
        SCOPES,
        index=SCOPES.index(defaults.get("scope", "both")),
        format_func=SCOPE_LABELS.get,
        horizontal=True,
        key=f"{prefix}_scope",
    )
    folder = st.text_input(
        "Question set folder (leave empty for the core question set)",
        key=f"{prefix}_qs",
        placeholder="e.g. /path/to/my_section11_set",
        help="A folder of question set YAML files (see the README, 'Question set format').",
    )
    return {
        "title": title,
        "start": start,
        "end": end,
        "a1": a1,
        "a2": a2,
        "scope": scope,
        "folder": folder.strip(),
    }


def create_audit(
    org_id: int, fields: dict, prefix: str, audits: dict[int, dict], previous_id: int | None = None
) -> None:
    """Create the audit (a re-audit of `previous_id`) from `fields`, choose it and rerun.

    `audits` are the page's audits by id (their organisation and title): a title the
    organisation already has is refused. The form's widgets (`prefix`) start empty next run.
    """
    if not (fields["a1"].strip() or fields["a2"].strip()):
        st.error(
            "An audit needs at least one auditor: fill in the lead auditor. Nothing was changed."
        )
        return
    same = [
        i
        for i, a in audits.items()
        if a["org"] == org_id and a["title"].strip() == fields["title"].strip()
    ]
    if same:
        st.error(
            f"This organisation already has an audit called "
            f"'{_shared.literal(fields['title'].strip())}' (#{same[0]}). Choose it in the "
            "sidebar, or give the new audit another title. Nothing was changed."
        )
        return
    try:
        question_set = load_question_set(fields["folder"] or None)
        with _shared.db() as session:
            org = repo.get_organisation(session, org_id)
            previous = repo.get_audit(session, previous_id) if previous_id else None
            audit = repo.create_audit(
                session,
                org,
                fields["title"],
                question_set,
                start_date=fields["start"],
                end_date=fields["end"],
                auditor_1=fields["a1"],
                auditor_2=fields["a2"],
                scope=fields["scope"],
                previous_audit=previous,
                actor=_audit_choice.actor(),
            )
            session.flush()
            audit_id, title = audit.id, audit.title
            carried = len(repo.list_recommendations(session, audit)) if previous else 0
    except SgauditError as exc:
        _shared.show_error(exc)
        return
    _audit_choice.set_current_audit(audit_id)
    st.session_state[CLEAR_FORMS] = [
        f"{prefix}_{f}" for f in ("title", "start", "end", "a1", "a2", "scope", "qs")
    ]
    message = f"Audit '{_shared.literal(title)}' created and chosen."
    if previous_id:
        message += f" {printed.count(carried, 'recommendation')} carried over from the previous audit for follow-up."
    _shared.flash(message + " Start capturing on the Interview page.")
    st.rerun()
