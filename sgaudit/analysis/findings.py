"""The Finding model: one thing the analysis found, in words an auditor would write.

`build_findings` (below the model) turns the scores, thread breaks, knowledge gaps,
scope classification and paper/practice gaps into findings. Evidence-gap findings
come from `sgaudit.registers` and are appended by `analyse(..., extra_findings=...)`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
