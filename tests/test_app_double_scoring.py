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
