"""The Finding model: one thing the analysis found, in words an auditor would write.

`build_findings` (below the model) turns the scores, thread breaks, knowledge gaps,
scope classification and paper/practice gaps into findings. Evidence-gap findings
come from `sgaudit.registers` and are appended by `analyse(..., extra_findings=...)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sgaudit.analysis.data import AuditData
from sgaudit.analysis.paper_practice import paper_practice_gaps
from sgaudit.analysis.scope import LOCALISED, SYSTEMIC, classify_scope
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.scoring import theme_titles
from sgaudit.analysis.thread import BETTER, knowledge_gaps, thread_breaks
from sgaudit.vocab import TIERS

FindingKind = Literal[
    "systemic", "localised", "thread_break", "knowledge_gap", "paper_practice_gap", "evidence_gap"
]
Severity = Literal["high", "medium", "low"]
SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}

EvidenceValue = float | int | str | None


def order_tiers(tiers: list[str] | tuple[str, ...]) -> list[str]:
    """Tiers in golden-thread order (ground to board); unknown tiers last, alphabetically."""
    rank = {t: i for i, t in enumerate(TIERS)}
    return sorted(dict.fromkeys(tiers), key=lambda t: (rank.get(t, len(TIERS)), t))


def finding_key(kind: str, theme: str, service_areas: list[str], tiers: list[str]) -> str:
    """The stable identity of a finding: `kind:theme:areas:tiers`.

    Areas are sorted alphabetically and tiers put in golden-thread order, so the same
    finding gets the same key in a re-audit and the auditors' edits stay attached.
    """
    areas = "+".join(sorted(service_areas))
    return f"{kind}:{theme}:{areas}:{'+'.join(order_tiers(tiers))}"


class Finding(BaseModel):
    """One finding. `key` is filled from kind, theme, areas and tiers when not given.

    `evidence` holds the numbers behind the summary (scores, gaps, rates, n) so a
    reader can check it. `quotes` are anonymised quotable notes: text only, never the
    interview code, tier or area, and never from a suppressed group.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = ""
    kind: FindingKind
    theme: str
    service_areas: list[str] = Field(default_factory=list)
    tiers: list[str] = Field(default_factory=list)
    severity: Severity
    summary: str
    evidence: dict[str, EvidenceValue] = Field(default_factory=dict)
    quotes: list[str] = Field(default_factory=list)
    questions_to_consider: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _fill_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("key"):
            data = dict(data)
            data["key"] = finding_key(
                data.get("kind", ""),
                data.get("theme", ""),
                list(data.get("service_areas") or []),
                list(data.get("tiers") or []),
            )
        return data

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# ---- building findings from the scores ---------------------------------------------

QUOTES_PER_FINDING = 3
_KIND_ORDER = {
    k: i
    for i, k in enumerate(
        (
            "systemic",
            "localised",
            "thread_break",
            "knowledge_gap",
            "paper_practice_gap",
            "evidence_gap",
        )
    )
}
TIER_NOUNS: dict[str, str] = {
    "service_user": "people who use services",
    "front_line": "front-line staff",
    "manager": "managers",
    "dsl": "the safeguarding lead and team",
    "senior_leader": "senior leaders",
    "board": "trustees",
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(value: float) -> int:
    """A score as an auditor reads it in a sentence: a whole number."""
    return int(round(float(value)))


def _one(value: float | None, decimals: int = 1) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value), decimals)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def severity_from_ratio(gap: float, threshold: float) -> Severity:
    """high at twice the threshold or more, medium at one and a half times, else low."""
    ratio = abs(gap) / threshold
    if ratio >= 2 - 1e-9:
        return "high"
    if ratio >= 1.5 - 1e-9:
        return "medium"
    return "low"


def _raise(severity: Severity) -> Severity:
    return "high" if severity in ("high", "medium") else "medium"


def quotable_notes(tables: ScoreTables) -> pd.DataFrame:
    """Quotable notes that may be shown: theme, tier, service_area, note.

    A note is usable only when the interview's tier and its service area both hold
    at least `suppression_min` people for that theme (neither cell is suppressed), so
    a quote never comes from a group small enough to identify its author.
    """
    s = tables.scored
    mask = s["quotable"].to_numpy() & (s["kind"] != "invalid").to_numpy()
    notes = s.loc[mask, ["theme", "tier", "service_area", "note"]].copy()
    notes["note"] = notes["note"].fillna("").astype(str).str.strip()
    notes = notes[notes["note"] != ""]
    for col in ("theme", "tier", "service_area"):
        notes[col] = notes[col].astype(str)
    for frame, col in ((tables.by_tier, "tier"), (tables.by_area, "service_area")):
        ok = frame.loc[~frame["suppressed"], ["theme", col]].astype(str)
        notes = notes.merge(ok, on=["theme", col], how="inner")
    rank = {t: i for i, t in enumerate(TIERS)}
    notes["tier_rank"] = notes["tier"].map(rank)
    return notes.sort_values("tier_rank", kind="stable").drop(columns="tier_rank")


def _quotes(
    notes: pd.DataFrame, theme: str, tiers: Sequence[str] = (), areas: Sequence[str] = ()
) -> list[str]:
    pick = notes[notes["theme"] == theme]
    if tiers:
        pick = pick[pick["tier"].isin(list(tiers))]
    if areas:
        pick = pick[pick["service_area"].isin(list(areas))]
    return list(dict.fromkeys(pick["note"]))[:QUOTES_PER_FINDING]


def build_findings(data: AuditData, tables: ScoreTables | None = None) -> list[Finding]:
    """Systemic, localised, thread-break, knowledge-gap and paper/practice findings.

    Ordered most severe first, then by theme order and kind. Severity rules are in
    docs/analysis.md.
    """
    tables = tables or ScoreTables.build(data)
    s = data.settings
    titles = theme_titles(data)
    notes = quotable_notes(tables)
    consider = data.questions_to_consider
    overall = tables.overall.assign(theme=tables.overall["theme"].astype(str)).set_index("theme")
    found: list[Finding] = []

    def add(
        kind: str,
        theme: str,
        severity: Severity,
        summary: str,
        evidence: dict,
        areas: Sequence[str] = (),
        tiers: Sequence[str] = (),
    ) -> None:
        found.append(
            Finding(
                kind=kind,
                theme=theme,
                service_areas=list(areas),
                tiers=order_tiers(list(tiers)),
                severity=severity,
                summary=summary,
                evidence=evidence,
                quotes=_quotes(notes, theme, tiers, areas),
                questions_to_consider=list(consider.get(theme, [])),
            )
        )

    for row in classify_scope(tables.by_area, s).itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        if row.scope == SYSTEMIC:
            score = overall.at[row.theme, "score"] if row.theme in overall.index else np.nan
            weak = len(row.weak_areas)
            severity: Severity = "high" if score < s.weak_score - 10 else "medium"
            summary = (
                f"{title} is weak across the organisation: {weak} of {row.areas_assessed} "
                f"service areas score below {_num(s.weak_score)}"
                + (
                    f", and the organisation-wide score is {_num(score)}."
                    if pd.notna(score)
                    else "."
                )
            )
            add(
                "systemic",
                row.theme,
                severity,
                summary,
                {
                    "score": _one(score),
                    "areas_assessed": int(row.areas_assessed),
                    "weak_areas": int(weak),
                    "weak_share": _one(row.weak_share, 2),
                    "weak_area_names": ", ".join(row.weak_areas),
                    "weak_score": s.weak_score,
                },
            )
        elif row.scope == LOCALISED:
            named = [
                f"{a} ({_num(v)})"
                for a, v in zip(row.localised_areas, row.localised_scores, strict=True)
            ]
            gap = _num(row.others_mean) - _num(row.localised_mean)
            summary = (
                f"{title} is markedly weaker in {_and(named)} than in the stronger service "
                f"areas (average {_num(row.others_mean)}): a gap of {gap} points."
            )
            add(
                "localised",
                row.theme,
                severity_from_ratio(row.gap, s.localised_gap_points),
                summary,
                {
                    "area_score": _one(row.localised_mean),
                    "others_score": _one(row.others_mean),
                    "gap": _one(row.gap),
                    "areas_assessed": int(row.areas_assessed),
                },
                areas=list(row.localised_areas),
            )

    for row in thread_breaks(tables.by_tier, s).itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        shown = _num(row.tier_score) - _num(row.front_line_score)
        word = "higher" if shown > 0 else "lower"
        summary = (
            f"{_cap(TIER_NOUNS.get(row.tier, row.tier))} rate {title} {abs(shown)} points "
            f"{word} than front-line staff ({_num(row.tier_score)} vs {_num(row.front_line_score)})."
        )
        severity = severity_from_ratio(row.gap, s.thread_break_points)
        if row.direction == BETTER and row.front_line_score < s.weak_score:
            severity = _raise(severity)  # optimism at the top while the front line is weak
        add(
            "thread_break",
            row.theme,
            severity,
            summary,
            {
                "tier_score": _one(row.tier_score),
                "front_line_score": _one(row.front_line_score),
                "gap": _one(row.gap),
                "direction": row.direction,
                "tier_n": int(row.tier_n),
                "front_line_n": int(row.front_line_n),
            },
            tiers=["front_line", row.tier],
        )

    for row in knowledge_gaps(tables.by_tier, s).itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        tier_pct, others_pct = _num(row.tier_rate * 100), _num(row.others_rate * 100)
        summary = (
            f'{_cap(TIER_NOUNS.get(row.tier, row.tier))} answered "don\'t know" to '
            f"{tier_pct}% of {title} questions, against {others_pct}% among everyone else "
            f"({tier_pct - others_pct} points more)."
        )
        add(
            "knowledge_gap",
            row.theme,
            severity_from_ratio(row.gap_points, s.knowledge_gap_points),
            summary,
            {
                "tier_dont_know_rate": _one(row.tier_rate, 3),
                "others_dont_know_rate": _one(row.others_rate, 3),
                "gap_points": _one(row.gap_points),
                "tier_n": int(row.tier_n),
                "others_n": int(row.others_n),
            },
            tiers=[row.tier],
        )

    for row in paper_practice_gaps(tables.aspects, s).itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        gap = _num(row.paper_score) - _num(row.practice_score)
        summary = (
            f"{title} scores {_num(row.paper_score)} on paper but {_num(row.practice_score)} "
            f"in practice: what the documents say is {gap} points ahead of what happens."
        )
        add(
            "paper_practice_gap",
            row.theme,
            severity_from_ratio(row.gap, s.paper_practice_gap_points),
            summary,
            {
                "paper_score": _one(row.paper_score),
                "practice_score": _one(row.practice_score),
                "gap": _one(row.gap),
                "paper_n": int(row.paper_n),
                "practice_n": int(row.practice_n),
            },
        )

    return sort_findings(found, list(titles))


def sort_findings(findings: list[Finding], theme_order: list[str]) -> list[Finding]:
    """Most severe first, then theme order, then kind, then key."""
    rank = {t: i for i, t in enumerate(theme_order)}
    return sorted(
        findings,
        key=lambda f: (
            SEVERITY_RANK[f.severity],
            rank.get(f.theme, len(rank)),
            _KIND_ORDER.get(f.kind, 99),
            f.key,
        ),
    )
