"""Indicators map to real themes and codes; evidence gaps are found both ways and only then."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.registers import (
    compute_indicators,
    default_settings,
    evidence_gaps,
    indicator_map,
    records_to_frame,
    triangulate,
)
from sgaudit.registers.demo import demo_framework, demo_registers

AUDIT = "2025-06-30"


def test_every_mapped_code_and_theme_exists_in_the_core_question_set(core_set):
    themes = {t.id for t in core_set.themes}
    for indicator in indicator_map().indicators:
        for theme, codes in indicator.themes.items():
            assert theme in themes, (indicator.id, theme)
            for code in codes:
                assert code in core_set.codes, (indicator.id, code)
                assert code.split("-")[0] in {
                    "REC", "TRN", "SWP", "POL", "CAS", "CWB", "LDR", "DSL", "QA", "GOV", "CUL",
                }  # fmt: skip


@pytest.mark.parametrize(
    ("indicator", "theme", "code"),
    [
        ("policies_with_owner", "policies", "POL-2"),
        ("policies_in_date", "policies", "POL-1"),
        ("policies_cross_referenced", "policies", "POL-3"),
        ("recruitment_volunteer_parity", "recruitment", "REC-5"),
        ("recruitment_dbs_information_risk_assessed", "recruitment", "REC-3"),
        ("training_role_group_compliance", "training", "TRN-4"),
        ("training_dsl_group_compliance", "dsl", "DSL-1"),
        ("concerns_triaged_within_target", "casework", "CAS-1"),
        ("complaints_time_limits_met", "complaints", "CWB-1"),
        ("complaints_feedback_given", "complaints", "CWB-2"),
        ("complaints_feedback_given", "complaints", "CWB-5"),
        ("complaints_themes_recorded", "complaints", "CWB-4"),
        ("complaints_themes_recorded", "quality_assurance", "QA-1"),
    ],
)
def test_an_indicator_evidences_the_weakness_it_describes(indicator, theme, code):
    assert code in indicator_map().get(indicator).themes[theme]


def test_every_mapped_indicator_is_computed_from_the_demo_registers():
    result = compute_indicators(
        demo_registers(AUDIT, ["North", "South"], "baseline"), demo_framework(), AUDIT
    )
    assert [s.id for s in result.scores] == [d.id for d in indicator_map().indicators]


def policies_scoring(with_owner: int, of: int = 10):
    rows = [
        {"document": f"Doc {i}", "owner": "DSL" if i < with_owner else None,
         "last_reviewed": "2025-01-01", "next_review_due": "2027-01-01", "links_to": ["Doc 0"]}
        for i in range(of)
    ]  # fmt: skip
    # in date and linked: 100 each, so the theme's records score = (200 + owners%) / 3
    return compute_indicators({"policies": records_to_frame("policies", rows)}, None, AUDIT)


def interviews(**scores: float) -> pd.DataFrame:
    return pd.DataFrame({"theme": list(scores), "score": list(scores.values())})


def test_interviews_rating_a_theme_well_while_its_records_are_poor_is_an_evidence_gap():
    records = compute_indicators(
        {"policies": records_to_frame("policies", [
            {"document": f"Doc {i}", "owner": None, "last_reviewed": "2020-01-01",
             "next_review_due": None, "links_to": []} for i in range(5)
        ])}, None, AUDIT,
    )  # fmt: skip
    assert records.theme_records("policies").records_score == 0.0
    (finding,) = evidence_gaps(interviews(policies=72.0), records)
    assert finding.kind == "evidence_gap" and finding.theme == "policies"
    assert finding.key == "evidence_gap:policies::"
    assert finding.severity == "high"  # 72 points apart: at least twice the threshold
    assert finding.evidence["direction"] == "interviews_higher"
    assert finding.evidence["interview_score"] == 72.0
    assert finding.evidence["records_score"] == 0.0
    assert finding.evidence["weak_codes"] == "POL-1, POL-2, POL-3"
    assert "interviews rate this 72 out of 100, but the records score 0" in finding.summary
    assert "Policies with a named owner: 0 of 5 (0%)" in finding.summary
    assert finding.questions_to_consider


def test_records_rating_a_theme_well_while_interviews_are_poor_is_the_reverse_gap():
    records = policies_scoring(with_owner=10)  # records score 100
    (finding,) = evidence_gaps(interviews(policies=45.0), records)
    assert finding.evidence["direction"] == "records_higher"
    assert finding.severity == "medium"  # 55 points: at least twice the threshold
    assert "the records score 100 out of 100, but interviews rate this 45" in finding.summary


def test_no_evidence_gap_when_interviews_and_records_agree():
    records = policies_scoring(with_owner=10)
    assert evidence_gaps(interviews(policies=95.0), records) == []
    fair_records = policies_scoring(with_owner=0)  # 66.7
    assert evidence_gaps(interviews(policies=50.0), fair_records) == []  # only 16.7 apart


def test_no_evidence_gap_when_both_sides_are_weak_however_far_apart():
    records = compute_indicators(
        {"policies": records_to_frame("policies", [
            {"document": f"Doc {i}", "owner": None, "last_reviewed": "2020-01-01",
             "next_review_due": None, "links_to": []} for i in range(5)
        ])}, None, AUDIT,
    )  # fmt: skip
    assert evidence_gaps(interviews(policies=59.0), records) == []


def test_the_gap_must_reach_the_threshold_exactly_counts():
    # records: (100 + 100 + 20) / 3 = 73.3 ; interviews 53.3 -> exactly 20 points apart
    records = policies_scoring(with_owner=2)
    score = records.theme_records("policies").records_score
    assert score == pytest.approx(73.3)
    table = triangulate(interviews(policies=score - 20), records)
    assert table.loc[0, "direction"] == "records_higher"
    assert evidence_gaps(interviews(policies=score - 19.9), records) == []


def test_a_suppressed_interview_score_or_an_unscored_theme_gives_no_gap():
    records = policies_scoring(with_owner=0)
    assert evidence_gaps(interviews(policies=math.nan), records) == []
    assert evidence_gaps(interviews(culture=95.0), records) == []  # no register evidences culture


def test_the_threshold_and_weak_score_come_from_settings_including_the_question_sets():
    records = policies_scoring(with_owner=10)  # 100
    assert evidence_gaps(interviews(policies=59.0), records)  # 41 apart
    wide = default_settings().updated(evidence_gap_points=50)
    assert evidence_gaps(interviews(policies=59.0), records, wide) == []
    # the question set's weak_score is shared: at 55, an interview score of 59 is not weak
    assert evidence_gaps(interviews(policies=59.0), records, AnalysisSettings(weak_score=55)) == []


def test_the_demo_baseline_has_the_planted_recruitment_evidence_gap_and_the_reaudit_not():
    areas = ["North", "South", "East"]
    scores = interviews(recruitment=75.0, training=55.0, policies=50.0, dsl=45.0)
    before = compute_indicators(demo_registers(AUDIT, areas, "baseline"), demo_framework(), AUDIT)
    gaps = {
        f.theme: f
        for f in evidence_gaps(scores, before, titles={"recruitment": "Safer recruitment"})
    }
    assert set(gaps) == {"recruitment"}
    assert gaps["recruitment"].summary.startswith("Safer recruitment: interviews rate this 75")
    assert "volunteers 33%" in gaps["recruitment"].summary
    after = compute_indicators(
        demo_registers("2026-06-30", areas, "reaudit"), demo_framework(), "2026-06-30"
    )
    assert evidence_gaps(interviews(recruitment=80.0), after) == []


def _tests(policies_score: float, records_score: float, se: float, people: int) -> pd.DataFrame:
    """The interview score against the records (`against_fixed.evidence_against`'s
    columns), for one theme, with the spread given."""
    from sgaudit.analysis.uncertainty import t_sf

    diff = policies_score - records_score
    df = people - 1 + 40.0
    return pd.DataFrame(
        {
            "theme": ["policies"],
            "evidence_score": [policies_score],
            "evidence_n": [float(people)],
            "fixed": [records_score],
            "diff": [diff],
            "se": [se],
            "df": [df],
            "p": [2 * float(t_sf(abs(diff) / se, df)[()]) if se > 0 else math.nan],
        }
    )


def test_an_evidence_gap_says_how_sure_it_is_and_one_not_clear_is_worth_exploring():
    records = policies_scoring(with_owner=10)  # records score 100
    sure_gap = evidence_gaps(
        interviews(policies=45.0), records, tests=_tests(45.0, 100.0, se=2.0, people=40)
    )
    (finding,) = sure_gap
    assert finding.certainty == "finding"
    assert finding.difference == -55.0 and finding.n_group == 40
    low, high = finding.interval
    assert low < -55.0 < high < 0  # interviews minus records, clear of zero
    assert "(55 points lower; interval" in finding.summary
    assert "the organisation's own records against 40 people heard)" in finding.summary
    # As large, but from so few people, with such a spread, that chance could make it.
    (unsure,) = evidence_gaps(
        interviews(policies=45.0), records, tests=_tests(45.0, 100.0, se=40.0, people=3)
    )
    assert unsure.certainty == "worth_exploring"
    assert unsure.certainty_note == "too few people to be sure"
    assert unsure.interval[0] < 0 < unsure.interval[1]
    # Without a spread to judge by there is no interval, and nothing is said.
    assert evidence_gaps(
        interviews(policies=45.0), records, tests=_tests(45.0, 100.0, se=0.0, people=3)
    ) == []


def test_an_evidence_gap_not_clear_of_the_noise_is_worth_exploring_not_a_finding(core_set):
    from sgaudit.analysis import analyse
    from sgaudit.analysis.findings import Finding
    from sgaudit.analysis.realistic import realistic_audit

    data = realistic_audit(0, core_set)
    maybe = Finding(kind="evidence_gap", theme="policies", severity="medium",
                    summary="Policies: ...", certainty="worth_exploring")
    sure = Finding(kind="evidence_gap", theme="recruitment", severity="medium",
                   summary="Safer recruitment: ...")
    result = analyse(data, [maybe, sure])
    assert [f.theme for f in result.findings if f.kind == "evidence_gap"] == ["recruitment"]
    assert [f.theme for f in result.worth_exploring if f.kind == "evidence_gap"] == ["policies"]
