"""The auditors' own analysis of each finding and theme (what we saw, why, impact, what helps).

Revision ID: i9_auditor_analysis
Revises: i11_consent_withdrawn
"""

import sqlalchemy as sa
from alembic import op

revision = "i9_auditor_analysis"
down_revision = "i11_consent_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "auditor_analysis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("seen", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("helps", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            ondelete="CASCADE",
            name=op.f("fk_auditor_analysis_audit_id_audit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditor_analysis")),
        sa.UniqueConstraint("audit_id", "subject", name=op.f("uq_auditor_analysis_audit_id")),
    )
    op.create_index(op.f("ix_auditor_analysis_audit_id"), "auditor_analysis", ["audit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_auditor_analysis_audit_id"), table_name="auditor_analysis")
    op.drop_table("auditor_analysis")
