"""Template variables for the parts of the report that carry the auditors' judgement:
their analysis of each finding and theme. Documented with the rest of the context
(`sgaudit.report.context.REFERENCE_MODELS`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

STILL_TO_WRITE = "The auditors' analysis is still to be written."


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnalysisParts(_Model):
    """The auditors' own analysis of a finding or a theme, in four parts (systems approach)."""

    written: bool = Field(False, description="True when at least one part is written.")
    seen: str = Field("", description="What we saw and heard, and where.")
    why: str = Field(
        "",
        description="Why it happens: the conditions, pressures, culture and "
        "systems behind it, not blame.",
    )
    impact: str = Field("", description="The impact on people who use services.")
    helps: str = Field("", description="What helps: strengths to build on.")
    missing: str = Field(
        STILL_TO_WRITE, description="What to print when nothing is written yet ('' once it is)."
    )
