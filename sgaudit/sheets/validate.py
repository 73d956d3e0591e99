"""Check every answer row against the audit's question set and organisation.

Works column by column on the whole frame (no per-answer Python logic except to word
the problems found). Returns the rows with canonical values and the problems; the
importer writes nothing unless the problem list is empty. The checks across the rows
of one interview (one set of fields, each question once) are in `interview_checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sgaudit import printed
from sgaudit.errors import Problem
from sgaudit.limits import MAX_PEOPLE
from sgaudit.questionnaire import QuestionSet
from sgaudit.sheets.interview_checks import check_interviews
from sgaudit.sheets.layout import Where
from sgaudit.sheets.matching import (
    answer_lookup,
    area_lookup,
    key_series,
    mode_lookup,
    parse_bool,
    parse_date,
    tier_lookup,
)
from sgaudit.sheets.reading import ROW
from sgaudit.vocab import CAPTURE_TIERS, MODES

CODE_MAX = 40
# A pseudonymous code: letters, digits and - _ . / only, so a name ("Jane Smith") is refused.
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")


@dataclass(frozen=True)
class Defaults:
    mode: str = "interview"
    auditor: str = ""


# Problems listed one by one; beyond these a file's problems are counted (one line says
# how many more). A file wrong throughout (the wrong audit's sheet: a million answers
# off the scale) is told so in a page, not in a million lines and gigabytes.
MAX_LISTED = 1_000


class _Collector:
    def __init__(self, file: str, where: Where, reported: frozenset[str]):
        self.file, self.where, self.reported, self.problems = file, where, reported, []
        self.found = 0  # problems found, listed or not (each cell or row once)

    def add(self, rows: pd.DataFrame, field: str | None, message) -> None:
        """One problem per row of `rows` (per cell of a wide row's answers); `message(row)`
        words it. Only the first `MAX_LISTED` by row are worded; all are counted."""
        if field in self.reported or rows.empty:
            return
        column = self.where.get(field or "")
        per_cell = field == "answer" or (field == "question_id" and column is None)
        # A wide row repeats its tier for every answer: one problem per row (or cell).
        first = ~rows[[ROW, "_col"] if per_cell else [ROW]].duplicated().to_numpy()
        at = np.flatnonzero(first)
        self.found += len(at)
        at = at[np.argsort(rows[ROW].to_numpy()[at], kind="stable")[:MAX_LISTED]]
        for rec in rows.iloc[at].to_dict("records"):
            where = rec["_col"] if per_cell else column  # the cell holding the answer
            self.problems.append(Problem(self.file, int(rec[ROW]), where, message(rec)))

    def listed(self) -> list[Problem]:
        """The problems by row, the first `MAX_LISTED`, then a line counting the rest."""
        problems = sorted(
            set(self.problems), key=lambda p: (p.row or 0, str(p.column or ""), p.message)
        )
        more = self.found - min(len(problems), MAX_LISTED)
        if more <= 0:
            return problems
        return [
            *problems[:MAX_LISTED],
            Problem(
                self.file,
                None,
                None,
                f"and {printed.count(more, 'more problem', 'more problems')} like these: the first {MAX_LISTED:,} by row "
                "are listed; put them right and check the file again",
                more=more,
            ),
        ]


def validate_rows(
    rows: pd.DataFrame,
    question_set: QuestionSet,
    areas: list[str],
    existing: pd.DataFrame,
    *,
    file: str,
    where: Where,
    defaults: Defaults,
    reported: frozenset[str] = frozenset(),
) -> tuple[pd.DataFrame, list[Problem]]:
    """Canonical answer rows and every problem found.

    `existing` holds the audit's interviews already in the store (code, tier,
    service_area). Output columns: interview_id, tier, service_area, mode, held_on,
    auditor, people, question_id, answer, note, quotable, consent (True, False, or None
    when the file does not record it), _row.
    """
    out = rows.copy()
    c = _Collector(file, where, reported)
    for col in (
        "interview_id",
        "tier",
        "service_area",
        "question_id",
        "answer",
        "mode",
        "date",
        "auditor",
        "quotable",
        "people",
        "consent",
    ):
        out[col] = out[col].astype(str).str.strip()

    # interview code
    ids = out["interview_id"]
    c.add(
        out[ids.eq("")],
        "interview_id",
        lambda r: "interview_id is empty; give each interview a pseudonymous code such as FL-01",
    )
    bad_code = ids.ne("") & (~ids.str.match(_CODE.pattern) | ids.str.len().gt(CODE_MAX))
    c.add(
        out[bad_code],
        "interview_id",
        lambda r: (
            f"interview_id '{r['interview_id']}' must be "
            f"a code of at most {CODE_MAX} letters, digits, '-', '_', '.' or '/' (no spaces): a "
            "pseudonymous code such as FL-01, never a name"
        ),
    )

    # tier and service area (every row); mode, auditor, people: blank means "not given"
    out["tier"] = _lookup(
        out,
        "tier",
        tier_lookup(),
        c,
        "tier is empty",
        lambda v: f"unknown tier '{v}'; expected one of {', '.join(CAPTURE_TIERS)}",
    )
    out["service_area"] = _lookup(
        out,
        "service_area",
        area_lookup(areas),
        c,
        "service_area is empty",
        lambda v: f"unknown service area '{v}'; the organisation has {', '.join(areas)}",
    )
    out["mode"] = _lookup(
        out,
        "mode",
        mode_lookup(),
        c,
        None,
        lambda v: f"unknown mode '{v}'; expected one of {', '.join(MODES)}",
    )
    out["auditor"] = out["auditor"].where(out["auditor"].ne(""), None)
    people = pd.to_numeric(out["people"].where(out["people"].ne(""), None), errors="coerce")
    bad_people = out["people"].ne("") & (
        people.isna() | (people % 1 != 0) | (people < 1) | (people > MAX_PEOPLE)
    )
    c.add(
        out[bad_people],
        "people",
        lambda r: f"people must be a whole number from 1 to {MAX_PEOPLE}, not '{r['people']}'",
    )
    out["people"] = people.where(~bad_people, None)
    out["held_on"] = _parsed(
        out,
        "date",
        parse_date,
        c,
        lambda v: f"bad date '{v}'; write dates as YYYY-MM-DD (or DD/MM/YYYY)",
    )
    out["quotable"] = _parsed(
        out,
        "quotable",
        parse_bool,
        c,
        lambda v: f"bad quotable '{v}'; write yes or no (or leave it blank for no)",
    )
    # Consent as the sheet records it: yes, no, or blank (not recorded). Whether an
    # interview may be imported without it is the long importer's rule, not a value check.
    out["consent"] = _parsed(
        out,
        "consent",
        parse_bool,
        c,
        lambda v: f"bad consent '{v}'; write yes when the people heard gave their consent",
    )
    # A blank quotable cell is "no" for a new answer and "no change" for a stored one.
    out["_quotable_blank"] = out["quotable"].isna()
    out["quotable"] = out["quotable"].eq(True).astype(bool)

    _check_questions_and_answers(out, question_set, c)
    check_interviews(out, existing, c)

    # One interview, one set of fields: fill rows that left them blank, then defaults.
    usable = out["interview_id"].ne("")
    for col, default in (
        ("mode", defaults.mode),
        ("auditor", defaults.auditor),
        ("people", 1),
        ("held_on", None),
        ("consent", None),
    ):
        # Whether the file gives this field for the interview at all (else, for an
        # interview already stored, its stored value stays).
        out[f"_given_{col}"] = out[col].notna().groupby(out["interview_id"]).transform("any")
        filled = out.loc[usable, col].groupby(out.loc[usable, "interview_id"]).transform("first")
        out.loc[usable, col] = filled
        out[col] = out[col].astype(object).where(out[col].notna(), default)
    out["people"] = out["people"].astype("int64")
    group_too_small = (
        out["mode"].eq("focus_group")
        & out["people"].lt(2)
        & ~bad_people
        & ~out["interview_id"].duplicated()
    )
    c.add(
        out[group_too_small],
        "people",
        lambda r: "a focus group needs its head count (at least 2) in the 'people' column",
    )
    columns = [
        "interview_id",
        "tier",
        "service_area",
        "mode",
        "held_on",
        "auditor",
        "people",
        "question_id",
        "answer",
        "note",
        "quotable",
        "consent",
        ROW,
        "_quotable_blank",
        *(f"_given_{col}" for col in ("mode", "auditor", "people", "held_on", "consent")),
    ]
    return out[columns], c.listed()


def _lookup(out, field, table: dict[str, str], c: _Collector, empty_msg, unknown_msg):
    raw = out[field]
    mapped = key_series(raw).map(table)
    if empty_msg:
        c.add(out[raw.eq("")], field, lambda r: empty_msg)
    c.add(out[raw.ne("") & mapped.isna()], field, lambda r: unknown_msg(r[field]))
    return mapped


def _parsed(out, field, parse, c: _Collector, message) -> pd.Series:
    values = out[field]
    uniques = {}
    for v in pd.unique(values):  # distinct values only: a file has few dates
        try:
            uniques[v] = parse(v) if v else None
        except ValueError:
            uniques[v] = ValueError
    parsed = values.map(uniques)
    bad = parsed.map(lambda p: p is ValueError)
    c.add(out[bad], field, lambda r: message(r[field]))
    return parsed.where(~bad, None)


def _check_questions_and_answers(out: pd.DataFrame, qs: QuestionSet, c: _Collector) -> None:
    qmap = {q.casefold(): q for q in qs.questions_by_id}
    raw_q = out["question_id"]
    mapped = raw_q.str.casefold().map(qmap)
    unknown = mapped.isna()
    c.add(out[raw_q.eq("")], "question_id", lambda r: "question_id is empty")
    c.add(
        out[raw_q.ne("") & unknown],
        "question_id",
        lambda r: (
            f"unknown question id '{r['question_id']}' (not in question set {qs.id} v{qs.version})"
        ),
    )
    out["question_id"] = mapped.fillna(raw_q)

    asked = pd.DataFrame(
        [(q.id, t) for q in qs.questions for t in q.asked_of], columns=["question_id", "tier"]
    ).assign(_asked=True)
    flagged = out.merge(asked, on=["question_id", "tier"], how="left")["_asked"].notna()
    flagged.index = out.index
    not_asked = ~unknown & out["tier"].notna() & ~flagged
    c.add(
        out[not_asked],
        "question_id",
        lambda r: (
            f"question {r['question_id']} is not asked "
            f"of tier '{r['tier']}' (asked of "
            f"{', '.join(qs.questions_by_id[r['question_id']].asked_of)})"
        ),
    )

    # answers: matched to a scale value or label; free text kept as typed
    scale_of = {q.id: q.scale for q in qs.questions}
    out["_scale"] = out["question_id"].map(scale_of)
    is_text = (
        out["_scale"]
        .map(lambda s: qs.scales[s].kind == "text" if s in qs.scales else False)
        .astype(bool)
    )
    lookup = answer_lookup(qs)
    keyed = pd.DataFrame({"scale": out["_scale"], "key": key_series(out["answer"])})
    matched = keyed.merge(lookup, on=["scale", "key"], how="left")["value"]
    matched.index = out.index
    blank = out["answer"].eq("")
    off_scale = ~unknown & ~is_text & ~blank & matched.isna()
    c.add(
        out[off_scale],
        "answer",
        lambda r: (
            f"'{r['answer']}' is not an allowed answer to "
            f"{r['question_id']}; allowed: {' | '.join(qs.allowed_answers(r['question_id']))} "
            "(or their labels, e.g. 'Agree', \"Don't know\", 'N/A')"
        ),
    )
    out["answer"] = out["answer"].where(is_text | blank, matched).fillna("")
