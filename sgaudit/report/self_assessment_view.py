"""The report's "Self-assessment against the evidence": the organisation's own return
set against what the audit found, theme by theme (docs/analysis.md explains the rules).

Words and layout only: the numbers come from `AuditAnalysis.self_assessment`, which
shows an evidence score only where the audit publishes it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sgaudit import printed
from sgaudit.analysis.result import AuditAnalysis
from sgaudit.analysis.self_assessment import READING_WORDS
from sgaudit.report.words import clean_text

NO_SCORE = "—"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SelfAssessmentRow(_Model):
    """One theme: the organisation's own score against the audit's evidence."""

    theme: str = Field(description="Theme title.")
    self_score: str = Field(description='The self-assessment\'s score, e.g. "80", or "—".')
    evidence_score: str = Field(
        description='The audit\'s published score of the theme, or "—" where it is hidden.'
    )
    difference: str = Field(description='Self-assessment minus evidence, e.g. "+30", or "—".')
    interval: str = Field(description='The interval around the difference, e.g. "+27 to +33".')
    registers: str = Field(
        description='Evidence gaps the registers show on the theme, e.g. "1", or "—".'
    )
    reading: str = Field(description="In words: optimistic, in line, lower or not assessable.")
    optimistic: bool = Field(description="True when this is a self-assessment optimism finding.")


class SelfAssessmentSection(_Model):
    """The organisation's self-assessment against the evidence (None without one)."""

    intro: str = Field(description="What the self-assessment is and how it is compared.")
    rows: list[SelfAssessmentRow] = Field(description="One row per theme it answered.")
    conclusion: str = Field(description="One sentence: the themes rated markedly better.")


def _score(value: float | None) -> str:
    """A score as printed everywhere (`sgaudit.printed`: the whole points reached)."""
    shown = printed.score(value)
    return NO_SCORE if shown is None else str(shown)


def _gap(own: float | None, evidence: float | None) -> str:
    """The gap of the two printed scores, as every gap is printed: "+30", "\u22124"."""
    shown = printed.gap(own, evidence)
    return NO_SCORE if shown is None else printed.signed(shown)


def self_assessment_section(analysis: AuditAnalysis) -> SelfAssessmentSection | None:
    """The section, or None when the audit has no self-assessment."""
    if not analysis.self_assessment:
        return None
    gap = analysis.settings.self_assessment_gap_points
    rows = [
        SelfAssessmentRow(
            theme=clean_text(t.title),
            self_score=_score(t.self_score),
            evidence_score=_score(t.evidence_score),
            difference=_gap(t.self_score, t.evidence_score),
            # the one rule for intervals, as the finding's sentence prints it (sgaudit.printed)
            interval=(
                printed.interval_text(
                    *t.interval, printed.gap(t.self_score, t.evidence_score), sign=True
                )
                if t.interval
                else NO_SCORE
            ),
            registers=str(t.register_gaps) if t.register_gaps else NO_SCORE,
            reading=READING_WORDS[t.reading],
            optimistic=t.reading == "optimistic",
        )
        for t in analysis.self_assessment
    ]
    better = [r.theme for r in rows if r.optimistic]
    if better:
        names = better[0] if len(better) == 1 else ", ".join(better[:-1]) + " and " + better[-1]
        conclusion = (
            f"The organisation rates itself markedly better than the evidence on {names}: "
            "see the findings of those themes."
        )
    else:
        conclusion = (
            "On no theme does the organisation rate itself markedly better than the evidence."
        )
    intro = (
        "Before the audit the organisation completed a self-assessment against the same "
        "questions. It is the organisation's own statement, so it is shown beside the audit's "
        "findings and never counted in any score. Self is the organisation's score of a theme, "
        "Evidence the audit's score of it from everyone we heard, Gap the first less the "
        "second with its interval, and Registers the gaps the organisation's own records show "
        f"on the theme. A gap of at least {gap:.0f} points that is clear of the uncertainty in "
        "the evidence is reported as self-assessment optimism."
    )
    return SelfAssessmentSection(intro=intro, rows=rows, conclusion=conclusion)
