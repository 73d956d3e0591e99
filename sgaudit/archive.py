"""A portable archive of one audit: everything needed to restore it in another store.

The archive is a zip (format in docs/formats.md) holding `audit.json`: the
organisation's name and service areas, the audit's fields, the exact question set it
was run with, every interview, the auditors' finding reviews, the recommendations, the
evidence registers and the audit trail; and `responses.parquet`: every answer with its
note and quotable flag, streamed in batches (`sgaudit.archive_responses`), so a
million answers go out and come back in without a million objects in memory.
`import_archive` checks the document before writing anything, then checks and writes
the answers batch by batch, all in one transaction with new database ids: a problem
anywhere rolls everything back.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit import __version__
from sgaudit.archive_doc import ARCHIVE_FORMAT, FORMAT_VERSION, MEMBER, ArchiveDoc, read_archive
from sgaudit.archive_responses import (
    RESPONSES_MEMBER,
    MemberError,
    open_source,
    store,
    write_member,
)
from sgaudit.errors import ImportError_, Problem, SgauditError
from sgaudit.store import repo
from sgaudit.store.erased_responses import erased_hashes, key_hash, remember_hashes
from sgaudit.store.models import (
    Audit,
    AuditorAnalysis,
    ChangeLog,
    FindingReview,
    Interview,
    Organisation,
    Recommendation,
    RegisterEntry,
    Response,
)
from sgaudit.vocab import LEGACY_AUDIT_STATUSES

__all__ = ["ArchiveImport", "audit_document", "export_audit", "import_archive", "read_archive"]


# ---- export ----------------------------------------------------------------------------
def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def audit_document(session: Session, audit_id: int | str) -> dict[str, Any]:
    """The whole archive of one audit as one JSON-ready document, each interview with
    its answers inside, as format 2 laid it out (ids of this store left out). For
    comparing audits and for small audits; `export_audit` streams the answers instead."""
    doc = _header(session, audit_id)
    audit = repo.get_audit(session, audit_id)
    responses: dict[str, list[dict[str, Any]]] = {}
    for code, r in session.execute(
        select(Interview.code, Response)
        .join(Interview)
        .where(Interview.audit_id == audit.id, Interview.consent_withdrawn_at.is_(None))
        .order_by(Response.interview_id, Response.question_id)
    ):
        responses.setdefault(code, []).append(
            {
                "question_id": r.question_id,
                "answer": r.answer,
                "note": r.note,
                "quotable": r.quotable,
                "updated_at": _iso(r.updated_at),
                "updated_by": r.updated_by,
            }
        )
    doc["format_version"] = 2
    for iv in doc["interviews"]:
        iv["responses"] = responses.get(iv["code"], [])
    return doc


def _header(session: Session, audit_id: int | str) -> dict[str, Any]:
    """The archive's audit.json without the answers."""
    audit = repo.get_audit(session, audit_id)
    previous = session.get(Audit, audit.previous_audit_id) if audit.previous_audit_id else None
    # An interview whose consent was withdrawn leaves the archive like every export.
    interviews = [
        iv for iv in repo.list_interviews(session, audit) if iv.consent_withdrawn_at is None
    ]
    recs = repo.list_recommendations(session, audit)
    carried = {
        r.id: r
        for r in session.scalars(
            select(Recommendation).where(
                Recommendation.id.in_([x.carried_from_id for x in recs if x.carried_from_id])
            )
        )
    }
    reviews = session.scalars(
        select(FindingReview)
        .where(FindingReview.audit_id == audit.id)
        .order_by(FindingReview.finding_key)
    )
    registers = session.scalars(
        select(RegisterEntry)
        .where(RegisterEntry.audit_id == audit.id)
        .order_by(RegisterEntry.register, RegisterEntry.row_number, RegisterEntry.id)
    )
    changes = session.scalars(
        select(ChangeLog).where(ChangeLog.audit_id == audit.id).order_by(ChangeLog.at, ChangeLog.id)
    )
    return {
        "format": ARCHIVE_FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": datetime.now(UTC).replace(tzinfo=None).isoformat(),
        "sgaudit_version": __version__,
        "organisation": {
            "name": audit.organisation.name,
            "areas": audit.organisation.area_names,
        },
        "audit": {
            "title": audit.title,
            "start_date": _iso(audit.start_date),
            "end_date": _iso(audit.end_date),
            "auditor_1": audit.auditor_1,
            "auditor_2": audit.auditor_2,
            "scope": audit.scope,
            "status": audit.status,
            "question_set_id": audit.question_set_id,
            "question_set_version": audit.question_set_version,
            "framework_id": audit.framework_id,
            "framework_snapshot": audit.framework_snapshot,
            "created_at": _iso(audit.created_at),
            "previous_audit": (
                {"title": previous.title, "start_date": _iso(previous.start_date)}
                if previous
                else None
            ),
        },
        "question_set": audit.question_set_snapshot,
        "interviews": [
            {
                "code": iv.code,
                "tier": iv.tier,
                "service_area": iv.service_area,
                "mode": iv.mode,
                "held_on": _iso(iv.held_on),
                "auditor": iv.auditor,
                "people": iv.people,
                "consent_confirmed": iv.consent_confirmed,
                "completed": iv.completed,
                "created_at": _iso(iv.created_at),
                "response_key": iv.response_key,
            }
            for iv in interviews
        ],
        # people erased, or who withdrew consent: a later survey export must not bring
        # them back into the restored audit (hashes of their response ids only)
        "erased_responses": sorted(
            erased_hashes(session, audit.id)
            | {
                key_hash(iv.response_key)
                for iv in repo.list_interviews(session, audit)
                if iv.consent_withdrawn_at is not None and iv.response_key
            }
        ),
        "finding_reviews": [
            {
                "finding_key": f.finding_key,
                "kind": f.kind,
                "theme": f.theme,
                "status": f.status,
                "summary": f.summary,
                "severity": f.severity,
                "service_areas": list(f.service_areas or []),
                "tiers": list(f.tiers or []),
                "updated_at": _iso(f.updated_at),
                "updated_by": f.updated_by,
            }
            for f in reviews
        ],
        "auditor_analyses": [
            {
                "subject": a.subject,
                "seen": a.seen,
                "why": a.why,
                "impact": a.impact,
                "helps": a.helps,
                "updated_at": _iso(a.updated_at),
                "updated_by": a.updated_by,
                "no_recommendation_reason": a.no_recommendation_reason,
            }
            for a in session.scalars(
                select(AuditorAnalysis)
                .where(AuditorAnalysis.audit_id == audit.id)
                .order_by(AuditorAnalysis.subject)
            )
        ],
        "recommendations": [
            {
                "theme": r.theme,
                "text": r.text,
                "priority": r.priority,
                "owner": r.owner,
                "due_date": _iso(r.due_date),
                "finding_key": r.finding_key,
                "carried_from": (
                    {
                        "theme": carried[r.carried_from_id].theme,
                        "text": carried[r.carried_from_id].text,
                    }
                    if r.carried_from_id in carried
                    else None
                ),
                "follow_up": r.follow_up,
                "created_at": _iso(r.created_at),
                "measure": r.measure,
                "review_status": r.review_status,
                "review_evidence": r.review_evidence,
                "reviewed_on": _iso(r.reviewed_on),
            }
            for r in recs
        ],
        "registers": [
            {"register": e.register, "row_number": e.row_number, "data": e.data} for e in registers
        ],
        "change_log": [
            {
                "at": _iso(c.at),
                "actor": c.actor,
                "action": c.action,
                "entity": c.entity,
                "entity_id": c.entity_id,
                "detail": c.detail,
            }
            for c in changes
        ],
    }


def export_audit(session: Session, audit_id: int | str, path: str | Path) -> Path:
    """Write the audit's archive (a zip holding audit.json) to `path`.

    Needs the `export` permission on the audit, and is recorded in the trail."""
    from sgaudit.store.trail import open_for

    path = Path(path)
    if not path.parent.exists():
        raise SgauditError(f"{path.parent}: folder does not exist")
    open_for(session, "export", audit_id)
    doc = _header(session, audit_id)
    audit = repo.get_audit(session, audit_id)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        rows = write_member(session, audit.id, zf)
        doc["responses"] = {"member": RESPONSES_MEMBER, "rows": rows}
        text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False)
        zf.writestr(MEMBER, text.encode("utf-8"))
    return path


# ---- import ----------------------------------------------------------------------------
class ArchiveImport(BaseModel):
    """What `import_archive` restored."""

    audit_id: int
    organisation: str
    interviews: int
    responses: int
    notes: list[str] = Field(default_factory=list)


def import_archive(
    session: Session,
    path: str | Path,
    organisation_name: str | None = None,
    *,
    actor: str = "",
) -> ArchiveImport:
    """Restore an archive as a new audit; all or nothing, committed at the end.

    The organisation is found by name (`organisation_name` overrides the archive's) and
    reused, its service areas merged with the archive's; otherwise it is created. The
    re-audit link is restored when the organisation holds exactly one audit with the
    previous audit's title and start date. Importing the same archive twice into one
    organisation is refused. Only an admin restores archives (it may create an
    organisation).
    """
    from sgaudit.access.policy import MANAGE_ORGANISATIONS
    from sgaudit.store.scope import check

    check(session, MANAGE_ORGANISATIONS)
    doc = read_archive(path)
    name = (organisation_name or doc.organisation.name).strip()
    notes: list[str] = []
    try:
        with zipfile.ZipFile(path) as zf:
            source = open_source(zf, Path(path).name, doc)
    except MemberError as exc:
        raise ImportError_([Problem(Path(path).name, None, None, str(exc))]) from None
    try:
        org = session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = repo.create_organisation(session, name, doc.organisation.areas, actor=actor)
        else:
            _refuse_duplicate(session, org, doc)
            repo.add_service_areas(session, org, doc.organisation.areas)
        audit = _restore_audit(session, org, doc, notes)
        n_responses = _restore_interviews(session, audit, doc, source)
        remember_hashes(session, audit.id, doc.erased_responses)
        _restore_rest(session, audit, doc, notes)
        repo.log_change(
            session,
            "import_archive",
            "audit",
            audit.id,
            actor=actor,
            audit_id=audit.id,
            detail={"file": Path(path).name, "exported_at": doc.exported_at.isoformat()},
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        source.close()
    return ArchiveImport(
        audit_id=audit.id,
        organisation=org.name,
        interviews=len(doc.interviews),
        responses=n_responses,
        notes=notes,
    )


def _refuse_duplicate(session: Session, org: Organisation, doc: ArchiveDoc) -> None:
    same = session.scalar(
        select(Audit.id).where(
            Audit.organisation_id == org.id,
            Audit.title == doc.audit.title,
            Audit.created_at == doc.audit.created_at,
        )
    )
    if same:
        raise SgauditError(
            f"{org.name} already has this audit ('{doc.audit.title}', id {same}); the archive "
            "looks imported before. Give another organisation name to import a copy"
        )


def _restore_audit(session: Session, org: Organisation, doc: ArchiveDoc, notes: list[str]):
    a = doc.audit
    previous_id = None
    if a.previous_audit is not None:
        matches = session.scalars(
            select(Audit.id).where(
                Audit.organisation_id == org.id,
                Audit.title == a.previous_audit.title,
                Audit.start_date == a.previous_audit.start_date
                if a.previous_audit.start_date
                else Audit.start_date.is_(None),
            )
        ).all()
        if len(matches) == 1:
            previous_id = matches[0]
        else:
            notes.append(
                f"the previous audit '{a.previous_audit.title}' is not in this store (import "
                "its archive first to link the re-audit to it)"
            )
    audit = Audit(
        organisation=org,
        title=a.title,
        start_date=a.start_date,
        end_date=a.end_date,
        auditor_1=a.auditor_1,
        auditor_2=a.auditor_2,
        scope=a.scope,
        status=LEGACY_AUDIT_STATUSES.get(a.status, a.status),
        question_set_id=a.question_set_id,
        question_set_version=a.question_set_version,
        question_set_snapshot=doc.question_set,
        previous_audit_id=previous_id,
        framework_id=a.framework_id,
        framework_snapshot=a.framework_snapshot,
        created_at=a.created_at,
    )
    session.add(audit)
    session.flush()
    return audit


def _restore_interviews(session: Session, audit: Audit, doc: ArchiveDoc, source) -> int:
    """The interviews in one bulk INSERT, then the answers checked and loaded in batches;
    ImportError_ (after which the caller rolls back) when any answer has a problem."""
    from sqlalchemy import insert

    from sgaudit.questionnaire import question_set_from_snapshot

    if doc.interviews:
        session.execute(
            insert(Interview),
            [
                {"audit_id": audit.id, **iv.model_dump(exclude={"responses"})}
                for iv in doc.interviews
            ],
        )
    ids = {
        code: pk
        for code, pk in session.execute(
            select(Interview.code, Interview.id).where(Interview.audit_id == audit.id)
        )
    }
    n, problems = store(
        session,
        source,
        question_set_from_snapshot(doc.question_set),
        [ids[iv.code] for iv in doc.interviews],
    )
    if problems:
        raise ImportError_(problems)
    return n


def _restore_rest(session: Session, audit: Audit, doc: ArchiveDoc, notes: list[str]) -> None:
    for f in doc.finding_reviews:
        session.add(FindingReview(audit_id=audit.id, **f.model_dump()))
    for a in doc.auditor_analyses:
        session.add(AuditorAnalysis(audit_id=audit.id, **a.model_dump()))
    previous_recs: dict[tuple[str, str], int] = {}
    if audit.previous_audit_id:
        for r in session.scalars(
            select(Recommendation).where(Recommendation.audit_id == audit.previous_audit_id)
        ):
            previous_recs.setdefault((r.theme, r.text), r.id)
    for r in doc.recommendations:
        fields = r.model_dump(exclude={"carried_from"})
        carried = None
        if r.carried_from is not None:
            carried = previous_recs.get((r.carried_from.theme, r.carried_from.text))
        session.add(Recommendation(audit_id=audit.id, carried_from_id=carried, **fields))
    for e in doc.registers:
        session.add(
            RegisterEntry(
                audit_id=audit.id, register=e.register_name, row_number=e.row_number, data=e.data
            )
        )
    for c in doc.change_log:
        session.add(ChangeLog(audit_id=audit.id, **c.model_dump()))
    session.flush()
