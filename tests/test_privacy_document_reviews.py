"""A document review is the auditors reading records: it hears nobody.

Its answers count in the scores like any other, but it adds no one to any count of
people: not to a cell's n, so not towards the suppression minimum, and not to the
people a finding says were heard. Stored, it keeps `people = 1` (the head count is
validated as at least 1); the analysis derives the people heard from the mode.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from sgaudit.analysis import AuditData
from sgaudit.analysis.scores import ScoreTables
from sgaudit.store.db import dispose_engines
from tests.test_analysis_suppression import one_theme_set


def _rows(tier: str, area: str, mode: str, count: int, answer: str) -> list[dict]:
    """`count` sessions of `mode` in (tier, area), each one head stored, answering C1 and C2."""
    return [
        {
            "interview_id": f"{tier}-{area}-{mode}-{k}",
            "tier": tier,
            "service_area": area,
            "mode": mode,
            "people": 1,
            "question_id": qid,
            "answer": answer,
            "note": "",
            "quotable": False,
        }
        for k in range(count)
        for qid in ("C1", "C2")
    ]


def _audit(*groups: tuple[str, str, str, int, str]) -> AuditData:
    rows = [row for g in groups for row in _rows(*g)]
    return AuditData.from_question_set(one_theme_set(), pd.DataFrame(rows))


def _cell(frame: pd.DataFrame, **keys: str) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for k, v in keys.items():
        mask &= (frame[k].astype(str) == v).to_numpy()
    (row,) = np.flatnonzero(mask)
    return frame.iloc[row]


FRONT_LINE = ("front_line", "A", "interview", 10, "agree")
BOARD = ("board", "A", "interview", 4, "agree")


def test_a_dsl_of_one_person_and_two_document_reviews_is_a_small_group():
    t = ScoreTables.build(
        _audit(
            FRONT_LINE,
            BOARD,
            ("dsl", "A", "interview", 1, "strongly_disagree"),
            ("dsl", "A", "document_review", 2, "strongly_agree"),
        )
    )
    dsl = _cell(t.by_tier, tier="dsl")
    assert dsl["n"] == 1  # one person heard; the records read add no one
    assert dsl["suppressed"] and dsl["suppression"] == "small_group"
    assert np.isnan(dsl["score"]) and np.isnan(dsl["dont_know_rate"])


def test_document_reviews_still_count_in_the_scores_but_not_in_n():
    with_reviews = ScoreTables.build(
        _audit(FRONT_LINE, ("front_line", "A", "document_review", 10, "strongly_disagree"))
    )
    overall = with_reviews.overall.iloc[0]
    assert overall["n"] == 10
    assert overall["score"] == pytest.approx(37.5)  # 10 sessions at 75, 10 at 0, weights equal
    assert overall["answers"] == 40


def test_a_cell_made_only_of_document_reviews_is_not_shown_as_anyones_view():
    t = ScoreTables.build(
        _audit(FRONT_LINE, BOARD, ("dsl", "A", "document_review", 5, "strongly_agree"))
    )
    dsl = _cell(t.by_tier, tier="dsl")
    assert dsl["n"] == 0 and dsl["suppressed"] and dsl["suppression"] == "small_group"
    assert np.isnan(dsl["score"])
    assert _cell(t.overall, theme="culture")["n"] == 14  # 10 front line and 4 trustees


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from sgaudit.demo import build_demo
    from sgaudit.store.db import session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('reviews') / 'demo.db'}"
    with session_scope(url) as s:
        result = build_demo(s)
    dispose_engines()
    return url, result


def test_the_demo_self_assessment_finding_counts_the_people_the_method_says_were_heard(
    run, demo
):
    url, result = demo
    code, out, _ = run("analyse", result.reaudit_audit_id, "--db", url)
    assert code == 0
    assert "document review" in out  # the demo holds document reviews
    (heard,) = re.findall(r"with (\d+) people heard", out)
    against = re.findall(r"own statement against (\d+) people heard", out)
    assert against, "the demo has a self-assessment finding"
    assert set(against) == {heard}


def test_the_json_total_people_is_the_people_heard(run, demo):
    url, result = demo
    code, out, _ = run("analyse", result.reaudit_audit_id, "--db", url)
    (heard,) = re.findall(r"with (\d+) people heard", out)
    doc = json.loads(
        run("analyse", result.reaudit_audit_id, "--format", "json", "--db", url)[1]
    )
    assert doc["interviews"]["total_people"] == int(heard)
    reviews = [c for c in doc["interviews"]["by_tier_and_mode"] if c["mode"] == "document_review"]
    assert reviews and all(c["people"] == 0 and c["interviews"] > 0 for c in reviews)


def test_coverage_counts_no_one_for_a_document_review_and_marks_the_cell_as_analysis_does(
    run, demo
):
    url, result = demo
    doc = json.loads(
        run("analyse", result.reaudit_audit_id, "--format", "json", "--db", url)[1]
    )
    dsl = [c for c in doc["interviews"]["by_tier_and_mode"] if c["tier"] == "dsl"]
    assert {c["mode"] for c in dsl} == {"interview", "document_review"}
    people = sum(c["people"] for c in dsl)
    code, out, _ = run("coverage", result.reaudit_audit_id, "--db", url)
    assert code == 0
    (row,) = [line for line in out.splitlines() if line.startswith("dsl ")]
    (central,) = [cell for cell in row.split()[1:] if cell != "-"]  # Central Services
    assert central.split("/")[0] == str(people)  # heard, as a score's n counts them
