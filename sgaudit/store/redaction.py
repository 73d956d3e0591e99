"""What an erasure takes out of the records that are otherwise kept: the trail, the
change log and the reports of issued versions.

The trail (`audit_event`) is append-only, but it holds the old and new values of every
change, and an erased answer must not live on there. The database allows one kind of
update (migration i12_trail_redaction): while this module's marker row sits in
`audit_event_redact`, inside the erasing transaction, an event's `detail` may become
`{"erased": true}`; its time, actor, action and entity stay as they were. So the trail
still says that something was changed by whom and when, never what was said.

An issued version keeps its report's whole content so it can be produced again; the
text of erased records (notes, quotes, free-text answers) is taken out of it, and the
version's line in the report's history says it was re-issued after an erasure on that
date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select, text, update
from sqlalchemy.orm import Session

from sgaudit.store.models import AuditEvent, AuditIssue, ChangeLog, Interview, Response

#: What an erased record's values become in the trail and the change log.
ERASED: dict[str, Any] = {"erased": True}
#: What stands where erased text was, inside a longer text of an issued report.
REMOVED = "[removed: erased record]"
# Shorter erased texts are taken out only where they are a whole entry (a quote): as
# parts of longer sentences they would match ordinary words.
_MIN_INSIDE = 8
_CHUNK = 500
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class ErasedText:
    """The words of records being erased, gathered before they are deleted."""

    texts: set[str] = field(default_factory=set)

    def add(self, value: str | None) -> None:
        value = (value or "").strip()
        if value:
            # as stored, and as a report writes it (line ends unified, no control chars)
            self.texts.add(value)
            self.texts.add(_NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n")))

    def __bool__(self) -> bool:
        return bool(self.texts)


def erased_text_of(
    session: Session, interview_ids: Iterable[int], question_id: str | None = None
) -> ErasedText:
    """The notes and free-text answers of these interviews (or of one question of them)."""
    from sgaudit.questionnaire.loader import question_set_from_snapshot
    from sgaudit.store.models import Audit

    ids = list(interview_ids)
    out = ErasedText()
    if not ids:
        return out
    q = (
        select(Response.answer, Response.note, Interview.audit_id)
        .join(Interview, Interview.id == Response.interview_id)
        .where(Response.interview_id.in_(ids))
    )
    if question_id is not None:
        q = q.where(Response.question_id == question_id)
    scale_values: dict[int, set[str]] = {}  # per audit: the answers that are scale points
    for answer, note, audit_id in session.execute(q).all():
        out.add(note)
        if audit_id not in scale_values:
            snapshot = session.scalar(
                select(Audit.question_set_snapshot).where(Audit.id == audit_id)
            )
            qs = question_set_from_snapshot(snapshot)
            scale_values[audit_id] = {p.value for s in qs.scales.values() for p in s.points}
            scale_values[audit_id] |= {"dont_know", "na"}
        if answer and answer not in scale_values[audit_id]:
            out.add(answer)  # a free-text answer: words someone said
    return out


# ---- the trail and the change log -----------------------------------------------------
def _redact_ids(session: Session, ids: list[int]) -> int:
    if not ids:
        return 0
    # The database lets the trail change only while this marker exists, only to ERASED.
    session.execute(text("INSERT INTO audit_event_redact (id) VALUES (1)"))
    for i in range(0, len(ids), _CHUNK):
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id.in_(ids[i : i + _CHUNK]))
            .values(detail=ERASED)
            .execution_options(synchronize_session=False)
        )
    session.execute(text("DELETE FROM audit_event_redact"))
    return len(ids)


def _scrub_log_ids(session: Session, ids: list[int]) -> None:
    for i in range(0, len(ids), _CHUNK):
        session.execute(
            update(ChangeLog)
            .where(ChangeLog.id.in_(ids[i : i + _CHUNK]))
            .values(detail=ERASED)
            .execution_options(synchronize_session=False)
        )


def redact_records(
    session: Session, about: ColumnElement[bool], log_about: ColumnElement[bool], mentions=None
) -> int:
    """Turn the values of every trail event matching `about` (and change-log line matching
    `log_about`) into ERASED; with `mentions`, also those of the audit's import lines
    whose detail names the erased record. Returns how many events. Before the erased
    rows are deleted (row-level security shows an audit's events only while it exists).
    """
    events = session.execute(select(AuditEvent.id, AuditEvent.detail).where(about)).all()
    ids = [i for i, d in events if d != ERASED]
    lines = session.execute(select(ChangeLog.id, ChangeLog.detail).where(log_about)).all()
    line_ids = [i for i, d in lines if d != ERASED]
    if mentions is not None:
        where, named = mentions
        ids += [
            i
            for i, d in session.execute(
                select(AuditEvent.id, AuditEvent.detail).where(where(AuditEvent))
            )
            if d != ERASED and named(d)
        ]
        line_ids += [
            i
            for i, d in session.execute(
                select(ChangeLog.id, ChangeLog.detail).where(where(ChangeLog))
            )
            if d != ERASED and named(d)
        ]
    _scrub_log_ids(session, sorted(set(line_ids)))
    return _redact_ids(session, sorted(set(ids)))


def _import_lines_of(audit_id: int):
    return lambda table: (table.audit_id == audit_id) & (table.entity == "answers")


def _names(code: str, question_id: str | None = None):
    """Whether an import's detail lists a change to this interview (or one answer of it)."""

    def named(detail: dict[str, Any]) -> bool:
        for row in _changes(detail):
            if row.get("interview") == code and question_id in (None, row.get("question")):
                return True
        return False

    return named


def _changes(detail: Any) -> list[dict[str, Any]]:
    for key in ("changes", "values"):
        inner = detail.get(key) if isinstance(detail, dict) else None
        if isinstance(inner, list):
            return [r for r in inner if isinstance(r, dict)]
        if isinstance(inner, dict):
            found = _changes(inner)
            if found:
                return found
    return []


def redact_interview(session: Session, interview: Interview) -> int:
    """Every event and log line about an interview and its answers."""
    iid = str(interview.id)
    return redact_records(
        session,
        ((AuditEvent.entity == "interview") & (AuditEvent.entity_id == iid))
        | ((AuditEvent.entity == "response") & AuditEvent.entity_id.like(f"{iid}:%")),
        ((ChangeLog.entity == "interview") & (ChangeLog.entity_id == iid))
        | ((ChangeLog.entity == "response") & ChangeLog.entity_id.like(f"{iid}:%")),
        mentions=(_import_lines_of(interview.audit_id), _names(interview.code)),
    )


def redact_answer(session: Session, interview: Interview, question_id: str) -> int:
    """Every event and log line about one answer."""
    key = f"{interview.id}:{question_id}"
    return redact_records(
        session,
        (AuditEvent.entity == "response") & (AuditEvent.entity_id == key),
        (ChangeLog.entity == "response") & (ChangeLog.entity_id == key),
        mentions=(_import_lines_of(interview.audit_id), _names(interview.code, question_id)),
    )


def redact_audit(session: Session, audit_id: int) -> int:
    """Every event and log line of an audit."""
    return redact_records(
        session,
        (AuditEvent.audit_id == audit_id)
        | ((AuditEvent.entity == "audit") & (AuditEvent.entity_id == str(audit_id))),
        (ChangeLog.audit_id == audit_id)
        | ((ChangeLog.entity == "audit") & (ChangeLog.entity_id == str(audit_id))),
    )


def redact_organisation(session: Session, organisation_id: int) -> int:
    """Every event of an organisation (its audits' too) and its own log lines."""
    oid = str(organisation_id)
    return redact_records(
        session,
        (AuditEvent.organisation_id == organisation_id)
        | ((AuditEvent.entity == "organisation") & (AuditEvent.entity_id == oid)),
        (ChangeLog.entity == "organisation") & (ChangeLog.entity_id == oid),
    )


# ---- issued versions ------------------------------------------------------------------
def _scrub(node: Any, texts: set[str]) -> tuple[Any, bool]:
    if isinstance(node, str):
        out = node
        for t in texts:
            if len(t) >= _MIN_INSIDE:
                out = out.replace(t, REMOVED)
        return out, out != node
    if isinstance(node, list):
        kept, changed = [], False
        for item in node:
            if isinstance(item, str) and (
                item.strip() in texts or any(len(t) >= _MIN_INSIDE and t in item for t in texts)
            ):
                changed = True  # a quote (or a line) that is erased text is left out whole
                continue
            new, c = _scrub(item, texts)
            kept.append(new)
            changed |= c
        return kept, changed
    if isinstance(node, dict):
        out_d, changed = {}, False
        for k, v in node.items():
            out_d[k], c = _scrub(v, texts)
            changed |= c
        return out_d, changed
    return node, False


def erasure_statement(on: date) -> str:
    """What an issued version's history line says once erased text has left it."""
    return (
        f"re-issued after an erasure on {on.day} {on:%B %Y}, with text from erased records removed"
    )


def _state_erasure(context: dict[str, Any], issue: AuditIssue, on: date) -> None:
    note = erasure_statement(on)
    history = context.setdefault("history", [])
    entry = next((h for h in history if h.get("version") == issue.version), None)
    if entry is None:
        entry = {
            "version": issue.version,
            "date": f"{issue.issued_at.day} {issue.issued_at:%B %Y}",
            "issued_by": issue.issued_by,
            "reviewed_by": issue.reviewed_by or "-",
            "reason": issue.reason,
        }
        history.append(entry)
    if note not in entry.get("reason", ""):
        entry["reason"] = f"{entry['reason']}; {note}" if entry.get("reason") else note


def scrub_issued_reports(session: Session, audit_id: int, erased: ErasedText, on: date) -> int:
    """Take the erased text out of the stored reports of the audit's issued versions;
    returns how many changed. (The lock on a final audit guards its content from
    editing; erasure, a legal duty, goes through it with a direct update.)"""
    if not erased:
        return 0
    changed = 0
    rows = session.execute(
        select(AuditIssue.id, AuditIssue.report_context).where(AuditIssue.audit_id == audit_id)
    ).all()
    for issue_id, context in rows:
        if not context:
            continue
        scrubbed, touched = _scrub(context, erased.texts)
        if not touched:
            continue
        issue = session.get(AuditIssue, issue_id)
        _state_erasure(scrubbed, issue, on)
        session.execute(
            update(AuditIssue)
            .where(AuditIssue.id == issue_id)
            .values(report_context=scrubbed)
            .execution_options(synchronize_session=False)
        )
        session.expire(issue)
        changed += 1
    return changed
