"""The sgaudit auditor app: `streamlit run audit_app.py` (see docs/app.md).

One router over the pages in app_pages/ (one module per page). The pages are a thin
shell over the sgaudit library, which never imports streamlit.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared

st.set_page_config(
    page_title="sgaudit: safeguarding audit",
    page_icon="🛡️",  # an emoji is drawn in the browser; a :material: icon is fetched from Google
    layout="wide",
    initial_sidebar_state="expanded",
)

INTERVIEW_PAGE = st.Page(
    "app_pages/interview.py", title="Interview", icon=":material/record_voice_over:"
)
PAGES = {
    "Set up": [
        st.Page("app_pages/organisations.py", title="Organisations & audits",
                icon=":material/apartment:", default=True),
        st.Page("app_pages/questionnaires.py", title="Questionnaires", icon=":material/menu_book:"),
    ],
    "Fieldwork": [
        INTERVIEW_PAGE,
        st.Page("app_pages/registers.py", title="Registers", icon=":material/folder_open:"),
        st.Page("app_pages/double_scoring.py", title="Double scoring", icon=":material/group:"),
    ],
    "Analysis": [
        st.Page("app_pages/dashboard.py", title="Dashboard", icon=":material/monitoring:"),
        st.Page("app_pages/findings.py", title="Findings & recommendations",
                icon=":material/fact_check:"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("app_pages/report.py", title="Report", icon=":material/description:"),
        st.Page("app_pages/review.py", title="Review & sign-off", icon=":material/approval:"),
    ],
}

page = st.navigation(PAGES)
_shared.page_style()
with st.sidebar:
    _shared.audit_picker()
if page.url_path != INTERVIEW_PAGE.url_path:
    _shared.sync_url()  # the Interview page adds its interview to the URL itself
page.run()
