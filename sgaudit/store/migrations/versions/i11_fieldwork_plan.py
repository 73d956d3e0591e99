"""The fieldwork plan: people the auditors intend to hear per tier x service area.

Revision ID: i11_fieldwork_plan
Revises: i12_rls_interview_tables

On PostgreSQL the new table gets the same row-level security policy as every other
table of an audit's rows (i12_row_security made those for the tables it found).
"""

import sqlalchemy as sa
from alembic import op

revision = "i11_fieldwork_plan"
down_revision = "i12_rls_interview_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fieldwork_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=40), nullable=False),
        sa.Column("service_area", sa.String(length=200), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            ondelete="CASCADE",
            name=op.f("fk_fieldwork_plan_audit_id_audit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fieldwork_plan")),
        sa.UniqueConstraint("audit_id", "tier", "service_area", name="uq_fieldwork_plan_audit_id"),
    )
    op.create_index(op.f("ix_fieldwork_plan_audit_id"), "fieldwork_plan", ["audit_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE fieldwork_plan ENABLE ROW LEVEL SECURITY")
        op.execute(
            "CREATE POLICY sgaudit_scope ON fieldwork_plan FOR ALL "
            "USING (audit_id IN (SELECT id FROM audit)) "
            "WITH CHECK (audit_id IN (SELECT id FROM audit))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS sgaudit_scope ON fieldwork_plan")
    op.drop_index(op.f("ix_fieldwork_plan_audit_id"), table_name="fieldwork_plan")
    op.drop_table("fieldwork_plan")
