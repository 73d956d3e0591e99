"""Agreement between two auditors: hand-computed small tables, the packages, and
published worked examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from sgaudit.analysis.agreement import (
    agreement_by_theme,
    alpha_reading,
    moderation_candidates,
    ordinal_alpha,
    scored_pairs,
    weighted_kappa,
)

NAN = np.nan


def test_quadratic_kappa_of_a_small_table_matches_the_hand_computation_and_statsmodels():
    # Two auditors, six items on a five-point scale (positions 0..4).
    first = np.array([0, 1, 2, 3, 4, 4])
    second = np.array([0, 1, 3, 3, 4, 2])
    # By hand, weights (i-j)^2/16: observed disagreement = mean of the weights
    # = (1 + 4) / 6 / 16 = 5/96. Expected = (Var X + Var Y + (EX - EY)^2) / 16
    # = (20/9 + 65/36 + 1/36) / 16 = 73/288. Kappa = 1 - (5/96) / (73/288) = 58/73.
    assert weighted_kappa(first, second, labels=[0, 1, 2, 3, 4]) == pytest.approx(58 / 73)
    table = pd.crosstab(
        pd.Categorical(first, categories=range(5)),
        pd.Categorical(second, categories=range(5)),
        dropna=False,
    ).to_numpy()
    assert cohens_kappa(table, wt="quadratic").kappa == pytest.approx(58 / 73)


def test_the_full_scale_is_passed_so_an_unused_point_still_counts():
    # Nobody used points 2 and 3. Left to infer the labels from the answers, the
    # package would treat 1 and 4 as neighbours (one step of two) instead of three
    # steps of four apart, and the kappa would differ.
    from sklearn.metrics import cohen_kappa_score

    first, second = np.array([0, 1, 4, 4]), np.array([0, 1, 1, 4])
    full = weighted_kappa(first, second, labels=[0, 1, 2, 3, 4])
    assert full != pytest.approx(cohen_kappa_score(first, second, weights="quadratic"))
    # a 5-point scale placed on a 0..60 grid (x15) gives the same kappa: only the
    # places on the 0-100 scale matter
    assert weighted_kappa(first * 15, second * 15, labels=list(range(61))) == pytest.approx(full)


def test_kappa_of_the_worked_yes_no_example_is_0_4():
    # The worked example of the Wikipedia article "Cohen's kappa" (50 grant proposals,
    # two readers: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no): p_o = 0.7, p_e = 0.5,
    # kappa = 0.4. With two categories quadratic weights are the plain 0/1 weights.
    first = np.array([1] * 20 + [1] * 5 + [0] * 10 + [0] * 15)
    second = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)
    assert weighted_kappa(first, second, labels=[0, 1]) == pytest.approx(0.4)


def test_alpha_reproduces_krippendorffs_own_worked_example():
    # Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", University of
    # Pennsylvania, section C: four observers, twelve units, values 1-5, missing data.
    # He gives alpha = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval).
    data = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
            [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
        ]
    )
    assert ordinal_alpha(data, value_domain=[1, 2, 3, 4, 5]) == pytest.approx(0.815, abs=5e-4)


def test_alpha_of_two_raters_with_perfect_agreement_is_one_and_undefined_without_variation():
    assert ordinal_alpha(np.array([[0, 1, 2], [0, 1, 2]], dtype=float), [0, 1, 2]) == 1.0
    assert ordinal_alpha(np.array([[1, 1], [1, 1]], dtype=float), [0, 1, 2]) is None


def _frames():
    questions = pd.DataFrame(
        {
            "question_id": ["C1", "C2", "G1", "G2"],
            "theme": ["culture", "culture", "governance", "governance"],
            "scale": ["agree5", "agree5", "yn", "agree5"],
        }
    )
    agree5 = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
    points = pd.DataFrame(
        [("agree5", a, i * 25.0, "scored") for i, a in enumerate(agree5)]
        + [("yn", "no", 0.0, "scored"), ("yn", "yes", 100.0, "scored")]
        + [(s, "dont_know", NAN, "dont_know") for s in ("agree5", "yn")],
        columns=["scale", "answer", "score", "kind"],
    )
    return questions, points


def _pairs(rows):
    return pd.DataFrame(rows, columns=["interview_id", "question_id", "first", "second"])


def test_items_two_scale_points_apart_go_to_moderation_and_dont_know_is_incomplete():
    questions, points = _frames()
    pairs = _pairs(
        [
            ("FL-1", "C1", "agree", "agree"),
            ("FL-1", "C2", "strongly_agree", "neutral"),  # two points apart
            ("FL-1", "G1", "yes", "no"),  # one point: the whole yes/no scale
            ("FL-1", "G2", "disagree", "dont_know"),  # incomplete
            ("FL-2", "C1", "strongly_disagree", "agree"),  # three points apart
        ]
    )
    scored = scored_pairs(pairs, questions, points)
    assert scored.attrs["grid"] == 4
    assert list(scored["complete"]) == [True, True, True, False, True]
    mod = moderation_candidates(scored)
    assert list(zip(mod["interview_id"], mod["question_id"], strict=True)) == [
        ("FL-1", "C2"),
        ("FL-2", "C1"),
    ]
    table = agreement_by_theme(scored, ["culture", "governance"]).set_index("theme")
    assert table.loc["culture", "percent_agreement"] == pytest.approx(100 / 3, abs=0.05)
    assert table.loc["governance", "complete_pairs"] == 1
    assert table.loc["overall", "items"] == 5
    assert table.loc["overall", "two_or_more_apart"] == 2
    # overall kappa on the common 0..4 grid (yes/no placed at 0 and 4)
    first = np.array([3, 4, 4, 0])
    second = np.array([3, 2, 0, 3])  # noqa: E702
    assert table.loc["overall", "kappa"] == pytest.approx(
        weighted_kappa(first, second, labels=[0, 1, 2, 3, 4])
    )
    # alpha keeps the incomplete pair (one rating of G2) and still computes
    assert table.loc["overall", "alpha"] is not None


@pytest.mark.parametrize(
    ("alpha", "reading"),
    [
        (0.95, "strong"),
        (0.8, "strong"),
        (0.79, "tentative"),
        (0.667, "tentative"),
        (0.66, "low: compare notes"),
        (-0.2, "low: compare notes"),
        (None, "not measurable"),
        (float("nan"), "not measurable"),
    ],
)
def test_alpha_reads_as_krippendorffs_bands(alpha, reading):
    # 0.800 to rely on, 0.667 for tentative conclusions only (Krippendorff 2004)
    assert alpha_reading(alpha) == reading
