"""Every role against every organisation and audit, at the data layer.

The expectations are written out by hand (not computed with `can`), so a change to
the policy that lets anyone see more than this fails here.
"""

from __future__ import annotations

import pytest
from access_world import ACCOUNTS, AUDITS, NOTE, QUESTION, build_world

from sgaudit.access import AccessDenied
from sgaudit.errors import AuditLocked
from sgaudit.store import repo
from sgaudit.store.capture import audit_revision, interview_summaries
from sgaudit.store.db import session_scope
from sgaudit.store.evidence import audit_evidence, audit_registers
from sgaudit.store.frames import load_audit_data, responses_frame
from sgaudit.store.trail import events


@pytest.fixture(scope="module")
def world(tmp_path_factory, core_set):
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'sgaudit.db'}"
    return build_world(url, core_set)


def _audit(s, world, key):
    return repo.get_audit(s, world.audit_ids[key])


OPERATIONS = {
    "see the audit": lambda s, w, k: repo.get_audit(s, w.audit_ids[k]),
    "check the audit's revision": lambda s, w, k: audit_revision(s, w.audit_ids[k]),
    "analyse it (suppressed)": lambda s, w, k: load_audit_data(s, w.audit_ids[k]),
    "see its dashboard evidence": lambda s, w, k: audit_evidence(
        s, _audit(s, w, k), load_audit_data(s, w.audit_ids[k])
    ),
    "see its findings": lambda s, w, k: repo.finding_reviews(s, _audit(s, w, k)),
    "read raw answers": lambda s, w, k: responses_frame(s, w.audit_ids[k]),
    "list its interviews": lambda s, w, k: repo.list_interviews(s, _audit(s, w, k)),
    "list interview progress": lambda s, w, k: interview_summaries(s, _audit(s, w, k)),
    "read register rows": lambda s, w, k: audit_registers(s, _audit(s, w, k)),
    "capture an interview": lambda s, w, k: repo.start_interview(
        s, _audit(s, w, k), tier="board", service_area="Housing"
    ),
    "see its history": lambda s, w, k: events(s, audit=_audit(s, w, k)),
    "export its answers": lambda s, w, k: __import__(
        "sgaudit.sheets", fromlist=["x"]
    ).export_answers(s, w.audit_ids[k], w.url.removeprefix("sqlite:///") + f".{k}.csv"),
}
_ALL = set(OPERATIONS)
_VIEWER = {
    "see the audit",
    "check the audit's revision",
    "analyse it (suppressed)",
    "see its dashboard evidence",
    "see its findings",
}
_AUDITOR = _VIEWER | {
    "read raw answers",
    "list its interviews",
    "list interview progress",
    "read register rows",
    "capture an interview",
}
_ANALYST = {"see the audit", "check the audit's revision", "analyse it (suppressed)"}

#: account -> audit -> what it may do there (anything missing is refused)
EXPECTED: dict[str, dict[str, set[str]]] = {
    "admin": {a: _ALL for a in AUDITS},
    "lead": {"A-final": _ALL, "A-open": _ALL},
    "auditor": {"A-open": _AUDITOR},
    "viewer": {"A-final": _VIEWER},
    "analyst": {"A-final": _ANALYST},
    "nobody": {},
}
CASES = [(account, audit, op) for account in ACCOUNTS for audit in AUDITS for op in OPERATIONS]


@pytest.mark.parametrize("account, audit, operation", CASES)
def test_each_role_may_do_exactly_what_its_grant_allows_on_each_audit(
    world, account, audit, operation
):
    allowed = operation in EXPECTED[account].get(audit, set())
    with session_scope(world.url, principal=world.principal(account)) as s:
        if allowed:
            try:
                OPERATIONS[operation](s, world, audit)
            except AuditLocked:
                # Allowed by the role; refused afterwards because a final audit is locked.
                assert audit.endswith("final") and operation == "capture an interview"
                s.rollback()
        else:
            with pytest.raises(AccessDenied):
                OPERATIONS[operation](s, world, audit)


@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_lists_hold_only_what_the_account_may_see_and_nothing_of_another_organisation(
    world, account
):
    with session_scope(world.url, principal=world.principal(account)) as s:
        audits = {a.id for a in repo.list_audits(s)}
        orgs = {o.id for o in repo.list_organisations(s)}
    expected_audits = {world.audit_ids[a] for a, ops in EXPECTED[account].items() if ops}
    assert audits == expected_audits
    if account == "admin":
        assert orgs == set(world.org_ids.values())
    elif account == "nobody":
        assert orgs == set()
    else:
        assert orgs == {world.org_ids["A"]}
        assert world.audit_ids["B-final"] not in audits and world.audit_ids["B-open"] not in audits


@pytest.mark.parametrize("account", ["viewer", "analyst"])
def test_readers_of_final_reports_get_no_notes_quotes_or_respondent_codes(world, account):
    with session_scope(world.url) as s:
        real_codes = set(responses_frame(s, world.audit_ids["A-final"])["interview_id"])
    with session_scope(world.url, principal=world.principal(account)) as s:
        data = load_audit_data(s, world.audit_ids["A-final"])
    responses = data.responses
    assert len(responses) == 6 and set(responses["question_id"]) == {QUESTION}
    assert (responses["note"] == "").all() and not responses["quotable"].any()
    assert not set(responses["interview_id"]) & real_codes
    assert responses["interview_id"].nunique() == 6  # counts for suppression are unchanged


def test_the_lead_auditor_reads_the_notes_of_the_audits_they_lead(world):
    with session_scope(world.url, principal=world.principal("lead")) as s:
        data = load_audit_data(s, world.audit_ids["A-open"])
    assert (data.responses["note"] == NOTE).all()


def test_no_account_reads_a_single_row_of_another_organisation(world):
    """0 cross-organisation reads: every frame any non-admin gets is of organisation A."""
    b_audits = {world.audit_ids["B-final"], world.audit_ids["B-open"]}
    reads = 0
    for account in ACCOUNTS:
        if account == "admin":
            continue
        with session_scope(world.url, principal=world.principal(account)) as s:
            for key in AUDITS:
                try:
                    load_audit_data(s, world.audit_ids[key])
                    reads += key in ("B-final", "B-open")
                except AccessDenied:
                    pass
            assert not {a.id for a in repo.list_audits(s)} & b_audits
    assert reads == 0


def test_a_session_with_no_principal_may_do_nothing(world):
    import sqlalchemy as sa

    from sgaudit.store.db import get_engine

    with sa.orm.Session(get_engine(world.url)) as s:
        with pytest.raises(AccessDenied):
            repo.get_audit(s, world.audit_ids["A-final"])
        assert repo.list_audits(s) == []


def test_a_lead_auditor_assigns_an_auditor_to_an_audit_they_lead_but_no_further(world):
    from sgaudit.store.accounts import grant_role

    with session_scope(world.url, principal=world.principal("lead")) as s:
        grant_role(s, "nobody", "auditor", audit=_audit(s, world, "A-final"))
        with pytest.raises(AccessDenied):
            grant_role(
                s,
                "nobody",
                "lead_auditor",
                organisation=repo.get_organisation(s, world.org_ids["A"]),
            )
    with session_scope(world.url, principal=world.principal("nobody")) as s:
        assert [a.id for a in repo.list_audits(s)] == [world.audit_ids["A-final"]]
    with session_scope(world.url) as s:
        from sgaudit.store.accounts import revoke_role

        assert revoke_role(s, "nobody", "auditor", audit=_audit(s, world, "A-final")) == 1
