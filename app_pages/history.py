"""Audit history: who looked at and changed what in this audit (its lead auditor, admins)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit.store import repo
from sgaudit.store.trail import events
from sgaudit.store.trail_words import action_words, event_words, trail_names, who_words

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
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        height=_tables.table_height(len(rows)),
        column_config={  # short columns kept narrow: the line in words gets the room
            "when (UTC)": st.column_config.TextColumn(width=135),
            "action": st.column_config.TextColumn(width=70),
            "from": st.column_config.TextColumn(width=80),
        },
    )
else:
    st.info("Nothing has been recorded for this audit yet.")
