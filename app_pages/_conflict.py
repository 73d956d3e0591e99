"""When another auditor changed the same answer first: show theirs, let this one choose.

`sgaudit` refuses a save made from an older revision (`EditConflict`, carrying the
stored version). The capture page keeps here which revision each question was drawn
from, and shows the other version with two choices: keep theirs, or save mine over it.
"""

from __future__ import annotations

import streamlit as st

CONFLICTS = "sg_conflicts"  # {question id: the stored version} of refused saves


def revision_key(interview_id: int, question_id: str) -> str:
    return f"sg_rev:{interview_id}:{question_id}"


def opened(interview_id: int, question_id: str, widget_key: str, current) -> None:
    """Remember the revision a question was drawn from (when its widgets are fresh)."""
    if widget_key not in st.session_state:
        st.session_state[revision_key(interview_id, question_id)] = (
            current.revision if current is not None else 0
        )


def expected(interview_id: int, question_id: str) -> int | None:
    return st.session_state.get(revision_key(interview_id, question_id))


def saved(interview_id: int, question_id: str, row) -> None:
    st.session_state[revision_key(interview_id, question_id)] = (
        row.revision if row is not None else 0
    )
    st.session_state.get(CONFLICTS, {}).pop(question_id, None)


def refused(question_id: str, theirs: dict | None) -> None:
    st.session_state.setdefault(CONFLICTS, {})[question_id] = theirs


def _keep_theirs(interview_id, question_id, keys, theirs, errors_key) -> None:
    k_answer, k_note, k_quotable = keys
    theirs = theirs or {}
    st.session_state[k_answer] = theirs.get("answer") or None
    st.session_state[k_note] = theirs.get("note", "")
    st.session_state[k_quotable] = bool(theirs.get("quotable"))
    st.session_state[revision_key(interview_id, question_id)] = theirs.get("revision", 0)
    st.session_state.get(CONFLICTS, {}).pop(question_id, None)
    st.session_state.get(errors_key, {}).pop(question_id, None)


def _save_mine(interview_id, question_id, theirs, save_again) -> None:
    st.session_state[revision_key(interview_id, question_id)] = (theirs or {}).get("revision", 0)
    save_again(interview_id, question_id)


def conflict_panel(interview_id, question_id, keys, labels, errors_key, save_again) -> bool:
    """The other version and the two choices; False when there is no conflict to show."""
    conflicts = st.session_state.get(CONFLICTS, {})
    if question_id not in conflicts:
        return False
    theirs = conflicts[question_id]
    if theirs is None:
        st.warning("Someone else cleared this answer since you opened it.")
    else:
        answer = labels.get(theirs.get("answer"), theirs.get("answer")) or "(no answer)"
        note = theirs.get("note") or ""
        st.warning(
            f"{theirs.get('updated_by') or 'Someone else'} changed this at "
            f"{(theirs.get('updated_at') or '')[11:16]}: **{answer}**"
            + (f", note: {note[:200]}" if note else "")
            + ". Your change was not saved."
        )
    with st.container(horizontal=True):
        st.button(
            "Keep theirs",
            key=f"theirs:{interview_id}:{question_id}",
            on_click=_keep_theirs,
            args=(interview_id, question_id, keys, theirs, errors_key),
        )
        st.button(
            "Save mine over it",
            key=f"mine:{interview_id}:{question_id}",
            on_click=_save_mine,
            args=(interview_id, question_id, theirs, save_again),
        )
    return True
