"""ORM models of the audit store. The schema itself is made by the Alembic migrations.

Respondents are pseudonymous: an interview has a generated code, a tier and a service
area, never a name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sgaudit.store.account_models import AuditEvent, LoginAttempt, RoleGrant, SetupToken, User  # noqa: F401
from sgaudit.store.model_base import Base, utcnow  # noqa: F401


class Organisation(Base):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    service_areas: Mapped[list[ServiceArea]] = relationship(
        back_populates="organisation", order_by="ServiceArea.id", cascade="all, delete-orphan"
    )
    audits: Mapped[list[Audit]] = relationship(back_populates="organisation")

    @property
    def area_names(self) -> list[str]:
        return [a.name for a in self.service_areas]


class ServiceArea(Base):
    __tablename__ = "service_area"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[Organisation] = relationship(back_populates="service_areas")


class Audit(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    title: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    auditor_1: Mapped[str] = mapped_column(String(200), default="")
    auditor_2: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[str] = mapped_column(String(20), default="both")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # "1.0" until first issued; a change after final opens 1.1, 1.2 ...
    version: Mapped[str] = mapped_column(String(12), default="1.0", server_default="1.0")
    question_set_id: Mapped[str] = mapped_column(String(100))
    question_set_version: Mapped[int] = mapped_column(Integer)
    question_set_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"))
    framework_id: Mapped[str | None] = mapped_column(String(100))
    # The exact role-group training framework (with the organisation's own numbers)
    # the registers are checked against, kept like the question set snapshot.
    framework_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="audits")
    interviews: Mapped[list[Interview]] = relationship(
        back_populates="audit", order_by="Interview.id", cascade="all, delete-orphan"
    )


class Interview(Base):
    """One conversation, focus group, survey return or document review."""

    __tablename__ = "interview"
    __table_args__ = (
        UniqueConstraint("audit_id", "code"),
        UniqueConstraint("audit_id", "response_key", name="uq_interview_audit_response_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # pseudonymous respondent code
    # The survey tool's own id of the response this interview came from (its response
    # id, ODK instance id or submission time), so a re-export updates, never duplicates.
    response_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    tier: Mapped[str] = mapped_column(String(30))
    service_area: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(30), default="interview")
    held_on: Mapped[date | None] = mapped_column(Date)
    auditor: Mapped[str] = mapped_column(String(200), default="")
    people: Mapped[int] = mapped_column(Integer, default=1)
    consent_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the respondent or respondents withdrew consent: the interview is then left out of
    # every analysis, report and export until it is erased or consent is given again.
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Double scoring: the second auditor scores it too, blind (see store/double_scoring.py).
    double_scored: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    second_scorer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    second_completed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # How many answers the interview holds, kept by the database's triggers on
    # `response` (migration i14b_answer_counts) whatever writes them; never set by the
    # ORM. Deferred: an interview loaded before answers were written would hold an old
    # number, so read it with a query (`store/answer_counts.py`).
    answer_count: Mapped[int] = mapped_column(
        Integer, server_default="0", deferred=True, deferred_raiseload=True
    )

    audit: Mapped[Audit] = relationship(back_populates="interviews")
    responses: Mapped[list[Response]] = relationship(
        back_populates="interview", cascade="all, delete-orphan"
    )


class Response(Base):
    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("interview_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up by interview through the unique (interview, question) index (no index of
    # its own: migration i14c_response_index).
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(60))
    answer: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    quotable: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    # Bumped by every update; an UPDATE made from an older revision matches no row, so
    # two auditors saving the same answer can never overwrite each other unseen.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    interview: Mapped[Interview] = relationship(back_populates="responses")
    __mapper_args__ = {"version_id_col": revision}


class SecondScore(Base):
    """The second auditor's own answer to one question of a double-scored interview."""

    __tablename__ = "second_score"
    __table_args__ = (UniqueConstraint("interview_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(60))
    answer: Mapped[str] = mapped_column(Text, default="")
    scorer: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Moderation(Base):
    """The lead auditor's settled score for an item the two auditors scored far apart.

    Both original answers are kept; the agreed one replaces the answer analysed.
    """

    __tablename__ = "moderation"
    __table_args__ = (UniqueConstraint("interview_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(60))
    first_answer: Mapped[str] = mapped_column(Text, default="")
    second_answer: Mapped[str] = mapped_column(Text, default="")
    agreed_answer: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FindingReview(Base):
    """The auditors' decision on a finding: accepted, reworded, dismissed, or their own."""

    __tablename__ = "finding_review"
    __table_args__ = (UniqueConstraint("audit_id", "finding_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    finding_key: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(40))
    theme: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="accepted")
    summary: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    service_areas: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tiers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": revision}


class Recommendation(Base):
    __tablename__ = "recommendation"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    finding_key: Mapped[str | None] = mapped_column(String(400))
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id"))
    follow_up: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # How the board will know it worked (issue 9).
    measure: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A carried-over recommendation's review at the re-audit: achieved | partly |
    # not_achieved | no_longer_relevant ('' = not reviewed yet), with evidence and date.
    review_status: Mapped[str] = mapped_column(String(30), default="", server_default="")
    review_evidence: Mapped[str] = mapped_column(Text, default="", server_default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date)


class AuditSignoff(Base):
    """The second auditor's decision on one part of an audit in review.

    `item` is a finding key, "analysis" or "recommendations"; `decision` is
    `signed_off` or `sent_back` (with a comment). The newest row per item and version
    counts; earlier ones stay as history.
    """

    __tablename__ = "audit_signoff"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(12))
    item: Mapped[str] = mapped_column(String(400))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditIssue(Base):
    """One issued (final) version of an audit, kept so its report can be produced again.

    `report_context` is the report's whole content as issued (a ReportContext as JSON)
    and `template` the Word template it was rendered with, so the same document comes
    out later whatever has changed in the audit, the analysis or the default template.
    """

    __tablename__ = "audit_issue"
    __table_args__ = (UniqueConstraint("audit_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(12))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(200), default="")
    reviewed_by: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    report_context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    template: Mapped[bytes | None] = mapped_column(LargeBinary)


class RegisterEntry(Base):
    """One row of an evidence register (training, recruitment, policies, concerns, complaints)."""

    __tablename__ = "register_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    register: Mapped[str] = mapped_column(String(30))
    row_number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ChangeLog(Base):
    """The audit trail: who did what to which record, and when."""

    __tablename__ = "change_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(60))
    audit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditorAnalysis(Base):
    """The auditors' own analysis of one finding or one theme, in four parts.

    `subject` is a finding's key, or `theme:<theme id>` for a theme as a whole. The
    four parts follow the systems approach: what we saw, why it happens (conditions,
    pressures, culture, systems; not blame), the impact on people who use services,
    and what helps (strengths to build on).
    """

    __tablename__ = "auditor_analysis"
    __table_args__ = (UniqueConstraint("audit_id", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(400))
    seen: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    helps: Mapped[str] = mapped_column(Text, default="")
    # Why a Medium or High finding has no recommendation, when the auditors decide so.
    no_recommendation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class AssuranceOpinion(Base):
    """The overall assurance opinion: the level sgaudit proposed by its documented rule,
    and the level the lead auditor gave, with their reason when it differs."""

    __tablename__ = "assurance_opinion"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit.id", ondelete="CASCADE"), unique=True, index=True
    )
    proposed: Mapped[str] = mapped_column(String(20))
    given: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    confirmed_by: Mapped[str] = mapped_column(String(200), default="")
    confirmed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FieldworkPlan(Base):
    """How many people the auditors intend to hear in one tier x service area of an audit.

    A cell with no row has no plan. Coverage sets it against the people heard so far.
    """

    __tablename__ = "fieldwork_plan"
    __table_args__ = (UniqueConstraint("audit_id", "tier", "service_area"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str] = mapped_column(String(40))
    service_area: Mapped[str] = mapped_column(String(200))
    people: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class ErasedResponse(Base):
    """A survey response whose interview was erased: a later export of the same survey
    must not bring the person back. Only a hash of the tool's response id is kept
    (`sgaudit.store.erased_responses`), never the response itself."""

    __tablename__ = "erased_response"
    __table_args__ = (UniqueConstraint("audit_id", "key_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    erased_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


__all__ = [
    "Base",
    "utcnow",
    "User",
    "RoleGrant",
    "AuditEvent",
    "LoginAttempt",
    "SetupToken",
    "Organisation",
    "ServiceArea",
    "Audit",
    "Interview",
    "Response",
    "SecondScore",
    "Moderation",
    "FindingReview",
    "Recommendation",
    "AuditSignoff",
    "AuditIssue",
    "RegisterEntry",
    "ChangeLog",
    "AuditorAnalysis",
    "AssuranceOpinion",
    "FieldworkPlan",
    "ErasedResponse",
]
