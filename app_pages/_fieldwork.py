"""The Interview page's view of fieldwork: the plan against coverage so far, and question
sheets to print."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app_pages import _audit_choice, _shared
from sgaudit import printed
from sgaudit.access.policy import CAPTURE
from sgaudit.errors import SgauditError
from sgaudit.fieldwork_guide import guide_lines
from sgaudit.limits import MAX_PEOPLE
from sgaudit.question_sheet import write_question_sheet
from sgaudit.store import repo
from sgaudit.store.coverage import fieldwork_coverage
from sgaudit.store.db import session_scope
from sgaudit.store.scope import allowed
from sgaudit.vocab import TIERS, tier_short_label

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
        table.index = [tier_short_label(t) for t in table.index]
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
            # one line per tier, its cells in the organisation's order: read at a glance
            by_tier = {
                tier: ", ".join(
                    f"{_shared.literal(r.service_area)} {r.still_to_hear}"
                    for r in rows.itertuples()
                )
                for tier, rows in short.groupby("tier", sort=False)
            }
            st.info(
                f"Still to hear: {printed.count(int(short['still_to_hear'].sum()), 'person', 'people')} "
                f"in {printed.count(len(short), 'cell')}:\n"
                + "".join(f"\n- {tier_short_label(t)}: {cells}" for t, cells in by_tier.items())
            )
        if cov.board_themes_missing:
            st.warning(
                "Not yet asked at board level: "
                + ", ".join(titles.get(t, t) for t in cov.board_themes_missing)
            )
        else:
            st.success("Every theme has been asked at board level.")
        _guide(cov)
        if may_plan:
            _plan_form(audit_id, cov)


def _guide(cov) -> None:
    """The fieldwork guide: where the voices planned or heard are too few for the analysis
    to see a 30-point difference (each in its own box), then the tiers heard enough."""
    lines = guide_lines(cov.guide, cov.has_plan, cov.organisation)
    if not lines:
        return
    st.markdown("**What the analysis will be able to see**")
    for text in (text for kind, text in lines if kind == "warning"):
        st.warning(_shared.literal(text), icon=":material/visibility_off:")
    enough = [text for kind, text in lines if kind == "success"]
    if enough:
        st.success("Heard so far:\n" + "".join(f"\n- {_shared.literal(t)}" for t in enough))


AREAS_PER_ROW = 6  # service areas side by side in the plan form; more wrap to a new block


def _cell_key(audit_id: int, tier: str, area: str) -> str:
    return f"plan:{audit_id}:{tier}:{area}"


def _shown_key(audit_id: int) -> str:
    return f"plan_shown:{audit_id}"


def _note_key(audit_id: int) -> str:
    return f"plan_note:{audit_id}"


def _cell_label(tier: str, area: str) -> str:
    return f"{tier_short_label(tier)} · {area}"


def _sync_form(audit_id: int, planned: dict[tuple[str, str], int]) -> None:
    """Put the stored plan into the form's inputs, before they are drawn.

    A cell is filled in when it has no input yet (first showing, or back from another
    page or audit) or when its stored number moved since the form last showed it (this
    save, or someone else's); any other cell keeps what is in it, typed or not."""
    shown = st.session_state.get(_shown_key(audit_id), {})
    for (tier, area), people in planned.items():
        key = _cell_key(audit_id, tier, area)
        if key not in st.session_state or shown.get((tier, area)) != people:
            st.session_state[key] = people
    st.session_state[_shown_key(audit_id)] = planned


def _save_plan(audit_id: int, cells: list[tuple[str, str]]) -> None:
    """The form's submit: store the cells the auditor changed, say what changed."""
    shown = st.session_state.get(_shown_key(audit_id), {})
    entered = {cell: int(st.session_state[_cell_key(audit_id, *cell)]) for cell in cells}
    # Only what was edited here: a cell someone else changed meanwhile keeps their number.
    edits = [(t, a, n) for (t, a), n in entered.items() if n != shown.get((t, a))]
    st.session_state[PLAN_SAVED] = True
    note = _note_key(audit_id)
    try:
        with _shared.db() as session:
            audit = repo.get_audit(session, audit_id)
            changes = repo.revise_plan(session, audit, edits, actor=_audit_choice.actor())
    except SgauditError as exc:  # nothing saved; what was typed stays in the form
        st.session_state[note] = ("error", f"The plan was not saved: {exc}")
        return
    if not changes:
        st.session_state[note] = ("info", "Nothing changed: the plan is as it was.")
        return
    said = "; ".join(
        f"{_cell_label(c.tier, c.service_area)} {c.old} → {c.new}"
        + (" (cleared)" if c.new == 0 else "")
        for c in changes
    )
    count = f"{len(changes)} cell{'s' if len(changes) > 1 else ''}"
    cut = any(c.new < c.old for c in changes)  # fewer people, or a cell no longer planned
    st.session_state[note] = (
        "warning" if cut else "success",
        f"Plan saved: {count} changed: {said}.",
    )


def _plan_form(audit_id: int, cov) -> None:
    """Every tier x service area with its planned head count, set and saved at once.

    The inputs are keyed per audit and cell and filled from the stored plan, so the
    form always starts from the plan the table shows: saving it untouched changes
    nothing, and a save names each cell it changed (old → new)."""
    tiers = list(dict.fromkeys(cov.cells["tier"]))
    areas = list(cov.grid().columns)  # in the table's order, so a cell sits where it is read
    planned = {
        (tier, area): int(people)
        for tier, area, people in cov.cells[["tier", "service_area", "planned"]].itertuples(
            index=False, name=None
        )
    }
    _sync_form(audit_id, planned)
    st.markdown(
        "**Fieldwork plan**: how many people you intend to hear in each cell "
        "(0: none planned). Change the cells you mean to, then save."
    )
    kind, text = st.session_state.pop(_note_key(audit_id), (None, None))
    if kind:
        getattr(st, kind)(text)
    with st.form(f"fieldwork_plan:{audit_id}", border=False):
        for first in range(0, len(areas), AREAS_PER_ROW):
            block = areas[first : first + AREAS_PER_ROW]
            widths = [1.3] + [1] * len(block)
            for col, area in zip(st.columns(widths), ["", *block], strict=True):
                col.markdown(f"**{_shared.literal(area)}**" if area else "")
            for tier in tiers:
                row = st.columns(widths, vertical_alignment="center")
                row[0].markdown(tier_short_label(tier))
                for col, area in zip(row[1:], block, strict=True):
                    col.number_input(
                        _cell_label(tier, area),
                        min_value=0,
                        max_value=MAX_PEOPLE,
                        step=1,
                        key=_cell_key(audit_id, tier, area),
                        label_visibility="collapsed",
                    )
        st.form_submit_button(
            "Save the plan",
            icon=":material/save:",
            on_click=_save_plan,
            args=(audit_id, list(planned)),
        )


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
