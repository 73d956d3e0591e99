"""The demo re-audit's self-assessment: Riverside's own answers before the re-audit.

The organisation's lead answered the question set for the organisation. On most
themes the answers sit where the re-audit's evidence does (a shade generous, as
self-assessments are); on complaints and governance the organisation rates itself
far better than the people heard, so `sgaudit analyse` on the re-audit shows
self-assessment optimism there. Fictional, like the rest of the demo.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from sgaudit.questionnaire import QuestionSet
from sgaudit.store import repo
from sgaudit.store.models import Audit, Response
from sgaudit.vocab import SELF_ASSESSMENT

CODE = "SA-RCT01"
# Points above the re-audit's published theme score the organisation rates itself.
OPTIMISM: dict[str, float] = {"complaints": 30, "governance": 26}
GENEROUS = 4  # every other theme: a shade generous, within the noise
NOTES: dict[str, str] = {
    "complaints": "Our procedure was rewritten last year with stages and time frames.",
    "governance": "Safeguarding is a standing item at every board meeting.",
}


def add_self_assessment(
    session: Session,
    audit: Audit,
    qs: QuestionSet,
    published: Mapping[str, float],
    *,
    service_area: str,
    actor: str,
) -> None:
    """The organisation's self-assessment of `audit`, set `OPTIMISM` above the audit's
    `published` overall theme scores (theme -> score; hidden themes left out)."""
    interview = repo.start_interview(
        session,
        audit,
        tier=SELF_ASSESSMENT,
        service_area=service_area,
        mode="survey",
        held_on=audit.start_date,
        auditor=audit.auditor_1 or "",
        people=1,
        consent_confirmed=True,
        code=CODE,
        actor=actor,
    )
    interview.completed = True
    rows, notes = [], dict(NOTES)
    for q in qs.questions_for_tier(SELF_ASSESSMENT):
        scale = qs.scales[q.scale]
        if scale.kind != "ordinal" or q.theme not in published:
            continue
        target = min(100.0, published[q.theme] + OPTIMISM.get(q.theme, GENEROUS))
        points = scale.scored_values(q.reverse)  # weakest practice first
        answer = points[int(round(target / 100 * (len(points) - 1)))]
        repo.check_answer(qs, q.id, SELF_ASSESSMENT, answer)
        note = notes.pop(q.theme, "")  # one note per theme, on its first answer
        rows.append(
            Response(
                interview_id=interview.id, question_id=q.id, answer=answer, note=note,
                quotable=False, updated_by=audit.auditor_1 or actor,
            )
        )  # fmt: skip
    session.add_all(rows)
    session.flush()
    repo.log_change(
        session, "demo", "interview", interview.id, actor=actor, audit_id=audit.id,
        detail={"self_assessment": CODE, "answers": len(rows)},
    )  # fmt: skip
