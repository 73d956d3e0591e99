"""The report's pieces about the two auditors: agreement and moderation, and versions.

Pure: plain facts in (read from the store by `report.build`), context pieces out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sgaudit.report.context import VersionEntry
from sgaudit.report.words import clean_text, long_date


@dataclass(frozen=True)
class AgreementFacts:
    """How alike the two auditors scored the double-scored interviews (overall)."""

    interviews: int
    items: int
    percent_agreement: float | None
    kappa: float | None
    alpha: float | None
    moderated: int


@dataclass(frozen=True)
class VersionFacts:
    """One issued version of the audit."""

    version: str
    issued_on: date
    issued_by: str
    reviewed_by: str
    reason: str


def _number(value: float | None) -> str:
    return "not measurable" if value is None else f"{value:.2f}"


def agreement_sentence(facts: AgreementFacts | None) -> str:
    """What the method section says about double scoring ('' when nothing was double-scored)."""
    if facts is None or facts.interviews == 0:
        return ""
    share = (
        "the same answer on too few items to measure"
        if facts.percent_agreement is None
        else f"the same answer on {facts.percent_agreement:.0f}% of them"
    )
    moderated = (
        "No item was scored two or more points apart."
        if facts.moderated == 0
        else f"{facts.moderated} item{'s' if facts.moderated != 1 else ''} scored two or more "
        "scale points apart "
        f"{'were' if facts.moderated != 1 else 'was'} settled by the lead auditor, who recorded "
        "the agreed score and the reason; the agreed score is the one analysed."
    )
    plural = "s" if facts.interviews != 1 else ""
    return (
        f"Both auditors scored {facts.interviews} interview{plural} independently, without "
        f"seeing each other's answers ({facts.items} answers each), and gave {share}. "
        f"Weighted kappa (quadratic weights): {_number(facts.kappa)}; Krippendorff's alpha "
        f"(ordinal): {_number(facts.alpha)}. Values above 0.8 show strong agreement. " + moderated
    )


def history_entries(versions: Sequence[VersionFacts]) -> list[VersionEntry]:
    return [
        VersionEntry(
            version=clean_text(v.version),
            date=long_date(v.issued_on),
            issued_by=clean_text(v.issued_by),
            reviewed_by=clean_text(v.reviewed_by) or "-",
            reason=clean_text(v.reason),
        )
        for v in versions
    ]
