"""Drop `ix_response_interview_id`: the unique (interview, question) index already serves it.

Revision ID: i14c_response_index
Revises: i14b_answer_counts

Every answer is unique per interview and question (`uq_response_interview_id`), and that
index starts with the interview, so it answers every lookup by interview on its own
(SQLite and PostgreSQL both use an index's leading column). The second index on the
interview alone only cost writes: each answer stored, imported or restored updated two
indexes, about a second per million answers of a bulk load on PostgreSQL.
"""

from alembic import op

revision = "i14c_response_index"
down_revision = "i14b_answer_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_response_interview_id", table_name="response")


def downgrade() -> None:
    op.create_index("ix_response_interview_id", "response", ["interview_id"], unique=False)
