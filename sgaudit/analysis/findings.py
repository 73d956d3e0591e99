"""The Finding model: one thing the analysis found, in words an auditor would write.

`build_findings` (below the model) turns the scores, thread breaks, knowledge gaps,
scope classification and paper/practice gaps into findings. Evidence-gap findings
and record findings (`records`) come from `sgaudit.registers` and are appended by `analyse(..., extra_findings=...)`.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sgaudit import printed
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.scores import ScoreTables
from sgaudit.vocab import FINDING_KINDS, TIERS

FindingKind = Literal[
    "systemic",
    "localised",
    "thread_break",
    "knowledge_gap",
    "paper_practice_gap",
    "evidence_gap",
    "records",
    "self_assessment_optimism",
]
Severity = Literal["high", "medium", "low"]
Certainty = Literal["finding", "worth_exploring"]
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
    # How sure: added for issue 8; every field optional so older findings still load.
    certainty: Certainty = "finding"
    certainty_note: str = ""
    difference: float | None = None
    interval: tuple[float, float] | None = None
    interval_level: float | None = None
    n_group: int | None = None
    n_compared: int | None = None
    compared_with: str = ""
    pooled_tiers: list[str] = Field(default_factory=list)

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
_KIND_ORDER = {k: i for i, k in enumerate(FINDING_KINDS)}  # the order findings are listed in
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
    """A score as an auditor reads it in a sentence: printed as everywhere else
    (`sgaudit.printed.score`: the whole points reached)."""
    return printed.score(value) or 0


def _one(value: float | None, decimals: int = 1) -> float | None:
    """`value` kept to `decimals` places (for a finding's evidence and interval), so that
    it prints as the unrounded value does: rounding never carries it up to the next
    whole number (43.97 is kept as 43.9, not 44.0), since a score is printed as the
    whole points it has reached (`sgaudit.printed`) and 43.97 is printed "43"."""
    if value is None or pd.isna(value):
        return None
    value = float(value)
    kept = round(value, decimals)
    if math.floor(kept) > math.floor(value):  # rounded up across a whole number
        kept = round(math.floor(kept) - 10**-decimals, decimals)
    return kept


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


def build_findings(data: AuditData, tables: ScoreTables | None = None) -> list[Finding]:
    """The findings of an audit (clear ones only), most severe first.

    The rules are in `detect.py` and docs/analysis.md; `detect` also returns what is
    worth exploring and what could not be assessed.
    """
    from sgaudit.analysis.detect import detect  # detect builds on this module's model

    return detect(data, tables).findings


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
