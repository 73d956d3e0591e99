"""Findings as the board reads them: after the auditors' review, with the numbers behind them.

The auditors have the last word. A dismissed finding is left out; an edited one is
shown in their words; one they added themselves is included as an auditors' finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sgaudit.analysis.findings import SEVERITY_RANK, Finding
from sgaudit.analysis.thread_findings import together, together_noun
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.report.context import FindingItem
from sgaudit.report.words import (
    SEVERITY_LABELS,
    TIER_SHORT,
    clean_text,
    join_words,
    tier_order,
    tier_people,
    whole,
)
from sgaudit.vocab import DIRECTION_WORDS, EVIDENCE_LABELS, FINDING_KIND_LABELS, TIER_LABELS

AUDITOR_KIND = "auditor"
KIND_LABELS: dict[str, str] = {**FINDING_KIND_LABELS, AUDITOR_KIND: "Auditors' finding"}
KIND_ORDER: dict[str, int] = {k: i for i, k in enumerate(KIND_LABELS)}
# A finding carries its pool, not the set's settings: the default pairs name the pools.
finding_settings = AnalysisSettings()


@dataclass(frozen=True)
class Review:
    """The auditors' decision on one finding (a plain copy of the store's finding_review)."""

    finding_key: str
    status: str  # proposed | accepted | edited | dismissed | added
    kind: str = ""
    theme: str = ""
    summary: str = ""
    severity: str = "medium"
    service_areas: tuple[str, ...] = field(default_factory=tuple)
    tiers: tuple[str, ...] = field(default_factory=tuple)


def _whole_text(value: object) -> str:
    if isinstance(value, int | float):
        return str(whole(float(value)))
    return clean_text(value)


def _people(count: object, who: str) -> str:
    return f"{count} {who}" if isinstance(count, int) else ""


def evidence_lines(finding: Finding) -> list[str]:
    """What lies behind a finding that its summary does not already say, in short lines:
    how many people the compared groups hold, which areas are weak.

    Only the evidence the analysis attached is used; it never holds a suppressed
    group's figures (the analysis works on unsuppressed cells only).
    """
    e = finding.evidence
    if finding.kind == "thread_break":
        base = e.get("base_tier") or "front_line"
        upper = [t for t in finding.tiers if t != base]
        pool = "+".join(finding.pooled_tiers)
        if together(base, pool, finding_settings):  # "9 people in the organisation's leadership"
            who = "people in " + together_noun(pool)
        elif finding.pooled_tiers:
            who = "people among " + join_words(tier_people(t) for t in finding.pooled_tiers)
        else:
            who = tier_people(upper[0]) if upper else "the other tier"
        parts = [_people(e.get("tier_n"), who), _people(e.get("front_line_n"), tier_people(base))]
        return (
            [f"Based on what we heard from {join_words(p for p in parts if p)}."]
            if any(parts)
            else []
        )
    if finding.kind == "knowledge_gap":
        who = tier_people(finding.tiers[0]) if finding.tiers else "this tier"
        parts = [_people(e.get("tier_n"), who), _people(e.get("others_n"), "others")]
        return [f"Based on {join_words(p for p in parts if p)}."] if any(parts) else []
    if finding.kind == "systemic":
        names = clean_text(e.get("weak_area_names") or "")
        return (
            [f"Service areas below {_whole_text(e.get('weak_score', 60))}: {names}."]
            if names
            else []
        )
    # Localised, paper/practice and evidence-gap summaries already carry their numbers;
    # raw evidence keys ("gap_points", "indicator:...") are not for a board.
    return []


def finding_item(
    finding: Finding,
    titles: Mapping[str, str],
    *,
    summary: str | None = None,
    severity: str | None = None,
) -> FindingItem:
    severity = severity if severity in SEVERITY_LABELS else finding.severity
    return FindingItem(
        key=finding.key,
        kind=finding.kind,
        kind_label=KIND_LABELS.get(finding.kind, finding.kind),
        theme_id=finding.theme,
        theme=titles.get(finding.theme, finding.theme),
        severity=severity,
        severity_label=SEVERITY_LABELS[severity],
        summary=clean_text(summary if summary else finding.summary),
        evidence=evidence_lines(finding),
        areas=join_words(clean_text(a) for a in finding.service_areas),
        tiers=join_words(TIER_SHORT.get(t, t) for t in tier_order(finding.tiers)),
        quotes=[clean_text(q) for q in finding.quotes],
        source="analysis",
    )


def auditor_item(review: Review, titles: Mapping[str, str]) -> FindingItem:
    severity = review.severity if review.severity in SEVERITY_LABELS else "medium"
    return FindingItem(
        key=review.finding_key,
        kind=AUDITOR_KIND,
        kind_label=KIND_LABELS[AUDITOR_KIND],
        theme_id=review.theme,
        theme=titles.get(review.theme, review.theme),
        severity=severity,
        severity_label=SEVERITY_LABELS[severity],
        summary=clean_text(review.summary),
        evidence=[],
        areas=join_words(clean_text(a) for a in review.service_areas),
        tiers=join_words(TIER_SHORT.get(t, t) for t in tier_order(review.tiers)),
        quotes=[],
        source="auditor",
    )


def reviewed_findings(
    findings: Sequence[Finding],
    reviews: Mapping[str, Review],
    titles: Mapping[str, str],
) -> list[FindingItem]:
    """The findings the board sees: dismissed left out, edits applied, auditors' own added.

    A review whose finding the analysis no longer produces (the data changed since)
    is ignored, except an auditor-added finding, which stands on its own.
    """
    out: list[FindingItem] = []
    for f in findings:
        review = reviews.get(f.key)
        if review is None or review.status in ("proposed", "accepted"):
            out.append(finding_item(f, titles))
        elif review.status == "edited":
            out.append(
                finding_item(f, titles, summary=review.summary or None, severity=review.severity)
            )
        # dismissed: left out
    for review in reviews.values():
        if review.status == "added" and review.summary.strip():
            out.append(auditor_item(review, titles))
    return sort_items(out, list(titles))


def sort_items(items: Iterable[FindingItem], theme_order: Sequence[str]) -> list[FindingItem]:
    """Most severe first, then theme order, then kind."""
    rank = {t: i for i, t in enumerate(theme_order)}
    return sorted(
        items,
        key=lambda f: (
            SEVERITY_RANK.get(f.severity, 9),
            rank.get(f.theme_id, len(rank)),
            KIND_ORDER.get(f.kind, 99),
            f.key,
        ),
    )


def evidence_rows(evidence: dict) -> list[dict[str, str]]:
    """The numbers behind a finding as the app lists them, each named in words
    (`vocab.EVIDENCE_LABELS`; a key not listed reads as itself with spaces)."""

    def value(key: str, v: object) -> object:
        if key == "base_tier":
            return TIER_LABELS.get(str(v), v)
        return DIRECTION_WORDS.get(str(v), v) if key == "direction" else v

    return [
        {
            "measure": EVIDENCE_LABELS.get(k, k.replace("_", " ").capitalize()),
            "value": str(value(k, v)),
        }
        for k, v in evidence.items()
    ]
