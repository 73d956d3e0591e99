"""The overall assurance opinion: proposed level, the level the lead auditor gave, why, who.

Revision ID: i9_assurance_opinion
Revises: i9_recommendation_review
"""

import sqlalchemy as sa
from alembic import op

revision = "i9_assurance_opinion"
down_revision = "i9_recommendation_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assurance_opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("proposed", sa.String(length=20), nullable=False),
        sa.Column("given", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            ondelete="CASCADE",
            name=op.f("fk_assurance_opinion_audit_id_audit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assurance_opinion")),
    )
    op.create_index(
        op.f("ix_assurance_opinion_audit_id"), "assurance_opinion", ["audit_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_assurance_opinion_audit_id"), table_name="assurance_opinion")
    op.drop_table("assurance_opinion")
