"""Survey exports written exactly as the tools write them, from fictional respondents.

(Imported by the test_surveys_* modules; defines no tests.) Each writer takes the
questions as (header text, question id) and respondents as `Respondent`s, and writes
the file the tool's "download responses" gives:

- Microsoft Forms: ID, Start time, Completion time, Email, Name, then the questions;
  times written month first (`3/14/2027 10:22:33`) in csv, as real dates in xlsx; an
  anonymous form writes `anonymous` in Email and leaves Name blank.
- Google Forms: Timestamp (`2027/03/14 10:22:33 AM GMT`), Email Address, then the
  questions; grid rows as `Grid title [row]`.
- SurveyMonkey: two header rows (metadata over blanks; `Response` under a single
  question; the matrix title over its first column only, the row texts under each).
- ODK Central: SubmissionDate, the form's fields with their group path joined by '-'
  (meta-instanceID among them), KEY, SubmitterID, SubmitterName, AttachmentsPresent,
  AttachmentsExpected, Status, ReviewState, DeviceID, Edits, FormVersion.
- KoboToolbox "XML values and headers": start, end, the form's fields with '/' group
  paths (meta/instanceID among them), _id, _uuid, _submission_time,
  _validation_status, _notes, _status, _submitted_by, __version__, _tags, _index.
All names, e-mails and addresses are fictional (example.org, 192.0.2.0/24).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

ROLE_QUESTION = "Which of these best describes your role?"
AREA_QUESTION = "Which service do you mainly work in?"
GRID_TITLE = "How far do you agree with each statement?"


@dataclass
class Respondent:
    id: str
    completed: datetime
    role: str
    area: str
    answers: dict[str, str]  # header text -> answer as the tool writes it
    name: str = ""
    email: str = ""
    started: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def start(self) -> datetime:
        return self.started or self.completed.replace(minute=max(self.completed.minute - 5, 0))


def _write(path: Path, rows: list[list]) -> Path:
    if path.suffix == ".xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = "Sheet1"
        for row in rows:
            ws.append([None if v == "" else v for v in row])
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
    return path


def microsoft_forms(path: Path, questions: list[str], people: list[Respondent]) -> Path:
    xlsx = path.suffix == ".xlsx"

    def when(t: datetime):
        return t if xlsx else f"{t.month}/{t.day}/{t.year} {t:%H:%M:%S}"

    rows = [["ID", "Start time", "Completion time", "Email", "Name", ROLE_QUESTION,
             AREA_QUESTION, *questions]]  # fmt: skip
    for p in people:
        rows.append([int(p.id) if xlsx else p.id, when(p.start), when(p.completed),
                     p.email or "anonymous", p.name, p.role, p.area,
                     *[p.answers.get(q, "") for q in questions]])  # fmt: skip
    return _write(path, rows)


def google_forms(path: Path, grid: list[str], plain: list[str], people: list[Respondent]) -> Path:
    headers = [f"{GRID_TITLE} [{q}]" for q in grid] + plain
    rows = [["Timestamp", "Email Address", ROLE_QUESTION, AREA_QUESTION, *headers]]
    for p in people:
        t = p.completed
        stamp = f"{t:%Y/%m/%d} {t.strftime('%I:%M:%S %p')} GMT"
        rows.append([stamp, p.email, p.role, p.area, *[p.answers.get(q, "") for q in grid + plain]])
    return _write(path, rows)


SM_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
           "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip


def surveymonkey(
    path: Path,
    matrix: list[str],
    single: list[str],
    people: list[Respondent],
    open_ended: str | None = None,
) -> Path:
    first = [*SM_META, ROLE_QUESTION, AREA_QUESTION]
    second = [""] * len(SM_META) + ["Response", "Response"]
    for i, q in enumerate(matrix):
        first.append(GRID_TITLE if i == 0 else "")
        second.append(q)
    for q in single:
        first.append(q)
        second.append("Response")
    if open_ended:
        first.append(open_ended)
        second.append("Open-Ended Response")
    rows = [first, second]
    for n, p in enumerate(people):
        first_name, _, last_name = p.name.partition(" ")
        rows.append([
            p.id, "405123456", p.start.strftime("%m/%d/%Y %I:%M:%S %p"),
            p.completed.strftime("%m/%d/%Y %I:%M:%S %p"), f"192.0.2.{10 + n}", p.email,
            first_name, last_name, p.extra.get("custom", ""), p.role, p.area,
            *[p.answers.get(q, "") for q in matrix + single],
            *([p.extra.get("open", "")] if open_ended else []),
        ])  # fmt: skip
    return _write(path, rows)


ODK_TRAILER = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
               "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
               "FormVersion"]  # fmt: skip


def odk_central(
    path: Path, fields: list[str], submissions: list[dict[str, str]], version: str
) -> Path:
    """`fields`: the form's instance paths ('training/TRN-12', 'meta/instanceID');
    Central writes them with '-' between group and field. Each submission maps a path
    to its value (choice names, as 'XML values' exports write them)."""
    rows = [["SubmissionDate", *[f.replace("/", "-") for f in fields], *ODK_TRAILER]]
    for n, sub in enumerate(submissions):
        iid = sub["meta/instanceID"]
        rows.append([
            f"2026-02-0{1 + n % 9}T10:{n % 60:02d}:00.000Z", *[sub.get(f, "") for f in fields],
            iid, "5", "Tablet One", "0", "0", "", "", "collect:abc123", "0",
            sub.get("FormVersion", version),
        ])  # fmt: skip
    return _write(path, rows)


KOBO_TRAILER = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                "_submitted_by", "__version__", "_tags", "_index"]  # fmt: skip


def kobo(path: Path, fields: list[str], submissions: list[dict[str, str]]) -> Path:
    """KoboToolbox 'XML values and headers' with '/' group paths."""
    rows = [[*fields, *KOBO_TRAILER]]
    for n, sub in enumerate(submissions, start=1):
        uuid = sub["meta/instanceID"].removeprefix("uuid:")
        rows.append([
            *[sub.get(f, "") for f in fields], 1000 + n, uuid, "2026-02-02T08:00:00",
            "", "", "submitted_via_web", "fieldworker1", "vFx8kLQzY2hTpE", "", n,
        ])  # fmt: skip
    return _write(path, rows)
