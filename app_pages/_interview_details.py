"""The Interview page's record of the interview itself: consent, and erasing it.

Withdrawn consent takes the interview out of every analysis, report and export at
once (the store leaves it out); erasing it removes it and its answers for good, with
one line in the change log saying who erased which record and when, never what it held.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared
from sgaudit.store import capture, repo


def erase(interview_id: int) -> None:
    with _shared.db() as session:
        interview = repo.get_interview(session, interview_id)
        code = interview.code
        n = repo.erase_interview(session, interview, actor=_shared.actor())
    _shared.set_current_interview(None)
    _shared.flash(
        f"Interview **{code}** erased with its {n} answer(s). The change log records "
        "that it was erased, not what it held."
    )


def erase_box(summary: capture.InterviewSummary, *, expanded: bool = False) -> None:
    """Erase the interview and its answers, after a confirmation."""
    with st.expander(
        f"Erase interview {summary.code}", icon=":material/delete_forever:", expanded=expanded
    ):
        st.markdown(
            f"Erases this interview and all **{summary.answered}** answer(s) and notes of it. "
            "This cannot be undone."
        )
        sure = st.checkbox(
            f"Yes, erase interview {summary.code} and its answers", key=f"erase_sure:{summary.id}"
        )
        st.button(
            f"Erase interview {summary.code}",
            type="primary",
            disabled=not sure,
            icon=":material/delete_forever:",
            on_click=erase,
            args=(summary.id,),
            key=f"erase:{summary.id}",
        )


def withdrawn_notice(summary: capture.InterviewSummary) -> None:
    """What withdrawal did, and the offer to erase the answers now."""
    st.error(
        "**Consent withdrawn.** This interview is left out of every analysis, report and "
        "export. Its answers are still stored: erase them below, or tick consent again if "
        "it was withdrawn by mistake."
    )
    erase_box(summary, expanded=True)
