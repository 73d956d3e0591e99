"""Hand-computed cases for the scoring maths: weights, reverse scoring, don't-know,
suppression by head count, RAG band boundaries."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sgaudit.analysis import AuditData, analyse
from sgaudit.analysis.scores import (
    rag_labels,
    theme_scores,
    theme_scores_by_area,
    theme_scores_by_tier,
    theme_scores_by_tier_and_area,
)
from sgaudit.analysis.scoring import score_responses
from sgaudit.errors import SgauditError
from sgaudit.questionnaire.models import (
    AnswerScale,
    Question,
    QuestionSet,
    ScalePoint,
    Theme,
    TierWording,
)
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.vocab import TIERS

AGREE = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")  # 0 25 50 75 100


def tiny_set(settings: AnalysisSettings | None = None) -> QuestionSet:
    """Two themes. Culture: C1 (weight 1), C2 (reverse, weight 3), C3 free text.
    Policies: P1 yes/partly/no (paper), P2 agreement (practice)."""
    every = tuple(TierWording(tier=t, text="...") for t in TIERS)

    def q(qid, theme, scale, **kw):
        return Question(id=qid, theme=theme, scale=scale, tiers=every, **kw)

    return QuestionSet(
        id="tiny",
        title="Tiny",
        version=1,
        settings=settings or AnalysisSettings(),
        scales={
            "agree5": AnswerScale(
                label="Agree",
                points=tuple(ScalePoint(value=v, label=v) for v in AGREE),
                allow_na=True,
            ),
            "ypn": AnswerScale(
                label="Yes/partly/no",
                points=tuple(ScalePoint(value=v, label=v) for v in ("no", "partly", "yes")),
            ),
            "text": AnswerScale(label="Text", kind="text"),
        },
        themes=(Theme(id="culture", title="Culture"), Theme(id="policies", title="Policies")),
        questions=(
            q("C1", "culture", "agree5", weight=1.0),
            q("C2", "culture", "agree5", weight=3.0, reverse=True),
            q("C3", "culture", "text"),
            q("P1", "policies", "ypn", aspect="paper"),
            q("P2", "policies", "agree5", aspect="practice"),
        ),
    )


def responses(*rows) -> pd.DataFrame:
    """Rows of (interview_id, tier, service_area, people, question_id, answer[, note, quotable])."""
    out = []
    for row in rows:
        iid, tier, area, people, qid, answer, *rest = row
        note, quotable = (rest + ["", False])[:2] if rest else ("", False)
        out.append(
            {
                "interview_id": iid,
                "tier": tier,
                "service_area": area,
                "mode": "focus_group" if people > 1 else "interview",
                "people": people,
                "question_id": qid,
                "answer": answer,
                "note": note,
                "quotable": quotable,
            }
        )
    return pd.DataFrame(out)


def audit(*rows, settings: AnalysisSettings | None = None) -> AuditData:
    return AuditData.from_question_set(tiny_set(settings), responses(*rows))


def one(frame: pd.DataFrame, **where) -> pd.Series:
    for key, value in where.items():
        frame = frame[frame[key].astype(str) == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


# ---- normalising answers ---------------------------------------------------------------


def test_ordinal_points_are_spread_evenly_from_weakest_0_to_strongest_100():
    data = audit(*[("i1", "front_line", "A", 1, "C1", a) for a in AGREE])
    scored = score_responses(data)
    assert scored["score"].tolist() == [0.0, 25.0, 50.0, 75.0, 100.0]
    assert set(scored["kind"].astype(str)) == {"scored"}


def test_a_reverse_scored_question_is_inverted():
    data = audit(
        ("i1", "front_line", "A", 1, "C2", "agree"),
        ("i1", "front_line", "A", 1, "C2", "strongly_disagree"),
    )
    assert score_responses(data)["score"].tolist() == [25.0, 100.0]


def test_dont_know_na_text_and_off_scale_answers_carry_no_score_and_are_labelled():
    data = audit(
        ("i1", "front_line", "A", 1, "C1", "dont_know"),
        ("i1", "front_line", "A", 1, "C1", "na"),
        ("i1", "front_line", "A", 1, "C3", "We talk about it at team meetings"),
        ("i1", "front_line", "A", 1, "C1", "maybe"),
        ("i1", "front_line", "A", 1, "NOPE", "agree"),
        ("i1", "front_line", "A", 1, "P1", "na"),  # ypn does not allow na
    )
    scored = score_responses(data)
    assert scored["kind"].astype(str).tolist() == [
        "dont_know",
        "na",
        "text",
        "invalid",
        "invalid",
        "invalid",
    ]
    assert scored["score"].isna().all()


def test_scored_frame_has_theme_weight_aspect_and_categorical_tiers_in_thread_order():
    data = audit(("i1", "board", "A", 1, "P1", "yes"), ("i2", "front_line", "A", 1, "C2", "agree"))
    scored = score_responses(data)
    assert scored["theme"].astype(str).tolist() == ["policies", "culture"]
    assert scored["weight"].tolist() == [1.0, 3.0]
    assert scored["aspect"].astype(str).tolist() == ["paper", "practice"]
    assert list(scored["tier"].cat.categories) == list(TIERS) and scored["tier"].cat.ordered


# ---- theme scores ----------------------------------------------------------------------


def test_theme_score_is_the_weight_weighted_mean_with_reverse_scoring():
    # C1 agree = 75 (weight 1); C2 agree reversed = 25 (weight 3): (75 + 3*25) / 4 = 37.5
    data = audit(
        *[(f"i{i}", "front_line", "A", 1, q, "agree") for i in range(3) for q in ("C1", "C2")]
    )
    row = one(theme_scores(score_responses(data), data.settings), theme="culture")
    assert row["score"] == pytest.approx(37.5)
    assert row["rag"] == "red" and row["n"] == 3 and not row["suppressed"]


def test_dont_know_is_left_out_of_the_mean_but_counted_in_the_dont_know_rate():
    rows = []
    for i in range(3):
        rows += [(f"i{i}", "front_line", "A", 1, "C1", "strongly_agree")]
        rows += [(f"i{i}", "front_line", "A", 1, "C2", "dont_know")]
    rows += [("i0", "front_line", "A", 1, "C1", "na")]  # na: neither in the mean nor in the rate
    data = audit(*rows)
    row = one(theme_scores(score_responses(data), data.settings), theme="culture")
    assert row["score"] == 100.0
    assert row["dont_know_rate"] == pytest.approx(0.5)  # 3 don't know / (3 scored + 3 don't know)
    assert row["answers"] == 7


def test_a_cell_where_everyone_said_dont_know_has_no_score_but_is_not_suppressed():
    data = audit(*[(f"i{i}", "board", "A", 1, "C1", "dont_know") for i in range(3)])
    row = one(theme_scores(score_responses(data), data.settings), theme="culture")
    assert math.isnan(row["score"]) and row["rag"] is None
    assert not row["suppressed"] and row["dont_know_rate"] == 1.0


@pytest.mark.parametrize(
    ("interviews", "expected_n", "suppressed"),
    [
        ([1, 1], 2, True),  # two people interviewed one to one
        ([2], 2, True),  # a focus group of two
        ([1, 1, 1], 3, False),  # three people one to one
        ([3], 3, False),  # a focus group of three
        ([2, 1], 3, False),  # a pair and a single
    ],
)
def test_a_cell_is_suppressed_below_three_people_counting_focus_group_members(
    interviews, expected_n, suppressed
):
    rows = [(f"i{k}", "manager", "A", people, "C1", "agree") for k, people in enumerate(interviews)]
    rows += [
        (f"i{k}", "manager", "A", people, "C2", "agree") for k, people in enumerate(interviews)
    ]
    data = audit(*rows)
    row = one(theme_scores_by_tier(score_responses(data), data.settings), tier="manager")
    assert row["n"] == expected_n and row["suppressed"] == suppressed
    if suppressed:
        assert math.isnan(row["score"]) and row["rag"] is None and math.isnan(row["dont_know_rate"])
    else:
        assert row["score"] == pytest.approx(37.5)


def test_n_counts_only_interviews_that_answered_the_theme():
    data = audit(
        ("i1", "front_line", "A", 4, "C1", "agree"),
        ("i2", "front_line", "A", 1, "P1", "yes"),
        ("i3", "front_line", "A", 1, "C3", "some words"),  # a text answer still counts as answering
    )
    scores = theme_scores(score_responses(data), data.settings)
    assert one(scores, theme="culture")["n"] == 5
    assert one(scores, theme="policies")["n"] == 1


def test_suppression_minimum_comes_from_the_settings():
    data = audit(
        *[(f"i{i}", "dsl", "A", 1, "C1", "agree") for i in range(4)],
        settings=AnalysisSettings(suppression_min=5),
    )
    row = one(theme_scores_by_tier(score_responses(data), data.settings), tier="dsl")
    assert row["suppressed"] and row["n"] == 4


def test_scores_by_tier_area_and_tier_x_area_split_the_same_answers():
    rows = [(f"f{i}", "front_line", "North", 1, "C1", "strongly_agree") for i in range(3)]
    rows += [(f"g{i}", "front_line", "South", 1, "C1", "disagree") for i in range(3)]
    rows += [(f"b{i}", "board", "North", 1, "C1", "agree") for i in range(3)]
    data = audit(*rows)
    scored = score_responses(data)
    s = data.settings
    by_tier = theme_scores_by_tier(scored, s)
    assert by_tier["tier"].astype(str).tolist() == ["front_line", "board"]  # thread order
    assert one(by_tier, tier="front_line")["score"] == pytest.approx(62.5)
    by_area = theme_scores_by_area(scored, s)
    assert one(by_area, service_area="North")["score"] == pytest.approx(87.5)
    assert one(by_area, service_area="North")["n"] == 6
    cells = theme_scores_by_tier_and_area(scored, s)
    assert one(cells, tier="front_line", service_area="South")["score"] == 25.0
    assert len(cells) == 3  # cells nobody was interviewed in are not listed


# ---- RAG ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "label"),
    [(0, "red"), (49.99, "red"), (50, "amber"), (69.99, "amber"), (70, "green"), (100, "green")],
)
def test_rag_bands_start_at_their_minimum(score, label):
    settings = AnalysisSettings()
    assert rag_labels(np.array([score]), settings)[0] == label == settings.rag(score)


def test_a_theme_scoring_exactly_50_is_amber():
    data = audit(*[(f"i{i}", "front_line", "A", 1, "C1", "neutral") for i in range(3)])
    assert analyse(data).theme("culture").rag == "amber"


def test_custom_rag_bands_are_used():
    from sgaudit.questionnaire.settings import RagBand

    settings = AnalysisSettings(
        rag_bands=(RagBand(label="poor", min=0), RagBand(label="good", min=80))
    )
    assert rag_labels(np.array([79.9, 80.0, np.nan]), settings).tolist() == ["poor", "good", None]


# ---- the audit data contract ---------------------------------------------------------------


def test_missing_response_columns_are_named_in_the_error():
    frame = responses(("i1", "front_line", "A", 1, "C1", "agree")).drop(columns=["people", "note"])
    with pytest.raises(SgauditError, match="responses is missing columns: people, note"):
        AuditData.from_question_set(tiny_set(), frame)


def test_an_unknown_tier_is_refused():
    with pytest.raises(SgauditError, match="unknown tier.*trustee"):
        audit(("i1", "trustee", "A", 1, "C1", "agree"))


def test_an_audit_with_no_responses_analyses_to_nothing():
    data = AuditData.from_question_set(
        tiny_set(), responses(("i1", "board", "A", 1, "C1", "agree")).iloc[:0]
    )
    result = analyse(data)
    assert result.themes == [] and result.findings == [] and result.dont_know_rate is None
