"""What the second auditor sent back, as the lead auditor is shown it: each item with
the comment, who sent it back and when, until it is signed off (`repo.sent_back_items`,
the one answer the Findings and Review pages both show)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_workflow import LEAD, SECOND, _new_audit, _sign_everything

from sgaudit import issuing
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope
from sgaudit.store.models import utcnow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sent_back') / 'store.db'}"
    get_engine(url)
    return url


def test_each_item_sent_back_comes_with_its_comment_who_sent_it_and_when(store):
    audit_id = _new_audit(store)
    with session_scope(store) as s:
        audit = repo.get_audit(s, audit_id)
        finding = next(i.key for i in issuing.review_items(s, audit) if i.kind == "finding")
        repo.submit_for_review(s, audit, actor=LEAD)
        assert repo.sent_back_items(s, audit) == {}
        before = utcnow()
        repo.review_item(s, audit, "analysis", "signed_off", actor=SECOND)
        repo.review_item(s, audit, finding, "sent_back", actor=SECOND,
                         comment="Say which service areas, not 'some'.")
        sent = repo.sent_back_items(s, audit)
    assert list(sent) == [finding]  # the signed-off analysis is not among them
    assert (sent[finding].item, sent[finding].comment, sent[finding].actor) == (
        finding, "Say which service areas, not 'some'.", SECOND)
    assert before - timedelta(seconds=1) <= sent[finding].at <= utcnow()


def test_an_item_signed_off_after_it_was_sent_back_is_no_longer_sent_back(store):
    audit_id = _new_audit(store)
    with session_scope(store) as s:
        audit = repo.get_audit(s, audit_id)
        repo.submit_for_review(s, audit, actor=LEAD)
        repo.review_item(s, audit, "recommendations", "sent_back", actor=SECOND,
                         comment="The culture action has no owner.")
        repo.submit_for_review(s, audit, actor=LEAD)
        # back in review, not yet looked at again: still what was sent back
        assert repo.sent_back_items(s, audit)["recommendations"].comment == (
            "The culture action has no owner.")
        _sign_everything(s, audit)
        assert repo.sent_back_items(s, audit) == {}


def test_the_note_names_who_and_when_and_shows_the_comment_as_typed():
    from datetime import datetime

    from app_pages._sent_back import note
    from sgaudit.store.workflow import SentBack

    sent = SentBack("recommendations", "Use *all* areas <b>now</b> [link](x)", "Ben_Jones",
                    datetime(2026, 3, 4, 9, 5))
    text = note(sent)
    assert text.startswith("**Sent back by Ben\\_Jones** on 04 March 2026 at 09:05 UTC: ")
    assert text.endswith("Use \\*all\\* areas \\<b\\>now\\</b\\> \\[link\\](x)")


def test_the_findings_page_shows_only_what_was_sent_back_when_asked(demo_db):
    from app_support import app, open_page

    from sgaudit import issuing
    from sgaudit.demo_story import AUDITORS

    lead, second = AUDITORS
    with session_scope(demo_db) as s:
        audit = repo.list_audits(s)[-1]
        finding = next(i for i in issuing.review_items(s, audit) if i.kind == "finding")
        repo.submit_for_review(s, audit, actor=lead)
        repo.review_item(s, audit, finding.key, "sent_back", comment="Name the areas.", actor=second)
        audit_id, key = audit.id, finding.key
    at = open_page(app(audit=audit_id), "findings")
    show = at.get("button_group")[0]
    assert show.options[0] == "Sent back"
    assert "· 1 sent back." in " ".join(c.value for c in at.caption)
    show.set_value("Sent back").run()
    cards = [b.key.removeprefix("dis:") for b in at.button if b.key and b.key.startswith("dis:")]
    # the proposed findings' cards (the auditors' own are on their own tab, always listed)
    assert [c for c in cards if not c.startswith("auditor:")] == [key]
    at.get("button_group")[0].set_value("All").run()
    shown = [b.key for b in at.button if b.key and b.key.startswith("dis:")]
    assert len(shown) > len(cards)
