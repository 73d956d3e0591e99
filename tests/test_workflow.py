"""An audit's path draft -> in review -> final: the second auditor signs off or sends
back, the lead auditor confirms, a final audit is locked everywhere in the store, a
change opens a new version, and an issued version's report comes out again exactly."""

from __future__ import annotations

from datetime import date

import docx
import pytest
import sqlalchemy as sa
from test_report_fixtures import AREAS, BASELINE_PLANTS, store_audit

from sgaudit import issuing
from sgaudit.errors import AuditLocked, WorkflowError
from sgaudit.report import generate_report
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope
from sgaudit.store.models import Audit, ChangeLog
from sgaudit.store.workflow import next_version

LEAD, SECOND = "Asha Khan", "Ben Jones"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('workflow') / 'store.db'}"
    get_engine(url)
    return url


def _new_audit(url, per_tier_area=2):
    with session_scope(url) as s:
        n = s.scalar(sa.select(sa.func.count()).select_from(Audit))
        org = repo.create_organisation(s, f"Workflow Trust {n}", AREAS)
        audit = store_audit(
            s, org, "Audit 2026", per_tier_area=per_tier_area, seed=5, plants=BASELINE_PLANTS
        )
        repo.save_recommendation(s, audit, theme="culture", text="Trustees visit services.",
                                 owner="Chair", due_date=date(2099, 12, 31),
                                 measure="Every service visited.")
        _answer_every_finding(s, audit)
        return audit.id


def _answer_every_finding(s, audit):
    """A reason for each Medium or High finding without a recommendation, as the report's
    readiness check asks before final."""
    from sgaudit.report.build import report_inputs

    for f in report_inputs(s, audit.id).analysis.findings:
        if f.severity != "low" and f.theme != "culture":
            repo.set_no_recommendation_reason(s, audit, f.key, "Covered by the wider plan.")


def _sign_everything(s, audit):
    for item in issuing.review_items(s, audit):
        repo.review_item(s, audit, item.key, "signed_off", actor=SECOND)


def _document_text(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_versions_count_up_after_final():
    assert [next_version(v) for v in ("1.0", "1.1", "1.9")] == ["1.1", "1.2", "1.10"]


def test_a_new_audit_starts_as_a_draft_and_final_cannot_be_set_by_hand(store):
    audit_id = _new_audit(store)
    with session_scope(store) as s:
        audit = repo.get_audit(s, audit_id)
        assert (audit.status, audit.version) == ("draft", "1.0")
        with pytest.raises(Exception, match="lead auditor confirms"):
            repo.set_audit_status(s, audit, "final")


def test_the_second_auditor_reviews_every_finding_the_analysis_and_the_recommendations(store):
    audit_id = _new_audit(store)
    with session_scope(store) as s:
        audit = repo.get_audit(s, audit_id)
        items = issuing.review_items(s, audit)
        kinds = [i.kind for i in items]
        assert kinds.count("finding") >= 1
        assert kinds[-2:] == ["analysis", "recommendations"]
        with pytest.raises(WorkflowError, match="must be in review"):
            repo.review_item(s, audit, "analysis", "signed_off", actor=SECOND)
        repo.submit_for_review(s, audit, actor=LEAD)
        with pytest.raises(WorkflowError, match="lead auditor"):
            repo.review_item(s, audit, "analysis", "signed_off", actor=LEAD)
        with pytest.raises(WorkflowError, match="needs a comment"):
            repo.review_item(s, audit, "analysis", "sent_back", actor=SECOND)
        repo.review_item(s, audit, "analysis", "signed_off", actor=SECOND)
        # the lead cannot finalise with findings unsigned
        with pytest.raises(WorkflowError, match="not signed off by the second auditor"):
            issuing.finalise(s, audit.id, actor=LEAD)
        repo.review_item(
            s,
            audit,
            "recommendations",
            "sent_back",
            actor=SECOND,
            comment="The culture action has no owner.",
        )
        assert audit.status == "draft"  # back to the lead
        assert repo.review_state(s, audit)["analysis"].decision == "signed_off"
        repo.submit_for_review(s, audit, actor=LEAD)
        _sign_everything(s, audit)
        with pytest.raises(WorkflowError, match="only the lead auditor"):
            issuing.finalise(s, audit.id, actor=SECOND)
        issue = issuing.finalise(s, audit.id, actor=LEAD)
        assert (audit.status, issue.version, issue.issued_by, issue.reviewed_by) == (
            "final",
            "1.0",
            LEAD,
            SECOND,
        )
        assert issue.report_context["status"] == "FINAL"
        actions = s.scalars(
            sa.select(ChangeLog.action).where(
                ChangeLog.audit_id == audit.id, ChangeLog.entity.in_(("audit", "review_item"))
            )
        ).all()
        assert {"submit_for_review", "send_back", "signed_off", "sent_back", "finalise"} <= set(
            actions
        )



def test_while_in_review_what_is_signed_off_cannot_change_and_only_the_lead_submits(store):
    """A finding reworded after the second auditor signed it off went final as 'signed
    off' with words the reviewer never saw; and the second auditor could send an item
    back and submit the draft again himself, so the lead never saw the comment."""
    audit_id = _new_audit(store)
    with session_scope(store) as s:
        audit = repo.get_audit(s, audit_id)
        finding = next(i for i in issuing.review_items(s, audit) if i.kind == "finding")
        result = repo.review_finding  # the app's Edit wording and Accept go through it
        repo.submit_for_review(s, audit, actor=LEAD)
        repo.review_item(s, audit, finding.key, "signed_off", actor=SECOND)
        with pytest.raises(AuditLocked, match="is in review, so a finding cannot be changed"):
            result(s, audit, finding.key, kind="localised", theme="culture", status="edited",
                   summary="Words the reviewer never saw.", actor=LEAD)  # fmt: skip
        s.rollback()
        with pytest.raises(AuditLocked, match="is in review, so a recommendation"):
            repo.save_recommendation(s, audit, theme="culture", text="Unseen.", owner="Chair",
                                     due_date=date(2099, 12, 31), measure="-")  # fmt: skip
        s.rollback()
        audit = repo.get_audit(s, audit_id)
        repo.review_item(s, audit, "analysis", "sent_back", actor=SECOND, comment="Say why.")
        assert audit.status == "draft"
        with pytest.raises(WorkflowError, match="only the lead auditor"):
            repo.submit_for_review(s, audit, actor=SECOND)
        # back in draft the lead changes what was sent back, and submits again
        repo.save_recommendation(s, audit, theme="culture", text="Seen again.", owner="Chair",
                                 due_date=date(2099, 12, 31), measure="A visit a year.")  # fmt: skip
        repo.submit_for_review(s, audit, actor=LEAD)
        assert audit.status == "in_review"


def test_the_findings_page_says_why_nothing_can_be_changed_in_review(demo_db):
    from app_support import app, open_page

    with session_scope(demo_db) as s:
        audit = repo.list_audits(s)[-1]
        audit_id = audit.id
        repo.submit_for_review(s, audit, actor=audit.auditor_1)
    at = app(audit=audit_id)
    open_page(at, "findings")
    assert any("In review: the second auditor is signing off" in i.value for i in at.info)
    # and nothing offers a change the store would refuse
    acts = [b for b in at.button if b.label in ("Accept", "Dismiss", "Keep", "Leave out")]
    assert acts and all(b.disabled for b in acts)
    saves = [b for b in at.button if b.label in ("Save recommendations", "Add finding")]
    assert saves and all(b.disabled for b in saves)

def _final_audit(url):
    audit_id = _new_audit(url)
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        repo.submit_for_review(s, audit, actor=LEAD)
        _sign_everything(s, audit)
        issuing.finalise(s, audit.id, actor=LEAD)
    return audit_id


def test_every_write_to_a_final_audit_is_refused_with_a_clear_message(store):
    audit_id = _final_audit(store)

    def change_an_answer(s, audit):
        iv = repo.list_interviews(s, audit)[0]
        qid, row = next(iter(repo.interview_answers(s, iv).items()))
        repo.save_answer(s, iv, qid, row.answer, note="changed after final")

    attempts = {
        "an answer": change_an_answer,
        "an interview": lambda s, a: repo.start_interview(
            s, a, tier="front_line", service_area=AREAS[0]
        ),
        "a finding": lambda s, a: repo.add_own_finding(s, a, theme="dsl", summary="Late."),
        "a recommendation": lambda s, a: repo.save_recommendation(
            s, a, theme="dsl", text="Protected time for the DSL."
        ),
        "the audit's details": lambda s, a: setattr(a, "title", "Renamed") or s.flush(),
        "a register": lambda s, a: repo.replace_register(s, a, "training", [{"x": 1}]),
    }
    for what, write in attempts.items():
        with session_scope(store) as s:
            audit = repo.get_audit(s, audit_id)
            with pytest.raises(AuditLocked, match=f"is final \\(version 1.0\\), so {what} cannot"):
                write(s, audit)
            s.rollback()
    with session_scope(store) as s:
        assert repo.get_audit(s, audit_id).title == "Audit 2026"


def test_a_change_after_final_opens_a_new_version_and_the_issued_report_comes_back_exactly(
    store, tmp_path
):
    audit_id = _final_audit(store)
    with session_scope(store) as s:
        issued = generate_report(s, audit_id, tmp_path / "issued-now.docx")
        with pytest.raises(WorkflowError, match="reason"):
            repo.reopen(s, repo.get_audit(s, audit_id), actor=LEAD, reason=" ")
        assert (
            repo.reopen(
                s,
                repo.get_audit(s, audit_id),
                actor=LEAD,
                reason="The trust sent its risk register late.",
            )
            == "1.1"
        )
        audit = repo.get_audit(s, audit_id)
        assert (audit.status, audit.version) == ("draft", "1.1")
        repo.save_recommendation(
            s, audit, theme="governance", text="Add safeguarding to the corporate risk register.",
            owner="Chair", due_date=date(2099, 12, 31), measure="On the register.",
        )
        repo.submit_for_review(s, audit, actor=LEAD)
        _sign_everything(s, audit)  # sign-offs of 1.0 do not carry over
        issuing.finalise(s, audit.id, actor=LEAD)
        history = repo.issued_versions(s, audit)
        assert [(v.version, v.reason) for v in history] == [
            ("1.0", "first issue"),
            ("1.1", "The trust sent its risk register late."),
        ]
        again = issuing.reissue_report(s, audit_id, "1.0", tmp_path / "reissued-1.0.docx")
        current = issuing.reissue_report(s, audit_id, "1.1", tmp_path / "reissued-1.1.docx")
    original_text = _document_text(issued)
    assert _document_text(again).encode() == original_text.encode()
    assert "corporate risk register" not in original_text
    assert "corporate risk register" in _document_text(current)


def test_an_unknown_version_names_the_issued_ones(store, tmp_path):
    audit_id = _final_audit(store)
    with session_scope(store) as s, pytest.raises(Exception, match="issued: 1.0"):
        issuing.reissue_report(s, audit_id, "2.0", tmp_path / "x.docx")


def test_old_statuses_map_onto_the_new_path_when_the_store_is_upgraded(tmp_path):
    from sgaudit.store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO organisation (name, created_at) VALUES ('Old', '2025-01-01')")
        )
        for title, status in (("A", "in_progress"), ("B", "draft"), ("C", "final")):
            conn.execute(
                sa.text(
                    "INSERT INTO audit (organisation_id, title, auditor_1, auditor_2, scope, status, "
                    "question_set_id, question_set_version, question_set_snapshot, created_at) "
                    f"VALUES (1, '{title}', '', '', 'both', '{status}', 'core', 1, '{{}}', "
                    "'2025-01-01')"
                )
            )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT title, status, version FROM audit ORDER BY title"))
        assert [tuple(r) for r in rows] == [
            ("A", "draft", "1.0"),
            ("B", "draft", "1.0"),
            ("C", "final", "1.0"),
        ]
    engine.dispose()


def test_the_cli_walks_an_audit_from_draft_to_final_and_back(store, run, tmp_path):
    audit_id = str(_new_audit(store))
    assert "is in review" in run("audit", "submit", audit_id, "--as", LEAD, "--db", store)[1]
    out = run(
        "audit",
        "send-back",
        audit_id,
        "recommendations",
        "--comment",
        "No owner.",
        "--as",
        SECOND,
        "--db",
        store,
    )[1]
    assert "draft again" in out
    run("audit", "submit", audit_id, "--as", LEAD, "--db", store)
    listing = run("audit", "review", audit_id, "--as", SECOND, "--sign-off", "all", "--db", store)[
        1
    ]
    assert "[to review]" not in listing and "signed off." in listing
    out = run("audit", "finalise", audit_id, "--as", LEAD, "--db", store)[1]
    assert "is final: version 1.0" in out
    refused = run("audit", "reopen", audit_id, "--reason", "", "--as", LEAD, "--db", store)
    assert refused[0] == 1 and "reason" in refused[2]
    assert (
        "version 1.1"
        in run(
            "audit", "reopen", audit_id, "--reason", "Late register.", "--as", LEAD, "--db", store
        )[1]
    )
    assert "1.0" in run("audit", "versions", audit_id, "--db", store)[1]
    out = run(
        "audit", "reissue", audit_id, "1.0", "--out", str(tmp_path / "r.docx"), "--db", store
    )[1]
    assert "as issued" in out and (tmp_path / "r.docx").is_file()
