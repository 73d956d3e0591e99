"""An audit with nothing double-scored gets its (empty) agreement at once, the same as
working it out: no rows, the same columns and column types."""

from __future__ import annotations

import pandas as pd
from test_double_scoring import LEAD, SECOND, _double_scored_interview

from sgaudit.questionnaire import load_question_set
from sgaudit.store import double_scoring as ds
from sgaudit.store import moderation, repo
from sgaudit.store.db import session_scope


def _same(fast: moderation.Agreement, worked_out: moderation.Agreement) -> None:
    assert (
        (fast.interviews, fast.moderated) == (worked_out.interviews, worked_out.moderated) == (0, 0)
    )
    pd.testing.assert_frame_equal(fast.table, worked_out.table, check_dtype=True)
    pd.testing.assert_frame_equal(fast.moderation, worked_out.moderation, check_dtype=True)
    pd.testing.assert_frame_equal(fast.open_items, worked_out.open_items, check_dtype=True)
    assert fast.overall == worked_out.overall == {}


def _worked_out(qs, settled_rows=()) -> moderation.Agreement:
    pairs = pd.DataFrame(columns=["interview_id", "question_id", "first", "second"])
    settled = pd.DataFrame(list(settled_rows), columns=moderation.SETTLED_COLUMNS)
    return moderation.agreement_of(pairs, settled, qs)


def test_no_pairs_gives_what_the_statistics_give_for_no_pairs():
    qs = load_question_set()
    _same(moderation.no_agreement(qs), _worked_out(qs))


def test_an_audit_still_being_double_scored_has_no_agreement_yet(db_url):
    with session_scope(db_url) as s:
        audit, iv = _double_scored_interview(s)  # neither auditor has finished
        assert ds.score_pairs(s, audit).empty
        _same(moderation.audit_agreement(s, audit), _worked_out(load_question_set()))
        # once both have finished, the statistics are worked out from the pairs
        repo.set_interview_completed(s, iv, actor=LEAD)
        ds.set_second_completed(s, iv, actor=SECOND)
        agreement = moderation.audit_agreement(s, audit)
        assert agreement.interviews == 1 and len(agreement.table) > 1
