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


def test_a_reason_for_no_recommendation_given_on_a_findings_card_is_stored(demo_db):
    with session_scope(demo_db) as s:
        audit = repo.get_audit(s, max(a.id for a in repo.list_audits(s)))
        audit_id, before = audit.id, repo.no_recommendation_reasons(s, audit)
    at = app(audit=audit_id)
    open_page(at, "findings")
    # the first card whose reason form is showing (a Medium or High finding)
    area = next(t for t in at.text_area if t.key and t.key.startswith("reason_text:"))
    key = area.key.removeprefix("reason_text:")
    area.set_value("Already in the trust's improvement plan (action 4, due June).")
    next(
        b for b in at.button if b.label == "Save reason" and b.proto.form_id == f"reason:{key}"
    ).click().run()
    assert_clean(at)
    with session_scope(demo_db) as s:
        after = repo.no_recommendation_reasons(s, repo.get_audit(s, audit_id))
    assert after[key] == "Already in the trust's improvement plan (action 4, due June)."
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }
