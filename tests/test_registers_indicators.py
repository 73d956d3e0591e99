"""Recruitment, policy, concerns and complaints indicators on small hand-computed registers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sgaudit.registers import compute_indicators, default_settings, records_to_frame
from sgaudit.registers.demo import demo_framework, demo_registers

AUDIT = "2025-06-30"


def frame(kind: str, rows: list[dict]) -> pd.DataFrame:
    from sgaudit.registers import columns_of

    names = [c.name for c in columns_of(kind)]
    return records_to_frame(kind, [{n: r.get(n) for n in names} for r in rows])


def person(code, kind="paid", level="enhanced", refs=2, outcome="cleared", info=False, ra=None):
    return {
        "person_code": code, "paid_or_volunteer": kind, "role": "Worker", "dbs_level": level,
        "dbs_date": None if level == "none" else "2024-01-01", "references_received": refs,
        "check_outcome": outcome, "dbs_information_disclosed": None if level == "none" else info,
        "risk_assessment_done": ra,
    }  # fmt: skip


def test_volunteers_with_lighter_checks_open_a_gap_against_paid_staff():
    rows = [person(f"P-{i}") for i in range(4)] + [
        person("V-1", "volunteer"),
        person("V-2", "volunteer", level="basic"),  # below the enhanced level required
        person("V-3", "volunteer", refs=1),
        person("V-4", "volunteer", outcome="pending"),
    ]
    r = compute_indicators({"recruitment": frame("recruitment", rows)}, None, AUDIT).recruitment
    by = {t.paid_or_volunteer: t for t in r.by_type}
    assert by["paid"].checks_complete.rate == 1.0
    assert by["volunteer"].checks_complete.rate == 0.25
    assert by["volunteer"].dbs_level_met.count == 3
    assert by["volunteer"].references_met.count == 3
    assert r.paid_volunteer_gap_points == 75.0
    assert r.checks_complete.count == 5 and r.checks_complete.n == 8


def test_a_dbs_showing_information_without_a_risk_assessment_is_counted():
    rows = [
        person("P-1", info=True, ra=True),
        person("P-2", info=True, ra=False),
        person("P-3", info=True, ra=False),
        person("P-4"),
    ]
    result = compute_indicators({"recruitment": frame("recruitment", rows)}, None, AUDIT)
    r = result.recruitment
    assert (r.risk_assessed.n, r.risk_assessed.count, r.without_risk_assessment) == (3, 1, 2)
    assert r.checks_complete.count == 2  # an unassessed disclosure leaves the checks incomplete
    assert result.score("recruitment_dbs_information_risk_assessed").score == pytest.approx(33.3)


def test_fewer_than_three_disclosures_show_no_rate_so_nobody_is_identified():
    rows = [person("P-1", info=True, ra=False), person("P-2"), person("P-3")]
    r = compute_indicators({"recruitment": frame("recruitment", rows)}, None, AUDIT).recruitment
    assert r.risk_assessed.suppressed and r.risk_assessed.rate is None
    assert r.without_risk_assessment is None


def policy(doc, owner="DSL", last="2024-01-01", due="2026-01-01", links=("Code of conduct",)):
    return {"document": doc, "owner": owner, "last_reviewed": last, "next_review_due": due,
            "links_to": list(links)}  # fmt: skip


def test_policies_due_on_the_audit_date_are_in_date_and_a_day_earlier_out_of_date():
    rows = [
        policy("A", due=AUDIT),
        policy("B", due="2025-06-29"),
        policy("C", last="2022-07-01", due=None),  # due 2025-07-01 by the 3-year default
        policy("D", last=None, due=None),  # never reviewed
    ]
    p = compute_indicators({"policies": frame("policies", rows)}, None, AUDIT).policies
    assert p.out_of_date == ("B", "D")
    assert p.in_date.count == 2 and p.in_date.rate == 0.5


def test_policies_without_owner_or_links_are_listed_by_title():
    rows = [
        policy("Safeguarding policy", links=("Code of conduct", "Whistleblowing policy")),
        policy("Code of conduct", owner=None),
        policy("Whistleblowing policy", links=()),
    ]
    result = compute_indicators({"policies": frame("policies", rows)}, None, AUDIT)
    p = result.policies
    assert p.without_owner == ("Code of conduct",)
    assert p.without_links == ("Whistleblowing policy",)
    assert p.links_to_unknown == ()
    assert result.score("policies_with_owner").score == pytest.approx(66.7)
    assert result.theme_records("policies").weak_codes == ()  # 66.7 is not below 60


def concern(ref, raised, triage=None, referred=None, to=None, on=None, closed=None, area="Day",
            category="Neglect"):  # fmt: skip
    return {
        "concern_ref": ref, "date_raised": raised, "category": category, "service_area": area,
        "triage_date": triage, "referral_made": referred, "referred_to": to, "referral_date": on,
        "outcome": None, "date_closed": closed,
    }  # fmt: skip


def test_concern_timeliness_open_cases_by_age_and_categories_by_quarter():
    rows = [
        concern("C-1", "2025-06-01", "2025-06-02", True, "LA", "2025-06-03", "2025-06-20"),
        concern("C-2", "2025-06-10", "2025-06-15", True, "LA", "2025-06-20"),  # slow both ways
        concern("C-3", "2025-06-29"),  # raised yesterday, not yet due for triage
        concern("C-4", "2025-05-01"),  # never triaged: counts as late
        concern("C-5", "2025-01-01", "2025-01-01", closed="2025-05-01", category="neglect "),
        concern("C-6", "2024-10-01", "2024-10-01"),  # open 272 days
        concern("C-7", "2025-07-05", "2025-07-05"),  # after the audit date: left out
    ]
    c = compute_indicators({"concerns": frame("concerns", rows)}, None, AUDIT).concerns
    assert c.concerns == 6 and c.open == 4
    # C-1 (1 day), C-5 and C-6 (same day) on time; C-2 (5 days) and C-4 (never) late; C-3 not due
    assert c.triaged_within_target.n == 5 and c.triaged_within_target.count == 3
    assert c.triage_days_median == 0.5  # days: 1, 5, 0, 0
    assert c.referred_within_target.n == 2  # fewer than 3: no rate shown
    assert c.referred_within_target.rate is None
    assert c.referral_days_median == 6.0  # 2 and 10 days
    assert c.not_long_open.n == 2 and c.not_long_open.count is None  # C-5 late, C-6 open
    bands = {b.band: b.count for b in c.open_by_age}
    assert bands == {"0-30 days": 2, "31-90 days": 1, "91-180 days": 0, "over 180 days": 1}
    quarters = {(q.quarter, q.category): q.count for q in c.by_quarter}
    # 1 and 1 are hidden; 4 beside the total of 6 would say they hold 2, so 1 each
    assert quarters == {("2024-Q4", "neglect"): None, ("2025-Q1", "neglect"): None,
                        ("2025-Q2", "neglect"): None}  # fmt: skip


def test_small_counts_in_breakdowns_are_hidden_but_zero_is_shown():
    rows = [concern(f"C-{i}", "2025-06-01", "2025-06-01") for i in range(3)]
    rows.append(concern("C-9", "2025-06-01", "2025-06-01", area="Outreach"))
    c = compute_indicators({"concerns": frame("concerns", rows)}, None, AUDIT).concerns
    # Day's 3 beside the 4 concerns would give Outreach's 1 away, and with both hidden
    # Day's triage head count (3) still would: no area is listed
    assert c.concerns == 4 and c.by_service_area == ()
    assert c.triaged_within_target.rate == 1.0


def complaint(
    ref, kind="complaint", met=True, feedback=True, theme="communication", stage="stage 1"
):
    return {"ref": ref, "type": kind, "date_received": "2025-03-01", "stage_reached": stage,
            "time_limits_met": met, "feedback_given": feedback, "theme": theme}  # fmt: skip


def test_complaints_time_limits_feedback_and_themes_are_shares_of_what_is_known():
    rows = [
        complaint("K-1"),
        complaint("K-2", met=False, feedback=False, theme=None),
        complaint("K-3", met=None, theme="Communication"),  # still open: time limits unknown
        complaint("K-4", feedback=False, stage="Stage 2"),
        complaint("W-1", "whistleblowing", theme="culture"),
    ]
    result = compute_indicators({"complaints": frame("complaints", rows)}, None, AUDIT)
    k = result.complaints
    assert (k.time_limits_met.n, k.time_limits_met.count) == (4, 3)
    assert (k.feedback_given.n, k.feedback_given.count) == (5, 3)
    assert (k.themes_recorded.n, k.themes_recorded.count) == (5, 4)
    assert [(t.theme, t.count) for t in k.recurring_themes] == [("communication", 3)]
    types = {t.type: t for t in k.by_type}
    assert types["complaint"].received == 4 and types["whistleblowing"].received == 1
    assert types["whistleblowing"].time_limits_met.suppressed
    # 3 at stage 1 beside 4 received would say 1 at stage 2, so both are hidden; the one
    # whistleblowing disclosure's stage cannot be hidden beside its total: not listed
    assert {(s.type, s.stage_reached): s.count for s in k.stages} == {
        ("complaint", "stage 1"): None, ("complaint", "stage 2"): None,
    }  # fmt: skip
    themes = result.theme_records("quality_assurance")
    assert themes.records_score == 80.0 and themes.indicators == ("complaints_themes_recorded",)


def test_only_the_registers_given_are_scored_and_the_training_register_needs_a_framework():
    result = compute_indicators({"policies": frame("policies", [policy("A")])}, None, AUDIT)
    assert result.registers == ("policies",)
    assert {s.register_kind for s in result.scores} == {"policies"}
    assert result.training is None
    demo = demo_registers(AUDIT, ["North"], "baseline")
    with pytest.raises(ValueError, match="framework"):
        compute_indicators({"training": demo["training"]}, None, AUDIT)


def test_the_indicators_are_json_ready_and_carry_their_settings():
    registers = demo_registers(AUDIT, ["North", "South"], "baseline")
    result = compute_indicators(registers, demo_framework(), AUDIT)
    data = json.loads(json.dumps(result.to_json_dict()))
    assert data["audit_date"] == AUDIT
    assert data["registers"] == ["training", "recruitment", "policies", "concerns", "complaints"]
    assert data["settings"]["evidence_gap_points"] == default_settings().evidence_gap_points
    assert data["training"]["by_role_group"][4]["role_group"] == "E"
    assert {s["id"] for s in data["scores"]} >= {
        "policies_with_owner",
        "training_dsl_group_compliance",
    }
    assert all(0 <= s["score"] <= 100 for s in data["scores"] if s["score"] is not None)


def test_a_changed_setting_changes_the_indicator():
    rows = [concern(f"C-{i}", "2025-06-01", "2025-06-03") for i in range(3)]
    strict = compute_indicators({"concerns": frame("concerns", rows)}, None, AUDIT)
    lenient = compute_indicators(
        {"concerns": frame("concerns", rows)}, None, AUDIT,
        default_settings().updated(triage_target_days=2),
    )  # fmt: skip
    assert strict.concerns.triaged_within_target.rate == 0.0
    assert lenient.concerns.triaged_within_target.rate == 1.0
