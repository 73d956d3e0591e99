"""coverage_report on a tiny hand-made set: codes detected, threads measurable."""

from __future__ import annotations

from sgaudit.questionnaire.coverage import coverage_report
from sgaudit.questionnaire.models import (
    AnswerScale,
    Question,
    QuestionSet,
    ScalePoint,
    Theme,
    TierWording,
)


def _set(questions, codes=("A-1", "A-2", "B-1")) -> QuestionSet:
    scale = AnswerScale(
        label="yn",
        points=(ScalePoint(value="no", label="No"), ScalePoint(value="yes", label="Yes")),
    )
    return QuestionSet(
        id="t",
        title="t",
        version=2,
        codes={c: c for c in codes},
        scales={"yn": scale},
        themes=(Theme(id="alpha", title="Alpha"), Theme(id="beta", title="Beta")),
        questions=tuple(questions),
    )


def _q(qid, theme, tiers, detects=(), aspect="practice"):
    return Question(
        id=qid,
        theme=theme,
        scale="yn",
        aspect=aspect,
        detects=tuple(detects),
        tiers=tuple(TierWording(tier=t, text="x") for t in tiers),
    )


def test_a_code_no_question_detects_is_reported_and_the_set_is_not_ok():
    report = coverage_report(
        _set(
            [
                _q("A1", "alpha", ["front_line", "board"], ["A-1"]),
                _q("B1", "beta", ["board", "front_line"], ["B-1"], aspect="paper"),
            ]
        )
    )
    assert report.undetected_codes == ["A-2"]
    assert report.detected_by == {"A-1": ["A1"], "A-2": [], "B-1": ["B1"]}
    assert not report.ok


def test_a_theme_whose_front_line_and_board_items_differ_has_no_measurable_thread():
    report = coverage_report(
        _set(
            [
                _q("A1", "alpha", ["front_line", "manager", "board"], ["A-1", "A-2"]),
                _q("B1", "beta", ["front_line"], ["B-1"]),
                _q("B2", "beta", ["service_user", "board"]),
            ]
        )
    )
    alpha, beta = report.themes
    assert alpha.thread_questions == ["A1"] and alpha.thread_measurable
    assert beta.tiers == ["service_user", "front_line", "board"]  # ground to board order
    assert beta.thread_questions == [] and not beta.thread_measurable
    assert report.themes_without_thread == ["beta"]
    assert report.undetected_codes == []
    assert not report.ok


def test_full_coverage_is_ok_and_counts_questions_per_tier():
    report = coverage_report(
        _set(
            [
                _q("A1", "alpha", ["front_line", "board"], ["A-1", "A-2"], aspect="paper"),
                _q("A2", "alpha", ["front_line"], ["A-2"]),
                _q("B1", "beta", ["front_line", "dsl", "board"], ["B-1"]),
            ]
        )
    )
    assert report.ok
    assert report.detected_by["A-2"] == ["A1", "A2"]
    assert report.questions_per_tier["front_line"] == 3
    assert report.questions_per_tier["dsl"] == 1
    assert report.questions_per_tier["service_user"] == 0
    assert report.themes[0].aspects == ["paper", "practice"]
    assert (report.question_set, report.version) == ("t", 2)


def test_a_code_used_but_not_declared_is_listed_separately():
    report = coverage_report(_set([_q("A1", "alpha", ["front_line", "board"], ["Z-9"])], codes=()))
    assert report.undeclared_codes == ["Z-9"]
    assert report.detected_by == {"Z-9": ["A1"]}
