"""The demo tells its story: every kind of finding in both audits, the planned
changes between them, pseudonymous codes only, the same on every run."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from sgaudit.analysis.result import analyse
from sgaudit.demo import DEMO_ORGANISATION, build_demo
from sgaudit.errors import SgauditError
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope
from sgaudit.store.evidence import audit_evidence
from sgaudit.store.frames import load_audit_data, responses_frame
from sgaudit.vocab import FINDING_KINDS, MODES, SELF_ASSESSMENT, TIERS


def _evidence(session, audit, data):
    """Evidence-gap findings from the audit's registers, exactly as `sgaudit analyse` and
    the report get them."""
    found = audit_evidence(session, audit, data)
    return found.findings if found else ()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as s:
        result = build_demo(s)
    out = {"url": url, "result": result}
    with session_scope(url) as s:
        for name, aid in (
            ("baseline", result.baseline_audit_id),
            ("reaudit", result.reaudit_audit_id),
        ):
            audit = repo.get_audit(s, aid)
            data = load_audit_data(s, aid)
            out[name] = analyse(data, _evidence(s, audit, data))
            out[name + "_responses"] = responses_frame(s, aid)
    return out


def _kinds(analysis) -> Counter:
    return Counter(f.kind for f in analysis.findings)


def _has(analysis, kind, theme, **where) -> bool:
    for f in analysis.findings:
        if f.kind == kind and f.theme == theme:
            if all(getattr(f, k) == v for k, v in where.items()):
                return True
    return False


@pytest.mark.parametrize("which", ["baseline", "reaudit"])
def test_each_demo_audit_has_findings_of_every_kind(demo, which):
    kinds = _kinds(demo[which])
    # only the re-audit has a self-assessment to set against its evidence
    expected = [k for k in FINDING_KINDS if which == "reaudit" or k != "self_assessment_optimism"]
    missing = [k for k in expected if not kinds[k]]
    assert not missing, f"{which} lacks {missing}; has {dict(kinds)}"


def test_baseline_tells_the_planned_story(demo):
    b = demo["baseline"]
    assert _has(b, "systemic", "complaints")
    assert _has(b, "localised", "casework", service_areas=["Domiciliary Care"])
    assert _has(b, "localised", "safer_working", service_areas=["Domiciliary Care"])
    assert _has(b, "thread_break", "culture", tiers=["front_line", "board"])
    assert _has(b, "thread_break", "leadership", tiers=["front_line", "board"])
    assert _has(b, "thread_break", "dsl", tiers=["front_line", "dsl"])  # the DSL is stretched
    assert _has(b, "knowledge_gap", "quality_assurance", tiers=["board"])
    assert _has(b, "paper_practice_gap", "policies")
    assert _has(b, "evidence_gap", "recruitment")


def test_reaudit_shows_what_improved_and_what_did_not(demo):
    b, r = demo["baseline"], demo["reaudit"]
    for theme in ("policies", "dsl", "training", "leadership"):
        assert r.theme(theme).score > b.theme(theme).score + 5, theme
    # resolved
    assert not _has(r, "paper_practice_gap", "policies")
    assert not _has(r, "thread_break", "leadership")
    assert not _has(r, "localised", "safer_working")
    # not resolved
    assert _has(r, "systemic", "complaints")
    assert _has(r, "systemic", "governance")
    assert _has(r, "thread_break", "culture", tiers=["front_line", "board"])
    assert _has(r, "localised", "casework", service_areas=["Domiciliary Care"])
    assert _has(r, "knowledge_gap", "quality_assurance")
    # new: a complaints procedure on paper that practice has not caught up with
    assert _has(r, "paper_practice_gap", "complaints")
    assert _has(r, "evidence_gap", "complaints")


def test_every_tier_and_mode_is_in_the_fieldwork(demo):
    for which in ("baseline_responses", "reaudit_responses"):
        frame = demo[which]
        own = {SELF_ASSESSMENT} if which == "reaudit_responses" else set()
        assert set(frame["tier"]) == set(TIERS) | own
        frame = frame[frame["tier"] != SELF_ASSESSMENT]
        assert set(frame["mode"]) == set(MODES)
        groups = frame.drop_duplicates("interview_id")
        assert (groups.loc[groups["mode"] == "focus_group", "people"] >= 4).all()
        assert frame["service_area"].nunique() == 6
        assert (frame["answer"] == "dont_know").mean() > 0.02


def test_the_reaudit_carries_an_optimistic_self_assessment_on_complaints_and_governance(demo):
    r, b = demo["reaudit"], demo["baseline"]
    assert b.self_assessment is None
    optimistic = {f.theme for f in r.findings if f.kind == "self_assessment_optimism"}
    assert optimistic == {"complaints", "governance"}
    readings = {t.theme: t.reading for t in r.self_assessment}
    assert readings["complaints"] == readings["governance"] == "optimistic"
    assert [t for t, v in readings.items() if v == "in_line"]  # the rest stays in line
    complaints = next(t for t in r.self_assessment if t.theme == "complaints")
    assert complaints.evidence_score == r.theme("complaints").score
    assert complaints.register_gaps >= 1  # the registers bear on it too
    # one return: never a tier, a fieldwork count or a double-scored interview
    assert SELF_ASSESSMENT not in {c.tier for c in r.interviews}
    assert SELF_ASSESSMENT not in {c.tier for t in r.themes for c in t.by_tier}
    with session_scope(demo["url"]) as s:
        audit = repo.get_audit(s, demo["result"].reaudit_audit_id)
        own = [iv for iv in repo.list_interviews(s, audit) if iv.tier == SELF_ASSESSMENT]
        assert len(own) == 1 and not own[0].double_scored


def test_codes_are_pseudonymous_and_notes_are_quotable_and_anonymous(demo):
    frame = demo["baseline_responses"]
    assert frame["interview_id"].str.fullmatch(r"(SU|FL|MG|DS|SL|BD)-[A-Z]{2}\d{2}").all()
    notes = frame[frame["note"] != ""]
    assert len(notes) >= 10 and notes["quotable"].sum() >= 8
    quotes = [q for f in demo["baseline"].findings for q in f.quotes]
    assert quotes, "quotable notes should support findings"


def test_recommendations_are_carried_into_the_reaudit_and_reviewed(demo):
    with session_scope(demo["url"]) as s:
        base = repo.get_audit(s, demo["result"].baseline_audit_id)
        again = repo.get_audit(s, demo["result"].reaudit_audit_id)
        assert again.previous_audit_id == base.id
        base_recs = repo.list_recommendations(s, base)
        recs = repo.list_recommendations(s, again)
        assert len(base_recs) >= 5 and len(recs) > len(base_recs)
        carried = [r for r in recs if r.carried_from_id]
        assert len(carried) == len(base_recs)
        assert all(r.review_status and r.review_evidence and r.reviewed_on for r in carried)
        assert all(r.finding_key for r in base_recs)
        reviews = repo.finding_reviews(s, base)
        assert {r.status for r in reviews.values()} >= {"accepted", "edited"}
        assert any(r.status == "added" for r in repo.finding_reviews(s, again).values())
        assert set(repo.register_records(s, base)) == {
            "training",
            "recruitment",
            "policies",
            "concerns",
            "complaints",
        }


def test_the_demo_is_the_same_on_every_run(demo, tmp_path):
    url = f"sqlite:///{tmp_path / 'again.db'}"
    with session_scope(url) as s:
        again = build_demo(s)
        frame = responses_frame(s, again.baseline_audit_id)
    pd.testing.assert_frame_equal(frame, demo["baseline_responses"])


def test_building_the_demo_twice_is_refused_with_a_fresh_name_offered(demo):
    with session_scope(demo["url"]) as s, pytest.raises(SgauditError) as exc:
        build_demo(s)
    assert f'--org "{DEMO_ORGANISATION} (2)"' in str(exc.value)
    with session_scope(demo["url"]) as s:
        assert [o.name for o in repo.list_organisations(s)] == [DEMO_ORGANISATION]


def test_the_demo_builds_on_both_databases(any_db_url):
    with session_scope(any_db_url) as s:
        result = build_demo(s)
    with session_scope(any_db_url) as s:
        # the re-audit hears 20 more people who use services, and holds the organisation's
        # self-assessment: one return
        for audit_id, interviews in ((result.baseline_audit_id, 60), (result.reaudit_audit_id, 81)):
            counts = repo.audit_counts(s, repo.get_audit(s, audit_id))
            assert counts["interviews"] == interviews and counts["answers"] > 4000
