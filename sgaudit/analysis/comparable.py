"""Which questions two audits can be compared on: asked the same way in both.

A question is comparable when it is in both question sets, in the same theme, and
scored the same way (the same answer points with the same scores, the same reverse
flag). Every other question is listed with its reason and left out of both audits
before anything is scored, so a change is a change in answers, never in the
questionnaire.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from sgaudit.analysis.data import AuditData

NotComparableReason = Literal[
    "only in previous", "only in current", "scale changed", "theme changed"
]


class NotComparable(BaseModel):
    """A question left out of the comparison, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    question_id: str
    reason: NotComparableReason


def _signatures(data: AuditData) -> dict[str, tuple]:
    """How each question is scored: theme, then (answer, score, kind) of every point."""
    points = data.scale_points.assign(score=data.scale_points["score"].astype(float).round(6))
    by_scale: dict[str, tuple[tuple, tuple]] = {}  # per scale: as asked, and reversed
    for scale, group in points.groupby("scale", sort=False):
        rows = list(
            group.sort_values("answer")[["answer", "score", "kind"]].itertuples(
                index=False, name=None
            )
        )
        by_scale[str(scale)] = tuple(
            tuple(
                (str(a), None if np.isnan(s) else (100 - s if reverse else s), str(k))
                for a, s, k in rows
            )
            for reverse in (False, True)
        )
    out: dict[str, tuple] = {}
    columns = ["question_id", "theme", "scale", "reverse"]
    for qid, theme, scale, reverse in data.questions[columns].itertuples(index=False, name=None):
        pts = by_scale.get(str(scale))
        out[str(qid)] = (str(theme), () if pts is None else pts[bool(reverse)])
    return out


def comparable_questions(old: AuditData, new: AuditData) -> tuple[list[str], list[NotComparable]]:
    """Question ids scored the same way in both audits, and the rest with reasons."""
    old_sig, new_sig = _signatures(old), _signatures(new)
    same, left_out = [], []
    for qid in sorted(old_sig.keys() | new_sig.keys()):
        if qid not in new_sig:
            left_out.append(NotComparable(question_id=qid, reason="only in previous"))
        elif qid not in old_sig:
            left_out.append(NotComparable(question_id=qid, reason="only in current"))
        elif old_sig[qid][0] != new_sig[qid][0]:
            left_out.append(NotComparable(question_id=qid, reason="theme changed"))
        elif old_sig[qid][1] != new_sig[qid][1]:
            left_out.append(NotComparable(question_id=qid, reason="scale changed"))
        else:
            same.append(qid)
    return same, left_out


def _all_comparable(data: AuditData, question_ids: list[str]) -> bool:
    """True when `_restrict(data, question_ids)` would leave `data` as it is."""
    keep = set(question_ids)
    asked = set(data.questions["question_id"].astype(str))
    answered = set(data.responses["question_id"].astype(str).unique())
    return asked <= keep and answered <= keep


def _restrict(data: AuditData, question_ids: list[str]) -> AuditData:
    keep = set(question_ids)
    responses = data.responses[data.responses["question_id"].astype(str).isin(keep)]
    questions = data.questions[data.questions["question_id"].astype(str).isin(keep)]
    return dataclasses.replace(data, responses=responses, questions=questions)
