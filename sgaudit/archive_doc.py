"""The archive document (audit.json inside an archive zip): its models and its checks.

`read_archive` opens an archive and checks its document (structure, types, the question
set snapshot, interviews, registers) before `sgaudit.archive` writes anything; each
problem names the JSON path where it is, e.g. `interviews[3].tier`. The answers are
checked batch by batch as they are restored (`sgaudit.archive_responses`).
The format is documented in docs/formats.md; `FORMAT_VERSION` goes up when it changes.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sgaudit import __version__
from sgaudit.errors import ImportError_, Problem, QuestionnaireError
from sgaudit.limits import MAX_PEOPLE, LimitExceeded, check_zip, is_valid_unicode
from sgaudit.questionnaire import question_set_from_snapshot
from sgaudit.vocab import (
    AUDIT_STATUSES,
    CAPTURE_TIERS,
    LEGACY_AUDIT_STATUSES,
    MODES,
    SCOPES,
    SEVERITIES,
)

ARCHIVE_FORMAT = "sgaudit-audit-archive"
# 2: interviews carry the survey tool's `response_key` (older sgaudit would refuse it
# as an unknown field, so it is told to upgrade instead).
# 3: the answers are in their own member, responses.parquet, not inside audit.json.
FORMAT_VERSION = 3
MEMBER = "audit.json"
REVIEW_STATUSES = ("proposed", "accepted", "edited", "dismissed", "added")


# ---- the document, as pydantic models (validation of an archive being imported) -------
class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganisationDoc(_Doc):
    name: str = Field(min_length=1, max_length=200)
    areas: list[str] = Field(min_length=1)


class AuditRef(_Doc):
    title: str
    start_date: date | None = None


class AuditDoc(_Doc):
    title: str = Field(min_length=1, max_length=300)
    start_date: date | None = None
    end_date: date | None = None
    auditor_1: str = ""
    auditor_2: str = ""
    scope: str = "both"
    status: str = "draft"
    question_set_id: str
    question_set_version: int
    framework_id: str | None = None
    framework_snapshot: dict[str, Any] | None = None
    created_at: datetime
    previous_audit: AuditRef | None = None


class ResponseDoc(_Doc):
    question_id: str
    answer: str = ""
    note: str = ""
    quotable: bool = False
    updated_at: datetime
    updated_by: str = ""


class InterviewDoc(_Doc):
    code: str = Field(min_length=1, max_length=40)
    tier: str
    service_area: str
    mode: str = "interview"
    held_on: date | None = None
    auditor: str = ""
    people: int = Field(1, ge=1, le=MAX_PEOPLE)
    consent_confirmed: bool = False
    completed: bool = False
    created_at: datetime
    # The survey tool's own id of a respondent, so a later export of the same survey
    # imported into the restored audit updates them; None for anything not a survey.
    response_key: str | None = Field(None, min_length=1, max_length=200)
    responses: list[ResponseDoc] = Field(default_factory=list)


class FindingReviewDoc(_Doc):
    finding_key: str
    kind: str
    theme: str
    status: str
    summary: str = ""
    severity: str = "medium"
    service_areas: list[Any] = Field(default_factory=list)
    tiers: list[Any] = Field(default_factory=list)
    updated_at: datetime
    updated_by: str = ""


class AuditorAnalysisDoc(_Doc):
    subject: str = Field(min_length=1, max_length=400)
    seen: str = ""
    why: str = ""
    impact: str = ""
    helps: str = ""
    no_recommendation_reason: str = ""
    updated_at: datetime
    updated_by: str = ""


class RecommendationRef(_Doc):
    theme: str
    text: str


class RecommendationDoc(_Doc):
    theme: str
    text: str = Field(min_length=1)
    priority: str = "medium"
    owner: str = ""
    due_date: date | None = None
    finding_key: str | None = None
    carried_from: RecommendationRef | None = None
    follow_up: str = ""
    created_at: datetime
    measure: str = ""
    review_status: str = ""
    review_evidence: str = ""
    reviewed_on: date | None = None


class RegisterRowDoc(_Doc):
    # "register" would shadow a pydantic attribute, hence the alias.
    register_name: str = Field(alias="register", min_length=1, max_length=30)
    row_number: int
    data: dict[str, Any]


class ChangeDoc(_Doc):
    at: datetime
    actor: str = ""
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any] = Field(default_factory=dict)


class ResponsesRef(_Doc):
    """Format 3: where the answers are (a Parquet member of the zip) and how many."""

    member: Literal["responses.parquet"]
    rows: int = Field(ge=0)


class ArchiveDoc(_Doc):
    format: str
    format_version: int
    exported_at: datetime
    sgaudit_version: str = ""
    organisation: OrganisationDoc
    audit: AuditDoc
    question_set: dict[str, Any]
    interviews: list[InterviewDoc] = Field(default_factory=list)
    responses: ResponsesRef | None = None  # format 3; before, inside each interview
    # SHA-256 hashes of survey response ids that must not be imported again
    erased_responses: list[Annotated[str, Field(pattern="^[0-9a-f]{64}$")]] = Field(
        default_factory=list
    )
    finding_reviews: list[FindingReviewDoc] = Field(default_factory=list)
    auditor_analyses: list[AuditorAnalysisDoc] = Field(default_factory=list)
    recommendations: list[RecommendationDoc] = Field(default_factory=list)
    registers: list[RegisterRowDoc] = Field(default_factory=list)
    change_log: list[ChangeDoc] = Field(default_factory=list)


def read_archive(path: str | Path) -> ArchiveDoc:
    """Open and check an archive's document; ImportError_ lists every problem."""
    path = Path(path)
    name = path.name

    def refuse(message: str, column: str | None = None) -> ImportError_:
        return ImportError_([Problem(name, None, column, message)])

    if not path.is_file():
        raise refuse(f"file not found: {path}")
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf)  # encrypted, unknown methods, nested zips, zip bombs
            if MEMBER not in zf.namelist():
                raise refuse(f"not an sgaudit archive: it has no {MEMBER}")
            raw = zf.read(MEMBER)
    except zipfile.BadZipFile:
        raise refuse("not an sgaudit archive (not a zip file)") from None
    except LimitExceeded as exc:
        raise refuse(f"not read: the archive {exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(f"{MEMBER} is not valid JSON: {exc}") from None
    if not is_valid_unicode(data):
        raise refuse(f"{MEMBER} holds text that is not valid Unicode (a lone surrogate escape)")
    if not isinstance(data, dict) or data.get("format") != ARCHIVE_FORMAT:
        raise refuse(f"{MEMBER} is not an sgaudit audit archive (format is not '{ARCHIVE_FORMAT}')")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise refuse(
            f"archive format version {version!r} is not supported by sgaudit {__version__} "
            f"(it reads up to version {FORMAT_VERSION}); upgrade sgaudit"
        )
    try:
        doc = ArchiveDoc.model_validate(data)
    except ValidationError as exc:
        raise ImportError_(
            [
                Problem(name, None, _json_path(e["loc"]), e["msg"].removeprefix("Value error, "))
                for e in exc.errors()
            ]
        ) from None
    problems = _content_problems(doc)
    if problems:
        raise ImportError_([Problem(name, None, where, msg) for where, msg in problems])
    return doc


def _json_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _content_problems(doc: ArchiveDoc) -> list[tuple[str, str]]:
    """(json path, message) for everything the models alone cannot check."""
    out: list[tuple[str, str]] = []
    try:
        qs = question_set_from_snapshot(doc.question_set)
    except QuestionnaireError as exc:
        return [("question_set", p) for p in exc.problems]
    missing_scales = [
        (f"question_set.questions[{i}].scale", f"unknown scale '{q.scale}'")
        for i, q in enumerate(qs.questions)
        if q.scale not in qs.scales
    ]
    if missing_scales:
        return missing_scales
    if (qs.id, qs.version) != (doc.audit.question_set_id, doc.audit.question_set_version):
        out.append(("audit.question_set_id", "does not match the question set in the archive"))
    if doc.audit.framework_snapshot is not None:
        from sgaudit.registers import FrameworkError, framework_from_snapshot

        try:
            framework_from_snapshot(doc.audit.framework_snapshot)
        except FrameworkError as exc:
            out += [("audit.framework_snapshot", p) for p in exc.problems]
    if doc.format_version >= 3 and doc.responses is None:
        out.append(("responses", "is missing: a format 3 archive names its answers' member"))
    if doc.format_version < 3 and doc.responses is not None:
        out.append(("responses", f"is not part of format version {doc.format_version}"))
    if doc.responses is not None:
        out += [
            (f"interviews[{i}].responses", f"answers belong in {doc.responses.member}")
            for i, iv in enumerate(doc.interviews)
            if iv.responses
        ]
    if doc.audit.scope not in SCOPES:
        out.append(("audit.scope", f"unknown scope '{doc.audit.scope}'"))
    if LEGACY_AUDIT_STATUSES.get(doc.audit.status, doc.audit.status) not in AUDIT_STATUSES:
        out.append(("audit.status", f"unknown status '{doc.audit.status}'"))
    # The same rules as the answer sheets and register files the archive stands for.
    from sgaudit.archive_checks import interview_code_problems, register_problems

    out += interview_code_problems(doc)
    out += register_problems(doc)
    areas = set(doc.organisation.areas)
    codes: set[str] = set()
    keys: set[str] = set()
    for i, iv in enumerate(doc.interviews):
        at = f"interviews[{i}]"
        if iv.code in codes:
            out.append((f"{at}.code", f"interview code '{iv.code}' appears twice"))
        codes.add(iv.code)
        if iv.response_key is not None:
            if iv.response_key in keys:
                out.append(
                    (f"{at}.response_key", f"response key '{iv.response_key}' appears twice")
                )
            keys.add(iv.response_key)
        if iv.tier not in CAPTURE_TIERS:
            out.append((f"{at}.tier", f"unknown tier '{iv.tier}'"))
            continue
        if iv.service_area not in areas:
            out.append(
                (
                    f"{at}.service_area",
                    f"'{iv.service_area}' is not one of the organisation's areas",
                )
            )
        if iv.mode not in MODES:
            out.append((f"{at}.mode", f"unknown mode '{iv.mode}'"))
    subjects: set[str] = set()
    for i, a in enumerate(doc.auditor_analyses):
        if a.subject in subjects:
            out.append((f"auditor_analyses[{i}].subject", "appears twice"))
        subjects.add(a.subject)
    keys: set[str] = set()
    for i, f in enumerate(doc.finding_reviews):
        if f.finding_key in keys:
            out.append((f"finding_reviews[{i}].finding_key", "appears twice"))
        keys.add(f.finding_key)
        if f.status not in REVIEW_STATUSES:
            out.append((f"finding_reviews[{i}].status", f"unknown status '{f.status}'"))
        if f.severity not in SEVERITIES:
            out.append((f"finding_reviews[{i}].severity", f"unknown severity '{f.severity}'"))
    for i, r in enumerate(doc.recommendations):
        if r.priority not in SEVERITIES:
            out.append((f"recommendations[{i}].priority", f"unknown priority '{r.priority}'"))
    return out
