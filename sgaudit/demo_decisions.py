"""The auditors' decisions in the demo: finding reviews, recommendations and their
re-audit review, the four-part analysis and the confirmed opinion, as two auditors
would record them after reading each audit's analysis (the story is data in
`sgaudit.demo_story`). Used by `sgaudit.demo.build_demo`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from sgaudit import demo_recommendations as recommended
from sgaudit import demo_story as story
from sgaudit.analysis.findings import finding_key
from sgaudit.analysis.result import AuditAnalysis
from sgaudit.store import repo
from sgaudit.store.models import Audit, FindingReview, Recommendation

if TYPE_CHECKING:
    from sgaudit.report.inputs import ReportInputs


def _find(analysis: AuditAnalysis, kind: str, theme: str):
    return next((f for f in analysis.findings if f.kind == kind and f.theme == theme), None)


def _review(session: Session, audit: Audit, finding, status: str, summary: str = "") -> None:
    session.add(
        FindingReview(
            audit_id=audit.id, finding_key=finding.key, kind=finding.kind, theme=finding.theme,
            status=status, summary=summary or finding.summary, severity=finding.severity,
            service_areas=list(finding.service_areas), tiers=list(finding.tiers),
            updated_by=story.AUDITORS[0],
        )
    )  # fmt: skip
    repo.log_change(session, status, "finding", finding.key, actor=story.AUDITORS[0],
                    audit_id=audit.id)  # fmt: skip


def baseline_decisions(session: Session, audit: Audit, analysis: AuditAnalysis) -> None:
    reviews = [
        ("systemic", "complaints", "accepted", ""),
        ("localised", "casework", "edited",
         "Casework in Domiciliary Care is markedly weaker than in the other services, "
         "above all out of hours: worries raised at weekends are not reliably escalated."),
        ("thread_break", "culture", "accepted", ""),
    ]  # fmt: skip
    for kind, theme, status, summary in reviews:
        finding = _find(analysis, kind, theme)
        if finding is not None:
            _review(session, audit, finding, status, summary)
    for rec in recommended.RECOMMENDATIONS:
        finding = _find(analysis, rec["kind"], rec["theme"])
        # Evidence gaps come from the registers, attached later: their key is known.
        key = finding.key if finding else finding_key(rec["kind"], rec["theme"], [], [])
        session.add(
            Recommendation(
                audit_id=audit.id, theme=rec["theme"], text=rec["text"],
                priority=rec["priority"], owner=rec["owner"], due_date=rec["due"],
                measure=rec["measure"], finding_key=key,
            )
        )  # fmt: skip
    session.flush()


def _months_ahead(months: int) -> date:
    """The last day of the month `months` after today: a due date after the report date."""
    today = date.today()
    year, month = divmod(today.month - 1 + months + 1, 12)
    return date(today.year + year, month + 1, 1) - timedelta(days=1)


def reaudit_decisions(session: Session, audit: Audit, analysis: AuditAnalysis) -> None:
    given = {(r["theme"], r["text"]): r for r in recommended.RECOMMENDATIONS}
    for rec in repo.list_recommendations(session, audit):
        made = given.get((rec.theme, rec.text))
        if made is None:
            continue
        rec.follow_up = made.get("follow_up", "")
        rec.priority = made.get("reaudit_priority", rec.priority)
        status, evidence, reviewed_on, months = made["review"]
        rec.review_status, rec.review_evidence, rec.reviewed_on = status, evidence, reviewed_on
        if months is not None:
            rec.due_date = _months_ahead(months)
    for new in recommended.REAUDIT_RECOMMENDATIONS:
        session.add(
            Recommendation(
                audit_id=audit.id, theme=new["theme"], text=new["text"],
                priority=new["priority"], owner=new["owner"],
                due_date=_months_ahead(new["months"]), measure=new["measure"],
                finding_key=new.get("finding_key"),
            )
        )  # fmt: skip
    for kind, theme in (("thread_break", "culture"), ("systemic", "complaints")):
        finding = _find(analysis, kind, theme)
        if finding is not None:
            _review(session, audit, finding, "accepted")
    session.add(
        FindingReview(
            audit_id=audit.id, finding_key="auditor:safer_working:lone-working", kind="auditor",
            theme="safer_working", status="added", severity="medium",
            summary="Lone working at Community Hub evening sessions relies on informal text "
            "messages; there is no agreed check-in procedure.",
            service_areas=["Community Hub"], tiers=["front_line"], updated_by=story.AUDITORS[1],
        )
    )  # fmt: skip
    session.flush()


def attach_analysis(session: Session, audit: Audit, which: str, inputs: ReportInputs) -> None:
    """The auditors' four-part analysis of every finding the report shows, and of every
    theme (`sgaudit.demo_findings`, `sgaudit.demo_themes`)."""
    from sgaudit import demo_findings, demo_themes
    from sgaudit.findings_file import audit_subjects
    from sgaudit.store.models import AuditorAnalysis

    themes, findings = audit_subjects(session, audit.id, inputs)

    def write(subject: str, text, by: str, reason: str = "") -> None:
        if text:
            seen, why, impact, helps = text
            session.add(
                AuditorAnalysis(
                    audit_id=audit.id, subject=subject, seen=seen, why=why, impact=impact,
                    helps=helps, no_recommendation_reason=reason, updated_by=by,
                )
            )  # fmt: skip

    for s in themes:
        write(s.subject, demo_themes.theme_analysis(which, s.theme), story.AUDITORS[0])
    for s in findings:
        text = demo_findings.finding_analysis(
            which, s.kind_id, s.theme, s.tier_ids, s.area_names, s.subject
        )
        reason = recommended.NO_RECOMMENDATION.get(which, {}).get((s.kind_id, s.theme), "")
        write(s.subject, text, story.AUDITORS[1], reason)
    session.flush()


def confirm_opinion(session: Session, audit: Audit, inputs: ReportInputs) -> None:
    """The lead auditor confirms the level the rule proposes (stored like any other),
    on the report as it stands once the auditors' analysis is in."""
    from sgaudit.report.assemble import proposed_opinion
    from sgaudit.report.build import with_stored_decisions
    from sgaudit.store.models import AssuranceOpinion

    level = proposed_opinion(with_stored_decisions(session, audit.id, inputs))
    session.add(
        AssuranceOpinion(
            audit_id=audit.id,
            proposed=level,
            given=level,
            reason="",
            confirmed_by=story.AUDITORS[0],
        )
    )
    session.flush()
