"""What the organisation's own registers show, for the report (and `sgaudit analyse`).

`for_audit` reads an audit's stored registers, computes the indicators as of the
audit's end date (sgaudit.registers), and returns the report's evidence section with
the evidence-gap findings: themes where interviews and records disagree. An audit
without registers gives None. Rates over fewer than `suppression_min` people are
blank in the indicators themselves, so nothing here can show a small group's rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import Finding
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.scoring import theme_titles
from sgaudit.registers import (
    REGISTER_KINDS,
    REGISTER_LABELS,
    FrameworkError,
    RegisterIndicators,
    compute_indicators,
    evidence_gaps,
    load_framework,
    records_to_frame,
)
from sgaudit.report.context import EvidenceItem, EvidenceSection, TrainingRow
from sgaudit.report.findings_view import finding_item
from sgaudit.report.words import clean_text
from sgaudit.store import repo
from sgaudit.store.models import Audit


@dataclass(frozen=True)
class AuditEvidence:
    """The evidence section of one audit and the evidence-gap findings it adds."""

    section: EvidenceSection
    findings: tuple[Finding, ...] = ()
    indicators: RegisterIndicators | None = None
    theme_lines: dict[str, list[EvidenceItem]] = field(default_factory=dict)


def _framework(audit: Audit):
    if not audit.framework_id:
        return None, "No role-group training framework is set for this audit, so training "
    try:
        return load_framework(audit.framework_id), ""
    except FrameworkError:
        return None, f"The training framework '{audit.framework_id}' could not be loaded, so "


def theme_scores(data: AuditData) -> pd.DataFrame:
    """theme, score (organisation-wide interview score, NaN if suppressed), title."""
    overall = ScoreTables.build(data).overall
    titles = theme_titles(data)
    return pd.DataFrame(
        {
            "theme": overall["theme"].astype(str),
            "score": overall["score"].astype(float),
            "title": [titles.get(str(t), str(t)) for t in overall["theme"]],
        }
    )


def training_rows(indicators: RegisterIndicators) -> list[TrainingRow]:
    return [
        TrainingRow(
            group=clean_text(row["group"]),
            people=row["people"],
            compliant="\u2014" if row["compliant"] in ("-", "") else row["compliant"],
            note=clean_text(row["requirement"]),
        )
        for row in indicators.training_table()
    ]


def for_audit(session, audit: Audit, data: AuditData) -> AuditEvidence | None:
    """The audit's register evidence, or None when it has no registers."""
    records = repo.register_records(session, audit)
    frames = {k: records_to_frame(k, rows) for k, rows in records.items()
              if k in REGISTER_KINDS and rows}
    if not frames:
        return None
    framework, why_not = _framework(audit)
    lines: list[EvidenceItem] = []
    if framework is None and "training" in frames:
        frames.pop("training")
        lines.append(EvidenceItem(text=why_not + "training records were not checked."))
    if not frames:
        return AuditEvidence(section=EvidenceSection(registers=[], framework="", training=[],
                                                     lines=lines, gaps=[]))
    as_of = audit.end_date or audit.start_date or date.today()
    indicators = compute_indicators(frames, framework, as_of, data.settings)
    findings = tuple(evidence_gaps(theme_scores(data), indicators, data.settings))
    titles = theme_titles(data)

    by_theme: dict[str, list[EvidenceItem]] = {}
    for score in indicators.scores:
        item = EvidenceItem(text=clean_text(score.detail).rstrip(".") + ".")
        lines.append(item)
        for theme in score.themes:
            by_theme.setdefault(theme, []).append(item)
    training = indicators.training
    section = EvidenceSection(
        registers=[REGISTER_LABELS.get(k, k) for k in indicators.registers],
        framework=(f"{clean_text(training.framework_title)}, version {training.framework_version}"
                   if training is not None else ""),
        training=training_rows(indicators),
        lines=lines,
        gaps=[finding_item(f, titles) for f in findings],
    )
    return AuditEvidence(section=section, findings=findings, indicators=indicators,
                         theme_lines=by_theme)
