"""The Interview page's view of fieldwork: coverage so far, and question sheets to print."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app_pages import _shared
from app_pages._charts import SHORT_TIER
from sgaudit.question_sheet import write_question_sheet
from sgaudit.store import repo
from sgaudit.store.coverage import fieldwork_coverage
from sgaudit.store.db import session_scope
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
    """People heard per tier x service area, cells still below the minimum, board gaps."""
    with _shared.db() as session:
        cov = fieldwork_coverage(session, repo.get_audit(session, audit_id))
    titles = {t.id: t.title for t in question_set.themes}
    with st.expander("Fieldwork so far", icon=":material/grid_view:"):
        table = cov.cells.pivot(index="tier", columns="service_area", values="people")
        table.index = [SHORT_TIER.get(t, t) for t in table.index]
        shown = table.astype(str).where(
            table >= cov.suppression_min, table.astype(str) + " (below minimum)"
        )
        st.caption(
            f"People heard per tier and service area. A cell with fewer than "
            f"{cov.suppression_min} people is below the suppression minimum: its scores "
            "will be hidden in every output."
        )
        st.table(shown)
        if cov.board_themes_missing:
            st.warning(
                "Not yet asked at board level: "
                + ", ".join(titles.get(t, t) for t in cov.board_themes_missing)
            )
        else:
            st.success("Every theme has been asked at board level.")


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
