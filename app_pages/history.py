"""Audit history: who looked at and changed what in this audit (its lead auditor, admins)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit.store import repo
from sgaudit.store.trail import events
from sgaudit.store.trail_words import action_words, event_words, trail_names, who_words

# About 20 lines before the table scrolls (Streamlit's default showed 10).
LONG_TABLE_PX = 740

st.title("Audit history")
audit_id = _audit_choice.require_audit()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    label = _audit_choice.audit_label(audit)
    names = trail_names(session, audit)
    rows = [
        {
            "when (UTC)": e.at.strftime("%Y-%m-%d %H:%M:%S"),
            "who": who_words(e),
            "action": action_words(e),
            "what happened": event_words(e, names),
            "from": e.address,
        }
        for e in reversed(events(session, audit=audit))
    ]
st.caption(
    f"{_shared.literal(label)}: every view of its dashboard, findings and interviews, every "
    "report download and export, and every change, newest first. Notes are never copied "
    "here: a changed note shows only as changed. `sgaudit audit-log --out` exports the "
    "trail as recorded, field by field."
)
if rows:
    st.caption("Choose a line in the table to read it in full here.")
    whole_line = st.container()  # above the table: seen without scrolling past it
    chosen = st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        height=_tables.table_height(len(rows), long=LONG_TABLE_PX),
        column_config={  # short columns kept narrow: the line in words gets the room
            "when (UTC)": st.column_config.TextColumn(width=135),
            "action": st.column_config.TextColumn(width=70),
            "from": st.column_config.TextColumn(width=80),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="history_lines",
    )
    picked = chosen.selection.rows if chosen is not None else []
    if picked and picked[0] < len(rows):
        # The table cuts a long line at its column's width: the chosen one is read whole.
        line = rows[picked[0]]
        with whole_line.container(border=True, key="history_line"):
            st.caption(
                f"{line['when (UTC)']} UTC · {_shared.literal(line['who'])} · {line['action']}"
            )
            st.markdown(_shared.literal(line["what happened"]))
else:
    st.info("Nothing has been recorded for this audit yet.")
