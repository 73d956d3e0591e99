"""The report's section "What the analysis could not settle": its fields (`unsettled.py`
fills them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sgaudit.report.context_findings import FindingItem


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReachRow(_Model):
    """One pair of the golden thread, or one service area against the others: how large
    a difference had to be to show."""

    pair: str = Field(
        description='Who was set against whom ("Trustees against front-line staff"), or the '
        "service area set against the others."
    )
    people: str = Field(description='People heard on each side: "3 and 27".')
    themes: int = Field(description="Themes on which the two were compared.")
    smallest: str = Field(description='The median over the themes: "24 points".')
    by_theme: str = Field(description='Its range over the themes ("20 to 28"; "the same on each").')


class Unsettled(_Model):
    """What the analysis could not settle (the report's section of that name)."""

    worth_exploring: list[FindingItem] = Field(
        default_factory=list,
        description="Large differences the people heard cannot confirm, as the auditors "
        "reviewed them (dismissed ones left out).",
    )
    worth_exploring_none: str = Field(
        "",
        description="What to say when `worth_exploring` is empty: that none arose, or that "
        "the auditors looked into each one.",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="Tiers too few to assess, tiers taken together, and tiers heard in fewer "
        "voices than the fieldwork guide asks, in sentences.",
    )
    reach_intro: str = Field("", description="What the reach table means, in plain words.")
    reach: list[ReachRow] = Field(
        default_factory=list,
        description="Per pair of the golden thread, the smallest difference that could show.",
    )
    area_intro: str = Field("", description="What the service-area table means, in plain words.")
    area_reach: list[ReachRow] = Field(
        default_factory=list,
        description="Per service area against the others, the smallest gap below them that "
        "could show as localised.",
    )
    organisation_reach: str = Field(
        "",
        description="Across the organisation, how far below the weak score a theme had to "
        "score to show as weak across it, in a sentence (empty when no theme was judged).",
    )
