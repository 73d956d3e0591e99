"""Shared helpers for the answer-sheet tests: a tiny question set and a store with one audit.

(Collected by pytest but defines no tests; the helpers are imported by the
test_sheets_* modules.)
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from sgaudit.questionnaire.models import (
    AnswerScale,
    Question,
    QuestionSet,
    ScalePoint,
    Theme,
    TierWording,
)
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import Interview, Response

AREAS = ["Supported Housing", "Youth Services", "Community Hub"]


def tiny_set() -> QuestionSet:
    agree = AnswerScale(
        label="Agreement",
        points=tuple(
            ScalePoint(value=v, label=lbl)
            for v, lbl in [
                ("strongly_disagree", "Strongly disagree"),
                ("disagree", "Disagree"),
                ("neutral", "Neither agree nor disagree"),
                ("agree", "Agree"),
                ("strongly_agree", "Strongly agree"),
            ]
        ),
        allow_dont_know=True,
        allow_na=True,
    )
    ypn = AnswerScale(
        label="Yes / partly / no",
        points=(
            ScalePoint(value="no", label="No"),
            ScalePoint(value="partly", label="Partly"),
            ScalePoint(value="yes", label="Yes"),
        ),
        allow_dont_know=True,
        allow_na=False,
    )
    maturity = AnswerScale(
        label="Maturity",
        points=tuple(ScalePoint(value=str(i), label=f"{i} - level {i}") for i in range(5)),
    )
    text = AnswerScale(label="Free text", kind="text", allow_dont_know=False)

    def w(*tiers: str) -> tuple[TierWording, ...]:
        return tuple(TierWording(tier=t, text=f"Wording of the item for {t}") for t in tiers)

    return QuestionSet(
        id="sheets_tiny",
        title="Tiny test set",
        version=1,
        scales={"agree5": agree, "ypn": ypn, "maturity": maturity, "text": text},
        themes=(
            Theme(id="policies", title="Policies", order=0),
            Theme(id="culture", title="Culture", order=1),
        ),
        questions=(
            Question(
                id="POL-01",
                theme="policies",
                scale="agree5",
                aspect="paper",
                tiers=w("front_line", "manager", "board"),
            ),
            Question(
                id="POL-02",
                theme="policies",
                scale="ypn",
                reverse=True,
                tiers=w("front_line", "dsl"),
            ),
            Question(
                id="CUL-01",
                theme="culture",
                scale="maturity",
                tiers=w("service_user", "front_line", "board"),
            ),
            Question(id="CUL-02", theme="culture", scale="text", tiers=w("dsl", "board")),
        ),
    )


def make_audit(url: str, qs: QuestionSet | None = None, org_name: str = "Test Trust") -> int:
    with session_scope(url) as s:
        org = repo.create_organisation(s, org_name, AREAS)
        audit = repo.create_audit(s, org, "Baseline", qs or tiny_set())
        return audit.id


def counts(url: str) -> tuple[int, int]:
    """(interviews, responses) in the whole store."""
    with session_scope(url) as s:
        return (
            s.scalar(select(func.count()).select_from(Interview)),
            s.scalar(select(func.count()).select_from(Response)),
        )


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def add_interviews(session, audit, data, *, consent: bool = False, actor: str = "") -> None:
    """Add generated interviews (dicts of tier, area, mode, people, held_on, auditor, code,
    answers=[(question_id, answer, note, quotable)]) to an audit, uncommitted."""
    for iv in data:
        row = repo.start_interview(
            session,
            audit,
            tier=iv["tier"],
            service_area=iv["area"],
            mode=iv["mode"],
            people=iv["people"],
            held_on=iv["held_on"],
            auditor=iv["auditor"],
            code=iv["code"],
            consent_confirmed=consent,
        )
        for qid, answer, note, quotable in iv["answers"]:
            repo.save_answer(
                session, row, qid, answer, note=note, quotable=quotable, commit=False, actor=actor
            )
