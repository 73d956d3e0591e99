"""Consent on an answer sheet: no answers are kept without it, and imports are whole.

A long sheet records consent per interview in its `consent` column (yes or no, given
on one row of the interview or on all). The rule, worked out before anything is
written (docs/formats.md, "Consent on an answer sheet"):

- a new interview needs consent yes; one without it (no, blank, or no `consent`
  column at all) refuses the whole file, naming the interview and its first row,
  so nothing of anyone is kept without consent and nothing half-imported;
- an interview already stored keeps its consent where the file leaves it blank; a
  yes records consent given (an interview imported before sheets carried consent),
  listed as a change; a no, or a yes for an interview whose consent was withdrawn,
  refuses the file: a sheet neither withdraws consent nor undoes a withdrawal.

Pure: frames in, problems and changes out.
"""

from __future__ import annotations

import pandas as pd

from sgaudit import printed
from sgaudit.errors import Problem
from sgaudit.sheets.changes import Change
from sgaudit.sheets.reading import ROW
from sgaudit.sheets.validate import MAX_LISTED

NOT_KEPT = "no answers are kept without consent"
# A new interview without consent, named one by one up to this many in the one line
# that says the file has no consent column.
_NAMED = 5


def consent_problems(
    rows: pd.DataFrame, stored: pd.DataFrame, *, file: str, column: str | None
) -> tuple[list[Problem], list[Change]]:
    """Problems with the sheet's consent, and the stored interviews it marks consented.

    `rows`: validated answer rows (interview_id, consent True/False/None, _row).
    `stored`: the audit's interviews (code, id, consent_confirmed, withdrawn).
    `column`: the header of the file's consent column, or None when it has none.
    """
    usable = rows[rows["interview_id"].ne("")]
    firsts = usable.sort_values(ROW, kind="stable").drop_duplicates("interview_id")
    merged = firsts.merge(stored, left_on="interview_id", right_on="code", how="left")
    known = merged["id"].notna()
    consent = merged["consent"]
    problems: list[Problem] = []

    said_no = merged[consent.eq(False)]
    problems += [
        Problem(
            file,
            int(r[ROW]),
            column,
            f"interview '{r['interview_id']}' has consent 'no': {NOT_KEPT}, so the file "
            "is refused. Take the interview's rows out of the file (to withdraw the consent "
            "of an interview already imported, untick its consent on the Interview page, or "
            "use `sgaudit interview withdraw`)",
        )
        for r in said_no.to_dict("records")
    ]

    without = merged[~known & consent.isna()]
    if len(without) and column is None:
        codes = list(without["interview_id"])
        named = ", ".join(codes[:_NAMED])
        if len(codes) > _NAMED:
            named += f" and {len(codes) - _NAMED:,} more"
        problems.append(
            Problem(
                file,
                1,
                "consent",
                f"missing column 'consent': the file records no consent for its new "
                f"interviews ({named}), and {NOT_KEPT}. Add a consent column and write yes "
                "on a row of each interview whose people gave their consent",
            )
        )
    else:
        problems += [
            Problem(
                file,
                int(r[ROW]),
                column,
                f"interview '{r['interview_id']}' has no consent recorded (its consent cell "
                f"is blank on every row), and {NOT_KEPT}. Write yes if its people gave their "
                "consent; otherwise take its rows out of the file",
            )
            for r in without.to_dict("records")
        ]

    withdrawn = known & merged["withdrawn"].fillna(False).astype(bool)
    undo = merged[withdrawn & consent.eq(True)]
    problems += [
        Problem(
            file,
            int(r[ROW]),
            column,
            f"interview '{r['interview_id']}' had its consent withdrawn; the file says yes, "
            "but an import does not give consent back. Take the interview's rows out of the "
            "file, or tick its consent on the Interview page first if it was given again",
        )
        for r in undo.to_dict("records")
    ]

    confirmed = merged["consent_confirmed"].fillna(False).astype(bool)
    now_given = merged[known & ~withdrawn & consent.eq(True) & ~confirmed]
    changes = [
        Change(code, None, "consent", "not recorded", "given") for code in now_given["interview_id"]
    ]
    return _capped(problems, file), changes


def _capped(problems: list[Problem], file: str) -> list[Problem]:
    """The first `MAX_LISTED` by row, then one line counting the rest (a sheet of a
    million interviews without consent is told so in a page)."""
    problems = sorted(problems, key=lambda p: p.row or 0)
    more = len(problems) - MAX_LISTED
    if more <= 0:
        return problems
    return [
        *problems[:MAX_LISTED],
        Problem(
            file,
            None,
            None,
            f"and {printed.count(more, 'more interview', 'more interviews')} without consent "
            f"like these: the first {MAX_LISTED:,} by row are listed",
            more=more,
        ),
    ]
