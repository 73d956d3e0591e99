"""The chosen audit and interview, and the auditor working: the sidebar's picker.

The chosen audit and interview live in `st.session_state` and in the URL's query
parameters (`?audit=3&interview=12`), so a reload, or a link sent to the second
auditor, opens the same audit and interview. "Working as" is the audit's auditor this
account may act as; the store checks it again on each step and writes it to the trail.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from sgaudit.access.policy import CAPTURE, acting_names, can
from sgaudit.store import repo

AUDIT = "audit"  # query parameter and session_state key of the chosen audit
INTERVIEW = "interview"  # ... of the interview being captured
DEFAULTED = "sg_audit_defaulted"  # the newest audit was offered once this session
ACTOR = "sg_actor"  # the auditor using this browser, written to the audit trail
PICKER = "sg_audit_picker"  # the sidebar's audit box; its key ends with the chosen audit


def _int_param(name: str) -> int | None:
    value = st.query_params.get(name)
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _sync_param(name: str, value: int | None) -> None:
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def current_audit_id() -> int | None:
    if AUDIT not in st.session_state:
        st.session_state[AUDIT] = _int_param(AUDIT)
    return st.session_state[AUDIT]


def current_interview_id() -> int | None:
    if INTERVIEW not in st.session_state:
        st.session_state[INTERVIEW] = _int_param(INTERVIEW)
    return st.session_state[INTERVIEW]


def set_current_audit(audit_id: int | None) -> None:
    if st.session_state.get(AUDIT) != audit_id:
        st.session_state[INTERVIEW] = None
    st.session_state[AUDIT] = audit_id


def set_current_interview(interview_id: int | None) -> None:
    st.session_state[INTERVIEW] = interview_id


def sync_url(*, with_interview: bool = False) -> None:
    """Write the chosen audit (and, on the Interview page, interview) into the URL.

    Called once per run: by the router for every page but Interview, which calls it
    itself once it knows the interview is valid.
    """
    _sync_param(AUDIT, current_audit_id())
    _sync_param(INTERVIEW, current_interview_id() if with_interview else None)


def actor() -> str:
    return st.session_state.get(ACTOR) or ""


def _signed_in():
    from app_pages._account import current_principal

    return current_principal()


def audit_label(audit) -> str:
    """An audit as a picker offers it. What tells a baseline from its re-audit comes
    first (when it started, its title), the organisation they share last: a picker as
    narrow as the sidebar's shows only the start of the label."""
    when = f"{audit.start_date:%b %Y} · " if audit.start_date else ""
    return f"{when}{audit.title} · {audit.organisation.name} (#{audit.id})"


def audit_picker() -> None:
    """The sidebar's audit chooser and 'working as' auditor, shown on every page."""
    with _shared.db() as session:
        audits = repo.list_audits(session)
        labels = {a.id: audit_label(a) for a in audits}
        principal = _signed_in()
        # only the auditors this account may work as (a lead auditor the first, an
        # auditor the second; an admin either), checked again by the store on each step
        auditors = {a.id: list(acting_names(principal, a)) for a in audits}
        # a trustee or analyst reads only: no one to work as
        writes = {a.id: can(principal, CAPTURE, a) for a in audits}
    chosen = current_audit_id()
    if chosen is not None and chosen not in labels:
        # A stale link, or a database that was replaced: forget the choice.
        set_current_audit(None)
        chosen = None
    if not audits:
        st.caption("No audits yet.")
        return
    ids = list(reversed(list(labels)))  # newest first
    if chosen is None and not st.session_state.get(DEFAULTED):
        # A new browser session opens on the newest audit rather than an empty page;
        # clearing the picker afterwards is respected for the rest of the session.
        chosen = ids[0]
        set_current_audit(chosen)
    st.session_state[DEFAULTED] = True
    # The picker's own default is the chosen audit, under a key that names it. A choice
    # made elsewhere (a new audit, a link, the newest offered) is then a new widget that
    # the browser builds already showing it. Set through session_state instead, the choice
    # reached the browser only with the run that set it: a click made before that run had
    # drawn (a page link, then a tab) sent back the empty box, and the audit was lost.
    key = f"{PICKER}_{chosen}"
    st.selectbox(
        "Audit",
        ids,
        index=ids.index(chosen) if chosen is not None else None,
        format_func=labels.__getitem__,
        placeholder="Choose an audit",
        key=key,
        on_change=lambda: set_current_audit(st.session_state[key]),
    )
    if chosen is not None:
        # The whole label, wrapped, under the picker: what its box may cut off.
        st.caption(_shared.literal(labels[chosen]))
    names = auditors.get(chosen) or []
    if len(names) > 1:
        if st.session_state.get(ACTOR) not in names:
            st.session_state[ACTOR] = names[0]
        # As the audit box: drawn already showing who is working, under a key naming it,
        # so the radio never shows nobody while the store writes a name to the trail.
        working = names.index(st.session_state[ACTOR])
        radio = f"{ACTOR}_{chosen}_{working}"
        st.radio(
            "Working as",
            names,
            index=working,
            key=radio,
            horizontal=True,
            on_change=lambda: st.session_state.__setitem__(ACTOR, st.session_state[radio]),
        )
    elif names:
        st.session_state[ACTOR] = names[0]
        st.caption(f"Working as **{_shared.literal(names[0])}**")
    elif writes.get(chosen):
        # Not one of this audit's two auditors: whatever they may do is in their own name.
        st.session_state[ACTOR] = principal.name
        st.caption(
            f"Working as **{_shared.literal(principal.name)}**, not one of this audit's auditors: "
            "review, second scoring and moderation are theirs."
        )


class _Org:
    """An organisation as the access check sees it (its id)."""

    def __init__(self, organisation_id: int):
        self.id = organisation_id


def require_audit(title: str | None = None):
    """The chosen audit's id, or a pointer to where to choose one (and stop the page).

    `title` is written first when the page has not written its own title yet.
    """
    audit_id = current_audit_id()
    if audit_id is None:
        if title:
            st.title(title)
        from app_pages._account import current_principal

        principal = current_principal()
        if may_set_up():
            st.info("Choose an audit in the sidebar, or create one on **Organisations & audits**.")
            st.page_link(
                str(_shared.PAGES_DIR / "organisations.py"),
                label="Organisations & audits",
                icon=":material/apartment:",
            )
        elif principal.grants:
            # Organisation viewers see an audit only once it is final.
            st.info("Choose an audit in the sidebar. Audits appear here once they are final.")
        st.stop()
    return audit_id


def may_set_up() -> bool:
    """Whether the signed-in person may create audits (an admin, or a lead auditor)."""
    from app_pages._account import current_principal
    from sgaudit.access import can
    from sgaudit.access.policy import CREATE_AUDIT

    principal = current_principal()
    return principal.is_admin or any(
        can(principal, CREATE_AUDIT, _Org(g.organisation_id)) for g in principal.grants
    )
