"""An audit's path from draft to final: statuses, versions, sign-offs and issued reports.

Old statuses map onto the new path: `in_progress` (capture under way) and `draft` (a
report drafted but never reviewed) both become `draft`; `final` stays final, as
version 1.0. Audits finalised before this revision have no stored issued report
(nothing was kept then), so their history starts with the next version.

Revision ID: i15_audit_workflow
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "i15_audit_workflow"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.String(length=12), nullable=False, server_default="1.0")
        )
    op.execute("UPDATE audit SET status = 'draft' WHERE status IN ('in_progress', 'draft')")

    op.create_table(
        "audit_signoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=12), nullable=False),
        sa.Column("item", sa.String(length=400), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            name=op.f("fk_audit_signoff_audit_id_audit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_signoff")),
    )
    op.create_index(op.f("ix_audit_signoff_audit_id"), "audit_signoff", ["audit_id"])

    op.create_table(
        "audit_issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=12), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("report_context", sa.JSON(), nullable=True),
        sa.Column("template", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            name=op.f("fk_audit_issue_audit_id_audit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_issue")),
        sa.UniqueConstraint("audit_id", "version", name="uq_audit_issue_audit_id"),
    )


def downgrade() -> None:
    op.drop_table("audit_issue")
    op.drop_index(op.f("ix_audit_signoff_audit_id"), table_name="audit_signoff")
    op.drop_table("audit_signoff")
    op.execute("UPDATE audit SET status = 'in_progress' WHERE status IN ('draft', 'in_review')")
    with op.batch_alter_table("audit") as batch_op:
        batch_op.drop_column("version")
