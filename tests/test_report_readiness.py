"""Recommendations complete before final, and re-audit progress told correctly: every
Medium or High finding has a recommendation or a recorded reason; every action has an
owner, a due date after the report date, a priority and a measure of success; the last
audit's recommendations are reviewed one by one, and an achieved one is never
recommended again."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document

from sgaudit.demo import build_demo
from sgaudit.errors import SgauditError
from sgaudit.report import render_report
from sgaudit.report.build import build_report_context
from sgaudit.report.context import FindingItem
from sgaudit.report.inputs import RecommendationFacts
from sgaudit.report.readiness import final_blockers, missing_before_final
from sgaudit.store import repo
from sgaudit.store.db import get_engine, make_engine, session_scope, upgrade
from sgaudit.store.models import Recommendation

REPORT_DAY = date(2026, 11, 25)


def finding(severity="medium", theme="governance", key="systemic:governance::"):
    return FindingItem(
        key=key, kind="systemic", kind_label="Organisation-wide", theme_id=theme,
        theme=theme.title(), severity=severity, severity_label=severity.title(),
        summary=f"{theme.title()} is weak across the organisation.", evidence=[], areas="",
        tiers="", quotes=[], source="analysis",
    )  # fmt: skip


def rec(theme="governance", **kw):
    fields = dict(id=1, theme=theme, text="Report safeguarding to every board meeting.",
                  priority="high", owner="Chair", due_date=date(2027, 3, 31),
                  measure="A report at every meeting.")  # fmt: skip
    return RecommendationFacts(**(fields | kw))


# ---- the rule, by hand -----------------------------------------------------------------
def test_a_medium_finding_without_a_recommendation_or_a_reason_blocks_final():
    (problem,) = missing_before_final([finding()], [], {}, REPORT_DAY)
    assert problem.startswith("Medium finding on Governance has no recommendation")


def test_a_recommendation_on_the_theme_or_a_recorded_reason_answers_a_finding():
    assert missing_before_final([finding()], [rec()], {}, REPORT_DAY) == []
    reason = {"systemic:governance::": "The board has already commissioned a review."}
    assert missing_before_final([finding()], [], reason, REPORT_DAY) == []
    assert missing_before_final([finding("low")], [], {}, REPORT_DAY) == []


def test_a_recommendation_needs_an_owner_a_measure_and_a_due_date_after_the_report_date():
    problems = missing_before_final([], [rec(owner="", measure="")], {}, REPORT_DAY)
    assert problems == [
        "Recommendation \u201cReport safeguarding to every board meeting.\u201d "
        "needs an owner and a measure of success."
    ]
    (late,) = missing_before_final([], [rec(due_date=REPORT_DAY)], {}, REPORT_DAY)
    assert "its due date (25 November 2026) is not after the report date" in late


def test_a_carried_over_action_due_before_the_report_needs_a_new_date_and_a_review():
    old = rec(carried_over=True, due_date=date(2025, 9, 30))
    problems = missing_before_final([], [old], {}, REPORT_DAY)
    assert any("carried over, and needs a new due date" in p for p in problems)
    assert any("has not been reviewed" in p for p in problems)


def test_an_achieved_action_closes_it_and_recommending_it_again_blocks_final():
    done = rec(id=1, carried_over=True, review_status="achieved", due_date=date(2025, 1, 1))
    assert missing_before_final([], [done], {}, REPORT_DAY) == []
    again = rec(id=2, text="report safeguarding to every  board meeting")
    (problem,) = missing_before_final([], [done, again], {}, REPORT_DAY)
    assert "was achieved after the last audit and must not be recommended again" in problem


# ---- the demo re-audit -------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('readiness') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as session:
        built = build_demo(session)
    return {"url": url, "audit": built.reaudit_audit_id, "baseline": built.baseline_audit_id}


@pytest.fixture(scope="module")
def context(store):
    with session_scope(store["url"]) as s:
        return build_report_context(s, store["audit"], store["baseline"])


def test_the_demo_re_audit_is_ready_for_final(store, context):
    assert context.missing == []
    with session_scope(store["url"]) as s:
        assert final_blockers(s, repo.get_audit(s, store["audit"])) == []


def test_no_action_in_the_demo_plan_is_due_before_the_report_date(store):
    with session_scope(store["url"]) as s:
        recs = repo.list_recommendations(s, repo.get_audit(s, store["audit"]))
    open_recs = [r for r in recs if r.review_status not in ("achieved", "no_longer_relevant")]
    assert open_recs and all(r.due_date > date.today() for r in open_recs)


def test_an_achieved_action_is_not_recommended_again_in_the_plan_or_the_summary(context):
    achieved = [r for r in context.progress.rows if r.status == "achieved"]
    assert any(r.text.startswith("Appoint two deputy DSLs") for r in achieved)
    plan = {a.text for a in context.actions}
    assert not plan & {r.text for r in achieved}
    assert not any("deputy DSL" in p for p in context.summary.priorities)


def test_every_medium_or_high_finding_has_a_recommendation_or_a_reason(context):
    themes_with_actions = {a.theme_id for a in context.actions}
    for t in context.themes:
        for f in t.findings:
            if f.severity in ("high", "medium"):
                assert f.theme_id in themes_with_actions or f.no_recommendation, f.summary


def test_the_progress_table_reviews_every_recommendation_of_the_last_audit(context):
    rows = context.progress.rows
    assert len(rows) == 10
    assert {r.status for r in rows} == {"achieved", "partly", "not_achieved"}
    assert all(r.evidence and r.reviewed_on for r in rows)
    for r in rows:
        assert bool(r.action) == (r.status != "achieved")
    assert context.progress.summary == (
        "Of the last audit's ten recommendations: three "
        "achieved, four partly achieved and three not achieved."
    )


def test_findings_no_longer_found_are_one_table(context):
    rows = context.change.resolved_rows
    assert len(rows) == len(context.change.resolved) > 3
    assert all(r.status.startswith("No longer found") and r.then and r.now for r in rows)


def test_a_draft_with_something_missing_lists_it_and_cannot_be_final(store, tmp_path):
    with session_scope(store["url"]) as s:
        audit = repo.get_audit(s, store["audit"])
        own = next(r for r in repo.list_recommendations(s, audit) if r.carried_from_id is None)
        own.owner, own.measure = "", ""
        s.commit()
        context = build_report_context(s, store["audit"], store["baseline"])
        blockers = final_blockers(s, audit)
        own.owner, own.measure = "Community Hub Manager", "Check-ins logged."
        s.commit()
    assert context.status == "DRAFT" and len(context.missing) == 1
    assert "needs an owner and a measure of success" in context.missing[0]
    assert blockers == context.missing
    text = "\n".join(
        p.text
        for p in Document(str(render_report(context, tmp_path / "r.docx", charts=False))).paragraphs
    )
    assert "Before this report is final" in text and context.missing[0] in text


def test_the_workflow_asks_the_report_what_is_missing(store):
    from sgaudit.issuing import _report_blockers

    with session_scope(store["url"]) as s:
        audit = repo.get_audit(s, store["audit"])
        rec_row = s.scalars(
            sa.select(Recommendation).where(
                Recommendation.audit_id == audit.id, Recommendation.carried_from_id.is_not(None)
            )
        ).first()
        status = rec_row.review_status
        rec_row.review_status = ""
        s.commit()
        found = _report_blockers(s, audit)
        rec_row.review_status = status
        s.commit()
    assert len(found) == 1 and "has not been reviewed" in found[0]


def test_a_review_records_status_evidence_date_and_new_due_date(store):
    with session_scope(store["url"]) as s:
        audit = repo.get_audit(s, store["audit"])
        carried = next(r for r in repo.list_recommendations(s, audit) if r.carried_from_id)
        own = next(r for r in repo.list_recommendations(s, audit) if not r.carried_from_id)
        with pytest.raises(SgauditError, match="review status must be one of"):
            repo.review_recommendation(
                s, audit, carried.id, status="done", evidence="", reviewed_on=None
            )
        with pytest.raises(SgauditError, match="only recommendations carried over"):
            repo.review_recommendation(
                s, audit, own.id, status="achieved", evidence="", reviewed_on=None
            )
        before = (
            carried.review_status,
            carried.review_evidence,
            carried.reviewed_on,
            carried.due_date,
        )
        repo.review_recommendation(
            s,
            audit,
            carried.id,
            status="not_achieved",
            evidence="Nothing yet.",
            reviewed_on=date(2026, 3, 1),
            due_date=date(2027, 6, 30),
        )
        again = s.get(Recommendation, carried.id)
        assert (again.review_status, again.review_evidence, again.reviewed_on, again.due_date) == (
            "not_achieved",
            "Nothing yet.",
            date(2026, 3, 1),
            date(2027, 6, 30),
        )
        (again.review_status, again.review_evidence, again.reviewed_on, again.due_date) = before
        s.commit()


def test_a_store_from_before_the_review_columns_upgrades_with_its_recommendations(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "i15_double_scoring")
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO organisation (name, created_at) VALUES ('Old', '2025-01-01')")
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit (organisation_id, title, auditor_1, auditor_2, scope, status, "
                "question_set_id, question_set_version, question_set_snapshot, created_at) VALUES "
                "(1, 'Old audit', '', '', 'both', 'final', 'core', 1, '{}', '2025-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO recommendation (audit_id, theme, text, priority, owner, follow_up, "
                "created_at) VALUES (1, 'culture', 'Listen', 'high', 'CEO', '', '2025-01-01')"
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT text, measure, review_status, reviewed_on FROM recommendation")
        ).one()
    assert tuple(row) == ("Listen", "", "", None)
    engine.dispose()
