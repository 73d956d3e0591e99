"""Question sets held as versioned YAML: models, loader, coverage."""

from sgaudit.questionnaire.loader import load_question_set, question_set_from_snapshot
from sgaudit.questionnaire.models import AnswerScale, Question, QuestionSet
from sgaudit.questionnaire.settings import AnalysisSettings

__all__ = [
    "AnalysisSettings",
    "AnswerScale",
    "Question",
    "QuestionSet",
    "load_question_set",
    "question_set_from_snapshot",
]
