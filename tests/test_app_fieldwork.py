"""The capture and set-up pages through AppTest: the defects found in the field, kept fixed."""

from __future__ import annotations

import dataclasses

import app_support
from app_support import (
    answer_radios,
    app,
    assert_clean,
    button,
    by_label,
    make_audit,
    open_page,
    problems_table,
)
from sqlalchemy.exc import OperationalError

from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import ChangeLog, Interview

REPO = app_support.REPO


def code_of(url: str, interview_id: int) -> str:
    with session_scope(url) as s:
        return repo.get_interview(s, interview_id).code


def test_the_header_never_claims_a_save_that_failed_and_try_again_saves_it(app_db, monkeypatch):
    audit_id, interview_id = make_audit(app_db)
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    real_save = repo.save_answer

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE response", {}, Exception("database is locked"))

    monkeypatch.setattr(repo, "save_answer", locked)
    radio = answer_radios(at)[0]
    qid = radio.key.rsplit(":", 1)[1]
    radio.set_value("agree").run()
    assert_clean(at)
    page_text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Every change is saved" not in page_text
    assert f"Not saved: {qid}" in page_text
    assert any("Not saved" in e.value for e in at.error)

    monkeypatch.setattr(repo, "save_answer", real_save)
    button(at, "Try again").click().run()  # the same answer, no other click first
    assert_clean(at)
    assert not at.error
    assert any("Every change is saved" in c.value for c in at.caption)
    with session_scope(app_db) as s:
        stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
    assert stored[qid].answer == "agree"


def test_withdrawn_consent_leaves_the_dashboard_and_offers_erasure_logged_without_content(
    app_db,
):
    audit_id, interview_id = make_audit(app_db, mode="focus_group", people=4)
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    answer_radios(at)[0].set_value("agree").run()
    at.text_area(key=next(t.key for t in at.text_area if t.key.startswith("note:"))).input(
        "Rota gaps at night"
    ).run()
    open_page(at, "dashboard")
    assert by_label(at.metric, "Sessions").value == "1"

    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    at.checkbox(key=f"consent:{interview_id}").uncheck().run()
    assert_clean(at)
    assert any("Consent withdrawn" in e.value for e in at.error)
    assert not answer_radios(at)
    open_page(at, "dashboard")
    assert not at.metric, "a withdrawn interview still counts on the dashboard"

    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    erase = button(at, f"Erase interview {code_of(app_db, interview_id)}")
    assert erase.disabled  # nothing is erased without the confirmation
    at.checkbox(key=f"erase_sure:{interview_id}").check().run()
    button(at, f"Erase interview {code_of(app_db, interview_id)}").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        assert s.get(Interview, interview_id) is None
        log = s.query(ChangeLog).order_by(ChangeLog.id).all()
    assert [c.action for c in log][-2:] == ["withdraw_consent", "erase"]
    assert "Rota gaps" not in str([c.detail for c in log])
    assert "agree" not in str([c.detail for c in log])


# ---- organisations and audits -------------------------------------------------------------
def test_service_areas_are_one_per_line_and_a_name_may_hold_a_comma(app_db):
    at = app()
    at.run()
    by_label(at.text_input, "Organisation name").input("Harbour Trust")
    by_label(at.text_area, "Service areas (one per line)").input("Housing, north and south\nYouth")
    button(at, "Create organisation").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        (org,) = repo.list_organisations(s)
        assert org.area_names == ["Housing, north and south", "Youth"]


def test_a_failed_save_keeps_what_was_typed_in_the_organisation_form(app_db):
    at = app()
    at.run()
    by_label(at.text_input, "Organisation name").input("Harbour Trust")
    button(at, "Create organisation").click().run()  # no service area: refused
    assert any("at least one service area" in e.value for e in at.error)
    assert by_label(at.text_input, "Organisation name").value == "Harbour Trust"


def _org(url: str) -> None:
    with session_scope(url) as s:
        repo.create_organisation(s, "Harbour Trust", ["Housing"])


def test_create_audit_empties_the_form_so_a_second_click_makes_no_copy(app_db):
    _org(app_db)
    at = app()
    at.run()
    by_label(at.text_input, "Audit title").input("Baseline 2026")
    by_label(at.text_input, "Lead auditor").input("Sam Lee")
    button(at, "Create audit").click().run()
    assert_clean(at)
    assert by_label(at.text_input, "Audit title").value == ""
    assert by_label(at.text_input, "Lead auditor").value == ""
    button(at, "Create audit").click().run()
    with session_scope(app_db) as s:
        assert len(repo.list_audits(s)) == 1
    assert at.error


def test_an_identical_audit_is_refused_and_an_audit_needs_an_auditor(app_db):
    _org(app_db)
    at = app()
    at.run()
    by_label(at.text_input, "Audit title").input("Baseline 2026")
    button(at, "Create audit").click().run()
    assert any("at least one auditor" in e.value for e in at.error)
    assert by_label(at.text_input, "Audit title").value == "Baseline 2026"  # kept
    by_label(at.text_input, "Lead auditor").input("Sam Lee")
    button(at, "Create audit").click().run()
    by_label(at.text_input, "Audit title").input("Baseline 2026")
    by_label(at.text_input, "Lead auditor").input("Sam Lee")
    button(at, "Create audit").click().run()
    assert any("already has an audit called" in e.value for e in at.error)
    with session_scope(app_db) as s:
        assert len(repo.list_audits(s)) == 1


# ---- downloads and registers ------------------------------------------------------------
def test_tables_offer_no_raw_csv_download_that_would_run_a_formula():
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def test_the_example_register_download_neutralises_formulas(monkeypatch):
    from app_pages import _shared
    from sgaudit import registers

    columns = registers.columns_of("policies")
    hostile = [
        dataclasses.replace(c, example='=HYPERLINK("http://x","click")') if i == 0 else c
        for i, c in enumerate(columns)
    ]
    monkeypatch.setattr(registers, "columns_of", lambda kind: hostile)
    text = _shared.example_register_csv("policies")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text


def _upload(at, kind: str, name: str, data: bytes) -> None:
    at.segmented_control(key="register_kind").set_value(kind).run()
    at.file_uploader(key=f"register_upload_{kind}").upload(name, data, "text/csv")
    at.run()


def test_a_stored_register_is_replaced_only_after_the_auditor_confirms(app_db):
    audit_id, _ = make_audit(app_db)
    policies = (REPO / "examples" / "registers" / "policies.csv").read_bytes()
    at = app(audit=audit_id)
    open_page(at, "registers")
    _upload(at, "policies", "policies.csv", policies)
    button(at, "Import").click().run()
    assert any("into the policy register." in s.value for s in at.success)
    assert not any("register register" in s.value for s in at.success)

    shorter = b"\n".join(policies.splitlines()[:3]) + b"\n"
    _upload(at, "policies", "policies-2.csv", shorter)
    replace = button(at, "Import (replaces this register)")
    assert replace.disabled
    with session_scope(app_db) as s:
        before = len(repo.register_records(s, repo.get_audit(s, audit_id))["policies"])
    at.checkbox(key="register_replace_policies").check().run()
    button(at, "Import (replaces this register)").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        after = len(repo.register_records(s, repo.get_audit(s, audit_id))["policies"])
    assert (before, after) == (policies.decode().count("\n") - 1, 2)


def test_a_refused_upload_is_named_as_the_users_file_never_a_server_path(app_db):
    audit_id, _ = make_audit(app_db)
    bad = (REPO / "examples" / "registers" / "bad_training.csv").read_bytes()
    at = app(audit=audit_id)
    open_page(at, "registers")
    _upload(at, "training", "my training.csv", bad)
    button(at, "Import").click().run()
    shown = " ".join(e.value for e in at.error) + " ".join(
        map(str, problems_table(at).to_numpy().ravel())
    )
    assert "my training.csv" in shown
    assert "sgaudit-register-" not in shown and "/tmp" not in shown


# ---- findings and recommendations (the two defects found there) ---------------------------
def test_reword_then_accept_keeps_the_auditors_wording(demo_db):
    from sgaudit.analysis import analyse
    from sgaudit.store.frames import load_audit_data

    with session_scope(demo_db) as s:
        audit = repo.list_audits(s)[-1]
        audit_id, reviewed = audit.id, set(repo.finding_reviews(s, audit))
        analysis = analyse(load_audit_data(s, audit_id))
    target = next(f for f in analysis.findings if f.key not in reviewed)
    at = app(audit=audit_id)
    open_page(at, "findings")
    at.text_area(key=f"wording:{target.key}").input("Our own wording of it")
    at.button(key=f"save_wording:{target.key}").click().run()
    at.button(key=f"acc:{target.key}").click().run()
    assert_clean(at)
    with session_scope(demo_db) as s:
        review = repo.finding_reviews(s, repo.get_audit(s, audit_id))[target.key]
    assert (review.status, review.summary) == ("accepted", "Our own wording of it")
    assert any("Our own wording of it" in m.value for m in at.markdown)


def test_a_recommendation_without_a_theme_is_named_kept_and_the_tab_stays(app_db):
    audit_id, _ = make_audit(app_db)
    at = app(audit=audit_id)
    open_page(at, "findings")
    at.session_state["findings_tabs"] = "Recommendations"
    rows = {
        "edited_rows": {},
        "added_rows": [
            {"theme": "culture", "text": "Hold a listening exercise", "priority": "high"},
            {"text": "Name a deputy DSL for nights", "priority": "high"},
        ],
        "deleted_rows": [],
    }
    at.session_state[f"recs:{audit_id}"] = rows
    at.run()
    button(at, "Save recommendations").click().run()
    assert_clean(at)
    assert any("choose a theme for 'Name a deputy DSL for nights'" in e.value for e in at.error)
    assert not any("Recommendations saved" in s.value for s in at.success)
    with session_scope(app_db) as s:
        assert repo.list_recommendations(s, repo.get_audit(s, audit_id)) == []
    assert at.session_state[f"recs:{audit_id}"]["added_rows"][1]["text"] == (
        "Name a deputy DSL for nights"
    )  # nothing typed is lost
    assert at.session_state["findings_tabs"] == "Recommendations"


# ---- correcting and erasing in the app ----------------------------------------------------
def test_a_tier_change_lists_the_answers_it_would_erase_before_changing(app_db):
    from sgaudit.questionnaire import load_question_set

    qs = load_question_set()
    board = {q.id for q in qs.questions_for_tier("board")}
    audit_id, interview_id = make_audit(app_db)
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    radio = next(r for r in answer_radios(at) if r.key.rsplit(":", 1)[1] not in board)
    qid = radio.key.rsplit(":", 1)[1]
    radio.set_value("agree").run()
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    at.selectbox(key=f"fix_tier:{interview_id}").set_value("board").run()
    assert any(qid in w.value for w in at.warning)
    button(at, "Save the corrected details").click().run()
    assert any(qid in e.value for e in at.error)  # refused: not confirmed
    with session_scope(app_db) as s:
        assert repo.get_interview(s, interview_id).tier == "front_line"
    at.selectbox(key=f"fix_tier:{interview_id}").set_value("board").run()
    at.checkbox(key=f"fix_erase:{interview_id}").check().run()
    button(at, "Save the corrected details").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        iv = repo.get_interview(s, interview_id)
        assert iv.tier == "board" and qid not in repo.interview_answers(s, iv)


def test_one_answer_is_cleared_after_a_confirmation(app_db):
    audit_id, interview_id = make_audit(app_db)
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    radio = answer_radios(at)[0]
    qid = radio.key.rsplit(":", 1)[1]
    radio.set_value("agree").run()
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    at.selectbox(key=f"clear_pick:{interview_id}").set_value(qid).run()
    assert button(at, "Clear the answer").disabled
    at.checkbox(key=f"clear_sure:{interview_id}").check().run()
    button(at, "Clear the answer").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        assert qid not in repo.interview_answers(s, repo.get_interview(s, interview_id))
    radios = {r.key.rsplit(":", 1)[1]: r for r in answer_radios(at)}
    assert radios[qid].value is None


def test_an_audit_and_then_its_organisation_are_erased_after_confirmation(app_db):
    audit_id, _ = make_audit(app_db)
    at = app()
    at.run()
    at.selectbox(key="erase_audit_pick").set_value(audit_id).run()
    assert button(at, "Erase the audit").disabled
    at.checkbox(key="erase_audit_sure").check().run()
    button(at, "Erase the audit").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        assert repo.list_audits(s) == []
        org_id = repo.list_organisations(s)[0].id
    at.selectbox(key="erase_org_pick").set_value(org_id).run()
    at.checkbox(key="erase_org_sure").check().run()
    button(at, "Erase the organisation").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        assert repo.list_organisations(s) == []
        assert s.query(ChangeLog).filter_by(action="erase").count() == 2


# ---- fieldwork at a glance ----------------------------------------------------------------
def test_the_interview_list_shows_coverage_and_offers_a_question_sheet(app_db):
    audit_id, _ = make_audit(app_db, mode="focus_group", people=4)
    at = app(audit=audit_id)
    open_page(at, "interview")
    tables = [t.value for t in at.table]
    assert any("4" in str(t.to_numpy()) for t in tables)
    assert any("below minimum" in str(t.to_numpy()) for t in tables)
    assert any("Not yet asked at board level" in w.value for w in at.warning)
    assert at.selectbox(key="sheet_print_tier").value == "service_user"
