"""Sign-in, passwords and the audit trail at the data layer."""

from __future__ import annotations

import csv
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from access_world import NOTE, PASSWORD, QUESTION, build_world

from sgaudit.access.passwords import WeakPassword, check_password_rules
from sgaudit.store import repo
from sgaudit.store.accounts import grant_role, revoke_role, set_disabled
from sgaudit.store.db import session_scope
from sgaudit.store.logins import WRONG, LoginFailed, authenticate, record_logout, session_expired
from sgaudit.store.models import AuditEvent, utcnow
from sgaudit.store.trail import export_events, prune_events, record_read


@pytest.fixture
def world(db_url, core_set):
    return build_world(db_url, core_set)


def _events(url) -> list[AuditEvent]:
    with session_scope(url) as s:
        return list(s.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


# ---- passwords ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "password, why",
    [
        ("short1!", "at least 12"),
        ("password1234", "common passwords"),
        ("Qwertyuiop123!!", "common passwords"),
        ("aaaaaaaaaaaaaaa", "repeats"),
        ("abababababababab", "repeats"),
        ("my name is lead-auditor ok", "account name"),
    ],
)
def test_a_weak_password_is_refused_with_the_rule_it_breaks(password, why):
    with pytest.raises(WeakPassword, match=why):
        check_password_rules(password, username="lead-auditor")


def test_a_long_passphrase_of_plain_words_is_accepted_without_symbols_or_digits():
    check_password_rules("kettle orchard lantern river", username="lead")


# ---- signing in -----------------------------------------------------------------------
def test_the_right_password_signs_in_and_leaves_one_login_event(world):
    before = len(_events(world.url))
    with session_scope(world.url) as s:
        principal = authenticate(s, "Lead", PASSWORD, address="10.0.0.1")
    assert principal.name == "lead" and principal.roles == ("lead_auditor",)
    new = _events(world.url)[before:]
    assert [(e.action, e.actor, e.address) for e in new] == [("login", "lead", "10.0.0.1")]


def test_a_wrong_password_a_missing_account_and_a_disabled_account_read_the_same(world):
    with session_scope(world.url) as s:
        set_disabled(s, "analyst")
    messages = []
    for name, password in (
        ("lead", "wrong password here"),
        ("ghost", PASSWORD),
        ("analyst", PASSWORD),
    ):
        with session_scope(world.url) as s, pytest.raises(LoginFailed) as caught:
            authenticate(s, name, password, address=f"10.0.0.{len(messages) + 2}")
        messages.append(str(caught.value))
    assert messages == [WRONG] * 3
    assert [e.action for e in _events(world.url)[-3:]] == ["failed_login"] * 3


def test_failed_sign_ins_are_throttled_per_account_even_with_the_right_password(world):
    for i in range(5):
        with session_scope(world.url) as s, pytest.raises(LoginFailed, match="not right"):
            authenticate(s, "lead", f"guess number {i} wrong", address=f"10.1.0.{i}")
    with session_scope(world.url) as s, pytest.raises(LoginFailed, match="Too many"):
        authenticate(s, "lead", PASSWORD, address="10.1.1.1")
    # Another account from yet another address is not affected.
    with session_scope(world.url) as s:
        assert authenticate(s, "viewer", PASSWORD, address="10.1.1.2").name == "viewer"
    # After the window the account may sign in again.
    with session_scope(world.url) as s:
        later = utcnow() + timedelta(minutes=16)
        assert authenticate(s, "lead", PASSWORD, address="10.1.1.1", now=later).name == "lead"


def test_failed_sign_ins_are_throttled_per_address_across_account_names(world):
    for i in range(20):
        with session_scope(world.url) as s, pytest.raises(LoginFailed):
            authenticate(s, f"guess{i}", "not the password at all", address="10.2.0.9")
    with session_scope(world.url) as s, pytest.raises(LoginFailed, match="Too many"):
        authenticate(s, "viewer", PASSWORD, address="10.2.0.9")
    with session_scope(world.url) as s:
        assert authenticate(s, "viewer", PASSWORD, address="10.2.0.10").name == "viewer"


def test_a_session_expires_after_the_idle_time_set_in_data(tmp_path, monkeypatch):
    from sgaudit.access import settings

    now = utcnow()
    assert not session_expired(now - timedelta(minutes=29), now)
    assert session_expired(now - timedelta(minutes=31), now)
    custom = tmp_path / "access.yaml"
    custom.write_text("session:\n  idle_minutes: 5\n")
    monkeypatch.setenv(settings.ENV_SETTINGS, str(custom))
    assert session_expired(now - timedelta(minutes=6), now)


# ---- the trail ------------------------------------------------------------------------
def _one_new_event(url, before: int, action: str) -> AuditEvent:
    new = _events(url)[before:]
    assert [e.action for e in new] == [action], [e.action for e in new]
    return new[0]


def test_each_recorded_action_leaves_exactly_one_event(world, tmp_path):
    from sgaudit.report import generate_report
    from sgaudit.sheets import export_answers

    lead = world.principal("lead")
    audit_id = world.audit_ids["A-open"]
    steps = {
        "view_dashboard": lambda s: record_read(s, "view_dashboard", repo.get_audit(s, audit_id)),
        "view_findings": lambda s: record_read(s, "view_findings", repo.get_audit(s, audit_id)),
        "view_interviews": lambda s: record_read(s, "view_interviews", repo.get_audit(s, audit_id)),
        "export": lambda s: export_answers(s, audit_id, tmp_path / "answers.csv"),
        "download_report": lambda s: generate_report(s, audit_id, tmp_path / "report.docx"),
        "change": lambda s: repo.save_answer(
            s,
            repo.list_interviews(s, repo.get_audit(s, audit_id))[0],
            QUESTION,
            "disagree",
            note=NOTE,
        ),
        "grant": lambda s: grant_role(s, "nobody", "auditor", audit=repo.get_audit(s, audit_id)),
        "revoke": lambda s: revoke_role(s, "nobody", "auditor", audit=repo.get_audit(s, audit_id)),
        "logout": lambda s: record_logout(s, lead),
    }
    for action, step in steps.items():
        before = len(_events(world.url))
        with session_scope(world.url, principal=lead, address="10.9.9.9") as s:
            step(s)
        event = _one_new_event(world.url, before, action)
        assert event.actor == "lead" and event.address == "10.9.9.9"
        if action != "logout":
            assert event.audit_id == audit_id and event.organisation_id == world.org_ids["A"]


def test_a_change_records_old_and_new_values_but_only_that_a_note_changed(world):
    with session_scope(world.url) as s:
        iv = repo.list_interviews(s, repo.get_audit(s, world.audit_ids["A-open"]))[0]
        before = len(_events(world.url))
        repo.save_answer(s, iv, QUESTION, "disagree", note="A new note naming someone")
    event = _one_new_event(world.url, before, "change")
    assert event.detail["changes"]["answer"] == {"old": "agree", "new": "disagree"}
    assert event.detail["note"] == "changed"


def test_no_event_anywhere_holds_the_text_of_a_note(world):
    with session_scope(world.url) as s:
        iv = repo.list_interviews(s, repo.get_audit(s, world.audit_ids["A-open"]))[0]
        repo.save_answer(s, iv, QUESTION, "agree", note=NOTE + " edited")
    trail = json.dumps([[e.actor, e.entity_id, e.detail] for e in _events(world.url)])
    assert "NOTE-TEXT" not in trail


def test_the_trail_refuses_updates_and_deletes(world):
    with session_scope(world.url) as s:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            s.execute(sa.text("UPDATE audit_event SET actor = 'someone else'"))
        s.rollback()
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            s.execute(sa.text("DELETE FROM audit_event"))


def test_prune_removes_only_events_past_retention_and_says_so(world):
    with session_scope(world.url) as s:
        s.add(AuditEvent(at=utcnow() - timedelta(days=365 * 8), action="login", detail={}))
        s.commit()
        total = len(_events(world.url))
        assert prune_events(s) == 1
    after = _events(world.url)
    assert len(after) == total  # one old event gone, one prune event added
    assert after[-1].action == "prune" and after[-1].detail["deleted"] == 1


def test_the_trail_export_is_formula_safe(world, tmp_path):
    with session_scope(world.url) as s, pytest.raises(LoginFailed):
        authenticate(s, '=HYPERLINK("http://evil.example","x")', "whatever it is here")
    out = tmp_path / "trail.csv"
    with session_scope(world.url) as s:
        n = export_events(s, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == n
    hostile = [r for r in rows if "hyperlink" in r["actor"].lower()]
    assert hostile and all(r["actor"].startswith("'=") for r in hostile)


def test_only_an_admin_reads_the_whole_trail_and_a_lead_reads_their_audits_history(world):
    from sgaudit.access import AccessDenied
    from sgaudit.store.trail import events

    with session_scope(world.url, principal=world.principal("lead")) as s:
        with pytest.raises(AccessDenied):
            events(s)
        history = events(s, audit=repo.get_audit(s, world.audit_ids["A-open"]))
    assert history and {e.audit_id for e in history} == {world.audit_ids["A-open"]}


def test_setup_link_prints_a_working_one_time_link_only_while_the_store_is_empty(db_url, run):
    from sgaudit.store.accounts import create_first_admin, setup_token_valid

    code, out, _ = run("setup-link", "--db", db_url)
    assert code == 0
    token = out.split("?setup=", 1)[1].split()[0]
    with session_scope(db_url) as s:
        assert setup_token_valid(s, token)
        create_first_admin(s, token, "chair", "river lantern orchard kettle")
        assert not setup_token_valid(s, token)
    code, out, _ = run("setup-link", "--db", db_url)
    assert code == 0 and "?setup=" not in out and "has accounts" in out


def test_a_grant_is_matched_on_exactly_its_role_and_scope(world):
    # Granting twice keeps one grant; revoking takes away only the grant on that very
    # audit or organisation, never the same role held elsewhere.
    from sgaudit.store.models import RoleGrant, User

    def grants(s):
        user = s.scalar(sa.select(User.id).where(User.username == "nobody"))
        rows = s.scalars(sa.select(RoleGrant).where(RoleGrant.user_id == user)).all()
        return sorted(((g.role, g.organisation_id, g.audit_id) for g in rows), key=str)

    with session_scope(world.url) as s:
        audit = repo.get_audit(s, world.audit_ids["A-open"])
        org = audit.organisation
        first = grant_role(s, "nobody", "auditor", audit=audit)
        assert grant_role(s, "nobody", "auditor", audit=audit).id == first.id
        grant_role(s, "nobody", "auditor", organisation=org)
        assert len(grants(s)) == 2
        assert revoke_role(s, "nobody", "auditor", organisation=org) == 1
        assert grants(s) == [("auditor", org.id, audit.id)]
        assert revoke_role(s, "nobody", "auditor", organisation=org) == 0
        assert revoke_role(s, "nobody", "auditor", audit=audit) == 1
        assert grants(s) == []
