"""Checks across the rows of each interview on an answer sheet, once its values are read.

One interview has one tier, service area, mode, date, auditor, head count and consent
(a blank cell is "not given", not a different value); answers each question once;
keeps the tier and service area it is stored with; and an audit has one
self-assessment. Like `validate`, which calls them, the checks work on the whole frame
and add their problems to its collector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sgaudit.sheets.reading import ROW
from sgaudit.vocab import SELF_ASSESSMENT

if TYPE_CHECKING:  # only named in annotations: `validate` imports this module
    from sgaudit.sheets.validate import _Collector

INTERVIEW_FIELDS: tuple[str, ...] = (
    "tier",
    "service_area",
    "mode",
    "date",
    "auditor",
    "people",
    "consent",
)


def _said(value) -> object:
    """A value as the sheet says it: a parsed yes/no back in words."""
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def check_interviews(out: pd.DataFrame, existing: pd.DataFrame, c: _Collector) -> None:
    """The problems of each interview across its rows, added to `c`: a field that changes
    between its rows, a question answered twice, a code stored for another tier or
    service area, a second self-assessment."""
    usable = out[out["interview_id"].ne("")]
    # The same interview must not change tier, area, mode, date, auditor or head count
    # (a blank cell is "not given", not a different value).
    for field in INTERVIEW_FIELDS:
        col = "held_on" if field == "date" else field
        given = usable[usable[col].notna()]
        first = given.groupby("interview_id")[col].transform("first")
        first_row = given.groupby("interview_id")[ROW].transform("first")
        differs = given[col].ne(first)
        bad = given[differs].assign(_first=first[differs], _first_row=first_row[differs])
        c.add(
            bad,
            field,
            lambda r, col=col, field=field: (
                f"interview '{r['interview_id']}' has "
                f"{field} '{_said(r['_first'])}' on row {r['_first_row']} but "
                f"'{_said(r[col])}' here; one interview has one " + field
            ),
        )

    dupes = usable.duplicated(["interview_id", "question_id"], keep="first")
    if dupes.any():
        first_row = usable.groupby(["interview_id", "question_id"])[ROW].transform("first")
        bad = usable[dupes].assign(_first_row=first_row[dupes])
        c.add(
            bad,
            "question_id",
            lambda r: (
                f"{r['question_id']} is answered twice for interview "
                f"'{r['interview_id']}' (first on row {r['_first_row']})"
            ),
        )

    if len(existing):
        firsts = usable.drop_duplicates("interview_id")
        known = firsts.merge(
            existing, left_on="interview_id", right_on="code", how="inner", suffixes=("", "_db")
        )
        # a row whose tier or area is itself unreadable has its own problem listed;
        # comparing it with the stored interview would only repeat it as "nan"
        readable = known["tier"].notna() & known["service_area"].notna()
        clash = known[
            readable
            & (
                (known["tier"] != known["tier_db"])
                | (known["service_area"] != known["service_area_db"])
            )
        ]
        c.add(
            clash,
            "interview_id",
            lambda r: (
                f"interview '{r['interview_id']}' already exists "
                f"in this audit as {r['tier_db']} in {r['service_area_db']}; this file says "
                f"{r['tier']} in {r['service_area']}. Use another code"
            ),
        )
    _one_self_assessment(usable, existing, c)


def _one_self_assessment(usable: pd.DataFrame, existing: pd.DataFrame, c: _Collector) -> None:
    """An audit has one self-assessment: the organisation's one statement about itself."""
    own = usable[usable["tier"].eq(SELF_ASSESSMENT)]
    stored = (
        existing.loc[existing["tier"].eq(SELF_ASSESSMENT), "code"].astype(str).tolist()
        if len(existing)
        else []
    )
    codes = list(dict.fromkeys([*stored, *own["interview_id"]]))
    if len(codes) < 2:
        return
    first = codes[0]
    bad = own[own["interview_id"].ne(first)].drop_duplicates("interview_id")
    c.add(
        bad,
        "tier",
        lambda r: (
            f"interview '{r['interview_id']}' would be a second self-assessment in this audit "
            f"(the first is '{first}'); an audit has one self-assessment, the organisation's "
            "own statement: put its answers under that code"
        ),
    )
