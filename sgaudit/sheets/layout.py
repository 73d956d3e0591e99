"""Turn a long or wide file into one row per answer, in sgaudit's column names.

Nothing is checked against the question set here except which columns are questions;
`sheets.validate` checks the values. Each answer row keeps `_row` (the spreadsheet row)
and `_col` (the header of the cell holding the answer) so every problem can point at
the exact cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sgaudit.errors import Problem
from sgaudit.sheets.columns import (
    LONG_OPTIONAL,
    LONG_REQUIRED,
    SURVEY_METADATA,
    TEMPLATE_EXTRAS,
    header_key,
    looks_personal,
    personal_problem,
    question_of_header,
)
from sgaudit.sheets.reading import ROW, Table

# The columns of an answer-rows frame (all text except _row): a long sheet's columns.
FIELDS: tuple[str, ...] = (*LONG_REQUIRED, *LONG_OPTIONAL)
# Headers of the cells each field came from, for problem messages (None: an option).
Where = dict[str, str | None]


@dataclass
class Layout:
    rows: pd.DataFrame  # FIELDS + _row + _col
    where: Where
    problems: list[Problem] = field(default_factory=list)
    # Fields whose problem was reported once for the whole file (not again per row).
    reported: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WideOptions:
    tier_column: str | None = None
    area_column: str | None = None
    tier: str | None = None
    area: str | None = None


_ANONYMOUS = frozenset({"", "anonymous", "anon"})


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype=object) for c in (*FIELDS, "_col")} | {ROW: pd.Series(dtype="int64")}
    )


def _column_problems(
    table: Table, headers: list[str], ignore: set[str], expected: str
) -> list[Problem]:
    """Refuse personal-data columns and unknown columns (other than ignored ones)."""
    problems = []
    for h in headers:
        if h.casefold() in ignore or header_key(h) in ignore:
            continue
        if looks_personal(h):
            values = table.frame[h].astype(str).str.strip().str.casefold()
            if not values.isin(_ANONYMOUS).all():
                problems.append(personal_problem(table.name, h))
            continue
        problems.append(
            Problem(
                table.name,
                1,
                h,
                f"unknown column '{h}'; expected {expected}. If the column is not needed, "
                "delete it or name it with --ignore-column",
            )
        )
    return problems


def _ignore_set(ignore_columns: tuple[str, ...] | list[str]) -> set[str]:
    return {c.strip().casefold() for c in ignore_columns} | {header_key(c) for c in ignore_columns}


def long_layout(table: Table, ignore_columns=(), *, keep_blank_answers: bool = False) -> Layout:
    """Answer rows of a long file: one row per answer. Rows with neither an answer nor
    a note (unused template rows) are skipped, unless `keep_blank_answers` (a
    re-import with --clear-blanks) and the row names its interview."""
    frame = table.frame
    by_key: dict[str, str] = {}
    others: list[str] = []
    for h in frame.columns:
        if h == ROW:
            continue
        k = header_key(h)
        if k in LONG_REQUIRED or k in LONG_OPTIONAL:
            by_key.setdefault(k, h)
        elif k not in TEMPLATE_EXTRAS:
            others.append(h)
    problems = [
        Problem(
            table.name,
            1,
            name,
            f"missing column '{name}' (a long answer file needs {', '.join(LONG_REQUIRED)})",
        )
        for name in LONG_REQUIRED
        if name not in by_key
    ]
    problems += _column_problems(
        table,
        others,
        _ignore_set(ignore_columns),
        "the long-format columns " + ", ".join((*LONG_REQUIRED, *LONG_OPTIONAL)),
    )
    where: Where = {f: by_key.get(f) for f in FIELDS}
    if any(name not in by_key for name in LONG_REQUIRED):
        return Layout(_empty_rows(), where, problems)
    rows = pd.DataFrame({ROW: frame[ROW]})
    for f in FIELDS:
        rows[f] = frame[by_key[f]].astype(str) if f in by_key else ""
    rows["_col"] = by_key["answer"]
    used = rows["answer"].str.strip().ne("") | rows["note"].str.strip().ne("")
    if keep_blank_answers:
        used |= rows["interview_id"].str.strip().ne("")
    return Layout(rows[used].reset_index(drop=True), where, problems)


def _find_column(frame: pd.DataFrame, wanted: str) -> str | None:
    for h in frame.columns:
        if h != ROW and (h.strip() == wanted.strip() or header_key(h) == header_key(wanted)):
            return h
    return None


def _source(
    table: Table, column: str | None, fixed: str | None, default_key: str, what: str, flag: str
) -> tuple[str | None, str | None, list[Problem]]:
    """(header, fixed value, problems) for the tier or the service area of a wide file."""
    if column and fixed:
        return (
            None,
            None,
            [
                Problem(
                    table.name,
                    None,
                    None,
                    f"give either --{flag}-column or --{flag} for the {what}, not both",
                )
            ],
        )
    if fixed:
        return None, fixed, []
    header = _find_column(table.frame, column or default_key)
    if header is None and column:
        return (
            None,
            None,
            [
                Problem(
                    table.name,
                    1,
                    column,
                    f"no column '{column}' in the file (it was named as the {what} column)",
                )
            ],
        )
    if header is None:
        return (
            None,
            None,
            [
                Problem(
                    table.name,
                    None,
                    None,
                    f"which {what} does each respondent belong to? Name the column with "
                    f"--{flag}-column COLUMN, or give one {what} for the whole file with --{flag}",
                )
            ],
        )
    return header, None, []


def wide_layout(
    table: Table, question_ids: list[str], options: WideOptions, ignore_columns=()
) -> Layout:
    """Answer rows of a wide survey export: one row per respondent, one column per
    question. Each respondent becomes one interview; a blank cell is unanswered."""
    frame = table.frame
    tier_h, tier_fixed, problems = _source(
        table, options.tier_column, options.tier, "tier", "tier", "tier"
    )
    area_h, area_fixed, more = _source(
        table, options.area_column, options.area, "service_area", "service area", "area"
    )
    problems += more
    id_h = _find_column(frame, "interview_id")
    ids = sorted(((q.casefold(), q) for q in question_ids), key=lambda p: -len(p[0]))
    question_cols: dict[str, str] = {}
    others: list[str] = []
    for h in frame.columns:
        if h in (ROW, tier_h, area_h, id_h):
            continue
        qid = question_of_header(h, ids)
        if qid is None:
            if header_key(h) not in SURVEY_METADATA:
                others.append(h)
            continue
        if qid in question_cols:
            problems.append(
                Problem(
                    table.name,
                    1,
                    h,
                    f"columns '{question_cols[qid]}' and '{h}' both hold question {qid}",
                )
            )
            continue
        question_cols[qid] = h
    problems += _column_problems(
        table,
        others,
        _ignore_set(ignore_columns),
        "question columns (headed by a question id such as "
        f"'{question_ids[0] if question_ids else 'REC-01'}'), the tier and service area "
        "columns, or survey metadata such as Timestamp",
    )
    if not question_cols:
        problems.append(
            Problem(
                table.name,
                1,
                None,
                "no column is headed by a question id of this audit's question set",
            )
        )
    where: Where = {"interview_id": id_h, "tier": tier_h, "service_area": area_h}
    reported = frozenset(
        f
        for f, header, fixed in (("tier", tier_h, tier_fixed), ("service_area", area_h, area_fixed))
        if header is None and fixed is None
    )
    if problems and not question_cols:
        return Layout(_empty_rows(), where, problems, reported)

    per_person = pd.DataFrame({ROW: frame[ROW]})
    per_person["tier"] = frame[tier_h].astype(str) if tier_h else (tier_fixed or "")
    per_person["service_area"] = frame[area_h].astype(str) if area_h else (area_fixed or "")
    if id_h:
        per_person["interview_id"] = frame[id_h].astype(str).str.strip()
    else:
        # Survey exports get their codes from `sgaudit.surveys`, keyed on the tool's
        # response id; a sheet without codes has nothing that says who is who.
        problems.append(
            Problem(
                table.name,
                1,
                None,
                "no interview_id column; import survey exports with `sgaudit import`, which "
                "keys respondents on the survey tool's response id",
            )
        )
        per_person["interview_id"] = ""
    melted = frame[[ROW, *question_cols.values()]].melt(
        id_vars=[ROW], var_name="_col", value_name="answer"
    )
    melted = melted[melted["answer"].astype(str).str.strip().ne("")]
    qid_of = {h: q for q, h in question_cols.items()}
    melted["question_id"] = melted["_col"].map(qid_of)
    rows = melted.merge(per_person, on=ROW, how="left").sort_values([ROW, "_col"], kind="stable")
    # A survey's consent is its own question, settled before the rows come here.
    for f in ("note", "date", "auditor", "mode", "quotable", "people", "consent"):
        rows[f] = ""
    return Layout(rows.reset_index(drop=True)[[ROW, "_col", *FIELDS]], where, problems, reported)
