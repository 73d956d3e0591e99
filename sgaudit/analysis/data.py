"""AuditData: the frames one audit's analysis works on (see docs/ARCHITECTURE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sgaudit.errors import SgauditError
from sgaudit.questionnaire.models import QuestionSet
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.vocab import CAPTURE_TIERS, SELF_ASSESSMENT

RESPONSE_COLUMNS: tuple[str, ...] = (
    "interview_id",
    "tier",
    "service_area",
    "mode",
    "people",
    "question_id",
    "answer",
    "note",
    "quotable",
)
QUESTION_COLUMNS: tuple[str, ...] = ("question_id", "theme", "scale", "reverse", "weight", "aspect")
SCALE_POINT_COLUMNS: tuple[str, ...] = ("scale", "answer", "score", "kind")
THEME_COLUMNS: tuple[str, ...] = ("theme", "title", "order")


def _require(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SgauditError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        raise SgauditError(f"{name} is missing {noun}: {', '.join(missing)}")


def empty_responses() -> pd.DataFrame:
    """A responses frame with the right columns and no rows."""
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "people" else "object") for c in RESPONSE_COLUMNS}
    )


@dataclass(frozen=True, eq=False)
class AuditData:
    """Everything the analysis of one audit needs, as plain frames.

    One interview has one tier, service area, mode and head count (`people`); these
    repeat on each of its response rows. Extra columns are ignored.

    Rows of the `self_assessment` tier (the organisation's own answers) are moved out
    of `responses` into `self_assessment` on construction, so no tier score, thread,
    scope, paper/practice or agreement figure can ever include them; only
    `sgaudit.analysis.self_assessment` reads them.
    """

    responses: pd.DataFrame
    questions: pd.DataFrame
    scale_points: pd.DataFrame
    themes: pd.DataFrame
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    questions_to_consider: dict[str, list[str]] = field(default_factory=dict)
    question_set_id: str = ""
    question_set_version: int = 0
    self_assessment: pd.DataFrame | None = None
    # The tiers the question set puts questions to (empty: not known). A tier asked but
    # not heard at all gets a "not heard" note, never silence.
    asked_tiers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _require(self.responses, "responses", RESPONSE_COLUMNS)
        self._split_self_assessment()
        _require(self.questions, "questions", QUESTION_COLUMNS)
        _require(self.scale_points, "scale_points", SCALE_POINT_COLUMNS)
        _require(self.themes, "themes", THEME_COLUMNS)
        dupes = self.questions["question_id"][self.questions["question_id"].duplicated()]
        if len(dupes):
            raise SgauditError(f"questions lists an id twice: {', '.join(map(str, dupes))}")
        tiers = pd.unique(self.responses["tier"].dropna())
        unknown = sorted(str(t) for t in tiers if t not in CAPTURE_TIERS)
        if unknown:
            raise SgauditError(
                f"responses has unknown {'tier' if len(unknown) == 1 else 'tiers'}: "
                f"{', '.join(unknown)}; "
                f"expected one of {', '.join(CAPTURE_TIERS)}"
            )
        if len(self.responses) and (pd.to_numeric(self.responses["people"]) < 1).any():
            raise SgauditError("responses has a 'people' count below 1")

    def _split_self_assessment(self) -> None:
        own = (self.responses["tier"] == SELF_ASSESSMENT).to_numpy(dtype=bool)
        parts = [] if self.self_assessment is None else [self.self_assessment]
        if own.any():
            parts.append(self.responses[own])
            # frozen: the split is part of construction, like a validator's
            object.__setattr__(self, "responses", self.responses[~own].reset_index(drop=True))
        if parts:
            _require(parts[0], "self_assessment", RESPONSE_COLUMNS)
        own_rows = pd.concat(parts, ignore_index=True) if parts else self.responses.iloc[:0].copy()
        object.__setattr__(self, "self_assessment", own_rows)

    @classmethod
    def from_question_set(cls, question_set: QuestionSet, responses: pd.DataFrame) -> AuditData:
        """Frames for `responses` given in answer to `question_set`."""
        return cls(
            responses=responses,
            questions=question_set.questions_frame(),
            scale_points=question_set.scale_points_frame(),
            themes=question_set.themes_frame(),
            settings=question_set.settings,
            questions_to_consider=question_set.questions_to_consider(),
            question_set_id=question_set.id,
            question_set_version=question_set.version,
            asked_tiers=tuple(dict.fromkeys(t for q in question_set.questions for t in q.tier_ids)),
        )
