"""Interview: capture one conversation live. Every change is saved the moment it is made.

Three parts, one module each: the list of interviews (start, resume, import a file:
`_interview_list`), this page's header with consent and the interview's details, and
the question capture (`_capture`: fragments that save each answer as it changes).
"""

from __future__ import annotations

import streamlit as st

from app_pages import _audit_choice, _capture, _shared
from app_pages._fieldwork import coverage_box, sheet_box
from app_pages._interview_details import clear_box, correct_box, erase_box, withdrawn_notice
from app_pages._interview_list import choose_interview, import_sheet
from app_pages._live import live_fieldwork
from sgaudit.store import capture, repo


def set_consent(interview_id: int) -> None:
    with _shared.db() as session:
        capture.confirm_consent(
            session,
            repo.get_interview(session, interview_id),
            bool(st.session_state[f"consent:{interview_id}"]),
            actor=_audit_choice.actor(),
        )


def set_completed(interview_id: int, completed: bool) -> None:
    with _shared.db() as session:
        interview = repo.get_interview(session, interview_id)
        repo.set_interview_completed(session, interview, completed, actor=_audit_choice.actor())
        code = interview.code
    if completed:
        _audit_choice.set_current_interview(None)
        _shared.flash(f"Interview **{code}** marked complete. Start the next one below.")
    st.rerun()  # the whole page: see `back_to_list`


def back_to_list() -> None:
    """Leave the interview for the list. The whole page reruns, asked for explicitly: a
    note still in its box is sent by the same click, and its own callback redraws only
    its question, which would otherwise stand in for the page's rerun (the click then
    seemed to do nothing)."""
    _audit_choice.set_current_interview(None)
    st.rerun()


# ---- the page ---------------------------------------------------------------------------
audit_id = _audit_choice.require_audit("Interview")
_shared.show_flash()

interview_id = _audit_choice.current_interview_id()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    question_set = repo.audit_question_set(audit)
    areas = audit.organisation.area_names
    audit_auditors = [n for n in (audit.auditor_1, audit.auditor_2) if n]
    # While capturing, only the one interview is read: this runs on every full rerun.
    summaries = capture.interview_summaries(session, audit, interview_id)
    if interview_id is not None and not summaries:
        # A stale link, or an interview of another audit: back to the list.
        _audit_choice.set_current_interview(None)
        interview_id = None
    if interview_id is None:
        summaries = capture.interview_summaries(session, audit)
        fieldwork = repo.audit_fieldwork(session, audit)
by_id = {s.id: s for s in summaries}
_audit_choice.sync_url(with_interview=True)

if interview_id is None:
    st.title("Interview")
    choose_interview(audit_id, question_set, areas, audit_auditors, summaries, fieldwork)
    live_fieldwork(audit_id)  # the other auditor's interviews appear as they are captured
    coverage_box(audit_id, question_set)
    sheet_box(audit_id, question_set)
    with st.expander(
        "Import answers from a file (paper forms, survey exports)", icon=":material/upload_file:"
    ):
        import_sheet(audit_id, areas)
    st.stop()

summary = by_id[interview_id]
tier = summary.tier
head, actions = st.columns([3, 2], vertical_alignment="center")
with head:
    st.markdown(
        f"## Interview {summary.code}  \n"
        f"{_shared.tier_label(tier)} · {summary.service_area} · "
        f"{_shared.mode_label(summary.mode)}"
        + (f" ({summary.people} people)" if summary.mode == "focus_group" else "")
        + (f" · {summary.auditor}" if summary.auditor else "")
        + (f" · {summary.held_on:%d/%m/%Y}" if summary.held_on else "")
    )
with actions, st.container(horizontal=True, horizontal_alignment="right"):
    st.button(
        "All interviews",
        icon=":material/list:",
        on_click=back_to_list,
    )
    if summary.completed:
        st.button("Reopen", on_click=set_completed, args=(interview_id, False))
    else:
        st.button(
            "Mark complete",
            type="primary",
            icon=":material/task_alt:",
            on_click=set_completed,
            args=(interview_id, True),
        )
if summary.completed:
    st.info("This interview is marked complete. You can still correct answers; they save as usual.")

st.checkbox(
    "Consent given: everyone taking part knows what the audit is for and agreed to take part",
    value=summary.consent_confirmed,
    key=f"consent:{interview_id}",
    on_change=set_consent,
    args=(interview_id,),
)
if summary.consent_withdrawn:
    withdrawn_notice(summary)
    st.stop()
if not summary.consent_confirmed:
    st.warning("Confirm consent to show the questions.")
    erase_box(summary)
    st.stop()

ctx = _capture.Capture(interview_id, tier, question_set, completed=summary.completed)
_capture.capture_head(ctx)
_capture.capture_body(ctx)
st.divider()
correct_box(summary, areas, question_set)
clear_box(summary)
erase_box(summary)
