"""A draft report carries 0.x (0.1, 0.2 ...), never the 1.0 it will be issued as; a
final report carries its issued version; a reopened audit's draft says which version
it is preparing."""

from __future__ import annotations

import pytest
from test_workflow import LEAD, SECOND, _new_audit, _sign_everything

from sgaudit import issuing
from sgaudit.report.build import build_report_context
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('versions') / 'store.db'}"
    get_engine(url)
    return url


def printed(s, audit_id) -> tuple[str, str]:
    context = build_report_context(s, audit_id)
    return context.version, context.status


def test_a_draft_is_numbered_0_x_through_review_and_final_is_1_0(store):
    audit_id = _new_audit(store)
    with session_scope(store) as s:
        audit = repo.get_audit(s, audit_id)
        assert printed(s, audit_id) == ("0.1", "DRAFT")
        repo.submit_for_review(s, audit, actor=LEAD)
        assert printed(s, audit_id) == ("0.1", "DRAFT")  # the draft under review
        repo.review_item(s, audit, "analysis", "sent_back", actor=SECOND, comment="Say why.")
        assert printed(s, audit_id) == ("0.2", "DRAFT")  # back to the lead: a new draft
        repo.submit_for_review(s, audit, actor=LEAD)
        _sign_everything(s, audit)
        issue = issuing.finalise(s, audit.id, actor=LEAD)
        assert issue.report_context["version"] == "1.0"
        assert printed(s, audit_id) == ("1.0", "FINAL")
        repo.reopen(s, audit, actor=LEAD, reason="A late register.")
        assert printed(s, audit_id) == ("1.1 draft 1", "DRAFT")


def test_no_draft_report_prints_1_0(store, tmp_path):
    from docx import Document

    from sgaudit.report import generate_report

    audit_id = _new_audit(store)
    with session_scope(store) as s:
        path = generate_report(s, audit_id, tmp_path / "draft.docx")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Version 0.1" in text and "version 0.1 of the report (DRAFT)" in text
    assert "Version 1.0" not in text and "version 1.0 of the report" not in text
