"""The report from the store: read an audit, analyse it, apply the auditors' reviews.

    build_report_context(session, audit_id, compare_to=None) -> ReportContext
    render_report(context, out_path, template=None, charts=True) -> Path  (report.render)
    generate_report(session, audit_id, out_path, compare_to=None, template=None, pdf=False)

`generate_report` is the one call the CLI and the app make.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.analysis.compare import compare_audits
from sgaudit.analysis.findings import Finding
from sgaudit.analysis.result import analyse
from sgaudit.analysis.scores import ScoreTables
from sgaudit.errors import ReportError
from sgaudit.report import evidence as register_evidence
from sgaudit.report.agreement_view import AgreementFacts, VersionFacts
from sgaudit.report.assemble import assemble_context
from sgaudit.report.context import ReportContext
from sgaudit.report.findings_view import Review, reviewed_findings
from sgaudit.report.inputs import AuditFacts, RecommendationFacts, ReportInputs
from sgaudit.store.audits import check_comparable
from sgaudit.store.frames import load_audit_data
from sgaudit.store.models import Audit, Recommendation
from sgaudit.store.repo import (
    assurance_opinion,
    audit_question_set,
    auditor_analyses,
    finding_reviews,
    get_audit,
    list_recommendations,
    no_recommendation_reasons,
)


def audit_facts(audit: Audit) -> AuditFacts:
    from sqlalchemy.orm import object_session

    from sgaudit.store.workflow import report_version

    session = object_session(audit)
    return AuditFacts(
        organisation=audit.organisation.name,
        title=audit.title,
        start_date=audit.start_date,
        end_date=audit.end_date,
        auditors=tuple(a for a in (audit.auditor_1, audit.auditor_2) if a),
        scope=audit.scope,
        status=audit.status,
        service_areas=tuple(audit.organisation.area_names),
        version=report_version(session, audit) if session is not None else audit.version,
    )


def audit_reviews(session: Session, audit: Audit) -> dict[str, Review]:
    return {
        key: Review(
            finding_key=key,
            status=r.status,
            kind=r.kind,
            theme=r.theme,
            summary=r.summary or "",
            severity=r.severity or "medium",
            service_areas=tuple(r.service_areas or ()),
            tiers=tuple(r.tiers or ()),
        )
        for key, r in finding_reviews(session, audit).items()
    }


def findings_as_reviewed(session: Session, audit: Audit, findings: Sequence[Finding]):
    """The audit's findings as the report prints them (`reviewed_findings`): dismissed
    ones left out, reworded ones in the auditors' words, the auditors' own included.

    `findings` are the analysis's (for the app, the analysis the reader may see). What a
    board reader sees of the findings anywhere (the Dashboard too), so it is always the
    report's list; needs `view_findings`.
    """
    return reviewed_findings(findings, audit_reviews(session, audit), _titles(audit))


def worth_exploring_as_reviewed(session: Session, audit: Audit, analysis):
    """The audit's items worth exploring as the report prints them
    (`kept_worth_exploring`: one the auditors left out is gone, one reworded is in their
    words). What a board reader sees of them anywhere; needs `view_findings`."""
    from sgaudit.report.unsettled import kept_worth_exploring

    return kept_worth_exploring(analysis, audit_reviews(session, audit), _titles(audit))


def _titles(audit: Audit) -> dict[str, str]:
    """The audit's theme titles by id, as the report prints them."""
    from sgaudit.report.words import clean_text

    return {t.id: clean_text(t.title) for t in audit_question_set(audit).themes}


def audit_recommendations(session: Session, audit: Audit) -> list[RecommendationFacts]:
    recs = list_recommendations(session, audit)
    carried_ids = [r.carried_from_id for r in recs if r.carried_from_id]
    previous_due = (
        dict(
            session.execute(
                select(Recommendation.id, Recommendation.due_date).where(
                    Recommendation.id.in_(carried_ids)
                )
            ).all()
        )
        if carried_ids
        else {}
    )
    return [
        RecommendationFacts(
            id=r.id,
            theme=r.theme or "",
            text=r.text,
            priority=r.priority or "medium",
            owner=r.owner or "",
            due_date=r.due_date,
            carried_over=r.carried_from_id is not None,
            follow_up=r.follow_up or "",
            finding_key=r.finding_key,
            measure=r.measure or "",
            review_status=r.review_status or "",
            review_evidence=r.review_evidence or "",
            reviewed_on=r.reviewed_on,
            previous_due=previous_due.get(r.carried_from_id),
        )
        for r in recs
    ]


def agreement_facts(session: Session, audit: Audit) -> AgreementFacts | None:
    """The overall agreement of the double-scored interviews (None when there are none)."""
    from sgaudit.store.moderation import audit_agreement

    agreement = audit_agreement(session, audit)
    if agreement.interviews == 0:
        return None
    overall = agreement.overall
    return AgreementFacts(
        interviews=agreement.interviews,
        items=int(overall.get("items", 0)),
        percent_agreement=overall.get("percent_agreement"),
        kappa=overall.get("kappa"),
        alpha=overall.get("alpha"),
        moderated=agreement.moderated,
    )


def version_facts(session: Session, audit: Audit) -> list[VersionFacts]:
    from sgaudit.store.workflow import issued_versions

    return [
        VersionFacts(v.version, v.issued_at.date(), v.issued_by, v.reviewed_by, v.reason)
        for v in issued_versions(session, audit)
    ]


def report_inputs(
    session: Session,
    audit_id: int | str,
    compare_to: int | str | None = None,
    report_date: date | None = None,
) -> ReportInputs:
    """Everything the report needs, read from the store and analysed."""
    audit = get_audit(session, audit_id)
    data = load_audit_data(session, audit.id)
    if data.responses.empty:
        raise ReportError(
            f"audit {audit.id} ({audit.title}) has no answers yet, so there is nothing to report"
        )
    # One build of the score tables per audit, shared by the register evidence, the
    # analysis, the comparison and the report's sections (built from this command's
    # reading of the store, so never stale).
    tables = ScoreTables.build(data)
    evidence = register_evidence.for_audit(session, audit, data, tables)
    analysis = analyse(data, evidence.findings if evidence else (), tables=tables)
    previous = previous_data = comparison = None
    previous_reviews: dict[str, Review] = {}
    if compare_to is not None and str(compare_to).strip() != "":
        before = get_audit(session, compare_to)
        check_comparable(before, audit, ReportError)
        previous_data = load_audit_data(session, before.id)
        if previous_data.responses.empty:
            raise ReportError(f"audit {before.id} ({before.title}) has no answers to compare with")
        previous_tables = ScoreTables.build(previous_data)
        before_evidence = register_evidence.for_audit(
            session, before, previous_data, previous_tables
        )
        before_gaps = before_evidence.findings if before_evidence else ()
        comparison = compare_audits(
            previous_data,
            data,
            before_gaps,
            evidence.findings if evidence else (),
            old_tables=previous_tables,
            new_tables=tables,
            new_analysis=analysis,
        )
        previous = audit_facts(before)
        previous_reviews = audit_reviews(session, before)
    return ReportInputs(
        audit=audit_facts(audit),
        question_set=audit_question_set(audit),
        data=data,
        analysis=analysis,
        reviews=audit_reviews(session, audit),
        recommendations=audit_recommendations(session, audit),
        previous=previous,
        previous_data=previous_data,
        previous_reviews=previous_reviews,
        comparison=comparison,
        evidence=evidence.section if evidence else None,
        evidence_by_theme=evidence.theme_lines if evidence else {},
        indicators=evidence.indicators if evidence else None,
        report_date=report_date or date.today(),
        agreement=agreement_facts(session, audit),
        versions=version_facts(session, audit),
        analyses=auditor_analyses(session, audit),
        no_recommendation=no_recommendation_reasons(session, audit),
        opinion=assurance_opinion(session, audit),
        tables=tables,
        register_rows=register_row_counts(session, audit) if evidence else {},
    )


def with_stored_decisions(
    session: Session, audit_id: int | str, inputs: ReportInputs
) -> ReportInputs:
    """`inputs` with the auditors' decisions read from the store again (reviews,
    recommendations, their analyses and reasons, the opinion, double scoring, versions).

    For a caller that records decisions between two uses of one audit's report inputs
    (the demo): the answers, the analysis and the register evidence do not depend on
    them, so they are not worked out again.
    """
    from dataclasses import replace

    audit = get_audit(session, audit_id)
    return replace(
        inputs,
        reviews=audit_reviews(session, audit),
        recommendations=audit_recommendations(session, audit),
        agreement=agreement_facts(session, audit),
        versions=version_facts(session, audit),
        analyses=auditor_analyses(session, audit),
        no_recommendation=no_recommendation_reasons(session, audit),
        opinion=assurance_opinion(session, audit),
    )


def build_report_context(
    session: Session, audit_id: int | str, compare_to: int | str | None = None
) -> ReportContext:
    """The report's context for an audit (optionally compared with an earlier one).

    Dismissed findings are left out, edited ones use the auditors' wording, and the
    auditors' own findings are included. Raises NotFound for an unknown audit and
    ReportError for one that cannot be reported on.
    """
    return assemble_context(report_inputs(session, audit_id, compare_to))


def generate_report(
    session: Session,
    audit_id: int | str,
    out_path: str | Path,
    compare_to: int | str | None = None,
    template: str | Path | None = None,
    pdf: bool = False,
) -> Path:
    """Write the board report and return its path (the PDF's when `pdf`).

    `out_path` ends in .docx; with `pdf=True` (or an `out_path` ending in .pdf) the Word
    report is written too, beside the PDF, and converted with LibreOffice.
    """
    from sgaudit.report.pdf import convert_to_pdf
    from sgaudit.report.render import render_report
    from sgaudit.store.trail import open_for

    out = Path(out_path)
    if out.suffix.lower() == ".pdf":
        pdf, out = True, out.with_suffix(".docx")
    open_for(session, "download_report", audit_id)  # checked and recorded
    context = build_report_context(session, audit_id, compare_to)
    docx = render_report(context, out, template=template)
    return convert_to_pdf(docx) if pdf else docx


def register_row_counts(session, audit) -> dict[str, int]:
    """Records read per register, by the register's label ("Training and CPD register")."""
    from sgaudit.registers.schema import REGISTER_LABELS
    from sgaudit.store.evidence import register_row_counts as stored_counts

    return {REGISTER_LABELS.get(kind, kind): n for kind, n in stored_counts(session, audit).items()}
