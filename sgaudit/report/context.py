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

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
from sgaudit.report.self_assessment_view import SelfAssessmentRow, SelfAssessmentSection


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScoreCell(_Model):
    """One score as the report shows it: a whole number with its RAG label, or why not."""

    text: str = Field(
        description='What the cell says: "72 Green", "Suppressed", "Not asked" or "No score".'
    )
    number: str = Field(
        "",
        description='The score as printed: the whole points reached, "69" for 69.8 '
        '(sgaudit.printed; "" when there is none).',
    )
    score: int | None = Field(
        None, description="The score 0-100 as printed, a whole number (None when there is none)."
    )
    rag: str = Field("", description='RAG label, e.g. "Green" ("" when there is no score).')
    fill: str = Field(
        "FFFFFF", description="Cell shading as hex without '#', for `{% cellbg cell.fill %}`."
    )
    status: Literal["scored", "suppressed", "not_asked", "no_score"] = Field(
        "scored",
        description="scored | suppressed (group below the minimum size) | not_asked | no_score.",
    )
    n: int | None = Field(
        None, description="People behind the score (None when suppressed or not asked)."
    )


class ScoreRow(_Model):
    """A labelled score: one tier or one service area of a theme."""

    label: str = Field(description="The tier or service area.")
    cell: ScoreCell = Field(description="Its score.")
    dont_know: str = Field("", description='Share of "don\'t know" answers, e.g. "15%".')


class TierColumn(_Model):
    """A tier of the golden thread, as a table column."""

    id: str = Field(description="Tier id, e.g. front_line.")
    label: str = Field(description='Full name, e.g. "Front-line staff and volunteers".')
    short: str = Field(description='Column heading, e.g. "Front line".')


class ChartSeries(_Model):
    """One line of a chart: a value per category (None where nothing may be drawn)."""

    label: str = Field(description='Legend label, e.g. "This audit".')
    values: list[float | None] = Field(description="One value per category; None = not drawn.")


class Chart(_Model):
    """A chart drawn at render time, with its alt text for screen readers."""

    id: str = Field(description='Stable name of the chart, e.g. "thread".')
    title: str = Field(description="Caption text.")
    alt_text: str = Field(
        description="Alt text set on the picture (Word's Alt Text); never a suppressed number."
    )
    image: Any = Field(
        None,
        description="The picture itself, filled by render_report: write `{{ chart.image }}` "
        "in a paragraph of its own.",
    )


class ThreadChart(Chart):
    """A golden-thread chart: scores by tier, one panel per theme."""

    categories: list[str] = Field(description="Tier labels, ground to board.")
    panels: list[ThreadPanel] = Field(description="One panel per theme.")


class ThreadPanel(_Model):
    """The data of one theme's panel in a golden-thread chart."""

    title: str = Field(description="Theme title.")
    series: list[ChartSeries] = Field(description="This audit, and the previous one if compared.")
    gaps: list[str] = Field(
        description='Why a category of this audit has no point: "suppressed", "not asked" or "".'
    )


class ThreadRow(_Model):
    """One theme's row of the golden-thread table."""

    theme_id: str = Field(description="Theme id.")
    theme: str = Field(description="Theme title.")
    overall: ScoreCell = Field(description="The theme's organisation-wide score.")
    tier: dict[str, ScoreCell] = Field(
        description="Score per tier id: `row.tier.board.text`, `row.tier.front_line.fill`."
    )
    cells: list[ScoreCell] = Field(description="The same cells in the order of `thread.tiers`.")


class RagKey(_Model):
    """A RAG band as the key explains it."""

    label: str = Field(description='e.g. "Green".')
    range: str = Field(description='e.g. "70 to 100".')
    min: float = Field(description="The lowest score in the band.")
    fill: str = Field(description="Cell shading, hex without '#'.")


class ThreadOverview(_Model):
    """The golden thread: every theme scored at every tier."""

    tiers: list[TierColumn] = Field(description="The six tiers, ground to board.")
    rows: list[ThreadRow] = Field(description="One row per theme, in the set's order.")
    breaks: list[str] = Field(
        description="Sentences naming where the thread breaks (tier far from the front line)."
    )
    knowledge_gaps: list[str] = Field(
        description="Sentences naming where the top of the organisation does not know."
    )
    no_breaks: list[str] = Field(
        description="What to say when `breaks` is empty: who was compared, who was too few."
    )
    no_knowledge_gaps: list[str] = Field(
        description="What to say when `knowledge_gaps` is empty, in the same way."
    )
    key: list[RagKey] = Field(description="The RAG bands, lowest first.")
    chart: ThreadChart | None = Field(
        None,
        description="All themes' threads as small multiples, with the last audit's as a "
        "dashed line when compared (None if nothing can be drawn, or charts are off).",
    )


class FindingItem(_Model):
    """A finding as the board reads it, after the auditors' review."""

    key: str = Field(description="Stable key (kind:theme:areas:tiers); matches across audits.")
    kind: str = Field(
        description="systemic | localised | thread_break | knowledge_gap | "
        "paper_practice_gap | evidence_gap | auditor."
    )
    kind_label: str = Field(description='e.g. "Golden thread break".')
    theme_id: str = Field(description="Theme id.")
    theme: str = Field(description="Theme title.")
    severity: str = Field(description="high | medium | low.")
    severity_label: str = Field(description='"High", "Medium" or "Low".')
    summary: str = Field(
        description="The finding in one or two sentences (the auditors' "
        "wording when they edited it)."
    )
    evidence: list[str] = Field(
        description="What lies behind it that the summary does not say (how many people, "
        "which areas), one short line each."
    )
    areas: str = Field(description='Service areas concerned, e.g. "North and East" ("" if all).')
    tiers: str = Field(description='Tiers concerned, e.g. "Front line and Board".')
    quotes: list[str] = Field(description="Anonymised quotes supporting it.")
    source: Literal["analysis", "auditor"] = Field(
        description="analysis (found in the data) or auditor (added by the auditors)."
    )
    analysis: AnalysisParts = Field(
        default_factory=AnalysisParts,
        description="The auditors' analysis of this finding (what we saw, why, impact, "
        "what helps).",
    )
    no_recommendation: str = Field(
        "", description="The auditors' reason for making no recommendation ('' if none)."
    )


class AreaFindings(_Model):
    """The localised findings of one service area."""

    area: str = Field(description="Service area.")
    findings: list[FindingItem] = Field(description="Its localised findings.")


class ScopeSection(_Model):
    """Which issues run across the organisation and which belong to named areas."""

    summary: str = Field(description="One sentence on the balance of systemic and localised.")
    systemic: list[FindingItem] = Field(description="Organisation-wide findings.")
    localised: list[AreaFindings] = Field(description="Localised findings, grouped by area.")


class RecommendationItem(_Model):
    """A recommendation and its line in the action plan."""

    number: int = Field(description="Its number in the action plan (1, 2, ...).")
    text: str = Field(description="The recommendation.")
    theme_id: str = Field(description="Theme id ('' if it is not tied to a theme).")
    theme: str = Field(description="Theme title.")
    priority: str = Field(description="high | medium | low.")
    priority_label: str = Field(description='"High", "Medium" or "Low".')
    owner: str = Field(description="Who owns it ('' = blank for the board to fill).")
    due: str = Field(description="Due date written out ('' = blank for the board to fill).")
    carried_over: bool = Field(description="True if it was carried from the previous audit.")
    follow_up: str = Field(description="What was done about it since (carried-over ones).")
    measure: str = Field("", description="How the board will know it worked.")


class EvidenceItem(_Model):
    """One line of evidence from the organisation's registers."""

    text: str = Field(description="The indicator in words, with its number.")


class ThemeSection(_Model):
    """Everything the report says about one theme."""

    id: str = Field(description="Theme id.")
    number: int = Field(description="Section number of the theme (1, 2, ...).")
    title: str = Field(description="Theme title.")
    description: str = Field(description="What the theme covers (from the question set).")
    headline: str = Field(description="One sentence: the theme's score and its shape.")
    overall: ScoreCell = Field(description="Organisation-wide score.")
    paper_practice: str = Field(
        description="Sentence comparing what documents say with practice ('' if not measured)."
    )
    by_tier: list[ScoreRow] = Field(description="Score per tier, ground to board.")
    by_area: list[ScoreRow] = Field(description="Score per service area.")
    findings: list[FindingItem] = Field(description="Findings for this theme, most severe first.")
    no_findings: str = Field(
        description="What to say when `findings` is empty (no concern, or not covered)."
    )
    quotes: list[str] = Field(description="Anonymised quotes (only notes marked quotable).")
    attributed_quotes: list[QuoteItem] = Field(
        default_factory=list,
        description="The same quotes, each with the tier it came from when that tier's "
        "group is large enough to show (never with a service area).",
    )
    questions_to_consider: list[str] = Field(description="Questions for the board to ask.")
    recommendations: list[RecommendationItem] = Field(description="Recommendations on this theme.")
    evidence: list[EvidenceItem] = Field(description="What the registers show (empty if none).")
    change: list[str] = Field(description="Sentences on change since the last audit (if compared).")
    analysis: AnalysisParts = Field(
        default_factory=AnalysisParts,
        description="The auditors' analysis of the theme as a whole.",
    )


class FieldworkRow(_Model):
    """Fieldwork counts for one tier or service area (counts, so shown even when small)."""

    label: str = Field(description="Tier or service area ('Total' for the total row).")
    interviews: int = Field(description="Interviews.")
    focus_groups: int = Field(description="Focus groups.")
    surveys: int = Field(description="Survey returns.")
    document_reviews: int = Field(description="Document reviews.")
    people: int = Field(description="People heard from (focus groups count everyone present).")


class Method(_Model):
    """How the audit was done."""

    sessions: int = Field(description="Interviews, focus groups, surveys and reviews in all.")
    people: int = Field(description="People heard from in all.")
    by_tier: list[FieldworkRow] = Field(description="Fieldwork per tier, ground to board.")
    by_area: list[FieldworkRow] = Field(description="Fieldwork per service area.")
    total: FieldworkRow = Field(description="The totals row.")
    question_set: str = Field(description='e.g. "Core question set, version 2".')
    question_count: int = Field(description="Questions in the set.")
    theme_count: int = Field(description="Themes in the set.")
    suppression_min: int = Field(description="Smallest group whose score is shown.")
    agreement: str = Field(
        "",
        description="How alike the two auditors scored the double-scored interviews, "
        "and how many items were moderated ('' when none were double-scored).",
    )
    moderated: int = Field(0, description="Double-scored items settled by the lead auditor.")


class ChangeCell(_Model):
    """The change in one score since the last audit."""

    text: str = Field(description='"+12 Better", "−8 Worse", "No change", "Not comparable"...')
    delta: int | None = Field(None, description="Points of change (None when not comparable).")
    direction: Literal["better", "worse", "same", "not_comparable"] = Field(
        description="better | worse | same (within the change threshold) | not_comparable."
    )
    fill: str = Field(description="Cell shading, hex without '#'.")


class ChangeRow(_Model):
    """One theme's change since the last audit."""

    theme_id: str = Field(description="Theme id.")
    theme: str = Field(description="Theme title.")
    before: str = Field(description='Previous overall score, e.g. "58 Amber".')
    after: str = Field(description='This overall score, e.g. "71 Green".')
    overall: ChangeCell = Field(description="Change in the overall score.")
    tier: dict[str, ChangeCell] = Field(description="Change per tier id.")
    cells: list[ChangeCell] = Field(description="The same, in the order of `thread.tiers`.")


class ChangeSection(_Model):
    """Change since the previous audit (only when the report is run with a comparison)."""

    previous_title: str = Field(description="Title of the previous audit.")
    previous_dates: str = Field(description="When it took place.")
    summary: list[str] = Field(description="Sentences summing up what changed.")
    rows: list[ChangeRow] = Field(description="One row per theme.")
    resolved: list[FindingItem] = Field(description="Findings of last time not found now.")
    resolved_rows: list[ResolvedRow] = Field(
        default_factory=list,
        description="The same as a table: finding, then, now, status.",
    )
    new: list[FindingItem] = Field(description="Findings new since last time.")
    persisting: list[FindingItem] = Field(description="Findings found both times.")
    not_comparable: list[str] = Field(
        description="What cannot be compared because the questions changed, in words."
    )
    change_points: int = Field(description="Smallest change (points) called a change.")


class TrainingRow(_Model):
    """Training compliance of one role group, from the training register."""

    group: str = Field(description="Role group.")
    people: str = Field(description="People in the group (as text).")
    compliant: str = Field(description='Share meeting the requirement, e.g. "82%" or "—".')
    note: str = Field(description="What the requirement is, or why it is not measured.")


class EvidenceSection(_Model):
    """What the organisation's registers show (only when registers were imported)."""

    registers: list[str] = Field(description="The registers read, e.g. 'Training records'.")
    framework: str = Field(description="Role-group training framework used ('' if none).")
    training: list[TrainingRow] = Field(description="Training compliance by role group.")
    lines: list[EvidenceItem] = Field(description="Other indicators in words.")
    gaps: list[FindingItem] = Field(description="Where interviews and records disagree.")


class Rules(_Model):
    """The thresholds the analysis used, from the question set's settings."""

    suppression_min: int = Field(description="Smallest group whose score is shown.")
    thread_break_points: int = Field(description="Gap from the front line that breaks the thread.")
    knowledge_gap_points: int = Field(
        description="Extra don't-know (percentage points) at the top."
    )
    weak_score: int = Field(description="Below this a score is weak.")
    systemic_share: str = Field(description='Share of areas weak for "systemic", e.g. "60%".')
    localised_gap_points: int = Field(description="How far below the rest an area must be.")
    paper_practice_gap_points: int = Field(description="Paper minus practice that is a gap.")
    change_points: int = Field(description="Smallest change called a change.")


class GlossaryItem(_Model):
    """A term and its meaning."""

    term: str = Field(description="The term.")
    meaning: str = Field(description="Its meaning in plain words.")


class Appendix(_Model):
    """How the numbers are worked out, and a glossary."""

    rag_bands: list[RagKey] = Field(description="The RAG bands, lowest first.")
    rules: Rules = Field(description="The thresholds used.")
    glossary: list[GlossaryItem] = Field(description="Terms used in the report.")


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
    version: str = Field("1.0", description='The audit version this report is, e.g. "1.1".')
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
