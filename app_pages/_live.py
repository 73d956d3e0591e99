"""What the other auditor is doing, refreshed on its own: the fieldwork list and coverage.

Two auditors capture different interviews of one audit at once. This fragment reruns
every `REFRESH_SECONDS` without the page, so each sees the other's interviews and
progress appear without reloading; only this block is redrawn.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from app_pages import _shared, _tables
from sgaudit.store import capture, repo

REFRESH_SECONDS = 15


@st.fragment(run_every=REFRESH_SECONDS)
def live_fieldwork(audit_id: int) -> None:
    """Every interview of the audit, whoever captures it, with coverage per tier."""
    with _shared.db() as session:
        summaries = capture.interview_summaries(session, repo.get_audit(session, audit_id))
    st.subheader("Fieldwork now")
    if not summaries:
        st.caption("No interviews yet.")
        return
    frame = pd.DataFrame(
        {
            "Code": [s.code for s in summaries],
            "Tier": [_shared.tier_label(s.tier) for s in summaries],
            "Area": [s.service_area for s in summaries],
            "Auditor": [s.auditor for s in summaries],
            "Answered": [s.answered for s in summaries],
            "Asked": [s.asked for s in summaries],
            "Complete": [s.completed for s in summaries],
        }
    )
    # Every record the audit holds, the self-assessment and unanswered ones too: not the
    # Dashboard's sessions (`sgaudit.fieldwork`), so not called interviews either.
    coverage = frame.groupby("Tier", sort=False).agg(
        Records=("Code", "size"), Complete=("Complete", "sum"), Answers=("Answered", "sum")
    )
    st.dataframe(coverage, width="stretch", height=_tables.table_height(len(coverage)))
    with st.expander(f"All {len(frame)} records"):
        st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(f"Refreshed {datetime.now():%H:%M:%S}; refreshes every {REFRESH_SECONDS} s.")
