"""Who may work as which of an audit's two auditors: a lead auditor as the lead, an
auditor as the second, an admin (or the local CLI) as either; nobody as the other.

Review, second scoring and moderation are signed with an auditor's name, and the
workflow's separation (the second auditor reviews the lead's work, scores blind, the
lead moderates) holds only if an account cannot pick the other auditor's name.
"""

from __future__ import annotations

import pytest
from app_support import app, open_page

from sgaudit.access.policy import LOCAL_ADMIN, AccessDenied, acting_names
from sgaudit.store import double_scoring as ds
from sgaudit.store import moderation, repo, workflow
from sgaudit.store.accounts import add_user, grant_role, load_principal
from sgaudit.store.db import session_scope

LEAD, SECOND = "Asha Khan", "Ben Jones"
PASSWORD = "a long enough passphrase for tests"


@pytest.fixture
def audit_world(app_db, core_set):
    """An audit with a lead and a second auditor, an interview double-scored, and one
    account per part: the lead, the auditor (on this audit), an auditor of another
    audit only."""
    with session_scope(app_db) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(s, org, "Baseline", core_set, auditor_1=LEAD, auditor_2=SECOND)
        other = repo.create_audit(s, org, "Other", core_set, auditor_1=LEAD, auditor_2=SECOND)
        iv = repo.start_interview(
            s, audit, tier="front_line", service_area="Housing", consent_confirmed=True
        )
        repo.save_answer(s, iv, "REC-01", "agree", actor=LEAD)
        ds.mark_double_scored(s, iv, actor=LEAD)
        for name in ("lead", "sam", "elsewhere"):
            add_user(s, name, PASSWORD, email=f"{name}@example.org")
        grant_role(s, "lead", "lead_auditor", organisation=org)
        grant_role(s, "sam", "auditor", audit=audit)
        grant_role(s, "elsewhere", "auditor", audit=other)
        return app_db, audit.id, iv.id


def _principal(url, name):
    with session_scope(url) as s:
        return load_principal(s, name)


def test_each_account_works_as_its_own_part_only(audit_world):
    url, audit_id, _ = audit_world
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        assert acting_names(_principal(url, "lead"), audit) == (LEAD,)
        assert acting_names(_principal(url, "sam"), audit) == (SECOND,)
        assert acting_names(_principal(url, "elsewhere"), audit) == ()
        assert acting_names(LOCAL_ADMIN, audit) == (LEAD, SECOND)


def test_the_store_refuses_a_step_signed_with_the_other_auditors_name(audit_world):
    url, audit_id, iv_id = audit_world
    sam, lead = _principal(url, "sam"), _principal(url, "lead")
    with session_scope(url, principal=sam) as s:
        iv = repo.get_interview(s, iv_id)
        with pytest.raises(AccessDenied, match=f"sam may not act as {LEAD}"):
            workflow.submit_for_review(s, repo.get_audit(s, audit_id), actor=LEAD)
        with pytest.raises(AccessDenied, match=f"sam may not act as {LEAD}"):
            moderation.moderate(s, iv, "REC-01", "agree", reason="agreed", actor=LEAD)
        # the second auditor's own part goes through
        ds.save_second_score(s, iv, "REC-01", "disagree", actor=SECOND, expected="")
    with session_scope(url, principal=lead) as s:
        iv = repo.get_interview(s, iv_id)
        with pytest.raises(AccessDenied, match=f"lead may not act as {SECOND}"):
            ds.second_scores(s, iv, actor=SECOND)  # blind: not even to read them
        with pytest.raises(AccessDenied, match=f"lead may not act as {SECOND}"):
            ds.save_second_score(s, iv, "REC-01", "agree", actor=SECOND, expected="disagree")
        workflow.submit_for_review(s, repo.get_audit(s, audit_id), actor=LEAD)
    with session_scope(url, principal=lead) as s:
        with pytest.raises(AccessDenied, match=f"lead may not act as {SECOND}"):
            workflow.review_item(s, repo.get_audit(s, audit_id), "analysis", "signed_off",
                                 actor=SECOND)  # fmt: skip
    with session_scope(url, principal=sam) as s:
        workflow.review_item(s, repo.get_audit(s, audit_id), "analysis", "signed_off",
                             actor=SECOND)  # fmt: skip
    with session_scope(url) as s:  # the local CLI (an admin) may sign as either
        assert s.get(type(repo.get_audit(s, audit_id)), audit_id).status == "in_review"


def test_the_sidebar_offers_an_account_only_its_own_part(audit_world):
    url, audit_id, _ = audit_world
    at = app(user="sam", audit=audit_id)
    open_page(at, "double_scoring")
    assert not [r for r in at.sidebar.radio if r.label == "Working as"]
    said = " ".join(c.value for c in at.sidebar.caption)
    assert f"Working as **{SECOND}**" in said and LEAD not in said
    at = app(user="lead", audit=audit_id)
    open_page(at, "dashboard")
    assert f"Working as **{LEAD}**" in " ".join(c.value for c in at.sidebar.caption)
    with session_scope(url) as s:  # a trustee reads only: nobody to work as
        add_user(s, "tess", PASSWORD, email="tess@example.org")
        grant_role(s, "tess", "organisation_viewer",
                   organisation=repo.get_audit(s, audit_id).organisation)  # fmt: skip
        audit = repo.get_audit(s, audit_id)
        audit.status = "final"  # as the workflow leaves it: viewers see final audits
    at = app(user="tess", audit=audit_id)
    open_page(at, "dashboard")
    assert "Working as" not in " ".join(c.value for c in at.sidebar.caption)
    at = app(user="admin", audit=audit_id)  # an admin drives either, as in the demo
    open_page(at, "dashboard")
    (radio,) = [r for r in at.sidebar.radio if r.label == "Working as"]
    assert list(radio.options) == [LEAD, SECOND]


def test_the_lead_sees_what_was_sent_back_and_only_the_lead_is_offered_submit(audit_world):
    url, audit_id, _ = audit_world
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        workflow.submit_for_review(s, audit, actor=LEAD)
        workflow.review_item(s, audit, "analysis", "sent_back", actor=SECOND,
                             comment="Name the missing evidence for Casework in full.")  # fmt: skip
    at = app(user="lead", audit=audit_id)
    open_page(at, "review")
    said = " ".join(w.value for w in at.warning)
    assert "Sent back by the second auditor" in said
    assert "Name the missing evidence for Casework in full." in said  # whole, not cut
    assert [b for b in at.button if b.label == "Submit for review"]
    at = app(user="sam", audit=audit_id)
    open_page(at, "review")
    assert not [b for b in at.button if b.label == "Submit for review"]


def test_the_opinion_form_is_the_leads_and_a_refusal_says_what_in_words(audit_world):
    url, audit_id, _ = audit_world
    at = app(user="sam", audit=audit_id)
    open_page(at, "report")
    assert not [e for e in at.expander if "Confirm or change the opinion" in e.label]
    at = app(user="lead", audit=audit_id)
    open_page(at, "report")
    assert [e for e in at.expander if "Confirm or change the opinion" in e.label]
    with session_scope(url, principal=_principal(url, "sam")) as s:
        with pytest.raises(AccessDenied, match="sam may not make this audit final"):
            workflow.reopen(s, repo.get_audit(s, audit_id), actor=SECOND, reason="x")


def test_the_working_as_radio_is_drawn_showing_who_works_and_a_choice_sticks(audit_world):
    """The radio is drawn with the working auditor as its default (so a browser that
    builds it from any run shows who the trail will name), and choosing the other
    auditor makes them the one working on every page after."""
    url, audit_id, _ = audit_world
    at = app(user="admin", audit=audit_id)
    open_page(at, "dashboard")
    (radio,) = [r for r in at.sidebar.radio if r.label == "Working as"]
    assert radio.value == LEAD and radio.proto.HasField("default") and radio.proto.default == 0
    radio.set_value(SECOND).run()
    assert at.session_state["sg_actor"] == SECOND
    open_page(at, "review")
    (radio,) = [r for r in at.sidebar.radio if r.label == "Working as"]
    assert radio.value == SECOND and radio.proto.default == 1
