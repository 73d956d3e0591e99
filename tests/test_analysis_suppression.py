"""Complementary suppression: a hidden small group cannot be worked out by subtraction.

Hand-computed cases first (one theme, one-person interviews so n is a head count),
then the differencing attack itself, then properties over random audits (Hypothesis):
every margin line hides none or at least two cells holding enough people, and no
hidden cell can be solved for from the shown ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgaudit.analysis import AuditData, analyse
from sgaudit.analysis.findings import quotable_notes
from sgaudit.analysis.scores import ScoreTables, cell_scores, theme_interview_totals
from sgaudit.analysis.scoring import score_responses
from sgaudit.analysis.suppression import MARGIN
from sgaudit.analysis.synthetic import (
    AREAS,
    synthetic_interviews,
    synthetic_question_set,
    synthetic_responses,
    thread_break,
)
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

AGREE = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")  # 0..100


def one_theme_set(settings: AnalysisSettings | None = None) -> QuestionSet:
    """One theme (culture) of two agreement questions asked at every tier."""
    every = tuple(TierWording(tier=t, text="...") for t in TIERS)
    return QuestionSet(
        id="one",
        title="One theme",
        version=1,
        settings=settings or AnalysisSettings(),
        scales={
            "agree5": AnswerScale(
                label="Agree", points=tuple(ScalePoint(value=v, label=v) for v in AGREE)
            )
        },
        themes=(Theme(id="culture", title="Culture"),),
        questions=(
            Question(id="C1", theme="culture", scale="agree5", tiers=every),
            Question(id="C2", theme="culture", scale="agree5", tiers=every),
        ),
    )


def audit(
    people: Mapping[tuple[str, str], int],
    answers: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    dont_know: tuple[str, ...] = (),
) -> AuditData:
    """`people[(tier, area)]` one-to-one interviews in that cell, each answering C1 and C2.

    `answers[tier]` is the tier's answer (default "agree"); tiers in `dont_know` answer
    C2 "don't know"; `notes[tier]` is a quotable note from the tier's first interview.
    """
    answers, notes = answers or {}, notes or {}
    rows = []
    for (tier, area), count in people.items():
        for k in range(count):
            iid = f"{tier}-{area}-{k}"
            for qid in ("C1", "C2"):
                answer = answers.get(tier, "agree")
                if qid == "C2" and tier in dont_know:
                    answer = "dont_know"
                note = notes.get(tier, "") if (k == 0 and qid == "C1") else ""
                rows.append(
                    {
                        "interview_id": iid,
                        "tier": tier,
                        "service_area": area,
                        "mode": "interview",
                        "people": 1,
                        "question_id": qid,
                        "answer": answer,
                        "note": note,
                        "quotable": bool(note),
                    }
                )
    return AuditData.from_question_set(one_theme_set(), pd.DataFrame(rows))


def hidden(frame: pd.DataFrame, by: str, why: str | None = None) -> list[str]:
    """The `by` labels of the hidden cells of a one-theme table (optionally: hidden because `why`)."""
    rows = frame[frame["suppressed"]]
    if why is not None:
        rows = rows[rows["suppression"] == why]
    return rows[by].astype(str).tolist()


def hidden_pairs(frame: pd.DataFrame, why: str | None = None) -> set[tuple[str, str]]:
    rows = frame[frame["suppressed"]]
    if why is not None:
        rows = rows[rows["suppression"] == why]
    return set(zip(rows["tier"].astype(str), rows["service_area"].astype(str), strict=True))


def by_tier_in_one_area(**tiers: int) -> AuditData:
    return audit({(t, "A"): n for t, n in tiers.items()})


# ---- tiers ---------------------------------------------------------------------------------


def test_one_small_tier_hides_the_smallest_other_tier_that_is_not_front_line_or_board():
    t = ScoreTables.build(
        by_tier_in_one_area(
            service_user=6, front_line=10, manager=2, dsl=5, senior_leader=4, board=3
        )
    )
    assert hidden(t.by_tier, "tier", "small_group") == ["manager"]
    assert hidden(t.by_tier, "tier", "complementary") == ["senior_leader"]  # 4 people, fewest
    shown = t.by_tier[~t.by_tier["suppressed"]]
    assert {"front_line", "board"} <= set(shown["tier"].astype(str))  # board has 3, fewer than 4
    leaders = t.by_tier[t.by_tier["tier"] == "senior_leader"].iloc[0]
    assert np.isnan(leaders["score"]) and pd.isna(leaders["rag"])
    assert np.isnan(leaders["dont_know_rate"]) and leaders["n"] == 4  # n kept internally


def test_a_small_dsl_hides_its_pool_partner_so_the_managers_stay_testable():
    # The thread reads the DSL and senior leaders as one pool (thread_pools), so hiding
    # the senior leaders to protect the DSL costs the thread nothing, while hiding the
    # managers (fewer people) would leave them untestable.
    t = ScoreTables.build(
        by_tier_in_one_area(
            service_user=6, front_line=10, manager=4, dsl=2, senior_leader=5, board=3
        )
    )
    assert hidden(t.by_tier, "tier", "small_group") == ["dsl"]
    assert hidden(t.by_tier, "tier", "complementary") == ["senior_leader"]
    assert "manager" in set(t.by_tier.loc[~t.by_tier["suppressed"], "tier"].astype(str))


def test_two_small_tiers_holding_three_people_between_them_hide_nothing_more():
    t = ScoreTables.build(by_tier_in_one_area(front_line=10, manager=4, dsl=2, senior_leader=1))
    assert hidden(t.by_tier, "tier") == ["dsl", "senior_leader"]
    for frame in (t.overall, t.by_tier, t.by_area, t.by_tier_area):
        assert "complementary" not in set(frame["suppression"])


def test_two_one_person_tiers_hide_a_third():
    t = ScoreTables.build(
        by_tier_in_one_area(service_user=6, front_line=10, manager=4, dsl=1, senior_leader=1)
    )
    assert hidden(t.by_tier, "tier", "small_group") == ["dsl", "senior_leader"]
    assert hidden(t.by_tier, "tier", "complementary") == ["manager"]


def test_front_line_or_board_is_hidden_only_when_no_other_tier_is_left():
    t = ScoreTables.build(by_tier_in_one_area(front_line=5, dsl=2, board=4))
    assert hidden(t.by_tier, "tier", "complementary") == ["board"]  # the smaller of the two


def test_ties_are_broken_ground_to_board():
    t = ScoreTables.build(by_tier_in_one_area(service_user=4, front_line=10, manager=4, dsl=2))
    assert hidden(t.by_tier, "tier", "complementary") == ["service_user"]


# ---- service areas -------------------------------------------------------------------------


def test_one_small_area_hides_the_smallest_other_area():
    t = ScoreTables.build(
        audit({("front_line", "A"): 2, ("front_line", "B"): 5, ("front_line", "C"): 4})
    )
    assert hidden(t.by_area, "service_area", "small_group") == ["A"]
    assert hidden(t.by_area, "service_area", "complementary") == ["C"]
    # The same in the front line's row of areas, whose total (the front-line cell) is shown.
    assert hidden_pairs(t.by_tier_area) == {("front_line", "A"), ("front_line", "C")}
    assert not t.by_tier["suppressed"].any() and not t.overall["suppressed"].any()


def test_two_one_person_areas_hide_a_third():
    t = ScoreTables.build(
        audit(
            {
                ("front_line", "A"): 1,
                ("front_line", "B"): 1,
                ("front_line", "C"): 6,
                ("front_line", "D"): 5,
            }
        )
    )
    assert hidden(t.by_area, "service_area", "complementary") == ["D"]


# ---- tier x area -----------------------------------------------------------------------------


def test_a_small_tier_x_area_cell_spreads_along_its_row_and_column_until_both_are_safe():
    # front_line: 4 / 4 / 4, manager: 1 / 3 / 3 in North / South / East. No margin is small.
    t = ScoreTables.build(
        audit(
            {
                ("front_line", "North"): 4,
                ("front_line", "South"): 4,
                ("front_line", "East"): 4,
                ("manager", "North"): 1,
                ("manager", "South"): 3,
                ("manager", "East"): 3,
            }
        )
    )
    assert hidden_pairs(t.by_tier_area, "small_group") == {("manager", "North")}
    # The manager row loses East (3 people, tied with South, first in area order). Then
    # North's and East's columns each lose their only other cell, the front-line one;
    # the front-line row then hides two cells (8 people) and is safe. Every row and
    # column now hides two cells or none.
    assert hidden_pairs(t.by_tier_area, "complementary") == {
        ("manager", "East"),
        ("front_line", "North"),
        ("front_line", "East"),
    }
    assert not t.by_tier["suppressed"].any() and not t.by_area["suppressed"].any()


def test_a_suppressed_total_needs_no_complementary_cell_in_its_own_line():
    # The board (2 people, 1 in each area) is below the minimum: its cells are all small
    # groups, and its row adds nothing. The columns each lose a manager cell instead.
    t = ScoreTables.build(
        audit(
            {
                ("front_line", "North"): 4,
                ("front_line", "South"): 4,
                ("manager", "North"): 3,
                ("manager", "South"): 3,
                ("board", "North"): 1,
                ("board", "South"): 1,
            }
        )
    )
    assert hidden(t.by_tier, "tier", "small_group") == ["board"]
    board_row = t.by_tier_area[t.by_tier_area["tier"] == "board"]
    assert set(board_row["suppression"]) == {"small_group"}
    assert hidden(t.by_tier, "tier", "complementary") == ["manager"]
    assert hidden_pairs(t.by_tier_area, "complementary") == {
        ("manager", "North"),
        ("manager", "South"),
    }
    assert not hidden_pairs(t.by_tier_area) & {("front_line", "North"), ("front_line", "South")}


def test_a_total_hidden_to_protect_another_cannot_be_rebuilt_from_its_own_cells():
    # Managers (4 in North, 4 in South) are hidden only to protect the 2-person DSL tier.
    # Were both manager cells by area shown, the manager total would follow from them and
    # the DSL from the overall score. So one manager cell is hidden as well: North's,
    # whose column already hides the DSL.
    t = ScoreTables.build(
        audit(
            {
                ("front_line", "North"): 5,
                ("front_line", "South"): 5,
                ("manager", "North"): 4,
                ("manager", "South"): 4,
                ("dsl", "North"): 2,
            }
        )
    )
    assert hidden(t.by_tier, "tier", "complementary") == ["manager"]
    assert ("manager", "North") in hidden_pairs(t.by_tier_area, "complementary")
    assert not unprotected_cells(t)


def test_a_cell_alone_in_its_row_takes_its_total_with_it():
    # Central's column must hide a second cell beside the lone manager. The front line
    # carries the golden thread, so the DSL goes; the DSL was interviewed only in
    # Central, so its tier total is the same number and is hidden too.
    t = ScoreTables.build(
        audit(
            {
                ("front_line", "Central"): 6,
                ("manager", "Central"): 1,
                ("dsl", "Central"): 3,
                ("front_line", "East"): 6,
                ("manager", "East"): 3,
            }
        )
    )
    assert ("dsl", "Central") in hidden_pairs(t.by_tier_area, "complementary")
    assert "dsl" in hidden(t.by_tier, "tier", "complementary")
    assert not unprotected_cells(t)


# ---- what the hidden cells no longer feed ---------------------------------------------------


def test_a_tier_hidden_to_protect_another_makes_no_thread_break_and_gives_no_quote():
    data = audit(
        {("front_line", "A"): 10, ("manager", "A"): 3, ("board", "A"): 2},
        answers={"front_line": "disagree", "manager": "strongly_agree", "board": "agree"},
        notes={"manager": "Only three of us manage here.", "front_line": "We are stretched."},
    )
    tables = ScoreTables.build(data)
    assert hidden(tables.by_tier, "tier", "complementary") == ["manager"]
    result = analyse(data)
    assert not result.findings_of_kind("thread_break")  # 75 points apart, but hidden
    notes = quotable_notes(tables)["note"].tolist()
    assert notes == ["We are stretched."]
    manager = next(c for c in result.theme("culture").by_tier if c.tier == "manager")
    assert manager.suppressed and manager.score is None and manager.n is None


def test_a_knowledge_gap_compares_only_with_tiers_that_are_shown():
    # dsl (2) is small, senior leaders (3) are hidden to protect it; the board's
    # "everyone else" is the shown tiers and the pool of the two, never either alone.
    data = audit(
        {
            ("front_line", "A"): 10,
            ("manager", "A"): 4,
            ("dsl", "A"): 2,
            ("senior_leader", "A"): 3,
            ("board", "A"): 5,
        },
        dont_know=("board", "senior_leader", "dsl"),
    )
    assert hidden(ScoreTables.build(data).by_tier, "tier") == ["dsl", "senior_leader"]
    gaps = analyse(data).findings_of_kind("knowledge_gap")
    # The board's gap is measured against the shown tiers only. The DSL and senior
    # leaders (5 together) are pooled, which shows nothing the shown tiers and the
    # total do not already give away, and the pooled gap says it is pooled.
    assert sorted(f.tiers for f in gaps) == [["board"], ["dsl", "senior_leader"]]
    board = next(f for f in gaps if f.tiers == ["board"])
    # front line 10 + managers 4 + the pooled DSL and senior leaders 5; the hidden
    # tiers enter only through the pool, never on their own.
    assert board.evidence["others_n"] == 19
    assert board.evidence["others_dont_know_rate"] == pytest.approx(2.5 / 19, abs=0.001)
    pooled = next(f for f in gaps if f.tiers == ["dsl", "senior_leader"])
    assert pooled.pooled_tiers


def test_the_json_says_suppressed_but_never_why():
    data = by_tier_in_one_area(service_user=6, front_line=10, manager=4, dsl=2, board=3)
    doc = analyse(data).to_json_dict()
    cells = {c["tier"]: c for c in doc["themes"][0]["by_tier"]}
    for tier in ("dsl", "manager"):
        assert cells[tier] == {
            "tier": tier,
            "score": None,
            "rag": None,
            "n": None,
            "suppressed": True,
            "dont_know_rate": None,
        }
    text = json.dumps(doc)
    assert "complementary" not in text and "small_group" not in text


# ---- the differencing attack -----------------------------------------------------------------


def _small_board() -> AuditData:
    """The synthetic audit with a board of two, in one area, rating culture 95 (front line 40)."""
    qs = synthetic_question_set()
    interviews = synthetic_interviews(AREAS, 3)
    board = interviews[interviews["tier"] == "board"]
    interviews = pd.concat([interviews[interviews["tier"] != "board"], board.iloc[:2]])
    responses = synthetic_responses(qs, interviews, plants=thread_break("culture", "board", 95, 40))
    return AuditData.from_question_set(qs, responses)


def _guess_hidden(overall: pd.Series, shown: pd.DataFrame) -> float:
    """What a reader would work out: (overall x n - sum of shown score x n) / hidden n."""
    rest = overall["n"] - shown["n"].sum()
    return float((overall["score"] * overall["n"] - (shown["score"] * shown["n"]).sum()) / rest)


def test_without_complementary_suppression_a_small_board_could_be_worked_out():
    data = _small_board()
    ti = theme_interview_totals(score_responses(data))
    by_tier = cell_scores(ti, data.settings, ["tier"])  # small groups only
    overall = cell_scores(ti, data.settings)
    culture = by_tier[by_tier["theme"] == "culture"]
    guess = _guess_hidden(
        overall[overall["theme"] == "culture"].iloc[0], culture[~culture["suppressed"]]
    )
    truth = ScoreTables.build(data).theme_interview
    truth = truth[(truth["theme"] == "culture") & (truth["tier"] == "board")]
    actual = truth["weighted_sum"].sum() / truth["weight"].sum()
    assert abs(guess - actual) < 1.0  # the leak this module closes


def test_with_it_a_small_board_is_always_hidden_together_with_enough_other_people():
    data = _small_board()
    t = ScoreTables.build(data)
    for theme, tiers in t.by_tier.groupby("theme", observed=True):
        gone = tiers[tiers["suppressed"]]
        assert len(gone) >= 2 and gone["n"].sum() >= data.settings.suppression_min, theme
        assert set(gone["tier"].astype(str)) == {"board", "service_user"}  # not the front line
        assert not t.overall.set_index("theme").loc[theme, "suppressed"]
    assert not unprotected_cells(t)
    result = analyse(data)
    assert not [f for f in result.findings if "board" in f.tiers]


def test_the_demo_shape_hides_service_user_cells_beside_two_person_manager_cells():
    # Managers interviewed two per area: each area's column would give a manager cell
    # away, so the smallest other non-thread cell (service users) goes in each column.
    cells = {}
    for area in ("North", "South", "East"):
        cells |= {
            ("service_user", area): 5,
            ("front_line", area): 12,
            ("manager", area): 2,
        }
    t = ScoreTables.build(audit(cells))
    assert hidden_pairs(t.by_tier_area, "complementary") == {
        ("service_user", a) for a in ("North", "South", "East")
    }
    assert not t.by_tier["suppressed"].any()
    assert not unprotected_cells(t)


# ---- properties over random audits ----------------------------------------------------------


def _table_of(t: ScoreTables, theme: str) -> tuple[dict, set, set]:
    """(n per cell key, hidden keys, small-group keys) of one theme; keys as in suppression.py."""
    n, gone, small = {}, set(), set()
    parts = (
        (t.overall, False, False),
        (t.by_tier, True, False),
        (t.by_area, False, True),
        (t.by_tier_area, True, True),
    )
    for frame, has_tier, has_area in parts:
        rows = frame[frame["theme"].astype(str) == theme]
        for row in rows.itertuples(index=False):
            key = (
                str(row.tier) if has_tier else MARGIN,
                str(row.service_area) if has_area else MARGIN,
            )
            n[key] = int(row.n)
            if row.suppressed:
                gone.add(key)
            if row.suppression == "small_group":
                small.add(key)
    return n, gone, small


def _lines(n: dict) -> list[tuple[tuple, list[tuple]]]:
    """Every row and column of the table with margins: (total, its cells)."""
    out = []
    for r in {k[0] for k in n}:
        members = [k for k in n if k[0] == r and k[1] != MARGIN]
        if members:
            out.append(((r, MARGIN), members))
    for c in {k[1] for k in n}:
        members = [k for k in n if k[1] == c and k[0] != MARGIN]
        if members:
            out.append(((MARGIN, c), members))
    return out


def unprotected_cells(t: ScoreTables) -> list[tuple[str, tuple, str]]:
    """Hidden cells a reader could solve for, and lines breaking the margin rule.

    Solving: every line says total = sum of its cells (in weighted sums and weights, so
    exactly). A hidden cell can be solved for exactly when its unit vector lies in the
    row space of those equations restricted to the hidden cells.
    """
    problems = []
    minimum = t.settings.suppression_min
    for theme in t.overall["theme"].astype(str):
        n, gone, small = _table_of(t, theme)
        if (MARGIN, MARGIN) in gone:
            continue  # the whole theme is below the minimum
        lines = _lines(n)
        for total, members in lines:
            out = [m for m in members if m in gone]
            if total not in gone:
                ok = not out or (len(out) >= 2 and sum(n[m] for m in out) >= minimum)
                if not ok:
                    problems.append((theme, total, "shown total, too little hidden"))
            elif total not in small and not out:
                problems.append((theme, total, "hidden total rebuilt from its cells"))
        cols = sorted(gone)
        if not cols:
            continue
        index = {k: i for i, k in enumerate(cols)}
        a = np.zeros((len(lines), len(cols)))
        for i, (total, members) in enumerate(lines):
            for m in members:
                if m in index:
                    a[i, index[m]] += 1
            if total in index:
                a[i, index[total]] -= 1
        rank = np.linalg.matrix_rank(a)
        for k, j in index.items():
            unit = np.zeros(len(cols))
            unit[j] = 1
            if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
                problems.append((theme, k, "can be solved for"))
    return problems


TIER_CHOICES = ("service_user", "front_line", "manager", "dsl", "senior_leader", "board")
cell_sizes = st.dictionaries(
    st.tuples(st.sampled_from(TIER_CHOICES), st.sampled_from(["North", "South", "East", "West"])),
    st.integers(1, 6),
    min_size=1,
    max_size=16,
)


# 40 examples: each runs the whole analysis (with the uncertainty and pooling of the
# thread), and the test must stay well inside the per-test time limit on a busy machine.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell_sizes, st.dictionaries(st.sampled_from(TIER_CHOICES), st.sampled_from(AGREE)))
def test_no_hidden_cell_can_be_worked_out_in_any_audit(people, answers):
    data = audit(people, answers=answers)
    t = ScoreTables.build(data)
    assert not unprotected_cells(t)
    for frame in (t.overall, t.by_tier, t.by_area, t.by_tier_area):
        assert set(frame["suppression"]) <= {"", "small_group", "complementary"}
        assert (frame["suppressed"] == (frame["suppression"] != "")).all()
        small = frame["n"] < data.settings.suppression_min
        assert (frame.loc[small, "suppression"] == "small_group").all()
        assert frame.loc[frame["suppressed"], "score"].isna().all()
    assert "complementary" not in set(t.overall["suppression"])
    result = analyse(data)
    shown = {c.tier for th in result.themes for c in th.by_tier if not c.suppressed}
    shown_areas = {c.service_area for th in result.themes for c in th.by_area if not c.suppressed}
    for finding in result.findings:
        # a pooled finding names the tiers of its pool, which is shown as one group
        tiers = set(finding.tiers) - set(finding.pooled_tiers)
        assert tiers <= shown and set(finding.service_areas) <= shown_areas


@pytest.mark.parametrize("seed", range(4))
def test_realistic_audits_with_many_small_cells_are_protected(seed):
    from sgaudit.analysis.synthetic import audit_of_size

    t = ScoreTables.build(audit_of_size(6_000, seed=seed))
    assert t.by_tier_area["suppressed"].any()
    assert not unprotected_cells(t)
