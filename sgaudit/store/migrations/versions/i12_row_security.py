"""PostgreSQL row-level security: a second layer under the library's access check.

Revision ID: i12_row_security
Revises: i9_assurance_opinion

Every table that holds an organisation's or an audit's rows gets a policy that lets a
session see only the organisations and audits its person holds a role on (final
audits only for organisation viewers and partnership analysts), or everything for an
admin. Who is asking comes from `sgaudit.user_id` and `sgaudit.is_admin`, which the
store sets at the start of every transaction (`sgaudit.store.rls`). The policies bind
the role the app connects as, which must be neither the tables' owner nor a
superuser (docs/security.md). On SQLite this migration does nothing.
"""

from alembic import op

revision = "i12_row_security"
down_revision = "i9_assurance_opinion"
branch_labels = None
depends_on = None

_ADMIN = "coalesce(current_setting('sgaudit.is_admin', true), '') = 'on'"
_USER = "nullif(current_setting('sgaudit.user_id', true), '')::integer"
# Tables whose rows hang off an audit by a column other than audit_id.
_VIA = {"response": "interview_id IN (SELECT id FROM interview)"}
_SKIP = {"audit", "role_grant", "audit_event", "change_log"}


def _audit_tables(bind) -> list[str]:
    rows = bind.exec_driver_sql(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_name = 'audit_id' "
        "ORDER BY table_name"
    )
    return [r[0] for r in rows if r[0] not in _SKIP]


def _policy(table: str, using: str, check: str | None = None) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY sgaudit_scope ON {table} FOR ALL USING ({using}) "
        f"WITH CHECK ({check or using})"
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION sgaudit_sees_audit(org integer, aud integer, status text)
        RETURNS boolean LANGUAGE sql STABLE AS $$
          SELECT {_ADMIN} OR EXISTS (
            SELECT 1 FROM role_grant g
            WHERE g.user_id = {_USER} AND g.organisation_id = org
              AND (g.audit_id IS NULL OR g.audit_id = aud)
              AND (g.role IN ('lead_auditor', 'auditor') OR status = 'final'))
        $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION sgaudit_sees_organisation(org integer)
        RETURNS boolean LANGUAGE sql STABLE AS $$
          SELECT {_ADMIN} OR EXISTS (
            SELECT 1 FROM role_grant g WHERE g.user_id = {_USER} AND g.organisation_id = org)
        $$
        """
    )
    _policy("organisation", "sgaudit_sees_organisation(id)", _ADMIN)
    _policy("service_area", "organisation_id IN (SELECT id FROM organisation)", _ADMIN)
    _policy("audit", "sgaudit_sees_audit(organisation_id, id, status)")
    for table in [*_audit_tables(bind), *_VIA]:
        _policy(table, _VIA.get(table, "audit_id IN (SELECT id FROM audit)"))
    # The change log and the trail: an audit's lines with the audit; the rest for admins.
    # Anyone may append to the trail (sign-in events come before a role is known).
    scoped = f"(audit_id IS NULL AND {_ADMIN}) OR audit_id IN (SELECT id FROM audit)"
    _policy("change_log", scoped)
    op.execute("ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY sgaudit_read ON audit_event FOR SELECT USING ({scoped})")
    op.execute("CREATE POLICY sgaudit_append ON audit_event FOR INSERT WITH CHECK (true)")
    op.execute(f"CREATE POLICY sgaudit_prune ON audit_event FOR DELETE USING ({_ADMIN})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for policy in ("sgaudit_read", "sgaudit_append", "sgaudit_prune"):
        op.execute(f"DROP POLICY IF EXISTS {policy} ON audit_event")
    op.execute("ALTER TABLE audit_event DISABLE ROW LEVEL SECURITY")
    tables = ["organisation", "service_area", "audit", "change_log", "response"]
    for table in [*tables, *_audit_tables(bind)]:
        op.execute(f"DROP POLICY IF EXISTS sgaudit_scope ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION IF EXISTS sgaudit_sees_audit(integer, integer, text)")
    op.execute("DROP FUNCTION IF EXISTS sgaudit_sees_organisation(integer)")
