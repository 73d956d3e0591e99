"""Partnership roll-up: each member organisation's latest final audit, theme by theme
(`sgaudit.partnership`), for partnership analysts, lead auditors and admins."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _shared, _tables
from app_pages._account import current_principal
from app_pages._charts import BAND_COLOURS
from sgaudit import printed
from sgaudit.partnership import HIDDEN, Member, RollUp, latest_final_audits, roll_up_rows
from sgaudit.store.capture import audit_revision
from sgaudit.store.db import database_url
from sgaudit.store.trail import record_reads

st.title("Partnership roll-up")
st.caption(
    "Each organisation you may see, at its latest final audit (a draft may still change), "
    "theme by theme: the score out of 100 and its RAG, as that audit's analysis published "
    f"them. A theme heard from too few people to show reads **{HIDDEN}**. Scores only: no "
    "note, quote, code or finding is read, and each audit read is recorded in its history."
)


@st.cache_data(show_spinner="Reading the audits…", max_entries=8)
def _rows(url: str, members: tuple[Member, ...], revisions: tuple) -> pd.DataFrame:
    """The roll-up's rows, recomputed only when one of the audits changes (final audits
    rarely do: an erasure, a reopening). The key holds exactly the audits this person
    may see, so a cached table never holds another's."""
    return roll_up_rows(url, members, current_principal())


with _shared.db() as session:
    audits, waiting = latest_final_audits(session)
    members = tuple(Member.of(a) for a in audits)  # before the commit expires the audits
    record_reads(session, "view_roll_up", audits)  # every view is recorded, cached or not
    revisions = tuple(audit_revision(session, m.audit_id) for m in members)
result = RollUp(_rows(database_url(), members, revisions), waiting)

if result.rows.empty:
    st.info("No organisation you may see has a final audit yet.")
else:
    st.subheader("Across the partnership")
    st.caption(
        f"{printed.count(result.audits, 'organisation')}: for each theme, how many show it "
        "at each RAG (the weakest first), how many hide it, and the median score shown."
    )
    _tables.static_table(result.by_theme(), {"median score": "{:.0f}"})

    st.subheader("Organisation by organisation")
    wide = result.wide()

    # Themes down, as above; organisations across, in a grid that scrolls sideways for a
    # partnership of many members with the theme kept in view. Each organisation's
    # name is its column's tooltip too (a long name is cut in the heading).
    shown = wide.T.rename_axis(index="Theme", columns=None).reset_index()
    colours = result.wide("rag").T.reset_index(drop=True)
    colours = colours.map(
        lambda rag: f"background-color: {BAND_COLOURS[rag]}" if rag in BAND_COLOURS else ""
    )
    st.dataframe(
        shown.style.apply(lambda _: colours, axis=None, subset=list(wide.index)),
        hide_index=True,
        width="stretch",
        height=_tables.table_height(len(shown)),
        column_config={
            "Theme": st.column_config.TextColumn(pinned=True, width="large"),
            **{
                org: st.column_config.TextColumn(org, help=org, width="small") for org in wide.index
            },
        },
    )
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
