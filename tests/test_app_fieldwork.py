"""The capture and set-up pages through AppTest: the defects found in the field, kept fixed."""

from __future__ import annotations

import test_app_pages
from sqlalchemy.exc import OperationalError
from test_app_pages import (
    answer_radios,
    app,
    assert_clean,
    button,
    by_label,
    make_audit,
    open_page,
)

from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import ChangeLog, Interview

app_db = test_app_pages.app_db  # a fresh SQLite store per test, as the page tests use


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
    assert by_label(at.metric, "Interviews").value == "1"

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
