"""The sgaudit auditor app: `streamlit run audit_app.py` (see docs/app.md).

One router over the pages in app_pages/ (one module per page). The pages are a thin
shell over the sgaudit library, which never imports streamlit. Nobody sees a page
before signing in; each person is offered the pages of their roles, and every read
a page makes is checked again by the store (hiding a page is not the protection).
"""

from __future__ import annotations

import streamlit as st

from app_pages import _account, _audit_choice, _shared, _warmup
from sgaudit.access import AccessDenied
from sgaudit.access.policy import (
    ADMIN,
    AUDITOR,
    LEAD_AUDITOR,
    ORGANISATION_VIEWER,
    PARTNERSHIP_ANALYST,
)

AUDITORS = {ADMIN, LEAD_AUDITOR, AUDITOR}
READERS = AUDITORS | {ORGANISATION_VIEWER}
# Reads the trail records when a page is opened on an audit.
RECORDED_READS = {
    "Dashboard": "view_dashboard",
    "Findings & recommendations": "view_findings",
    "Interview": "view_interviews",
}


def page_table():
    """(the Interview page, [(section, page, roles offered it)]): the first page a person
    may open is their default."""
    interview = st.Page(
        "app_pages/interview.py", title="Interview", icon=":material/record_voice_over:"
    )
    table = [
        (
            "Set up",
            st.Page(
                "app_pages/organisations.py",
                title="Organisations & audits",
                icon=":material/apartment:",
            ),
            AUDITORS,
        ),
        (
            "Set up",
            st.Page(
                "app_pages/questionnaires.py", title="Questionnaires", icon=":material/menu_book:"
            ),
            AUDITORS,
        ),
        (
            "Set up",
            st.Page(
                "app_pages/accounts.py", title="Accounts & roles", icon=":material/manage_accounts:"
            ),
            {ADMIN},
        ),
        ("Fieldwork", interview, AUDITORS),
        (
            "Fieldwork",
            st.Page("app_pages/registers.py", title="Registers", icon=":material/folder_open:"),
            AUDITORS,
        ),
        (
            "Fieldwork",
            st.Page("app_pages/double_scoring.py", title="Double scoring", icon=":material/group:"),
            AUDITORS,
        ),
        (
            "Analysis",
            st.Page("app_pages/dashboard.py", title="Dashboard", icon=":material/monitoring:"),
            READERS,
        ),
        (
            "Analysis",
            st.Page(
                "app_pages/findings.py",
                title="Findings & recommendations",
                icon=":material/fact_check:",
            ),
            AUDITORS,
        ),
        (
            "Analysis",
            st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
            AUDITORS,
        ),
        (
            "Analysis",
            st.Page("app_pages/report.py", title="Report", icon=":material/description:"),
            READERS,
        ),
        (
            "Analysis",
            st.Page("app_pages/review.py", title="Review & sign-off", icon=":material/approval:"),
            AUDITORS,
        ),
        (
            "Analysis",
            st.Page("app_pages/history.py", title="Audit history", icon=":material/history:"),
            {ADMIN, LEAD_AUDITOR},
        ),
        (
            "Partnership",
            st.Page("app_pages/partnership.py", title="Partnership roll-up", icon=":material/hub:"),
            {ADMIN, LEAD_AUDITOR, PARTNERSHIP_ANALYST},
        ),
    ]
    return interview, table


def main() -> None:
    # The server's first run (a sign-in form) starts the heavy one-time imports in the
    # background (plotly, the analysis, the report package), so no page's own run pays them.
    _warmup.start()
    st.set_page_config(
        page_title="sgaudit: safeguarding audit",
        page_icon="🛡️",  # an emoji is drawn in the browser; a :material: icon is fetched from Google
        layout="wide",
        initial_sidebar_state="expanded",
    )
    interview_page, table = page_table()
    # The set-up or sign-in form, and stop, until signed in. The pages are registered
    # (hidden) meanwhile, so the address asked for (page, audit, interview) is kept and
    # opens once signed in, after a reload too.
    principal = _account.gate([p for _, p, _ in table])
    roles = set(principal.roles)
    offered: dict[str, list] = {}
    for section, page_, offered_to in table:
        if roles & offered_to:
            offered.setdefault(section, []).append(page_)
    if not offered:
        offered = {
            "": [st.Page("app_pages/no_pages.py", title="sgaudit", icon=":material/shield:")]
        }

    # Every page listed: collapsed, the last three (from Review & sign-off) went behind
    # "View 3 more" once the partnership page made fourteen.
    page = st.navigation(offered, expanded=True)
    _shared.page_style()
    with st.sidebar:
        _account.account_box(principal)
        try:
            _audit_choice.audit_picker()
        except AccessDenied as exc:
            st.error(str(exc))
    if page.url_path != interview_page.url_path:
        _audit_choice.sync_url()  # the Interview page adds its interview to the URL itself
    try:
        read = RECORDED_READS.get(page.title)
        if read and _audit_choice.current_audit_id() is not None:
            _shared.record_read(read, _audit_choice.current_audit_id())
        page.run()
    except AccessDenied as exc:
        st.error(f"{exc}. Your roles do not give access to this.")


# Streamlit runs this file as `__main__`. A worker process the partnership roll-up spawns
# (sgaudit.store.roll_up) imports it as `__mp_main__`: it needs the library, not the app,
# and nobody is signed in there.
if __name__ == "__main__":
    main()
