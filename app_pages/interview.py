"""Interview: capture one conversation live. Every change is saved the moment it is made.

There is no save button. Each answer, note and quotable tick is written to the store
by the widget's on_change callback (`repo.save_answer`, one small transaction), so a
reload or a closed browser loses nothing. The questions run in a fragment: answering
one question reruns only the capture area, not the whole page.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from app_pages import _shared
from app_pages._charts import SHORT_TIER
from sgaudit import sheets
from sgaudit.errors import SgauditError
from sgaudit.store import capture, repo
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file
from sgaudit.vocab import ANSWER_DONT_KNOW, ANSWER_NA, MODES, TIERS

SAVED = "sg_saved"  # {"question": id, "at": "14:03:12"} of the last save
SAVE_ERROR = "sg_save_error"  # {"question": id, "message": ...} of a failed save
SCROLL_UP = "sg_scroll_to_theme"  # set when "Next theme" is pressed
# The capture area is three kinds of fragment, so that one answer redraws little:
HEAD = "capture_head"  # progress, saved status and the theme buttons
BODY = "capture_body"  # the chosen theme's questions


def question_fragment(interview_id: int, question_id: str) -> str:
    """The fragment key of one question's block."""
    return f"question:{interview_id}:{question_id}"
SHORT_RESERVED = {ANSWER_DONT_KNOW: "Don't know", ANSWER_NA: "N/A"}


def _keys(interview_id: int, question_id: str) -> tuple[str, str, str]:
    base = f"{interview_id}:{question_id}"
    return f"answer:{base}", f"note:{base}", f"quotable:{base}"


# ---- saving (runs in widget callbacks, before the fragment reruns) ---------------------
def save(interview_id: int, question_id: str) -> None:
    """Write the question's answer, note and quotable tick exactly as the widgets hold them."""
    k_answer, k_note, k_quotable = _keys(interview_id, question_id)
    state = st.session_state
    try:
        with _shared.db() as session:
            interview = capture.interview_for_capture(session, interview_id)
            repo.save_answer(
                session,
                interview,
                question_id,
                state.get(k_answer) or "",
                note=state.get(k_note) or "",
                quotable=bool(state.get(k_quotable)),
                actor=_shared.actor() or interview.auditor,
            )
    except SgauditError as exc:
        state[SAVE_ERROR] = {"question": question_id, "message": str(exc)}
    except SQLAlchemyError as exc:  # e.g. the database file is locked or gone
        state[SAVE_ERROR] = {
            "question": question_id,
            "message": f"the database refused the write ({type(exc).__name__}); try again",
        }
    else:
        state.pop(SAVE_ERROR, None)
        state[SAVED] = {"question": question_id, "at": datetime.now().strftime("%H:%M:%S")}


def answered(interview_id: int, question_id: str) -> None:
    """A widget of one question changed: save it, then redraw only that question and the
    progress above the questions (a dozen elements rather than the whole theme)."""
    save(interview_id, question_id)
    st.rerun([question_fragment(interview_id, question_id), HEAD])


def start(audit_id: int) -> None:
    state = st.session_state
    people = state["new_people"] if state["new_mode"] == "focus_group" else 1
    try:
        with _shared.db() as session:
            interview = repo.start_interview(
                session,
                repo.get_audit(session, audit_id),
                tier=state["new_tier"],
                service_area=state["new_area"],
                mode=state["new_mode"],
                held_on=state["new_date"],
                auditor=state["new_auditor"] or "",
                people=int(people),
                consent_confirmed=bool(state["new_consent"]),
                actor=_shared.actor(),
            )
            session.flush()
            new_id, code = interview.id, interview.code
    except SgauditError as exc:
        state["sg_start_error"] = str(exc)
        return
    state.pop("sg_start_error", None)
    _shared.set_current_interview(new_id)
    _shared.flash(f"Interview **{code}** started. Write this code on any paper notes.")


def set_consent(interview_id: int) -> None:
    with _shared.db() as session:
        capture.confirm_consent(
            session,
            repo.get_interview(session, interview_id),
            bool(st.session_state[f"consent:{interview_id}"]),
            actor=_shared.actor(),
        )


def set_completed(interview_id: int, completed: bool) -> None:
    with _shared.db() as session:
        interview = repo.get_interview(session, interview_id)
        repo.set_interview_completed(session, interview, completed, actor=_shared.actor())
        code = interview.code
    if completed:
        _shared.set_current_interview(None)
        _shared.flash(f"Interview **{code}** marked complete. Start the next one below.")


def next_theme(theme_key: str, themes: list[str]) -> None:
    current = st.session_state.get(theme_key)
    position = themes.index(current) if current in themes else -1
    st.session_state[theme_key] = themes[min(position + 1, len(themes) - 1)]
    st.session_state[SCROLL_UP] = True
    st.rerun([HEAD, BODY])


def theme_chosen() -> None:
    st.rerun([HEAD, BODY])


# A fixed script, no user text in it: after "Next theme" the new theme's first question
# comes into view instead of leaving the auditor at the bottom of the page.
SCROLL_TO_THEME = """<script>
for (const wait of [80, 400]) {
  setTimeout(() => {
    const top = document.querySelector('.st-key-theme_top');
    if (top) {
      top.style.scrollMarginTop = '4.5rem';  // clear of the app's top bar
      top.scrollIntoView({block: 'start', behavior: 'instant'});
    }
  }, wait);
}
</script>"""


# ---- the page ---------------------------------------------------------------------------
audit_id = _shared.require_audit("Interview")
_shared.show_flash()

interview_id = _shared.current_interview_id()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    question_set = repo.audit_question_set(audit)
    areas = audit.organisation.area_names
    audit_auditors = [n for n in (audit.auditor_1, audit.auditor_2) if n]
    # While capturing, only the one interview is read: this runs on every full rerun.
    summaries = capture.interview_summaries(session, audit, interview_id)
    if interview_id is not None and not summaries:
        # A stale link, or an interview of another audit: back to the list.
        _shared.set_current_interview(None)
        interview_id = None
    if interview_id is None:
        summaries = capture.interview_summaries(session, audit)
by_id = {s.id: s for s in summaries}
_shared.sync_url(with_interview=True)


def _summary_label(s: capture.InterviewSummary) -> str:
    done = " · complete" if s.completed else ""
    return (
        f"{s.code} · {_shared.tier_label(s.tier)} · {s.service_area} · "
        f"{_shared.mode_label(s.mode)} · {s.answered}/{s.asked} answered{done}"
    )


def choose_interview() -> None:
    """Start a new interview, or pick one to resume."""
    left, right = st.columns([1, 1], gap="large")
    with left, st.container(border=True):
        st.subheader("Start an interview")
        asked = {t: len(question_set.questions_for_tier(t)) for t in TIERS}
        tiers = [t for t in TIERS if asked[t]]
        st.selectbox(
            "Tier",
            tiers,
            format_func=lambda t: f"{_shared.tier_label(t)} ({asked[t]} questions)",
            key="new_tier",
            index=tiers.index("front_line") if "front_line" in tiers else 0,
        )
        st.selectbox("Service area", areas, key="new_area")
        st.radio("Mode", MODES, format_func=_shared.mode_label, horizontal=True, key="new_mode")
        if st.session_state.get("new_mode") == "focus_group":
            st.number_input("How many people in the group?", min_value=2, value=4, step=1,
                            key="new_people")
        c1, c2 = st.columns(2)
        default_auditor = _shared.actor() or (audit_auditors[0] if audit_auditors else None)
        c1.selectbox(
            "Auditor",
            audit_auditors,
            index=audit_auditors.index(default_auditor) if default_auditor in audit_auditors
            else None,
            accept_new_options=True,
            key="new_auditor",
        )
        c2.date_input("Held on", value=date.today(), format="DD/MM/YYYY", key="new_date")
        st.checkbox(
            "The respondent(s) know what the audit is for and agreed to take part",
            key="new_consent",
            help="You can also confirm consent after starting; no question shows until you do.",
        )
        st.button("Start interview", type="primary", on_click=start, args=(audit_id,),
                  icon=":material/play_arrow:")
        if st.session_state.get("sg_start_error"):
            st.error(st.session_state["sg_start_error"])
        st.caption(
            "A pseudonymous respondent code (e.g. FL-7K3QX) is generated: never record "
            "names, only role, tier and service area."
        )

    with right:
        st.subheader("Resume an interview")
        if not summaries:
            st.caption("No interviews in this audit yet.")
            return
        unfinished = [s for s in summaries if not s.completed]
        st.selectbox(
            f"Interviews ({len(unfinished)} not complete of {len(summaries)})",
            [s.id for s in reversed(summaries)],
            index=None,
            format_func=lambda i: _summary_label(by_id[i]),
            placeholder="Choose an interview to resume",
            key="resume_pick",
            on_change=lambda: _shared.set_current_interview(st.session_state["resume_pick"]),
        )
        table = pd.DataFrame(
            [
                {
                    "code": s.code,
                    "tier": SHORT_TIER.get(s.tier, s.tier),
                    "answered": s.answered / s.asked if s.asked else 0.0,
                    "of": f"{s.answered}/{s.asked}",
                    "complete": s.completed,
                    "service area": s.service_area,
                    "mode": _shared.mode_label(s.mode)
                    + (f" ({s.people})" if s.mode == "focus_group" else ""),
                    "held on": s.held_on,
                    "auditor": s.auditor,
                }
                for s in reversed(summaries)
            ]
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(table), 460),
            column_config={
                "code": st.column_config.TextColumn("code", pinned=True),
                "answered": st.column_config.ProgressColumn(
                    "answered", min_value=0.0, max_value=1.0, format="percent", width="small"
                ),
                "of": st.column_config.TextColumn("", width="small"),
                "complete": st.column_config.CheckboxColumn("done", width="small"),
                "held on": st.column_config.DateColumn("held on", format="DD/MM/YYYY"),
            },
        )


def _blank_sheet(audit_id: int) -> bytes:
    # Runs on a download thread without the page's context: use the library's session.
    with tempfile.TemporaryDirectory(prefix="sgaudit-sheet-") as tmp:
        out = Path(tmp) / "answer-sheet.xlsx"
        with session_scope(_shared.database_url()) as session:
            sheets.write_template(session, audit_id, out)
        return out.read_bytes()


def import_sheet() -> None:
    """Answers captured elsewhere (paper forms, survey exports): checked whole, then stored."""
    st.markdown(
        "One row per answer (the blank answer sheet's columns), or a survey export with "
        "one row per respondent and one column per question id. The whole file is "
        "checked first: if any row has a problem, every problem is listed and nothing "
        "is imported."
    )
    st.download_button("Download a blank answer sheet (.xlsx)", lambda: _blank_sheet(audit_id),
                       file_name="answer-sheet.xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    uploaded = st.file_uploader(
        "Answer file (.csv or .xlsx)", type=["csv", "xlsx"], key="sheet_upload",
        max_upload_size=_shared.UPLOAD_LIMITS_MB["sheet"],
    )
    with st.expander("Survey exports: where tier and service area are"):
        c1, c2 = st.columns(2)
        tier_column = c1.text_input("Column holding the tier", key="sheet_tier_col")
        area_column = c2.text_input("Column holding the service area", key="sheet_area_col")
        fixed_tier = c1.selectbox("...or the same tier for every row", [None, *TIERS],
                                  format_func=lambda t: "-" if t is None else
                                  _shared.tier_label(t), key="sheet_tier")
        fixed_area = c2.selectbox("...or the same service area for every row", [None, *areas],
                                  format_func=lambda a: "-" if a is None else a,
                                  key="sheet_area")
        tier_map = c1.text_input("Role answers as tiers, e.g. Volunteer=front_line",
                                 key="sheet_tier_map")
        area_map = c2.text_input("Service answers as service areas, e.g. Housing=Supported Housing",
                                 key="sheet_area_map")
    buttons = st.container(horizontal=True)
    dry_run = buttons.button("Check file", key="sheet_check")
    do_import = buttons.button("Import", type="primary", key="sheet_import")
    if not (dry_run or do_import) or uploaded is None:
        return
    data = _shared.checked_upload(uploaded, "sheet", (".csv", ".xlsx"))
    if data is None:
        return
    with tempfile.TemporaryDirectory(prefix="sgaudit-upload-") as tmp:
        path = Path(tmp) / Path(uploaded.name).name
        path.write_bytes(data)
        try:
            with _shared.db() as session:
                # The same path as `sgaudit import`: survey exports recognised as
                # downloaded, checked completely, written all or nothing.
                summary = import_file(
                    session, audit_id, path,
                    SurveyOptions(
                        tier_column=tier_column.strip() or None,
                        area_column=area_column.strip() or None,
                        tier=fixed_tier, area=fixed_area,
                        tier_map=tier_map.strip() or None, area_map=area_map.strip() or None,
                    ),
                    dry_run=dry_run, actor=_shared.actor(),
                )
        except SgauditError as exc:
            _shared.show_error(exc)
            return
    if dry_run:
        st.success(summary.message())
    else:
        _shared.flash(summary.message())
        st.rerun()


def _prompt_card(question) -> str:
    """The auditor's prompts, evidence hints and detected weaknesses as one markdown text."""
    parts = []
    if question.prompts:
        parts.append("**Ask / probe**\n\n" + "\n".join(
            f"- {_shared.literal(p)}" for p in question.prompts))
    if question.evidence:
        parts.append("**Evidence to look for**\n\n" + "\n".join(
            f"- {_shared.literal(e)}" for e in question.evidence))
    if question.detects:
        parts.append("**Helps detect**\n\n" + "\n".join(
            f"- `{c}` {_shared.literal(question_set.codes.get(c, ''))}"
            for c in question.detects))
    return "\n\n".join(parts) or "No prompts for this question."


def question_block(interview_id: int, question, current) -> None:
    """One question: its wording, scale, prompts at hand, note and quotable tick.

    A fragment of its own: after an answer only this block is redrawn. `current` is
    the stored answer when the theme was drawn; once drawn, the widgets hold the state.
    """

    @st.fragment(key=question_fragment(interview_id, question.id))
    def block() -> None:
        scale = question_set.scales[question.scale]
        k_answer, k_note, k_quotable = _keys(interview_id, question.id)
        answer = current.answer if current is not None else ""
        saved, error = st.session_state.get(SAVED), st.session_state.get(SAVE_ERROR)
        wording = question.wording(tier) or ""
        # The bold id is drawn as markdown; the widget's own label stays plain text because
        # screen readers read it out (as the radio group's name).
        plain = f"{question.id} · {wording}"
        # Every element here is sent to the browser after every answer, so the block uses
        # as few as it can: horizontal containers rather than columns, one markdown per card.
        with st.container(border=True):
            with st.container(horizontal=True, vertical_alignment="top", wrap=False):
                st.markdown(f"**{question.id}** · {_shared.literal(wording)}", width="stretch")
                with st.popover("Prompts", icon=":material/lightbulb:"):
                    st.markdown(_prompt_card(question))
            if scale.kind == "text":
                st.text_area(plain, value=answer, key=k_answer, height=90,
                             label_visibility="collapsed",
                             on_change=answered, args=(interview_id, question.id),
                             placeholder="The respondent's answer, in your words")
            else:
                options = [p.value for p in scale.points]
                options += [v for v in (ANSWER_DONT_KNOW, ANSWER_NA)
                            if v in scale.allowed_answers()]
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
                if error and error["question"] == question.id:
                    st.caption(":red[not saved]", width="content")
                elif saved and saved["question"] == question.id:
                    st.caption(f":green[✓ saved {saved['at']}]", width="content")
            if error and error["question"] == question.id:
                st.error(f"Not saved: {error['message']}")

    block()


def _theme_key(interview_id: int) -> str:
    return f"theme:{interview_id}"


@st.fragment(key=HEAD)
def capture_head(interview_id: int) -> None:
    """Progress overall and per theme, the saved status, and the theme buttons."""
    with _shared.db() as session:
        answers = repo.interview_answers(session, repo.get_interview(session, interview_id))
    questions = question_set.questions_for_tier(tier)
    answered_ids = {qid for qid, r in answers.items() if r.answer}
    progress = capture.theme_progress(questions, answered_ids)
    per_theme = {p.theme: p for p in progress}
    themes = [p.theme for p in progress]

    total = len(questions)
    done = sum(p.answered for p in progress)
    bar, status = st.columns([4, 1], vertical_alignment="center")
    bar.progress(done / total if total else 1.0, text=f"**{done}/{total} answered** overall")
    saved = st.session_state.get(SAVED)
    status.caption(f"✓ Every change is saved · last {saved['at']}" if saved else
                   "✓ Every change is saved as you go")
    if done == total and not summary.completed:
        st.success("All questions answered. Mark the interview complete when you finish.")

    theme_key = _theme_key(interview_id)
    if st.session_state.get(theme_key) not in themes:
        unfinished = [p.theme for p in progress if not p.done]
        st.session_state[theme_key] = unfinished[0] if unfinished else themes[0]

    def theme_label(theme: str) -> str:
        p = per_theme[theme]
        tick = ":material/check_circle: " if p.done else ""
        return f"{tick}{titles.get(theme, theme)} {p.answered}/{p.asked}"

    st.pills("Theme", themes, format_func=theme_label, key=theme_key, required=True,
             label_visibility="collapsed", on_change=theme_chosen)


@st.fragment(key=BODY)
def capture_body(interview_id: int) -> None:
    """The chosen theme's questions, each a fragment of its own, and 'Next theme'."""
    with _shared.db() as session:
        answers = repo.interview_answers(session, repo.get_interview(session, interview_id))
    questions = question_set.questions_for_tier(tier)
    themes = list(dict.fromkeys(q.theme for q in questions))
    theme = st.session_state.get(_theme_key(interview_id))
    if theme not in themes:
        theme = themes[0]
    description = question_set.themes_by_id[theme].description if theme in titles else ""
    with st.container(key="theme_top"):
        st.markdown(f"#### {titles.get(theme, theme)}")
        if description:
            st.caption(description)
    for question in (q for q in questions if q.theme == theme):
        question_block(interview_id, question, answers.get(question.id))

    position = themes.index(theme)
    if position < len(themes) - 1:
        st.button(
            f"Next theme: {titles.get(themes[position + 1], themes[position + 1])} →",
            on_click=next_theme,
            args=(_theme_key(interview_id), themes),
            key=f"next:{interview_id}",
        )
    if st.session_state.pop(SCROLL_UP, False):
        st.html(SCROLL_TO_THEME, unsafe_allow_javascript=True)


if interview_id is None:
    st.title("Interview")
    choose_interview()
    with st.expander("Import answers from a file (paper forms, survey exports)",
                     icon=":material/upload_file:"):
        import_sheet()
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
    st.button("All interviews", icon=":material/list:",
              on_click=_shared.set_current_interview, args=(None,))
    if summary.completed:
        st.button("Reopen", on_click=set_completed, args=(interview_id, False))
    else:
        st.button("Mark complete", type="primary", icon=":material/task_alt:",
                  on_click=set_completed, args=(interview_id, True))
if summary.completed:
    st.info("This interview is marked complete. You can still correct answers; they save as usual.")

st.checkbox(
    "Consent given: the respondent(s) know what the audit is for and agreed to take part",
    value=summary.consent_confirmed,
    key=f"consent:{interview_id}",
    on_change=set_consent,
    args=(interview_id,),
)
if not summary.consent_confirmed:
    st.warning("Confirm consent to show the questions.")
    st.stop()

titles = {t.id: t.title for t in question_set.themes}
capture_head(interview_id)
capture_body(interview_id)
