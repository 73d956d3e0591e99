"""Restoring an audit archive into a store (the other half of `sgaudit.archive`).

`import_archive` checks the document before writing anything, then checks and writes
the answers batch by batch, all in one transaction with new database ids: a problem
anywhere rolls everything back.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.archive_doc import ArchiveDoc, read_archive
from sgaudit.archive_responses import (
    MemberError,
    open_source,
    store,
)
from sgaudit.errors import ImportError_, Problem, SgauditError
from sgaudit.store import repo
from sgaudit.store.erased_responses import remember_hashes
from sgaudit.store.models import (
    Audit,
    AuditorAnalysis,
    ChangeLog,
    FindingReview,
    Interview,
    Organisation,
    Recommendation,
    RegisterEntry,
)
from sgaudit.vocab import LEGACY_AUDIT_STATUSES


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
