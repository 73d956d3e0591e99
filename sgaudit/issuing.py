"""Review and issue: what the second auditor must sign off, and making an audit final.

Above the store and the report: the items to review are the findings the board will
read (after the auditors' own review), the analysis and the recommendations; making
an audit final stores the report's whole content and its template with the version,
so that version's report can be produced again exactly, whatever changes later.

    review_items(session, audit) -> list[ReviewItem]
    final_blockers_for(session, audit, items) -> list[str]
    finalise(session, audit_id, actor=..., template=None) -> AuditIssue
    issued_context(session, audit_id, version=None) -> ReportContext
    reissue_report(session, audit_id, version, out_path) -> Path
    issued_report_bytes(session, audit_id, version=None) -> bytes
"""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.errors import ReportError
from sgaudit.store import workflow
from sgaudit.store.models import Audit, AuditIssue
from sgaudit.store.repo import get_audit


@dataclass(frozen=True)
class ReviewItem:
    """One thing the second auditor signs off: a finding, the analysis, the recommendations."""

    key: str
    kind: str  # finding | analysis | recommendations
    label: str


def review_items(session: Session, audit: Audit) -> list[ReviewItem]:
    """Every finding the report would print, then the analysis and the recommendations."""
    from sgaudit.report.build import report_inputs
    from sgaudit.report.findings_view import reviewed_findings

    items: list[ReviewItem] = []
    try:
        inputs = report_inputs(session, audit.id)
    except ReportError:
        inputs = None  # no answers yet: nothing found, but the rest is still reviewed
    if inputs is not None:
        titles = {t.id: t.title for t in inputs.question_set.themes}
        for f in reviewed_findings(inputs.analysis.findings, inputs.reviews, titles):
            items.append(ReviewItem(f.key, "finding", f"{f.theme}: {f.summary}"))
    items.append(
        ReviewItem(
            workflow.ANALYSIS_ITEM, "analysis", "The analysis (theme scores, golden thread, method)"
        )
    )
    items.append(
        ReviewItem(
            workflow.RECOMMENDATIONS_ITEM, "recommendations", "The recommendations and action plan"
        )
    )
    return items


def _report_blockers(session: Session, audit: Audit) -> list[str]:
    """What the report's own readiness check finds missing (when that check is present)."""
    try:
        readiness = importlib.import_module("sgaudit.report.readiness")
    except ModuleNotFoundError:
        return []
    return [str(b) for b in readiness.final_blockers(session, audit)]


def _moderation_blockers(session: Session, audit: Audit) -> list[str]:
    from sgaudit.store.moderation import open_moderation_items

    waiting = len(open_moderation_items(session, audit))
    if not waiting:
        return []
    return [
        f"{printed.count(waiting, 'double-scored item')} still "
        f"{'waits' if waiting == 1 else 'wait'} for moderation by the lead auditor"
    ]


def final_blockers_for(session: Session, audit: Audit, items: list[ReviewItem]) -> list[str]:
    """Everything that stops the audit being made final, in plain words."""
    out = []
    unsigned = workflow.unsigned_items(session, audit, [i.key for i in items])
    labels = {i.key: i.label for i in items}
    for key in unsigned:
        out.append(f"not signed off by the second auditor: {labels[key]}")
    out += _moderation_blockers(session, audit)
    out += _report_blockers(session, audit)
    return out


def finalise(
    session: Session, audit_id: int | str, *, actor: str, template: str | Path | None = None
) -> AuditIssue:
    """The lead auditor confirms the audit as final: locked, and this version stored.

    Refused (nothing changes) while anything is unsigned or unresolved. The report's
    content at this moment and its template are kept with the version.
    """
    from sgaudit.report.build import build_report_context
    from sgaudit.report.render import default_template_path

    audit = get_audit(session, audit_id)
    items = review_items(session, audit)
    template_bytes = Path(template or default_template_path()).read_bytes()

    # A re-audit's issued report carries the change since the audit it re-audits, as the
    # Report page's report does by default: one board report per issued version.
    compare_to = audit.previous_audit_id

    def snapshot() -> dict:
        return build_report_context(session, audit.id, compare_to).model_dump(mode="json")

    return workflow.issue_version(
        session,
        audit,
        actor=actor,
        blockers=final_blockers_for(session, audit, items),
        snapshot=snapshot,
        template=template_bytes,
    )


def _kept(issue: AuditIssue, audit: Audit, version: str) -> AuditIssue:
    if issue.report_context is None or issue.template is None:
        raise ReportError(
            f"version {version} of audit {audit.id} was made final before sgaudit kept issued "
            "reports, so it cannot be produced again"
        )
    return issue


def issued_context(session: Session, audit_id: int | str, version: str | None = None):
    """The content of an issued version's report as it was issued (the current
    version of a final audit when `version` is None); needs `download_report`.

    What the Report page shows of a final audit, so everyone who may read the board
    report reads the one that was issued, not a report made again for them.
    """
    from sgaudit.report.context import ReportContext

    audit = get_audit(session, audit_id)
    version = version or audit.version
    issue = _kept(workflow.issued_version(session, audit, version), audit, version)
    return ReportContext.model_validate(issue.report_context)


def reissue_report(
    session: Session, audit_id: int | str, version: str, out_path: str | Path
) -> Path:
    """Write the report of an issued version exactly as it was issued."""
    from sgaudit.report.context import ReportContext
    from sgaudit.report.render import render_report
    from sgaudit.store.trail import open_for

    audit = open_for(session, "download_report", audit_id)  # checked and recorded
    issue = _kept(workflow.issued_version(session, audit, version), audit, version)
    context = ReportContext.model_validate(issue.report_context)
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "issued-template.docx"
        template.write_bytes(issue.template)
        return render_report(context, out_path, template=template)


def issued_report_bytes(session: Session, audit_id: int | str, version: str | None = None) -> bytes:
    """The Word document of an issued version (the current version of a final audit when
    `version` is None), exactly as issued; the download is checked and recorded."""
    audit = get_audit(session, audit_id)
    with tempfile.TemporaryDirectory() as tmp:
        path = reissue_report(session, audit.id, version or audit.version, Path(tmp) / "r.docx")
        return path.read_bytes()
