"""Fieldwork coverage: who has been heard so far, and what is still missing.

For each tier x service area: the people planned (the fieldwork plan), the interviews
and people heard (withdrawn consent left out; a document review is a session but hears
nobody, as in a score's n), how many are still to hear, and whether
the cell is still below the suppression minimum (its scores will be hidden in every
output); and the themes not yet asked at board level, where the golden thread starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sgaudit.access.policy import READ_ANSWERS
from sgaudit.fieldwork_guide import Together, guide_cells, together
from sgaudit.store.audits import audit_question_set
from sgaudit.store.erasure import counted
from sgaudit.store.fieldwork_plan import planned_people
from sgaudit.store.models import Audit, Interview, Response
from sgaudit.store.scope import check
from sgaudit.vocab import HEARS_NOBODY, TIERS


@dataclass(frozen=True)
class Coverage:
    # tier, service_area, planned, interviews, people, voices, still_to_hear, below_minimum
    cells: pd.DataFrame
    suppression_min: int
    board_themes_missing: list[str]  # theme ids asked of the board with no board answer
    # The fieldwork guide's cells (`sgaudit.fieldwork_guide.guide_cells`): the voices each
    # tier needs for the analysis to see a 30-point difference, against plan and heard.
    guide: pd.DataFrame
    # The tiers that compare service areas together, against the guide's number for the
    # whole organisation (`sgaudit.fieldwork_guide.together`); None when not asked.
    organisation: Together | None = None

    @property
    def has_plan(self) -> bool:
        return bool(self.cells["planned"].gt(0).any())

    def grid(self, marker: str = "*") -> pd.DataFrame:
        """Tier x service area, each cell 'heard/planned' (or 'heard' where nothing is
        planned), with `marker` after a cell still below the suppression minimum; with
        a plan, '-' where nobody was planned or heard."""
        c = self.cells
        text = (
            c["people"]
            .astype(str)
            .where(c["planned"].eq(0), c["people"].astype(str) + "/" + c["planned"].astype(str))
        )
        text = text.where(~c["below_minimum"], text + marker)
        if self.has_plan:  # a cell nobody planned to hear, and nobody heard, is no gap
            text = text.where(c["planned"].gt(0) | c["people"].gt(0), "-")
        table = c.assign(text=text).pivot(index="tier", columns="service_area", values="text")
        # tiers ground to board, areas in the organisation's order (as the report has them)
        return table.reindex(
            index=list(dict.fromkeys(c["tier"])), columns=list(dict.fromkeys(c["service_area"]))
        )


def fieldwork_coverage(session: Session, audit: Audit) -> Coverage:
    """Planned against done per tier x service area, cells below the minimum, board gaps."""
    check(session, READ_ANSWERS, audit)
    qs = audit_question_set(audit)
    minimum = qs.settings.suppression_min
    rows = session.execute(
        select(
            Interview.tier,
            Interview.service_area,
            func.count(Interview.id),
            # people heard: a document review hears nobody (the analysis's n, likewise)
            func.sum(case((Interview.mode.in_(HEARS_NOBODY), 0), else_=Interview.people)),
            # Voices as the analysis counts respondents: a focus group is one, and a
            # document review none (`sgaudit.fieldwork_guide`).
            func.sum(case((Interview.mode.in_(HEARS_NOBODY), 0), else_=1)),
        )
        .where(Interview.audit_id == audit.id, counted())
        .group_by(Interview.tier, Interview.service_area)
    ).all()
    done = pd.DataFrame(rows, columns=["tier", "service_area", "interviews", "people", "voices"])
    tiers = [t for t in TIERS if qs.questions_for_tier(t)]
    grid = pd.MultiIndex.from_product(
        [tiers, audit.organisation.area_names], names=["tier", "service_area"]
    ).to_frame(index=False)
    cells = grid.merge(done, how="left", on=["tier", "service_area"]).fillna(
        {"interviews": 0, "people": 0, "voices": 0}
    )
    plan = planned_people(session, audit).rename(columns={"people": "planned"})
    cells = cells.merge(plan, how="left", on=["tier", "service_area"]).fillna({"planned": 0})
    cells = cells.astype(
        {"interviews": "int64", "people": "int64", "voices": "int64", "planned": "int64"}
    )
    cells["still_to_hear"] = (cells["planned"] - cells["people"]).clip(lower=0)
    cells["below_minimum"] = cells["people"] < minimum
    cells = cells[["tier", "service_area", "planned", "interviews", "people", "voices",
                   "still_to_hear", "below_minimum"]]  # fmt: skip
    board_answered = set(
        session.scalars(
            select(Response.question_id)
            .join(Interview, Interview.id == Response.interview_id)
            .where(
                Interview.audit_id == audit.id,
                Interview.tier == "board",
                Response.answer != "",
                counted(),
            )
            .distinct()
        )
    )
    board_questions = qs.questions_for_tier("board")
    themes = list(dict.fromkeys(q.theme for q in board_questions))
    answered_themes = {q.theme for q in board_questions if q.id in board_answered}
    missing = [t for t in themes if t not in answered_themes]
    settings = qs.settings
    guided = guide_cells(cells, settings.fieldwork_guide, settings.scope_tiers)
    return Coverage(cells, minimum, missing, guided, together(cells, settings))
