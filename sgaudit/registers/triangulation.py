"""Evidence gaps: where what people say in interviews and what the records show disagree.

A theme has an evidence gap when one side rates it at or above `weak_score` and the
other below it, and they are at least `evidence_gap_points` apart:

- interviews_higher: interviews >= weak_score, records < weak_score, interviews -
  records >= evidence_gap_points. People believe it works; the records do not show it.
- records_higher: records >= weak_score, interviews < weak_score, records - interviews
  >= evidence_gap_points. The records look sound; people do not experience it.

A theme with no interview score (suppressed or not asked) or no records score (no
register evidences it, or its rates were suppressed) has no gap either way.

How sure: the records score is each register read whole, as the organisation keeps
it, so it has no interval of its own; the interview score has, from who happened to
be heard (`sgaudit.analysis.against_fixed`). Given those `tests`, the comparisons of an
audit are judged as a family of their own through the false-flag control, as the
self-assessment's are: a gap is a finding when it is also clear of the noise, and
worth exploring when it is as large but not; each carries its difference (interviews
minus records), interval and people heard.
"""

from __future__ import annotations

import pandas as pd

from sgaudit import printed
from sgaudit.analysis.against_fixed import fixed_comparisons
from sgaudit.analysis.findings import Finding, _one
from sgaudit.analysis.flags import FINDING, TOO_FEW, WORTH, decide
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.registers.mapping import indicator_map, settings_from
from sgaudit.registers.models import RegisterIndicators

DEFAULT_FALSE_FLAG_RATE: float = AnalysisSettings.model_fields["false_flag_rate"].default


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
    tests: pd.DataFrame | None = None,
) -> list[Finding]:
    """One `evidence_gap` Finding per theme where interviews and records disagree (see module doc).

    `theme_scores`: columns theme, score (the organisation-wide interview score, 0-100,
    NaN if suppressed) and optionally title. `settings`: RegisterSettings, the question
    set's AnalysisSettings, or None for the indicators' own settings.
    `tests`: the interview score against each theme's records score
    (`against_fixed.evidence_against` with the records score as `fixed`); with them,
    each gap says how sure it is, and one as large but not clear of the noise is worth
    exploring (`certainty`), not a finding.
    Severity: interviews higher (false assurance) is high when the gap is at least twice
    evidence_gap_points, else medium; records higher is medium or low the same way.
    """
    s = settings_from(settings if settings is not None else indicators.settings)
    judged = _judged(tests, s, settings)
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
        test = judged.get(theme) if judged is not None else None
        if judged is not None and (test is None or test.status not in (FINDING, WORTH)):
            continue  # no interval to judge it by: nothing is said of it
        sure = _how_sure(test, interview - records, direction)
        if direction == "interviews_higher":
            shown = sorted(used, key=lambda x: x.score)[:3]
            severity = "high" if size >= 2 * s.evidence_gap_points else "medium"
            lead = (
                f"{_title(theme, titles)}: interviews rate this {interview} out of 100, "
                f"but the records score {records} ({shown_gap} points lower{sure})."
            )
        else:
            shown = sorted(used, key=lambda x: -x.score)[:3]
            severity = "medium" if size >= 2 * s.evidence_gap_points else "low"
            lead = (
                f"{_title(theme, titles)}: the records score {records} out of 100, "
                f"but interviews rate this {interview} ({shown_gap} points lower{sure})."
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
                **_certainty(test),
            )
        )
    return findings


def _judged(tests: pd.DataFrame | None, s, settings: object) -> dict | None:
    """Per theme, its comparison judged by the false-flag control (None without tests):
    every theme with both scores is one comparison of the family, interviews minus
    records, a finding either way (`sign` 0) at `evidence_gap_points`."""
    if tests is None:
        return None
    if tests.empty:
        return {}
    comps = fixed_comparisons(
        tests, "evidence_gap", s.evidence_gap_points, fixed_first=False, sign=0
    )
    rate = getattr(settings, "false_flag_rate", DEFAULT_FALSE_FLAG_RATE)
    method = getattr(settings, "false_flag_method", "flags")
    judged = decide(comps, rate, method)
    return {str(r.theme): r for r in judged.itertuples(index=False)}


def _how_sure(test, shown: int, direction: str) -> str:
    """'; interval 35 to 43; the organisation's own records against 135 people heard'
    for the gap as printed (a positive number of points lower), '' without a test."""
    if test is None:
        return ""
    flip = -1.0 if direction == "records_higher" else 1.0
    low, high = sorted((flip * test.low, flip * test.high))
    return (
        f"; interval {printed.interval_text(low, high, abs(shown))}; "
        f"the organisation's own records against {int(test.n_a)} people heard"
    )


def _certainty(test) -> dict:
    """The "how sure" fields of an evidence gap: interviews minus records, its interval,
    the people heard (the records are the whole register: no n of a sample)."""
    if test is None:
        return {}
    return {
        "certainty": test.status,
        "certainty_note": "" if test.status == FINDING else TOO_FEW,
        "difference": _one(test.diff),
        "interval": (_one(test.low), _one(test.high)),
        "interval_level": _one(test.level, 4),
        "n_group": int(test.n_a),
        "compared_with": "the organisation's own records",
    }
