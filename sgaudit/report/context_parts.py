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


class ProgressRow(_Model):
    """One recommendation of the last audit, as reviewed at this one."""

    text: str = Field(description="The recommendation as made last time.")
    theme: str = Field(description="Theme title.")
    due_then: str = Field(description="When it was due at the last audit.")
    status: str = Field(description="achieved | partly | not_achieved | no_longer_relevant | "
                        "'' (not reviewed yet).")
    status_label: str = Field(description='"Achieved", "Partly achieved", "Not achieved", '
                              '"No longer relevant" or "Not reviewed yet".')
    evidence: str = Field(description="The evidence for the status.")
    reviewed_on: str = Field(description="When it was reviewed.")
    due_now: str = Field(description="Its new due date when carried over again ('' if closed).")
    action: str = Field(description="Its number in this action plan, e.g. \"3\" ('' if closed).")


class ProgressSection(_Model):
    """Progress on the last audit's recommendations (re-audits only)."""

    summary: str = Field(description="One line: how many achieved, partly, not achieved.")
    rows: list[ProgressRow] = Field(description="One row per recommendation of the last audit.")


class ResolvedRow(_Model):
    """A finding of the last audit not found this time."""

    finding: str = Field(description="What was found last time, in short.")
    then: str = Field(description="The theme's score last time, e.g. \"40 Red (n=23)\".")
    now: str = Field(description="The theme's score now.")
    status: str = Field(description='e.g. "No longer found; theme +11 Better".')
