"""The fieldwork plan: stored per tier x service area, checked, logged, locked with a final
audit, set from the CLI and the app, and set against the people heard in coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from app_support import app, make_audit, open_page

from sgaudit.access.policy import AccessDenied, Grant, Principal
from sgaudit.errors import AuditLocked, ImportError_, SgauditError
from sgaudit.store import repo
from sgaudit.store.coverage import fieldwork_coverage
from sgaudit.store.db import session_scope
from sgaudit.store.models import ChangeLog, FieldworkPlan

MIGRATIONS = Path(__file__).resolve().parents[1] / "sgaudit" / "store" / "migrations" / "versions"


def _audit(url: str, core_set) -> int:
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(s, org, "Baseline", core_set, auditor_1="Sam")
        repo.start_interview(
            s, audit, tier="front_line", service_area="Housing", mode="focus_group",
            people=4, consent_confirmed=True,
        )  # fmt: skip
        repo.start_interview(
            s, audit, tier="manager", service_area="Housing", consent_confirmed=True
        )
        s.flush()
        return audit.id


def _cells(url: str, audit_id: int):
    with session_scope(url) as s:
        return fieldwork_coverage(s, repo.get_audit(s, audit_id)).cells.set_index(
            ["tier", "service_area"]
        )


# ---- the store ---------------------------------------------------------------------------
def test_coverage_sets_the_plan_against_the_people_heard_in_each_cell(any_db_url, core_set):
    audit_id = _audit(any_db_url, core_set)
    with session_scope(any_db_url) as s:
        audit = repo.get_audit(s, audit_id)
        repo.set_planned(s, audit, "front_line", "Housing", 6, actor="Sam")
        repo.set_planned(s, audit, "manager", "Housing", 3, actor="Sam")
        repo.set_planned(s, audit, "manager", "Youth", 2, actor="Sam")
    cells = _cells(any_db_url, audit_id)
    front, mgr, youth = (
        cells.loc[("front_line", "Housing")],
        cells.loc[("manager", "Housing")],
        cells.loc[("manager", "Youth")],
    )
    assert (front.planned, front.people, front.still_to_hear, front.below_minimum) == (
        6, 4, 2, False,
    )  # fmt: skip
    assert (mgr.planned, mgr.people, mgr.still_to_hear, mgr.below_minimum) == (3, 1, 2, True)
    # planned below the minimum: even done, its scores would stay hidden
    assert (youth.planned, youth.people, youth.below_minimum) == (2, 0, True)
    assert cells.loc[("board", "Housing"), "planned"] == 0


def test_heard_beyond_the_plan_leaves_nothing_to_hear_and_the_grid_reads_heard_over_planned(
    db_url, core_set
):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        repo.set_planned(s, audit, "front_line", "Housing", 3)
        cov = fieldwork_coverage(s, audit)
    assert (
        cov.cells.set_index(["tier", "service_area"]).loc[
            ("front_line", "Housing"), "still_to_hear"
        ]
        == 0
    )
    grid = cov.grid("*")
    assert grid.at["front_line", "Housing"] == "4/3"
    assert grid.at["manager", "Housing"] == "1*"  # heard, not planned
    assert grid.at["board", "Youth"] == "-"  # neither planned nor heard
    assert list(grid.index)[0] == "service_user" and list(grid.index)[-1] == "board"


def test_planning_zero_clears_the_cell_and_every_change_is_logged_with_old_and_new(
    db_url, core_set
):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        assert repo.set_planned(s, audit, "board", "Housing", 5, actor="Sam")
        assert not repo.set_planned(s, audit, "board", "Housing", 5, actor="Sam")
        assert repo.set_planned(s, audit, "board", "Housing", 7, actor="Ali")
        assert repo.set_planned(s, audit, "board", "Housing", 0, actor="Ali")
    with session_scope(db_url) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(FieldworkPlan)) == 0
        lines = s.scalars(
            sa.select(ChangeLog).where(ChangeLog.action == "plan").order_by(ChangeLog.id)
        ).all()
    assert [(c.actor, c.detail["people"]) for c in lines] == [("Sam", 5), ("Ali", 7), ("Ali", 0)]
    assert all(c.entity == "fieldwork_plan" and c.audit_id == audit_id for c in lines)


@pytest.mark.parametrize(
    "tier, area, people, message",
    [
        ("chair", "Housing", 3, "tier 'chair' is not one this audit asks"),
        ("board", "Head office", 3, "service area 'Head office' is not one of"),
        ("board", "Housing", -1, "people must be between 0 and"),
        ("board", "Housing", 2.5, "people must be a whole number"),
    ],
)
def test_a_cell_outside_the_audit_is_refused_naming_the_field(
    db_url, core_set, tier, area, people, message
):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        with pytest.raises(SgauditError, match=message):
            repo.set_planned(s, repo.get_audit(s, audit_id), tier, area, people)


def test_setting_several_cells_is_all_or_nothing(db_url, core_set):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        with pytest.raises(SgauditError, match="manager x Nowhere"):
            repo.set_plan(
                s,
                repo.get_audit(s, audit_id),
                [("board", "Housing", 4), ("manager", "Nowhere", 3)],
            )
    assert _cells(db_url, audit_id)["planned"].sum() == 0


def test_only_those_who_capture_may_plan_and_only_those_who_read_answers_may_see_it(
    db_url, core_set
):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        org_id = repo.get_audit(s, audit_id).organisation_id
    viewer = Principal("viewer", user_id=7, grants=(Grant("organisation_viewer", org_id),))
    auditor = Principal("auditor", user_id=8, grants=(Grant("auditor", org_id),))
    with session_scope(db_url, principal=auditor) as s:
        repo.set_planned(s, repo.get_audit(s, audit_id), "board", "Housing", 4, actor="auditor")
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        audit.status = "final"
    with session_scope(db_url, principal=viewer) as s:
        audit = repo.get_audit(s, audit_id)
        with pytest.raises(AccessDenied):
            repo.planned_people(s, audit)
        with pytest.raises(AccessDenied):
            repo.set_planned(s, audit, "board", "Housing", 9)


def test_a_final_audits_plan_cannot_change(db_url, core_set):
    audit_id = _audit(db_url, core_set)
    with session_scope(db_url) as s:
        repo.get_audit(s, audit_id).status = "final"
    with pytest.raises(AuditLocked, match="the fieldwork plan cannot be changed"):
        with session_scope(db_url) as s:
            repo.set_planned(s, repo.get_audit(s, audit_id), "board", "Housing", 4)
            s.flush()


def test_a_plan_file_with_any_problem_sets_nothing_and_names_each_row_and_column(db_url, core_set):
    audit_id = _audit(db_url, core_set)
    text = (
        "\ufefftier,service_area,people\n"
        "board,Housing,6\n"
        "\n"
        "manager,Nowhere,3\n"
        "front_line,Youth,lots\n"
        "board,Housing,2\n"
    )
    with session_scope(db_url) as s:
        with pytest.raises(ImportError_) as err:
            repo.import_plan(s, repo.get_audit(s, audit_id), text, "plan.csv")
    assert [str(p) for p in err.value.problems] == [
        "plan.csv, row 4, column 'service_area': service area 'Nowhere' is not one of the "
        "organisation's (Housing, Youth)",
        "plan.csv, row 5, column 'people': 'lots' is not a whole number",
        "plan.csv, row 6, column 'service_area': board x Housing is already planned on row 2",
    ]
    assert _cells(db_url, audit_id)["planned"].sum() == 0
    with session_scope(db_url) as s:
        with pytest.raises(ImportError_, match="column 'people': column missing"):
            repo.import_plan(s, repo.get_audit(s, audit_id), "tier,service_area\n", "p.csv")


def test_the_demo_audits_have_a_plan_that_the_managers_fall_short_of(db_url):
    from sgaudit.demo import build_demo

    with session_scope(db_url) as s:
        result = build_demo(s, registers=False)
    cells = _cells(db_url, result.reaudit_audit_id)
    managers = cells.xs("manager", level="tier")
    field = managers.drop(index="Central Services")
    assert (field["planned"] == 3).all() and (field["people"] == 2).all()
    assert field["below_minimum"].all() and (field["still_to_hear"] == 1).all()
    assert cells.loc[("board", "Central Services"), "still_to_hear"] == 0
    assert cells["planned"].sum() > cells.loc[cells["planned"] > 0, "people"].sum()


# ---- the CLI -----------------------------------------------------------------------------
def test_plan_set_import_and_coverage_from_the_cli(run, db_url, core_set, tmp_path):
    audit_id = _audit(db_url, core_set)
    status, out, err = run(
        "plan", "set", audit_id, "--tier", "manager", "--area", "Housing", "--people", "3",
        "--as", "Sam", "--db", db_url,
    )  # fmt: skip
    assert status == 0, err
    assert "Planned 3 people for manager x Housing." in out
    plan = tmp_path / "plan.csv"
    plan.write_text("tier,service_area,people\nfront_line,Housing,6\nboard,Youth,2\n")
    status, out, err = run("plan", "import", audit_id, plan, "--db", db_url)
    assert status == 0, err
    assert "Imported the plan from plan.csv: 2 cells changed." in out
    status, out, err = run("coverage", audit_id, "--db", db_url)
    assert status == 0, err
    assert "People heard/planned per tier x service area" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    assert rows["front_line"] == ["4/6", "-"]
    assert rows["manager"] == ["1/3*", "-"]
    assert rows["board"] == ["-", "0/2*"]
    assert "Still to hear: 6 people in 3 cells." in out
    bad = tmp_path / "bad.csv"
    bad.write_text("tier,service_area,people\nchair,Housing,2\n")
    status, _, err = run("plan", "import", audit_id, bad, "--db", db_url)
    assert status == 1 and "bad.csv, row 2, column 'tier'" in err


# ---- the app -------------------------------------------------------------------------------
def test_the_interview_list_shows_heard_against_planned_and_the_plan_to_edit(app_db):
    audit_id, _ = make_audit(app_db, mode="focus_group", people=4)
    with session_scope(app_db) as s:
        audit = repo.get_audit(s, audit_id)
        repo.set_planned(s, audit, "front_line", "Housing", 6)
        repo.set_planned(s, audit, "manager", "Youth", 3)
    at = app(audit=audit_id)
    open_page(at, "interview")
    shown = " ".join(str(t.value.to_numpy()) for t in at.table)
    assert "4/6" in shown and "0/3 (below minimum)" in shown
    assert any("Still to hear: 5 people in 2 cells" in i.value for i in at.info)
    at.selectbox(key="plan_tier").select("manager")
    at.selectbox(key="plan_area").select("Housing")
    at.number_input(key="plan_people").set_value(3)
    next(b for b in at.button if b.label == "Save the plan").click().run()
    assert not at.exception and not at.error
    assert any("Managers and team leaders · Housing: 0 → 3" in m.value for m in at.success)
    shown = " ".join(str(t.value.to_numpy()) for t in at.table)
    assert "0/3 (below minimum)" in shown and "4/6" in shown
    with session_scope(app_db) as s:
        plan = repo.planned_people(s, repo.get_audit(s, audit_id))
        assert s.scalar(sa.select(ChangeLog.actor).where(ChangeLog.action == "plan").order_by(
            ChangeLog.id.desc()).limit(1)) == "Sam Lee"  # fmt: skip
    assert ("manager", "Housing", 3) in set(plan.itertuples(index=False, name=None))


# ---- the migration -------------------------------------------------------------------------
def test_the_migrations_have_one_head():
    revisions, downs = set(), set()
    for path in MIGRATIONS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        ns: dict = {}
        lines = [line for line in text.splitlines() if line.startswith(("revision", "down_rev"))]
        exec("\n".join(lines), ns)  # noqa: S102 - our own migration files
        revisions.add(ns["revision"])
        downs.add(ns["down_revision"])
    assert len(revisions - downs) == 1, revisions - downs
