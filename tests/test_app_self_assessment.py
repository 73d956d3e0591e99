"""The app shows the organisation's self-assessment against the evidence (issue 15):
a dashboard tab and the optimism findings, on the demo re-audit; and the interview
page offers the self-assessment as a tier to capture."""

from __future__ import annotations

from app_support import app, by_label, open_page

from sgaudit.store import repo
from sgaudit.store.db import session_scope


def test_the_dashboard_and_findings_show_the_self_assessment_against_the_evidence(demo_db):
    with session_scope(demo_db) as s:
        reaudit = repo.list_audits(s)[-1].id
    at = open_page(app(audit=reaudit), "dashboard")
    assert "Self-assessment" in [t.label for t in at.tabs]
    tables = [d.value for d in at.table if "reading" in d.value.columns]
    (table,) = tables
    readings = dict(zip(table["theme"], table["reading"], strict=True))
    assert readings["Complaints and whistleblowing"] == "Markedly better than the evidence"
    assert readings["Governance"] == "Markedly better than the evidence"
    assert any("self-assessment rates Governance" in w.value for w in at.warning)

    at = open_page(at, "findings")
    text = " ".join(m.value for m in at.markdown)
    assert "Self-assessment optimism" in text and "self-assessment rates Complaints" in text

    at = open_page(at, "interview")
    tier = by_label(at.selectbox, "Tier")
    assert "self_assessment" in tier.options or any(
        "Self-assessment" in str(o) for o in tier.options
    )
