"""What is still missing before an audit's report can be final.

    missing_before_final(findings, recommendations, reasons, report_date) -> list[str]
    final_blockers(session, audit) -> list[str]

The report prints the list and stays DRAFT while it is not empty; the workflow
(`sgaudit.issuing`) refuses to make the audit final until it is. The rules:

- every Medium or High finding the board reads has a recommendation (on its theme,
  or naming it), or the auditors' recorded reason why not;
- every recommendation in the action plan has an owner, a due date after the report
  date, a priority and a measure of success;
- at a re-audit, every recommendation carried over from the last audit has been
  reviewed (achieved / partly / not achieved / no longer relevant);
- an action found achieved is not recommended again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from sgaudit.report.context import FindingItem
from sgaudit.report.inputs import RecommendationFacts
from sgaudit.report.words import long_date

# Reviewed as done with: not in this audit's action plan any more.
CLOSED = ("achieved", "no_longer_relevant")
PRIORITIES = ("high", "medium", "low")


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _normal(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


def is_open(rec: RecommendationFacts) -> bool:
    """In this audit's action plan: its own, or carried over and not closed at review."""
    return not (rec.carried_over and rec.review_status in CLOSED)


def missing_before_final(
    findings: Sequence[FindingItem],
    recommendations: Sequence[RecommendationFacts],
    reasons: Mapping[str, str],
    report_date: date,
) -> list[str]:
    """Everything that stops the report being final, one plain sentence each."""
    out: list[str] = []
    open_recs = [r for r in recommendations if is_open(r)]
    keys = {r.finding_key for r in open_recs if r.finding_key}
    themes = {r.theme for r in open_recs}
    for f in findings:
        if f.severity not in ("high", "medium"):
            continue
        if f.key in keys or f.theme_id in themes or reasons.get(f.key, "").strip():
            continue
        out.append(
            f"{f.severity_label} finding on {f.theme} has no recommendation and no recorded "
            f"reason why not: {_short(f.summary)}"
        )
    for r in open_recs:
        name = f"Recommendation \u201c{_short(r.text, 60)}\u201d"
        gaps = []
        if not r.owner.strip():
            gaps.append("an owner")
        if r.due_date is None:
            gaps.append("a due date")
        if r.priority not in PRIORITIES:
            gaps.append("a priority")
        if not r.measure.strip():
            gaps.append("a measure of success")
        if gaps:
            out.append(
                f"{name} needs {', '.join(gaps[:-1]) + ' and ' if len(gaps) > 1 else ''}{gaps[-1]}."
            )
        if r.due_date is not None and r.due_date <= report_date:
            what = "carried over, and needs a new due date" if r.carried_over else "due"
            out.append(
                f"{name} is {what}: its due date ({long_date(r.due_date)}) is not "
                f"after the report date ({long_date(report_date)})."
            )
    for r in recommendations:
        if r.carried_over and not r.review_status:
            out.append(
                f"Recommendation \u201c{_short(r.text, 60)}\u201d from the last audit "
                "has not been reviewed (achieved, partly achieved, not achieved or no "
                "longer relevant)."
            )
    achieved = {
        _normal(r.text) for r in recommendations if r.carried_over and r.review_status == "achieved"
    }
    for r in recommendations:
        if not r.carried_over and _normal(r.text) in achieved:
            out.append(
                f"Recommendation \u201c{_short(r.text, 60)}\u201d was achieved after "
                "the last audit and must not be recommended again."
            )
    return out


def final_blockers(session: Session, audit) -> list[str]:
    """What is missing before `audit` can be made final (empty when nothing is)."""
    from sgaudit.errors import ReportError
    from sgaudit.report.build import report_inputs
    from sgaudit.report.findings_view import reviewed_findings

    try:
        inputs = report_inputs(session, audit.id)
    except ReportError as exc:
        return [str(exc)]
    titles = {t.id: t.title for t in inputs.question_set.themes}
    items = reviewed_findings(inputs.analysis.findings, inputs.reviews, titles)
    return missing_before_final(
        items, inputs.recommendations, inputs.no_recommendation, inputs.report_date
    )
