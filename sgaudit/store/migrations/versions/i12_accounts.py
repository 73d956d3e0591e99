"""Accounts, role grants, the append-only audit_event trail, sign-in attempts, set-up link.

Revision ID: i12_accounts
Revises: i9_auditor_analysis

The trail is append-only in the database itself: a trigger refuses every UPDATE, and
every DELETE unless the same transaction holds a row in `audit_event_prune` (which
only `sgaudit audit-log prune` writes, and removes again before it commits).
"""

import sqlalchemy as sa
from alembic import op

revision = "i12_accounts"
down_revision = "i9_auditor_analysis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(120), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("password_hash", sa.String(300), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("username", name="uq_app_user_username"),
        sa.UniqueConstraint("email", name="uq_app_user_email"),
    )
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="CASCADE", name="fk_role_grant_user_id_app_user"),
            nullable=False,
        ),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey(
                "organisation.id",
                ondelete="CASCADE",
                name="fk_role_grant_organisation_id_organisation",
            ),
            nullable=False,
        ),
        sa.Column(
            "audit_id",
            sa.Integer(),
            sa.ForeignKey("audit.id", ondelete="CASCADE", name="fk_role_grant_audit_id_audit"),
            nullable=True,
        ),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by", sa.String(200), nullable=False, server_default=""),
        sa.UniqueConstraint(
            "user_id", "role", "organisation_id", "audit_id", name="uq_role_grant_user_id"
        ),
    )
    op.create_index("ix_role_grant_user_id", "role_grant", ["user_id"])
    op.create_index("ix_role_grant_organisation_id", "role_grant", ["organisation_id"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False, server_default=""),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False, server_default=""),
        sa.Column("entity_id", sa.String(200), nullable=False, server_default=""),
        sa.Column("address", sa.String(100), nullable=False, server_default=""),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    op.create_index("ix_audit_event_organisation_id", "audit_event", ["organisation_id"])
    op.create_index("ix_audit_event_audit_id", "audit_event", ["audit_id"])
    op.create_table("audit_event_prune", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(320), nullable=False),
        sa.Column("address", sa.String(100), nullable=False, server_default=""),
        sa.Column("succeeded", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_login_attempt_at", "login_attempt", ["at"])
    op.create_index("ix_login_attempt_username", "login_attempt", ["username"])
    op.create_index("ix_login_attempt_address", "login_attempt", ["address"])
    op.create_table(
        "setup_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION sgaudit_audit_event_append_only() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_event_prune) THEN
                RETURN OLD;
              END IF;
              RAISE EXCEPTION 'the audit trail is append-only';
            END $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION sgaudit_audit_event_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "WHEN NOT EXISTS (SELECT 1 FROM audit_event_prune) "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS sgaudit_audit_event_append_only()")
    for table in ("setup_token", "login_attempt", "audit_event_prune", "audit_event"):
        op.drop_table(table)
    op.drop_table("role_grant")
    op.drop_table("app_user")
