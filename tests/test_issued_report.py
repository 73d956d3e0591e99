"""One board report per issued version: a re-audit's issued report carries the change
since the audit it re-audits; on a final audit everyone who may download the report
(the trustee too) gets the issued document itself; the trustee's Dashboard lists the
findings as the report prints them."""

from __future__ import annotations

import pytest
from app_support import app, assert_clean, open_page

from sgaudit import issuing
from sgaudit.store import repo
from sgaudit.store.accounts import add_user, grant_role
from sgaudit.store.db import get_engine, session_scope
from sgaudit.store.models import AuditEvent

TRUSTEE_PASSWORD = "a long enough passphrase for tests"
REWORDED = "Front-line staff in two services do not know who the safeguarding lead is."


@pytest.fixture(scope="module")
def issued_store(tmp_path_factory):
    """The demo store with the re-audit (audit 2) made final as the app makes it, and a
    trustee (organisation viewer) of the demo organisation."""
    from sgaudit.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('issued') / 'store.db'}"
    get_engine(url)
    with session_scope(url) as s:
        build_demo(s)
    with session_scope(url) as s:
        audit = repo.get_audit(s, max(a.id for a in repo.list_audits(s)))
        assert audit.previous_audit_id is not None  # the demo's re-audit
        # one finding reworded and one dismissed, as the tester did on Findings
        reviewed = {k for k, r in repo.finding_reviews(s, audit).items() if r.status != "proposed"}
        open_ = [f for f in _full_analysis(s, audit.id).findings if f.key not in reviewed]
        for f, status in zip(open_[:2], ("edited", "dismissed"), strict=True):
            repo.review_finding(
                s,
                audit,
                f.key,
                kind=f.kind,
                theme=f.theme,
                status=status,
                summary=REWORDED if status == "edited" else "",
                severity=f.severity,
                service_areas=f.service_areas,
                tiers=f.tiers,
                actor=audit.auditor_1,
            )
        repo.submit_for_review(s, audit, actor=audit.auditor_1)
        for item in issuing.review_items(s, audit):
            repo.review_item(s, audit, item.key, "signed_off", actor=audit.auditor_2)
        issuing.finalise(s, audit.id, actor=audit.auditor_1)
        add_user(s, "trustee", TRUSTEE_PASSWORD, email="trustee@example.org")
        grant_role(s, "trustee", "organisation_viewer", organisation=audit.organisation)
        return url, audit.id, audit.previous_audit_id


@pytest.fixture
def store(issued_store, monkeypatch):
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", issued_store[0])
    return issued_store


def test_a_reaudits_issued_version_carries_the_change_since_the_audit_it_reaudits(store):
    from sgaudit.store.workflow import issued_version

    url, audit_id, previous_id = store
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        issued = issued_version(s, audit, "1.0").report_context
        previous = repo.get_audit(s, previous_id)
    assert issued["change"] is not None  # "Change since the last audit"
    assert issued["previous_audit"].startswith(previous.title)
    assert issued["progress"] is not None  # "Since the last audit"
    assert (issued["status"], issued["version"]) == ("FINAL", "1.0")


def test_the_issued_document_is_the_same_bytes_each_time_and_each_is_recorded(store):
    url, audit_id, _ = store
    with session_scope(url) as s:
        before = s.query(AuditEvent).filter(AuditEvent.action == "download_report").count()
        first = issuing.issued_report_bytes(s, audit_id)
        again = issuing.issued_report_bytes(s, audit_id, "1.0")
        after = s.query(AuditEvent).filter(AuditEvent.action == "download_report").count()
    assert first == again
    assert after == before + 2


def test_the_trustee_gets_the_issued_report_itself_on_the_report_page(store):
    url, audit_id, _ = store
    with session_scope(url) as s:
        expected = _issued_bytes(s, audit_id)
    at = app(user="trustee", audit=audit_id)
    open_page(at, "report")
    assert not [b for b in at.button if b.label == "Generate report"]  # nothing made afresh
    assert any(h.value.startswith("Our opinion: ") for h in at.subheader)
    assert any("Since the last audit" in m.value for m in at.markdown)
    [b for b in at.button if b.label == "Get the issued report (version 1.0)"][0].click().run()
    assert_clean(at)
    got = at.session_state["sg_issued_report"]
    assert got["data"] == expected  # byte for byte the stored version's document
    assert any(
        d.label == "Download the issued report 1.0 (.docx)" for d in at.get("download_button")
    )
    with session_scope(url) as s:
        trustee_downloads = (
            s.query(AuditEvent)
            .filter(AuditEvent.action == "download_report", AuditEvent.actor == "trustee")
            .count()
        )
    assert trustee_downloads == 1


def test_the_lead_gets_the_same_issued_report_and_no_second_final_one(store):
    url, audit_id, _ = store
    with session_scope(url) as s:
        expected = _issued_bytes(s, audit_id)
    at = app(audit=audit_id)  # an admin, who may do everything a lead auditor may
    open_page(at, "report")
    assert not [b for b in at.button if b.label == "Generate report"]
    assert not [w for w in at.selectbox if w.label == "Compare with an earlier audit"]
    [b for b in at.button if b.label == "Get the issued report (version 1.0)"][0].click().run()
    assert_clean(at)
    assert at.session_state["sg_issued_report"]["data"] == expected


def test_the_trustees_dashboard_lists_the_findings_as_the_report_prints_them(store):
    url, audit_id, _ = store
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        reviews = repo.finding_reviews(s, audit)
    issued = issuing_findings(url, audit_id)
    added = [r for r in reviews.values() if r.status == "added"]
    edited = [r for r in reviews.values() if r.status == "edited" and r.summary]
    assert added and edited  # the demo adds a finding of its own; the fixture rewords one

    at = app(user="trustee", audit=audit_id)
    open_page(at, "dashboard")
    metric = [m for m in at.metric if m.label == "Findings"][0]
    assert metric.value == str(len(issued))  # every finding the report prints
    table = at.dataframe[0].value
    assert "review" not in table.columns
    assert sorted(table["summary"]) == sorted(issued)
    assert {r.summary for r in added} <= set(table["summary"])
    assert REWORDED in set(table["summary"])
    dismissed = [k for k, r in reviews.items() if r.status == "dismissed"]
    proposed = {f.key: f.summary for f in _viewer_findings(url, audit_id)}
    assert dismissed and not {proposed[k] for k in dismissed if k in proposed} & set(
        table["summary"]
    )
    assert proposed[edited[0].finding_key] not in set(table["summary"])  # not the proposal
    assert not [c for c in at.caption if "Accept, reword or dismiss" in c.value]


def _full_analysis(s, audit_id):
    from sgaudit.report.build import report_inputs

    return report_inputs(s, audit_id).analysis


def issuing_findings(url, audit_id) -> list[str]:
    """The summaries of the findings the issued report prints, one per finding."""
    from sgaudit.store.workflow import issued_version

    with session_scope(url) as s:
        context = issued_version(s, repo.get_audit(s, audit_id), "1.0").report_context
    return [f["summary"] for t in context["themes"] for f in t["findings"]]


def _viewer_findings(url, audit_id):
    with session_scope(url) as s:
        return _full_analysis(s, audit_id).findings


def _issued_bytes(s, audit_id) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        return issuing.reissue_report(s, audit_id, "1.0", Path(tmp) / "r.docx").read_bytes()
