"""Load a question set folder into a validated `QuestionSet`.

Every problem is collected before anything is returned, each naming the file, the
path inside it (e.g. `questions[3].tiers[1].tier`) and what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sgaudit.errors import QuestionnaireError
from sgaudit.limits import MAX_YAML_BYTES, LimitExceeded, read_limited_text, safe_load_yaml
from sgaudit.questionnaire.models import AnswerScale, Question, QuestionSet, Theme
from sgaudit.questionnaire.settings import AnalysisSettings

SET_FILE = "_set.yaml"
CORE_SET_DIR = Path(__file__).resolve().parents[2] / "questionnaires" / "core"


class _SetFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    id: str
    title: str
    version: int = Field(ge=1)
    description: str = ""
    settings: AnalysisSettings = AnalysisSettings()
    codes: dict[str, str] = Field(default_factory=dict)
    scales: dict[str, AnswerScale]
    theme_order: list[str] = Field(default_factory=list)


class _ThemeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    theme: Theme
    questions: list[Question] = Field(min_length=1)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _validation_problems(file: Path, err: ValidationError) -> list[str]:
    problems = []
    for e in err.errors():
        msg = e["msg"].removeprefix("Value error, ")
        problems.append(f"{file}: {_loc(e['loc'])}: {msg}")
    return problems


def _read_yaml(file: Path, problems: list[str]) -> Any:
    try:
        text = read_limited_text(file, MAX_YAML_BYTES, "YAML file")
    except LimitExceeded as exc:
        problems.append(f"{file}: {exc}")
        return None
    try:
        data = safe_load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problems.append(f"{file}: is not valid YAML{where}: {getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{file}: (top level): expected a mapping of fields")
        return None
    return data


def load_question_set(folder: str | Path | None = None) -> QuestionSet:
    """Load and validate the question set in `folder` (default: the core set).

    Raises QuestionnaireError listing every problem in every file.
    """
    root = Path(folder) if folder is not None else CORE_SET_DIR
    problems: list[str] = []
    if not root.is_dir():
        raise QuestionnaireError([f"{root}: is not a folder of question set YAML files"])
    set_path = root / SET_FILE
    if not set_path.is_file():
        raise QuestionnaireError([f"{set_path}: missing (every set needs a {SET_FILE})"])

    meta: _SetFile | None = None
    raw = _read_yaml(set_path, problems)
    if raw is not None:
        try:
            meta = _SetFile.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_validation_problems(set_path, exc))

    themes: list[Theme] = []
    questions: list[Question] = []
    where_q: dict[str, str] = {}
    theme_files = sorted(p for p in root.glob("*.y*ml") if p.name != SET_FILE)
    if not theme_files:
        problems.append(f"{root}: has no theme files (one YAML file per theme)")
    for file in theme_files:
        data = _read_yaml(file, problems)
        if data is None:
            continue
        try:
            tf = _ThemeFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(_validation_problems(file, exc))
            continue
        if any(t.id == tf.theme.id for t in themes):
            problems.append(
                f"{file}: theme.id: theme '{tf.theme.id}' is defined in another file too"
            )
        themes.append(tf.theme.model_copy(update={"order": len(themes)}))
        for i, q in enumerate(tf.questions):
            path = f"{file}: questions[{i}]"
            if q.id in where_q:
                problems.append(f"{path}.id: '{q.id}' is already used at {where_q[q.id]}")
            where_q[q.id] = path
            if meta is not None:
                if q.scale not in meta.scales:
                    problems.append(
                        f"{path}.scale: unknown scale '{q.scale}'; the set defines "
                        f"{', '.join(sorted(meta.scales))}"
                    )
                if meta.codes:
                    for j, code in enumerate(q.detects):
                        if code not in meta.codes:
                            problems.append(
                                f"{path}.detects[{j}]: unknown code '{code}' (not in {SET_FILE} codes)"
                            )
            questions.append(q.model_copy(update={"theme": tf.theme.id}))

    if meta is not None and meta.theme_order:
        known = {t.id for t in themes}
        for j, tid in enumerate(meta.theme_order):
            if tid not in known:
                problems.append(f"{set_path}: theme_order[{j}]: no theme file defines '{tid}'")
        rank = {tid: i for i, tid in enumerate(meta.theme_order)}
        themes.sort(key=lambda t: (rank.get(t.id, len(rank)), t.order))
        themes = [t.model_copy(update={"order": i}) for i, t in enumerate(themes)]
    if problems or meta is None:
        raise QuestionnaireError(problems)
    try:
        return QuestionSet(
            id=meta.id,
            title=meta.title,
            version=meta.version,
            description=meta.description,
            settings=meta.settings,
            codes=meta.codes,
            scales=meta.scales,
            themes=tuple(themes),
            questions=tuple(questions),
        )
    except ValidationError as exc:  # pragma: no cover - parts were validated above
        raise QuestionnaireError(_validation_problems(root, exc)) from exc


def question_set_from_snapshot(snapshot: dict) -> QuestionSet:
    """Rebuild the exact question set an audit was run with from its stored snapshot."""
    try:
        return QuestionSet.model_validate(snapshot)
    except ValidationError as exc:
        raise QuestionnaireError(_validation_problems(Path("<audit snapshot>"), exc)) from exc
