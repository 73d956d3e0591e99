"""The organisation's self-assessment against the audit's evidence (issue 15).

Realistic audits on the core question set, with a self-assessment whose answers sit
at a planted distance from what the other tiers said, question by question.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from sgaudit.analysis import AuditData, analyse
from sgaudit.analysis.detect import detect
from sgaudit.analysis.realistic import realistic_audit
from sgaudit.analysis.scoring import score_responses
from sgaudit.analysis.synthetic import Plant
from sgaudit.questionnaire.loader import load_question_set
from sgaudit.vocab import SELF_ASSESSMENT

OPTIMISM = "self_assessment_optimism"


@cache
def core():
    return load_question_set("questionnaires/core")


def self_assessment(data: AuditData, shift: dict[str, float], default: float = 0.0):
    """Self-assessment rows: per question, the scale point nearest the evidence's mean
    score on it plus the theme's `shift` (points), as the organisation's lead answers."""
    qs = core()
    scored = score_responses(data)
    scored = scored[scored["kind"] == "scored"]
    mean = scored.groupby("question_id", observed=True)["score"].mean()
    rows = []
    for q in qs.questions_for_tier(SELF_ASSESSMENT):
        scale = qs.scales[q.scale]
        if scale.kind != "ordinal" or q.id not in mean.index:
            continue
        values = scale.scored_values(q.reverse)  # weakest first
        points = np.linspace(0, 100, len(values))
        target = min(max(mean[q.id] + shift.get(q.theme, default), 0), 100)
        answer = values[int(np.abs(points - target).argmin())]
        rows.append((q.id, answer))
    return pd.DataFrame(
        {
            "interview_id": "SA-1",
            "tier": SELF_ASSESSMENT,
            "service_area": "Central Services",
            "mode": "document_review",
            "people": 1,
            "question_id": [r[0] for r in rows],
            "answer": [r[1] for r in rows],
            "note": "Our lead's statement",
            "quotable": True,
        }
    )


def with_self(data: AuditData, rows: pd.DataFrame) -> AuditData:
    return AuditData.from_question_set(core(), pd.concat([data.responses, rows], ignore_index=True))


@cache
def weak_culture_audit(seed: int = 3) -> AuditData:
    """Culture weak (45) across the organisation, the rest around 70."""
    return realistic_audit(
        seed, core(), [Plant(score=70), Plant(theme="culture", score=45)], areas=4
    )


def optimism(result):
    return {f.theme: f for f in result.findings if f.kind == OPTIMISM}


def test_an_organisation_rating_its_culture_45_points_above_the_evidence_is_optimistic():
    data = weak_culture_audit()
    result = analyse(with_self(data, self_assessment(data, {"culture": 45})))
    found = optimism(result)
    assert list(found) == ["culture"]
    f = found["culture"]
    assert f.key == "self_assessment_optimism:culture::"
    assert f.certainty == "finding" and f.severity == "high"
    assert f.evidence["gap"] >= 30
    assert f.interval[0] > 0  # clear of the noise
    assert f.n_group == 1 and f.n_compared == f.evidence["evidence_n"]
    assert f.summary.startswith("The organisation's self-assessment rates Culture ")
    assert f.quotes == []  # the organisation's own notes are not quotes from the fieldwork
    row = next(t for t in result.self_assessment if t.theme == "culture")
    assert row.reading == "optimistic"
    assert row.evidence_score == result.theme("culture").score  # the published number


def test_a_self_assessment_that_matches_the_evidence_gives_no_optimism_finding():
    data = weak_culture_audit()
    result = analyse(with_self(data, self_assessment(data, {})))
    assert optimism(result) == {}
    assert not [f for f in result.worth_exploring if f.kind == OPTIMISM]
    readings = {t.reading for t in result.self_assessment}
    assert readings == {"in_line"}


def test_a_self_assessment_lower_than_the_evidence_is_not_a_finding():
    data = weak_culture_audit()
    result = analyse(with_self(data, self_assessment(data, {}, default=-40)))
    assert optimism(result) == {}
    assert "lower" in {t.reading for t in result.self_assessment}


def test_the_self_assessment_never_changes_any_other_published_score_or_finding():
    data = weak_culture_audit()
    before = analyse(data).to_json_dict()
    after = analyse(with_self(data, self_assessment(data, {"culture": 45}))).to_json_dict()
    own = [f for f in after["findings"] if f["kind"] == OPTIMISM]
    assert own
    after["findings"] = [f for f in after["findings"] if f["kind"] != OPTIMISM]
    assert after.pop("self_assessment") and before.pop("self_assessment") is None
    assert after == before  # themes, tiers, areas, fieldwork, findings, notes: identical
    tiers = {c["tier"] for t in after["themes"] for c in t["by_tier"]}
    assert SELF_ASSESSMENT not in tiers
    assert SELF_ASSESSMENT not in {c["tier"] for c in after["interviews"]["by_tier_and_mode"]}


def test_the_self_assessment_is_kept_out_of_every_frame_the_other_analysis_reads():
    data = weak_culture_audit()
    mixed = with_self(data, self_assessment(data, {"culture": 45}))
    assert SELF_ASSESSMENT not in set(mixed.responses["tier"])
    assert set(mixed.self_assessment["tier"]) == {SELF_ASSESSMENT}
    comps = detect(mixed).comparisons
    assert OPTIMISM not in set(comps["kind"])
    plain = detect(data).comparisons
    pd.testing.assert_frame_equal(comps, plain)


def test_no_comparison_is_made_on_a_theme_whose_evidence_score_is_hidden():
    data = weak_culture_audit()
    r = data.responses
    culture = r["question_id"].str.startswith("CUL-")
    # only two front-line people answer Culture: its organisation-wide cell is a small group
    two = r.loc[culture & (r["tier"] == "front_line"), "interview_id"].unique()[:2]
    small = AuditData.from_question_set(core(), r[~culture | r["interview_id"].isin(two)])
    result = analyse(with_self(small, self_assessment(data, {"culture": 45})))
    assert result.theme("culture").suppressed
    row = next(t for t in result.self_assessment if t.theme == "culture")
    assert row.reading == "not_assessable"
    assert row.evidence_score is None and row.difference is None and row.evidence_n is None
    assert row.self_score is not None  # the organisation's own statement is still shown
    assert "culture" not in optimism(result)


def test_an_audit_without_a_self_assessment_has_none_in_its_json():
    result = analyse(weak_culture_audit())
    assert result.self_assessment is None
    assert result.to_json_dict()["self_assessment"] is None


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_a_matching_self_assessment_raises_no_flag_on_clean_audits(seed):
    data = realistic_audit(seed, core(), [Plant(score=65)], areas=5)
    result = analyse(with_self(data, self_assessment(data, {})))
    assert optimism(result) == {}


def test_a_large_gap_against_four_people_who_disagree_is_worth_exploring_not_a_finding():
    """The evidence side's uncertainty: four front-line staff from 'strongly disagree' to
    'strongly agree' on Culture cannot show the organisation's 79 is optimistic."""
    qs = core()

    def answers(code: str, tier: str, level: float) -> list[tuple]:
        out = []
        for q in qs.questions_for_tier(tier):
            if q.theme == "culture" and qs.scales[q.scale].kind == "ordinal":
                points = qs.scales[q.scale].scored_values(q.reverse)
                out.append((code, tier, q.id, points[round(level * (len(points) - 1))]))
        return out

    rows = [
        r for i, lv in enumerate((0, 0.25, 0.75, 1)) for r in answers(f"FL-{i}", "front_line", lv)
    ]
    rows += answers("SA-1", SELF_ASSESSMENT, 0.85)
    frame = pd.DataFrame(rows, columns=["interview_id", "tier", "question_id", "answer"]).assign(
        service_area="North", mode="interview", people=1, note="", quotable=False
    )
    result = analyse(AuditData.from_question_set(qs, frame))
    (row,) = result.self_assessment
    assert row.evidence_n == 4 and row.difference >= 20
    assert row.reading == "worth_exploring" and row.interval[0] < 0 < row.interval[1]
    assert optimism(result) == {}
    (maybe,) = [f for f in result.worth_exploring if f.kind == OPTIMISM]
    assert maybe.certainty_note == "too few people to be sure"
