"""The auditor app through Streamlit's AppTest: every page, the main flow, the interview.

Each test gets its own SQLite store (SGAUDIT_DATABASE_URL); the answers are checked in
the store through `repo`, never through the screen alone. The dashboard, findings and
report decisions are in test_app_pages_results.py; uploads, registers and PostgreSQL in
test_app_pages_uploads.py; the shared helpers in app_support.py.
"""

from __future__ import annotations

import io
import json
import math

import pytest
from app_support import (
    PAGES,
    answer_radios,
    app,
    assert_clean,
    button,
    by_label,
    heatmap_spec,
    make_audit,
    open_page,
)
from docx import Document

from sgaudit.analysis import analyse
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data


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


# ---- a new browser session ------------------------------------------------------------
def test_a_new_browser_session_opens_on_the_newest_audit(demo_db):
    at = open_page(app(), "findings")
    assert not [i for i in at.info if "Choose an audit" in i.value]
    picker = by_label(at.sidebar.selectbox, "Audit")
    assert picker.value == 2  # the demo's re-audit, the newest
    assert at.query_params["audit"] == ["2"] or at.query_params["audit"] == "2"
