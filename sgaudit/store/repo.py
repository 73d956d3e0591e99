"""Repository functions: the only way the CLI and the app change the store.

Each function takes an open Session. Writers that a user triggers one at a time
(`save_answer`) commit themselves so that an answer is durable the moment it is
entered; bulk writers (imports) leave the commit to the caller so they are
all-or-nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, object_session, selectinload

from sgaudit.errors import InvalidAnswer, NotFound, SgauditError
from sgaudit.questionnaire import QuestionSet, question_set_from_snapshot
from sgaudit.store.models import (
    Audit,
    ChangeLog,
    FindingReview,
    Interview,
    Organisation,
    Recommendation,
    RegisterEntry,
    Response,
    ServiceArea,
    utcnow,
)
from sgaudit.vocab import AUDIT_STATUSES, MODES, SCOPES, TIERS

TIER_CODE_PREFIX = {
    "service_user": "SU",
    "front_line": "FL",
    "manager": "MG",
    "dsl": "DS",
    "senior_leader": "SL",
    "board": "BD",
}
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def log_change(
    session: Session,
    action: str,
    entity: str,
    entity_id: Any,
    *,
    actor: str = "",
    audit_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one line to the audit trail (committed with the caller's transaction)."""
    session.add(
        ChangeLog(
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            actor=actor,
            audit_id=audit_id,
            detail=detail or {},
        )
    )


# ---- organisations --------------------------------------------------------------------
def _clean_areas(areas: Iterable[str]) -> list[str]:
    out: list[str] = []
    for a in areas:
        a = a.strip()
        if a and a not in out:
            out.append(a)
    return out


def create_organisation(
    session: Session, name: str, areas: Iterable[str], *, actor: str = ""
) -> Organisation:
    name = name.strip()
    if not name:
        raise SgauditError("an organisation needs a name")
    if session.scalar(select(Organisation).where(Organisation.name == name)):
        raise SgauditError(f"an organisation called '{name}' already exists")
    area_names = _clean_areas(areas)
    if not area_names:
        raise SgauditError("an organisation needs at least one service area")
    org = Organisation(name=name, service_areas=[ServiceArea(name=a) for a in area_names])
    session.add(org)
    session.flush()
    log_change(session, "create", "organisation", org.id, actor=actor, detail={"name": name})
    return org


def add_service_areas(session: Session, org: Organisation, areas: Iterable[str]) -> None:
    for a in _clean_areas(areas):
        if a not in org.area_names:
            org.service_areas.append(ServiceArea(name=a))
    session.flush()


def list_organisations(session: Session) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .options(selectinload(Organisation.service_areas))
            .order_by(Organisation.name)
        )
    )


def get_organisation(session: Session, name_or_id: str | int) -> Organisation:
    org = None
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        org = session.get(Organisation, int(name_or_id))
    if org is None:
        org = session.scalar(select(Organisation).where(Organisation.name == str(name_or_id)))
    if org is None:
        raise NotFound(f"no organisation '{name_or_id}'")
    return org


# ---- audits ---------------------------------------------------------------------------
def create_audit(
    session: Session,
    org: Organisation,
    title: str,
    question_set: QuestionSet,
    *,
    start_date: date | None = None,
    end_date: date | None = None,
    auditor_1: str = "",
    auditor_2: str = "",
    scope: str = "both",
    previous_audit: Audit | None = None,
    framework: Any = None,
    actor: str = "",
) -> Audit:
    """A new audit with a snapshot of the exact question set it uses.

    `framework` (a `sgaudit.registers.Framework`) is the role-group training framework
    its registers are checked against; a re-audit without one keeps the previous
    audit's, so training compliance is measured the same way both times.
    """
    if not title.strip():
        raise SgauditError("an audit needs a title")
    if scope not in SCOPES:
        raise SgauditError(f"scope must be one of {', '.join(SCOPES)}, not '{scope}'")
    if start_date and end_date and end_date < start_date:
        raise SgauditError("the audit's end date is before its start date")
    if previous_audit is not None and previous_audit.organisation_id != org.id:
        raise SgauditError("a re-audit must be of the same organisation as the previous audit")
    audit = Audit(
        organisation=org,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        auditor_1=auditor_1.strip(),
        auditor_2=auditor_2.strip(),
        scope=scope,
        status="in_progress",
        question_set_id=question_set.id,
        question_set_version=question_set.version,
        question_set_snapshot=question_set.snapshot(),
        previous_audit_id=previous_audit.id if previous_audit else None,
    )
    if framework is not None:
        audit.framework_id, audit.framework_snapshot = framework.id, framework.snapshot()
    elif previous_audit is not None:
        audit.framework_id = previous_audit.framework_id
        audit.framework_snapshot = previous_audit.framework_snapshot
    session.add(audit)
    session.flush()
    log_change(
        session,
        "create",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"title": audit.title, "question_set": f"{question_set.id} v{question_set.version}"},
    )
    if previous_audit is not None:
        carry_over_recommendations(session, previous_audit, audit)
    return audit


def carry_over_recommendations(session: Session, previous: Audit, audit: Audit) -> int:
    """Copy the previous audit's recommendations into the re-audit for follow-up."""
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.audit_id == previous.id)
        .order_by(Recommendation.id)
    ).all()
    for r in recs:
        session.add(
            Recommendation(
                audit_id=audit.id,
                theme=r.theme,
                text=r.text,
                priority=r.priority,
                owner=r.owner,
                due_date=r.due_date,
                finding_key=r.finding_key,
                carried_from_id=r.id,
                follow_up="",
            )
        )
    session.flush()
    return len(recs)


def get_audit(session: Session, audit_id: int | str) -> Audit:
    try:
        key = int(audit_id)
    except (TypeError, ValueError):
        raise NotFound(f"audit id must be a number, not '{audit_id}'") from None
    audit = session.get(Audit, key)
    if audit is None:
        raise NotFound(f"no audit with id {audit_id}")
    return audit


def list_audits(session: Session, org: Organisation | None = None) -> list[Audit]:
    q = select(Audit).options(selectinload(Audit.organisation)).order_by(Audit.id)
    if org is not None:
        q = q.where(Audit.organisation_id == org.id)
    return list(session.scalars(q))


def set_audit_status(session: Session, audit: Audit, status: str, *, actor: str = "") -> None:
    if status not in AUDIT_STATUSES:
        raise SgauditError(f"status must be one of {', '.join(AUDIT_STATUSES)}")
    audit.status = status
    log_change(
        session,
        "status",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"status": status},
    )


def set_audit_framework(session: Session, audit: Audit, framework: Any, *, actor: str = "") -> None:
    """Check this audit's training register against `framework` (a registers.Framework)."""
    audit.framework_id = framework.id if framework is not None else None
    audit.framework_snapshot = framework.snapshot() if framework is not None else None
    log_change(
        session,
        "framework",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"framework": audit.framework_id},
    )
    session.flush()


_snapshot_cache: dict[tuple[str, int, str, int], QuestionSet] = {}


def audit_question_set(audit: Audit) -> QuestionSet:
    """The question set the audit was created with (from its snapshot, cached)."""
    # Keyed by database too: audit 1 of one store is not audit 1 of another (tests,
    # archive import into a second store in the same process).
    session = object_session(audit)
    store = str(session.get_bind().url) if session is not None else ""
    key = (store, audit.id, audit.question_set_id, audit.question_set_version)
    qs = _snapshot_cache.get(key)
    if qs is None:
        qs = question_set_from_snapshot(audit.question_set_snapshot)
        _snapshot_cache[key] = qs
    return qs


def audit_counts(session: Session, audit: Audit) -> dict[str, int]:
    interviews = session.scalar(select(func.count()).where(Interview.audit_id == audit.id))
    answers = session.scalar(
        select(func.count())
        .select_from(Response)
        .join(Interview)
        .where(Interview.audit_id == audit.id)
    )
    return {"interviews": interviews or 0, "answers": answers or 0}


# ---- interviews -----------------------------------------------------------------------
def new_respondent_code(session: Session, audit: Audit, tier: str) -> str:
    """A fresh pseudonymous code such as 'FL-7K3QX', unique within the audit."""
    prefix = TIER_CODE_PREFIX.get(tier, "RS")
    for _ in range(50):
        code = prefix + "-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
        exists = session.scalar(
            select(Interview.id).where(Interview.audit_id == audit.id, Interview.code == code)
        )
        if not exists:
            return code
    raise SgauditError("could not generate a unique respondent code")  # pragma: no cover


def validate_interview_fields(
    audit: Audit, tier: str, service_area: str, mode: str, people: int
) -> list[str]:
    """Problems with an interview's fields (empty list when all is well)."""
    problems = []
    if tier not in TIERS:
        problems.append(f"unknown tier '{tier}'; expected one of {', '.join(TIERS)}")
    if service_area not in audit.organisation.area_names:
        problems.append(
            f"unknown service area '{service_area}'; {audit.organisation.name} has "
            f"{', '.join(audit.organisation.area_names)}"
        )
    if mode not in MODES:
        problems.append(f"unknown mode '{mode}'; expected one of {', '.join(MODES)}")
    if not isinstance(people, int) or people < 1:
        problems.append(f"people must be a whole number of at least 1, not '{people}'")
    return problems


def start_interview(
    session: Session,
    audit: Audit,
    *,
    tier: str,
    service_area: str,
    mode: str = "interview",
    held_on: date | None = None,
    auditor: str = "",
    people: int = 1,
    consent_confirmed: bool = False,
    code: str | None = None,
    actor: str = "",
) -> Interview:
    problems = validate_interview_fields(audit, tier, service_area, mode, people)
    if problems:
        raise SgauditError("; ".join(problems))
    if mode == "focus_group" and people < 2:
        raise SgauditError("a focus group needs a head count of at least 2")
    if code is None:
        code = new_respondent_code(session, audit, tier)
    elif session.scalar(
        select(Interview.id).where(Interview.audit_id == audit.id, Interview.code == code)
    ):
        raise SgauditError(f"interview '{code}' already exists in this audit")
    iv = Interview(
        audit_id=audit.id,
        code=code,
        tier=tier,
        service_area=service_area,
        mode=mode,
        held_on=held_on,
        auditor=auditor,
        people=people,
        consent_confirmed=consent_confirmed,
    )
    session.add(iv)
    session.flush()
    log_change(
        session,
        "create",
        "interview",
        iv.id,
        actor=actor,
        audit_id=audit.id,
        detail={"code": code, "tier": tier, "mode": mode},
    )
    return iv


def get_interview(session: Session, interview_id: int) -> Interview:
    iv = session.get(Interview, interview_id)
    if iv is None:
        raise NotFound(f"no interview with id {interview_id}")
    return iv


def list_interviews(session: Session, audit: Audit) -> list[Interview]:
    return list(
        session.scalars(
            select(Interview).where(Interview.audit_id == audit.id).order_by(Interview.id)
        )
    )


def set_interview_completed(
    session: Session, interview: Interview, completed: bool = True, *, actor: str = ""
) -> None:
    interview.completed = completed
    log_change(
        session,
        "complete" if completed else "reopen",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
    )
    session.commit()


# ---- answers --------------------------------------------------------------------------
def check_answer(question_set: QuestionSet, question_id: str, tier: str, answer: str) -> None:
    """Raise InvalidAnswer unless `answer` is allowed for this question at this tier."""
    q = question_set.questions_by_id.get(question_id)
    if q is None:
        raise InvalidAnswer(f"unknown question id '{question_id}'")
    if tier not in q.tier_ids:
        raise InvalidAnswer(
            f"question {question_id} is not asked of tier '{tier}' (asked of "
            f"{', '.join(q.tier_ids)})"
        )
    scale = question_set.scales[q.scale]
    if scale.kind == "text":
        return
    allowed = scale.allowed_answers(q.reverse)
    if answer not in allowed:
        raise InvalidAnswer(
            f"'{answer}' is not on the scale of {question_id}; allowed: {' | '.join(allowed)}"
        )


def save_answer(
    session: Session,
    interview: Interview,
    question_id: str,
    answer: str | None,
    *,
    note: str = "",
    quotable: bool = False,
    actor: str = "",
    commit: bool = True,
) -> Response | None:
    """Record one answer (insert or update) and commit it at once.

    An empty answer with an empty note removes the response. Concurrent auditors on
    other interviews never touch this row, so nothing of theirs is overwritten.
    """
    qs = audit_question_set(interview.audit)
    answer = (answer or "").strip()
    note = note or ""
    if answer:
        check_answer(qs, question_id, interview.tier, answer)
    elif question_id not in qs.questions_by_id:
        raise InvalidAnswer(f"unknown question id '{question_id}'")
    row = session.scalar(
        select(Response).where(
            Response.interview_id == interview.id, Response.question_id == question_id
        )
    )
    if not answer and not note.strip():
        if row is not None:
            session.delete(row)
            log_change(
                session,
                "clear",
                "response",
                f"{interview.id}:{question_id}",
                actor=actor,
                audit_id=interview.audit_id,
            )
        if commit:
            session.commit()
        return None
    if row is None:
        row = Response(interview_id=interview.id, question_id=question_id)
        session.add(row)
    changed = (row.answer, row.note, row.quotable) != (answer, note, quotable)
    row.answer, row.note, row.quotable, row.updated_by = answer, note, bool(quotable), actor
    row.updated_at = utcnow()
    if changed:
        log_change(
            session,
            "answer",
            "response",
            f"{interview.id}:{question_id}",
            actor=actor,
            audit_id=interview.audit_id,
            detail={"answer": answer},
        )
    if commit:
        session.commit()
    return row


def interview_answers(session: Session, interview: Interview) -> dict[str, Response]:
    rows = session.scalars(select(Response).where(Response.interview_id == interview.id))
    return {r.question_id: r for r in rows}


# ---- findings and recommendations -----------------------------------------------------
def finding_reviews(session: Session, audit: Audit) -> dict[str, FindingReview]:
    rows = session.scalars(select(FindingReview).where(FindingReview.audit_id == audit.id))
    return {r.finding_key: r for r in rows}


def review_finding(
    session: Session,
    audit: Audit,
    finding_key: str,
    *,
    kind: str,
    theme: str,
    status: str,
    summary: str = "",
    severity: str = "medium",
    service_areas: Sequence[str] = (),
    tiers: Sequence[str] = (),
    actor: str = "",
) -> FindingReview:
    """Accept, reword, dismiss or add a finding; the report uses these decisions."""
    if status not in ("accepted", "edited", "dismissed", "added"):
        raise SgauditError(f"unknown finding status '{status}'")
    row = session.scalar(
        select(FindingReview).where(
            FindingReview.audit_id == audit.id, FindingReview.finding_key == finding_key
        )
    )
    if row is None:
        row = FindingReview(audit_id=audit.id, finding_key=finding_key)
        session.add(row)
    row.kind, row.theme, row.status, row.summary = kind, theme, status, summary
    row.severity, row.updated_by = severity, actor
    row.service_areas, row.tiers = list(service_areas), list(tiers)
    session.flush()
    log_change(
        session,
        status,
        "finding",
        finding_key,
        actor=actor,
        audit_id=audit.id,
        detail={"summary": summary},
    )
    session.commit()
    return row


def add_own_finding(
    session: Session,
    audit: Audit,
    *,
    theme: str,
    summary: str,
    severity: str = "medium",
    service_areas: Sequence[str] = (),
    tiers: Sequence[str] = (),
    actor: str = "",
) -> FindingReview:
    key = f"auditor:{theme}:{secrets.token_hex(4)}"
    return review_finding(
        session,
        audit,
        key,
        kind="auditor",
        theme=theme,
        status="added",
        summary=summary,
        severity=severity,
        service_areas=service_areas,
        tiers=tiers,
        actor=actor,
    )


def list_recommendations(session: Session, audit: Audit) -> list[Recommendation]:
    return list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.audit_id == audit.id)
            .order_by(Recommendation.id)
        )
    )


def save_recommendation(
    session: Session,
    audit: Audit,
    *,
    theme: str,
    text: str,
    priority: str = "medium",
    owner: str = "",
    due_date: date | None = None,
    finding_key: str | None = None,
    follow_up: str = "",
    recommendation_id: int | None = None,
    actor: str = "",
) -> Recommendation:
    if not text.strip():
        raise SgauditError("a recommendation needs some text")
    if priority not in ("high", "medium", "low"):
        raise SgauditError("priority must be high, medium or low")
    if recommendation_id is not None:
        rec = session.get(Recommendation, recommendation_id)
        if rec is None or rec.audit_id != audit.id:
            raise NotFound(f"no recommendation {recommendation_id} in audit {audit.id}")
    else:
        rec = Recommendation(audit_id=audit.id)
        session.add(rec)
    rec.theme, rec.text, rec.priority, rec.owner = theme, text.strip(), priority, owner
    rec.due_date, rec.finding_key, rec.follow_up = due_date, finding_key, follow_up
    session.flush()
    log_change(session, "save", "recommendation", rec.id, actor=actor, audit_id=audit.id)
    session.commit()
    return rec


def delete_recommendation(
    session: Session, audit: Audit, recommendation_id: int, *, actor: str = ""
) -> None:
    rec = session.get(Recommendation, recommendation_id)
    if rec is None or rec.audit_id != audit.id:
        raise NotFound(f"no recommendation {recommendation_id} in audit {audit.id}")
    session.delete(rec)
    log_change(
        session, "delete", "recommendation", recommendation_id, actor=actor, audit_id=audit.id
    )
    session.commit()


# ---- registers ------------------------------------------------------------------------
def replace_register(
    session: Session,
    audit: Audit,
    register: str,
    records: Sequence[dict[str, Any]],
    *,
    row_numbers: Sequence[int] | None = None,
    actor: str = "",
) -> int:
    """Swap an audit's register for a new import (caller commits: all or nothing).

    `row_numbers` are the rows of the imported file (header = row 1), kept so a later
    problem with a stored record can still be pointed at in the original file.
    """
    rows = list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(records))]
    session.execute(
        delete(RegisterEntry).where(
            RegisterEntry.audit_id == audit.id, RegisterEntry.register == register
        )
    )
    session.add_all(
        RegisterEntry(audit_id=audit.id, register=register, row_number=int(n), data=dict(r))
        for n, r in zip(rows, records, strict=True)
    )
    log_change(
        session,
        "import",
        "register",
        register,
        actor=actor,
        audit_id=audit.id,
        detail={"rows": len(records)},
    )
    session.flush()
    return len(records)


def register_records(session: Session, audit: Audit) -> dict[str, list[dict[str, Any]]]:
    rows = session.execute(
        select(RegisterEntry.register, RegisterEntry.data)
        .where(RegisterEntry.audit_id == audit.id)
        .order_by(RegisterEntry.register, RegisterEntry.row_number)
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for register, data in rows:
        out.setdefault(register, []).append(data)
    return out
