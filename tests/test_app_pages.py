"""The auditor app through Streamlit's AppTest: every page, and the main flow.

Each test gets its own SQLite store (SGAUDIT_DATABASE_URL); the answers are checked in
the store through `repo`, never through the screen alone.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date
from pathlib import Path

import pytest
from conftest import sign_in_app
from docx import Document
from streamlit.testing.v1 import AppTest

from sgaudit.analysis import analyse
from sgaudit.questionnaire import load_question_set
from sgaudit.store import capture, repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "audit_app.py"
PAGES = [
    "organisations",
    "interview",
    "dashboard",
    "findings",
    "compare",
    "report",
    "review",
    "double_scoring",
    "registers",
    "questionnaires",
]


def app(*, user: str | None = "admin", **query) -> AppTest:
    """The app, signed in as `user` (an admin account by default; None: nobody)."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = str(value)
    return sign_in_app(at, user) if user else at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def by_label(elements, label: str):
    found = [e for e in elements if e.label == label]
    assert found, f"no element labelled {label!r}; have {[e.label for e in elements]}"
    return found[0]


def button(at: AppTest, label: str):
    return by_label(at.button, label)


def answer_radios(at: AppTest):
    return [r for r in at.radio if r.key and r.key.startswith("answer:")]


def heatmap_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert charts, "no plotly chart on the page"
    return json.loads(charts[0].proto.spec)


def make_audit(url: str, *, people: int = 1, mode: str = "interview", tier="front_line"):
    """An audit with one started, consented interview; returns (audit id, interview id)."""
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(s, org, "Baseline 2026", load_question_set(),
                                  auditor_1="Sam Lee", auditor_2="Ali Khan")
        iv = repo.start_interview(s, audit, tier=tier, service_area="Housing", mode=mode,
                                  people=people, consent_confirmed=True)
        s.flush()
        return audit.id, iv.id


# ---- every page renders ---------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(app_db, page):
    at = app()
    at.run()
    assert_clean(at)
    open_page(at, page)
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo_data(demo_db, page):
    with session_scope(demo_db) as s:
        newest = repo.list_audits(s)[-1].id
    at = app(audit=newest)
    at.run()
    open_page(at, page)
    assert not at.error, [e.value for e in at.error]


def test_the_demo_loads_with_one_click_on_an_empty_database(app_db):
    at = app()
    at.run()
    button(at, "Load demo data").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        audits = repo.list_audits(s)
    assert len(audits) >= 2
    assert at.session_state["audit"] == audits[-1].id
    assert at.success and "Demo data loaded" in at.success[0].value


# ---- the main flow --------------------------------------------------------------------
def test_main_flow_create_capture_see_the_dashboard_review_and_download_the_report(app_db):
    at = app()
    at.run()
    by_label(at.text_input, "Organisation name").input("Harbour & Co <Trust>")
    by_label(at.text_area, "Service areas (one per line)").input("Housing\nYouth\nFamilies")
    button(at, "Create organisation").click().run()
    assert_clean(at)
    by_label(at.text_input, "Audit title").input("Baseline 2026")
    by_label(at.text_input, "Lead auditor").input("Sam Lee")
    by_label(at.text_input, "Second auditor").input("Ali Khan")
    button(at, "Create audit").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        (audit,) = repo.list_audits(s)
        assert audit.organisation.name == "Harbour & Co <Trust>"
        assert audit.organisation.area_names == ["Housing", "Youth", "Families"]
        audit_id = audit.id
    assert at.session_state["audit"] == audit_id
    assert at.query_params["audit"] == str(audit_id)

    # Start a focus group of four, so the dashboard may show its scores.
    open_page(at, "interview")
    at.selectbox(key="new_tier").set_value("front_line")
    at.radio(key="new_mode").set_value("focus_group").run()
    at.number_input(key="new_people").set_value(4)
    at.checkbox(key="new_consent").check()
    button(at, "Start interview").click().run()
    assert_clean(at)
    interview_id = at.session_state["interview"]
    assert at.query_params["interview"] == str(interview_id)

    keys = [r.key for r in answer_radios(at)]
    assert len(keys) >= 3
    picks = {}
    for key, answer in zip(keys[:3], ["agree", "dont_know", "strongly_disagree"], strict=True):
        qid = key.rsplit(":", 1)[1]
        allowed = load_question_set().allowed_answers(qid)
        answer = answer if answer in allowed else allowed[0]
        at.radio(key=key).set_value(answer).run()
        assert_clean(at)
        # Only that question and the progress were redrawn (AppTest then holds just
        # those); a plain run draws the whole page again for the next lookup.
        assert [r.key for r in answer_radios(at)] == [key]
        at.run()
        picks[qid] = answer
    first = next(iter(picks))
    at.text_area(key=f"note:{interview_id}:{first}").input("Staff said: 'we just know'").run()
    at.run()
    at.checkbox(key=f"quotable:{interview_id}:{first}").check().run()
    assert_clean(at)

    with session_scope(app_db) as s:
        stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
    assert {q: r.answer for q, r in stored.items()} == picks
    assert stored[first].note == "Staff said: 'we just know'" and stored[first].quotable
    assert any("saved" in c.value for c in at.caption)
    assert f"{len(picks)}/" in at.get("progress")[0].proto.text

    # The dashboard reflects the answers: the front-line cell of the theme has a score.
    open_page(at, "dashboard")
    assert by_label(at.metric, "People heard").value == "4"
    with session_scope(app_db) as s:
        expected = analyse(load_audit_data(s, audit_id))
    theme = expected.themes[0]
    (cell,) = [c for c in theme.by_tier if c.tier == "front_line"]
    assert cell.score is not None and not cell.suppressed
    spec = heatmap_spec(at)
    # printed by the one rule (sgaudit.printed): the whole points reached
    assert f"{math.floor(cell.score)} {cell.rag}" in json.dumps(spec["data"][0]["text"])

    # Mark the interview complete; it shows as complete in the list.
    open_page(at, "interview")
    button(at, "Mark complete").click().run()
    assert_clean(at)
    assert at.session_state["interview"] is None
    with session_scope(app_db) as s:
        assert repo.get_interview(s, interview_id).completed

    # An own finding, then the report contains it and the organisation's name.
    open_page(at, "findings")
    by_label(at.text_area, "Finding, as it should read in the report").input(
        "Front-line staff cannot name the DSL's deputy."
    )
    button(at, "Add finding").click().run()
    assert_clean(at)
    open_page(at, "report")
    button(at, "Generate report").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    made = at.session_state["sg_report"]
    assert made["name"].endswith(".docx")
    assert any(e for e in at.get("download_button"))
    text = "\n".join(p.text for p in Document(io.BytesIO(made["data"])).paragraphs)
    assert "Harbour & Co <Trust>" in text
    assert "Front-line staff cannot name the DSL's deputy." in text


# ---- interview details ----------------------------------------------------------------
def test_questions_stay_hidden_until_consent_is_confirmed(app_db):
    with session_scope(app_db) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing"])
        audit = repo.create_audit(s, org, "Baseline", load_question_set())
        iv = repo.start_interview(s, audit, tier="board", service_area="Housing")
        s.flush()
        audit_id, interview_id = audit.id, iv.id
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    assert not answer_radios(at)
    assert any("Confirm consent" in w.value for w in at.warning)
    at.checkbox(key=f"consent:{interview_id}").check().run()
    assert_clean(at)
    assert answer_radios(at)
    with session_scope(app_db) as s:
        assert repo.get_interview(s, interview_id).consent_confirmed


def test_a_reload_returns_to_the_same_interview_with_its_answers_selected(app_db):
    audit_id, interview_id = make_audit(app_db)
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    radio = answer_radios(at)[1]
    qid = radio.key.rsplit(":", 1)[1]
    radio.set_value("dont_know").run()

    reloaded = app(audit=audit_id, interview=interview_id)  # a new browser session
    open_page(reloaded, "interview")
    again = {r.key.rsplit(":", 1)[1]: r for r in answer_radios(reloaded)}
    assert again[qid].value == "dont_know"
    assert reloaded.session_state["interview"] == interview_id


def test_only_the_tiers_questions_are_asked_grouped_by_theme_with_progress(app_db):
    audit_id, interview_id = make_audit(app_db, tier="board")
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    qs = load_question_set()
    board = qs.questions_for_tier("board")
    pills = at.get("button_group")
    assert pills, "no theme chooser"
    shown = {r.key.rsplit(":", 1)[1] for r in answer_radios(at)}
    first_theme = board[0].theme
    ordinal = {q.id for q in board
               if q.theme == first_theme and qs.scales[q.scale].kind != "text"}
    assert shown == ordinal
    assert f"0/{len(board)}" in at.get("progress")[0].proto.text


def test_a_text_answer_is_saved_when_the_box_changes(app_db):
    qs = load_question_set()
    text_q = next(q for q in qs.questions if qs.scales[q.scale].kind == "text")
    tier = text_q.tier_ids[0]
    audit_id, interview_id = make_audit(app_db, tier=tier)
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    at.session_state[f"sg_theme:{interview_id}"] = text_q.theme
    at.run()
    at.text_area(key=f"answer:{interview_id}:{text_q.id}").input("More supervision time").run()
    assert_clean(at)
    with session_scope(app_db) as s:
        stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
    assert stored[text_q.id].answer == "More supervision time"


def test_the_interview_list_shows_each_interviews_progress_for_resuming(app_db):
    audit_id, interview_id = make_audit(app_db)
    with session_scope(app_db) as s:
        iv = repo.get_interview(s, interview_id)
        qid = load_question_set().questions_for_tier("front_line")[0].id
        repo.save_answer(s, iv, qid, "dont_know")
        code = iv.code
    at = app(audit=audit_id)
    open_page(at, "interview")
    picker = at.selectbox(key="resume_pick")
    label = picker.format_func(interview_id)
    asked = len(load_question_set().questions_for_tier("front_line"))
    assert code in label and f"1/{asked} answered" in label
    picker.set_value(interview_id).run()
    assert at.session_state["interview"] == interview_id
    assert answer_radios(at)


# ---- the dashboard never shows a small group's number --------------------------------
def test_a_one_person_cell_is_shown_as_suppressed_with_no_number(app_db):
    audit_id, interview_id = make_audit(app_db)
    with session_scope(app_db) as s:
        iv = repo.get_interview(s, interview_id)
        for q in load_question_set().questions_for_tier("front_line")[:5]:
            if load_question_set().scales[q.scale].kind != "text":
                repo.save_answer(s, iv, q.id, load_question_set().allowed_answers(q.id)[-3])
    at = app(audit=audit_id)
    open_page(at, "dashboard")
    spec = heatmap_spec(at)
    assert all(v is None for row in spec["data"][0]["z"] for v in row)
    assert all(t == "" for row in spec["data"][0]["text"] for t in row)
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert "suppressed" in notes


# ---- findings and recommendations ------------------------------------------------------
def test_recommendations_added_in_the_table_are_stored_for_the_report(app_db):
    audit_id, _ = make_audit(app_db)
    at = app(audit=audit_id)
    open_page(at, "findings")
    at.session_state[f"recs:{audit_id}"] = {
        "edited_rows": {},
        "added_rows": [{"theme": "culture", "text": "Hold a listening exercise",
                        "priority": "high", "owner": "CEO", "due date": "2027-03-31"}],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save recommendations").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    with session_scope(app_db) as s:
        (rec,) = repo.list_recommendations(s, repo.get_audit(s, audit_id))
    assert (rec.theme, rec.text, rec.priority, rec.owner, rec.due_date) == (
        "culture", "Hold a listening exercise", "high", "CEO", date(2027, 3, 31))


def test_carried_over_recommendations_are_reviewed_with_status_evidence_and_date(app_db):
    audit_id, _ = make_audit(app_db)
    with session_scope(app_db) as s:
        before = repo.get_audit(s, audit_id)
        repo.save_recommendation(s, before, theme="dsl", text="Appoint a deputy DSL")
        again = repo.create_audit(s, before.organisation, "Re-audit", load_question_set(),
                                  previous_audit=before)
        s.flush()
        reaudit_id = again.id
    at = app(audit=reaudit_id)
    open_page(at, "findings")
    at.session_state[f"carried:{reaudit_id}"] = {
        "edited_rows": {0: {"review": "achieved", "evidence": "Deputy appointed in March",
                            "reviewed on": "2026-03-01"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save reviews").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        (rec,) = repo.list_recommendations(s, repo.get_audit(s, reaudit_id))
    assert rec.carried_from_id is not None
    assert (rec.review_status, rec.review_evidence, rec.reviewed_on) == (
        "achieved", "Deputy appointed in March", date(2026, 3, 1))


# ---- uploads are checked and change nothing when refused ---------------------------------
def _audit_with_answers(url: str) -> int:
    audit_id, interview_id = make_audit(url, people=4, mode="focus_group")
    with session_scope(url) as s:
        iv = repo.get_interview(s, interview_id)
        qs = load_question_set()
        for q in qs.questions_for_tier("front_line")[:6]:
            if qs.scales[q.scale].kind != "text":
                repo.save_answer(s, iv, q.id, qs.allowed_answers(q.id)[0])
    return audit_id


def test_a_file_that_is_not_a_word_template_is_refused_and_no_report_is_made(app_db):
    audit_id = _audit_with_answers(app_db)
    at = app(audit=audit_id)
    open_page(at, "report")
    at.file_uploader[0].upload("template.docx", b"this is not a Word file")
    at.run()
    button(at, "Generate report").click().run()
    assert_clean(at)
    assert at.error and "refused" in at.error[0].value
    assert "sg_report" not in at.session_state


def test_a_template_over_the_size_limit_is_refused(app_db):
    audit_id = _audit_with_answers(app_db)
    at = app(audit=audit_id)
    open_page(at, "report")
    at.file_uploader[0].upload("big.docx", b"0" * (11 * 1024 * 1024))
    at.run()
    button(at, "Generate report").click().run()
    assert_clean(at)
    assert at.error and "limit" in at.error[0].value
    assert "sg_report" not in at.session_state


def test_a_bad_answer_sheet_lists_every_problem_and_imports_nothing(app_db):
    audit_id, interview_id = make_audit(app_db)
    with session_scope(app_db) as s:
        code = repo.get_interview(s, interview_id).code
    sheet = (
        "interview_id,tier,service_area,question_id,answer,note\n"
        f"{code},front_line,Housing,NOPE-99,agree,\n"
        f"{code},front_line,Housing,{load_question_set().questions_for_tier('front_line')[0].id},"
        "maybe,\n"
    ).encode()
    at = app(audit=audit_id)
    open_page(at, "interview")
    at.file_uploader(key="sheet_upload").upload("answers.csv", sheet, "text/csv")
    at.run()
    button(at, "Import").click().run()
    assert_clean(at)
    assert at.error and "Nothing was changed" in at.error[0].value
    problems = at.dataframe[-1].value
    assert len(problems) >= 2 and set(problems["row"]) >= {2, 3}
    with session_scope(app_db) as s:
        assert capture.answer_counts(s, repo.get_audit(s, audit_id)) == {}


def test_a_good_answer_sheet_is_checked_then_imported(app_db):
    audit_id, interview_id = make_audit(app_db)
    qs = load_question_set()
    q = next(q for q in qs.questions_for_tier("front_line") if qs.scales[q.scale].kind != "text")
    sheet = (
        "interview_id,tier,service_area,question_id,answer,note\n"
        f"PAPER-1,front_line,Youth,{q.id},dont_know,from a paper form\n"
    ).encode()
    at = app(audit=audit_id)
    open_page(at, "interview")
    at.file_uploader(key="sheet_upload").upload("answers.csv", sheet, "text/csv")
    at.run()
    button(at, "Check file").click().run()
    assert at.success and "Nothing was written" in at.success[0].value
    with session_scope(app_db) as s:
        assert len(repo.list_interviews(s, repo.get_audit(s, audit_id))) == 1
    button(at, "Import").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        interviews = repo.list_interviews(s, repo.get_audit(s, audit_id))
        assert [iv.code for iv in interviews][-1] == "PAPER-1"
        assert repo.interview_answers(s, interviews[-1])[q.id].note == "from a paper form"


# ---- registers -------------------------------------------------------------------------
def test_a_bad_register_file_lists_every_problem_and_stores_nothing(app_db):
    audit_id, _ = make_audit(app_db)
    bad = (REPO / "examples" / "registers" / "bad_training.csv").read_bytes()
    at = app(audit=audit_id)
    open_page(at, "registers")
    at.file_uploader(key="register_upload_training").upload("bad_training.csv", bad, "text/csv")
    at.run()
    button(at, "Import").click().run()
    assert_clean(at)
    assert at.error and "Nothing was changed" in at.error[0].value
    problems = at.dataframe[-1].value
    assert len(problems) >= 2 and {"row", "column", "problem"} <= set(problems.columns)
    with session_scope(app_db) as s:
        assert repo.register_records(s, repo.get_audit(s, audit_id)) == {}


def test_a_register_is_imported_and_its_indicators_shown(app_db):
    audit_id = _audit_with_answers(app_db)
    policies = (REPO / "examples" / "registers" / "policies.csv").read_bytes()
    at = app(audit=audit_id)
    open_page(at, "registers")
    at.segmented_control(key="register_kind").set_value("policies").run()
    at.file_uploader(key="register_upload_policies").upload("policies.csv", policies,
                                                            "text/csv")
    at.run()
    button(at, "Import").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    with session_scope(app_db) as s:
        stored = repo.register_records(s, repo.get_audit(s, audit_id))
    assert len(stored["policies"]) == policies.decode().count("\n") - 1
    (indicators,) = [d.value for d in at.dataframe if "indicator" in d.value.columns]
    assert len(indicators) >= 1
    assert set(indicators["register"]) == {"Policy register"}


def test_choosing_a_training_framework_is_stored_on_the_audit(app_db):
    audit_id, _ = make_audit(app_db)
    at = app(audit=audit_id)
    open_page(at, "registers")
    at.selectbox(key="register_framework").set_value("wales_national").run()
    assert_clean(at)
    with session_scope(app_db) as s:
        assert repo.get_audit(s, audit_id).framework_id == "wales_national"


# ---- the auditors' decisions reach the report ------------------------------------------
def test_a_reworded_finding_is_stored_and_the_report_uses_the_new_wording(demo_db):
    with session_scope(demo_db) as s:
        audit = repo.list_audits(s)[-1]
        audit_id = audit.id
        reviewed = set(repo.finding_reviews(s, audit))
        analysis = analyse(load_audit_data(s, audit_id))
    at = app(audit=audit_id)
    open_page(at, "findings")
    target = next(f for f in analysis.findings if f.key not in reviewed)
    new_wording = "Trustees & staff <disagree> on this: {{ not a template }}"
    at.text_area(key=f"wording:{target.key}").input(new_wording)
    at.button(key=f"save_wording:{target.key}").click().run()
    assert_clean(at)
    with session_scope(demo_db) as s:
        review = repo.finding_reviews(s, repo.get_audit(s, audit_id))[target.key]
    assert (review.status, review.summary) == ("edited", new_wording)

    other = next(f for f in analysis.findings if f.key not in reviewed | {target.key})
    at.button(key=f"dis:{other.key}").click().run()
    with session_scope(demo_db) as s:
        assert repo.finding_reviews(s, repo.get_audit(s, audit_id))[other.key].status == (
            "dismissed")

    open_page(at, "report")
    button(at, "Generate report").click().run()
    assert_clean(at)
    document = Document(io.BytesIO(at.session_state["sg_report"]["data"]))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert new_wording in text



# ---- PostgreSQL ------------------------------------------------------------------------
@pytest.mark.postgres
def test_answers_captured_in_the_app_are_stored_in_postgresql(pg_url, monkeypatch):
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", pg_url)
    audit_id, interview_id = make_audit(pg_url, people=3, mode="focus_group")
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    key = answer_radios(at)[0].key
    at.radio(key=key).set_value("dont_know").run()
    assert_clean(at)
    with session_scope(pg_url) as s:
        stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
    assert stored[key.rsplit(":", 1)[1]].answer == "dont_know"
    for page in ("dashboard", "findings", "report"):
        open_page(at, page)


def test_a_new_browser_session_opens_on_the_newest_audit(demo_db):
    at = open_page(app(), "findings")
    assert not [i for i in at.info if "Choose an audit" in i.value]
    picker = by_label(at.sidebar.selectbox, "Audit")
    assert picker.value == 2  # the demo's re-audit, the newest
    assert at.query_params["audit"] == ["2"] or at.query_params["audit"] == "2"
