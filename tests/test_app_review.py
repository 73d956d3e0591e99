"""The Review & sign-off page walks an audit from draft to final, as the right auditors."""

from __future__ import annotations

from app_support import app, button, open_page
from test_workflow import _new_audit

from sgaudit.store import db as store_db
from sgaudit.store import repo
from sgaudit.store.db import session_scope


def test_the_review_page_takes_an_audit_from_draft_to_final(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    store_db.get_engine(url)
    audit_id = _new_audit(url)  # with the recommendations its findings need
    at = app(audit=audit_id)
    at.run()
    open_page(at, "review")
    at.session_state["sg_actor"] = "Asha Khan"
    button(at, "Submit for review").click().run()
    assert "in review" in at.success[0].value
    at.session_state["sg_actor"] = "Ben Jones"
    at.run()
    [sign_all] = [b for b in at.button if b.label.startswith("Sign off the ")]
    sign_all.click().run()
    at.session_state["sg_actor"] = "Ben Jones"
    at.run()
    button(at, "Confirm as final (lead auditor)").click().run()
    assert at.error and "only the lead auditor" in at.error[0].value
    at.session_state["sg_actor"] = "Asha Khan"
    at.run()
    button(at, "Confirm as final (lead auditor)").click().run()
    assert not at.exception
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        assert audit.status == "final"
        assert [v.version for v in repo.issued_versions(s, audit)] == ["1.0"]
    assert any(d.label == "Report 1.0" for d in at.get("download_button"))
