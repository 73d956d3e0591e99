"""The Interview page's view of fieldwork: the plan against coverage so far, and question
sheets to print."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app_pages import _shared
from app_pages._charts import SHORT_TIER
from sgaudit.access.policy import CAPTURE
from sgaudit.errors import SgauditError
from sgaudit.limits import MAX_PEOPLE
from sgaudit.question_sheet import write_question_sheet
from sgaudit.store import repo
from sgaudit.store.coverage import fieldwork_coverage
from sgaudit.store.db import session_scope
from sgaudit.store.scope import allowed
from sgaudit.vocab import TIERS

PLAN_SAVED = "sg_plan_saved"


def _sheet(audit_id: int, tier: str) -> bytes:
    # Runs on a download thread without the page's context: use the library's session.
    with tempfile.TemporaryDirectory(prefix="sgaudit-qsheet-") as tmp:
        out = Path(tmp) / "question-sheet.docx"
        with session_scope(_shared.database_url()) as session:
            audit = repo.get_audit(session, audit_id)
            heading = f"{audit.organisation.name} · {audit.title}"
            write_question_sheet(repo.audit_question_set(audit), tier, out, heading=heading)
        return out.read_bytes()


def coverage_box(audit_id: int, question_set) -> None:
    """Planned against heard per tier x service area, cells still below the minimum,
    board gaps; and the plan itself, for those who capture."""
    with _shared.db() as session:
        audit = repo.get_audit(session, audit_id)
        cov = fieldwork_coverage(session, audit)
        may_plan = allowed(session, CAPTURE, audit) and audit.status != "final"
    titles = {t.id: t.title for t in question_set.themes}
    # Open again after a save, so the auditor sees the plan they just saved.
    reopen = st.session_state.pop(PLAN_SAVED, False)
    with st.expander("Fieldwork so far", icon=":material/grid_view:", expanded=reopen):
        table = cov.grid(" (below minimum)").replace("-", "–")  # a bare '-' reads as a list
        table.index = [SHORT_TIER.get(t, t) for t in table.index]
        heard = "People heard / planned" if cov.has_plan else "People heard"
        st.caption(
            f"{heard} per tier and service area. A cell with fewer than "
            f"{cov.suppression_min} people heard is below the suppression minimum: its "
            "scores will be hidden in every output."
            + (" A dash: nobody planned or heard there." if cov.has_plan else "")
        )
        st.table(table)
        short = cov.cells[cov.cells["still_to_hear"] > 0]
        if cov.has_plan and short.empty:
            st.success("Every planned cell has been heard.")
        elif cov.has_plan:
            st.info(
                f"Still to hear: {int(short['still_to_hear'].sum())} people in "
                f"{len(short)} cell{'s' if len(short) > 1 else ''}: "
                + "; ".join(
                    f"{SHORT_TIER.get(r.tier, r.tier)} · {r.service_area} {r.still_to_hear}"
                    for r in short.itertuples()
                )
            )
        if cov.board_themes_missing:
            st.warning(
                "Not yet asked at board level: "
                + ", ".join(titles.get(t, t) for t in cov.board_themes_missing)
            )
        else:
            st.success("Every theme has been asked at board level.")
        if may_plan:
            _plan_form(audit_id, cov)


def _plan_form(audit_id: int, cov) -> None:
    """Plan one tier x service area at a time (the grid above shows the whole plan)."""
    tiers = list(dict.fromkeys(cov.cells["tier"]))
    areas = list(dict.fromkeys(cov.cells["service_area"]))
    planned = cov.cells.set_index(["tier", "service_area"])["planned"]
    st.markdown("**Fieldwork plan**: how many people you intend to hear in a cell")
    with st.form("fieldwork_plan", border=False):
        tier_col, area_col, people_col = st.columns(3)
        tier = tier_col.selectbox("Tier", tiers, format_func=_shared.tier_label, key="plan_tier")
        area = area_col.selectbox("Service area", areas, key="plan_area")
        people = people_col.number_input(
            "People to hear (0: none planned)",
            min_value=0,
            max_value=MAX_PEOPLE,
            step=1,
            key="plan_people",
        )
        saved = st.form_submit_button("Save the plan", icon=":material/save:")
    if not saved:
        return
    try:
        with _shared.db() as session:
            audit = repo.get_audit(session, audit_id)
            repo.set_planned(session, audit, tier, area, int(people), actor=_shared.actor())
    except SgauditError as exc:
        st.error(str(exc))
        return
    before = int(planned.get((tier, area), 0))
    st.session_state[PLAN_SAVED] = True
    _shared.flash(
        f"Fieldwork plan saved: {_shared.tier_label(tier)} · {area}: {before} → {int(people)}."
    )
    st.rerun()


def sheet_box(audit_id: int, question_set) -> None:
    """A printable question sheet per tier (Word), for interviews done on paper."""
    with st.expander("Print a question sheet (for an interview on paper)", icon=":material/print:"):
        tiers = [t for t in TIERS if question_set.questions_for_tier(t)]
        tier = st.selectbox("Tier", tiers, format_func=_shared.tier_label, key="sheet_print_tier")
        st.download_button(
            "Download the question sheet (.docx)",
            lambda: _sheet(audit_id, tier),
            file_name=f"question-sheet-{tier}.docx",
            icon=":material/download:",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        st.caption(
            "The tier's wording, answer options to tick and space for notes. Type the "
            "answers in afterwards here, or import them with the answer sheet."
        )
