"""The Report page shows the same opinion, summary and progress as the report, and the
opinion confirmed there is stored."""

from __future__ import annotations

import pytest
from test_app_pages import app, assert_clean, open_page

from sgaudit.store import db as store_db
from sgaudit.store import repo
from sgaudit.store.db import session_scope


@pytest.fixture
def demo_db(tmp_path, monkeypatch) -> str:
    from sgaudit.demo import build_demo

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    store_db.get_engine(url)
    with session_scope(url) as session:
        build_demo(session)
    return url


def test_the_report_page_shows_the_opinion_and_the_lead_auditor_changes_it(demo_db):
    with session_scope(demo_db) as s:
        audit_id = max(a.id for a in repo.list_audits(s))
    at = app(audit=audit_id)
    open_page(at, "report")
    assert any("Limited assurance" in h.value for h in at.subheader)
    assert any("three achieved" in m.value for m in at.markdown)
    form = [w for w in at.selectbox if w.label == "Level given"][0]
    form.set_value("reasonable")
    [t for t in at.text_area if t.label.startswith("Reason")][0].set_value("A plan & an owner.")
    [t for t in at.text_input if t.label == "Confirmed by"][0].set_value("Demo Auditor One")
    [b for b in at.button if b.label == "Save the opinion"][0].click().run()
    assert_clean(at)
    with session_scope(demo_db) as s:
        stored = repo.assurance_opinion(s, repo.get_audit(s, audit_id))
    assert (stored.proposed, stored.given, stored.reason) == (
        "limited",
        "reasonable",
        "A plan & an owner.",
    )
