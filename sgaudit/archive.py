"""A portable archive of one audit: everything needed to restore it in another store.

The archive is a zip (format in docs/formats.md) holding `audit.json`: the
organisation's name and service areas, the audit's fields, the exact question set it
was run with, every interview, the auditors' finding reviews, the recommendations, the
evidence registers and the audit trail; and `responses.parquet`: every answer with its
note and quotable flag, streamed in batches (`sgaudit.archive_responses`), so a
million answers go out and come back in without a million objects in memory.
Export is here; `import_archive` (in `sgaudit.archive_restore`, re-exported here)
checks the document before writing anything, then checks and writes the answers batch
by batch, all in one transaction with new database ids: a problem anywhere rolls
everything back.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit import __version__
from sgaudit.archive_doc import ARCHIVE_FORMAT, FORMAT_VERSION, MEMBER, read_archive
from sgaudit.archive_responses import (
    RESPONSES_MEMBER,
    write_member,
)
from sgaudit.archive_restore import ArchiveImport, import_archive
from sgaudit.errors import SgauditError
from sgaudit.store import repo
from sgaudit.store.erased_responses import erased_hashes, key_hash
from sgaudit.store.models import (
    Audit,
    AuditorAnalysis,
    ChangeLog,
    FindingReview,
    Interview,
    Recommendation,
    RegisterEntry,
    Response,
)

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
