"""The auditors' own analysis per finding and per theme: read, save one, save many.

A subject is a finding's key, or `theme:<theme id>` for a theme as a whole (see
`theme_subject`). Saving many is one transaction, so a findings file is loaded
all or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import REVIEW_FINDINGS, VIEW_FINDINGS
from sgaudit.store.changes import log_change
from sgaudit.store.models import Audit, AuditorAnalysis
from sgaudit.store.scope import check

ANALYSIS_PARTS = ("seen", "why", "impact", "helps")
THEME_PREFIX = "theme:"


def theme_subject(theme: str) -> str:
    return f"{THEME_PREFIX}{theme}"


@dataclass(frozen=True)
class AnalysisText:
    """The four parts of the auditors' analysis of one subject (empty text = not written)."""

    seen: str = ""
    why: str = ""
    impact: str = ""
    helps: str = ""

    @property
    def written(self) -> bool:
        return any(getattr(self, p).strip() for p in ANALYSIS_PARTS)


def auditor_analyses(session: Session, audit: Audit) -> dict[str, AnalysisText]:
    """Every stored analysis of the audit, by subject."""
    check(session, VIEW_FINDINGS, audit)
    rows = session.scalars(select(AuditorAnalysis).where(AuditorAnalysis.audit_id == audit.id))
    return {r.subject: AnalysisText(r.seen, r.why, r.impact, r.helps) for r in rows}


def _put(session: Session, audit: Audit, subject: str, text: AnalysisText, actor: str) -> None:
    row = session.scalar(
        select(AuditorAnalysis).where(
            AuditorAnalysis.audit_id == audit.id, AuditorAnalysis.subject == subject
        )
    )
    if row is None:
        row = AuditorAnalysis(audit_id=audit.id, subject=subject)
        session.add(row)
    changed = [p for p in ANALYSIS_PARTS if (getattr(row, p) or "") != getattr(text, p)]
    for part in ANALYSIS_PARTS:
        setattr(row, part, getattr(text, part))
    row.updated_by = actor
    if changed:
        log_change(
            session,
            "analysis",
            "auditor_analysis",
            subject,
            actor=actor,
            audit_id=audit.id,
            detail={"parts": changed},
        )


def save_auditor_analysis(
    session: Session, audit: Audit, subject: str, text: AnalysisText, *, actor: str = ""
) -> None:
    """Write the analysis of one finding or theme (replacing what was there); commit."""
    check(session, REVIEW_FINDINGS, audit)
    _put(session, audit, subject, text, actor)
    session.commit()


def save_auditor_analyses(
    session: Session, audit: Audit, texts: Mapping[str, AnalysisText], *, actor: str = ""
) -> int:
    """Write many analyses in one transaction (a findings file); nothing if any fails."""
    check(session, REVIEW_FINDINGS, audit)
    try:
        for subject, text in texts.items():
            _put(session, audit, subject, text, actor)
        session.flush()
    except Exception:
        session.rollback()
        raise
    session.commit()
    return len(texts)


def no_recommendation_reasons(session: Session, audit: Audit) -> dict[str, str]:
    """The auditors' recorded reasons why a finding has no recommendation, by finding key."""
    check(session, VIEW_FINDINGS, audit)
    rows = session.scalars(
        select(AuditorAnalysis).where(
            AuditorAnalysis.audit_id == audit.id, AuditorAnalysis.no_recommendation_reason != ""
        )
    )
    return {r.subject: r.no_recommendation_reason for r in rows}


def set_no_recommendation_reason(
    session: Session, audit: Audit, finding_key: str, reason: str, *, actor: str = ""
) -> None:
    """Record (or clear, with '') why a finding has no recommendation; commit."""
    check(session, REVIEW_FINDINGS, audit)
    row = session.scalar(
        select(AuditorAnalysis).where(
            AuditorAnalysis.audit_id == audit.id, AuditorAnalysis.subject == finding_key
        )
    )
    if row is None:
        row = AuditorAnalysis(audit_id=audit.id, subject=finding_key, seen="", why="",
                              impact="", helps="")  # fmt: skip
        session.add(row)
    row.no_recommendation_reason = reason.strip()
    row.updated_by = actor
    log_change(session, "no_recommendation", "auditor_analysis", finding_key, actor=actor,
               audit_id=audit.id, detail={"reason": reason.strip()})  # fmt: skip
    session.commit()
