"""The Interview page's list: start an interview, pick one to resume, import a file of answers."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit import sheets
from sgaudit.errors import SgauditError
from sgaudit.fieldwork import Fieldwork
from sgaudit.store import capture, repo
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file
from sgaudit.surveys.options import OptionNames
from sgaudit.vocab import CAPTURE_TIERS, MODES, tier_short_label

# The survey fields of the upload form; a refused import names these, not CLI options.
TIER_COLUMN = "Column holding the tier"
AREA_COLUMN = "Column holding the service area"
FIXED_TIER = "...or the same tier for every row"
FIXED_AREA = "...or the same service area for every row"
TIER_MAP = "Role answers as tiers"
AREA_MAP = "Service answers as service areas"
SKIP = "Columns to skip"
FIELD_NAMES = OptionNames(
    tier_column=f"the field '{TIER_COLUMN}'",
    area_column=f"the field '{AREA_COLUMN}'",
    tier=f"the field '{FIXED_TIER}'",
    area=f"the field '{FIXED_AREA}'",
    tier_map=f"the field '{TIER_MAP}'",
    area_map=f"the field '{AREA_MAP}'",
    ignore_column=f"the field '{SKIP}' (one column per line)",
    column_map=(
        "a map file, which only the command line takes (sgaudit import --map FILE; "
        "--write-map FILE writes one to complete)"
    ),
    quote_maps=False,
)


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
                actor=_audit_choice.actor(),
            )
            session.flush()
            new_id, code = interview.id, interview.code
    except SgauditError as exc:
        state["sg_start_error"] = str(exc)
        return
    state.pop("sg_start_error", None)
    _audit_choice.set_current_interview(new_id)
    _shared.flash(f"Interview **{code}** started. Write this code on any paper notes.")


def answered_percent(answered: int, asked: int) -> int:
    """The share answered in whole percent, rounded down: 100 only when all are.

    A progress column leaves each bar its cell less the longer of its own label and the
    top value's ("100%"): a longer label ("97.46%") made that bar shorter than a lower
    value's ("80%"). A whole percent is never longer than "100%", so every bar has the
    same room."""
    return min(100, answered * 100 // asked) if asked else 0


def _summary_label(s: capture.InterviewSummary) -> str:
    done = " · complete" if s.completed else ""
    return (
        f"{s.code} · {_shared.tier_label(s.tier)} · {s.service_area} · "
        f"{_shared.mode_label(s.mode)} · {s.answered}/{s.asked} answered{done}"
    )


def choose_interview(
    audit_id: int,
    question_set,
    areas: list[str],
    auditors: list[str],
    summaries: list[capture.InterviewSummary],
    fieldwork: Fieldwork,
) -> None:
    """Start a new interview, or pick one to resume."""
    by_id = {s.id: s for s in summaries}
    audit_auditors = auditors
    left, right = st.columns([1, 1], gap="large")
    with left, st.container(border=True):
        st.header("Start an interview")
        asked = {t: len(question_set.questions_for_tier(t)) for t in CAPTURE_TIERS}
        tiers = [t for t in CAPTURE_TIERS if asked[t]]
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
            st.number_input(
                "How many people in the group?", min_value=2, value=4, step=1, key="new_people"
            )
        c1, c2 = st.columns(2)
        default_auditor = _audit_choice.actor() or (audit_auditors[0] if audit_auditors else None)
        c1.selectbox(
            "Auditor",
            audit_auditors,
            index=audit_auditors.index(default_auditor)
            if default_auditor in audit_auditors
            else None,
            accept_new_options=True,
            key="new_auditor",
        )
        c2.date_input("Held on", value=date.today(), format="DD/MM/YYYY", key="new_date")
        st.checkbox(
            "Everyone taking part knows what the audit is for and agreed to take part",
            key="new_consent",
            help="You can also confirm consent after starting; no question shows until you do.",
        )
        st.button(
            "Start interview",
            type="primary",
            on_click=start,
            args=(audit_id,),
            icon=":material/play_arrow:",
        )
        if st.session_state.get("sg_start_error"):
            st.error(st.session_state["sg_start_error"])
        st.caption(
            "A pseudonymous respondent code (e.g. FL-7K3QX) is generated: never record "
            "names, only role, tier and service area."
        )

    with right:
        st.header("Resume an interview")
        if not summaries:
            st.caption("No interviews in this audit yet.")
            return
        unfinished = [s for s in summaries if not s.completed]
        # The list holds every record; said in the words (and counts) every page uses.
        st.caption(
            f"{fieldwork.records_summary()}. {len(unfinished)} not marked complete.",
        )
        st.selectbox(
            "Interview to resume",
            [s.id for s in reversed(summaries)],
            index=None,
            format_func=lambda i: _summary_label(by_id[i]),
            placeholder="Choose an interview to resume",
            key="resume_pick",
            on_change=lambda: _audit_choice.set_current_interview(st.session_state["resume_pick"]),
        )
        table = pd.DataFrame(
            [
                {
                    "code": s.code,
                    "tier": tier_short_label(s.tier),
                    # whole percent, so every bar has the same room (answered_percent)
                    "answered": answered_percent(s.answered, s.asked),
                    "of": f"{s.answered}/{s.asked}",
                    "complete": s.completed,
                    "consent": "withdrawn"
                    if s.consent_withdrawn
                    else ("given" if s.consent_confirmed else "not yet"),
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
            height=_tables.table_height(len(table), long=460),
            column_config={
                "code": st.column_config.TextColumn("code", pinned=True),
                "answered": st.column_config.ProgressColumn(
                    "answered", min_value=0, max_value=100, format="%d%%", width=110
                ),
                "of": st.column_config.TextColumn("of", width="small"),
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


def import_sheet(audit_id: int, areas: list[str]) -> None:
    """Answers captured elsewhere (paper forms, survey exports): checked whole, then stored."""
    st.markdown(
        "One row per answer (the blank answer sheet's columns), or a survey export as "
        "downloaded from Microsoft Forms, Google Forms, SurveyMonkey, ODK or KoboToolbox "
        "(one row per respondent; questions matched by id or wording). The whole file is "
        "checked first: if any row has a problem, nothing is imported and every problem is "
        "listed (the first 1,000 by row, and how many more, for a file wrong throughout)."
    )
    st.download_button(
        "Download a blank answer sheet (.xlsx)",
        lambda: _blank_sheet(audit_id),
        file_name="answer-sheet.xlsx",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    uploaded = st.file_uploader(
        "Answer file (.csv or .xlsx)",
        type=["csv", "xlsx"],
        key="sheet_upload",
        max_upload_size=_shared.UPLOAD_LIMITS_MB["sheet"],
    )
    with st.expander("Survey exports: where tier and service area are"):
        st.caption(
            "Usually none of this is needed: the column whose answers are all service areas "
            "and the one whose answers are tiers (or role answers given below) are found and "
            "named when the file is checked. Fill in only what the check asks for."
        )
        c1, c2 = st.columns(2)
        tier_column = c1.text_input(TIER_COLUMN, key="sheet_tier_col")
        area_column = c2.text_input(AREA_COLUMN, key="sheet_area_col")
        fixed_tier = c1.selectbox(
            FIXED_TIER,
            [None, *CAPTURE_TIERS],
            format_func=lambda t: "-" if t is None else _shared.tier_label(t),
            key="sheet_tier",
        )
        fixed_area = c2.selectbox(
            FIXED_AREA,
            [None, *areas],
            format_func=lambda a: "-" if a is None else a,
            key="sheet_area",
        )
        tier_map = c1.text_input(
            TIER_MAP,
            placeholder="Volunteer=front_line,Team leader=manager",
            key="sheet_tier_map",
        )
        area_map = c2.text_input(
            AREA_MAP, placeholder="Housing=Supported Housing", key="sheet_area_map"
        )
        skip = st.text_area(
            SKIP,
            placeholder="One per line: a column that matches no question and should be skipped",
            key="sheet_skip",
        )
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
                    session,
                    audit_id,
                    path,
                    SurveyOptions(
                        tier_column=tier_column.strip() or None,
                        area_column=area_column.strip() or None,
                        tier=fixed_tier,
                        area=fixed_area,
                        tier_map=tier_map.strip() or None,
                        area_map=area_map.strip() or None,
                        ignore_columns=tuple(c.strip() for c in skip.splitlines() if c.strip()),
                        names=FIELD_NAMES,
                    ),
                    dry_run=dry_run,
                    actor=_audit_choice.actor(),
                )
        except SgauditError as exc:
            _shared.show_error(exc, saved_as=path, name=uploaded.name)
            return
    if dry_run:
        st.success(summary.message().replace("\n", "\n\n"))  # one paragraph per line
    else:
        _shared.flash(summary.message())
        st.rerun()
