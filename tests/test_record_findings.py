"""Records raise findings: a DBS certificate with information and no risk assessment,
volunteers checked less fully than staff, a role group's training short of its framework.
Each is a `records` finding on its theme with the numbers from the registers, never a
count hidden for being small, and it flows wherever findings flow."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_report_fixtures import demo_report

from sgaudit.registers import compute_indicators, indicator_map, records_to_frame
from sgaudit.registers.demo import demo_framework, demo_registers
from sgaudit.registers.mapping import RecordRule
from sgaudit.registers.record_findings import record_findings
from sgaudit.report.findings_view import finding_item
from sgaudit.report.readiness import missing_before_final
from sgaudit.store.db import session_scope

AUDIT = "2025-06-30"


def recruitment(rows: list[dict]) -> pd.DataFrame:
    base = {
        "person_code": "P-0000",
        "role": "Support worker",
        "paid_or_volunteer": "paid",
        "dbs_level": "enhanced",
        "dbs_level_required": "enhanced",
        "dbs_date": "2023-12-01",
        "dbs_information_disclosed": False,
        "risk_assessment_done": False,
        "references_received": 2,
        "check_outcome": "cleared",
    }
    records = [base | {"person_code": f"P-{i:04d}"} | r for i, r in enumerate(rows, 1)]
    return records_to_frame("recruitment", records)


def raised(frames: dict, framework=None) -> dict[str, object]:
    indicators = compute_indicators(frames, framework, AUDIT)
    return {f.evidence["indicator"]: f for f in record_findings(indicators)}


def test_dbs_certificates_with_information_and_no_risk_assessment_raise_a_finding():
    rows = [{"dbs_information_disclosed": True, "risk_assessment_done": i == 0} for i in range(4)]
    found = raised({"recruitment": recruitment(rows + [{}] * 6)})
    f = found["recruitment_dbs_information_risk_assessed"]
    assert f.kind == "records" and f.theme == "recruitment" and f.severity == "high"
    assert f.key == "records:recruitment:recruitment_dbs_information_risk_assessed"
    assert (f.evidence["count"], f.evidence["n"], f.evidence["rate"]) == (1, 4, 25.0)
    assert f.evidence["without"] == 3
    assert "3 of the 4 DBS certificates" in f.summary and "1 of 4 (25%)" in f.summary


def test_one_certificate_without_a_risk_assessment_is_still_a_finding_but_medium():
    rows = [{"dbs_information_disclosed": True, "risk_assessment_done": i > 0} for i in range(4)]
    f = raised({"recruitment": recruitment(rows)})["recruitment_dbs_information_risk_assessed"]
    assert f.severity == "medium" and "1 of the 4" in f.summary and "has no risk" in f.summary


def test_every_certificate_risk_assessed_raises_nothing():
    rows = [{"dbs_information_disclosed": True, "risk_assessment_done": True}] * 4
    assert "recruitment_dbs_information_risk_assessed" not in raised(
        {"recruitment": recruitment(rows)}
    )


def test_volunteers_checked_less_fully_than_staff_raise_a_finding_with_both_rates():
    paid = [{}] * 9 + [{"references_received": 1}]
    volunteers = [{"paid_or_volunteer": "volunteer"}] * 2 + [
        {"paid_or_volunteer": "volunteer", "references_received": 0}
    ] * 4
    f = raised({"recruitment": recruitment(paid + volunteers)})["recruitment_volunteer_parity"]
    assert f.theme == "recruitment" and f.severity == "high"  # 90% against 33%: 57 points
    assert (f.evidence["volunteer_count"], f.evidence["volunteer_n"]) == (2, 6)
    assert (f.evidence["paid_count"], f.evidence["paid_n"]) == (9, 10)
    assert "2 of 6 (33%) volunteers" in f.summary and "9 of 10 (90%) paid staff" in f.summary


def test_a_role_group_short_of_its_training_framework_raises_a_finding():
    frames = demo_registers(AUDIT, ["North", "South"], "baseline")
    f = raised({"training": frames["training"]}, demo_framework())["training_role_group_compliance"]
    assert f.kind == "records" and f.theme == "training" and f.severity == "high"
    assert "Group E - final decision makers and expert advisers, 1 of 4 (25%)" in f.summary
    assert f.evidence["group_E_count"] == 1 and f.evidence["group_E_n"] == 4
    assert f.evidence["group_E_rate"] == 25.0
    assert f.summary.index("Group E") < f.summary.index("Group F")  # weakest first


def test_severity_comes_from_the_settings_in_the_indicator_map():
    rules = indicator_map().record_findings
    assert set(rules) == {
        "recruitment_dbs_information_risk_assessed",
        "recruitment_volunteer_parity",
        "training_role_group_compliance",
    }
    training = rules["training_role_group_compliance"]
    assert [training.severity(x) for x in (25, 50, 75, 80, 95)] == [
        "high", "medium", "low", None, None,
    ]  # fmt: skip
    gap = RecordRule(gap_at_least={"low": 5, "high": 15})
    assert [gap.severity(x) for x in (4, 5, 14.9, 15)] == [None, "low", "low", "high"]


def test_an_unknown_rule_in_the_indicator_map_is_refused():
    from pydantic import ValidationError

    from sgaudit.registers.mapping import IndicatorMap

    raw = indicator_map().model_dump()
    raw["record_findings"] = {"policies_in_date": {"below": {"low": 90}}}
    with pytest.raises(ValidationError, match="not an indicator with a record check"):
        IndicatorMap.model_validate(raw)


# ---- small groups ------------------------------------------------------------------
def test_a_small_group_raises_no_finding_and_no_hidden_count_is_printed():
    # two certificates with information, neither assessed: fewer than suppression_min (3)
    rows = [{"dbs_information_disclosed": True}] * 2 + [{}] * 8
    # two volunteers, one fully checked: too few to show a rate
    rows += [{"paid_or_volunteer": "volunteer", "references_received": 0}, {"paid_or_volunteer":
             "volunteer"}]  # fmt: skip
    indicators = compute_indicators({"recruitment": recruitment(rows)}, None, AUDIT)
    assert indicators.recruitment.risk_assessed.suppressed
    assert record_findings(indicators) == []


def test_a_role_group_hidden_for_being_small_is_left_out_of_the_training_finding():
    frames = demo_registers(AUDIT, ["North", "South"], "reaudit")
    indicators = compute_indicators({"training": frames["training"]}, demo_framework(), AUDIT)
    hidden = [r for r in indicators.training.by_role_group if r.compliance.rate is None]
    assert hidden, "the demo re-audit hides at least one role group's rate"
    for f in record_findings(indicators):
        for row in hidden:
            assert row.group_name not in f.summary
            assert f"group_{row.role_group}_count" not in f.evidence


# ---- where findings flow ----------------------------------------------------------
def test_a_medium_record_finding_needs_a_recommendation_or_a_reason_before_final():
    from datetime import date

    from sgaudit.report.inputs import RecommendationFacts

    rows = [{"dbs_information_disclosed": True, "risk_assessment_done": i > 0} for i in range(4)]
    f = raised({"recruitment": recruitment(rows)})["recruitment_dbs_information_risk_assessed"]
    item = finding_item(f, {"recruitment": "Safer recruitment"})
    day = date(2026, 11, 25)
    (problem,) = missing_before_final([item], [], {}, day)
    assert problem.startswith("Medium finding on Safer recruitment has no recommendation")
    rec = RecommendationFacts(
        id=1, theme="recruitment", text="Risk-assess every DBS certificate with information.",
        priority="high", owner="Head of HR", due_date=date(2027, 3, 31), measure="All assessed.",
    )  # fmt: skip
    assert missing_before_final([item], [rec], {}, day) == []
    assert missing_before_final([item], [], {f.key: "HR is already doing this."}, day) == []


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_report(tmp_path_factory)


def test_the_demo_baseline_raises_all_three_with_the_auditors_analysis(demo):
    from sgaudit.report import build_report_context

    with session_scope(demo["url"]) as s:
        context = build_report_context(s, demo["baseline"])
    records = {f.key: f for t in context.themes for f in t.findings if f.kind == "records"}
    assert set(records) == {
        "records:recruitment:recruitment_dbs_information_risk_assessed",
        "records:recruitment:recruitment_volunteer_parity",
        "records:training:training_role_group_compliance",
    }
    assert all(f.analysis.written and f.analysis.why for f in records.values())
    assert (
        "5 of 15 (33%) volunteers"
        in records["records:recruitment:recruitment_volunteer_parity"].summary
    )


def test_record_findings_are_in_analyse_json_and_registers_show(demo, run):
    code, out, err = run("analyse", demo["baseline"], "--format", "json", "--db", demo["url"])
    assert code == 0, err
    kinds = {(f["kind"], f["theme"]) for f in json.loads(out)["findings"]}
    assert {("records", "recruitment"), ("records", "training")} <= kinds
    code, out, err = run("registers", "show", demo["baseline"], "--format", "json", "--db",
                         demo["url"])  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert {f["kind"] for f in shown["record_findings"]} == {"records"}
    assert {f["kind"] for f in shown["evidence_gaps"]} == {"evidence_gap"}


def test_a_record_finding_no_longer_raised_is_measured_by_its_register_then_and_now(demo):
    from sgaudit.report import build_report_context

    with session_scope(demo["url"]) as s:
        context = build_report_context(s, demo["reaudit"], compare_to=demo["baseline"])
    (row,) = [
        r for r in context.change.resolved_rows if r.status == "No longer found in the records"
    ]
    assert "5 of 15 (33%) volunteers" in row.then  # the baseline's finding
    assert "volunteers 87%" in row.now  # what the recruitment register shows now
