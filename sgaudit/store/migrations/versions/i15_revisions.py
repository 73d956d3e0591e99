"""A revision counter on answers and finding reviews, for optimistic concurrency.

Two auditors changing the same answer or finding: each write says which revision it
was made from, and one made from an older revision is refused rather than silently
overwriting the other's.

Revision ID: i15_revisions
Revises: i12_row_security
"""

import sqlalchemy as sa
from alembic import op

revision = "i15_revisions"
down_revision = "i12_row_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("response", "finding_review"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("revision", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in ("response", "finding_review"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("revision")
