"""Two auditors on one answer in the app: the second sees the other's version and chooses."""

from __future__ import annotations

from app_support import answer_radios, app, make_audit, open_page

from sgaudit.store import repo
from sgaudit.store.db import session_scope


def _other_auditor_saves(url, interview_id, qid, answer):
    with session_scope(url) as s:
        iv = repo.get_interview(s, interview_id)
        current = repo.interview_answers(s, iv).get(qid)
        repo.save_answer(
            s,
            iv,
            qid,
            answer,
            note="Seen in the supervision log.",
            actor="Ali Khan",
            expected_revision=current.revision if current else 0,
        )


def test_a_change_made_meanwhile_is_shown_and_the_auditor_chooses(app_db):  # noqa: F811
    audit_id, interview_id = make_audit(app_db)
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    radio = answer_radios(at)[0]
    qid = radio.key.rsplit(":", 1)[1]
    _other_auditor_saves(app_db, interview_id, qid, "agree")  # behind this page's back
    radio.set_value("disagree").run()
    assert any("Ali Khan changed this" in w.value for w in at.warning)
    with session_scope(app_db) as s:  # nothing of Ali's was overwritten
        assert repo.interview_answers(s, repo.get_interview(s, interview_id))[qid].answer == (
            "agree"
        )
    [keep] = [b for b in at.button if b.label == "Keep theirs"]
    keep.click().run()
    shown = {r.key.rsplit(":", 1)[1]: r for r in answer_radios(at)}
    assert shown[qid].value == "agree" and not at.warning

    # later Ali changes it again; this time the auditor saves their own over it
    _other_auditor_saves(app_db, interview_id, qid, "neutral")
    shown[qid].set_value("strongly_disagree").run()
    [mine] = [b for b in at.button if b.label == "Save mine over it"]
    mine.click().run()
    with session_scope(app_db) as s:
        row = repo.interview_answers(s, repo.get_interview(s, interview_id))[qid]
        assert (row.answer, row.updated_by) == ("strongly_disagree", "Sam Lee")


def test_the_interview_list_shows_fieldwork_that_refreshes_itself(app_db):  # noqa: F811
    audit_id, _ = make_audit(app_db)
    at = app(audit=audit_id)
    open_page(at, "interview")
    assert any(s.value == "Fieldwork now" for s in at.subheader)
    assert any("refreshes every 15 s" in c.value for c in at.caption)
