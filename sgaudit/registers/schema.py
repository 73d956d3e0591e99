"""The five evidence registers: one pydantic row model each, and the columns derived from it.

The row models are the single statement of every column's name, type, allowed values
and meaning. The importer (`reading.py`) checks a whole file column by column from
the same definitions, and docs/registers.md documents them (a test keeps the two in
step). Rules that involve more than one cell (a referral needs a "referred to", a DBS
with information needs a risk assessment answer) are `RowRule`s below.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sgaudit.registers.frameworks import LEARNING_KINDS, LEARNING_MODES

REGISTER_KINDS: tuple[str, ...] = ("training", "recruitment", "policies", "concerns", "complaints")
REGISTER_LABELS: dict[str, str] = {
    "training": "Training and CPD register",
    "recruitment": "Recruitment checks register",
    "policies": "Policy register",
    "concerns": "Concerns log",
    "complaints": "Complaints and whistleblowing log",
}

# Ordered weakest to strongest: a check "meets" a requirement when its rank is >= the rank required.
DBS_LEVELS: tuple[str, ...] = ("none", "basic", "standard", "enhanced", "enhanced_barred")
PAID_OR_VOLUNTEER: tuple[str, ...] = ("paid", "volunteer")
CHECK_OUTCOMES: tuple[str, ...] = ("cleared", "pending", "not_cleared")
COMPLAINT_TYPES: tuple[str, ...] = ("complaint", "whistleblowing")

# A pseudonymous code: no spaces, no '@', at least one digit (P-0001, V12, 2024-017).
PERSON_CODE = re.compile(r"^(?=[^@\s]*\d)[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$")
# Column headers that would carry a person's identity rather than a code.
IDENTITY_HEADERS = frozenset(
    {
        "name", "full_name", "fullname", "first_name", "firstname", "forename", "forenames",
        "given_name", "surname", "last_name", "lastname", "family_name", "person_name",
        "staff_name", "employee_name", "volunteer_name", "email", "e_mail", "email_address",
        "e_mail_address", "mail", "phone", "telephone", "mobile", "address", "postcode",
        "date_of_birth", "dob", "ni_number", "national_insurance_number", "nhs_number",
    }
)  # fmt: skip


def _col(description: str, example: str, optional_column: bool = False, code: bool = False):
    extra = {"example": example, "optional_column": optional_column, "code": code}
    return Field(description=description, json_schema_extra=extra)


def _opt(description: str, example: str, optional_column: bool = False):
    extra = {"example": example, "optional_column": optional_column, "code": False}
    return Field(None, description=description, json_schema_extra=extra)


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class TrainingRow(_Row):
    """One learning record of one person; a person with no learning yet has one row with
    the learning columns blank. The person's columns repeat on each of their rows."""

    person_code: str = _col("Pseudonymous code of the person, never a name", "P-0007", code=True)
    role_group: str = _col("Their role group in the framework (e.g. A-F, or 1-9)", "E")
    service_area: str = _col("Service area they work in", "Supported housing")
    start_date: dt.date = _col("Date they started in their current post", "2023-04-03")
    date: dt.date | None = _opt("Date of the learning (blank: no learning yet)", "2024-11-20")
    hours: float | None = _opt("Hours of learning, more than 0 (1.5 for ninety minutes)", "6")
    mode: Literal[LEARNING_MODES] | None = _opt(  # type: ignore[valid-type]
        "How it was delivered", "face_to_face"
    )
    topic: str | None = _opt("What it covered, in a few words", "Adult safeguarding refresher")
    kind: Literal[LEARNING_KINDS] | None = _opt(  # type: ignore[valid-type]
        "course (taught training), cpd (logged learning outside training) or induction",
        "course",
    )
    multi_agency: bool | None = _opt(
        "Whether it was multi-agency learning", "false", optional_column=True
    )


class RecruitmentRow(_Row):
    """The recruitment checks of one person in one role."""

    person_code: str = _col("Pseudonymous code of the person", "V-0012", code=True)
    paid_or_volunteer: Literal[PAID_OR_VOLUNTEER] = _col(  # type: ignore[valid-type]
        "Paid staff or unpaid volunteer", "volunteer"
    )
    role: str = _col("Their role, in the organisation's words", "Youth club helper")
    dbs_level: Literal[DBS_LEVELS] = _col(  # type: ignore[valid-type]
        "Level of the DBS check held (enhanced_barred: enhanced with a barred list check)",
        "enhanced_barred",
    )
    dbs_date: dt.date | None = _opt(
        "Date on the DBS certificate (needed unless none)", "2024-01-15"
    )
    references_received: int = _col("Number of references received", "2")
    check_outcome: Literal[CHECK_OUTCOMES] = _col(  # type: ignore[valid-type]
        "Where the pre-employment checks ended", "cleared"
    )
    dbs_information_disclosed: bool | None = _opt(
        "Whether the DBS certificate showed any information (needed unless dbs_level is none)",
        "false",
    )
    risk_assessment_done: bool | None = _opt(
        "Whether a risk assessment was done (needed when the DBS showed information)", ""
    )
    dbs_level_required: Literal[DBS_LEVELS] | None = _opt(  # type: ignore[valid-type]
        "Level the role needs (blank: the required_dbs_level setting)",
        "enhanced_barred",
        optional_column=True,
    )


class PolicyRow(_Row):
    """One policy, procedure or guidance document."""

    document: str = _col("Title of the document, unique in the register", "Safeguarding policy")
    owner: str | None = _opt(
        "The role that owns it, not a person's name (blank: no owner)", "Head of Safeguarding"
    )
    last_reviewed: dt.date | None = _opt(
        "Date it was last reviewed (blank: not known)", "2024-03-01"
    )
    next_review_due: dt.date | None = _opt(
        "Date its next review is due (blank: last_reviewed + the policy_review_years setting)",
        "2025-03-01",
    )
    links_to: tuple[str, ...] = Field(
        (),
        description="Other documents it refers to, separated by ';'",
        json_schema_extra={
            "example": "Whistleblowing policy; Code of conduct",
            "optional_column": False,
            "code": False,
        },
    )


class ConcernRow(_Row):
    """One safeguarding concern in the concerns log."""

    concern_ref: str = _col("The log's reference for the concern, unique", "C-2024-031", code=True)
    date_raised: dt.date = _col("Date the concern was raised", "2024-05-02")
    category: str = _col("Category of harm in the organisation's words", "neglect")
    service_area: str = _col("Service area it arose in", "Day services")
    triage_date: dt.date | None = _opt("Date it was triaged (blank: not yet)", "2024-05-03")
    referral_made: bool | None = _opt("Whether it was referred on (blank: not decided)", "true")
    referred_to: str | None = _opt(
        "Who it was referred to (needed when referral_made)", "Local authority adult social care"
    )
    referral_date: dt.date | None = _opt("Date of the referral", "2024-05-06", optional_column=True)
    outcome: str | None = _opt("Outcome in a few words", "Section 42 enquiry opened")
    date_closed: dt.date | None = _opt("Date closed (blank: still open)", "2024-07-19")


class ComplaintRow(_Row):
    """One complaint or whistleblowing disclosure."""

    ref: str = _col("The log's reference, unique", "W-2024-004", code=True)
    type: Literal[COMPLAINT_TYPES] = _col(  # type: ignore[valid-type]
        "complaint or whistleblowing", "whistleblowing"
    )
    date_received: dt.date = _col("Date it was received", "2024-02-12")
    stage_reached: str = _col("Furthest stage it reached, in the procedure's words", "stage 1")
    time_limits_met: bool | None = _opt(
        "Whether every stage met its time limit (blank: open)", "true"
    )
    feedback_given: bool | None = _opt(
        "Whether the person who raised it was told the outcome", "false"
    )
    theme: str | None = _opt(
        "Theme recorded for trend analysis (blank: none recorded)", "staff attitude"
    )
    service_area: str | None = _opt(
        "Service area it concerns", "Day services", optional_column=True
    )


ROW_MODELS: dict[str, type[_Row]] = {
    "training": TrainingRow,
    "recruitment": RecruitmentRow,
    "policies": PolicyRow,
    "concerns": ConcernRow,
    "complaints": ComplaintRow,
}
# Columns whose values must be unique in a file (together).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "recruitment": ("person_code", "role"),
    "policies": ("document",),
    "concerns": ("concern_ref",),
    "complaints": ("ref",),
}


@dataclass(frozen=True)
class Column:
    """One register column as the importer checks it and the docs describe it."""

    name: str
    type: str  # text | code | date | int | number | bool | choice | list
    required: bool  # a value is needed in every row
    optional_column: bool  # the column may be left out of the file
    choices: tuple[str, ...]
    description: str
    example: str


def _column(name: str, field) -> Column:
    annotation = field.annotation
    args = typing.get_args(annotation)
    is_union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    nullable = is_union and type(None) in args
    inner = next(a for a in args if a is not type(None)) if nullable else annotation
    required = not nullable and inner != tuple[str, ...]
    choices: tuple[str, ...] = ()
    extra = field.json_schema_extra or {}
    if typing.get_origin(inner) is Literal:
        kind, choices = "choice", tuple(typing.get_args(inner))
    elif inner == tuple[str, ...]:
        kind = "list"
    else:
        kind = {str: "text", dt.date: "date", int: "int", float: "number", bool: "bool"}[inner]
        if kind == "text" and extra.get("code"):
            kind = "code"
    return Column(
        name=name,
        type=kind,
        required=required,
        optional_column=bool(extra.get("optional_column")),
        choices=choices,
        description=field.description or "",
        example=str(extra.get("example", "")),
    )


def columns_of(kind: str) -> tuple[Column, ...]:
    """The columns of a register, in file order."""
    model = ROW_MODELS[kind]
    return tuple(_column(name, f) for name, f in model.model_fields.items())


# ---- rules across cells, checked after every cell has parsed --------------------------
@dataclass(frozen=True)
class RowRule:
    """Rows where `bad(frame)` is True get `message` against `column`."""

    column: str
    message: str
    bad: Callable[[pd.DataFrame], pd.Series]


def _given(s: pd.Series) -> pd.Series:
    return s.notna()


def _is(s: pd.Series, value) -> pd.Series:
    return s.eq(value).fillna(False).astype(bool)


def _before(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a < b).fillna(False).astype(bool)


_LEARNING = ("date", "hours", "kind")


def _learning_missing(f: pd.DataFrame, col: str) -> pd.Series:
    """Rows where learning column `col` is blank while another learning column is filled
    (column by column on arrays: a frame of the other columns cost more than the test)."""
    others = [f[c].notna().to_numpy() for c in (*_LEARNING, "mode", "topic") if c != col]
    return pd.Series(f[col].isna().to_numpy() & np.logical_or.reduce(others), index=f.index)


RULES: dict[str, tuple[RowRule, ...]] = {
    "training": tuple(
        RowRule(
            col,
            "a learning record needs date, hours and kind (leave every learning column "
            "blank for a person with no learning yet)",
            lambda f, col=col: _learning_missing(f, col),
        )
        for col in _LEARNING
    )
    + (RowRule("hours", "hours must be more than 0", lambda f: (f["hours"] <= 0).fillna(False)),),
    "recruitment": (
        RowRule(
            "dbs_date",
            "a DBS check needs the date on its certificate",
            lambda f: f["dbs_level"].isin(DBS_LEVELS[1:]) & f["dbs_date"].isna(),
        ),
        RowRule(
            "dbs_information_disclosed",
            "say true or false: did the DBS certificate show any information?",
            lambda f: f["dbs_level"].isin(DBS_LEVELS[1:]) & f["dbs_information_disclosed"].isna(),
        ),
        RowRule(
            "dbs_information_disclosed",
            "is true but dbs_level is none (no certificate to show information)",
            lambda f: _is(f["dbs_level"], "none") & _is(f["dbs_information_disclosed"], True),
        ),
        RowRule(
            "risk_assessment_done",
            "say true or false: the DBS showed information, was a risk assessment done?",
            lambda f: (
                _is(f["dbs_information_disclosed"], True)
                & f["dbs_level"].isin(DBS_LEVELS[1:])
                & f["risk_assessment_done"].isna()
            ),
        ),
    ),
    "policies": (
        RowRule(
            "next_review_due",
            "is before last_reviewed",
            lambda f: _before(f["next_review_due"], f["last_reviewed"]),
        ),
    ),
    "concerns": (
        RowRule(
            "triage_date",
            "is before date_raised",
            lambda f: _before(f["triage_date"], f["date_raised"]),
        ),
        RowRule(
            "referral_date",
            "is before date_raised",
            lambda f: _before(f["referral_date"], f["date_raised"]),
        ),
        RowRule(
            "date_closed",
            "is before date_raised",
            lambda f: _before(f["date_closed"], f["date_raised"]),
        ),
        RowRule(
            "referred_to",
            "referral_made is true, so say who it was referred to",
            lambda f: _is(f["referral_made"], True) & f["referred_to"].isna(),
        ),
        RowRule(
            "referred_to",
            "is given but referral_made is not true",
            lambda f: ~_is(f["referral_made"], True) & _given(f["referred_to"]),
        ),
        RowRule(
            "referral_date",
            "is given but referral_made is not true",
            lambda f: ~_is(f["referral_made"], True) & _given(f["referral_date"]),
        ),
    ),
    "complaints": (),
}
