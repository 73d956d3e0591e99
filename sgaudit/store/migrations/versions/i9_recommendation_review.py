"""Recommendations: a measure of success, and the re-audit's review of each carried-over
one (status, evidence, date); a recorded reason when a finding has no recommendation.

Revision ID: i9_recommendation_review
Revises: i15_double_scoring
"""

import sqlalchemy as sa
from alembic import op

revision = "i9_recommendation_review"
down_revision = "i15_double_scoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recommendation") as batch_op:
        batch_op.add_column(sa.Column("measure", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("review_status", sa.String(length=30), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("review_evidence", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("reviewed_on", sa.Date(), nullable=True))
    with op.batch_alter_table("auditor_analysis") as batch_op:
        batch_op.add_column(
            sa.Column("no_recommendation_reason", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("auditor_analysis") as batch_op:
        batch_op.drop_column("no_recommendation_reason")
    with op.batch_alter_table("recommendation") as batch_op:
        for column in ("reviewed_on", "review_evidence", "review_status", "measure"):
            batch_op.drop_column(column)
