"""Report context: findings, recommendations and the sections per theme (see `sgaudit.report.context`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sgaudit.report.context_cells import ScoreCell, ScoreRow
from sgaudit.report.context_parts import AnalysisParts
from sgaudit.report.context_professional import QuoteItem


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FindingItem(_Model):
    """A finding as the board reads it, after the auditors' review."""

    key: str = Field(description="Stable key (kind:theme:areas:tiers); matches across audits.")
    kind: str = Field(
        description="systemic | localised | thread_break | knowledge_gap | "
        "paper_practice_gap | evidence_gap | records | auditor."
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
    doubt: str = Field(
        "",
        description="Why an item worth exploring is not a finding, in words ('' for a "
        'finding): "too few people to be sure", or "close to the weak score or the '
        'systemic share".',
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
    systemic_none: str = Field(
        "No theme is weak across the organisation.",
        description="What to say when `systemic` is empty: no theme is weak across the "
        "organisation, or none clearly (when `open_weak` names some that may be).",
    )
    open_weak: str = Field(
        "",
        description="The themes that may be weak across the organisation, which the people "
        "heard could not settle, in one sentence ('' if none).",
    )


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
        description="What to say when `findings` is empty: no concern (beyond an Amber or "
        "Red rating, said so), questions left open (listed in `worth_exploring`), or not "
        "covered."
    )
    worth_exploring: list[FindingItem] = Field(
        default_factory=list,
        description="The theme's items worth exploring that the auditors kept (as under "
        "`unsettled.worth_exploring`), so a theme's page never reads as settled when the "
        "people heard left it open.",
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


class SaidAndRecorded(_Model):
    """One theme where what people said and what the records or action plan say differ."""

    theme_id: str = Field(description="Theme id.")
    theme: str = Field(description="Theme title.")
    said: list[str] = Field(
        description="What people said: quotes, each with its tier when it may be named."
    )
    scores: str = Field(
        description='The weak interview scores behind them, e.g. "Domiciliary Care 41 (14 people)".'
    )
    recorded: list[str] = Field(
        description="What the registers and the last audit's action plan say, one line each."
    )
