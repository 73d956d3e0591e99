"""What a question set can detect, and whether each theme's golden thread is measurable.

A code (a weakness such as REC-3, or a line-of-sight question LOS-1) is covered when
at least one question lists it in `detects`. A theme's thread is measurable when at
least one of its questions is asked of both `front_line` and `board`: that is the
item whose scores are compared across the tiers.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sgaudit.questionnaire.models import QuestionSet
from sgaudit.vocab import TIERS

THREAD_ENDS: tuple[str, str] = ("front_line", "board")


class ThemeCoverage(BaseModel):
    model_config = ConfigDict(frozen=True)

    theme: str
    title: str
    questions: int
    tiers: list[str]  # tiers asked at least one of the theme's questions, ground to board
    thread_questions: list[str]  # ids of questions asked at both front_line and board
    aspects: list[str]  # "paper" and/or "practice"

    @property
    def thread_measurable(self) -> bool:
        return bool(self.thread_questions)


class CoverageReport(BaseModel):
    """Coverage of one question set. `ok` when every code is detected and every theme's
    thread is measurable."""

    model_config = ConfigDict(frozen=True)

    question_set: str
    version: int
    detected_by: dict[str, list[str]]  # code -> question ids, for every code of the set
    undetected_codes: list[str]
    undeclared_codes: list[str]  # used in `detects` but not listed in the set's codes
    themes: list[ThemeCoverage]
    questions_per_tier: dict[str, int] = Field(default_factory=dict)

    @property
    def themes_without_thread(self) -> list[str]:
        return [t.theme for t in self.themes if not t.thread_measurable]

    @property
    def ok(self) -> bool:
        return not self.undetected_codes and not self.themes_without_thread


def coverage_report(question_set: QuestionSet) -> CoverageReport:
    """Which codes each question detects and which tiers each theme reaches."""
    detected: dict[str, list[str]] = {code: [] for code in question_set.codes}
    undeclared: list[str] = []
    for q in question_set.questions:
        for code in q.detects:
            if code not in detected:
                detected[code] = []
                undeclared.append(code)
            detected[code].append(q.id)
    themes = []
    for theme in question_set.themes:
        qs = [q for q in question_set.questions if q.theme == theme.id]
        reached = {t for q in qs for t in q.tier_ids}
        themes.append(
            ThemeCoverage(
                theme=theme.id,
                title=theme.title,
                questions=len(qs),
                tiers=[t for t in TIERS if t in reached],
                thread_questions=[q.id for q in qs if set(THREAD_ENDS) <= set(q.tier_ids)],
                aspects=sorted({q.aspect for q in qs}),
            )
        )
    return CoverageReport(
        question_set=question_set.id,
        version=question_set.version,
        detected_by=detected,
        undetected_codes=[c for c in question_set.codes if not detected[c]],
        undeclared_codes=sorted(undeclared),
        themes=themes,
        questions_per_tier={t: len(question_set.questions_for_tier(t)) for t in TIERS},
    )
