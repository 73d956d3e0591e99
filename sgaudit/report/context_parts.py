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
    status: str = Field(
        description="achieved | partly | not_achieved | no_longer_relevant | '' (not reviewed yet)."
    )
    status_label: str = Field(
        description='"Achieved", "Partly achieved", "Not achieved", '
        '"No longer relevant" or "Not reviewed yet".'
    )
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
    then: str = Field(
        description='The theme\'s score last time, e.g. "40 Red (n=23)" (a record '
        "finding: what the records showed)."
    )
    now: str = Field(description="The theme's score now (a record finding: its register now).")
    status: str = Field(description='e.g. "No longer found; theme +11 Better".')


class Opinion(_Model):
    """The overall assurance opinion: proposed by the documented rule, given by the lead
    auditor."""

    level: str = Field(
        description="substantial | reasonable | limited | no (the level given, "
        "or the proposal while not confirmed)."
    )
    label: str = Field(description='e.g. "Limited assurance".')
    definition: str = Field(description="What the level means, in plain words.")
    why: str = Field(description="The findings behind the proposal, in one sentence.")
    proposed_label: str = Field(description="The level sgaudit proposed by its rule.")
    confirmed: bool = Field(description="True once the lead auditor has confirmed it.")
    confirmed_by: str = Field(description="Who confirmed it ('' if not yet).")
    statement: str = Field(
        description="Which level was proposed and which given, and why when they differ."
    )


class BoardIssue(_Model):
    """One of the most serious issues, with where it is felt."""

    text: str = Field(description="The finding as the board reads it.")
    where: str = Field(description="Service areas and tiers affected, in words.")


class BoardSummary(_Model):
    """The one-page summary for the board, before the contents page."""

    opinion: Opinion = Field(description="The assurance opinion.")
    issues: list[BoardIssue] = Field(description="The three most serious issues.")
    questions: list[str] = Field(
        description="Five to eight questions for the board, each tied to a finding of this "
        "audit; with too few findings, the question set's own for the weakest themes."
    )
    progress: str = Field(description="One line on progress since the last audit ('' if none).")
    changes: str = Field(
        "",
        description="The themes that fell or rose since the last audit by at least the "
        "change points, clear of chance, in one sentence ('' if none, or no comparison).",
    )
    areas: str = Field(
        description="The service areas with localised issues, in words ('' if none)."
    )
    no_issues: str = Field(
        "",
        description="Said in place of the serious issues when the audit found none ('' otherwise).",
    )
    limits: str = Field(
        "",
        description="What the opinion could not rest on: the tiers the golden thread could "
        "not be followed through, not heard or too few even pooled (sgaudit.report.coverage; "
        "'' when it reached every tier).",
    )
