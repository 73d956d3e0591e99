"""The fieldwork plan: stored per tier x service area, checked, logged, locked with a final
audit, set from the CLI and the app, and set against the people heard in coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from app_support import app, by_label, make_audit, open_page

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
        with pytest.raises(
            ImportError_, match=r"p\.csv, column 'people' \(header, row 1\): column missing"
        ):
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
def _plan(url: str, audit_id: int) -> dict[tuple[str, str], int]:
    with session_scope(url) as s:
        frame = repo.planned_people(s, repo.get_audit(s, audit_id))
    return {(t, a): n for t, a, n in frame.itertuples(index=False, name=None)}


def _form(at, audit_id: int) -> dict[tuple[str, str], int]:
    """The plan form's number per tier x service area (its inputs are keyed per audit)."""
    prefix = f"plan:{audit_id}:"
    return {
        tuple(n.key[len(prefix) :].split(":", 1)): n.value
        for n in at.number_input
        if n.key and n.key.startswith(prefix)
    }


def _cell(at, audit_id: int, tier: str, area: str):
    return at.number_input(key=f"plan:{audit_id}:{tier}:{area}")


def _save(at) -> None:
    next(b for b in at.button if b.label == "Save the plan").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _notes(at) -> str:
    return " ".join(m.value for m in (*at.success, *at.warning, *at.info))


def _plan_lines(url: str) -> int:
    with session_scope(url) as s:
        return s.scalar(sa.select(sa.func.count()).where(ChangeLog.action == "plan"))


def _newest(url: str) -> int:
    with session_scope(url) as s:
        return repo.list_audits(s)[-1].id


def test_the_plan_form_shows_every_cells_plan_so_saving_it_unedited_changes_nothing(demo_db):
    audit_id = _newest(demo_db)  # the demo's draft re-audit, with a plan in 18 cells
    before, lines = _plan(demo_db, audit_id), _plan_lines(demo_db)
    assert before[("service_user", "Supported Housing")] == 11
    at = app(audit=audit_id)
    open_page(at, "interview")
    shown = " ".join(str(t.value.to_numpy()) for t in at.table)
    assert "11/11" in shown
    _save(at)  # as the form shows it, untouched
    assert _plan(demo_db, audit_id) == before, "saving the plan as shown changed it"
    assert _plan_lines(demo_db) == lines
    assert "Nothing changed: the plan is as it was." in _notes(at)
    form = _form(at, audit_id)
    with session_scope(demo_db) as s:
        cells = fieldwork_coverage(s, repo.get_audit(s, audit_id)).cells
    assert set(form) == set(zip(cells["tier"], cells["service_area"], strict=True))
    assert {cell: n for cell, n in form.items() if n} == before  # every cell's own plan
    table = next(t.value for t in at.table if "Supported Housing" in t.value.columns)
    assert list(dict.fromkeys(area for _, area in form)) == list(table.columns)  # its order


def test_a_save_changes_only_the_edited_cells_and_says_what_it_changed(demo_db):
    audit_id = _newest(demo_db)
    before = _plan(demo_db, audit_id)
    at = app(audit=audit_id)
    open_page(at, "interview")
    _cell(at, audit_id, "service_user", "Supported Housing").set_value(5)
    _cell(at, audit_id, "board", "Central Services").set_value(0)
    _cell(at, audit_id, "dsl", "Youth Services").set_value(2)
    _save(at)
    after = dict(before)
    after[("service_user", "Supported Housing")] = 5
    after[("dsl", "Youth Services")] = 2
    del after[("board", "Central Services")]
    assert _plan(demo_db, audit_id) == after
    notes = " ".join(w.value for w in at.warning)  # a plan cut back is not a quiet success
    assert "Plan saved: 3 cells changed:" in notes
    assert "People using services · Supported Housing 11 → 5" in notes
    assert "DSL team · Youth Services 0 → 2" in notes
    assert "Board · Central Services 6 → 0 (cleared)" in notes
    form = _form(at, audit_id)  # the form shows the plan just saved
    assert {cell: n for cell, n in form.items() if n} == after
    shown = " ".join(str(t.value.to_numpy()) for t in at.table)
    assert "/5" in shown
    _save(at)  # again, untouched
    assert _plan(demo_db, audit_id) == after
    assert "Nothing changed: the plan is as it was." in _notes(at)


def test_a_plan_that_only_grows_is_saved_with_a_success_note(app_db):
    audit_id, _ = make_audit(app_db, mode="focus_group", people=4)
    with session_scope(app_db) as s:
        repo.set_planned(s, repo.get_audit(s, audit_id), "front_line", "Housing", 6)
    at = app(audit=audit_id)
    open_page(at, "interview")
    assert _cell(at, audit_id, "front_line", "Housing").value == 6
    _cell(at, audit_id, "manager", "Housing").set_value(3)
    _save(at)
    assert any(
        "Plan saved: 1 cell changed: Managers · Housing 0 → 3." in m.value for m in at.success
    )
    assert not any("Plan saved" in w.value for w in at.warning)
    assert _plan(app_db, audit_id) == {("front_line", "Housing"): 6, ("manager", "Housing"): 3}
    shown = " ".join(str(t.value.to_numpy()) for t in at.table)
    assert "0/3 (below minimum)" in shown and "4/6" in shown
    with session_scope(app_db) as s:
        assert s.scalar(sa.select(ChangeLog.actor).where(ChangeLog.action == "plan").order_by(
            ChangeLog.id.desc()).limit(1)) == "Sam Lee"  # fmt: skip


def test_the_plan_form_is_per_audit_so_no_number_lands_in_another_audits_plan(demo_db):
    audit_id = _newest(demo_db)
    with session_scope(demo_db) as s:
        reaudit = repo.get_audit(s, audit_id)
        other = repo.create_audit(
            s, reaudit.organisation, "Spot check", repo.audit_question_set(reaudit),
            auditor_1=reaudit.auditor_1,
        )  # fmt: skip
        s.flush()
        repo.set_planned(s, other, "service_user", "Supported Housing", 2)
        other_id = other.id
    plan, other_plan = _plan(demo_db, audit_id), _plan(demo_db, other_id)
    at = app(audit=other_id)
    open_page(at, "interview")
    assert _cell(at, other_id, "service_user", "Supported Housing").value == 2
    _cell(at, other_id, "service_user", "Supported Housing").set_value(9)  # not saved
    by_label(at.sidebar.selectbox, "Audit").set_value(audit_id).run()
    assert not at.exception
    assert not _form(at, other_id)
    assert _cell(at, audit_id, "service_user", "Supported Housing").value == 11
    _save(at)
    assert "Nothing changed" in _notes(at)
    assert (_plan(demo_db, audit_id), _plan(demo_db, other_id)) == (plan, other_plan)
    by_label(at.sidebar.selectbox, "Audit").set_value(other_id).run()
    assert _cell(at, other_id, "service_user", "Supported Housing").value in (2, 9)
    assert _cell(at, other_id, "front_line", "Supported Housing").value == 0


def test_a_save_keeps_a_cell_changed_elsewhere_since_the_form_was_shown(demo_db):
    audit_id = _newest(demo_db)
    at = app(audit=audit_id)
    open_page(at, "interview")
    with session_scope(demo_db) as s:  # the other auditor, meanwhile
        repo.set_planned(s, repo.get_audit(s, audit_id), "front_line", "Youth Services", 20)
    _cell(at, audit_id, "service_user", "Supported Housing").set_value(5)
    _save(at)
    plan = _plan(demo_db, audit_id)
    assert plan[("front_line", "Youth Services")] == 20  # not put back to 13
    assert plan[("service_user", "Supported Housing")] == 5
    assert "Plan saved: 1 cell changed:" in _notes(at)
    assert _cell(at, audit_id, "front_line", "Youth Services").value == 20


def test_a_final_audit_shows_its_plan_but_no_form(demo_db):
    with session_scope(demo_db) as s:
        final_id = next(a.id for a in repo.list_audits(s) if a.status == "final")
    at = app(audit=final_id)
    open_page(at, "interview")
    assert "/7" in " ".join(str(t.value.to_numpy()) for t in at.table)
    assert not _form(at, final_id)
    assert not [b for b in at.button if b.label == "Save the plan"]


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
