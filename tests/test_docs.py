"""Every questionnaire field and analysis setting is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgaudit.questionnaire.models import (
    AnswerScale,
    Question,
    QuestionSet,
    ScalePoint,
    Theme,
    TierWording,
)
from sgaudit.questionnaire.settings import AnalysisSettings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
INTERNAL = {"order"}  # filled by the loader, not written by users


@pytest.mark.parametrize(
    "model", [QuestionSet, AnalysisSettings, AnswerScale, ScalePoint, Question, TierWording, Theme]
)
def test_every_questionnaire_field_is_documented_in_the_readme(model):
    missing = [
        name for name in model.model_fields
        if name not in INTERNAL and f"`{name}`" not in README
    ]
    assert not missing, f"{model.__name__} fields not documented in README.md: {missing}"


def test_the_readme_gives_the_two_set_up_commands():
    assert "./run.sh app" in README and "./run.sh test" in README
