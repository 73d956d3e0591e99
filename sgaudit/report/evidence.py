"""What the organisation's own registers show, as the report's evidence section.

The indicators and evidence-gap findings come from the store's one evidence seam
(`sgaudit.store.evidence.audit_evidence`), so the report, the CLI and the app agree;
this module only puts them into the report's words. Rates over fewer than
`suppression_min` people are blank in the indicators themselves, so nothing here can
show a small group's rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import Finding
from sgaudit.analysis.scoring import theme_titles
from sgaudit.registers import REGISTER_LABELS, RegisterIndicators
from sgaudit.report.context import EvidenceItem, EvidenceSection, TrainingRow
from sgaudit.report.findings_view import finding_item
from sgaudit.report.words import clean_text
from sgaudit.store.evidence import audit_evidence
from sgaudit.store.models import Audit


@dataclass(frozen=True)
class AuditEvidence:
    """The evidence section of one audit and the evidence-gap findings it adds."""

    section: EvidenceSection
    findings: tuple[Finding, ...] = ()
    indicators: RegisterIndicators | None = None
    theme_lines: dict[str, list[EvidenceItem]] = field(default_factory=dict)


def _compliant(shown: str, suppressed: bool) -> str:
    """The share meeting the requirement in the report's words: "Suppressed" for a figure
    hidden (a small group, or one whose figure the others would give away), as in every
    other table of the report; a dash when nobody's requirement could be measured."""
    if suppressed:
        return "Suppressed"
    return "\u2014" if shown in ("-", "") else shown


def training_rows(indicators: RegisterIndicators) -> list[TrainingRow]:
    groups = indicators.training.by_role_group if indicators.training is not None else ()
    return [
        TrainingRow(
            group=clean_text(row["group"]),
            people=row["people"],
            compliant=_compliant(row["compliant"], group.compliance.suppressed),
            note=clean_text(row["requirement"]),
        )
        for row, group in zip(indicators.training_table(), groups, strict=True)
    ]


def for_audit(session, audit: Audit, data: AuditData, tables=None) -> AuditEvidence | None:
    """The audit's register evidence in the report's words, or None without registers.

    `tables` are the audit's `ScoreTables.build(data)` when the caller has them.
    """
    stored = audit_evidence(session, audit, data, tables)
    if stored is None:
        return None
    lines = [EvidenceItem(text=clean_text(t)) for t in stored.not_checked]
    indicators = stored.indicators
    if indicators is None:
        section = EvidenceSection(registers=[], framework="", training=[], lines=lines, gaps=[])
        return AuditEvidence(section=section)
    by_theme: dict[str, list[EvidenceItem]] = {}
    for score in indicators.scores:
        item = EvidenceItem(text=clean_text(score.detail).rstrip(".") + ".")
        lines.append(item)
        for theme in score.themes:
            by_theme.setdefault(theme, []).append(item)
    training = indicators.training
    titles = theme_titles(data)
    section = EvidenceSection(
        registers=[REGISTER_LABELS.get(k, k) for k in indicators.registers],
        framework=(f"{clean_text(training.framework_title)}, version {training.framework_version}"
                   if training is not None else ""),
        training=training_rows(indicators),
        lines=lines,
        gaps=[finding_item(f, titles) for f in stored.findings],
    )
    return AuditEvidence(section=section, findings=stored.findings, indicators=indicators,
                         theme_lines=by_theme)
