"""Re-audit comparison: change per theme and tier, findings resolved and new, items not
comparable across questionnaire versions."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd

from sgaudit.analysis import AuditData, compare_audits
from sgaudit.analysis.synthetic import (
    AREAS,
    knowledge_gap,
    localised,
    synthetic_audit,
    synthetic_interviews,
    synthetic_question_set,
    synthetic_responses,
    systemic,
)
from sgaudit.questionnaire.models import Question, TierWording
from sgaudit.vocab import TIERS

# The same seed gives the same answers wherever no plant differs, so unplanted themes
# are exactly unchanged between the two audits.
SEED = 11


def test_a_theme_that_got_better_improved_and_one_that_got_worse_worsened():
    old = synthetic_audit(plants=[*systemic("culture", 40)], seed=SEED)
    new = synthetic_audit(plants=[*systemic("governance", 40)], seed=SEED)
    comparison = compare_audits(old, new)
    culture = comparison.changes("culture")
    assert culture.direction == "improved" and culture.change > 30
    assert comparison.changes("culture", tier="board").direction == "improved"
    assert comparison.changes("governance").direction == "worsened"
    recruitment = comparison.changes("recruitment")
    assert recruitment.direction == "unchanged" and recruitment.change == 0


def test_a_change_smaller_than_change_points_is_unchanged():
    old = synthetic_audit(plants=systemic("culture", 60), seed=SEED)
    new = synthetic_audit(plants=systemic("culture", 63), seed=SEED)
    change = compare_audits(old, new).changes("culture")
    assert abs(change.change) < 5 and change.direction == "unchanged"


def test_changes_are_listed_overall_then_per_tier_then_per_area():
    comparison = compare_audits(synthetic_audit(seed=SEED), synthetic_audit(seed=SEED))
    culture = [c for c in comparison.theme_changes if c.theme == "culture"]
    assert (culture[0].tier, culture[0].service_area) == (None, None)
    assert [c.tier for c in culture[1:7]] == list(TIERS)
    assert sorted(c.service_area for c in culture[7:]) == sorted(AREAS)


def test_findings_are_sorted_into_resolved_new_and_persisting_by_key():
    old = synthetic_audit(
        plants=[*systemic("culture", 35), *localised("casework", ["Outreach"], 30)], seed=SEED
    )
    new = synthetic_audit(
        plants=[*localised("casework", ["Outreach"], 30), *knowledge_gap("governance")], seed=SEED
    )
    comparison = compare_audits(old, new)
    assert [f.key for f in comparison.findings_resolved] == ["systemic:culture::"]
    assert [f.key for f in comparison.findings_new] == ["knowledge_gap:governance::board"]
    assert [f.key for f in comparison.findings_persisting] == ["localised:casework:Outreach:"]


def _changed_version():
    """Version 2: REC-02 removed, REC-99 added, REC-03 moved to another scale."""
    v1 = synthetic_question_set()
    every = tuple(TierWording(tier=t, text="new item") for t in TIERS)
    questions = []
    for q in v1.questions:
        if q.id == "REC-02":
            continue
        if q.id == "REC-03":
            q = q.model_copy(
                update={"scale": "yes_partly_no" if q.scale != "yes_partly_no" else "agree5"}
            )
        questions.append(q)
    questions.append(Question(id="REC-99", theme="recruitment", scale="yes_partly_no", tiers=every))
    return v1, v1.model_copy(update={"version": 2, "questions": tuple(questions)})


def test_questions_in_only_one_version_or_rescaled_are_not_comparable_and_left_out():
    v1, v2 = _changed_version()
    interviews = synthetic_interviews(AREAS, 3)
    old = AuditData.from_question_set(v1, synthetic_responses(v1, interviews, seed=SEED))
    new_responses = synthetic_responses(v2, interviews, seed=SEED)
    # Everyone answers the new question as badly as possible: were it compared,
    # recruitment would fall sharply.
    new_responses.loc[new_responses["question_id"] == "REC-99", "answer"] = "no"
    new = AuditData.from_question_set(v2, new_responses)
    comparison = compare_audits(old, new)
    reasons = {n.question_id: n.reason for n in comparison.not_comparable}
    assert reasons == {
        "REC-02": "only in previous",
        "REC-03": "scale changed",
        "REC-99": "only in current",
    }
    assert comparison.comparable_questions == len(v1.questions) - 2
    assert comparison.changes("recruitment").direction == "unchanged"
    assert comparison.previous_question_set == {"id": "synthetic", "version": 1}
    assert comparison.current_question_set == {"id": "synthetic", "version": 2}


def test_the_overall_changes_alone_are_exactly_the_comparisons_across_versions():
    """What the partnership roll-up reads (`overall_changes`, from the score tables alone)
    is the comparison's own overall change of every theme, across two versions and with
    a theme that moved and one hidden in the earlier audit."""
    from sgaudit.analysis.compare import overall_changes

    v1, v2 = _changed_version()
    interviews = synthetic_interviews(AREAS, 3)
    few = interviews.iloc[:2]  # too few to show: hidden
    old_responses = synthetic_responses(v1, interviews, seed=SEED)
    old_responses = pd.concat(
        [
            old_responses[~old_responses["question_id"].str.startswith("CUL")],
            synthetic_responses(v1, few, seed=SEED).query("question_id.str.startswith('CUL')"),
        ]
    )
    new_responses = synthetic_responses(v2, interviews, seed=SEED, plants=systemic("training", 45))
    old = AuditData.from_question_set(v1, old_responses)
    new = AuditData.from_question_set(v2, new_responses)
    whole = [c for c in compare_audits(old, new).theme_changes if not c.tier and not c.service_area]
    alone = overall_changes(old, new)
    assert alone == whole
    by_theme = {c.theme: c for c in alone}
    assert by_theme["training"].direction == "worsened"
    assert by_theme["culture"].direction == "not_comparable"


def test_a_suppressed_cell_in_either_audit_is_not_comparable():
    qs = synthetic_question_set()
    interviews = synthetic_interviews(AREAS, 3)
    small = pd.concat(
        [
            interviews[interviews["tier"] != "board"],
            interviews[interviews["tier"] == "board"].iloc[:2],
        ]
    )
    old = AuditData.from_question_set(qs, synthetic_responses(qs, small, seed=SEED))
    new = AuditData.from_question_set(qs, synthetic_responses(qs, interviews, seed=SEED))
    board = compare_audits(old, new).changes("culture", tier="board")
    assert board.old_score is None and board.new_score is not None
    assert board.change is None and board.direction == "not_comparable"


def test_the_comparison_json_has_the_documented_shape():
    old = synthetic_audit(plants=systemic("culture", 35), seed=SEED)
    new = synthetic_audit(seed=SEED)
    doc = json.loads(json.dumps(compare_audits(old, new).to_json_dict()))
    assert list(doc) == [
        "previous_question_set",
        "current_question_set",
        "settings",
        "comparable_questions",
        "not_comparable",
        "theme_changes",
        "findings_resolved",
        "findings_new",
        "findings_persisting",
        "voices",
    ]
    assert list(doc["voices"][0]) == [
        "tier", "before", "after", "needed", "per_area", "short_before", "short_after",
    ]  # fmt: skip
    change = doc["theme_changes"][0]
    assert list(change) == [
        "theme",
        "title",
        "tier",
        "service_area",
        "old_score",
        "new_score",
        "change",
        "direction",
        "low",
        "high",
        "n_before",
        "n_after",
    ]
    assert change["old_score"] == round(change["old_score"], 1)
    # culture rose from 35 to about 80 among many people: clear, with its interval
    (culture,) = [
        c
        for c in doc["theme_changes"]
        if c["theme"] == "culture" and c["tier"] is None and c["service_area"] is None
    ]
    assert culture["direction"] == "improved"
    assert 0 < culture["low"] < culture["change"] < culture["high"]
    assert culture["n_before"] > 20 and culture["n_after"] > 20
    assert doc["findings_resolved"][0]["key"] == "systemic:culture::"


def _without_service_users_on(data: AuditData, theme: str) -> AuditData:
    asked = set(data.questions.loc[data.questions["theme"] == theme, "question_id"])
    r = data.responses
    keep = ~(r["question_id"].isin(asked) & (r["tier"] == "service_user"))
    return dataclasses.replace(data, responses=r[keep])


def test_the_change_by_tier_has_every_tier_ground_to_board_whatever_the_first_theme_has():
    # People who use services are not heard on the first theme: the table still has
    # their column first, with that one cell not comparable (the app lost the column).
    old = _without_service_users_on(synthetic_audit(seed=SEED), "recruitment")
    new = _without_service_users_on(
        synthetic_audit(plants=systemic("culture", 40), seed=SEED), "recruitment"
    )
    comparison = compare_audits(old, new)
    rows = comparison.by_tier()
    assert rows[0].theme == "recruitment"
    assert {r.theme for r in rows} == {c.theme for c in comparison.theme_changes}
    for row in rows:
        assert [c.tier for c in row.cells] == list(TIERS)
        for c in row.cells:
            if row.theme != "recruitment" or c.tier != "service_user":
                assert c == comparison.changes(row.theme, tier=c.tier)
    gone = rows[0].cell("service_user")
    assert (gone.old_score, gone.new_score, gone.direction) == (None, None, "not_comparable")
    # the rows can follow a given theme order, a theme absent from both not comparable
    picked = comparison.by_tier([("culture", "Culture"), ("nowhere", "Nowhere")])
    assert [r.theme for r in picked] == ["culture", "nowhere"]
    assert picked[0].cells == rows[[r.theme for r in rows].index("culture")].cells
    assert {c.direction for c in picked[1].cells} == {"not_comparable"}
