"""Partnership roll-up: each member organisation's latest final audit, theme by theme
(`sgaudit.partnership`), for partnership analysts, lead auditors and admins."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _shared, _tables
from app_pages._account import current_principal
from app_pages._charts import BAND_COLOURS
from sgaudit import printed
from sgaudit.errors import SgauditError
from sgaudit.partnership import (
    FIRST,
    HIDDEN,
    Member,
    RollUp,
    members_read,
    page_workers,
    roll_up_rows,
)
from sgaudit.store.capture import audit_revision
from sgaudit.store.db import database_url

st.title("Partnership roll-up")
st.caption(
    "Each organisation you may see, at its latest final audit (a draft may still change), "
    "theme by theme: the score out of 100 and its RAG, as that audit's analysis published "
    f"them. A theme heard from too few people to show reads **{HIDDEN}**. Scores only: no "
    "note, quote, code or finding is read, and each audit read is recorded in its history."
)
# The change since an earlier final audit is coloured by its word, as the report's is.
SINCE_COLOURS = {"improved": BAND_COLOURS["green"], "worsened": BAND_COLOURS["red"]}


@st.cache_data(show_spinner="Reading the audits…", max_entries=8)
def _rows(url: str, members: tuple[Member, ...], revisions: tuple) -> pd.DataFrame:
    """The roll-up's rows, recomputed only when one of the audits changes (final audits
    rarely do: an erasure, a reopening). The key holds exactly the audits this person
    may see, so a cached table never holds another's."""
    return roll_up_rows(url, members, current_principal(), page_workers(len(members)))


with _shared.db() as session:
    members, waiting = members_read(session)  # every view is recorded, cached or not
    revisions = tuple(
        audit_revision(session, audit_id)
        for m in members
        for audit_id in (m.audit_id, m.previous_id)
        if audit_id is not None
    )
try:
    result = RollUp(_rows(database_url(), members, revisions), waiting)
except SgauditError as exc:  # e.g. SGAUDIT_ROLL_UP_WORKERS set to something unusable
    _shared.show_error(exc)
    st.stop()


def _grid(cells: pd.DataFrame, words: pd.DataFrame, colours: dict) -> None:
    """Themes down, as above; organisations across, in a grid that scrolls sideways for
    a partnership of many members with the theme kept in view, each cell coloured by
    its word (RAG, or better/worse). Each organisation's name is its column's tooltip
    too (a long name is cut in the heading)."""
    shown = cells.T.rename_axis(index="Theme", columns=None).reset_index()
    styles = words.T.reset_index(drop=True).map(
        lambda w: f"background-color: {colours[w]}" if w in colours else ""
    )
    st.dataframe(
        shown.style.apply(lambda _: styles, axis=None, subset=list(cells.index)),
        hide_index=True,
        width="stretch",
        height=_tables.table_height(len(shown)),
        column_config={
            "Theme": st.column_config.TextColumn(pinned=True, width="large"),
            **{
                org: st.column_config.TextColumn(org, help=org, width="small")
                for org in cells.index
            },
        },
    )


if result.rows.empty:
    st.info("No organisation you may see has a final audit yet.")
else:
    st.subheader("Across the partnership")
    st.caption(
        f"{printed.count(result.audits, 'organisation')}: for each theme, how many show it "
        "at each RAG (the weakest first), how many hide it, and the median score shown"
        + (
            "; of those with an earlier final audit, how many are better and how many worse "
            "on it since."
            if result.re_audited
            else "."
        )
    )
    _tables.static_table(result.by_theme(), {"median score": "{:.0f}"})

    st.subheader("Organisation by organisation")
    _grid(result.wide(), result.wide("rag"), BAND_COLOURS)

    if result.re_audited:
        st.subheader("Change since the previous final audit")
        st.caption(
            f"{printed.count(result.re_audited, 'organisation')} with an earlier final audit: "
            "each theme's score now minus then, on the questions both audits asked. "
            "**Better** or **worse** when the change is at least the question set's change "
            "points and clear of chance given the people heard, **unsure** when as large "
            "but not, otherwise **steady**; **not comparable** when either score is hidden; "
            f"**{FIRST}** for an organisation audited once."
        )
        _grid(result.wide("since"), result.wide("direction"), SINCE_COLOURS)

    st.download_button(
        "Download the roll-up (.csv)",
        result.csv(),
        file_name="partnership-roll-up.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        help="A row per organisation and theme, scores to one decimal; empty where hidden.",
    )
if result.organisations_without_final:
    st.caption(
        "No final audit yet: "
        + _shared.literal(", ".join(result.organisations_without_final))
        + "."
    )
