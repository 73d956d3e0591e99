"""Synthetic audits with planted patterns, for tests, the benchmark and demos.

`synthetic_audit` builds an `AuditData` whose answers are drawn so that each answer's
expected score is a chosen target: every answer starts at `base_score` and each
`Plant` that matches it (by theme, tier, service area, aspect) overrides the target
score and/or the chance of a don't-know. Scores are placed on the scale's points by
stochastic rounding, so the expected 0-100 score of an answer equals its target and
cell means land close to the planted values even in small samples.

Everything is vectorised with numpy; 1 million responses take a few seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sgaudit.analysis.data import AuditData
from sgaudit.questionnaire.models import (
    AnswerScale,
    Question,
    QuestionSet,
    ScalePoint,
    Theme,
    TierWording,
)
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.vocab import ANSWER_DONT_KNOW, TIERS

THEMES: tuple[tuple[str, str, str], ...] = (
    ("recruitment", "Safer recruitment", "REC"),
    ("training", "Induction, training and supervision", "TRN"),
    ("safer_working", "Safer working practices", "SWP"),
    ("policies", "Policies, procedures and guidance", "POL"),
    ("casework", "Casework", "CAS"),
    ("complaints", "Complaints and whistleblowing", "CWB"),
    ("leadership", "Leadership and management", "LDR"),
    ("dsl", "Designated Safeguarding Lead", "DSL"),
    ("quality_assurance", "Quality assurance", "QA"),
    ("governance", "Governance", "GOV"),
    ("culture", "Culture", "CUL"),
)
AREAS: tuple[str, ...] = ("Children's homes", "Day services", "Outreach", "Housing")
BENCH_AREAS: tuple[str, ...] = (*AREAS, "Schools", "Sport")
# Share of interviews per tier in a realistic audit (front line heaviest).
TIER_SHARES: dict[str, float] = {
    "service_user": 0.2,
    "front_line": 0.4,
    "manager": 0.15,
    "dsl": 0.05,
    "senior_leader": 0.1,
    "board": 0.1,
}
_SCALES: dict[str, AnswerScale] = {
    "agree5": AnswerScale(
        label="Agreement (5 point)",
        points=tuple(
            ScalePoint(value=v, label=v.replace("_", " ").capitalize())
            for v in ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
        ),
        allow_na=True,
    ),
    "maturity": AnswerScale(
        label="Practice maturity (0-4)",
        points=tuple(ScalePoint(value=str(i), label=f"Level {i}") for i in range(5)),
    ),
    "yes_partly_no": AnswerScale(
        label="Yes / partly / no",
        points=(
            ScalePoint(value="no", label="No"),
            ScalePoint(value="partly", label="Partly"),
            ScalePoint(value="yes", label="Yes"),
        ),
    ),
    "free_text": AnswerScale(label="Free text", kind="text"),
}
_ORDINAL = ("agree5", "maturity", "yes_partly_no")


@dataclass(frozen=True)
class Plant:
    """Override the expected answers that match it. Empty filters match everything.

    score: target 0-100 score of matching answers; dont_know: chance (0-1) that a
    matching answer is "don't know". Later plants win over earlier ones.
    """

    theme: str | None = None
    tiers: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    aspect: str | None = None
    score: float | None = None
    dont_know: float | None = None


def systemic(theme: str, score: float = 35) -> list[Plant]:
    """The theme is weak in every area and at every tier."""
    return [Plant(theme=theme, score=score)]


def localised(theme: str, areas: Sequence[str], score: float = 30) -> list[Plant]:
    """The theme is weak in the named areas only."""
    return [Plant(theme=theme, areas=tuple(areas), score=score)]


def thread_break(
    theme: str, tier: str = "board", tier_score: float = 90, front_line: float = 40
) -> list[Plant]:
    """`tier` rates the theme at tier_score while the front line rates it at front_line."""
    return [
        Plant(theme=theme, tiers=("front_line",), score=front_line),
        Plant(theme=theme, tiers=(tier,), score=tier_score),
    ]


def knowledge_gap(theme: str, tiers: Sequence[str] = ("board",), rate: float = 0.5) -> list[Plant]:
    """`tiers` answer don't-know to a share `rate` of the theme's questions."""
    return [Plant(theme=theme, tiers=tuple(tiers), dont_know=rate)]


def paper_practice(theme: str, paper: float = 88, practice: float = 40) -> list[Plant]:
    """Documents score well, practice poorly."""
    return [
        Plant(theme=theme, aspect="paper", score=paper),
        Plant(theme=theme, aspect="practice", score=practice),
    ]


def synthetic_question_set(
    questions_per_theme: int = 11, settings: AnalysisSettings | None = None
) -> QuestionSet:
    """Eleven themes of `questions_per_theme` questions, every one asked at every tier.

    Per theme: scales cycle through agree5, maturity and yes/partly/no; every 5th
    question is reverse-scored, every 4th weighs 2, every 3rd is a `paper` question,
    and the last one is free text.
    """
    themes, questions = [], []
    for order, (theme_id, title, prefix) in enumerate(THEMES):
        themes.append(Theme(id=theme_id, title=title, order=order))
        for i in range(1, questions_per_theme + 1):
            last = i == questions_per_theme
            questions.append(
                Question(
                    id=f"{prefix}-{i:02d}",
                    theme=theme_id,
                    scale="free_text" if last else _ORDINAL[i % len(_ORDINAL)],
                    reverse=(i % 5 == 0) and not last,
                    weight=2.0 if i % 4 == 0 else 1.0,
                    aspect="paper" if i % 3 == 0 else "practice",
                    tiers=tuple(TierWording(tier=t, text=f"{title} item {i}") for t in TIERS),
                    questions_to_consider=(f"How does the board know that {title.lower()} works?",)
                    if i == 1
                    else (),
                )
            )
    return QuestionSet(
        id="synthetic",
        title="Synthetic question set",
        version=1,
        settings=settings or AnalysisSettings(),
        scales=_SCALES,
        themes=tuple(themes),
        questions=tuple(questions),
    )


def synthetic_interviews(
    areas: Sequence[str] = AREAS,
    per_tier_area: int | Mapping[str, int] = 3,
    total: int | None = None,
    group_share: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Interviews: interview_id, tier, service_area, mode, people.

    Either `per_tier_area` interviews for each tier in each area (a mapping gives a
    count per tier; missing tiers get none), or `total` interviews drawn with
    TIER_SHARES and areas uniformly. A share `group_share` of service-user and
    front-line interviews are focus groups of 3-8 people.
    """
    rng = np.random.default_rng(seed)
    if total is not None:
        tiers = rng.choice(list(TIER_SHARES), size=total, p=list(TIER_SHARES.values()))
        area_of = rng.choice(np.asarray(areas, dtype=object), size=total)
    else:
        counts = (
            per_tier_area
            if isinstance(per_tier_area, Mapping)
            else dict.fromkeys(TIERS, per_tier_area)
        )
        pairs = [(t, a) for t in TIERS for a in areas for _ in range(counts.get(t, 0))]
        tiers = np.array([p[0] for p in pairs], dtype=object)
        area_of = np.array([p[1] for p in pairs], dtype=object)
    n = len(tiers)
    group = np.isin(tiers, ["service_user", "front_line"]) & (rng.random(n) < group_share)
    people = np.where(group, rng.integers(3, 9, size=n), 1)
    area_index = {a: i for i, a in enumerate(areas)}
    ids = [
        f"{t[:2].upper()}{area_index[a]}-{i:06d}"
        for i, (t, a) in enumerate(zip(tiers, area_of, strict=True))
    ]
    return pd.DataFrame(
        {
            "interview_id": ids,
            "tier": pd.array(tiers, dtype="str"),
            "service_area": pd.array(area_of, dtype="str"),
            "mode": np.where(group, "focus_group", "interview"),
            "people": people.astype(np.int64),
        }
    )


_NOTES = (
    "Staff said they would go straight to their manager but were unsure what happens next.",
    "The policy exists but nobody could say where to find it.",
    "Supervision is often cancelled when the rota is short.",
    "People felt listened to when they raised a worry.",
    "Trustees receive a quarterly report with numbers but no themes.",
    "Out of hours there is no one to call about a concern.",
    "The DSL is respected and easy to reach.",
    "Training was online only and did not mention our own procedures.",
)


def planted_targets(
    plants: Sequence[Plant],
    qframe: pd.DataFrame,
    interviews: pd.DataFrame,
    row_i: np.ndarray,
    row_q: np.ndarray,
    base_score: float,
    base_dont_know: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Target score and don't-know chance of every (interview, question) row, planted.

    Later plants win where they overlap. Rows are given by their interview (`row_i`,
    positions in `interviews`) and question (`row_q`, positions in `qframe`).
    """
    n = len(row_i)
    target = np.full(n, float(base_score))
    dk_chance = np.full(n, float(base_dont_know))
    theme_of = qframe["theme"].to_numpy()[row_q]
    aspect_of = qframe["aspect"].to_numpy()[row_q]
    tier_of = interviews["tier"].astype(str).to_numpy()[row_i]
    area_of = interviews["service_area"].astype(str).to_numpy()[row_i]
    for plant in plants:
        mask = np.ones(n, dtype=bool)
        if plant.theme is not None:
            mask &= theme_of == plant.theme
        if plant.tiers:
            mask &= np.isin(tier_of, plant.tiers)
        if plant.areas:
            mask &= np.isin(area_of, plant.areas)
        if plant.aspect is not None:
            mask &= aspect_of == plant.aspect
        if plant.score is not None:
            target[mask] = plant.score
        if plant.dont_know is not None:
            dk_chance[mask] = plant.dont_know
    return target, dk_chance


def place_on_scales(
    qs: QuestionSet,
    qframe: pd.DataFrame,
    row_q: np.ndarray,
    target: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each target (0-100) as an answer on its question's scale, by stochastic rounding.

    The expected score of the answer is the target. Returns the answers (an empty string
    for a free-text question), whether each row's question is free text (no scale
    points) and whether it allows "don't know".
    Draws one uniform number per row from `rng`.
    """
    scales = [qs.scales[s] for s in qframe["scale"]]
    k = np.array([len(s.points) for s in scales])
    table = np.full((len(qframe), max(int(k.max()), 1)), "", dtype=object)
    for qi, (scale, rev) in enumerate(zip(scales, qframe["reverse"], strict=True)):
        values = scale.scored_values(bool(rev))
        table[qi, : len(values)] = values
    kq = k[row_q]
    idx = np.floor(target / 100.0 * np.maximum(kq - 1, 1) + rng.random(len(row_q)))
    answer = table[row_q, np.clip(idx.astype(np.int64), 0, np.maximum(kq - 1, 0))]
    allow_dk = np.array([s.allow_dont_know for s in scales])[row_q]
    return answer, kq == 0, allow_dk


def synthetic_responses(
    question_set: QuestionSet,
    interviews: pd.DataFrame,
    *,
    answers_per_interview: int | None = None,
    base_score: float = 80.0,
    base_dont_know: float = 0.02,
    interview_sd: float = 4.0,
    plants: Sequence[Plant] = (),
    note_share: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """Responses for `interviews`, with the planted patterns.

    Each interview answers every question asked of its tier, or a random
    `answers_per_interview` of them. `interview_sd` adds a per-interview shift to the
    target (how generous a respondent is). A share `note_share` of answers carry a note,
    and half of those are marked quotable.
    """
    rng = np.random.default_rng(seed)
    qs = question_set
    qframe = qs.questions_frame()
    n_q, n_i = len(qframe), len(interviews)
    asked = np.array(
        [[t in q.tier_ids for q in qs.questions] for t in TIERS], dtype=bool
    )  # tier x question
    tier_code = pd.Index(TIERS).get_indexer(interviews["tier"].astype(str))
    # Random priority per (interview, question); unasked questions sort last.
    priority = rng.random((n_i, n_q)) + ~asked[tier_code] * 2.0
    per = n_q if answers_per_interview is None else min(answers_per_interview, n_q)
    chosen = np.argsort(priority, axis=1)[:, :per]
    ok = np.take_along_axis(priority, chosen, axis=1) < 2.0
    row_i = np.repeat(np.arange(n_i), per)[ok.ravel()]
    row_q = chosen.ravel()[ok.ravel()]
    n = len(row_i)

    target, dk_chance = planted_targets(
        plants, qframe, interviews, row_i, row_q, base_score, base_dont_know
    )
    target += rng.normal(0, interview_sd, n_i)[row_i] if interview_sd else 0.0
    answer, text, allow_dk = place_on_scales(qs, qframe, row_q, np.clip(target, 0, 100), rng)
    answer[text] = np.array(_NOTES, dtype=object)[rng.integers(0, len(_NOTES), text.sum())]
    answer[allow_dk & (rng.random(n) < dk_chance)] = ANSWER_DONT_KNOW

    has_note = rng.random(n) < note_share
    note = np.where(has_note, np.array(_NOTES, dtype=object)[rng.integers(0, len(_NOTES), n)], "")
    quotable = has_note & (rng.random(n) < 0.5)
    take = interviews.iloc[row_i].reset_index(drop=True)
    return pd.DataFrame(
        {
            "interview_id": take["interview_id"],
            "tier": take["tier"],
            "service_area": take["service_area"],
            "mode": take["mode"],
            "people": take["people"],
            "question_id": pd.array(qframe["question_id"].to_numpy()[row_q], dtype="str"),
            "answer": pd.array(answer, dtype="str"),
            "note": pd.array(note, dtype="str"),
            "quotable": quotable,
        }
    )


def synthetic_audit(
    *,
    question_set: QuestionSet | None = None,
    areas: Sequence[str] = AREAS,
    per_tier_area: int | Mapping[str, int] = 3,
    total_interviews: int | None = None,
    group_share: float = 0.0,
    plants: Sequence[Plant] = (),
    seed: int = 0,
    **response_options: object,
) -> AuditData:
    """A whole synthetic audit (see module docstring); options go to `synthetic_responses`."""
    qs = question_set or synthetic_question_set()
    interviews = synthetic_interviews(
        areas, per_tier_area, total=total_interviews, group_share=group_share, seed=seed
    )
    responses = synthetic_responses(
        qs, interviews, plants=plants, seed=seed + 1, **response_options
    )
    return AuditData.from_question_set(qs, responses)


def audit_of_size(n_responses: int, seed: int = 0) -> AuditData:
    """A realistic audit of about `n_responses` answers, for the benchmark.

    121 questions, all six tiers, six service areas, interviews of 60 answers, a fifth
    of front-line and service-user interviews are focus groups, with a few patterns
    planted so every finding kind is exercised.
    """
    plants = [
        *systemic("culture", 45),
        *localised("casework", ["Outreach"], 35),
        *thread_break("governance", "board", 90, 45),
        *knowledge_gap("quality_assurance", ["board", "senior_leader"], 0.45),
        *paper_practice("policies", 88, 45),
    ]
    return synthetic_audit(
        areas=BENCH_AREAS,
        total_interviews=max(n_responses // 60, 6),
        answers_per_interview=60,
        group_share=0.2,
        plants=plants,
        seed=seed,
    )
