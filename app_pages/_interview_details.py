"""The Interview page's record of the interview itself: consent, correcting and erasing it.

Withdrawn consent takes the interview out of every analysis, report and export at
once (the store leaves it out); erasing it removes it and its answers for good, with
one line in the change log saying who erased which record and when, never what it held.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _audit_choice, _shared
from sgaudit import printed
from sgaudit.errors import SgauditError
from sgaudit.store import capture, repo
from sgaudit.vocab import CAPTURE_TIERS, MODES


def erase(interview_id: int) -> None:
    with _shared.db() as session:
        interview = repo.get_interview(session, interview_id)
        code = interview.code
        n = repo.erase_interview(session, interview, actor=_audit_choice.actor())
    _audit_choice.set_current_interview(None)
    _shared.flash(
        f"Interview **{code}** erased with its {printed.count(n, 'answer')}. The change log records "
        "that it was erased, not what it held."
    )


def erase_box(summary: capture.InterviewSummary, *, expanded: bool = False) -> None:
    """Erase the interview and its answers, after a confirmation."""
    with st.expander(
        f"Erase interview {summary.code}", icon=":material/delete_forever:", expanded=expanded
    ):
        st.markdown(
            f"Erases this interview and all **{summary.answered}** {'answer' if summary.answered == 1 else 'answers'} and notes of it. "
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


def _correct(interview_id: int, erase_outside: bool) -> None:
    state = st.session_state
    people = (
        state[f"fix_people:{interview_id}"]
        if state[f"fix_mode:{interview_id}"] == ("focus_group")
        else 1
    )
    try:
        with _shared.db() as session:
            interview = repo.get_interview(session, interview_id)
            erased = repo.correct_interview(
                session,
                interview,
                tier=state[f"fix_tier:{interview_id}"],
                service_area=state[f"fix_area:{interview_id}"],
                mode=state[f"fix_mode:{interview_id}"],
                held_on=state[f"fix_date:{interview_id}"],
                people=int(people),
                erase_answers_outside_tier=erase_outside,
                actor=_audit_choice.actor(),
            )
    except SgauditError as exc:
        state["sg_correct_error"] = str(exc)
        return
    state.pop("sg_correct_error", None)
    _shared.flash(
        "Interview corrected."
        + (
            f" {printed.count(len(erased), 'answer')} the new tier is not asked "
            f"{'was' if len(erased) == 1 else 'were'} erased."
            if erased
            else ""
        )
    )


def correct_box(summary: capture.InterviewSummary, areas: list[str], question_set) -> None:
    """Correct the interview's tier, service area, mode, date and group size."""
    iv = summary.id
    with st.expander("Correct this interview's details", icon=":material/edit:"):
        tiers = [t for t in CAPTURE_TIERS if question_set.questions_for_tier(t)]
        c1, c2 = st.columns(2)
        tier = c1.selectbox(
            "Tier",
            tiers,
            index=tiers.index(summary.tier) if summary.tier in tiers else 0,
            format_func=_shared.tier_label,
            key=f"fix_tier:{iv}",
        )
        c2.selectbox(
            "Service area",
            areas,
            index=areas.index(summary.service_area) if summary.service_area in areas else 0,
            key=f"fix_area:{iv}",
        )
        mode = c1.selectbox(
            "Mode",
            MODES,
            index=MODES.index(summary.mode),
            format_func=_shared.mode_label,
            key=f"fix_mode:{iv}",
        )
        c2.date_input("Held on", value=summary.held_on, format="DD/MM/YYYY", key=f"fix_date:{iv}")
        if mode == "focus_group":
            c1.number_input(
                "How many people in the group?",
                min_value=2,
                value=max(summary.people, 2),
                step=1,
                key=f"fix_people:{iv}",
            )
        erase_outside = False
        if tier != summary.tier:
            with _shared.db() as session:
                outside = repo.answers_outside_tier(session, repo.get_interview(session, iv), tier)
            if outside:
                # Listed before anything changes: the auditor sees what the change costs.
                st.warning(
                    f"{printed.count(len(outside), 'answer')} "
                    f"{'is' if len(outside) == 1 else 'are'} to questions the "
                    f"{_shared.tier_label(tier)} tier is not asked: {', '.join(outside)}. "
                    "Changing the tier erases them."
                )
                erase_outside = st.checkbox(
                    f"Erase {'this answer' if len(outside) == 1 else f'these {len(outside)} answers'} and change the tier",
                    key=f"fix_erase:{iv}",
                )
        st.button(
            "Save the corrected details",
            key=f"fix_save:{iv}",
            on_click=_correct,
            args=(iv, erase_outside),
            icon=":material/save:",
        )
        if st.session_state.get("sg_correct_error"):
            st.error(st.session_state.pop("sg_correct_error"))


def _clear(interview_id: int) -> None:
    question_id = st.session_state.get(f"clear_pick:{interview_id}")
    if not question_id:
        return
    with _shared.db() as session:
        repo.clear_answer(
            session,
            repo.get_interview(session, interview_id),
            question_id,
            actor=_audit_choice.actor(),
        )
    # The question's widgets still hold the erased answer: drop them so they redraw empty.
    for kind in ("answer", "note", "quotable"):
        st.session_state.pop(f"{kind}:{interview_id}:{question_id}", None)
    _shared.flash(f"The answer to {question_id} and its note were erased.")


def clear_box(summary: capture.InterviewSummary) -> None:
    """Erase one answer (and its note), after a confirmation."""
    iv = summary.id
    with _shared.db() as session:
        answered = sorted(repo.interview_answers(session, repo.get_interview(session, iv)))
    with st.expander("Clear one answer", icon=":material/backspace:"):
        if not answered:
            st.caption("No answers or notes yet.")
            return
        st.selectbox(
            "Question",
            answered,
            index=None,
            placeholder="Choose the question",
            key=f"clear_pick:{iv}",
        )
        sure = st.checkbox("Yes, erase this answer and its note", key=f"clear_sure:{iv}")
        st.button(
            "Clear the answer",
            key=f"clear:{iv}",
            disabled=not sure,
            on_click=_clear,
            args=(iv,),
            icon=":material/backspace:",
        )
