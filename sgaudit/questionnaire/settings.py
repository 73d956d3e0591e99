"""The analysis settings a question set carries: RAG bands and the thresholds.

Every one is data with a default, written under `settings:` in a set's `_set.yaml`
and documented in the README, so an auditor can change a threshold without touching
code. `QuestionSet.settings` holds them; the analysis and the report read them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sgaudit.questionnaire.model_base import _Model
from sgaudit.vocab import TIERS, check_suppression_min


class RagBand(_Model):
    """A score band: scores >= `min` (and below the next band's min) get `label`."""

    label: str
    min: float = Field(ge=0, le=100)


class AnalysisSettings(_Model):
    """Thresholds an auditor may want to change; every one is documented in the README."""

    suppression_min: int = Field(3, description="Smallest group whose score may be shown (>= 3)")
    rag_bands: tuple[RagBand, ...] = (
        RagBand(label="red", min=0),
        RagBand(label="amber", min=50),
        RagBand(label="green", min=70),
    )
    thread_break_points: float = Field(20, gt=0, description="Tier vs front line gap (points)")
    thread_own_level_themes: int = Field(
        4,
        ge=0,
        description="Themes a respondent must have answered for the golden thread to also "
        "set them against their own level on the other themes (0 or 1: never)",
    )
    knowledge_gap_points: float = Field(
        20, gt=0, description="Extra don't-know rate at the top (percentage points)"
    )
    weak_score: float = Field(60, ge=0, le=100, description="Below this a score is weak")
    systemic_share: float = Field(0.6, gt=0, le=1, description="Share of areas weak => systemic")
    localised_gap_points: float = Field(15, gt=0, description="Area below the rest (points)")
    paper_practice_gap_points: float = Field(20, gt=0, description="Paper minus practice (points)")
    self_assessment_gap_points: float = Field(
        20, gt=0, description="Self-assessment above the audit's evidence (points)"
    )
    change_points: float = Field(5, ge=0, description="Smallest change called a change (points)")
    false_flag_rate: float = Field(
        0.05, gt=0, lt=1, description="The false-flag rate the analysis keeps to (see method)"
    )
    false_flag_method: Literal["audit", "flags"] = Field(
        "flags",
        description="audit: chance of any false flag in an audit <= false_flag_rate; "
        "flags: share of false flags among flags <= false_flag_rate (Benjamini-Hochberg)",
    )
    borderline_points: float = Field(
        5, ge=0, description="Within this of weak_score a systemic call is borderline"
    )
    borderline_share: float = Field(
        0.1, ge=0, le=1, description="Within this of systemic_share a systemic call is borderline"
    )
    systemic_own_level_points: float = Field(
        20,
        ge=0,
        description="A theme at least this far below how the same people rate their other "
        "themes is systemic when it also scores borderline_points below weak_score in "
        "systemic_share of the areas, though its distance below weak_score alone is not "
        "clear of the noise (0: never)",
    )
    scope_tiers: tuple[str, ...] = Field(
        ("service_user", "front_line", "manager"),
        description="Tiers whose answers compare service areas (localised / systemic)",
    )
    scope_area_tiers: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Per service area, other tiers to compare it on (default scope_tiers)",
    )
    fieldwork_guide: dict[str, int] = Field(
        default_factory=lambda: {
            "service_user": 5,
            "front_line": 2,
            "manager": 1,
            "senior_leader": 2,
            "board": 5,
        },
        description="Voices a tier needs (interviews or survey returns; a focus group is one), "
        "per service area for scope_tiers and in all for the others, for a 30-point difference "
        "in its view to be found 19 times in 20 (docs/analysis.md); the plan and the coverage "
        "say where fieldwork falls short",
    )
    fieldwork_guide_organisation: int = Field(
        60,
        ge=0,
        description="Voices of the scope_tiers together, across the organisation, for a "
        "theme weak across the organisation (about 10 points below weak_score in every "
        "service area) to be found 19 times in 20 (docs/analysis.md); 0 leaves it out",
    )
    thread_pools: tuple[tuple[str, ...], ...] = Field(
        (("dsl", "senior_leader"),),
        description="Tiers pooled for the golden thread when one alone is too few to show",
    )
    thread_pairs: dict[str, tuple[tuple[str, ...], ...]] = Field(
        default_factory=lambda: {
            "front_line": (("manager",), ("dsl",), ("senior_leader",), ("board",)),
            # The thread's first link (the staff who support them) and its far end (the
            # leadership as a whole, since they answer few questions a theme).
            "service_user": (("front_line",), ("dsl", "senior_leader", "board")),
        },
        description="Per ground tier of the golden thread, what is set against it: a tier, or "
        "a list of tiers always taken together (a pool)",
    )

    _floor = field_validator("suppression_min")(check_suppression_min)

    @field_validator("thread_pairs", mode="before")
    @classmethod
    def _one_tier_or_a_pool(cls, pairs: object) -> object:
        """`front_line: [manager, board]` and `service_user: [[senior_leader, board]]`."""
        if not isinstance(pairs, dict):
            return pairs
        return {
            base: [[g] if isinstance(g, str) else g for g in groups]
            if isinstance(groups, list | tuple)
            else groups
            for base, groups in pairs.items()
        }

    @field_validator("thread_pairs")
    @classmethod
    def _known_thread_tiers(
        cls, pairs: dict[str, tuple[tuple[str, ...], ...]]
    ) -> dict[str, tuple[tuple[str, ...], ...]]:
        for base, groups in pairs.items():
            for tier in [base, *(t for g in groups for t in g)]:
                if tier not in TIERS:
                    raise ValueError(f"unknown tier '{tier}'; expected one of {', '.join(TIERS)}")
            for group in groups:
                if not group or base in group or len(set(group)) != len(group):
                    raise ValueError(
                        f"'{base}' is set against a list of distinct tiers other than itself"
                    )
        return pairs

    @field_validator("fieldwork_guide")
    @classmethod
    def _guide_of_known_tiers(cls, guide: dict[str, int]) -> dict[str, int]:
        for tier, voices in guide.items():
            if tier not in TIERS:
                raise ValueError(f"unknown tier '{tier}'; expected one of {', '.join(TIERS)}")
            if voices < 1:
                raise ValueError(f"'{tier}' needs at least 1 voice, not {voices}")
        return guide

    @field_validator("rag_bands")
    @classmethod
    def _bands_ordered(cls, bands: tuple[RagBand, ...]) -> tuple[RagBand, ...]:
        if not bands:
            raise ValueError("at least one RAG band is needed")
        mins = [b.min for b in bands]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            raise ValueError("RAG bands must be listed with strictly increasing 'min'")
        if mins[0] != 0:
            raise ValueError("the first RAG band must start at min: 0")
        return bands

    def rag(self, score: float | None) -> str | None:
        """The RAG label of a 0-100 score (None for no score)."""
        import pandas as pd  # here, so that reading a question set needs no pandas

        if score is None or pd.isna(score):
            return None
        label = self.rag_bands[0].label
        for band in self.rag_bands:
            if score >= band.min:
                label = band.label
        return label
