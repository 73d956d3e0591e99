"""Which column of an import file holds what, and which columns are refused.

Rules (docs/formats.md explains them to users):

- Long format headers are matched ignoring case, spaces and hyphens
  ("Interview ID" is `interview_id`). The template's own extra columns (`theme`,
  `question`, `allowed_answers`) are read and ignored.
- A wide-format question column is one whose header is a question id, starts with a
  question id followed by a space or punctuation ("REC-01 Before I started..."), or
  ends with a bracketed part starting with one (Google Forms grids:
  "Recruitment [REC-01 ...]").
- Survey metadata columns (timestamps, respondent/response ids, start and end times)
  are ignored.
- A column whose name suggests personal data (name, email, phone, address, postcode,
  date of birth, IP address) is refused: sgaudit never stores who a respondent is.
- Any other column is refused as unknown, so a misspelt header never silently loses
  answers; `ignore_columns` names columns to skip on purpose.
"""

from __future__ import annotations

import re

from sgaudit.errors import Problem

LONG_REQUIRED: tuple[str, ...] = ("interview_id", "tier", "service_area", "question_id", "answer")
LONG_OPTIONAL: tuple[str, ...] = (
    "note",
    "date",
    "auditor",
    "mode",
    "quotable",
    "people",
    "consent",
)
TEMPLATE_EXTRAS: tuple[str, ...] = ("theme", "question", "allowed_answers")

SURVEY_METADATA: frozenset[str] = frozenset(
    {
        "id",
        "respondent_id",
        "response_id",
        "collector_id",
        "submission_id",
        "timestamp",
        "start_time",
        "completion_time",
        "end_time",
        "start_date",
        "end_date",
        "last_modified_time",
        "submitted_at",
        "submission_time",
        "submission_date",
        "total_points",
        "quiz_feedback",
        "language",
    }
)
_PERSONAL = re.compile(
    r"\b(names?|e-?mails?|e-?mail addresses?|phone|telephone|mobile|address|postcode|"
    r"post code|zip|date of birth|dob|birthday|ip address|ip)\b"
)


def header_key(header: str) -> str:
    """A header in its canonical form: lower case, words joined by '_'."""
    return re.sub(r"[\s\-]+", "_", header.strip().casefold()).strip("_")


def looks_personal(header: str) -> bool:
    text = re.sub(r"[_\-]+", " ", header.casefold())
    return bool(_PERSONAL.search(text))


def personal_problem(file: str, header: str) -> Problem:
    return Problem(
        file,
        1,
        header,
        "this column looks like personal data (names or contact details); sgaudit never "
        "stores who a respondent is. Delete the column from the file and import again",
    )


def question_of_header(header: str, ids_longest_first: list[tuple[str, str]]) -> str | None:
    """The question id a wide-format header refers to, or None.

    `ids_longest_first` is [(casefolded id, id)] sorted longest first, so REC-010 wins
    over REC-01.
    """
    text = header.strip().casefold()
    candidates = [text]
    bracket = re.search(r"\[([^\]]+)\]\s*$", text)
    if bracket:
        candidates.append(bracket.group(1).strip())
    for cand in candidates:
        for folded, qid in ids_longest_first:
            if cand.startswith(folded):
                rest = cand[len(folded) :]
                if not rest or not (rest[0].isalnum() or rest[0] == "_"):
                    return qid
    return None
