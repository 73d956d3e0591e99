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
    with st.expander("Fieldwork so far", icon=":material/grid_view:"):
        table = cov.grid(" (below minimum)")
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
    """The plan as a tier x service area grid of head counts, saved all at once."""
    planned = cov.cells.pivot(index="tier", columns="service_area", values="planned")
    planned = planned.reindex(index=list(dict.fromkeys(cov.cells["tier"])))
    labels = {t: SHORT_TIER.get(t, t) for t in planned.index}
    shown = planned.rename(index=labels)
    with st.form("fieldwork_plan", border=False):
        st.markdown("**Fieldwork plan**: how many people you intend to hear in each cell")
        edited = st.data_editor(
            shown,
            key="fieldwork_plan_grid",
            column_config={
                a: st.column_config.NumberColumn(a, min_value=0, max_value=MAX_PEOPLE, step=1)
                for a in shown.columns
            },
            width="stretch",
        )
        saved = st.form_submit_button("Save the plan", icon=":material/save:")
    if not saved:
        return
    by_label = {v: k for k, v in labels.items()}
    cells = [
        (by_label[label], area, int(edited.at[label, area] or 0))
        for label in edited.index
        for area in edited.columns
        if int(edited.at[label, area] or 0) != int(shown.at[label, area])
    ]
    try:
        with _shared.db() as session:
            changed = repo.set_plan(
                session, repo.get_audit(session, audit_id), cells, actor=_shared.actor()
            )
    except SgauditError as exc:
        st.error(str(exc))
        return
    _shared.flash(f"Fieldwork plan saved ({changed} cell{'s' if changed != 1 else ''} changed).")
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
