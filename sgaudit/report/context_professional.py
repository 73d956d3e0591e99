"""Template variables for the parts of a professional audit report besides its
findings: scope and limitations, documents and records reviewed, sign-off. Built by
`sgaudit.report.professional`; documented with the rest of the context
(`sgaudit.report.context.REFERENCE_MODELS`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # defined in context.py, which imports this module; resolved there
    from sgaudit.report.context import ScoreCell


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScopeAndLimits(_Model):
    """What the audit covered, and what limits what it can say."""

    scope: list[str] = Field(description="What the audit covered, one sentence each.")
    limitations: list[str] = Field(description="What limits its conclusions, one sentence each.")


class RecordReviewed(_Model):
    """One kind of document or record the auditors read."""

    source: str = Field(description='What was read, e.g. "Training and CPD register".')
    extent: str = Field(description='How much of it, e.g. "42 records" or "2 reviews".')
    note: str = Field(description="Where it came from or what it covered.")


class SignOffRow(_Model):
    """A line of the sign-off table: who signs, and their name (blank to be filled)."""

    role: str = Field(description='e.g. "Lead auditor".')
    name: str = Field(description="Their name ('' = to be filled in by hand).")


class AreaThemeRow(_Model):
    """One theme's row of the theme x service-area table."""

    theme_id: str = Field(description="Theme id.")
    theme: str = Field(description="Theme title.")
    cells: list[ScoreCell] = Field(
        description="One per service area, in the order of `areas`; a hidden group says "
        '"Suppressed" and nothing else.'
    )


class AreaOverview(_Model):
    """Every theme in every service area: where localised issues sit."""

    areas: list[str] = Field(description="The service areas, as table columns.")
    rows: list[AreaThemeRow] = Field(description="One row per theme, in the set's order.")


class QuoteItem(_Model):
    """A quote with the tier it came from (never a service area)."""

    text: str = Field(description="The quote as the person said it.")
    who: str = Field(
        description="The tier, e.g. \"front-line staff\" ('' when the tier could identify "
        "the speaker or the same words came from more than one tier)."
    )
