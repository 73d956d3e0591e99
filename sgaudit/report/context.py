"""`ReportContext`: every variable a report template may use, documented once.

The default template (`report_templates/default.docx`) and any organisation's copy of
it see exactly these names; `docs/report.md` lists them, generated from the classes
below by `context_reference_markdown()`, and a test fails if the default template uses
a name that is not here or if the docs drift.

Everything is ready to print: scores are whole numbers already paired with their RAG
label ("72 Green"), dates are written out, lists are in reading order. A suppressed
group never has a number here: its cell says "Suppressed" and carries `score=None`,
`n=None`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sgaudit.report.context_cells import (  # noqa: F401 - the report's names
    Chart,
    ChartSeries,
    RagKey,
    ScoreCell,
    ScoreRow,
    ThreadChart,
    ThreadOverview,
    ThreadPanel,
    ThreadRow,
    TierColumn,
)
from sgaudit.report.context_findings import (  # noqa: F401 - the report's names
    AreaFindings,
    EvidenceItem,
    FindingItem,
    RecommendationItem,
    SaidAndRecorded,
    ScopeSection,
    ThemeSection,
)
from sgaudit.report.context_method import (  # noqa: F401 - the report's names
    Appendix,
    ChangeCell,
    ChangeRow,
    ChangeSection,
    EvidenceSection,
    FieldworkRow,
    GlossaryItem,
    Method,
    Rules,
    TrainingRow,
)
from sgaudit.report.context_parts import (
    AnalysisParts,
    BoardIssue,
    BoardSummary,
    Opinion,
    ProgressRow,
    ProgressSection,
    ResolvedRow,
)
from sgaudit.report.context_professional import (
    AreaOverview,
    AreaThemeRow,
    QuoteItem,
    RecordReviewed,
    ScopeAndLimits,
    SignOffRow,
)
from sgaudit.report.context_unsettled import ReachRow, Unsettled
from sgaudit.report.self_assessment_view import SelfAssessmentRow, SelfAssessmentSection


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExecutiveSummary(_Model):
    """The summary for trustees, in plain words."""

    overall: list[str] = Field(description="Paragraphs on the overall picture.")
    strengths: list[str] = Field(description="What is working well.")
    systemic: list[str] = Field(description="The most important organisation-wide issues.")
    thread: list[str] = Field(description="Where the golden thread breaks.")
    change: list[str] = Field(description="What improved or worsened since the last audit.")
    priorities: list[str] = Field(description="The recommendations to act on first.")


class VersionEntry(_Model):
    """One issued version of the report."""

    version: str = Field(description='e.g. "1.1".')
    date: str = Field(description="When it was issued.")
    issued_by: str = Field(description="The lead auditor who confirmed it as final.")
    reviewed_by: str = Field(description="The second auditor who signed it off.")
    reason: str = Field(description='Why this version was issued ("first issue" for 1.0).')


class ReportContext(_Model):
    """The whole report. Top-level names are what a template writes: `{{ organisation }}`."""

    organisation: str = Field(description="Organisation name.")
    audit_title: str = Field(description="Title of the audit.")
    report_title: str = Field(description='Document title, e.g. "Safeguarding audit report".')
    status: str = Field(description='"DRAFT" or "FINAL".')
    is_final: bool = Field(description="True when the audit is marked final.")
    dates: str = Field(description='When fieldwork took place, e.g. "3 to 14 March 2026".')
    report_date: str = Field(description="The date the report was produced.")
    auditors: str = Field(description='The auditors, e.g. "A. Khan and B. Jones".')
    scope: str = Field(description="Who the audit covers (children, adults or both).")
    question_set: str = Field(description="The question set and version.")
    previous_audit: str = Field(
        description="Title and dates of the audit compared with ('' if none)."
    )
    summary: ExecutiveSummary = Field(description="Executive summary.")
    method: Method = Field(description="How the audit was done.")
    thread: ThreadOverview = Field(description="Golden-thread overview.")
    localised_systemic: ScopeSection = Field(description="Localised and systemic issues.")
    unsettled: Unsettled = Field(
        default_factory=Unsettled,
        description="What the analysis could not settle: worth exploring, tiers not "
        "assessable or pooled, and how large a golden-thread difference had to be to show.",
    )
    areas: AreaOverview = Field(
        default_factory=lambda: AreaOverview(areas=[], rows=[]),
        description="Every theme's score in every service area, with n.",
    )
    themes: list[ThemeSection] = Field(description="One section per theme, in the set's order.")
    change: ChangeSection | None = Field(
        None, description="Change since the last audit (None without a comparison)."
    )
    evidence: EvidenceSection | None = Field(
        None, description="Register evidence (None without registers)."
    )
    said_and_recorded: list[SaidAndRecorded] = Field(
        default_factory=list,
        description="Themes where what people said and what the records or the last "
        "audit's action plan say differ, side by side (empty when they agree).",
    )
    self_assessment: SelfAssessmentSection | None = Field(
        None,
        description="The organisation's self-assessment against the evidence (None without one).",
    )
    actions: list[RecommendationItem] = Field(description="The action plan, in order.")
    missing: list[str] = Field(
        default_factory=list,
        description="What is missing before the report can be final (empty when nothing is); "
        "while not empty the report is DRAFT.",
    )
    progress: ProgressSection | None = Field(
        None, description="Progress on the last audit's recommendations (None if none carried)."
    )
    board: BoardSummary | None = Field(
        None, description="The one-page summary for the board, before the contents."
    )
    appendix: Appendix = Field(description="Method in plain words and glossary.")
    generator: str = Field(description='The software and version, e.g. "sgaudit 0.1.0".')
    version: str = Field(
        "1.0",
        description='The version this report is: "0.1", "0.2" ... for a draft before the '
        'first issue, "1.0", "1.1" ... once final, "1.1 draft 1" for a reopened draft.',
    )
    history: list[VersionEntry] = Field(
        default_factory=list, description="The versions issued so far, oldest first."
    )
    scope_limits: ScopeAndLimits = Field(
        default_factory=lambda: ScopeAndLimits(scope=[], limitations=[]),
        description="What the audit covered and what limits its conclusions.",
    )
    records_reviewed: list[RecordReviewed] = Field(
        default_factory=list, description="The documents and records the auditors read."
    )
    sign_off: list[SignOffRow] = Field(
        default_factory=list, description="Who signs the report (names blank to fill by hand)."
    )


ThreadChart.model_rebuild()
AreaThemeRow.model_rebuild(_types_namespace={"ScoreCell": ScoreCell})
AreaOverview.model_rebuild()

# Documented in this order in docs/report.md.
REFERENCE_MODELS: tuple[type[BaseModel], ...] = (
    ReportContext,
    ExecutiveSummary,
    Method,
    FieldworkRow,
    ThreadOverview,
    TierColumn,
    ThreadRow,
    ScoreCell,
    RagKey,
    ScopeSection,
    AreaFindings,
    Unsettled,
    ReachRow,
    ThemeSection,
    AnalysisParts,
    BoardSummary,
    Opinion,
    BoardIssue,
    ProgressSection,
    ProgressRow,
    ResolvedRow,
    ScoreRow,
    FindingItem,
    RecommendationItem,
    EvidenceItem,
    ChangeSection,
    ChangeRow,
    ChangeCell,
    EvidenceSection,
    TrainingRow,
    SaidAndRecorded,
    SelfAssessmentSection,
    SelfAssessmentRow,
    Appendix,
    Rules,
    GlossaryItem,
    Chart,
    ThreadChart,
    ThreadPanel,
    ChartSeries,
    VersionEntry,
    ScopeAndLimits,
    RecordReviewed,
    SignOffRow,
    AreaOverview,
    AreaThemeRow,
    QuoteItem,
)
