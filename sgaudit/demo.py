"""Build the demo: a fictional organisation with a baseline audit and a re-audit a
year later, so a new user sees every feature at once.

The story (what improved, what did not, where the problems sit) is data in
`sgaudit.demo_story`. Answers are drawn around the story's typical scores with a
fixed seed, so the demo is the same on every machine. The analysis of each audit
finds every kind of finding: systemic, localised, thread break, knowledge gap, paper
vs practice, and evidence gaps against the demo registers; the re-audit also has the
organisation's self-assessment, optimistic on two themes (`demo_self_assessment`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit import demo_decisions as decisions
from sgaudit import demo_story as story
from sgaudit.errors import SgauditError
from sgaudit.questionnaire import QuestionSet, load_question_set
from sgaudit.store import repo
from sgaudit.store.frames import load_audit_data
from sgaudit.store.models import Audit, Organisation
from sgaudit.vocab import HEARS_NOBODY

if TYPE_CHECKING:
    pass

DEMO_ORGANISATION = story.DEMO_ORGANISATION
SEED = 20250113
ACTOR = "sgaudit demo"


@dataclass(frozen=True)
class DemoResult:
    org: str
    baseline_audit_id: int
    reaudit_audit_id: int


def free_demo_name(session: Session, name: str = DEMO_ORGANISATION) -> str:
    """`name`, or `name (2)`, `name (3)` ... whichever is not taken yet."""
    taken = set(session.scalars(select(Organisation.name)))
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def build_demo(
    session: Session,
    org_name: str = DEMO_ORGANISATION,
    *,
    question_set: QuestionSet | None = None,
    registers: bool = True,
) -> DemoResult:
    """Create the demo organisation, its baseline audit and its re-audit; commit.

    Refuses an organisation name that already exists (suggesting a free one), so a
    second run never mixes with the first. `registers=False` leaves out the evidence
    registers.
    """
    name = org_name.strip()
    if session.scalar(select(Organisation.id).where(Organisation.name == name)):
        free = free_demo_name(session, name)
        raise SgauditError(
            f"an organisation called '{name}' already exists (the demo was built before). "
            f'For a fresh copy run: sgaudit demo --org "{free}"'
        )
    qs = question_set or load_question_set()
    rng = np.random.default_rng(SEED)
    from sgaudit.report.build import report_inputs

    try:
        org = repo.create_organisation(session, name, story.SERVICE_AREAS, actor=ACTOR)
        baseline = _audit(session, org, qs, "baseline", None)
        _plan_fieldwork(session, baseline, qs, "baseline")
        _fieldwork(session, baseline, qs, "baseline", rng)
        if registers:
            _attach_registers(session, baseline, "baseline")
        # Each audit is read and analysed once, with its register evidence, as the report
        # reads it: the auditors' decisions, their analysis and the opinion all use it.
        before = report_inputs(session, baseline.id)
        decisions.baseline_decisions(session, baseline, before.analysis)
        reaudit = _audit(session, org, qs, "reaudit", baseline)
        _plan_fieldwork(session, reaudit, qs, "reaudit")
        _fieldwork(session, reaudit, qs, "reaudit", rng)
        # the organisation's own answers, set against the re-audit's published scores
        from sgaudit.demo_self_assessment import add_self_assessment

        add_self_assessment(
            session, reaudit, qs, _published_scores(session, reaudit),
            service_area=story.CENTRAL, actor=ACTOR,
        )  # fmt: skip
        if registers:
            _attach_registers(session, reaudit, "reaudit")
        after = report_inputs(session, reaudit.id)
        decisions.reaudit_decisions(session, reaudit, after.analysis)
        from sgaudit.report.build import with_stored_decisions

        for audit, which, inputs in ((baseline, "baseline", before), (reaudit, "reaudit", after)):
            inputs = with_stored_decisions(session, audit.id, inputs)
            decisions.attach_analysis(session, audit, which, inputs)
            decisions.confirm_opinion(session, audit, inputs)
        session.commit()
        # after the story is committed: each step of double scoring commits on its own
        from sgaudit.demo_pairs import add_double_scored_sample

        add_double_scored_sample(session, reaudit)
    except Exception:
        session.rollback()
        raise
    return DemoResult(org=name, baseline_audit_id=baseline.id, reaudit_audit_id=reaudit.id)


def _published_scores(session: Session, audit: Audit) -> dict[str, float]:
    """Each theme's published overall score in `audit` (hidden and empty themes left out),
    as its analysis gives them, from the score tables alone."""
    import pandas as pd

    from sgaudit.analysis.scores import ScoreTables

    overall = ScoreTables.build(load_audit_data(session, audit.id)).overall
    return {
        str(r.theme): float(r.score)
        for r in overall.itertuples(index=False)
        if not r.suppressed and not pd.isna(r.score)
    }


def _audit(session: Session, org, qs: QuestionSet, which: str, previous: Audit | None) -> Audit:
    from sgaudit.registers.demo import demo_framework

    spec = story.AUDITS[which]
    audit = repo.create_audit(
        session,
        org,
        spec["title"],
        qs,
        start_date=spec["start"],
        end_date=spec["end"],
        auditor_1=story.AUDITORS[0],
        auditor_2=story.AUDITORS[1],
        scope="both",
        previous_audit=previous,
        # the Welsh framework with the demo organisation's own numbers; the re-audit
        # inherits it, so training is measured the same way both years
        framework=demo_framework() if previous is None else None,
        actor=ACTOR,
    )
    audit.status = spec["status"]
    return audit


# ---- fieldwork -------------------------------------------------------------------------
def _target(which: str, theme: str, tier: str, area: str, aspect: str) -> float:
    score = story.BASE[which][theme]
    if aspect == "paper":
        score += story.PAPER_OFFSET[which].get(theme, 5)
    score += story.TIER_OFFSET[which].get((theme, tier), story.TIER_DEFAULT[tier])
    return score + story.AREA_OFFSET[which].get((theme, area), 0)


def _plan(which: str, rng) -> list[dict]:
    """Every interview of one audit: code, tier, area, mode, people, date, share asked."""
    spec = story.AUDITS[which]
    days = (spec["end"] - spec["start"]).days
    out = []
    groups = [(area, story.FIELDWORK_PER_AREA[which]) for area in story.FIELD_AREAS]
    groups.append((story.CENTRAL, story.FIELDWORK_CENTRAL))
    for area, fieldwork in groups:
        counter: dict[str, int] = {}
        for tier, mode, (lo, hi), count, share in fieldwork:
            for _ in range(count):
                counter[tier] = counter.get(tier, 0) + 1
                out.append(
                    {
                        "code": f"{repo.TIER_CODE_PREFIX[tier]}-{story.AREA_CODES[area]}"
                        f"{counter[tier]:02d}",
                        "tier": tier,
                        "area": area,
                        "mode": mode,
                        "people": int(rng.integers(lo, hi + 1)),
                        "held_on": spec["start"] + timedelta(days=int(rng.integers(0, days))),
                        "auditor": story.AUDITORS[len(out) % 2],
                        "share": share,
                    }
                )
    return out


def _plan_fieldwork(session: Session, audit: Audit, qs: QuestionSet, which: str) -> None:
    """The auditors' plan: the most people each cell's fieldwork could bring, and at
    least the suppression minimum (so the demo's managers, two per area, fall short)."""
    planned: dict[tuple[str, str], int] = {}
    groups = [(area, story.FIELDWORK_PER_AREA[which]) for area in story.FIELD_AREAS]
    groups.append((story.CENTRAL, story.FIELDWORK_CENTRAL))
    for area, fieldwork in groups:
        for tier, mode, (_lo, hi), count, _share in fieldwork:
            if mode not in HEARS_NOBODY:  # a document review is planned as no one heard
                planned[(tier, area)] = planned.get((tier, area), 0) + count * hi
    floor = qs.settings.suppression_min
    repo.set_plan(
        session, audit, [(t, a, max(n, floor)) for (t, a), n in planned.items()], actor=ACTOR
    )


def _answers(
    qs: QuestionSet, which: str, iv: dict, rng, questions: list | None = None
) -> list[tuple[str, str]]:
    """(question id, answer) for one interview, drawn around the story's scores.

    `questions` are `qs.questions_for_tier(iv["tier"])` when the caller has them.
    """
    out = []
    for q in questions if questions is not None else qs.questions_for_tier(iv["tier"]):
        if iv["mode"] == "document_review" and q.aspect != "paper":
            continue
        if rng.random() > iv["share"]:
            continue
        scale = qs.scales[q.scale]
        if scale.kind == "text":
            out.append((q.id, story.TEXT_ANSWERS[int(rng.integers(len(story.TEXT_ANSWERS)))]))
            continue
        p_dk = story.DONT_KNOW[which].get((q.theme, iv["tier"]), story.DONT_KNOW_DEFAULT)
        if scale.allow_dont_know and rng.random() < p_dk:
            out.append((q.id, "dont_know"))
            continue
        points = scale.scored_values(q.reverse)  # weakest practice first
        latent = _target(which, q.theme, iv["tier"], iv["area"], q.aspect)
        # clipped to 0-100 with the built-ins: np.clip on one number costs ten times more
        latent = min(max(latent + float(rng.normal(0, story.NOISE_SD)), 0.0), 100.0)
        out.append((q.id, points[int(round(latent / 100 * (len(points) - 1)))]))
    return out


def _fieldwork(session: Session, audit: Audit, qs: QuestionSet, which: str, rng) -> None:
    """The interviews and their answers, written through the store's bulk path.

    Every interview is checked as `repo.start_interview` checks it and every answer
    with `repo.check_answer`, then both go in as one batch each (`store.bulk`, the
    import's path): the demo's ~9,000 answers one by one through `repo.save_answer` (a
    look-up and an audit-trail line each) would take half a minute. One change-log
    entry records the batch.
    """
    import pandas as pd

    from sgaudit.access.policy import CAPTURE
    from sgaudit.store import bulk
    from sgaudit.store.interviews import validate_interview_fields
    from sgaudit.store.scope import check

    check(session, CAPTURE, audit)
    plan = _plan(which, rng)
    answers: list[dict] = []
    by_theme: dict[tuple[str, str], list[dict]] = {}
    # the questions of each tier, and each distinct (question, tier, answer) checked, once
    tier_questions = {tier: qs.questions_for_tier(tier) for tier in {iv["tier"] for iv in plan}}
    checked: set[tuple[str, str, str]] = set()
    for iv in plan:
        problems = validate_interview_fields(audit, iv["tier"], iv["area"], iv["mode"],
                                             iv["people"])  # fmt: skip
        if problems:
            raise SgauditError("; ".join(problems))
        for qid, answer in _answers(qs, which, iv, rng, tier_questions[iv["tier"]]):
            if (qid, iv["tier"], answer) not in checked:
                repo.check_answer(qs, qid, iv["tier"], answer)
                checked.add((qid, iv["tier"], answer))
            row = {"code": iv["code"], "question_id": qid, "answer": answer, "note": "",
                   "quotable": False, "updated_by": iv["auditor"]}  # fmt: skip
            answers.append(row)
            theme = qs.questions_by_id[qid].theme
            if answer != "dont_know":
                by_theme.setdefault((iv["code"], theme), []).append(row)
    _attach_notes(plan, by_theme, which, rng)
    interviews = pd.DataFrame(
        {
            "code": [iv["code"] for iv in plan],
            "tier": [iv["tier"] for iv in plan],
            "service_area": [iv["area"] for iv in plan],
            "mode": [iv["mode"] for iv in plan],
            "held_on": [iv["held_on"] for iv in plan],
            "auditor": [iv["auditor"] for iv in plan],
            "people": [iv["people"] for iv in plan],
            "consent_confirmed": True,
            "completed": True,
        }
    )
    ids = bulk.insert_interviews(session, audit.id, interviews)
    rows = pd.DataFrame(answers)
    rows["interview_pk"] = rows["code"].map(ids)
    bulk.insert_responses(session, rows, actor=ACTOR)
    repo.log_change(
        session, "demo", "audit", audit.id, actor=ACTOR, audit_id=audit.id,
        detail={"interviews": len(plan), "answers": len(rows)},
    )  # fmt: skip


def _attach_notes(plan, by_theme, which: str, rng) -> None:
    """Put each of the story's notes on one answer of a matching interview."""
    for when, theme, tier, area, quotable, text in story.NOTES:
        if when not in (None, which):
            continue
        areas = story.FIELD_AREAS if area is None else (area,)
        candidates = [
            iv["code"]
            for iv in plan
            if iv["tier"] == tier and iv["area"] in areas and (iv["code"], theme) in by_theme
        ]
        if not candidates:
            continue
        code = candidates[int(rng.integers(len(candidates)))]
        free = [r for r in by_theme[(code, theme)] if not r["note"]]
        if free:
            free[0]["note"], free[0]["quotable"] = text, quotable


# ---- the auditors' decisions -----------------------------------------------------------
def _attach_registers(session: Session, audit: Audit, which: str) -> None:
    from sgaudit.registers.demo import demo_register_records

    records = demo_register_records(audit.end_date, story.SERVICE_AREAS, which)
    for kind, rows in records.items():
        repo.replace_register(
            session, audit, kind, rows, row_numbers=range(2, len(rows) + 2), actor=ACTOR
        )
