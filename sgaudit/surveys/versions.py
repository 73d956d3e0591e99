"""The form version of ODK / KoboToolbox submissions, checked against the audit's set.

A form written by `sgaudit survey-form` carries the question set in two places: the
XLSForm `version` (the set's version; ODK Central exports it as `FormVersion`) and a
hidden field `sgaudit_set` (`core v2`) that every submission keeps, whatever the
server. A submission from a form of another set or version is refused: its questions
may not mean what this audit's questions mean.
"""

from __future__ import annotations

import pandas as pd

from sgaudit.errors import Problem
from sgaudit.questionnaire import QuestionSet
from sgaudit.sheets.reading import ROW
from sgaudit.surveys.detect import SurveyTool

SET_FIELD = "sgaudit_set"


def set_label(qs: QuestionSet) -> str:
    """The value of the hidden `sgaudit_set` field: 'core v2'."""
    return f"{qs.id} v{qs.version}"


def version_problems(file: str, frame: pd.DataFrame, tool: SurveyTool, qs: QuestionSet):
    if tool.id not in ("odk", "kobo"):
        return []
    by_name = {h.rsplit("/", 1)[-1].casefold(): h for h in frame.columns if h != ROW}
    checks = [(by_name.get(SET_FIELD), set_label(qs))]
    if tool.id == "odk":
        checks.append((by_name.get("formversion"), str(qs.version)))
    problems = []
    for header, expected in checks:
        if header is None:
            continue
        values = frame[header].astype(str).str.strip()
        wrong = values.ne(expected) & values.ne("")
        if wrong.any():
            found = ", ".join(repr(v) for v in dict.fromkeys(values[wrong]))
            rows = frame.loc[wrong, ROW].tolist()
            shown = ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
            problems.append(
                Problem(
                    file,
                    None,
                    header,
                    (
                        f"submissions from another version of the form: found {found}, but this "
                        f"audit uses question set {qs.id} v{qs.version} (expected {expected!r}); "
                        f"rows {shown}. Import them into an audit of that version, or collect them "
                        "again with the current form (sgaudit survey-form)"
                    ),
                    whole_column=True,
                )
            )
    return problems
