"""The demo's double-scored sample: three interviews scored by both auditors, two moderated.

Kept apart from the demo's story (`demo_story.py`) and built after it: the second
auditor's scores are the lead's with a few deliberate differences (mostly one scale
point, two items two points apart), so the agreement figures and the moderation list
have something real to show.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sgaudit.store import double_scoring, repo
from sgaudit.store.models import Audit
from sgaudit.store.moderation import moderate
from sgaudit.vocab import SELF_ASSESSMENT

SAMPLE_SIZE = 3
MODERATION_REASONS = (
    "Both heard the same account; the supervision records we saw support the middle view.",
    "The staff member described the route correctly but had not used it; agreed between us.",
)


def _shift(values: list[str], answer: str, steps: int) -> str:
    if answer not in values:
        return answer
    i = values.index(answer)
    j = i + steps if 0 <= i + steps < len(values) else i - steps
    return values[max(0, min(len(values) - 1, j))]


def add_double_scored_sample(session: Session, audit: Audit) -> None:
    """Double-score the audit's first staff interviews held by its lead auditor, then moderate."""
    qs = repo.audit_question_set(audit)
    lead, second = audit.auditor_1, audit.auditor_2
    chosen = [
        iv
        for iv in repo.list_interviews(session, audit)
        if iv.mode in ("interview", "document_review")
        and iv.auditor != second
        # staff interviews and reviews, scored on five-point scales: the organisation's
        # own statement is not scored, and a conversation with someone who uses services
        # (three points) is not where the demo's auditors check they score alike
        and iv.tier not in (SELF_ASSESSMENT, "service_user")
    ][:SAMPLE_SIZE]
    far_apart: list[tuple] = []
    for n, iv in enumerate(chosen):
        double_scoring.mark_double_scored(session, iv, second_scorer=second, actor=lead)
        answers = sorted(repo.interview_answers(session, iv).items())
        seconds: dict[str, str] = {}
        for k, (qid, row) in enumerate(answers):
            question = qs.questions_by_id[qid]
            values = qs.scales[question.scale].scored_values(question.reverse)
            if not values or row.answer not in values:
                answer = row.answer
            elif n == 0 and len(values) >= 5 and len(far_apart) < 2:
                answer = _shift(values, row.answer, 2)  # two points apart: moderation
                far_apart.append((iv, qid, values, row.answer, answer))
            elif k % 5 == 2:
                answer = _shift(values, row.answer, 1)  # a one-point difference
            else:
                answer = row.answer
            seconds[qid] = answer
        double_scoring.save_second_scores(session, iv, seconds, actor=second)
        double_scoring.set_second_completed(session, iv, actor=second)
    for (iv, qid, values, first, second_answer), reason in zip(
        far_apart, MODERATION_REASONS, strict=False
    ):
        middle = values[(values.index(first) + values.index(second_answer)) // 2]
        moderate(session, iv, qid, middle, reason=reason, actor=lead)
