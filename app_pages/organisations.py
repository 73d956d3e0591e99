"""Organisations & audits: set up who is audited and the audits, re-audits, demo data."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _audit_form, _shared, _tables
from sgaudit.demo import build_demo
from sgaudit.errors import SgauditError
from sgaudit.store import repo

CLEAR_FORMS = _audit_form.CLEAR_FORMS  # widget keys to empty at the start of the next run


def _details(audit, fieldwork, answers: int) -> str:
    """The chosen audit in full, under the table: what its columns leave out."""
    words = _shared.literal
    dates = " to ".join(f"{d:%d/%m/%Y}" for d in (audit.start_date, audit.end_date) if d)
    auditors = " & ".join(n for n in (audit.auditor_1, audit.auditor_2) if n) or "-"
    parts = [
        f"**#{audit.id} {words(audit.title)}**"
        + (f", re-audit of #{audit.previous_audit_id}" if audit.previous_audit_id else "")
        + (f", {dates}" if dates else ""),
        f"{words(fieldwork.records_summary())}; {answers:,} answers",
        f"Auditors: {words(auditors)}",
        f"Question set: {words(audit.question_set_id)} v{audit.question_set_version}",
    ]
    return ".  \n".join(parts) + "."


st.title("Organisations & audits")
_shared.show_flash()

with _shared.db() as session:
    orgs = repo.list_organisations(session)
    org_areas = {o.id: o.area_names for o in orgs}
    org_names = {o.id: o.name for o in orgs}
    audits = repo.list_audits(session)
    # Counted as the Dashboard, the Interview page and the report count (`sgaudit.fieldwork`).
    fieldwork = repo.audits_fieldwork(session, audits)
    answers = repo.audits_counts(session, audits)
    # What tells one audit from another first; the rest is said of the chosen audit below,
    # so no column is cut off on a laptop screen.
    audit_rows = [
        {
            "id": a.id,
            "title": a.title,
            "organisation": a.organisation.name,
            "status": a.status.replace("_", " "),
            "start": a.start_date,
            "sessions": fieldwork[a.id].sessions,
            "people heard": fieldwork[a.id].people,
        }
        for a in reversed(audits)
    ]
    audit_details = {a.id: _details(a, fieldwork[a.id], answers[a.id]["answers"]) for a in audits}
    audit_info = {
        a.id: {
            "org": a.organisation_id,
            "title": a.title,
            "auditor_1": a.auditor_1,
            "auditor_2": a.auditor_2,
            "scope": a.scope,
            "label": _audit_choice.audit_label(a),
        }
        for a in audits
    }


def _load_demo() -> None:
    with st.spinner("Building the demo organisation, its baseline audit and re-audit…"):
        try:
            with _shared.db() as session:
                demo = build_demo(session)
        except SgauditError as exc:
            _shared.show_error(exc)
            return
    _audit_choice.set_current_audit(demo.reaudit_audit_id)
    _shared.flash(
        f"Demo data loaded: {_shared.literal(demo.org)}, a baseline audit and a "
        "re-audit a year later (chosen in the sidebar)."
    )
    st.rerun()


if not orgs:
    with st.container(border=True):
        st.markdown(
            "**The database is empty.** Load the demo organisation to see every feature at "
            "once (a baseline audit and a re-audit a year later), or create your own "
            "organisation below."
        )
        if st.button("Load demo data", type="primary", icon=":material/auto_awesome:"):
            _load_demo()


def _open_selected() -> None:
    rows = st.session_state["audits_table"].selection.rows
    if rows:
        _audit_choice.set_current_audit(audit_rows[rows[0]]["id"])


if audit_rows:
    st.header("Audits")  # h2 under the page title: headings in order
    st.dataframe(
        pd.DataFrame(audit_rows),
        hide_index=True,
        width="stretch",
        key="audits_table",
        on_select=_open_selected,
        selection_mode="single-row",
        height=_tables.table_height(len(audit_rows)),
        column_config={
            "id": st.column_config.NumberColumn("#", width=40),
            "start": st.column_config.DateColumn("start", format="DD/MM/YYYY"),
            "sessions": st.column_config.NumberColumn(
                "sessions",
                help="Interviews, focus groups, surveys and document reviews with answers "
                "(the self-assessment is not one: it is kept out of every score)",
            ),
            "people heard": st.column_config.NumberColumn(
                "people heard",
                help="Everyone in the interviews, focus groups and surveys; a document "
                "review hears nobody",
            ),
        },
    )
    st.caption("Click a row (or use the sidebar) to choose the audit every page works on.")
    chosen_id = _audit_choice.current_audit_id()
    if chosen_id in audit_details:
        st.markdown(audit_details[chosen_id])

if not _audit_choice.may_set_up():
    # An auditor or a viewer chooses an audit here; creating, re-auditing and erasing are
    # for admins and lead auditors (the store refuses them anyway: this keeps the page
    # from offering forms that can only fail).
    st.caption("Setting up organisations and audits is for admins and lead auditors.")
    st.stop()

if CLEAR_FORMS in st.session_state:
    # A form saved in the previous run starts empty, so a second click cannot make a copy.
    for key in st.session_state.pop(CLEAR_FORMS):
        st.session_state.pop(key, None)

TABS = ["New audit", "Re-audit", "New organisation", "Service areas", "Erase"]
if "sg_next_tab" in st.session_state:
    # Set by the previous action (e.g. an organisation created: its audit comes next).
    st.session_state["org_tabs"] = st.session_state.pop("sg_next_tab")
new_audit_tab, reaudit_tab, org_tab, areas_tab, erase_tab = st.tabs(
    TABS,
    default="New audit" if orgs else "New organisation",
    key="org_tabs",
    on_change="rerun",
)

# ---- a new organisation ---------------------------------------------------------------
with org_tab:
    # Kept when a save fails (nothing typed is lost); emptied once the organisation exists.
    with st.form("new_org", enter_to_submit=False):
        name = st.text_input("Organisation name", key="org_name")
        areas_text = st.text_area(
            "Service areas (one per line)",
            key="org_areas",
            placeholder="Children's services\nAdult social care\nHousing support",
            help="Sites, teams or services the audit compares. At least one. A name may "
            "contain commas.",
        )
        if st.form_submit_button("Create organisation", type="primary"):
            try:
                with _shared.db() as session:
                    org = repo.create_organisation(
                        session, name, areas_text.splitlines(), actor=_audit_choice.actor()
                    )
                    org_id = org.id
                    created = (
                        f"Organisation '{_shared.literal(org.name)}' created with "
                        f"{len(org.service_areas)} service areas."
                    )
            except SgauditError as exc:
                _shared.show_error(exc)
            else:
                _shared.flash(created + " Now create its audit.")
                st.session_state[CLEAR_FORMS] = ["org_name", "org_areas"]
                st.session_state["sg_next_tab"] = "New audit"
                st.session_state["new_audit_org"] = org_id
                st.rerun()


# ---- a new audit ------------------------------------------------------------------------
with new_audit_tab:
    if not orgs:
        st.info("Create the organisation first (tab **New organisation**).")
    else:
        with st.form("new_audit", enter_to_submit=False):
            if st.session_state.get("new_audit_org") not in org_names:
                st.session_state["new_audit_org"] = next(iter(org_names))
            org_id = st.selectbox(
                "Organisation", list(org_names), format_func=org_names.get, key="new_audit_org"
            )
            fields = _audit_form.audit_fields("new", {})
            if st.form_submit_button("Create audit", type="primary"):
                _audit_form.create_audit(org_id, fields, "new", audit_info)

# ---- a re-audit ---------------------------------------------------------------------------
with reaudit_tab:
    if not audits:
        st.info("A re-audit follows an earlier audit of the same organisation; there is none yet.")
    else:
        st.caption(
            "A re-audit of the same organisation and service areas. The previous audit's "
            "recommendations are carried over so you can record how each was followed up, "
            "and the Compare page shows what changed."
        )
        ids = list(reversed(list(audit_info)))
        previous_id = st.selectbox(
            "Previous audit", ids, format_func=lambda i: audit_info[i]["label"], key="re_prev"
        )
        prev = audit_info[previous_id]
        with st.form(f"reaudit_{previous_id}", enter_to_submit=False):
            fields = _audit_form.audit_fields(
                f"re{previous_id}",
                {
                    "title": f"{prev['title']} - re-audit {date.today().year}",
                    "auditor_1": prev["auditor_1"],
                    "auditor_2": prev["auditor_2"],
                    "scope": prev["scope"],
                },
            )
            if st.form_submit_button("Create re-audit", type="primary"):
                _audit_form.create_audit(
                    prev["org"], fields, f"re{previous_id}", audit_info, previous_id
                )

# ---- service areas ------------------------------------------------------------------------
with areas_tab:
    if not orgs:
        st.info("No organisations yet.")
    else:
        for org_id, areas in org_areas.items():
            st.markdown(
                f"**{_shared.literal(org_names[org_id])}**: " + _shared.literal(", ".join(areas))
            )
        with st.form("add_areas", enter_to_submit=False):
            org_id = st.selectbox(
                "Organisation", list(org_names), format_func=org_names.get, key="areas_org"
            )
            more = st.text_area("Service areas to add (one per line)", key="areas_more")
            if st.form_submit_button("Add service areas"):
                try:
                    with _shared.db() as session:
                        repo.add_service_areas(
                            session, repo.get_organisation(session, org_id), more.splitlines()
                        )
                except SgauditError as exc:
                    _shared.show_error(exc)
                else:
                    st.session_state[CLEAR_FORMS] = ["areas_more"]
                    _shared.flash("Service areas added.")
                    st.rerun()


# ---- erasing ---------------------------------------------------------------------------
def _erase_audit(audit_id: int) -> None:
    with _shared.db() as session:
        counts = repo.erase_audit(
            session, repo.get_audit(session, audit_id), actor=_audit_choice.actor()
        )
    # The sidebar forgets an audit that no longer exists.
    _shared.flash(
        f"Audit #{audit_id} erased: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + "."
    )


def _erase_org(org_id: int) -> None:
    with _shared.db() as session:
        org = repo.get_organisation(session, org_id)
        name = org.name
        totals = repo.erase_organisation(session, org, actor=_audit_choice.actor())
    _shared.flash(
        f"Organisation '{_shared.literal(name)}' erased: "
        + ", ".join(f"{v} {k}" for k, v in totals.items())
        + "."
    )


with erase_tab:
    st.caption(
        "Erasing cannot be undone. The change log keeps who erased which record and when, "
        "never what it held."
    )
    if audits:
        with st.container(border=True):
            st.markdown(
                "**Erase an audit** with its interviews, answers, registers, "
                "findings and recommendations"
            )
            ids = list(reversed(list(audit_info)))
            chosen = st.selectbox(
                "Audit",
                ids,
                index=None,
                placeholder="Choose the audit",
                format_func=lambda i: audit_info[i]["label"],
                key="erase_audit_pick",
            )
            sure = st.checkbox(
                "Yes, erase this audit and everything recorded in it", key="erase_audit_sure"
            )
            st.button(
                "Erase the audit",
                type="primary",
                disabled=not (sure and chosen),
                on_click=_erase_audit,
                args=(chosen,),
                icon=":material/delete_forever:",
                key="erase_audit",
            )
    if orgs:
        with st.container(border=True):
            st.markdown("**Erase an organisation** with its service areas and all its audits")
            org_pick = st.selectbox(
                "Organisation",
                list(org_names),
                index=None,
                placeholder="Choose the organisation",
                format_func=org_names.get,
                key="erase_org_pick",
            )
            sure = st.checkbox(
                "Yes, erase this organisation and all its audits", key="erase_org_sure"
            )
            st.button(
                "Erase the organisation",
                type="primary",
                disabled=not (sure and org_pick),
                on_click=_erase_org,
                args=(org_pick,),
                icon=":material/delete_forever:",
                key="erase_org",
            )
    if not orgs:
        st.info("Nothing to erase.")
