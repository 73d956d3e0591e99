"""A finding the records raise is on the app's Findings page like any other: its
summary with the register's numbers, and the auditors' analysis to write for it."""

from __future__ import annotations

from app_support import app, open_page

from sgaudit.store import repo
from sgaudit.store.db import session_scope

DBS = "records:recruitment:recruitment_dbs_information_risk_assessed"


def test_the_findings_page_shows_a_record_finding_with_its_analysis(demo_db):  # noqa: F811
    with session_scope(demo_db) as s:
        audit_id = max(a.id for a in repo.list_audits(s))
    at = open_page(app(audit=audit_id), "findings")
    text = "\n".join(m.value for m in at.markdown)
    assert "1 of the 4 DBS certificates that showed information has no risk assessment" in text
    assert "Records (what the registers show)" in text
    keys = {t.key for t in at.text_area}
    assert {f"an:{part}:{DBS}" for part in ("seen", "why", "impact", "helps")} <= keys
    assert at.text_area(key=f"an:why:{DBS}").value.startswith("The new step sits in HR")
