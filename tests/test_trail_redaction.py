"""Erasure reaches the records that are otherwise kept: the append-only trail, the change
log and the reports of issued versions. The trail still refuses every other update.

Issue 12 (the trail) and issue 11 (erasure): after an erasure no stored byte of the
erased notes, quotes or free-text answers is left in any column of any table.
"""

from __future__ import annotations

import docx
import pytest
import sqlalchemy as sa
from test_report_fixtures import AREAS, store_audit
from test_workflow import LEAD, _answer_every_finding, _sign_everything

from sgaudit import issuing
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope
from sgaudit.store.models import AuditEvent
from sgaudit.store.redaction import ERASED, erasure_statement

ERASED_NOTE = "Said the night manager locks the office when residents complain"
ERASED_TEXT = "Nobody told me who the safeguarding lead was until my third month"
KEPT_NOTE = "Supervision every fortnight always starts with safeguarding"


def _text_everywhere(url: str) -> str:
    """Every value of every column of every table in the store, as one text."""
    engine = get_engine(url)
    parts: list[str] = []
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        parts.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def _front_line_questions(s, audit):
    qs = repo.audit_question_set(audit)
    scored = [
        q.id for q in qs.questions_for_tier("front_line") if qs.scales[q.scale].kind == "ordinal"
    ]
    text = [q.id for q in qs.questions_for_tier("front_line") if qs.scales[q.scale].kind == "text"]
    return scored[0], text[0]


def _issued_audit_with_an_erasable_interview(url):
    """A final audit (version 1.0, its report stored) whose quotes include ERASED_NOTE from
    one interview and KEPT_NOTE from another; then reopened as 1.1 for the erasure."""
    from datetime import date

    with session_scope(url) as s:
        org = repo.create_organisation(s, "Redaction Trust", AREAS)
        audit = store_audit(s, org, "Audit 2026", per_tier_area=2, seed=5, note_share=0.0)
        ivs = [i for i in repo.list_interviews(s, audit) if i.tier == "front_line"]
        victim, kept = ivs[0], ivs[1]
        scored, text_q = _front_line_questions(s, audit)
        repo.save_answer(s, victim, scored, "disagree", note=ERASED_NOTE, quotable=True)
        repo.save_answer(s, victim, scored, "agree", note=ERASED_NOTE, quotable=True)
        repo.save_answer(s, victim, text_q, ERASED_TEXT)
        repo.save_answer(s, kept, scored, "agree", note=KEPT_NOTE, quotable=True)
        repo.save_recommendation(
            s, audit, theme="culture", text="Trustees visit services.", owner="Chair",
            due_date=date(2099, 12, 31), measure="Every service visited.",
        )  # fmt: skip
        _answer_every_finding(s, audit)
        repo.submit_for_review(s, audit, actor=LEAD)
        _sign_everything(s, audit)
        issuing.finalise(s, audit.id, actor=LEAD)
        repo.reopen(s, audit, actor=LEAD, reason="A respondent asked for their record's erasure.")
        return audit.id, victim.id, kept.id


def _report_text(path) -> str:
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [c.text for row in table.rows for c in row.cells]
    return "\n".join(out)


def test_erasing_an_interview_leaves_none_of_its_words_anywhere_in_the_store(any_db_url, tmp_path):
    audit_id, victim_id, _ = _issued_audit_with_an_erasable_interview(any_db_url)
    before = _text_everywhere(any_db_url)
    assert ERASED_NOTE in before and ERASED_TEXT in before  # the search can find them
    with session_scope(any_db_url) as s:
        issued_before = _report_text(
            issuing.reissue_report(s, audit_id, "1.0", tmp_path / "a.docx")
        )
    assert ERASED_NOTE in issued_before and KEPT_NOTE in issued_before

    with session_scope(any_db_url) as s:
        audit = repo.get_audit(s, audit_id)
        victim = next(i for i in repo.list_interviews(s, audit) if i.id == victim_id)
        repo.erase_interview(s, victim, actor=LEAD)

    after = _text_everywhere(any_db_url)
    assert ERASED_NOTE not in after and ERASED_TEXT not in after
    assert KEPT_NOTE in after  # what was not erased stays

    with session_scope(any_db_url) as s:
        reissued = _report_text(issuing.reissue_report(s, audit_id, "1.0", tmp_path / "b.docx"))
    assert ERASED_NOTE not in reissued and KEPT_NOTE in reissued
    from sgaudit.store.models import utcnow

    assert erasure_statement(utcnow().date()) in reissued


def test_the_trail_keeps_who_changed_the_erased_interview_and_when_but_not_what(any_db_url):
    audit_id, victim_id, _ = _issued_audit_with_an_erasable_interview(any_db_url)
    with session_scope(any_db_url) as s:
        about = (AuditEvent.entity == "response") & AuditEvent.entity_id.like(f"{victim_id}:%")
        before = [
            (e.id, e.at, e.actor, e.action) for e in s.scalars(sa.select(AuditEvent).where(about))
        ]
        assert any(e.detail != ERASED for e in s.scalars(sa.select(AuditEvent).where(about)))
        audit = repo.get_audit(s, audit_id)
        victim = next(i for i in repo.list_interviews(s, audit) if i.id == victim_id)
        repo.erase_interview(s, victim, actor=LEAD)
    with session_scope(any_db_url) as s:
        events = list(s.scalars(sa.select(AuditEvent).where(about).order_by(AuditEvent.id)))
        assert [(e.id, e.at, e.actor, e.action) for e in events] == before
        assert all(e.detail == ERASED for e in events)
        erases = list(
            s.scalars(
                sa.select(AuditEvent).where(
                    AuditEvent.action == "erase",
                    AuditEvent.entity == "interview",
                    AuditEvent.entity_id == str(victim_id),
                )
            )
        )
        assert len(erases) == 1 and erases[0].audit_id == audit_id
        assert set(erases[0].detail["values"]) == {"answers"}  # how many, never what


def test_erasing_an_organisation_leaves_none_of_its_audits_words_in_the_store(any_db_url):
    audit_id, _, _ = _issued_audit_with_an_erasable_interview(any_db_url)
    with session_scope(any_db_url) as s:
        org = repo.get_audit(s, audit_id).organisation
        org_id = org.id
        repo.erase_organisation(s, org, actor="admin")
    after = _text_everywhere(any_db_url)
    for words in (ERASED_NOTE, ERASED_TEXT, KEPT_NOTE, "Trustees visit services."):
        assert words not in after
    with session_scope(any_db_url) as s:
        org_events = list(
            s.scalars(
                sa.select(AuditEvent).where(
                    (AuditEvent.entity == "organisation")
                    & (AuditEvent.entity_id == str(org_id))
                    & (AuditEvent.action == "erase")
                )
            )
        )
        assert len(org_events) == 1
        assert "Redaction Trust" not in str(org_events[0].detail)


def _an_event(url) -> int:
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Trigger Trust", ["North"])
        return s.scalar(
            sa.select(AuditEvent.id).where(AuditEvent.entity == "organisation",
                                           AuditEvent.entity_id == str(org.id))
        )  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [
        "detail = '{\"erased\": true}'",  # the right value, but without the marker
        "actor = 'someone else'",
    ],
)
def test_a_plain_update_of_the_trail_is_still_refused(any_db_url, change):
    event_id = _an_event(any_db_url)
    with session_scope(any_db_url) as s, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        s.execute(sa.text(f"UPDATE audit_event SET {change} WHERE id = :i"), {"i": event_id})


@pytest.mark.parametrize(
    "change",
    [
        "actor = 'someone else', detail = '{\"erased\": true}'",
        "action = 'login', detail = '{\"erased\": true}'",
        "at = at, entity_id = 'other', detail = '{\"erased\": true}'",
        'detail = \'{"erased": true, "answer": "agree"}\'',
        'detail = \'{"changes": "rewritten"}\'',
    ],
)
def test_under_the_redaction_marker_only_the_values_may_change_and_only_to_erased(
    any_db_url, change
):
    event_id = _an_event(any_db_url)
    with session_scope(any_db_url) as s, pytest.raises(sa.exc.DatabaseError, match="append-only"):
        s.execute(sa.text("INSERT INTO audit_event_redact (id) VALUES (1)"))
        s.execute(sa.text(f"UPDATE audit_event SET {change} WHERE id = :i"), {"i": event_id})


def test_under_the_redaction_marker_the_values_become_erased_and_nothing_else_moves(
    any_db_url,
):
    event_id = _an_event(any_db_url)
    with session_scope(any_db_url) as s:
        before = s.get(AuditEvent, event_id)
        kept = (before.at, before.actor, before.action, before.entity, before.entity_id)
        assert before.detail != ERASED
        s.execute(sa.text("INSERT INTO audit_event_redact (id) VALUES (1)"))
        s.execute(
            sa.text("UPDATE audit_event SET detail = '{\"erased\": true}' WHERE id = :i"),
            {"i": event_id},
        )
        s.execute(sa.text("DELETE FROM audit_event_redact"))
    with session_scope(any_db_url) as s:
        after = s.get(AuditEvent, event_id)
        assert after.detail == ERASED
        assert (after.at, after.actor, after.action, after.entity, after.entity_id) == kept
        # and with the marker gone (committed away), the trail is closed again
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            s.execute(
                sa.text("UPDATE audit_event SET detail = '{\"erased\": true}' WHERE id = :i"),
                {"i": event_id},
            )


def test_on_sqlite_the_erased_words_are_not_left_in_the_files_free_pages(db_url):
    from sgaudit.store.db import sqlite_path

    audit_id, victim_id, _ = _issued_audit_with_an_erasable_interview(db_url)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        victim = next(i for i in repo.list_interviews(s, audit) if i.id == victim_id)
        repo.erase_interview(s, victim, actor=LEAD)
    with get_engine(db_url).connect() as conn:  # the write-ahead log back into the file
        # set by the store itself, not left to how SQLite was built
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = sqlite_path(db_url)
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert KEPT_NOTE.encode() in raw  # the search reads the file
    assert ERASED_NOTE.encode() not in raw and ERASED_TEXT.encode() not in raw
