"""The blank answer sheet for an audit: one row per question per tier.

An auditor copies the rows of the tier they are interviewing, fills in
`interview_id` (a pseudonymous code, never a name), `service_area`, `consent` (yes,
once the people heard gave it: an interview without it is refused), `answer` and
`note`, and imports the file with `sgaudit import`. Rows left without an answer or
a note are skipped on import, so unused template rows do no harm.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from sgaudit.questionnaire import QuestionSet
from sgaudit.sheets.writing import write_table
from sgaudit.store import repo
from sgaudit.vocab import TIERS

TEMPLATE_COLUMNS: tuple[str, ...] = (
    "interview_id",
    "tier",
    "service_area",
    "consent",
    "question_id",
    "theme",
    "question",
    "allowed_answers",
    "answer",
    "note",
)
ANSWER_SEPARATOR = "|"


def template_frame(question_set: QuestionSet) -> pd.DataFrame:
    """The template rows: tiers ground to board, questions in theme order within a tier.

    `allowed_answers` lists the permitted values weakest practice first (reversed for a
    reverse-scored question), then `dont_know` and `na` where the scale allows them;
    free-text questions have it empty.
    """
    rows = []
    for tier in TIERS:
        for q in question_set.questions_for_tier(tier):
            scale = question_set.scales[q.scale]
            allowed = (
                ""
                if scale.kind == "text"
                else ANSWER_SEPARATOR.join(question_set.allowed_answers(q.id))
            )
            rows.append(
                {
                    "interview_id": "",
                    "tier": tier,
                    "service_area": "",
                    "consent": "",
                    "question_id": q.id,
                    "theme": q.theme,
                    "question": q.wording(tier) or "",
                    "allowed_answers": allowed,
                    "answer": "",
                    "note": "",
                }
            )
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))


def write_template(session: Session, audit_id: int | str, path: str | Path) -> int:
    """Write the blank answer sheet for the audit to `path` (.csv or .xlsx).

    The XLSX version has a bold, frozen header and dropdowns on `answer` (the allowed
    answers), `service_area` (the organisation's areas) and `consent` (yes, no).
    Returns the row count.
    """
    audit = repo.get_audit(session, audit_id)
    frame = template_frame(repo.audit_question_set(audit))
    areas = audit.organisation.area_names
    answers = [a.split(ANSWER_SEPARATOR) if a else None for a in frame["allowed_answers"]]
    write_table(
        frame,
        path,
        dropdowns={
            "answer": answers,
            "service_area": [areas] * len(frame),
            "consent": [["yes", "no"]] * len(frame),
        },
    )
    return len(frame)
