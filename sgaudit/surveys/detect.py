"""Recognise which survey tool wrote an export, as downloaded, from its header.

Each tool is described as data: the columns it adds around the questions, which of
them identify a response, when it was completed, and which hold personal data. The
shapes follow the tools' own exports:

- Microsoft Forms (xlsx or csv): `ID, Start time, Completion time, Email, Name`
  (newer exports add `Last modified time`), then one column per question headed by
  its text; a multiple-choice answer lists the options chosen, each followed by `;`.
- Google Forms (csv): `Timestamp`, `Email Address` when e-mails are collected
  (`Score` on a quiz), then the questions; a grid is one column per row,
  `Question [row item]`; checkboxes are joined with `, `.
- SurveyMonkey (csv or xlsx): two header rows. Row 1: `Respondent ID, Collector ID,
  Start Date, End Date, IP Address, Email Address, First Name, Last Name, Custom Data
  1` (more custom data columns may follow), then each question's text, blank over the
  second and later columns of a matrix or a multiple-choice question. Row 2: blank
  over the metadata, `Response` or `Open-Ended Response` under a single question, the
  row item under a matrix column, the option under a multiple-choice column.
- ODK Central (csv, "XML values and headers"): `SubmissionDate`, the form's fields
  with their group path (`/` or `-` between group and field), `meta/instanceID`,
  then `KEY, SubmitterID, SubmitterName, AttachmentsPresent, AttachmentsExpected,
  Status, ReviewState, DeviceID, Edits, FormVersion`.
- KoboToolbox (csv or xlsx, "XML values and headers", group separator `/`): the
  form's fields, then `_id, _uuid, _submission_time, _validation_status, _notes,
  _status, _submitted_by, __version__, _tags, _index`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sgaudit.sheets.columns import SURVEY_METADATA, header_key


@dataclass(frozen=True)
class SurveyTool:
    """What sgaudit knows about one tool's export."""

    id: str
    name: str
    header_rows: int = 1
    # Columns identifying a response, joined to make its key (first present wins for
    # each alternative group).
    key_columns: tuple[tuple[str, ...], ...] = ()
    # Columns holding when the response was completed, first present wins.
    time_columns: tuple[str, ...] = ()
    metadata: frozenset[str] = frozenset()  # header_key()s of columns ignored
    personal: frozenset[str] = frozenset()  # header_key()s of columns dropped as read
    personal_pattern: str | None = None  # regex on header_key() of more personal columns
    # Date orders to try for completion times written as text, month-first tools first.
    date_orders: tuple[str, ...] = ("dmy", "mdy")
    # Answers of a multiple-choice question end with this separator (MS Forms: ';').
    choice_separator: str = ""


def _keys(*headers: str) -> frozenset[str]:
    return frozenset(header_key(h) for h in headers)


_ODK_DEVICE = ("deviceid", "username", "phonenumber", "simserial", "subscriberid", "email")

MICROSOFT_FORMS = SurveyTool(
    id="microsoft_forms",
    name="Microsoft Forms",
    key_columns=(("ID",), ("Start time",)),
    time_columns=("Completion time",),
    metadata=_keys(
        "ID",
        "Start time",
        "Completion time",
        "Last modified time",
        "Total points",
        "Quiz feedback",
        "Points",
        "Feedback",
    ),
    personal=_keys("Email", "Name"),
    date_orders=("mdy", "dmy"),
    choice_separator=";",
)
GOOGLE_FORMS = SurveyTool(
    id="google_forms",
    name="Google Forms",
    key_columns=(("Timestamp",),),
    time_columns=("Timestamp",),
    metadata=_keys("Timestamp", "Score"),
    personal=_keys("Email Address", "Email"),
    date_orders=("ymd", "mdy", "dmy"),
)
SURVEYMONKEY = SurveyTool(
    id="surveymonkey",
    name="SurveyMonkey",
    header_rows=2,
    key_columns=(("Respondent ID",),),
    time_columns=("End Date",),
    metadata=_keys("Respondent ID", "Collector ID", "Start Date", "End Date"),
    personal=_keys("IP Address", "Email Address", "First Name", "Last Name"),
    personal_pattern=r"custom_data(_\d+)?",
    date_orders=("mdy", "dmy"),
)
ODK_CENTRAL = SurveyTool(
    id="odk",
    name="ODK Central",
    key_columns=(("meta/instanceID", "meta-instanceID", "instanceID", "KEY"),),
    time_columns=("end", "SubmissionDate"),
    metadata=_keys(
        "SubmissionDate",
        "meta/instanceID",
        "meta-instanceID",
        "instanceID",
        "KEY",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "Edits",
        "FormVersion",
        "start",
        "end",
        "today",
        "meta/deprecatedID",
        "meta-deprecatedID",
        "meta/instanceName",
        "meta-instanceName",
        "meta/audit",
        "meta-audit",
        "sgaudit_set",
    ),
    personal=_keys("SubmitterID", "SubmitterName", "DeviceID", *_ODK_DEVICE),
    date_orders=("ymd",),
)
KOBOTOOLBOX = SurveyTool(
    id="kobo",
    name="KoboToolbox",
    key_columns=(("_uuid", "meta/instanceID", "meta/rootUuid"),),
    time_columns=("end", "_submission_time"),
    metadata=_keys(
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "__version__",
        "_version_",
        "_tags",
        "_index",
        "_parent_index",
        "_parent_table_name",
        "start",
        "end",
        "today",
        "meta/instanceID",
        "meta/rootUuid",
        "meta/deprecatedID",
        "meta/instanceName",
        "meta/audit",
        "sgaudit_set",
        "formhub/uuid",
    ),
    personal=_keys("_submitted_by", *_ODK_DEVICE),
    date_orders=("ymd",),
)
PLAIN = SurveyTool(
    id="wide",
    name="a wide survey sheet",
    key_columns=(
        ("Respondent ID", "Response ID", "Submission ID", "ID"),
        ("Timestamp", "Submitted at", "Submission time", "Completion time"),
    ),
    time_columns=(
        "Completion time",
        "Submitted at",
        "Submission time",
        "Timestamp",
        "End date",
        "date",
    ),
    metadata=SURVEY_METADATA | {"interview_id", "date"},
)
TOOLS: tuple[SurveyTool, ...] = (
    MICROSOFT_FORMS,
    GOOGLE_FORMS,
    SURVEYMONKEY,
    ODK_CENTRAL,
    KOBOTOOLBOX,
    PLAIN,
)


def recognise(header: list[str], second_row: list[str] | None = None) -> SurveyTool:
    """The tool whose export has this header (`PLAIN` when none fits)."""
    keys = [header_key(str(h)) for h in header]
    present = set(keys)
    if {"respondent_id", "collector_id"} <= present and second_row is not None:
        return SURVEYMONKEY
    if keys[:3] == ["id", "start_time", "completion_time"]:
        return MICROSOFT_FORMS
    if "submissiondate" in present and (present & {"meta/instanceid", "meta_instanceid", "key"}):
        return ODK_CENTRAL
    if {str(h).strip().casefold() for h in header} & {"_uuid", "_submission_time"}:
        return KOBOTOOLBOX
    if keys[:1] == ["timestamp"]:
        return GOOGLE_FORMS
    return PLAIN


def is_personal(tool: SurveyTool, header: str) -> bool:
    key = header_key(header)
    if key in tool.personal:
        return True
    return bool(tool.personal_pattern and re.fullmatch(tool.personal_pattern, key))


def merge_two_header_rows(first: list[str], second: list[str]) -> list[str]:
    """SurveyMonkey's two header rows as one header per column.

    A blank first-row cell continues the question to its left (a matrix or a
    multiple-choice question). Under a single question the second row says
    `Response` or `Open-Ended Response`, and the question's text is the header; under
    a matrix row or an option it names that row or option: `Question [row item]`, the
    form Google Forms uses for grids.
    """
    width = max(len(first), len(second))
    first = [str(c).strip() for c in first] + [""] * (width - len(first))
    second = [str(c).strip() for c in second] + [""] * (width - len(second))
    out: list[str] = []
    current = ""
    for top, sub in zip(first, second, strict=True):
        if top:
            current = top
        if not current or not (top or sub):
            out.append("")
        elif not sub or sub.casefold() in ("response", "open-ended response"):
            out.append(current if top else f"{current} [{sub}]")
        else:
            out.append(f"{current} [{sub}]")
    return out
