"""Audit history: who looked at and changed what in this audit (its lead auditor, admins)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _shared
from sgaudit.store import repo
from sgaudit.store.trail import events

st.title("Audit history")
audit_id = _shared.require_audit()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    label = _shared.audit_label(audit)
    rows = [
        {
            "when (UTC)": e.at.strftime("%Y-%m-%d %H:%M:%S"),
            "who": e.actor,
            "action": e.action.replace("_", " "),
            "what": f"{e.entity} {e.entity_id}".strip(),
            "from": e.address,
            "detail": ", ".join(f"{k}: {v}" for k, v in sorted(e.detail.items())),
        }
        for e in reversed(events(session, audit=audit))
    ]
st.caption(
    f"{_shared.literal(label)}: every view of its dashboard, findings and interviews, every "
    "report download and export, and every change, newest first. Notes are never copied "
    "here: a changed note shows only as changed."
)
if rows:
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", height=_shared.table_height(len(rows))
    )
else:
    st.info("Nothing has been recorded for this audit yet.")
