"""The second auditor's blind scores on the Double scoring page, saved as they are chosen.

There is no save button to forget at the foot of a long form: each choice is written to
the store by its selectbox's on_change callback (`double_scoring.save_second_score`, one
small transaction), so leaving the page loses nothing. The store is told which answer
this page last saw, so a change made meanwhile in another window is shown, not
overwritten. A choice the store refuses stays on the page (in plain session state, so it
survives leaving too) marked "not saved" until it is saved or given up.

Only the second auditor's own answers are read here; the store refuses anyone else.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_pages import _audit_choice, _shared
from sgaudit.errors import EditConflict, SgauditError
from sgaudit.questionnaire import QuestionSet
from sgaudit.store import double_scoring as ds
from sgaudit.store.capture import interview_for_capture
from sgaudit.vocab import RESERVED_ANSWERS

SAVED = "sg_second_saved"  # {"interview": id, "question": id, "at": "14:03:12"}


def widget_key(interview_id: int, question_id: str) -> str:
    return f"second:{interview_id}:{question_id}"


def _state(name: str, interview_id: int) -> dict:
    """One of this interview's dicts in plain session state (kept when the page is left):
    seen (question -> the stored answer this page last saw), unsaved (question -> a
    choice the store refused), errors (question -> why), theirs (question -> the answer
    another window saved meanwhile)."""
    return st.session_state.setdefault(f"sg_second_{name}:{interview_id}", {})


def _save(interview_id: int, question_id: str, answer: str) -> None:
    seen, unsaved = _state("seen", interview_id), _state("unsaved", interview_id)
    errors, theirs = _state("errors", interview_id), _state("theirs", interview_id)
    try:
        with _shared.db() as session:
            interview = interview_for_capture(session, interview_id)
            ds.save_second_score(
                session,
                interview,
                question_id,
                answer,
                actor=_audit_choice.actor(),
                expected=seen.get(question_id, ""),
            )
    except EditConflict as exc:
        theirs[question_id] = (exc.theirs or {}).get("answer", "")
        errors[question_id], unsaved[question_id] = str(exc), answer
    except SgauditError as exc:
        errors[question_id], unsaved[question_id] = str(exc), answer
    except SQLAlchemyError as exc:  # e.g. the database file is locked or gone
        errors[question_id] = f"the database refused the write ({type(exc).__name__})"
        unsaved[question_id] = answer
    else:
        seen[question_id] = answer
        for pending in (unsaved, errors, theirs):
            pending.pop(question_id, None)
        st.session_state[SAVED] = {
            "interview": interview_id,
            "question": question_id,
            "at": datetime.now().strftime("%H:%M:%S"),
        }


def chosen(interview_id: int, question_id: str) -> None:
    """A choice changed (or 'Try again'): save what the box holds now."""
    _save(interview_id, question_id, st.session_state.get(widget_key(interview_id, question_id)))


def keep_saved(interview_id: int, question_id: str) -> None:
    """Give up this page's choice for the one another window saved."""
    stored = _state("theirs", interview_id).pop(question_id, "")
    _state("seen", interview_id)[question_id] = stored
    st.session_state[widget_key(interview_id, question_id)] = stored
    for pending in (_state("unsaved", interview_id), _state("errors", interview_id)):
        pending.pop(question_id, None)


def save_mine(interview_id: int, question_id: str) -> None:
    """Save this page's choice over the one another window saved."""
    _state("seen", interview_id)[question_id] = _state("theirs", interview_id).get(question_id, "")
    chosen(interview_id, question_id)


def save_unsaved(session, interview_id: int, question_ids: list[str]) -> None:
    """Before finishing: save every choice on the page that the store does not hold yet."""
    seen = _state("seen", interview_id)
    interview = interview_for_capture(session, interview_id)
    for qid in question_ids:
        answer = st.session_state.get(widget_key(interview_id, qid))
        if answer is not None and answer != seen.get(qid, ""):
            ds.save_second_score(
                session, interview, qid, answer, actor=_audit_choice.actor(), expected=seen.get(qid, "")
            )
            seen[qid] = answer
            for pending in ("unsaved", "errors", "theirs"):
                _state(pending, interview_id).pop(qid, None)


def question_ids(qs: QuestionSet, tier: str) -> list[str]:
    """The questions the second auditor scores: every one asked of the tier but text."""
    return [q.id for q in qs.questions_for_tier(tier) if qs.scales[q.scale].kind != "text"]


@st.fragment
def scoring_form(interview_id: int, tier: str, qs: QuestionSet) -> None:
    """The progress line and one box per scored question; a fragment, so a choice
    redraws only these rather than the whole page with its agreement tables."""
    with _shared.db() as session:
        mine = ds.second_scores(
            session, interview_for_capture(session, interview_id), actor=_audit_choice.actor()
        )
    asked = set(question_ids(qs, tier))
    questions = [q for q in qs.questions_for_tier(tier) if q.id in asked]
    seen, unsaved = _state("seen", interview_id), _state("unsaved", interview_id)
    errors, theirs = _state("errors", interview_id), _state("theirs", interview_id)
    saved = st.session_state.get(SAVED) or {}
    saved = saved if saved.get("interview") == interview_id else {}

    scored = sum(1 for q in questions if mine.get(q.id))
    if errors:  # never claim a save that failed: name what is still unsaved
        st.markdown(
            f":red[**✗ Not saved: {', '.join(sorted(errors))}**] - kept on this page "
            "until you save it or keep the saved one."
        )
    st.caption(
        f"{scored} of {len(questions)} scored and saved. Every choice is saved as you make "
        "it; leaving the page loses nothing."
        + (f" Last saved: {saved['question']} at {saved['at']}." if saved else "")
    )
    for q in questions:
        scale = qs.scales[q.scale]
        options = ["", *scale.allowed_answers(q.reverse)]
        key = widget_key(interview_id, q.id)
        if key not in st.session_state:  # drawn afresh: from the store, or a refused choice
            seen[q.id] = mine.get(q.id, "")
            shown = unsaved.get(q.id, seen[q.id])
            st.session_state[key] = shown if shown in options else ""

        def label(v, s=scale):
            return "-" if v == "" else RESERVED_ANSWERS.get(v, s.label_of(v))

        st.selectbox(
            f"{q.id}: {q.wording(tier)}",
            options,
            format_func=label,
            key=key,
            on_change=chosen,
            args=(interview_id, q.id),
        )
        if q.id in errors:
            _not_saved(interview_id, q.id, errors[q.id], theirs, label)
        elif saved.get("question") == q.id:
            st.caption(f":green[✓ saved {saved['at']}]")


def _not_saved(interview_id: int, question_id: str, error: str, theirs: dict, label) -> None:
    args = (interview_id, question_id)
    if question_id in theirs:
        st.warning(
            f"Changed in another window to **{label(theirs[question_id])}**. "
            "Your choice here is not saved."
        )
        with st.container(horizontal=True):
            st.button(
                "Keep the saved one",
                key=f"keep:{interview_id}:{question_id}",
                on_click=keep_saved,
                args=args,
            )
            st.button(
                "Save mine over it",
                key=f"mine:{interview_id}:{question_id}",
                on_click=save_mine,
                args=args,
            )
    else:
        st.warning(f"Not saved: {_shared.literal(error)}")
        st.button(
            "Try again",
            key=f"retry:{interview_id}:{question_id}",
            icon=":material/refresh:",
            on_click=chosen,
            args=args,
        )
