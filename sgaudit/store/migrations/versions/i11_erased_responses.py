"""Erased survey responses stay erased: a hash of each one's response id.

Revision ID: i11_erased_responses
Revises: i11_fieldwork_plan

When an interview imported from a survey export is erased, a hash of the tool's
response id is kept, so a later export of the same survey imports everyone else and
not the erased person. On PostgreSQL the table gets the row-level security policy of
every table of an audit's rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "i11_erased_responses"
down_revision = "i11_fieldwork_plan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erased_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            ondelete="CASCADE",
            name=op.f("fk_erased_response_audit_id_audit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erased_response")),
        sa.UniqueConstraint("audit_id", "key_hash", name="uq_erased_response_audit_id"),
    )
    op.create_index(op.f("ix_erased_response_audit_id"), "erased_response", ["audit_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE erased_response ENABLE ROW LEVEL SECURITY")
        op.execute(
            "CREATE POLICY sgaudit_scope ON erased_response FOR ALL "
            "USING (audit_id IN (SELECT id FROM audit)) "
            "WITH CHECK (audit_id IN (SELECT id FROM audit))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS sgaudit_scope ON erased_response")
    op.drop_index(op.f("ix_erased_response_audit_id"), table_name="erased_response")
    op.drop_table("erased_response")
