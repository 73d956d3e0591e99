"""The Findings page edits the auditors' analysis, and what is saved there is in the store
(so in the report and the findings file)."""

from __future__ import annotations

from app_support import app, assert_clean, open_page

from sgaudit.store import repo
from sgaudit.store.db import session_scope


def test_a_theme_analysis_written_on_the_findings_page_is_stored(demo_db):
    with session_scope(demo_db) as s:
        audit_id = max(a.id for a in repo.list_audits(s))
    at = app(audit=audit_id)
    open_page(at, "findings")
    subject = "theme:governance"
    at.text_area(key=f"an:why:{subject}").set_value(
        "Board papers follow the finance cycle & nobody asks for <safeguarding> data."
    )
    form_button = next(
        b
        for b in at.button
        if b.label == "Save analysis" and b.proto.form_id == f"analysis:{subject}"
    )
    form_button.click().run()
    assert_clean(at)
    with session_scope(demo_db) as s:
        stored = repo.auditor_analyses(s, repo.get_audit(s, audit_id))[subject]
    assert stored.why == (
        "Board papers follow the finance cycle & nobody asks for <safeguarding> data."
    )
    assert stored.seen  # the other parts kept as they were
