"""Realistic synthetic audits: the shape and noise of real fieldwork, for the validation suite.

Unlike `synthetic.py` (every tier answers every question, little noise), these audits
use a real question set (the core one), where each tier is asked its own questions, and people
vary as they do:

- 3 to 8 service areas, each with 2 to 8 front-line staff, 1 or 2 managers and 2 to
  5 people who use services (a third of them in focus groups of 3 to 6), plus a
  Central Services area holding the DSL, 2 to 4 senior leaders and 3 to 6 trustees;
- every answer's expected score is the base (80) or a planted value, plus a person
  effect (SD 10, how generous a respondent is), a question-by-tier effect (SD 5, how
  a tier reads a question) and answer noise (SD 15), placed on the scale by
  stochastic rounding.

Patterns are planted with `synthetic.Plant` (theme, tiers, areas, aspect, score or
don't-know chance). Everything is vectorised with numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sgaudit.analysis.data import AuditData
from sgaudit.analysis.synthetic import Plant, place_on_scales, planted_targets
from sgaudit.questionnaire.models import QuestionSet
from sgaudit.vocab import ANSWER_DONT_KNOW, TIERS

CENTRAL = "Central Services"
AREA_NAMES: tuple[str, ...] = (
    "Children's homes",
    "Day services",
    "Outreach",
    "Housing",
    "Schools",
    "Sport",
    "Fostering",
    "Advocacy",
)


def realistic_interviews(
    seed: int,
    *,
    areas: int | None = None,
    front_line: tuple[int, int] = (2, 8),
    managers: tuple[int, int] = (1, 2),
    service_users: tuple[int, int] = (2, 5),
    dsl: int = 1,
    senior_leaders: tuple[int, int] = (2, 4),
    board: tuple[int, int] = (3, 6),
    scope_voices: int | None = None,
) -> pd.DataFrame:
    """Interviews: interview_id, tier, service_area, mode, people (ranges are inclusive).

    `scope_voices`: exactly this many interviews of the tiers that compare service areas
    (people who use services, front-line staff, managers) in all, the drawn counts scaled
    to it (`_scaled`), so the organisation's size is fixed while its shape stays drawn.
    """
    rng = np.random.default_rng(seed)
    k = areas if areas is not None else int(rng.integers(3, 9))
    names = list(AREA_NAMES[:k])
    cells = [
        (tier, name, int(rng.integers(lo, hi + 1)))
        for name in names
        for tier, (lo, hi) in (
            ("service_user", service_users),
            ("front_line", front_line),
            ("manager", managers),
        )
    ]
    counts = [c for _, _, c in cells]
    if scope_voices is not None:
        counts = _scaled(counts, scope_voices)
    rows: list[tuple[str, str]] = []
    for (tier, name, _), count in zip(cells, counts, strict=True):
        rows += [(tier, name)] * count
    rows += [("dsl", CENTRAL)] * dsl
    rows += [("senior_leader", CENTRAL)] * int(
        rng.integers(senior_leaders[0], senior_leaders[1] + 1)
    )
    rows += [("board", CENTRAL)] * int(rng.integers(board[0], board[1] + 1))
    tiers = np.array([r[0] for r in rows], dtype=object)
    group = (tiers == "service_user") & (rng.random(len(rows)) < 1 / 3)
    return pd.DataFrame(
        {
            "interview_id": [f"R{seed}-{i:04d}" for i in range(len(rows))],
            "tier": tiers.astype(str),
            "service_area": [r[1] for r in rows],
            "mode": np.where(group, "focus_group", "interview"),
            "people": np.where(group, rng.integers(3, 7, len(rows)), 1).astype(np.int64),
        }
    )


def _scaled(counts: Sequence[int], total: int) -> list[int]:
    """`counts` scaled to sum to `total` (largest remainder), each at least 1."""
    if total < len(counts):
        raise ValueError(f"scope_voices {total} is fewer than the {len(counts)} cells to fill")
    share = np.asarray(counts, dtype=float) * (total - len(counts)) / max(sum(counts), 1)
    out = np.floor(share).astype(int)
    short = (total - len(counts)) - int(out.sum())
    out[np.argsort(-(share - out), kind="stable")[:short]] += 1
    return [int(c) + 1 for c in out]


# realistic_audit draws the answers from the fieldwork's seed plus this
RESPONSES_SEED_OFFSET = 10_000
# How generous a respondent is, and how a tier reads a question (module docstring).
PERSON_SD = 10.0
QUESTION_TIER_SD = 5.0


def respondent_variation(
    rng: np.random.Generator,
    n_interviews: int,
    n_questions: int,
    person_sd: float = PERSON_SD,
    question_tier_sd: float = QUESTION_TIER_SD,
) -> tuple[np.ndarray, np.ndarray]:
    """How generous each respondent is (one per interview), and how each tier reads each
    question (questions x TIERS): the first draws `realistic_responses` makes from `rng`."""
    return (
        rng.normal(0, person_sd, n_interviews),
        rng.normal(0, question_tier_sd, (n_questions, len(TIERS))),
    )


def realistic_responses(
    qs: QuestionSet,
    interviews: pd.DataFrame,
    plants: Sequence[Plant] = (),
    seed: int = 0,
    *,
    base_score: float = 80.0,
    person_sd: float = PERSON_SD,
    answer_sd: float = 15.0,
    question_tier_sd: float = QUESTION_TIER_SD,
    base_dont_know: float = 0.02,
) -> pd.DataFrame:
    """Every interview answers every question asked of its tier (see module docstring)."""
    rng = np.random.default_rng(seed)
    qframe = qs.questions_frame()
    n_q = len(qframe)
    asked = np.array([[t in q.tier_ids for q in qs.questions] for t in TIERS], dtype=bool)
    tier_code = pd.Index(TIERS).get_indexer(interviews["tier"].astype(str))
    row_i, row_q = np.nonzero(asked[tier_code])
    n = len(row_i)
    target, dk = planted_targets(
        plants, qframe, interviews, row_i, row_q, base_score, base_dont_know
    )
    each_person, each_reading = respondent_variation(
        rng, len(interviews), n_q, person_sd, question_tier_sd
    )
    person = each_person[row_i]
    q_tier = each_reading[row_q, tier_code[row_i]]
    target = np.clip(target + person + q_tier + rng.normal(0, answer_sd, n), 0, 100)
    answer, text, allow_dk = place_on_scales(qs, qframe, row_q, target, rng)
    answer[text] = "Said more in their own words."
    answer[allow_dk & (rng.random(n) < dk)] = ANSWER_DONT_KNOW
    take = interviews.iloc[row_i].reset_index(drop=True)
    return pd.DataFrame(
        {
            "interview_id": take["interview_id"],
            "tier": take["tier"],
            "service_area": take["service_area"],
            "mode": take["mode"],
            "people": take["people"],
            "question_id": qframe["question_id"].to_numpy()[row_q].astype(str),
            "answer": answer.astype(str),
            "note": "",
            "quotable": False,
        }
    )


def realistic_audit(
    seed: int,
    question_set: QuestionSet,
    plants: Sequence[Plant] = (),
    noise: dict | None = None,
    **fieldwork,
) -> AuditData:
    """One realistic audit (module docstring): fieldwork options go to `realistic_interviews`.

    `question_set` is normally the core set (`load_question_set("questionnaires/core")`).
    """
    qs = question_set
    interviews = realistic_interviews(seed, **fieldwork)
    responses = realistic_responses(
        qs, interviews, plants, seed + RESPONSES_SEED_OFFSET, **(noise or {})
    )
    return AuditData.from_question_set(qs, responses)


def service_areas(data: AuditData) -> list[str]:
    """The audit's service areas other than Central Services, in the order generated."""
    areas = data.responses["service_area"].astype(str)
    return [a for a in dict.fromkeys(areas) if a != CENTRAL]
