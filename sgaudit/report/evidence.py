"""The evidence section: what the organisation's registers show (integrated with
sgaudit.registers once it lands)."""

from __future__ import annotations

from dataclasses import dataclass

from sgaudit.analysis.findings import Finding
from sgaudit.report.context import EvidenceSection


@dataclass(frozen=True)
class AuditEvidence:
    """The evidence section of one audit and the evidence-gap findings it adds."""

    section: EvidenceSection
    findings: tuple[Finding, ...] = ()


def for_audit(session, audit, data) -> AuditEvidence | None:
    """None when the audit has no registers."""
    return None
