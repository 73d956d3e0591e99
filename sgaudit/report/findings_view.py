"""Findings as the board reads them: after the auditors' review, with the numbers behind them.

The auditors have the last word. A dismissed finding is left out; an edited one is
shown in their words; one they added themselves is included as an auditors' finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sgaudit import printed
from sgaudit.analysis.findings import SEVERITY_RANK, Finding
from sgaudit.analysis.flags import WORTH, why_not_a_finding
from sgaudit.analysis.thread_findings import together, together_noun
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.registers.mapping import indicator_map
from sgaudit.report.context import FindingItem
from sgaudit.report.words import (
    SEVERITY_LABELS,
    TIER_SHORT,
    clean_text,
    join_words,
    percent,
    tier_order,
    tier_people,
    whole,
)
from sgaudit.vocab import (
    DIRECTION_WORDS,
    EVIDENCE_LABELS,
    FINDING_KIND_LABELS,
    TIER_LABELS,
    mid_sentence,
)

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
        doubt=why_not_a_finding(finding.certainty_note) if finding.certainty == WORTH else "",
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


# How each number of a finding's evidence is printed (`evidence_rows`): as the report
# and the finding's own sentence print it, never as the raw figure.
SCORE_KEYS = frozenset(
    {
        "score", "tier_score", "front_line_score", "area_score", "others_score",
        "paper_score", "practice_score", "self_score", "evidence_score", "interview_score",
        "records_score", "weak_score",
    }
)  # fmt: skip
SHARE_KEYS = frozenset({"weak_share"})  # a share 0-1 of a count, as the appendix prints it
RATE_KEYS = frozenset({"tier_dont_know_rate", "others_dont_know_rate"})  # 0-1, as a score
# nearest whole point, as the finding's sentence prints it
POINTS_KEYS = frozenset({"beyond_usual_gap", "below_own_level", "evidence_gap_points"})
# A gap is printed as the difference of its two printed scores (sgaudit.printed): the
# pairs it may be the gap of, first minus second (its sign is the stored gap's).
GAP_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "gap": (
        ("tier_score", "front_line_score"),
        ("others_score", "area_score"),
        ("paper_score", "practice_score"),
        ("self_score", "evidence_score"),
    ),
    "gap_points": (
        ("records_score", "interview_score"),
        ("tier_dont_know_rate", "others_dont_know_rate"),
    ),
}
RECORD_PARTS: dict[str, str] = {
    "count": "meeting the check",
    "n": "checked",
    "rate": "share meeting the check",
}
RECORD_GROUPS: dict[str, str] = {"": "Records", "volunteer_": "Volunteers", "paid_": "Paid staff"}
MORE_DIRECTION_WORDS: dict[str, str] = {
    "interviews_higher": "people describe it as stronger than the records show",
    "records_higher": "the records show it stronger than people describe it",
}


def _printed_number(key: str, value: float, evidence: Mapping[str, object]) -> str:
    """One number of a finding's evidence as the report prints it."""
    if key in SCORE_KEYS or key.startswith("indicator:"):
        return str(printed.score(value))
    if key in RATE_KEYS:
        return f"{_percent_points(value)}%"
    if key in SHARE_KEYS:
        return percent(value)
    if key == "usual_gap" and _number(evidence.get("beyond_usual_gap")):
        shown = _pair_gap(evidence, ("tier_score", "front_line_score"))
        if shown is not None:  # what is left of the printed gap: the sentence adds up
            return _minus(shown - (whole(float(evidence["beyond_usual_gap"])) or 0))
    for pair in GAP_PAIRS.get(key, ()):
        shown = _pair_gap(evidence, pair)
        if shown is not None:
            return _minus(abs(shown) if value >= 0 else -abs(shown))
    if key == "rate" or key.endswith("_rate"):  # a register's share, 0-100, as its sentence
        return f"{value:.0f}%"
    if key == "gap_points":  # volunteers against paid staff: points, as its sentence
        return f"{value:.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return _minus(whole(value) or 0)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _percent_points(rate: float) -> int:
    """A 0-1 rate as the whole percentage points it has reached (as a score is printed)."""
    return printed.score(round(float(rate) * 100, 6)) or 0


def _pair_gap(evidence: Mapping[str, object], pair: tuple[str, str]) -> int | None:
    a, b = (evidence.get(k) for k in pair)
    if not (_number(a) and _number(b)):
        return None
    if pair[0] in RATE_KEYS:
        return _percent_points(float(a)) - _percent_points(float(b))
    return printed.gap(float(a), float(b))


def _minus(value: int) -> str:
    return f"{printed.MINUS}{abs(value)}" if value < 0 else str(value)


def _evidence_label(key: str, evidence: Mapping[str, object]) -> str:
    if key == "gap_points" and "records_score" in evidence:  # two scores, not two shares
        return "Gap (points)"
    if key in EVIDENCE_LABELS:
        return EVIDENCE_LABELS[key]
    if key.startswith("indicator:"):
        found = indicator_map().indicators
        label = next((d.label for d in found if d.id == key.split(":", 1)[1]), key)
        return f"Records score out of 100: {mid_sentence(label)}"
    group = re.fullmatch(r"group_(.+)_(count|n|rate)", key)
    if group:
        return f"Role group {group[1]}: {RECORD_PARTS[group[2]]}"
    for prefix, who in RECORD_GROUPS.items():
        part = key[len(prefix) :] if key.startswith(prefix) else None
        if part in RECORD_PARTS:
            return f"{who}: {RECORD_PARTS[part]}"
    return key.replace("_", " ").capitalize()


def _evidence_value(key: str, v: object, evidence: Mapping[str, object]) -> str:
    if key == "base_tier":
        return TIER_LABELS.get(str(v), str(v))
    if key == "direction":
        return {**DIRECTION_WORDS, **MORE_DIRECTION_WORDS}.get(str(v), str(v))
    if key == "indicator":
        found = {d.id: d.label for d in indicator_map().indicators}
        return found.get(str(v), str(v))
    if _number(v):
        return _printed_number(key, v, evidence)
    if v is None or v == "":
        return "none"
    return str(v)


def evidence_rows(evidence: dict) -> list[dict[str, str]]:
    """The numbers behind a finding as the app lists them, each named in words
    (`vocab.EVIDENCE_LABELS`; a key not listed reads as itself with spaces) and each
    printed as the report prints it: a score as the whole points reached, a gap as the
    difference of the printed scores, a share or rate as a percentage, a threshold as
    its whole number (docs/report.md, "One number, one word")."""
    return [
        {"measure": _evidence_label(k, evidence), "value": _evidence_value(k, v, evidence)}
        for k, v in evidence.items()
    ]
