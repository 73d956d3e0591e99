"""Report context: how the audit was done, change since the last audit, the records and the appendix (see `sgaudit.report.context`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sgaudit.report.context_cells import RagKey
from sgaudit.report.context_findings import EvidenceItem, FindingItem
from sgaudit.report.context_parts import ResolvedRow


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldworkRow(_Model):
    """Fieldwork counts for one tier or service area (counts, so shown even when small)."""

    label: str = Field(description="Tier or service area ('Total' for the total row).")
    interviews: int = Field(description="Interviews.")
    focus_groups: int = Field(description="Focus groups.")
    surveys: int = Field(description="Survey returns.")
    document_reviews: int = Field(description="Document reviews.")
    people: int = Field(
        description="People heard from (focus groups count everyone present; a document "
        "review hears nobody)."
    )


class Method(_Model):
    """How the audit was done."""

    sessions: int = Field(description="Interviews, focus groups, surveys and reviews in all.")
    people: int = Field(description="People heard from in all (document reviews hear nobody).")
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

    text: str = Field(
        description='"+12 Better", "−8 Worse", "+2 Steady", "+9 Unsure", "Not comparable".'
    )
    delta: int | None = Field(None, description="Points of change (None when not comparable).")
    direction: Literal["better", "worse", "same", "unsure", "not_comparable"] = Field(
        description="better | worse | same (within the change threshold) | unsure (as "
        "large as the threshold, but from too few people to tell from chance) | "
        "not_comparable."
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
    unsure_why: list[str] = Field(
        default_factory=list,
        description="Why some tiers' changes are Unsure: the voices each had at the two "
        "audits, against the fieldwork guide (a sentence per tier short of it, then one for "
        "the rest).",
    )


class TrainingRow(_Model):
    """Training compliance of one role group, from the training register."""

    group: str = Field(description="Role group.")
    people: str = Field(description="People in the group (as text).")
    compliant: str = Field(
        description='Share meeting the requirement, e.g. "82%"; "Suppressed" when hidden (a '
        "small group, or one whose figure the others would give away); a dash when nobody's "
        "requirement could be measured."
    )
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
    borderline_points: int = Field(
        description="How near the weak score a systemic call is close to the line."
    )
    systemic_own_level_points: int = Field(
        description="How far below the same people's other themes a theme stands out "
        "(0: not read that way)."
    )
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
