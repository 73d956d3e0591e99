"""Double scoring: both auditors score one interview independently, and moderation.

Revision ID: i15_double_scoring
Revises: i12_accounts
"""

import sqlalchemy as sa
from alembic import op

revision = "i15_double_scoring"
down_revision = "i12_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview") as batch_op:
        batch_op.add_column(
            sa.Column("double_scored", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("second_scorer", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("second_completed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "second_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=60), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("scorer", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_second_score_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_second_score")),
        sa.UniqueConstraint("interview_id", "question_id", name="uq_second_score_interview_id"),
    )
    op.create_table(
        "moderation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=60), nullable=False),
        sa.Column("first_answer", sa.Text(), nullable=False),
        sa.Column("second_answer", sa.Text(), nullable=False),
        sa.Column("agreed_answer", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_moderation_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation")),
        sa.UniqueConstraint("interview_id", "question_id", name="uq_moderation_interview_id"),
    )


def downgrade() -> None:
    op.drop_table("moderation")
    op.drop_table("second_score")
    with op.batch_alter_table("interview") as batch_op:
        batch_op.drop_column("second_completed")
        batch_op.drop_column("second_scorer")
        batch_op.drop_column("double_scored")
