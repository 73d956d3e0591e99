"""The Double scoring page: the second auditor scores blind, the lead moderates."""

from __future__ import annotations

from app_support import app, button, open_page
from test_double_scoring import LEAD, SCORES, SECOND

from sgaudit.questionnaire import load_question_set
from sgaudit.store import db as store_db
from sgaudit.store import double_scoring as ds
from sgaudit.store import moderation, repo
from sgaudit.store.db import session_scope


def test_the_second_auditor_scores_blind_and_the_lead_moderates(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    store_db.get_engine(url)
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Pair Trust", ["Housing"])
        audit = repo.create_audit(
            s, org, "Audit 2026", load_question_set(), auditor_1=LEAD, auditor_2=SECOND
        )
        iv = repo.start_interview(
            s,
            audit,
            tier="front_line",
            service_area="Housing",
            auditor=LEAD,
            consent_confirmed=True,
        )
        s.commit()
        for qid, (first, _) in SCORES.items():
            repo.save_answer(s, iv, qid, first, actor=LEAD)
        repo.set_interview_completed(s, iv, actor=LEAD)
        audit_id, iv_id = audit.id, iv.id
    at = app(audit=audit_id)
    at.run()
    open_page(at, "double_scoring")
    at.session_state["sg_actor"] = LEAD
    button(at, "Mark as double-scored").click().run()
    at.session_state["sg_actor"] = SECOND
    at.run()
    boxes = {b.key.split(":")[-1]: b for b in at.selectbox if (b.key or "").startswith("second:")}
    # the lead's answers are not shown: every box starts empty
    assert boxes and all(b.value == "" for b in boxes.values())
    for qid, (_, second) in SCORES.items():
        boxes[qid].set_value(second)
    [finish] = [b for b in at.button if b.label == "Save and finish"]
    finish.click().run()
    assert not at.exception
    with session_scope(url) as s:
        result = moderation.audit_agreement(s, repo.get_audit(s, audit_id))
        assert result.interviews == 1 and len(result.open_items) == 2
        assert ds.both_finished(repo.get_interview(s, iv_id))
    at.session_state["sg_actor"] = LEAD
    at.run()
    [item] = [b for b in at.selectbox if b.label == "Item to moderate"]
    item.set_value(item.options[0]).run()
    [agreed] = [b for b in at.selectbox if b.label == "Agreed answer"]
    agreed.set_value("agree")
    [reason] = [t for t in at.text_input if t.label == "Reason"]
    reason.input("Seen the supervision log.")
    [record] = [b for b in at.button if b.label == "Record the agreed score"]
    record.click().run()
    assert not at.exception and not at.error
    with session_scope(url) as s:
        assert moderation.audit_agreement(s, repo.get_audit(s, audit_id)).moderated == 1


def _marked_interview(url):
    """A completed, double-scored front-line interview; returns (audit id, interview id)."""
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Pair Trust", ["Housing"])
        audit = repo.create_audit(
            s, org, "Audit 2026", load_question_set(), auditor_1=LEAD, auditor_2=SECOND
        )
        iv = repo.start_interview(
            s,
            audit,
            tier="front_line",
            service_area="Housing",
            auditor=LEAD,
            consent_confirmed=True,
        )
        s.commit()
        for qid, (first, _) in SCORES.items():
            repo.save_answer(s, iv, qid, first, actor=LEAD)
        repo.set_interview_completed(s, iv, actor=LEAD)
        ds.mark_double_scored(s, iv, actor=LEAD)
        return audit.id, iv.id


def _second_boxes(at):
    return {b.key.split(":")[-1]: b for b in at.selectbox if (b.key or "").startswith("second:")}


def test_each_second_score_is_saved_as_it_is_chosen_and_survives_leaving_the_page(app_db):
    audit_id, iv_id = _marked_interview(app_db)
    at = app(audit=audit_id)
    at.run()
    open_page(at, "double_scoring")
    at.session_state["sg_actor"] = SECOND
    at.run()
    _second_boxes(at)["REC-01"].set_value("agree").run()
    _second_boxes(at)["REC-03"].set_value("disagree").run()
    assert not at.exception and not at.error
    # saved at once, no button pressed: the store has both, still the second auditor's only
    with session_scope(app_db) as s:
        iv = repo.get_interview(s, iv_id)
        assert ds.second_scores(s, iv, actor=SECOND) == {"REC-01": "agree", "REC-03": "disagree"}
        assert not iv.second_completed
        assert moderation.audit_agreement(s, repo.get_audit(s, audit_id)).interviews == 0

    open_page(at, "dashboard")  # leave through the sidebar ...
    open_page(at, "double_scoring")  # ... and come back: the choices are still there
    boxes = _second_boxes(at)
    assert (boxes["REC-01"].value, boxes["REC-03"].value) == ("agree", "disagree")
    assert all(b.value == "" for q, b in boxes.items() if q not in {"REC-01", "REC-03"})
    assert any("2 of" in c.value and "saved" in c.value for c in at.caption)

    # the lead never sees the half-done second scoring
    at.session_state["sg_actor"] = LEAD
    at.run()
    assert not _second_boxes(at)
    assert any(f"{SECOND} is still scoring" in i.value for i in at.info)
    assert any("No double-scored interview is finished" in c.value for c in at.caption)

    at.session_state["sg_actor"] = SECOND
    at.run()
    button(at, "Save and finish").click().run()
    assert not at.exception and not at.error
    with session_scope(app_db) as s:
        iv = repo.get_interview(s, iv_id)
        assert iv.second_completed
        assert ds.second_scores(s, iv, actor=SECOND) == {"REC-01": "agree", "REC-03": "disagree"}


def test_a_choice_the_store_refuses_is_kept_on_the_page_and_shown_as_not_saved(app_db):
    audit_id, iv_id = _marked_interview(app_db)
    at = app(audit=audit_id)
    at.run()
    open_page(at, "double_scoring")
    at.session_state["sg_actor"] = SECOND
    at.run()
    _second_boxes(at)["REC-01"].set_value("agree").run()
    with session_scope(app_db) as s:  # another window of the same auditor, meanwhile
        ds.save_second_score(s, repo.get_interview(s, iv_id), "REC-01", "neutral", actor=SECOND)
    _second_boxes(at)["REC-01"].set_value("strongly_agree").run()
    assert any("not saved" in w.value.lower() for w in at.warning)
    with session_scope(app_db) as s:  # nothing was overwritten unseen
        assert ds.second_scores(s, repo.get_interview(s, iv_id), actor=SECOND)["REC-01"] == (
            "neutral"
        )
    open_page(at, "dashboard")
    open_page(at, "double_scoring")  # the unsaved choice is still there, marked unsaved
    assert _second_boxes(at)["REC-01"].value == "strongly_agree"
    assert any("not saved" in w.value.lower() for w in at.warning)
    button(at, "Save mine over it").click().run()
    assert not at.warning and not at.error
    with session_scope(app_db) as s:
        assert ds.second_scores(s, repo.get_interview(s, iv_id), actor=SECOND)["REC-01"] == (
            "strongly_agree"
        )
