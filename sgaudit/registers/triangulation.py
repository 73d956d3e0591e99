"""Evidence gaps: where what people say in interviews and what the records show disagree.

A theme has an evidence gap when one side rates it at or above `weak_score` and the
other below it, and they are at least `evidence_gap_points` apart:

- interviews_higher: interviews >= weak_score, records < weak_score, interviews -
  records >= evidence_gap_points. People believe it works; the records do not show it.
- records_higher: records >= weak_score, interviews < weak_score, records - interviews
  >= evidence_gap_points. The records look sound; people do not experience it.

A theme with no interview score (suppressed or not asked) or no records score (no
register evidences it, or its rates were suppressed) has no gap either way.
"""

from __future__ import annotations

import pandas as pd

from sgaudit import printed
from sgaudit.analysis.findings import Finding, _one
from sgaudit.registers.mapping import indicator_map, settings_from
from sgaudit.registers.models import RegisterIndicators


def triangulate(
    theme_scores: pd.DataFrame, indicators: RegisterIndicators, settings: object = None
) -> pd.DataFrame:
    """Per theme with a records score: interview_score, records_score, gap and direction.

    `theme_scores` has columns theme and score (0-100, NaN when suppressed). direction
    is interviews_higher | records_higher | None (no evidence gap).
    """
    s = settings_from(settings if settings is not None else indicators.settings)
    records = indicators.records_scores_frame()
    interviews = theme_scores[["theme", "score"]].rename(columns={"score": "interview_score"})
    both = records.merge(interviews, on="theme", how="left")
    both["interview_score"] = pd.to_numeric(both["interview_score"], errors="coerce").astype(float)
    both["records_score"] = both["records_score"].astype(float)
    both["gap"] = both["interview_score"] - both["records_score"]
    weak = s.weak_score
    interviews_good = both["interview_score"] >= weak
    records_good = both["records_score"] >= weak
    interviews_weak = both["interview_score"] < weak
    records_weak = both["records_score"] < weak
    higher = interviews_good & records_weak & (both["gap"] >= s.evidence_gap_points)
    lower = records_good & interviews_weak & (-both["gap"] >= s.evidence_gap_points)
    both["direction"] = None
    both.loc[higher, "direction"] = "interviews_higher"
    both.loc[lower, "direction"] = "records_higher"
    return both


def _title(theme: str, titles: dict[str, str]) -> str:
    return titles.get(theme) or theme.replace("_", " ").capitalize()


def evidence_gaps(
    theme_scores: pd.DataFrame,
    indicators: RegisterIndicators,
    settings: object = None,
    titles: dict[str, str] | None = None,
) -> list[Finding]:
    """One `evidence_gap` Finding per theme where interviews and records disagree (see module doc).

    `theme_scores`: columns theme, score (the organisation-wide interview score, 0-100,
    NaN if suppressed) and optionally title. `settings`: RegisterSettings, the question
    set's AnalysisSettings, or None for the indicators' own settings.
    Severity: interviews higher (false assurance) is high when the gap is at least twice
    evidence_gap_points, else medium; records higher is medium or low the same way.
    """
    s = settings_from(settings if settings is not None else indicators.settings)
    titles = dict(titles or {})
    if "title" in theme_scores.columns:
        titles = {**dict(zip(theme_scores["theme"], theme_scores["title"], strict=False)), **titles}
    table = triangulate(theme_scores, indicators, s)
    gaps = table[table["direction"].notna()]
    scores = {x.id: x for x in indicators.scores}
    questions = indicator_map().evidence_gap_questions
    findings = []
    for row in gaps.to_dict("records"):  # one per flagged theme, not per response
        theme, direction = row["theme"], row["direction"]
        # printed as every other score (sgaudit.printed), the gap as their difference
        interview = printed.score(row["interview_score"]) or 0
        records = printed.score(row["records_score"]) or 0
        size = abs(row["gap"])
        shown_gap = abs(interview - records)
        used = [scores[i] for i in row["indicators"] if i in scores]
        if direction == "interviews_higher":
            shown = sorted(used, key=lambda x: x.score)[:3]
            severity = "high" if size >= 2 * s.evidence_gap_points else "medium"
            lead = (
                f"{_title(theme, titles)}: interviews rate this {interview} out of 100, "
                f"but the records score {records} ({shown_gap} points lower)."
            )
        else:
            shown = sorted(used, key=lambda x: -x.score)[:3]
            severity = "medium" if size >= 2 * s.evidence_gap_points else "low"
            lead = (
                f"{_title(theme, titles)}: the records score {records} out of 100, "
                f"but interviews rate this {interview} ({shown_gap} points lower)."
            )
        what = " ".join(f"{x.detail}." for x in shown)
        evidence: dict = {
            "direction": direction,
            "interview_score": _one(row["interview_score"]),
            "records_score": _one(row["records_score"]),
            "gap_points": _one(size),
            "weak_score": s.weak_score,
            "evidence_gap_points": s.evidence_gap_points,
            "weak_codes": ", ".join(row["weak_codes"]),
        }
        evidence.update({f"indicator:{x.id}": x.score for x in used})
        findings.append(
            Finding(
                kind="evidence_gap",
                theme=theme,
                severity=severity,
                summary=f"{lead} Records: {what}".strip(),
                evidence=evidence,
                questions_to_consider=list(questions.get(direction, ())),
            )
        )
    return findings
