"""A plan set or imported at once is written in one go and logged in one change-log line
that still gives every cell's old and new head count; a final audit's plan stays locked."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from test_fieldwork_plan import _audit

from sgaudit.errors import AuditLocked
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import AuditEvent, ChangeLog


def _plan(url, audit_id) -> dict[tuple[str, str], int]:
    with session_scope(url) as s:
        frame = repo.planned_people(s, repo.get_audit(s, audit_id))
    return {(t, a): n for t, a, n in frame.itertuples(index=False, name=None)}


def _plan_lines(url, audit_id) -> list[ChangeLog]:
    with session_scope(url) as s:
        lines = s.scalars(
            sa.select(ChangeLog)
            .where(ChangeLog.action == "plan", ChangeLog.audit_id == audit_id)
            .order_by(ChangeLog.id)
        ).all()
        s.expunge_all()
    return lines


def test_setting_a_plan_writes_its_cells_and_one_change_log_line_with_old_and_new(
    any_db_url, core_set
):
    audit_id = _audit(any_db_url, core_set)
    with session_scope(any_db_url) as s:
        audit = repo.get_audit(s, audit_id)
        repo.set_planned(s, audit, "board", "Youth", 2, actor="Sam")
        changed = repo.set_plan(
            s,
            audit,
            [("board", "Housing", 4), ("manager", "Youth", 3), ("board", "Youth", 2)],
            actor="Ali",
        )
    assert changed == 2  # board x Youth was already 2
    assert _plan(any_db_url, audit_id) == {
        ("board", "Youth"): 2,
        ("board", "Housing"): 4,
        ("manager", "Youth"): 3,
    }
    with session_scope(any_db_url) as s:
        audit = repo.get_audit(s, audit_id)
        # one cell changed, one cleared, one added, one left as it is
        assert (
            repo.set_plan(
                s,
                audit,
                [
                    ("board", "Housing", 6),
                    ("manager", "Youth", 0),
                    ("board", "Youth", 2),
                    ("front_line", "Youth", 5),
                ],
                actor="Sam",
            )  # fmt: skip
            == 3
        )
        assert not repo.set_plan(s, audit, [("board", "Housing", 6)], actor="Sam")
    assert _plan(any_db_url, audit_id) == {
        ("board", "Youth"): 2,
        ("board", "Housing"): 6,
        ("front_line", "Youth"): 5,
    }
    lines = _plan_lines(any_db_url, audit_id)
    assert [(c.actor, c.detail.get("cells")) for c in lines] == [
        ("Sam", None),  # the one cell set on its own
        ("Ali", 2),
        ("Sam", 3),
    ]
    assert lines[2].detail["changes"] == [
        {"tier": "board", "service_area": "Housing", "old": 4, "new": 6},
        {"tier": "manager", "service_area": "Youth", "old": 3, "new": 0},
        {"tier": "front_line", "service_area": "Youth", "old": 0, "new": 5},
    ]
    with session_scope(any_db_url) as s:
        event = s.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.audit_id == audit_id, AuditEvent.entity == "fieldwork_plan")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.detail["changes"]["manager/Youth"] == {"old": 3, "new": 0}


def test_a_cell_set_on_its_own_after_a_plan_in_the_same_session_sees_the_plan(db_url, core_set):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        repo.set_planned(s, audit, "board", "Housing", 1, actor="Sam")
        repo.set_plan(s, audit, [("board", "Housing", 4)], actor="Sam")
        assert not repo.set_planned(s, audit, "board", "Housing", 4, actor="Sam")
        assert repo.set_planned(s, audit, "board", "Housing", 0, actor="Sam")
    assert _plan(db_url, audit_id) == {}
    lines = _plan_lines(db_url, audit_id)
    assert [c.detail.get("people", c.detail.get("cells")) for c in lines] == [1, 1, 0]


def test_an_imported_plan_is_one_line_naming_its_file(db_url, core_set):
    audit_id = _audit(db_url, core_set)
    text = "tier,service_area,people\nboard,Housing,6\nmanager,Youth,2\n"
    with session_scope(db_url) as s:
        assert repo.import_plan(s, repo.get_audit(s, audit_id), text, "plan.csv", actor="Sam") == 2
    (line,) = _plan_lines(db_url, audit_id)
    assert line.detail["file"] == "plan.csv" and line.detail["cells"] == 2
    assert _plan(db_url, audit_id) == {("board", "Housing"): 6, ("manager", "Youth"): 2}


def test_a_final_audits_plan_cannot_be_set_at_once(db_url, core_set):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        repo.get_audit(s, audit_id).status = "final"
    with pytest.raises(AuditLocked, match="the fieldwork plan cannot be changed"):
        with session_scope(db_url) as s:
            repo.set_plan(s, repo.get_audit(s, audit_id), [("board", "Housing", 4)])
    assert _plan(db_url, audit_id) == {}


def test_revising_a_plan_names_each_changed_cell_with_its_old_and_new_head_count(
    any_db_url, core_set
):
    audit_id = _audit(any_db_url, core_set)
    with session_scope(any_db_url) as s:
        audit = repo.get_audit(s, audit_id)
        repo.set_plan(s, audit, [("board", "Housing", 4), ("manager", "Youth", 3)], actor="Sam")
        changes = repo.revise_plan(
            s,
            audit,
            [("manager", "Youth", 0), ("board", "Housing", 4), ("front_line", "Youth", 5)],
            actor="Ali",
        )
        assert repo.revise_plan(s, audit, [("board", "Housing", 4)], actor="Ali") == []
    assert changes == [("manager", "Youth", 3, 0), ("front_line", "Youth", 0, 5)]
    assert [(c.tier, c.service_area, c.old, c.new) for c in changes] == changes
    assert _plan(any_db_url, audit_id) == {("board", "Housing"): 4, ("front_line", "Youth"): 5}
