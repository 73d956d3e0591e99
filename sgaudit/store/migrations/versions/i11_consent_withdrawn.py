"""Record when an interview's consent was withdrawn, so it leaves every analysis.

Revision ID: i11_consent_withdrawn
Revises: i13_response_key
"""

import sqlalchemy as sa
from alembic import op

revision = "i11_consent_withdrawn"
down_revision = "i13_response_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview") as batch_op:
        batch_op.add_column(sa.Column("consent_withdrawn_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interview") as batch_op:
        batch_op.drop_column("consent_withdrawn_at")
