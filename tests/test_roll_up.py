"""A partnership's roll-up: every member's latest audit analysed across worker processes.

The workers must give exactly the analysis one process gives, read only what the
caller may read, and see the store as it is now (nothing cached between roll-ups).
"""

from __future__ import annotations

import pytest
from test_store_frames import store_audit

from sgaudit.access.policy import AccessDenied, Grant, Principal
from sgaudit.analysis import analyse
from sgaudit.analysis.synthetic import audit_of_size, synthetic_question_set
from sgaudit.store import repo
from sgaudit.store.bulk import insert_audit_data
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
from sgaudit.store.roll_up import analyse_audits, latest_audits


@pytest.fixture(scope="module")
def partnership(tmp_path_factory):
    """Three member organisations; the first two re-audited a year on."""
    url = f"sqlite:///{tmp_path_factory.mktemp('roll_up') / 'partnership.db'}"
    with session_scope(url) as s:
        first = [store_audit(s, audit_of_size(1_200, seed=k), f"Member {k}") for k in (1, 2, 3)]
        again = []
        for audit_id, seed in zip(first[:2], (4, 5), strict=True):
            earlier = repo.get_audit(s, audit_id)
            audit = repo.create_audit(
                s,
                earlier.organisation,
                "Re-audit",
                synthetic_question_set(),
                previous_audit=earlier,
            )
            insert_audit_data(s, audit.id, audit_of_size(1_200, seed=seed).responses)
            again.append(audit.id)
    return url, first, again


def _one_by_one(url: str, audit_ids) -> list[str]:
    out = []
    for audit_id in audit_ids:
        with session_scope(url) as s:
            out.append(analyse(load_audit_data(s, audit_id)).model_dump_json())
    return out


def test_the_latest_audit_of_each_member_is_rolled_up(partnership):
    url, first, again = partnership
    with session_scope(url) as s:
        assert latest_audits(s) == [again[0], again[1], first[2]]


def test_two_workers_give_exactly_the_analysis_of_one_process_in_the_order_asked(partnership):
    url, first, again = partnership
    ids = [first[2], again[1], again[0], first[0]]
    rolled = list(analyse_audits(url, ids, workers=2))
    assert [audit_id for audit_id, _ in rolled] == ids
    assert [result.model_dump_json() for _, result in rolled] == _one_by_one(url, ids)
    in_process = list(analyse_audits(url, ids, workers=1))
    assert [r.model_dump_json() for _, r in in_process] == _one_by_one(url, ids)


def test_a_member_sees_only_their_own_audits_and_a_worker_refuses_the_others(partnership):
    url, first, again = partnership
    with session_scope(url) as s:
        org_id = repo.get_audit(s, first[2]).organisation_id
    viewer = Principal("viewer", user_id=3, grants=(Grant("organisation_viewer", org_id),))
    with session_scope(url) as s:
        repo.get_audit(s, first[2]).status = "final"  # a viewer sees final audits
    with session_scope(url, principal=viewer) as s:
        assert latest_audits(s) == [first[2]]
    ((_, mine),) = analyse_audits(url, [first[2]], principal=viewer, workers=2)
    assert mine.themes
    with pytest.raises(AccessDenied):
        list(analyse_audits(url, [first[2], again[0]], principal=viewer, workers=2))


def test_a_changed_answer_is_in_the_next_roll_up(tmp_path):
    url = f"sqlite:///{tmp_path / 'changed.db'}"
    with session_scope(url) as s:
        ids = [store_audit(s, audit_of_size(1_200, seed=k), f"Member {k}") for k in (7, 8)]
    before = [r.model_dump_json() for _, r in analyse_audits(url, ids, workers=2)]
    with session_scope(url) as s:
        audit = repo.get_audit(s, ids[1])
        for interview in repo.list_interviews(s, audit)[:40]:
            for response in interview.responses:
                repo.save_answer(s, interview, response.question_id, "")  # cleared
    after = [r.model_dump_json() for _, r in analyse_audits(url, ids, workers=2)]
    assert after[0] == before[0]
    assert after[1] != before[1]
    assert after == _one_by_one(url, ids)
