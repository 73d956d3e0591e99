"""Pydantic models of a question set. The YAML format is documented in the README.

A question set is a folder: `_set.yaml` (metadata, scales, settings, codes) plus one
YAML file per theme. `QuestionSet` is what an audit snapshots, so an old audit keeps
reading correctly after the files change. The analysis settings it carries
(`AnalysisSettings`, `RagBand`) live in `sgaudit.questionnaire.settings` and are
re-exported here.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from sgaudit.questionnaire.model_base import _Model
from sgaudit.questionnaire.settings import AnalysisSettings, RagBand
from sgaudit.vocab import (
    ANSWER_DONT_KNOW,
    ANSWER_NA,
    CAPTURE_TIERS,
    RESERVED_ANSWERS,
    SELF_ASSESSMENT,
    SELF_ASSESSMENT_WORDING_FROM,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AnalysisSettings",
    "AnswerScale",
    "Question",
    "QuestionSet",
    "RagBand",
    "ScalePoint",
    "Theme",
    "TierWording",
]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ScalePoint(_Model):
    value: str
    label: str

    @field_validator("value")
    @classmethod
    def _not_reserved(cls, v: str) -> str:
        if v in RESERVED_ANSWERS:
            raise ValueError(f"'{v}' is reserved; use allow_dont_know / allow_na instead")
        if not v.strip():
            raise ValueError("a scale point needs a value")
        return v


class AnswerScale(_Model):
    """An answer scale. Ordinal points are listed weakest practice first."""

    label: str
    kind: Literal["ordinal", "text"] = "ordinal"
    points: tuple[ScalePoint, ...] = ()
    allow_dont_know: bool = True
    allow_na: bool = False

    @model_validator(mode="after")
    def _points_fit_kind(self) -> AnswerScale:
        if self.kind == "ordinal" and len(self.points) < 2:
            raise ValueError("an ordinal scale needs at least two points")
        if self.kind == "text" and self.points:
            raise ValueError("a text scale has no points")
        values = [p.value for p in self.points]
        if len(set(values)) != len(values):
            raise ValueError("scale point values must be unique")
        return self

    def scored_values(self, reverse: bool = False) -> list[str]:
        """Point values ordered weakest practice first (reversed for a reverse-scored question)."""
        values = [p.value for p in self.points]
        return values[::-1] if reverse else values

    def allowed_answers(self, reverse: bool = False) -> list[str]:
        """Every permitted answer: scored points weakest first, then dont_know, na."""
        out = self.scored_values(reverse)
        if self.allow_dont_know:
            out.append(ANSWER_DONT_KNOW)
        if self.allow_na:
            out.append(ANSWER_NA)
        return out

    def label_of(self, value: str) -> str:
        for p in self.points:
            if p.value == value:
                return p.label
        return RESERVED_ANSWERS.get(value, value)


class TierWording(_Model):
    tier: str
    text: str = Field(min_length=1)

    @field_validator("tier")
    @classmethod
    def _known_tier(cls, v: str) -> str:
        if v not in CAPTURE_TIERS:
            raise ValueError(f"unknown tier '{v}'; expected one of {', '.join(CAPTURE_TIERS)}")
        return v


class Question(_Model):
    id: str
    theme: str = ""  # filled from the theme file by the loader
    scale: str
    reverse: bool = False
    weight: float = Field(1.0, gt=0)
    aspect: Literal["paper", "practice"] = "practice"
    detects: tuple[str, ...] = ()
    tiers: tuple[TierWording, ...] = Field(min_length=1)
    prompts: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    mappings: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    questions_to_consider: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"question id '{v}' must be letters, digits, '-', '_' or '.'")
        return v

    @field_validator("tiers")
    @classmethod
    def _tiers_unique(cls, v: tuple[TierWording, ...]) -> tuple[TierWording, ...]:
        seen = [t.tier for t in v]
        dupes = sorted({t for t in seen if seen.count(t) > 1})
        if dupes:
            raise ValueError(f"tier listed twice: {', '.join(dupes)}")
        return v

    @property
    def tier_ids(self) -> tuple[str, ...]:
        return tuple(t.tier for t in self.tiers)

    def wording(self, tier: str) -> str | None:
        """The question as put to `tier`; None when it is not asked of that tier.

        The self-assessment uses its own wording when the question has one, else the
        wording of the first of SELF_ASSESSMENT_WORDING_FROM the question has (the
        organisation speaking of itself), so a set written before self-assessments
        existed still has one. A question asked only of people who use services or of
        front-line staff is not in the self-assessment unless worded for it.
        """
        for t in self.tiers:
            if t.tier == tier:
                return t.text
        if tier == SELF_ASSESSMENT:
            for source in SELF_ASSESSMENT_WORDING_FROM:
                text = self.wording(source)
                if text is not None:
                    return text
        return None

    def asks(self, tier: str) -> bool:
        """True when the question is put to `tier` (see `wording`)."""
        return self.wording(tier) is not None

    @property
    def asked_of(self) -> tuple[str, ...]:
        """Every tier the question is put to: its own tiers, and the self-assessment."""
        own = self.tier_ids
        return (
            (*own, SELF_ASSESSMENT)
            if SELF_ASSESSMENT not in own and self.asks(SELF_ASSESSMENT)
            else own
        )


class Theme(_Model):
    id: str
    title: str
    description: str = ""
    order: int = 0

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"theme id '{v}' must be letters, digits, '-', '_' or '.'")
        return v


class QuestionSet(_Model):
    """A whole versioned question set: the unit an audit snapshots."""

    id: str
    title: str
    version: int = Field(ge=1)
    description: str = ""
    settings: AnalysisSettings = AnalysisSettings()
    codes: dict[str, str] = Field(default_factory=dict)
    scales: dict[str, AnswerScale]
    themes: tuple[Theme, ...]
    questions: tuple[Question, ...]

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    def question(self, question_id: str) -> Question:
        from sgaudit.errors import NotFound

        try:
            return self.questions_by_id[question_id]
        except KeyError:
            raise NotFound(
                f"unknown question id '{question_id}' in set {self.id} v{self.version}"
            ) from None

    def scale_of(self, question_id: str) -> AnswerScale:
        return self.scales[self.question(question_id).scale]

    def allowed_answers(self, question_id: str) -> list[str]:
        q = self.question(question_id)
        return self.scales[q.scale].allowed_answers(q.reverse)

    def questions_for_tier(self, tier: str) -> list[Question]:
        """The questions asked of a tier, in theme order then file order."""
        order = {t.id: i for i, t in enumerate(self.themes)}
        qs = [q for q in self.questions if q.asks(tier)]
        return sorted(qs, key=lambda q: order.get(q.theme, 999))

    def asked_cells(self) -> set[tuple[str, str]]:
        """Every (theme, tier) the set puts a question to: a cell of the golden thread
        with no answers is "not heard" there and "not asked" elsewhere."""
        return {(q.theme, tier) for q in self.questions for tier in q.tier_ids}

    def snapshot(self) -> dict:
        """A JSON-ready copy stored with an audit."""
        return self.model_dump(mode="json")

    # ---- frames for the pure analysis -------------------------------------------------
    def questions_frame(self) -> pd.DataFrame:
        """question_id, theme, scale, reverse, weight, aspect (one row per question)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "question_id": [q.id for q in self.questions],
                "theme": [q.theme for q in self.questions],
                "scale": [q.scale for q in self.questions],
                "reverse": [q.reverse for q in self.questions],
                "weight": [float(q.weight) for q in self.questions],
                "aspect": [q.aspect for q in self.questions],
            }
        )

    def scale_points_frame(self) -> pd.DataFrame:
        """scale, answer, score (0-100 weakest->strongest, NaN if unscored), kind.

        The score is for a question that is NOT reverse-scored; analysis inverts it
        (100 - score) for reverse-scored questions.
        """
        import pandas as pd

        rows: list[tuple[str, str, float, str]] = []
        for name, scale in self.scales.items():
            k = len(scale.points)
            for i, p in enumerate(scale.points):
                rows.append((name, p.value, i / (k - 1) * 100.0, "scored"))
            if scale.allow_dont_know:
                rows.append((name, ANSWER_DONT_KNOW, float("nan"), "dont_know"))
            if scale.allow_na:
                rows.append((name, ANSWER_NA, float("nan"), "na"))
        return pd.DataFrame(rows, columns=["scale", "answer", "score", "kind"])

    def themes_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {
                "theme": [t.id for t in self.themes],
                "title": [t.title for t in self.themes],
                "order": list(range(len(self.themes))),
            }
        )

    def questions_to_consider(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {t.id: [] for t in self.themes}
        for q in self.questions:
            for item in q.questions_to_consider:
                if item not in out.setdefault(q.theme, []):
                    out[q.theme].append(item)
        return out
