"""PostgreSQL row-level security alone keeps each organisation's rows apart.

The world is built by the owner; then every account reads through a role that is
neither owner nor superuser, with the library's own check switched off, so only the
database's policies stand between it and the other organisation's rows.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from access_world import ACCOUNTS, AUDITS, QUESTION, build_world

from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data

pytestmark = pytest.mark.postgres

APP_ROLE = "sgaudit_app"
#: account -> audits its rows may be read from (hand-written, as in test_access_matrix)
VISIBLE = {
    "admin": set(AUDITS),
    "lead": {"A-final", "A-open"},
    "auditor": {"A-open"},
    "viewer": {"A-final"},
    "analyst": {"A-final"},
    "nobody": set(),
}
AUDIT_TABLES = ("interview", "finding_review", "recommendation", "register_entry")


@pytest.fixture
def rls_world(pg_url, core_set):
    world = build_world(pg_url, core_set)
    owner = sa.create_engine(pg_url)
    with owner.begin() as conn:
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {APP_ROLE}")
        conn.exec_driver_sql(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
        conn.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
        )
        conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    owner.dispose()
    app_url = pg_url.replace("://sgaudit@", f"://{APP_ROLE}@")
    return world, app_url


@pytest.fixture
def library_check_off(monkeypatch):
    """Every `can` in the library says yes: only row-level security is left."""
    import sgaudit.access.policy as policy
    import sgaudit.store.scope as scope

    monkeypatch.setattr(policy, "can", lambda *a, **k: True)
    monkeypatch.setattr(scope, "can", lambda *a, **k: True)


def test_the_app_role_is_neither_owner_nor_superuser(rls_world):
    _, app_url = rls_world
    engine = sa.create_engine(app_url)
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).one()
        owner = conn.exec_driver_sql(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'response'"
        ).scalar()
    engine.dispose()
    assert row == (False, False) and owner != APP_ROLE


@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_row_level_security_alone_shows_each_account_only_its_audits(
    rls_world, library_check_off, account
):
    world, app_url = rls_world
    principal = world.principal(account)
    expected = {world.audit_ids[a] for a in VISIBLE[account]}
    with session_scope(app_url, principal=principal) as s:
        audits = {a.id for a in repo.list_audits(s)}
        per_table = {
            t: set(s.execute(sa.text(f"SELECT DISTINCT audit_id FROM {t}")).scalars())
            for t in AUDIT_TABLES
        }
        response_audits = set(
            s.execute(
                sa.text(
                    "SELECT DISTINCT i.audit_id FROM response r JOIN interview i "
                    "ON i.id = r.interview_id"
                )
            ).scalars()
        )
        orgs = set(s.execute(sa.text("SELECT id FROM organisation")).scalars())
        loaded = {}
        for key in AUDITS:
            try:
                loaded[key] = len(load_audit_data(s, world.audit_ids[key]).responses)
            except Exception:
                s.rollback()
    assert audits == expected
    assert per_table["interview"] <= expected and response_audits <= expected
    assert all(ids <= expected for ids in per_table.values())
    assert set(loaded) == set(VISIBLE[account])
    if account != "admin":
        assert world.org_ids["B"] not in orgs


def test_row_level_security_refuses_writing_into_another_organisations_audit(
    rls_world, library_check_off
):
    world, app_url = rls_world
    with session_scope(app_url, principal=world.principal("lead")) as s:
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            s.execute(
                sa.text(
                    "INSERT INTO recommendation (audit_id, theme, text, priority, owner, "
                    "follow_up, created_at) VALUES (:a, 'culture', 'x', 'low', '', '', now())"
                ),
                {"a": world.audit_ids["B-open"]},
            )


def _second_score_in_each_audit(world) -> None:
    """As the owner: one second score and one moderation row in every audit."""
    owner = sa.create_engine(world.url)
    with owner.begin() as conn:
        for audit_id in world.audit_ids.values():
            iv = conn.execute(
                sa.text("SELECT min(id) FROM interview WHERE audit_id = :a"), {"a": audit_id}
            ).scalar()
            conn.execute(
                sa.text(
                    "INSERT INTO second_score (interview_id, question_id, answer, scorer, "
                    "updated_at) VALUES (:i, 'REC-01', 'agree', 'second', now())"
                ),
                {"i": iv},
            )
    owner.dispose()


@pytest.mark.parametrize("account", ["lead", "auditor", "viewer", "nobody"])
def test_row_level_security_alone_keeps_second_scores_to_the_audits_a_role_sees(
    rls_world, library_check_off, account
):
    world, app_url = rls_world
    _second_score_in_each_audit(world)
    allowed = VISIBLE[account]  # as for answers: the library then hides raw rows from viewers
    with session_scope(app_url, principal=world.principal(account)) as s:
        seen = set(
            s.execute(
                sa.text(
                    "SELECT DISTINCT i.audit_id FROM second_score x "
                    "JOIN interview i ON i.id = x.interview_id"
                )
            ).scalars()
        )
        seen_alone = s.execute(sa.text("SELECT count(*) FROM second_score")).scalar()
    assert seen == {world.audit_ids[a] for a in allowed}
    assert seen_alone == len(allowed)


def test_the_app_role_erases_an_interview_and_its_trail_values_go_with_it(rls_world):
    from sgaudit.store.models import AuditEvent
    from sgaudit.store.redaction import ERASED

    world, app_url = rls_world
    with session_scope(app_url, principal=world.principal("lead")) as s:
        audit = repo.get_audit(s, world.audit_ids["A-open"])
        iv = repo.list_interviews(s, audit)[0]
        iv_id = iv.id
        repo.save_answer(s, iv, QUESTION, "disagree", note="changed before erasure")
        repo.erase_interview(s, iv, actor="lead")
    owner = sa.create_engine(world.url)  # the owner reads the whole trail
    with owner.connect() as conn:
        details = [
            d
            for (d,) in conn.execute(
                sa.select(AuditEvent.detail).where(
                    AuditEvent.entity == "response",
                    AuditEvent.entity_id.like(f"{iv_id}:%"),
                )
            )
        ]
    owner.dispose()
    assert details and all(d == ERASED for d in details)
