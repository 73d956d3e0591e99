"""What the report is assembled from: plain, frozen copies of what the store holds.

`sgaudit.report.build` reads these out of the store; the assembly itself is pure and
can be fed by hand (tests, other front ends).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sgaudit.analysis.compare import Comparison
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.result import AuditAnalysis
from sgaudit.analysis.scores import ScoreTables
from sgaudit.questionnaire.models import QuestionSet
from sgaudit.report.agreement_view import AgreementFacts, VersionFacts
from sgaudit.report.context import EvidenceItem, EvidenceSection
from sgaudit.report.findings_view import Review


@dataclass(frozen=True)
class AuditFacts:
    """The facts about an audit that the cover and the method section print."""

    organisation: str
    title: str
    start_date: date | None = None
    end_date: date | None = None
    auditors: tuple[str, ...] = ()
    scope: str = "both"
    status: str = "draft"
    service_areas: tuple[str, ...] = ()
    version: str = "1.0"


@dataclass(frozen=True)
class RecommendationFacts:
    """A recommendation as stored."""

    id: int
    theme: str
    text: str
    priority: str = "medium"
    owner: str = ""
    due_date: date | None = None
    carried_over: bool = False
    follow_up: str = ""
    finding_key: str | None = None
    measure: str = ""
    review_status: str = ""  # carried over: achieved | partly | not_achieved | no_longer_relevant
    review_evidence: str = ""
    reviewed_on: date | None = None
    previous_due: date | None = None  # carried over: when it was due at the last audit


@dataclass(frozen=True)
class ReportInputs:
    """Everything one report needs. The `previous*` fields and `comparison` go together
    (--compare)."""

    audit: AuditFacts
    question_set: QuestionSet
    data: AuditData
    analysis: AuditAnalysis
    reviews: Mapping[str, Review] = field(default_factory=dict)
    recommendations: Sequence[RecommendationFacts] = ()
    previous: AuditFacts | None = None
    previous_data: AuditData | None = None
    previous_reviews: Mapping[str, Review] = field(default_factory=dict)
    comparison: Comparison | None = None
    evidence: EvidenceSection | None = None
    evidence_by_theme: Mapping[str, Sequence[EvidenceItem]] = field(default_factory=dict)
    report_date: date = field(default_factory=date.today)
    agreement: AgreementFacts | None = None
    versions: Sequence[VersionFacts] = ()
    # The auditors' analysis by subject (finding key, or theme:<id>): objects with
    # seen / why / impact / helps text (sgaudit.store.auditor_analysis.AnalysisText).
    analyses: Mapping[str, Any] = field(default_factory=dict)
    # Why a finding has no recommendation, by finding key (the auditors' recorded reason).
    no_recommendation: Mapping[str, str] = field(default_factory=dict)
    # The lead auditor's assurance opinion (proposed, given, reason, confirmed_by), or None.
    opinion: Any = None
    # ScoreTables.build(data), built once with the analysis (None: built when needed).
    tables: ScoreTables | None = None
    # Records read per register, by the register's label (the documents-reviewed table).
    register_rows: Mapping[str, int] = field(default_factory=dict)
    # The audit's RegisterIndicators (None without registers): the records side of the
    # side-by-side table (sgaudit.report.records_view).
    indicators: Any = None
