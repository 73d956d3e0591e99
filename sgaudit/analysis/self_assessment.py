"""The organisation's self-assessment against what the audit found, theme by theme.

Before the audit the organisation's lead answers the question set for the
organisation (tier `self_assessment`): the challenge step of a Section 11 audit. It is
the organisation's own statement, one respondent, so it is kept out of everything
else (`AuditData` moves it aside on construction) and read only here:

- **Its score** on a theme is the weighted average of its scored answers to the
  theme's questions, scored as any answer is.
- **The evidence score** is the audit's published organisation-wide score of the
  theme (every other tier, after suppression). When that cell is hidden there is no
  comparison: setting a shown number against it would give it away.
- **The difference** is self-assessment minus evidence. The self-assessment is a
  statement, not a sample, so the uncertainty is the evidence's alone: how much the
  organisation-wide score could move with who happened to be heard (the same
  respondent-level interval as a systemic call against the weak score).
- **Self-assessment optimism** is a difference of at least
  `self_assessment_gap_points` that is clear of the noise after the false-flag
  control. These comparisons are judged as a family of their own, so a
  self-assessment never changes whether any other difference is a finding.
- Registers bear on a theme through its evidence-gap findings: they are counted
  beside the theme and named in an optimism finding's summary.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from sgaudit import printed
from sgaudit.analysis.against_fixed import evidence_against, fixed_comparisons
from sgaudit.analysis.findings import (
    Finding,
    _num,
    _one,
    _raise,
    severity_from_ratio,
)
from sgaudit.analysis.flags import FINDING, TOO_FEW, WORTH, decide
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.scoring import score_responses, theme_titles
from sgaudit.analysis.thread import COMPARISON_COLUMNS

OPTIMISM = "self_assessment_optimism"
Reading = Literal["optimistic", "worth_exploring", "in_line", "lower", "not_assessable"]
READING_WORDS: dict[str, str] = {
    "optimistic": "Markedly better than the evidence",
    "worth_exploring": "Better; too few heard to be sure",
    "in_line": "In line with the evidence",
    "lower": "Lower than the evidence",
    "not_assessable": "Not assessable: no evidence score shown",
}


class SelfAssessmentTheme(BaseModel):
    """One theme: the organisation's own score against the audit's evidence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    theme: str
    title: str
    self_score: float | None = None
    self_answers: int = 0
    evidence_score: float | None = None
    evidence_n: int | None = None
    difference: float | None = None
    interval: tuple[float, float] | None = None
    interval_level: float | None = None
    register_gaps: int = 0
    reading: Reading = "not_assessable"

    def to_json_dict(self) -> dict:
        """Scores and the difference to 1 decimal, like every score in the JSON."""
        out = self.model_dump(mode="json")
        for name in ("self_score", "evidence_score", "difference"):
            out[name] = _one(out[name])
        if out["interval"] is not None:
            out["interval"] = [_one(v) for v in out["interval"]]
        return out


def own_scores(tables: ScoreTables) -> pd.DataFrame:
    """theme, self_score, self_answers: the self-assessment's score per theme it answered."""
    own = tables.data.self_assessment
    if own is None or own.empty:
        return pd.DataFrame(columns=["theme", "self_score", "self_answers"])
    scored = score_responses(tables.data, own)
    scored = scored[(scored["kind"] == "scored").to_numpy()]
    frame = pd.DataFrame(
        {
            "theme": scored["theme"].astype(str).to_numpy(),
            "y": (scored["score"] * scored["weight"]).to_numpy(dtype=float),
            "w": scored["weight"].to_numpy(dtype=float),
        }
    )
    sums = frame.groupby("theme", sort=False).agg(y=("y", "sum"), w=("w", "sum"), k=("w", "size"))
    sums = sums[sums["w"] > 0]
    return pd.DataFrame(
        {
            "theme": sums.index.astype(str),
            "self_score": (sums["y"] / sums["w"]).to_numpy(dtype=float),
            "self_answers": sums["k"].to_numpy(dtype=int),
        }
    )


def self_assessment_comparisons(tables: ScoreTables, own: pd.DataFrame) -> pd.DataFrame:
    """Per theme with both a self score and a shown evidence score: self minus evidence.

    score_a is the self-assessment (n_a 1: one statement), score_b the evidence (n_b
    its people); se is the evidence score's alone (`evidence_against`).
    """
    test = evidence_against(tables, own.rename(columns={"self_score": "fixed"}))
    if test.empty:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    threshold = tables.settings.self_assessment_gap_points
    return fixed_comparisons(test, OPTIMISM, threshold, fixed_first=True, sign=1)


def _reading(row, threshold: float) -> str:
    if row.status == FINDING:
        return "optimistic"
    if row.status == WORTH:
        return "worth_exploring"
    if bool(row.clear) and row.diff <= -threshold:
        return "lower"
    return "in_line"


def compare_self_assessment(
    tables: ScoreTables, register_findings: list[Finding] | tuple[Finding, ...] = ()
) -> tuple[list[SelfAssessmentTheme], list[Finding]]:
    """The theme-by-theme table and the optimism findings (clear and worth exploring).

    Empty when the audit has no self-assessment. `register_findings` are the audit's
    evidence-gap findings; those on a theme are counted beside it.
    """
    own = own_scores(tables)
    if own.empty:
        return [], []
    s = tables.settings
    titles = theme_titles(tables.data)
    gaps = pd.Series([f.theme for f in register_findings if f.kind == "evidence_gap"])
    gaps_by_theme = gaps.value_counts().to_dict() if len(gaps) else {}
    comps = self_assessment_comparisons(tables, own)
    judged = decide(comps, s.false_flag_rate, s.false_flag_method) if len(comps) else comps
    by_theme = {str(r.theme): r for r in judged.itertuples(index=False)}
    own_by_theme = {str(r.theme): r for r in own.itertuples(index=False)}
    rows: list[SelfAssessmentTheme] = []
    found: list[Finding] = []
    for theme, title in titles.items():
        mine = own_by_theme.get(theme)
        if mine is None:
            continue
        row = by_theme.get(theme)
        n_gaps = int(gaps_by_theme.get(theme, 0))
        if row is None:
            rows.append(
                SelfAssessmentTheme(
                    theme=theme,
                    title=title,
                    self_score=float(mine.self_score),
                    self_answers=int(mine.self_answers),
                    register_gaps=n_gaps,
                )
            )
            continue
        reading = _reading(row, s.self_assessment_gap_points)
        interval = (float(row.low), float(row.high)) if np.isfinite(row.low) else None
        rows.append(
            SelfAssessmentTheme(
                theme=theme,
                title=title,
                self_score=float(row.score_a),
                self_answers=int(mine.self_answers),
                evidence_score=float(row.score_b),  # the published score, unrounded
                evidence_n=int(row.n_b),
                difference=float(row.diff),
                interval=interval,
                interval_level=_one(row.level, 4),
                register_gaps=n_gaps,
                reading=reading,
            )
        )
        if reading in ("optimistic", "worth_exploring"):
            found.append(_finding(row, title, n_gaps, s, tables))
    return rows, found


def _finding(row, title: str, n_gaps: int, s, tables: ScoreTables) -> Finding:
    """A self-assessment optimism finding (or one worth exploring) from a judged row."""
    gap = printed.gap(row.score_a, row.score_b)  # the gap of the printed scores (one rule)
    registers = (
        f" The registers also show {n_gaps} evidence gap{'s' if n_gaps != 1 else ''} on this theme."
        if n_gaps
        else ""
    )
    summary = (
        f"The organisation's self-assessment rates {title} {gap} points higher than the "
        f"audit's evidence ({_num(row.score_a)} vs {_num(row.score_b)}; difference "
        f"{gap} points, interval {printed.interval_text(row.low, row.high, gap)}; the "
        f"organisation's own statement against {int(row.n_b)} people heard).{registers}"
    )
    severity = severity_from_ratio(row.diff, s.self_assessment_gap_points)
    if row.score_b < s.weak_score or n_gaps:
        severity = _raise(severity)  # confident about a theme the evidence says is weak
    return Finding(
        kind=OPTIMISM,
        theme=str(row.theme),
        severity=severity,
        summary=summary,
        evidence={
            "self_score": _one(row.score_a),
            "evidence_score": _one(row.score_b),
            "gap": _one(row.diff),
            "evidence_n": int(row.n_b),
            "register_evidence_gaps": n_gaps,
        },
        questions_to_consider=list(tables.data.questions_to_consider.get(str(row.theme), [])),
        certainty=row.status,
        certainty_note="" if row.status == FINDING else TOO_FEW,
        difference=_one(row.diff),
        interval=(_one(row.low), _one(row.high)),
        interval_level=_one(row.level, 4),
        n_group=1,
        n_compared=int(row.n_b),
        compared_with="the audit's evidence",
    )
