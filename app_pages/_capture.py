"""Question capture on the Interview page: the chosen theme's questions, saved as they change.

There is no save button. Each answer, note and quotable tick is written to the store
by the widget's on_change callback (`repo.save_answer`, one small transaction), so a
reload or a closed browser loses nothing. The capture area runs in fragments:
answering one question reruns only that question and the progress above it.

Which theme is shown is held in plain session state (`theme_state`), never in a
widget's own key: a widget whose value the server changes in a callback can send its
old value back with the next click, and the page would swap under the pointer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.errors import StreamlitAPIException

from app_pages import _audit_choice, _conflict, _shared
from app_pages._capture_scripts import SCROLL_TO_THEME, THEME_FOCUS_GUARD, UNSAVED_NOTE_GUARD
from sgaudit.errors import EditConflict, SgauditError
from sgaudit.questionnaire import QuestionSet
from sgaudit.store import capture, repo
from sgaudit.vocab import ANSWER_DONT_KNOW, ANSWER_NA

SAVED = "sg_saved"  # {"question": id, "at": "14:03:12"} of the last save
SAVE_ERRORS = "sg_save_errors"  # {question id: message} of saves that failed
SCROLL_UP = "sg_scroll_to_theme"  # set when "Next theme" is pressed
# The capture area is three kinds of fragment, so that one answer redraws little:
HEAD = "capture_head"  # progress, saved status and the theme buttons
BODY = "capture_body"  # the chosen theme's questions
SHORT_RESERVED = {ANSWER_DONT_KNOW: "Don't know", ANSWER_NA: "N/A"}


@dataclass(frozen=True)
class Capture:
    """What the capture fragments need to know about the interview being captured."""

    interview_id: int
    tier: str
    question_set: QuestionSet = field(repr=False)
    completed: bool = False

    @property
    def titles(self) -> dict[str, str]:
        return {t.id: t.title for t in self.question_set.themes}

    @property
    def questions(self):
        return self.question_set.questions_for_tier(self.tier)


def question_fragment(interview_id: int, question_id: str) -> str:
    """The fragment key of one question's block."""
    return f"question:{interview_id}:{question_id}"


def theme_state(interview_id: int) -> str:
    """The session-state key of the theme shown for this interview."""
    return f"sg_theme:{interview_id}"


def _keys(interview_id: int, question_id: str) -> tuple[str, str, str]:
    base = f"{interview_id}:{question_id}"
    return f"answer:{base}", f"note:{base}", f"quotable:{base}"


# ---- saving (runs in widget callbacks, before the fragment reruns) ---------------------
def save(interview_id: int, question_id: str) -> None:
    """Write the question's answer, note and quotable tick exactly as the widgets hold them."""
    k_answer, k_note, k_quotable = _keys(interview_id, question_id)
    state = st.session_state
    errors = state.setdefault(SAVE_ERRORS, {})
    try:
        with _shared.db() as session:
            interview = capture.interview_for_capture(session, interview_id)
            row = repo.save_answer(
                session,
                interview,
                question_id,
                state.get(k_answer) or "",
                note=state.get(k_note) or "",
                quotable=bool(state.get(k_quotable)),
                actor=_audit_choice.actor() or interview.auditor,
                expected_revision=_conflict.expected(interview_id, question_id),
            )
            _conflict.saved(interview_id, question_id, row)
    except EditConflict as exc:  # the other auditor changed it first: show, let them choose
        _conflict.refused(question_id, exc.theirs)
        errors[question_id] = str(exc)
    except SgauditError as exc:
        errors[question_id] = str(exc)
    except SQLAlchemyError as exc:  # e.g. the database file is locked or gone
        errors[question_id] = (
            f"the database refused the write ({type(exc).__name__}); press 'Try again'"
        )
    else:
        errors.pop(question_id, None)
        state[SAVED] = {"question": question_id, "at": datetime.now().strftime("%H:%M:%S")}


def redraw(fragments: list[str]) -> None:
    """From a widget callback: rerun only these fragments of the capture area.

    When the same click also left the page (a sidebar link pressed while a note was
    still being typed: the box's last words and the page change arrive together), the
    fragments are no longer there. Then there is nothing to redraw, and raising would
    stop the other callbacks of that click, among them the one that saves the note."""
    try:
        st.rerun(fragments)
    except StreamlitAPIException:
        return


def answered(interview_id: int, question_id: str) -> None:
    """A widget of one question changed: save it, then redraw only that question and the
    progress above the questions (a dozen elements rather than the whole theme)."""
    save(interview_id, question_id)
    redraw([question_fragment(interview_id, question_id), HEAD])


def next_theme(interview_id: int, themes: list[str]) -> None:
    key = theme_state(interview_id)
    current = st.session_state.get(key)
    position = themes.index(current) if current in themes else -1
    st.session_state[key] = themes[min(position + 1, len(themes) - 1)]
    st.session_state[SCROLL_UP] = True
    redraw([HEAD, BODY])


def theme_chosen(interview_id: int, pills_key: str) -> None:
    chosen = st.session_state.get(pills_key)
    if chosen:
        st.session_state[theme_state(interview_id)] = chosen
    redraw([HEAD, BODY])


# ---- drawing -----------------------------------------------------------------------------
def _prompt_card(question_set: QuestionSet, question) -> str:
    """The auditor's prompts, evidence hints and detected weaknesses as one markdown text."""
    parts = []
    if question.prompts:
        parts.append(
            "**Ask / probe**\n\n" + "\n".join(f"- {_shared.literal(p)}" for p in question.prompts)
        )
    if question.evidence:
        parts.append(
            "**Evidence to look for**\n\n"
            + "\n".join(f"- {_shared.literal(e)}" for e in question.evidence)
        )
    if question.detects:
        parts.append(
            "**Helps detect**\n\n"
            + "\n".join(
                f"- `{c}` {_shared.literal(question_set.codes.get(c, ''))}"
                for c in question.detects
            )
        )
    return "\n\n".join(parts) or "No prompts for this question."


def question_block(ctx: Capture, question, current) -> None:
    """One question: its wording, scale, prompts at hand, note and quotable tick.

    A fragment of its own: after an answer only this block is redrawn. `current` is
    the stored answer when the theme was drawn; once drawn, the widgets hold the state.
    """
    interview_id = ctx.interview_id

    @st.fragment(key=question_fragment(interview_id, question.id))
    def block() -> None:
        scale = ctx.question_set.scales[question.scale]
        k_answer, k_note, k_quotable = _keys(interview_id, question.id)
        _conflict.opened(interview_id, question.id, k_answer, current)
        answer = current.answer if current is not None else ""
        saved = st.session_state.get(SAVED)
        error = st.session_state.get(SAVE_ERRORS, {}).get(question.id)
        wording = question.wording(ctx.tier) or ""
        # The bold id is drawn as markdown; the widget's own label stays plain text because
        # screen readers read it out (as the radio group's name).
        plain = f"{question.id} · {wording}"
        # Every element here is sent to the browser after every answer, so the block uses
        # as few as it can: horizontal containers rather than columns, one markdown per card.
        with st.container(border=True):
            with st.container(horizontal=True, vertical_alignment="top", wrap=False):
                st.markdown(f"**{question.id}** · {_shared.literal(wording)}", width="stretch")
                with st.popover("Prompts", icon=":material/lightbulb:"):
                    st.markdown(_prompt_card(ctx.question_set, question))
            if scale.kind == "text":
                st.text_area(
                    plain,
                    value=answer,
                    key=k_answer,
                    height=90,
                    label_visibility="collapsed",
                    on_change=answered,
                    args=(interview_id, question.id),
                    placeholder="The respondent's answer, in your words",
                )
            else:
                options = [p.value for p in scale.points]
                options += [
                    v for v in (ANSWER_DONT_KNOW, ANSWER_NA) if v in scale.allowed_answers()
                ]
                labels = {p.value: p.label for p in scale.points} | SHORT_RESERVED
                st.radio(
                    plain,
                    options,
                    index=options.index(answer) if answer in options else None,
                    format_func=labels.get,
                    horizontal=True,
                    key=k_answer,
                    on_change=answered,
                    args=(interview_id, question.id),
                    label_visibility="collapsed",
                )
            with st.container(horizontal=True, vertical_alignment="center"):
                st.text_area(
                    f"Note on {question.id}",
                    value=current.note if current is not None else "",
                    key=k_note,
                    height=68,
                    label_visibility="collapsed",
                    placeholder="Note (what was said; no names). Saved when you leave the box.",
                    on_change=answered,
                    args=(interview_id, question.id),
                )
                st.checkbox(
                    "Quotable",
                    value=bool(current.quotable) if current is not None else False,
                    key=k_quotable,
                    help="The note may be quoted, anonymised, in the board report.",
                    on_change=answered,
                    args=(interview_id, question.id),
                )
                if error:
                    st.caption(":red[not saved]", width="content")
                elif saved and saved["question"] == question.id:
                    st.caption(f":green[✓ saved {saved['at']}]", width="content")
            labels = {p.value: p.label for p in scale.points} | SHORT_RESERVED
            keys = (k_answer, k_note, k_quotable)
            conflict_shown = bool(error) and _conflict.conflict_panel(
                interview_id, question.id, keys, labels, SAVE_ERRORS, answered
            )
            if error and not conflict_shown:
                with st.container(horizontal=True, vertical_alignment="center"):
                    st.error(f"Not saved: {error}", width="stretch")
                    # The same answer clicked again is no change to a radio, so a failed
                    # save is retried here rather than by clicking another answer first.
                    st.button(
                        "Try again",
                        key=f"retry:{interview_id}:{question.id}",
                        icon=":material/refresh:",
                        on_click=answered,
                        args=(interview_id, question.id),
                    )

    block()


@st.fragment(key=HEAD)
def capture_head(ctx: Capture) -> None:
    """Progress overall and per theme, the saved status, and the theme buttons."""
    interview_id = ctx.interview_id
    with _shared.db() as session:
        answers = repo.interview_answers(session, repo.get_interview(session, interview_id))
    questions = ctx.questions
    titles = ctx.titles
    answered_ids = {qid for qid, r in answers.items() if r.answer}
    progress = capture.theme_progress(questions, answered_ids)
    per_theme = {p.theme: p for p in progress}
    themes = [p.theme for p in progress]

    total = len(questions)
    done = sum(p.answered for p in progress)
    bar, status = st.columns([4, 1], vertical_alignment="center")
    bar.progress(done / total if total else 1.0, text=f"**{done}/{total} answered** overall")
    saved = st.session_state.get(SAVED)
    failed = sorted(st.session_state.get(SAVE_ERRORS, {}))
    if failed:
        # Never claim a save that failed: the header names what is still unsaved.
        status.markdown(f":red[**✗ Not saved: {', '.join(failed)}**]")
    else:
        status.caption(
            f"✓ Every change is saved · last {saved['at']}"
            if saved
            else "✓ Every change is saved as you go"
        )
    if done == total and not ctx.completed:
        st.success("All questions answered. Mark the interview complete when you finish.")

    key = theme_state(interview_id)
    if st.session_state.get(key) not in themes:
        unfinished = [p.theme for p in progress if not p.done]
        st.session_state[key] = unfinished[0] if unfinished else themes[0]
    current = st.session_state[key]

    def theme_label(theme: str) -> str:
        p = per_theme[theme]
        tick = ":material/check_circle: " if p.done else ""
        return f"{tick}{titles.get(theme, theme)} {p.answered}/{p.asked}"

    # A new widget for each theme shown: its value can only be what the server drew.
    pills_key = f"theme_pick:{interview_id}:{current}"
    with st.container(key="theme_chooser"):
        st.pills(
            "Theme",
            themes,
            default=current,
            format_func=theme_label,
            key=pills_key,
            required=True,
            label_visibility="collapsed",
            on_change=theme_chosen,
            args=(interview_id, pills_key),
        )


@st.fragment(key=BODY)
def capture_body(ctx: Capture) -> None:
    """The chosen theme's questions, each a fragment of its own, and 'Next theme'."""
    interview_id = ctx.interview_id
    with _shared.db() as session:
        answers = repo.interview_answers(session, repo.get_interview(session, interview_id))
    questions = ctx.questions
    titles = ctx.titles
    themes = list(dict.fromkeys(q.theme for q in questions))
    theme = st.session_state.get(theme_state(interview_id))
    if theme not in themes:
        theme = themes[0]
    description = ctx.question_set.themes_by_id[theme].description if theme in titles else ""
    with st.container(key="theme_top"):
        st.markdown(f"### {titles.get(theme, theme)}")  # under the h2 of the interview
        if description:
            st.caption(description)
    for question in (q for q in questions if q.theme == theme):
        question_block(ctx, question, answers.get(question.id))

    position = themes.index(theme)
    if position < len(themes) - 1:
        st.button(
            f"Next theme: {titles.get(themes[position + 1], themes[position + 1])} →",
            on_click=next_theme,
            args=(interview_id, themes),
            key=f"next:{interview_id}",
        )
    st.html(UNSAVED_NOTE_GUARD + THEME_FOCUS_GUARD, unsafe_allow_javascript=True)
    if st.session_state.pop(SCROLL_UP, False):
        st.html(SCROLL_TO_THEME, unsafe_allow_javascript=True)
