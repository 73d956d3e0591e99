"""The auditor app through AppTest: what the audit shows and what the auditors decide.

The dashboard never shows a small group's number; recommendations and the reviews of
carried-over ones are stored; a reworded or dismissed finding reaches the report.
"""

from __future__ import annotations

import io
import re
from datetime import date

from app_support import app, assert_clean, button, heatmap_spec, make_audit, open_page
from docx import Document
from test_report_fixtures import table_with_header

from sgaudit.analysis import analyse
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
from sgaudit.vocab import TIER_SHORT_LABELS, TIERS


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


def test_split_by_area_says_which_groups_it_leaves_out_and_why(demo_db):
    """The demo's managers are two per area, so every operational tier x area cell of
    Safer recruitment is hidden (the front line with them, since the area's total is
    shown): the split chart then draws only Central Services, and says so in words."""
    at = app(audit=2)
    open_page(at, "dashboard")
    at.selectbox(key="dash_theme").set_value("recruitment").run()
    at.toggle(key="dash_split").set_value(True).run()
    assert_clean(at)
    captions = [c.value for c in at.caption]
    said = [c for c in captions if c.startswith("Not drawn, to protect small groups")]
    assert said, captions
    assert "Front-line staff and volunteers (every area)" in said[0]
    assert "Managers and team leaders (every area)" in said[0] and "Board" not in said[0]
    assert "fewer than 3 people" in said[0]
    at.toggle(key="dash_split").set_value(False).run()
    assert not [c.value for c in at.caption if c.value.startswith("Not drawn")]


# ---- findings and recommendations ------------------------------------------------------
def test_recommendations_added_in_the_table_are_stored_for_the_report(app_db):
    audit_id, _ = make_audit(app_db)
    at = app(audit=audit_id)
    open_page(at, "findings")
    at.session_state[f"recs:{audit_id}"] = {
        "edited_rows": {},
        "added_rows": [
            {
                "theme": "culture",
                "text": "Hold a listening exercise",
                "priority": "high",
                "owner": "CEO",
                "due date": "2027-03-31",
            }
        ],
        "deleted_rows": [],
    }
    at.run()
    button(at, "Save recommendations").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    with session_scope(app_db) as s:
        (rec,) = repo.list_recommendations(s, repo.get_audit(s, audit_id))
    assert (rec.theme, rec.text, rec.priority, rec.owner, rec.due_date) == (
        "culture",
        "Hold a listening exercise",
        "high",
        "CEO",
        date(2027, 3, 31),
    )


def test_carried_over_recommendations_are_reviewed_with_status_evidence_and_date(app_db):
    audit_id, _ = make_audit(app_db)
    with session_scope(app_db) as s:
        before = repo.get_audit(s, audit_id)
        repo.save_recommendation(s, before, theme="dsl", text="Appoint a deputy DSL")
        again = repo.create_audit(
            s, before.organisation, "Re-audit", load_question_set(), previous_audit=before
        )
        s.flush()
        reaudit_id = again.id
    at = app(audit=reaudit_id)
    open_page(at, "findings")
    at.session_state[f"carried:{reaudit_id}"] = {
        "edited_rows": {
            0: {
                "review": "achieved",
                "evidence": "Deputy appointed in March",
                "reviewed on": "2026-03-01",
            }
        },
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
        "achieved",
        "Deputy appointed in March",
        date(2026, 3, 1),
    )


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
            "dismissed"
        )

    open_page(at, "report")
    button(at, "Generate report").click().run()
    assert_clean(at)
    document = Document(io.BytesIO(at.session_state["sg_report"]["data"]))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert new_wording in text


# ---- the Compare page shows the tiers the report shows, with the same figures ----------
def _page_change(cell: str) -> str:
    """ "80 → 70 (▼ −10)" -> "−10"; "not comparable" for a cell with no change. The
    number is taken as printed: the page writes a change as the report does (a true
    minus, "0" for no change)."""
    m = re.search(r"\((?:[▲▼]\s)?([^()\s]+)(?:\sunsure)?\)$", cell)
    return m.group(1) if m else "not comparable"


def _report_change(cell: str) -> str:
    """ "−10 Worse" -> "−10"; "Not comparable" -> "not comparable"."""
    if cell == "Not comparable":
        return "not comparable"
    return cell.split()[0]


def test_the_compare_page_shows_every_tier_and_figure_of_the_report(demo_db):
    with session_scope(demo_db) as s:
        audit_id = repo.list_audits(s)[-1].id
    at = app(audit=audit_id)
    open_page(at, "compare")
    heads = [TIER_SHORT_LABELS[t] for t in TIERS]
    page = next(t.value for t in at.table if heads[1] in t.value.columns)
    # Every tier of the golden thread, ground to board, people who use services first.
    assert list(page.columns) == ["theme", *heads]
    on_page = {
        (row["theme"], head): _page_change(row[head])
        for _, row in page.iterrows()
        for head in heads
    }
    assert on_page[("Quality assurance", "People using services")] == "\u221218"
    assert on_page[("Governance", "People using services")] == "\u22122"
    assert on_page[("Policies, procedures and guidance", "People using services")] == "+28"
    # The demo's baseline heard people who use services in one focus group per area, one
    # voice each: even their 28 points on policies are too few voices to be sure. Fifty-odd
    # front-line staff rising 14 points on leadership is clear.
    users = {row["theme"]: row[heads[0]] for _, row in page.iterrows()}
    front = {row["theme"]: row[heads[1]] for _, row in page.iterrows()}
    assert users["Policies, procedures and guidance"].endswith("\u00a0unsure)")
    leadership = "Strategic and operational leadership and management"
    assert front[leadership].endswith("(▲\u00a0+14)")

    open_page(at, "report")
    # the board page's "Since the last audit" says what rose, as the report does
    since = [m.value for m in at.markdown if m.value.startswith("**Since the last audit:**")]
    assert since and "and management rose 12 points" in since[0], since
    assert "Of the last audit" in since[0]
    button(at, "Generate report").click().run()
    assert_clean(at)
    document = Document(io.BytesIO(at.session_state["sg_report"]["data"]))
    table = table_with_header(document, ["Theme", *heads])
    in_report = {
        (row.cells[0].text, head): _report_change(cell.text)
        for row in table.rows[1:]
        for head, cell in zip(heads, row.cells[1:], strict=True)
    }
    assert on_page == in_report


# ---- the dashboard's self-assessment table and its findings print one interval ---------
def test_the_self_assessment_table_and_its_finding_boxes_print_the_same_interval(demo_db):
    with session_scope(demo_db) as s:
        audit_id = repo.list_audits(s)[-1].id
    at = app(audit=audit_id)
    open_page(at, "dashboard")
    table = next(d.value for d in [*at.dataframe, *at.table] if "interval" in d.value.columns)
    in_table = {
        row["theme"]: row["interval"].replace("\\", "").replace("+", "").replace("\u2212", "-")
        for _, row in table.iterrows()
    }
    boxes = {}
    for w in at.warning:
        m = re.match(
            r"\*\*(.+?)\*\*: The organisation's self-assessment .*?interval (-?\d+ to -?\d+);",
            w.value,
        )
        if m:
            boxes[m.group(1)] = m.group(2)
    assert set(boxes) == {"Complaints and whistleblowing", "Governance"}
    assert boxes["Complaints and whistleblowing"] == "34 to 38"  # [33.6, 38.1]: not "33 to 38"
    for theme, interval in boxes.items():
        assert in_table[theme] == interval, theme
